// Leaves a child behind that holds stdout open and sleeps; prints its pid.
use std::process::Command;
fn main() {
    let child = Command::new("sleep").arg("1000").spawn().unwrap();
    println!("{}", child.id());
}
