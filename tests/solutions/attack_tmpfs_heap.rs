// Red team (tests/redteam.rs): memory split between the heap and the files of
// its folder. 240 MiB written to /tmp (under the 256 MiB folder cap) and
// 850 MiB of heap touched: neither alone passes a 1024 MiB limit, together
// they do, and a tmpfs's pages are memory. Honest verdict: MLE. Unboxed /tmp
// is a disk and the case is accepted, so the test can fail. It removes its
// files before it prints the identity tour.
use std::io::{Read, Write};

const CHUNK: usize = 16 << 20;
const CHUNKS: usize = 15; // 240 MiB
const HEAP: usize = 850 << 20;

fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();
    let dir = std::path::Path::new("/tmp").join(format!("ale-heap-{}", std::process::id()));
    let _ = std::fs::create_dir(&dir);
    let chunk = vec![0x5au8; CHUNK];
    for i in 0..CHUNKS {
        let path = dir.join(format!("fill-{i:03}"));
        if let Err(e) = std::fs::File::create(&path).and_then(|mut f| f.write_all(&chunk)) {
            eprintln!("BLOCKED: /tmp stopped after {} MiB: {e}", i * 16);
            break;
        }
    }
    drop(chunk);
    let mut heap = vec![0u8; HEAP];
    for i in (0..HEAP).step_by(4096) {
        heap[i] = 1;
    }
    eprintln!("INFO: 240 MiB in /tmp and {} MiB of heap", heap.len() >> 20);
    let _ = std::fs::remove_dir_all(&dir);
    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
    std::hint::black_box(&heap);
}
