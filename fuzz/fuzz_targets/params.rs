#![no_main]
//! Parameter annotations: any source gives parameters or an error naming a
//! line, never a panic; rewriting found parameters to their own values keeps
//! the source as it was.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let source = String::from_utf8_lossy(data);
    if let Ok(params) = ale::tune::params::find(&source) {
        let same: Vec<(&str, String)> = params
            .iter()
            .filter(|p| matches!(p.domain, ale::tune::params::Domain::Choice(_)))
            .map(|p| (p.name.as_str(), p.value.clone()))
            .collect();
        let rewritten = ale::tune::params::rewrite(&source, &params, &same).expect("its own choices");
        assert_eq!(rewritten, source);
    }
});
