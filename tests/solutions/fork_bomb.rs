// A bounded fork bomb: starts 300 sleepers with a marked duration, then keeps
// starting more until it is stopped, never waiting for any of them.
use std::process::Command;
fn main() {
    let mut children = Vec::new();
    for _ in 0..300 {
        if let Ok(c) = Command::new("sleep").arg("997").spawn() {
            children.push(c);
        }
    }
    loop {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
