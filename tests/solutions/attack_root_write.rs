// Red team (tests/redteam.rs): the box's own root, outside the case's
// folder. As an ordinary user the box's root tmpfs and the folders
// bubblewrap made belong to the case's own uid: a case that writes there
// leaves files for the next, and one that removes the server's folder
// breaks every later case. It says LEARNED for any change it makes and for
// any mark an earlier case left. Then it prints the identity tour.
use std::io::Read;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();
    for dir in ["/", "/etc", "/dev", "/run", "/box"] {
        let mark = std::path::Path::new(dir).join("ale-redteam-root-mark");
        if mark.exists() {
            eprintln!("LEARNED: an earlier case left {}", mark.display());
        }
        match std::fs::write(&mark, b"mark") {
            Ok(()) => eprintln!("LEARNED: wrote {}", mark.display()),
            Err(e) => eprintln!("BLOCKED: {}: {e}", mark.display()),
        }
    }
    for (what, done) in [
        ("rmdir /run/ale", std::fs::remove_dir("/run/ale")),
        ("unlink /lib64", std::fs::remove_file("/lib64")),
        ("write /etc/ld.so.preload", std::fs::write("/etc/ld.so.preload", b"/x.so\n")),
    ] {
        match done {
            Ok(()) => eprintln!("LEARNED: {what}"),
            Err(e) => eprintln!("BLOCKED: {what}: {e}"),
        }
    }
    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
