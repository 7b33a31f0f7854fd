//! Command-line interface: the only module that prints. One function per subcommand; exit codes
//! are 0 (all went well), 1 (some calls failed, the rest were stored) and 2 (could not run).

mod args;
mod export;
mod model;
mod progress;
mod report;
mod review;
mod run;
mod serve;
mod table;
mod terminal;
mod transcribe;
mod user;

use clap::Parser;

pub use args::Cli;

/// Parses the command line, runs the subcommand and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let result = match cli.command {
        args::Command::Model(cmd) => model::main(cmd),
        args::Command::Run(cmd) => run::run(cmd),
        args::Command::Score(cmd) => run::score(cmd),
        args::Command::Export(cmd) => export::main(cmd),
        args::Command::Transcribe(cmd) => transcribe::main(cmd),
        args::Command::Report(cmd) => report::main(cmd),
        args::Command::Review(cmd) => review::main(cmd),
        args::Command::Serve(cmd) => serve::main(cmd),
        args::Command::User(cmd) => user::main(cmd),
    };
    match result {
        Ok(code) => code,
        Err(e) if terminal::reader_went_away(&e) => 0,
        Err(e) => {
            terminal::say(&format!("error: {}", terminal::error_message(&e)));
            2
        }
    }
}
