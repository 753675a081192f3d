//! # fairfit
//!
//! Train machine-learning models under fairness constraints and measure what fairness costs.
//!
//! Start with [`prelude`]: `use fairfit::prelude::*;` brings the types of the common flow (load,
//! mitigate, fit with a penalty or target, predict, evaluate by group with intervals, sweep,
//! plot), and [`Error`] / [`Result`] let `?` work across all of them. The three stages are
//! re-exported whole:
//! - [`data`]: data sets with sensitive attributes, loading one's own CSV, reference data,
//!   audits, bias-aware pre-processing;
//! - [`train`]: logistic and linear models fitted with fairness penalties or targets,
//!   warm-started paths, group-specific thresholds;
//! - [`eval`]: metrics by group with bootstrap intervals, trade-off curves, Pareto fronts,
//!   sweeps, reports, plots and monitoring.
//! - [`sim`]: long-term fairness, environments where decisions change the population (lending,
//!   admissions, attention allocation) with agents built from the crates above.
//!
//! `ARCHITECTURE.md` in the repository says what each crate and module is for and how data flows
//! through them; the README's "In code" section (compiled below as a doc test) walks from one's
//! own CSV file to a penalised model and a metric frame with intervals.

#![warn(missing_docs)]

mod error;
pub mod prelude;

pub use error::{Error, Result};
pub use fairfit_data as data;
pub use fairfit_eval as eval;
pub use fairfit_sim as sim;
pub use fairfit_train as train;

/// The README's code sample, compiled and run as a doc test so that it cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
