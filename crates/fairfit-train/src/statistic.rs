//! Group statistics of a model's scores: the data crate's [`Statistic`] (a per-row quantity
//! over a group × condition cell, read by [`GroupCells`]) evaluated on the linear scores
//! `s = x·w + b` of a fitted or candidate model, both soft (what penalties and targets
//! differentiate) and on hard decisions (what the metric of the same name measures).
//!
//! On hard decisions the value comes from the same engine, the same decision rule
//! ([`decide`]) and the same quantity definitions as evaluation's metrics, so a penalty's hard
//! value and the metric of its notion cannot drift apart.

use fairfit_data::fairness::{decide, GroupCells, Quantity, Statistic};
use fairfit_data::FairDataset;
use ndarray::ArrayView1;
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::loss::{sigmoid, softplus, Loss};

/// The soft value of a quantity and its first and second derivative with respect to the
/// score, with `p = σ(s)` already computed (the objective's inner loop has it).
#[inline]
pub(crate) fn soft_given(
    quantity: Quantity,
    loss: Loss,
    s: f64,
    y: f64,
    p: f64,
) -> (f64, f64, f64) {
    match quantity {
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
        // Refused by `check_statistic` before any objective is built.
        Quantity::Label => (y, 0.0, 0.0),
    }
}

/// A quantity as the objective averages it. A logistic model's rates (predictions, errors) are
/// taken on `σ(c·s)`: sharpness `c > 1` brings the soft rate closer to the rate of the hard
/// decisions, which do not change when scores are scaled. Other quantities ignore it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SoftQuantity {
    pub(crate) quantity: Quantity,
    pub(crate) sharpness: f64,
}

impl SoftQuantity {
    /// The soft value and its first and second score derivatives, with `p = σ(s)` given.
    #[inline]
    pub(crate) fn at(self, loss: Loss, s: f64, y: f64, p: f64) -> (f64, f64, f64) {
        let sharpened = loss == Loss::Logistic
            && matches!(self.quantity, Quantity::Prediction | Quantity::Error);
        if !sharpened || self.sharpness == 1.0 {
            return soft_given(self.quantity, loss, s, y, p);
        }
        let c = self.sharpness;
        let (v, d1, d2) = soft_given(self.quantity, loss, c * s, y, sigmoid(c * s));
        (v, c * d1, c * c * d2)
    }
}

/// The model's prediction for a row: the decision (`s ≥ 0`) or the probability `σ(s)` of a
/// logistic model, the value `s` of a linear one.
#[inline]
fn prediction(loss: Loss, s: f64, hard: bool) -> f64 {
    match (loss, hard) {
        (Loss::Logistic, true) => f64::from(u8::from(decide(s))),
        (Loss::Logistic, false) => sigmoid(s),
        (Loss::Squared, _) => s,
    }
}

/// The quantity of one row on hard decisions or on soft outputs.
#[inline]
fn quantity_at(quantity: Quantity, loss: Loss, s: f64, y: f64, hard: bool) -> f64 {
    let p = prediction(loss, s, hard);
    if let Some(q) = quantity.of_prediction(y, p) {
        return q;
    }
    match (quantity, hard) {
        (Quantity::Margin, true) => (2.0 * y - 1.0) * s.min(0.0),
        (Quantity::Loss, _) => loss.eval(s, y).0,
        (Quantity::Score, _) => s,
        _ => soft_given(quantity, loss, s, y, sigmoid(s)).0,
    }
}

