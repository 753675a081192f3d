//! Pareto analysis of trade-off curves on two chosen axes: the non-dominated points, the
//! hypervolume they cover against a stated reference point, and the best performance reachable
//! under a bound on a gap.
//!
//! A point *dominates* another when it is at least as good on both axes and strictly better on
//! one (better as each [`Axis`](crate::curve::Axis)'s [`Direction`](crate::curve::Direction) says). Identical points
//! do not dominate each other, so duplicates on the front are all kept.
//!
//! ```
//! use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
//! use fairfit::eval::pareto::{hypervolume, pareto_front, Reference};
//! let mut curve = TradeoffCurve::new();
//! for (gap, acc) in [(0.25, 0.75), (0.5, 1.0), (0.5, 0.5)] {
//!     curve.push(CurvePoint::new("m")
//!         .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
//!         .with_metric(Split::Test, names::ACCURACY, acc))?;
//! }
//! let (gap, acc) = (Axis::minimise(names::DP_DIFFERENCE), Axis::maximise(names::ACCURACY));
//! assert_eq!(pareto_front(&curve, &gap, &acc)?, [0, 1]); // (0.5, 0.5) is dominated
//! // Against (gap 1, accuracy 0): 0.75 × 0.75 + 0.5 × 0.25 = 0.6875.
//! assert_eq!(hypervolume(&curve, &gap, &acc, Reference::new(1.0, 0.0))?, 0.6875);
//! # Ok::<(), fairfit::eval::EvalError>(())
//! ```

mod comparison;
mod dominance;
mod hypervolume;
mod rule;
mod selection;
#[cfg(test)]
mod tests;

pub use comparison::{Comparison, MethodSummary};
pub(crate) use dominance::front_of;
pub use dominance::{dominates, pareto_front};
pub use hypervolume::{hypervolume, Reference};
pub use rule::SelectionRule;
pub use selection::{best_at_gap, best_at_gap_by, GapSelection};
