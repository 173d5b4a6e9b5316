// Red team (tests/redteam.rs): a process flood. It starts up to 2000 copies of
// itself that sleep 5 s (marked by the argument `ale-redteam-child`, which the
// test looks for afterwards), says how many it got, and prints the identity
// tour without waiting for them. A process cap must stop it far short of
// 2000, root or not, and none of the children may outlive the case.
use std::io::Read;
use std::process::{Command, Stdio};

const WANTED: usize = 2000;
const CHILD: &str = "ale-redteam-child";

fn main() {
    if std::env::args().nth(1).as_deref() == Some(CHILD) {
        std::thread::sleep(std::time::Duration::from_secs(5));
        return;
    }
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let exe = std::env::current_exe().unwrap();
    let mut children = Vec::new();
    let mut refused = None;
    while children.len() < WANTED {
        let child = Command::new(&exe)
            .arg(CHILD)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match child {
            Ok(c) => children.push(c),
            Err(e) => {
                refused = Some(e);
                break;
            }
        }
        // A line now and then: a case killed half-way still tells how far it got.
        if children.len() % 250 == 0 {
            eprintln!("INFO: started {} children", children.len());
        }
    }
    match refused {
        None => eprintln!("LEARNED: started all {WANTED} children"),
        Some(e) => eprintln!(
            "BLOCKED: started {} of {WANTED} children, then: {e}",
            children.len()
        ),
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
