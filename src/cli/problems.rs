//! `ale problems`

use super::Context;
use ale::error::Error;
use ale::problem::Origin;

#[derive(clap::Args, Debug)]
pub struct Args {}

pub fn main(ctx: &Context, _args: Args) -> Result<i32, Error> {
    let registry = ctx.registry()?;
    outln!(
        "{:<12} {:<9} {:>8} {:>9} {:<11} {:<12} {:<13} title",
        "id",
        "objective",
        "time_ms",
        "memory_mb",
        "kind",
        "public",
        "private"
    );
    for p in registry.iter() {
        let origin = match &p.origin {
            Origin::Builtin => String::new(),
            Origin::Dir(d) => format!(" [{}]", d.display()),
        };
        outln!(
            "{:<12} {:<9} {:>8} {:>9} {:<11} {:<12} {:<13} {}{}",
            p.id,
            p.objective.as_str(),
            p.time_limit_ms,
            p.memory_limit_mb,
            if p.interactive {
                "interactive"
            } else {
                "batch"
            },
            p.public_seeds.to_string(),
            p.private_seeds.to_string(),
            p.title,
            origin
        );
    }
    Ok(0)
}
