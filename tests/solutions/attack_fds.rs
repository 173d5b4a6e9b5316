// Red team (tests/redteam.rs): descriptors ale was started with. The test
// starts ale with the host's `/` open as descriptor 7 (not close-on-exec);
// a judge that passes it on lets the solution read and write the host
// through /proc/self/fd/7. It walks every descriptor past its stdio and says
// LEARNED for any it holds, and for anything it reads through one. Then it
// prints the identity tour.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();
    for fd in 3..1024 {
        let link = format!("/proc/self/fd/{fd}");
        let Ok(target) = std::fs::read_link(&link) else {
            continue;
        };
        // The directory read_dir itself opens is not inherited.
        if target == std::path::Path::new(&format!("/proc/{}/fd", std::process::id())) {
            continue;
        }
        eprintln!("LEARNED: descriptor {fd} is open: {}", target.display());
        if let Ok(entries) = std::fs::read_dir(&link) {
            let names: Vec<String> = entries
                .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().into_owned()))
                .take(10)
                .collect();
            eprintln!("LEARNED: through it: {}", names.join(" "));
        }
    }
    eprintln!("BLOCKED: no descriptor past stdio");
    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
