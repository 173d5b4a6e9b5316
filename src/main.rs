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
    // A judge elsewhere starts `ale __worker --connect ADDRESS --label LABEL`
    // to run its cases (see workers::node).
    if first.as_deref() == Some(ale::workers::WORKER_ARG.as_ref()) {
        let args: Vec<String> = std::env::args().skip(2).collect();
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1))
        };
        let (Some(address), label) = (value("--connect"), value("--label")) else {
            eprintln!(
                "usage: ale __worker --connect HOST:PORT [--label NAME] (the judge starts it)"
            );
            std::process::exit(2);
        };
        let cache = ale::paths::Paths::new(None, None).home.join("worker");
        let label = label.map_or("worker", String::as_str);
        std::process::exit(ale::workers::node::main(address, label, &cache));
    }
    std::process::exit(cli::main());
}
