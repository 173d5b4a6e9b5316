#![no_main]
//! The `jobshop` scorer on any input and output (see `ale_fuzz::scorer`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ale_fuzz::scorer("jobshop", data));
