//! The `fairfit` binary: parse, run, and turn the outcome into an exit code.

use std::process::ExitCode;

use clap::Parser;
use fairfit_cli::cli::Cli;
use fairfit_cli::commands;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(err.exit_code())
        }
    }
}
