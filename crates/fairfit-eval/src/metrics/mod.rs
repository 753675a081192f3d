//! Performance and fairness metrics: per row data ([`Outcomes`]), the metric catalogue
//! ([`Measure`]), values by group ([`ByGroup`]), disparities across groups ([`Disparity`]) and
//! individual fairness ([`individual`]).
//!
//! Every metric is a function of a weighted set of rows (a [`View`]). Evaluated on all rows it is
//! the *overall* value, on the rows of one group it is that group's value; the bootstrap
//! re-evaluates it with resampled weights. So one definition serves every use, and sample
//! weights are honoured everywhere: a row of weight 2 counts exactly as two copies of the row.
//!
//! Definitions follow Fairlearn (`fairlearn.metrics`) and scikit-learn, and AIF360 for the
//! privileged/unprivileged comparisons and individual fairness; each item's documentation gives
//! its formula. The one deliberate difference: where those libraries return 0 for a zero
//! denominator (scikit-learn's `zero_division`), fairfit reports the value as [`Undefined`].

mod calibration;
mod confusion;
pub(crate) mod disparity;
pub(crate) mod group;
pub mod individual;
mod measure;
mod outcomes;
mod performance;
#[cfg(test)]
mod properties;
mod statistic;

pub use confusion::Confusion;
pub use disparity::{
    demographic_parity_difference, demographic_parity_ratio, disparity,
    equal_opportunity_difference, equal_opportunity_ratio, equalized_odds_difference,
    equalized_odds_ratio, error_rate_difference, notion_disparity, predictive_parity_difference,
    Aggregate, Disparity, Privileged,
};
pub use group::{by_group, ByGroup};
pub use measure::Measure;
pub use outcomes::{binary_labels, Outcomes, View};
pub use performance::{
    accuracy, balanced_accuracy, brier_score, evaluate, f1_score, log_loss, mean_absolute_error,
    mean_squared_error, precision, r2_score, recall, roc_auc,
};

use crate::error::Result;

pub use fairfit_data::fairness::{Undefined, Value};

/// The per-row inputs a metric reads; [`Outcomes::check`] verifies they are present (and, for
/// [`Input::Probabilities`], in \[0, 1\]) before anything is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Input {
    /// True binary labels `y` (classification).
    Labels,
    /// True real targets `y` (regression).
    Targets,
    /// Hard binary predictions `ŷ`.
    Predictions,
    /// Real scores or regression predictions `s`.
    Scores,
    /// Scores that are probabilities `p = P(y = 1)` in \[0, 1\].
    Probabilities,
}

impl Input {
    /// A readable name, used in error messages.
    pub fn describe(self) -> &'static str {
        match self {
            Input::Labels => "binary labels",
            Input::Targets => "real targets",
            Input::Predictions => "hard predictions",
            Input::Scores => "scores",
            Input::Probabilities => "probability scores",
        }
    }
}

/// A metric: a number computed from a weighted set of rows.
///
/// Implemented by the catalogue [`Measure`]; implement it for your own metric and every
/// by-group, disparity and bootstrap tool works with it.
///
/// ```
/// use fairfit::eval::metrics::{Input, Metric, Outcomes, Undefined, Value, View, evaluate};
/// /// Weighted share of false positives among all rows.
/// struct FalsePositiveShare;
/// impl Metric for FalsePositiveShare {
///     fn name(&self) -> String { "false_positive_share".into() }
///     fn requires(&self) -> &'static [Input] { &[Input::Labels, Input::Predictions] }
///     fn compute(&self, view: &View<'_>) -> Value {
///         let (y, p, w) = (view.labels().expect("required"), view.predictions().expect("required"), view.weights());
///         let fp: f64 = (0..y.len()).filter(|&i| p[i] && !y[i]).map(|i| w[i]).sum();
///         let total = view.total_weight();
///         if total > 0.0 { Ok(fp / total) } else { Err(Undefined { reason: "zero total weight" }) }
///     }
/// }
/// let out = Outcomes::classification(&[true, false, false, true], &[true, true, false, false])?;
/// assert_eq!(evaluate(&FalsePositiveShare, &out)?, 0.25);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub trait Metric: Send + Sync {
    /// The metric's name (Fairlearn's function name for the catalogue, e.g. `selection_rate`).
    fn name(&self) -> String;

    /// The inputs [`Metric::compute`] reads; checked before it is called.
    fn requires(&self) -> &'static [Input];

    /// Checks the metric's own parameters (bins, α, ...). The default accepts.
    fn check_params(&self) -> Result<()> {
        Ok(())
    }

    /// The metric on the rows of `view`, weighted by `view.weights()`.
    ///
    /// Called only after the inputs in [`Metric::requires`] were checked to be present.
    fn compute(&self, view: &View<'_>) -> Value;
}

pub(crate) use fairfit_data::fairness::ratio;
