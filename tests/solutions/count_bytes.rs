use std::io::Read;
// Prints how many bytes of input it read.
fn main() {
    let mut buf = Vec::new();
    std::io::stdin().read_to_end(&mut buf).unwrap();
    println!("{}", buf.len());
}
