//! The `ale` binary: the command line (`cli/`) over the `ale` library.

mod cli;

fn main() {
    let first = std::env::args_os().nth(1);
    // The judge starts `ale __spawn-server` as its small spawn server (see judge::zygote).
    if first.as_deref() == Some(ale::judge::zygote::SERVER_ARG.as_ref()) {
        let args: Vec<_> = std::env::args_os().skip(2).collect();
        std::process::exit(ale::judge::zygote::serve(&args));
    }
    // A contest's tester starts `ale __measure ...` as the solution (see judge::measure).
    if first.as_deref() == Some(ale::judge::measure::MEASURE_ARG.as_ref()) {
        let args: Vec<_> = std::env::args_os().skip(2).collect();
        std::process::exit(ale::judge::measure::main(&args));
    }
    // A judge elsewhere starts `ale __worker` to run its cases (see judge::worker).
    if first.as_deref() == Some(ale::judge::worker::WORKER_ARG.as_ref()) {
        let cache = ale::paths::Paths::new(None, None).home.join("worker");
        std::process::exit(ale::judge::worker::serve(&cache));
    }
    std::process::exit(cli::main());
}
