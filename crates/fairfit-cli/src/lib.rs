//! The `fairfit` command line: audit data, train fair models, score, evaluate, sweep, report and
//! monitor without writing Rust.
//!
//! `main.rs` only parses ([`cli::Cli`]) and runs ([`commands::run`]); every subcommand is a
//! module of [`commands`]. Data files are read by [`input::read_table`] alone. Errors are
//! [`error::CliError`], whose [`exit_code`](error::CliError::exit_code) is 2 for bad input
//! (with file, line and column) and 3 for a computation that failed; `monitor` exits 1 on an
//! alert.

#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod error;
pub mod heldout;
pub mod infer;
pub mod input;
pub mod notion;
pub mod notion_report;
pub mod output;
pub mod pipeline_file;
pub mod schema_file;
pub mod streamed;
