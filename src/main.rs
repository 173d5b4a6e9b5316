fn main() {
    std::process::exit(ale::cli::main());
}
