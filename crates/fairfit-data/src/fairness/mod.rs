//! One group-statistic engine and one vocabulary of fairness notions, at the lowest layer so
//! that every stage reads fairness the same way.
//!
//! - [`Statistic`]: a per-row [`Quantity`] averaged over the rows of each group that fall in a
//!   [`Condition`] (positive rate, TPR, FPR, error rate, PPV, mean loss, ...);
//! - [`GroupCells`]: the engine that reads statistics off per-row outcomes (hard decisions,
//!   decision probabilities, or smooth scores through [`GroupCells::sums`]) with weights, and
//!   reports empty cells as [`Undefined`] in the same words everywhere; [`ClassCells`] and
//!   [`CellSums`] refine its cells by label class for quantities differentiated row by row;
//! - [`Aggregate`]: how group values become one number (difference, ratio, maximum, ...);
//! - [`DecisionProfile`]: whether decisions are constant (for everyone or a group) or no better
//!   than the majority-class rule, so a degenerate model is named, never passed as fair;
//! - [`Notion`]: statistics + aggregate — demographic parity, equalized odds, ... — from which
//!   penalties, targets, post-processing constraints, metric columns and monitoring bounds are
//!   derived in the crates above.

mod aggregate;
mod cells;
mod class_cells;
mod decisions;
mod notion;
mod statistic;
mod undefined;

pub use aggregate::{Aggregate, Aggregated};
pub use cells::{GroupCells, GroupMeans};
pub use class_cells::{CellSums, ClassCells};
pub use decisions::DecisionProfile;
pub use notion::{Notion, NotionValue};
pub use statistic::{Condition, LabelCellKernel, Quantity, Statistic};
pub use undefined::{ratio, Undefined, Value};

/// The hard decision of a classifier whose linear score is `score`: 1 where `score ≥ 0`, i.e.
/// where `P(y = 1 | x) = σ(score) ≥ 1/2`. Training, evaluation and post-processing decide with
/// this one rule (deciding on a rounded probability could flip rows with `|score| < 1e-16`).
#[inline]
pub fn decide(score: f64) -> bool {
    score >= 0.0
}
