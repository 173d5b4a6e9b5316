// Red team (tests/redteam.rs): memory through the back door. A file in a
// tmpfs /tmp is memory, but no process's resident set: 1.2 GiB written there
// (16 MiB a file, under any file size cap) under a 1024 MiB memory limit must
// still be MLE, or stopped at a cap the verdict names. If /tmp cannot be
// written it uses its own folder. The files are left for the judge to clear.
// Writing it all is no leak by itself (the verdict decides), so it says INFO.
// Then it prints the identity tour.
use std::io::{Read, Write};
use std::path::PathBuf;

const CHUNK: usize = 16 << 20;
const CHUNKS: usize = 75; // 1200 MiB

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let mut dir = PathBuf::from("/tmp");
    if let Err(e) = std::fs::write(dir.join("ale-fill-probe"), b"probe") {
        eprintln!("INFO: /tmp refused ({e}): filling the working folder");
        dir = std::env::current_dir().unwrap_or_default();
    }
    let chunk = vec![0x5au8; CHUNK];
    let mut written = 0;
    for i in 0..CHUNKS {
        let path = dir.join(format!("ale-fill-{i:03}"));
        let wrote = std::fs::File::create(&path).and_then(|mut f| f.write_all(&chunk));
        match wrote {
            Ok(()) => written += CHUNK,
            Err(e) => {
                eprintln!(
                    "BLOCKED: {} stopped after {} MiB: {e}",
                    dir.display(),
                    written >> 20
                );
                break;
            }
        }
    }
    if written == CHUNK * CHUNKS {
        eprintln!(
            "INFO: wrote all {} MiB into {} under a 1024 MiB memory limit",
            written >> 20,
            dir.display()
        );
    }

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
