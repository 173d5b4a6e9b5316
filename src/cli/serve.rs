//! `ale serve [--port 8080] [--bind 127.0.0.1]`: the store as web pages, read-only.

use super::Context;
use ale::error::Error;
use ale::serve::{serve, ServeOptions};
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// The address to listen on; the default keeps the pages to this machine
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
    pub bind: IpAddr,
}

pub fn main(ctx: &Context, args: Args) -> Result<i32, Error> {
    let store = ctx.paths.store.clone();
    let options = ServeOptions {
        store: store.clone(),
        address: SocketAddr::new(args.bind, args.port),
        registry: ctx.registry()?,
        poll: Duration::from_secs(1),
    };
    serve(options, |address| {
        let reach = if address.ip().is_loopback() {
            "this machine only"
        } else {
            "anyone who can reach this address"
        };
        outln!(
            "ale serve: listening on http://{address}/ ({reach}), read-only over {}",
            store.display()
        );
    })?;
    Ok(0)
}
