fn main() -> std::process::ExitCode {
    funnel::cli::main()
}
