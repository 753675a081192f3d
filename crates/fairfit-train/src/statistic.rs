//! Group statistics: the weighted mean of a per-row quantity over a group × label-condition cell.
//!
//! Every fairness notion in the catalogue compares one such statistic across groups
//! (demographic parity: the mean prediction; equal opportunity: the mean prediction over
//! positives; error-rate parity: the mean error; bounded group loss: the mean loss, ...).
//! On soft scores the statistic is smooth and has a derivative with respect to each row's score,
//! which is what penalties and targets differentiate; on hard decisions it is the metric the
//! penalty stands for. Both are computed by the same code, so they cannot drift apart.

use fairfit_data::FairDataset;
use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::loss::{sigmoid, softplus, Loss};

/// The per-row quantity a statistic averages, as a function of the row's score `s` (the linear
/// output `x·w + b`) and its target `y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Quantity {
    /// The model's prediction: `σ(s)` for a logistic model (hard: `s ≥ 0`), `s` for a linear one.
    Prediction,
    /// The raw decision value `s` (the quantity of Zafar et al.'s disparate-impact covariance).
    Score,
    /// The probability of a wrong decision, `1 − σ(s)` if `y = 1` else `σ(s)`
    /// (hard: the 0/1 error). Classification only.
    Error,
    /// A smooth version of Zafar et al.'s misclassification distance `min(0, ỹ·s)` with
    /// `ỹ = 2y − 1`: `−softplus(−ỹ·s)` (hard: `min(0, ỹ·s)`). Classification only.
    Margin,
    /// The model's per-row training loss (log loss, or squared error for a linear model).
    Loss,
}

/// Which rows of a group a statistic averages over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Condition {
    /// Every row of the group.
    All,
    /// Rows with label 1 (true-positive rates). Classification only.
    Positives,
    /// Rows with label 0 (false-positive rates). Classification only.
    Negatives,
}

impl Condition {
    /// The label classes (cell indices within a group) the condition covers.
    pub(crate) fn label_classes(self, loss: Loss) -> &'static [usize] {
        match (loss.is_classification(), self) {
            (true, Condition::All) => &[0, 1],
            (true, Condition::Positives) => &[1],
            (true, Condition::Negatives) => &[0],
            (false, _) => &[0],
        }
    }

    fn lacks(self) -> &'static str {
        match self {
            Condition::All => "members",
            Condition::Positives => "positive labels",
            Condition::Negatives => "negative labels",
        }
    }
}

impl Quantity {
    /// The soft value and its first and second derivative with respect to the score.
    #[inline]
    pub(crate) fn soft(self, loss: Loss, s: f64, y: f64) -> (f64, f64, f64) {
        self.soft_given(loss, s, y, sigmoid(s))
    }

    /// [`Quantity::soft`] with `p = σ(s)` already computed (the objective's inner loop has it).
    #[inline]
    pub(crate) fn soft_given(self, loss: Loss, s: f64, y: f64, p: f64) -> (f64, f64, f64) {
        match self {
            Quantity::Prediction => match loss {
                Loss::Logistic => {
                    let d = p * (1.0 - p);
                    (p, d, d * (1.0 - 2.0 * p))
                }
                Loss::Squared => (s, 1.0, 0.0),
            },
            Quantity::Score => (s, 1.0, 0.0),
            Quantity::Error => {
                let d = p * (1.0 - p);
                if y == 1.0 {
                    (1.0 - p, -d, -d * (1.0 - 2.0 * p))
                } else {
                    (p, d, d * (1.0 - 2.0 * p))
                }
            }
            Quantity::Margin => {
                let sign = 2.0 * y - 1.0;
                let q = sigmoid(-sign * s);
                (-softplus(-sign * s), sign * q, -q * (1.0 - q))
            }
            Quantity::Loss => loss.eval(s, y),
        }
    }

