//! # fairfit
//!
//! Train machine-learning models under fairness constraints and measure what fairness costs.
//!
//! This crate re-exports the three stages of the framework:
//! - [`data`]: data sets with sensitive attributes, reference data, audits, bias-aware resampling;
//! - [`train`]: logistic and linear models fitted with fairness penalties or targets;
//! - [`eval`]: metrics by group, trade-off curves, Pareto fronts, reports and plots.

#![warn(missing_docs)]

pub use fairfit_data as data;
pub use fairfit_eval as eval;
pub use fairfit_train as train;

/// The README's code sample, compiled and run as a doc test so that it cannot rot.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
