// Red team (tests/redteam.rs): a descriptor the compiler holds. ale is
// started with the host's `/` as descriptor 7; a compiler that inherits it
// compiles the host's files in through /proc/self/fd/7. Expected: CE.
const HOST: &str = include_str!("/proc/self/fd/7/etc/hostname");

fn main() {
    eprintln!("LEARNED: compiled in through descriptor 7: {HOST}");
}