/// Fails with [`TrainError::Unsupported`] when a statistic cannot be trained on with this
/// loss: label or error statistics for a regression, and statistics that are not smooth in the
/// scores (prediction conditions, the label itself) for anything.
pub(crate) fn check_statistic(
    statistic: &Statistic,
    loss: Loss,
    model: &'static str,
) -> Result<()> {
    let reason = if !statistic.is_smooth() {
        "it conditions on the model's own decisions or reads only labels, so it has no gradient \
         in the scores (evaluate it, or use post-processing)"
    } else if !loss.is_classification() && statistic.needs_classification() {
        match statistic.quantity {
            Quantity::Error => "an error rate needs binary decisions",
            Quantity::Margin => "a margin needs binary labels",
            _ => "conditioning on the label needs binary labels",
        }
    } else {
        return Ok(());
    };
    Err(TrainError::Unsupported {
        statistic: statistic.name(),
        model,
        reason,
    })
}

/// A statistic's readable name under `loss` (a regression's mean prediction is no rate).
pub(crate) fn name_for(statistic: &Statistic, loss: Loss) -> String {
    if loss.is_classification() {
        statistic.name()
    } else {
        statistic.name_for_regression()
    }
}

/// The error for a group whose cell of `statistic` has no weight.
pub(crate) fn empty_cell(statistic: &Statistic, group: &str) -> TrainError {
    TrainError::EmptyCell {
        group: group.to_string(),
        reason: statistic.condition.lacks(),
        statistic: statistic.name(),
    }
}

/// A [`Statistic`] evaluated on a model's scores.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::train::{EvaluateOnScores, Loss, Statistic};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
/// let x = array![[0.0], [0.0], [0.0], [0.0]];
/// let data = FairDataset::new(x, array![1.0, 0.0, 1.0, 0.0], vec![sex])?;
/// let scores = array![2.0, -1.0, 0.5, 0.5];
/// let v = Statistic::positive_rate().evaluate(Loss::Logistic, &data, scores.view())?;
/// assert_eq!(v.hard, vec![0.5, 1.0]);
/// assert!((v.hard_gap() - 0.5).abs() < 1e-15);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait EvaluateOnScores {
    /// The statistic per group of `data` for the scores (`x·w + b` per row), both soft (what
    /// penalties see) and on hard decisions (what the metric measures).
    ///
    /// Fails when the scores do not have one entry per row or a group has no weight in the
    /// statistic's cell (e.g. no positives for a TPR).
    fn evaluate(
        &self,
        loss: Loss,
        data: &FairDataset,
        scores: ArrayView1<'_, f64>,
    ) -> Result<GroupValues>;
}

impl EvaluateOnScores for Statistic {
    fn evaluate(
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
        let cells = GroupCells::of(data);
        let targets = data.targets();
        let (quantity, condition) = (self.quantity, self.condition);
        let at = |hard: bool| {
            cells.sums(|i| {
                let (s, y) = (scores[i], targets[i]);
                let m = condition.membership(y, prediction(loss, s, hard));
                (m, quantity_at(quantity, loss, s, y, hard))
            })
        };
        let (soft_sum, soft_weight) = at(false);
        let (hard_sum, hard_weight) = at(true);
        let soft = cells.means_from_sums(*self, &soft_sum, &soft_weight);
        let hard = cells.means_from_sums(*self, &hard_sum, &hard_weight);
        let defined = |m: fairfit_data::fairness::GroupMeans| {
            m.defined().map_err(|(group, _)| empty_cell(self, &group))
        };
        Ok(GroupValues {
            statistic: *self,
            groups: data.groups().names().to_vec(),
            soft: defined(soft)?,
            hard: defined(hard)?,
            weights: soft_weight,
        })
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

/// The statistics of the model `theta` on the training data an objective was built from, scored
/// through the objective's own design matrix (sparse where it is, on both cores): what paths and
/// targets report as training gaps.
pub(crate) fn training_gaps<K: crate::loss::ModelKind>(
    scores: Result<ndarray::Array1<f64>>,
    data: &FairDataset,
    statistics: &[Statistic],
) -> Result<Vec<GroupValues>> {
    let scores = scores?;
    statistics
        .iter()
        .map(|s| s.evaluate(K::LOSS, data, scores.view()))
        .collect()
}
