// Red team (tests/redteam.rs): hiding CPU time behind wall time. Four threads
// spin in parallel until 1.9 s of wall time have passed, then it prints the
// identity tour: under a 2000 ms limit the wall clock alone says AC, but the
// CPU time is several seconds, and CPU time counts. It reports its own CPU and
// wall time, so that the test can tell a machine too busy to give it two cores.
use std::io::Read;
use std::time::{Duration, Instant};

extern "C" {
    fn clock_gettime(clock: i32, time: *mut [i64; 2]) -> i32;
}

/// CPU time of the whole process, every thread (CLOCK_PROCESS_CPUTIME_ID).
fn cpu_ms() -> i64 {
    let mut t = [0i64; 2];
    // SAFETY: a valid timespec-shaped buffer.
    unsafe { clock_gettime(2, &mut t) };
    t[0] * 1000 + t[1] / 1_000_000
}

fn main() {
    let start = Instant::now();
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let n: usize = s.split_ascii_whitespace().next().unwrap().parse().unwrap();

    let spinners: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(move || {
                let mut spins = 0u64;
                while start.elapsed() < Duration::from_millis(1900) {
                    spins = std::hint::black_box(spins + 1);
                }
            })
        })
        .collect();
    for spinner in spinners {
        spinner.join().unwrap();
    }
    eprintln!(
        "INFO: cpu_ms {} wall_ms {}",
        cpu_ms(),
        start.elapsed().as_millis()
    );

    let out: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    println!("{}", out.join("\n"));
}
