fn main() {
    // The judge starts `ale __spawn-server` as its small spawn server (see judge::zygote).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == ale::judge::zygote::SERVER_ARG)
    {
        std::process::exit(ale::judge::zygote::serve());
    }
    std::process::exit(ale::cli::main());
}
