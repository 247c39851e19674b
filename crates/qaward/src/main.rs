//! `qaward`: the command line of the system that runs a government quality award.
//!
//! Every subcommand reads its input, asks the domain crate, and prints the answer in a
//! stable form that scripts can rely on. Exit codes: 0 for yes or done, 1 when the answer
//! is no (an invalid code, a bad policy file, an unmet eligibility rule), 2 when the input
//! itself cannot be read (a malformed date, a missing file, bad JSON, a usage error).

mod cli;
mod config;
mod data;
mod server;
mod versions;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(outcome) => outcome.exit_code(),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
