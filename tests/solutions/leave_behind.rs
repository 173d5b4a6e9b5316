// Leaves traces for the next case: a file in /tmp named by its input, and a
// sleeper in a process group of its own, holding its stdout open. Prints whether the file was there.
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
fn main() {
    let mut name = String::new();
    std::io::stdin().read_line(&mut name).unwrap();
    let path = std::path::Path::new("/tmp").join(name.trim());
    let seen = path.exists();
    std::fs::write(&path, "left behind").unwrap();
    let _ = Command::new("sleep")
        .arg("996")
        .process_group(0)
        .stdin(Stdio::null())
        .spawn();
    println!("{}", if seen { "found" } else { "fresh" });
}
