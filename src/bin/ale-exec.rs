//! `ale-exec --serve`: the spawn server that starts ale's solutions (see
//! `ale::judge::zygote`). It is started by ale, one per worker thread.

fn main() {
    if std::env::args().nth(1).as_deref() != Some("--serve") {
        eprintln!("ale-exec is started by ale's judge (ale-exec --serve); it is not meant to be run by hand");
        std::process::exit(2);
    }
    std::process::exit(ale::judge::zygote::serve());
}
