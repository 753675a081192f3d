//! One module per subcommand; [`run`] dispatches.

pub mod audit;
pub mod evaluate;
pub mod monitor;
pub mod report;
pub mod schema;
pub mod score;
pub mod sweep;
pub mod train;

use crate::cli::{Cli, Command, SchemaCommand};
use crate::error::Result;
use crate::output::Output;

/// Runs a parsed command line; the exit code on success (0, or 1 when `monitor` alerts).
pub fn run(cli: Cli) -> Result<u8> {
    let out = Output {
        json: cli.json,
        quiet: cli.quiet,
    };
    match cli.command {
        Command::Schema(SchemaCommand::Infer(args)) => schema::infer(&args, out),
        Command::Audit(args) => audit::run(&args, out),
        Command::Train(args) => train::run(&args, out),
        Command::Score(args) => score::run(&args, out),
        Command::Evaluate(args) => evaluate::run(&args, out),
        Command::Sweep(args) => sweep::run(&args, out),
        Command::Report(args) => report::run(&args, out),
        Command::Monitor(args) => monitor::run(&args, out),
    }
    .map(u8::from)
}
