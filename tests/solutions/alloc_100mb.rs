// Touches 100 MiB, then exits cleanly: over a 64 MiB limit, under the address-space cap.
fn main() {
    let v = vec![3u8; 100 << 20];
    println!("{}", v.iter().map(|&b| b as u64).sum::<u64>());
}
