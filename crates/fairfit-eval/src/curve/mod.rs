//! Trade-off curves: one point per fitted model, with what it gives (performance) and what it
//! costs (fairness gaps) on every split, so that methods can be compared on one picture.
//!
//! A [`CurvePoint`] records the method, its parameters (λ, ε, ...), named metrics per [`Split`]
//! (each an [`Estimate`](crate::Estimate): a value and optionally a confidence [`Interval`](crate::Interval)) and the fit time.
//! A [`TradeoffCurve`] is a validated list of points, possibly from several methods; it writes
//! and reads CSV ([`TradeoffCurve::write_csv`]) and JSON, and feeds the Pareto analysis
//! ([`crate::pareto`]) and the plots ([`crate::plot`]). An [`Axis`] picks one metric on one split
//! with the direction in which it is better.
//!
//! ```
//! use fairfit::eval::curve::{names, CurvePoint, Split, TradeoffCurve};
//! let mut curve = TradeoffCurve::new();
//! for (lambda, acc, gap) in [(0.0, 0.85, 0.18), (1.0, 0.83, 0.06), (10.0, 0.81, 0.01)] {
//!     curve.push(
//!         CurvePoint::new("dp-penalty")
//!             .with_param("lambda", lambda)
//!             .with_metric(Split::Test, names::ACCURACY, acc)
//!             .with_metric(Split::Test, names::DP_DIFFERENCE, gap),
//!     )?;
//! }
//! assert_eq!(curve.len(), 3);
//! assert_eq!(curve.methods(), ["dp-penalty"]);
//! # Ok::<(), fairfit::eval::EvalError>(())
//! ```

mod axis;
mod csv_io;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod names;
mod output;
mod point;
#[cfg(test)]
mod tests;
mod tradeoff_curve;

pub use crate::split::Split;
pub use axis::{Axis, Direction};
pub(crate) use csv_io::number;
pub use output::aligned;
pub(crate) use output::{csv_error, io_error, write_csv_records, write_file, write_rows};
pub use point::{CurvePoint, NamedEstimate, Param};
pub use tradeoff_curve::TradeoffCurve;
