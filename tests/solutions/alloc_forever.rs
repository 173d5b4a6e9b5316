// Allocates and touches memory without bound.
fn main() {
    let mut blocks = Vec::new();
    loop {
        blocks.push(vec![1u8; 1 << 20]);
        if blocks.len() % 1024 == 0 {
            eprintln!("{} MiB", blocks.len());
        }
    }
}
