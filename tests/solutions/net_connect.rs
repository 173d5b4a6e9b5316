// Reads a port and tries to connect to it on loopback.
use std::io::Read;
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let port: u16 = s.trim().parse().unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    match TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
        Ok(_) => println!("connected"),
        Err(e) => println!("failed: {e}"),
    }
}
