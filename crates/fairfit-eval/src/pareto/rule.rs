//! [`SelectionRule`]: what a point's gap on the selection split must satisfy to be chosen under a
//! bound — its estimate (plain selection), or the far end of its confidence interval (margin
//! selection).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::curve::{Axis, Direction, Split, TradeoffCurve};
use crate::error::{EvalError, Result};

/// How [`best_at_gap_by`](super::best_at_gap_by) reads a point's gap on the selection split
/// (validation when the curve has it) against the bound.
///
/// A gap estimated on a few thousand held-out rows carries sampling noise of the size of a tight
/// bound: chosen on its estimate, the most accurate admissible point is often the one whose
/// estimate was lucky, and its gap on new rows exceeds the bound. The margin rule asks instead
/// that the whole interval meet the bound.
///
/// ```
/// use fairfit::eval::pareto::SelectionRule;
/// assert_eq!(SelectionRule::default(), SelectionRule::Plain);
/// assert_eq!(SelectionRule::Margin.to_string(), "margin (interval end within the bound)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SelectionRule {
    /// The gap's estimate on the selection split meets the bound.
    #[default]
    Plain,
    /// The far end of the gap's confidence interval on the selection split meets the bound: the
    /// upper end for a minimised gap (a difference), the lower end for a maximised one (a ratio).
    /// Every point must carry that interval (a sweep computes bootstrap intervals on validation
    /// unless run with `resamples(0)`); a point without one is [`EvalError::MissingInterval`].
    Margin,
}

impl SelectionRule {
    /// The value of point `index`'s gap on `split` that this rule compares with the bound: the
    /// estimate, or the interval's far end in the direction of `gap`.
    pub(crate) fn gap_read(
        self,
        curve: &TradeoffCurve,
        index: usize,
        gap: &Axis,
        split: Split,
    ) -> Result<f64> {
        let estimate = curve.estimate(index, split, &gap.metric)?;
        match self {
            SelectionRule::Plain => Ok(estimate.value),
            SelectionRule::Margin => {
                let interval = estimate
                    .interval
                    .ok_or_else(|| EvalError::MissingInterval {
                        method: curve.points()[index].method().to_string(),
                        point: index,
                        split,
                        metric: gap.metric.clone(),
                    })?;
                Ok(match gap.direction {
                    Direction::Minimise => interval.upper,
                    Direction::Maximise => interval.lower,
                })
            }
        }
    }

    /// A short name for file names and CSV cells: `plain`, `margin`.
    pub fn key(self) -> &'static str {
        match self {
            SelectionRule::Plain => "plain",
            SelectionRule::Margin => "margin",
        }
    }
}

impl fmt::Display for SelectionRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SelectionRule::Plain => "plain (estimate within the bound)",
            SelectionRule::Margin => "margin (interval end within the bound)",
        })
    }
}
