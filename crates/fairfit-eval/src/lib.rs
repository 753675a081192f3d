//! # fairfit-eval
//!
//! What a model gives and costs, group by group, along the trade-off: performance and fairness
//! metrics by group with uncertainty, trade-off curves, Pareto fronts, comparisons, reports, plots.

mod error;
pub mod metrics;

pub use error::{EvalError, Result};