    /// The value on hard decisions (a logistic model decides 1 where `s ≥ 0`).
    pub(crate) fn hard(self, loss: Loss, s: f64, y: f64) -> f64 {
        let decision = if s >= 0.0 { 1.0 } else { 0.0 };
        match self {
            Quantity::Prediction => match loss {
                Loss::Logistic => decision,
                Loss::Squared => s,
            },
            Quantity::Score => s,
            Quantity::Error => {
                if decision == y {
                    0.0
                } else {
                    1.0
                }
            }
            Quantity::Margin => (2.0 * y - 1.0) * s.min(0.0),
            Quantity::Loss => loss.eval(s, y).0,
        }
    }
}

/// A group statistic: the weighted mean of a [`Quantity`] over the rows of each group that
/// satisfy a [`Condition`].
///
/// ```
/// use fairfit_train::{Statistic, Quantity, Condition};
/// let tpr = Statistic::true_positive_rate();
/// assert_eq!(tpr, Statistic::new(Quantity::Prediction, Condition::Positives));
/// assert_eq!(tpr.name(), "true-positive rate");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statistic {
    /// The per-row quantity.
    pub quantity: Quantity,
    /// The rows of each group it averages over.
    pub condition: Condition,
}

impl Statistic {
    /// A statistic from its parts.
    pub const fn new(quantity: Quantity, condition: Condition) -> Self {
        Self {
            quantity,
            condition,
        }
    }

