#![no_main]
//! problem.toml parsing: any text gives a problem or an error, never a panic.

use ale::problem::{Origin, Problem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Problem::from_toml("fuzz/problem.toml", text, String::new(), Origin::Builtin);
    }
});
