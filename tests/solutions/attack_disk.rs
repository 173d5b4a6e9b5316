// Red team (tests/redteam.rs): filling the judge's disk. It writes 600 MB into
// its working folder, 10 MB a file (under any per-file size cap), and says
// whether all of it got there. A box with a cap on the scratch folder stops it
// (a write fails, or the case ends with a verdict that names the cap). Then
// it prints the identity tour.
use std::io::{Read, Write};

const FILE: usize = 10_000_000;
const FILES: usize = 60;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let chunk = vec![0xa5u8; FILE];
    let mut written = 0;
    for i in 0..FILES {
        let path = format!("ale-disk-{i:02}");
        let wrote = std::fs::File::create(&path).and_then(|mut f| f.write_all(&chunk));
        match wrote {
            Ok(()) => written += FILE,
            Err(e) => {
                eprintln!(
                    "BLOCKED: its folder took {} MB, then: {e}",
                    written / 1_000_000
                );
                break;
            }
        }
    }
    if written == FILE * FILES {
        eprintln!("INFO: wrote all {} MB into its folder", written / 1_000_000);
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
