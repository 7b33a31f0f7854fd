fn main() {
    std::process::exit(callgrade::cli::main());
}
