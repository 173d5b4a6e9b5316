#![no_main]
//! The `prospect` scorer on any input and output (see `ale_fuzz::scorer`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| ale_fuzz::scorer("prospect", data));
