// Red team (tests/redteam.rs): where can a solution write, and does anything
// it writes reach the next case? It first looks for a marker an earlier case
// left in its folder, the folder above or /tmp; then tries to create a file
// in the folder above, /tmp, /, /dev/shm and the two host folders the test
// writes in place of the placeholders; then leaves markers for the next case.
// Every file it makes stays, for the test to find on the host (and remove)
// and for the next case to find in the box. Solves tsp with the identity tour.
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

const REPOSITORY: &str = "@@REPO@@";
const HOST: &str = "@@HOST@@";
const PROBE: &str = "ale-redteam-probe";
const MARK: &str = "ale-redteam-mark";

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let cwd = std::env::current_dir().unwrap_or_default();
    let above = cwd.parent().map(Path::to_path_buf).unwrap_or_default();
    let tmp = PathBuf::from("/tmp");
    for dir in [&cwd, &above, &tmp] {
        if let Ok(mark) = std::fs::read_to_string(dir.join(MARK)) {
            eprintln!(
                "LEARNED: {} holds a marker an earlier case left: {}",
                dir.display(),
                mark.trim()
            );
        }
    }
    // Its own /tmp, /dev/shm or folder above may be writable, if private to
    // the case: the test looks for the files on the host, and the next case
    // finds them (an AlreadyExists) if the box shares them. Only a host folder
    // written is learned at once.
    let places = [
        (above.clone(), false),
        (tmp.clone(), false),
        (PathBuf::from("/"), false),
        (PathBuf::from("/dev/shm"), false),
        (PathBuf::from(REPOSITORY), true),
        (PathBuf::from(HOST), true),
    ];
    for (dir, host) in places {
        let path = dir.join(PROBE);
        let made = std::fs::File::create_new(&path).and_then(|mut f| {
            f.write_all(format!("written by pid {}\n", std::process::id()).as_bytes())
        });
        match made {
            Ok(()) if host => eprintln!("LEARNED: created {}", path.display()),
            Ok(()) => eprintln!("INFO: created {}", path.display()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                eprintln!(
                    "LEARNED: {} exists already, an earlier case's",
                    path.display()
                )
            }
            Err(e) => eprintln!("BLOCKED: {}: {e}", path.display()),
        }
    }
    let note = format!("pid {}\n", std::process::id());
    for dir in [&cwd, &tmp, &above] {
        if let Err(e) = std::fs::write(dir.join(MARK), &note) {
            eprintln!("INFO: no marker in {}: {e}", dir.display());
        }
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