    /// P(ŷ = 1): the statistic of demographic parity.
    pub const fn positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::All)
    }

    /// P(ŷ = 1 | y = 1): the statistic of equal opportunity.
    pub const fn true_positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::Positives)
    }

    /// P(ŷ = 1 | y = 0): the statistic of false-positive-rate parity.
    pub const fn false_positive_rate() -> Self {
        Self::new(Quantity::Prediction, Condition::Negatives)
    }

    /// P(ŷ ≠ y): the statistic of error-rate parity (disparate mistreatment).
    pub const fn error_rate() -> Self {
        Self::new(Quantity::Error, Condition::All)
    }

    /// `E[ŷ]`: for a regression, the mean prediction (for a classifier, same as
    /// [`Statistic::positive_rate`]).
    pub const fn mean_prediction() -> Self {
        Self::new(Quantity::Prediction, Condition::All)
    }

    /// `E[s]`: the mean decision value (Zafar et al.'s disparate-impact covariance).
    pub const fn mean_score() -> Self {
        Self::new(Quantity::Score, Condition::All)
    }

    /// `E[min(0, ỹ·s)]` (smoothed): Zafar et al.'s disparate-mistreatment covariance.
    pub const fn mean_margin() -> Self {
        Self::new(Quantity::Margin, Condition::All)
    }

    /// `E[loss]`: the group's mean training loss (MSE for a linear model); bounded group loss.
    pub const fn mean_loss() -> Self {
        Self::new(Quantity::Loss, Condition::All)
    }

    /// A readable name under `loss`: as [`Statistic::name`], except that a regression model's
    /// predictions are values, not decisions, so their mean is a `mean prediction`, not a rate.
    ///
    /// ```
    /// use fairfit_train::{Loss, Statistic};
    /// let mean = Statistic::positive_rate();
    /// assert_eq!(mean.name_for(Loss::Logistic), "positive rate");
    /// assert_eq!(mean.name_for(Loss::Squared), "mean prediction");
    /// ```
    pub fn name_for(&self, loss: Loss) -> String {
        // Regression parameters never condition predictions on the label (`check_loss`).
        match (loss.is_classification(), self.quantity) {
            (false, Quantity::Prediction) => "mean prediction".into(),
            _ => self.name(),
        }
    }

    /// A readable name, e.g. `true-positive rate` (for a classifier; see
    /// [`Statistic::name_for`]).
    pub fn name(&self) -> String {
        let base = match (self.quantity, self.condition) {
            (Quantity::Prediction, Condition::All) => return "positive rate".into(),
            (Quantity::Prediction, Condition::Positives) => return "true-positive rate".into(),
            (Quantity::Prediction, Condition::Negatives) => return "false-positive rate".into(),
            (Quantity::Error, Condition::All) => return "error rate".into(),
            (Quantity::Score, _) => "mean score",
            (Quantity::Error, _) => "error rate",
            (Quantity::Margin, _) => "mean margin",
            (Quantity::Loss, _) => "mean loss",
        };
        match self.condition {
            Condition::All => base.into(),
            Condition::Positives => format!("{base} | y = 1"),
            Condition::Negatives => format!("{base} | y = 0"),
        }
    }

    /// Fails with [`TrainError::Unsupported`] when the statistic makes no sense for the loss.
    pub(crate) fn check_loss(&self, loss: Loss, model: &'static str) -> Result<()> {
        if loss.is_classification() {
            return Ok(());
        }
        let reason = match (self.quantity, self.condition) {
            (Quantity::Error, _) => "an error rate needs binary decisions",
            (Quantity::Margin, _) => "a margin needs binary labels",
            (_, Condition::Positives | Condition::Negatives) => {
                "conditioning on the label needs binary labels"
            }
            _ => return Ok(()),
        };
        Err(TrainError::Unsupported {
            statistic: self.name(),
            model,
            reason,
        })
    }

    /// Evaluates the statistic per group of `data` for the given scores (`x·w + b` per row),
    /// both soft (what penalties see) and on hard decisions (what the metric measures).
    ///
    /// Fails when a group has no weight in the condition (e.g. no positives for a TPR).
    pub fn evaluate(
        &self,
        loss: Loss,
        data: &FairDataset,
        scores: ArrayView1<'_, f64>,
    ) -> Result<GroupValues> {
        if scores.len() != data.nrows() {
            return Err(TrainError::LengthMismatch {
                what: "scores".into(),
                expected: data.nrows(),
                found: scores.len(),
            });
        }
        let groups = data.groups();
        let n_groups = groups.n_groups();
        let classes = self.condition.label_classes(loss);
        let weights = data.weights();
        let mut soft = vec![0.0; n_groups];
        let mut hard = vec![0.0; n_groups];
        let mut total = vec![0.0; n_groups];
        for (row, (&g, (&s, &y))) in groups
            .of_row()
            .iter()
            .zip(scores.iter().zip(data.targets().iter()))
            .enumerate()
        {
            let class = if loss.is_classification() {
                usize::from(y == 1.0)
            } else {
                0
            };
            if !classes.contains(&class) {
                continue;
            }
            let w = weights.map_or(1.0, |w| w[row]);
            soft[g] += w * self.quantity.soft(loss, s, y).0;
            hard[g] += w * self.quantity.hard(loss, s, y);
            total[g] += w;
        }
        for g in 0..n_groups {
            if total[g] <= 0.0 {
                return Err(TrainError::EmptyCell {
                    group: groups.names()[g].clone(),
                    what: self.condition.lacks(),
                    statistic: self.name(),
                });
            }
            soft[g] /= total[g];
            hard[g] /= total[g];
        }
        Ok(GroupValues {
            statistic: *self,
            groups: groups.names().to_vec(),
            soft,
            hard,
            weights: total,
        })
    }

    /// The error for a group that lacks the rows this statistic needs.
    pub(crate) fn empty_cell(&self, group: &str) -> TrainError {
        TrainError::EmptyCell {
            group: group.to_string(),
            what: self.condition.lacks(),
            statistic: self.name(),
        }
    }
}

/// A statistic's value in every group, soft and on hard decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupValues {
    /// The statistic.
    pub statistic: Statistic,
    /// Group names, indexed like the values.
    pub groups: Vec<String>,
    /// Values on soft scores (probabilities).
    pub soft: Vec<f64>,
    /// Values on hard decisions.
    pub hard: Vec<f64>,
    /// Total sample weight of each group's cell (its row count without weights).
    pub weights: Vec<f64>,
}

impl GroupValues {
    /// max − min of the soft values: the gap a penalty or a target controls.
    pub fn soft_gap(&self) -> f64 {
        range(&self.soft)
    }

    /// max − min of the hard values: the gap the corresponding metric reports.
    pub fn hard_gap(&self) -> f64 {
        range(&self.hard)
    }
}

pub(crate) fn range(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    max - min
}
