//! [`Outcomes`]: the validated per-row inputs of an evaluation, and [`View`], a weighted
//! window onto some of its rows.

use crate::error::{EvalError, Result};
use crate::metrics::{Input, Metric};

/// The per-row inputs of an evaluation, checked once: the truth (binary labels or real targets),
/// hard predictions and/or scores, and sample weights (ones when none are given).
///
/// Every array has one entry per row; scores, targets and weights are finite; weights are
/// non-negative with a positive sum. Which inputs a metric needs is checked by
/// [`Outcomes::check`] before the metric runs.
///
/// ```
/// use fairfit::eval::metrics::{Outcomes, Measure, evaluate};
/// let out = Outcomes::classification(&[true, false, true, false], &[true, true, false, false])?
///     .with_scores(&[0.9, 0.6, 0.4, 0.1])?
///     .with_weights(&[1.0, 1.0, 2.0, 1.0])?;
/// assert_eq!(evaluate(&Measure::Accuracy, &out)?, 0.4); // (1 + 1) / 5
/// // Weighted Mann-Whitney: (1·1 + 1·1 + 2·1) / (3 · 2) concordant (positive, negative) pairs.
/// assert!((evaluate(&Measure::RocAuc, &out)? - 4.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Outcomes {
    n: usize,
    labels: Option<Vec<bool>>,
    targets: Option<Vec<f64>>,
    predictions: Option<Vec<bool>>,
    scores: Option<Vec<f64>>,
    weights: Vec<f64>,
}

impl Outcomes {
    fn empty_of(n: usize, what: &str) -> Result<Self> {
        if n == 0 {
            return Err(EvalError::Empty(format!("{what} has no rows")));
        }
        Ok(Self {
            n,
            labels: None,
            targets: None,
            predictions: None,
            scores: None,
            weights: vec![1.0; n],
        })
    }

    /// Binary labels and hard predictions (classification).
    pub fn classification(y_true: &[bool], y_pred: &[bool]) -> Result<Self> {
        let mut out = Self::empty_of(y_true.len(), "y_true")?;
        out.labels = Some(y_true.to_vec());
        out.with_predictions(y_pred)
    }

    /// Binary labels only; add predictions or scores with the `with_*` methods.
    pub fn labels_only(y_true: &[bool]) -> Result<Self> {
        let mut out = Self::empty_of(y_true.len(), "y_true")?;
        out.labels = Some(y_true.to_vec());
        Ok(out)
    }

    /// The labels (targets that must be 0/1) and sample weights of a data set; add predictions
    /// or scores with the `with_*` methods.
    ///
    /// ```
    /// use fairfit::data::{FairDataset, SensitiveAttribute};
    /// use fairfit::eval::metrics::{evaluate, Measure, Outcomes};
    /// use ndarray::array;
    /// let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F"], None)?;
    /// let data = FairDataset::new(array![[1.0], [2.0], [3.0]], array![1.0, 0.0, 1.0], vec![sex])?
    ///     .with_weights(array![1.0, 1.0, 2.0])?;
    /// let out = Outcomes::from_dataset(&data)?.with_scores(&[0.8, 0.3, 0.4])?.with_threshold(0.5)?;
    /// assert_eq!(out.predictions(), Some(&[true, false, false][..]));
    /// assert_eq!(evaluate(&Measure::Accuracy, &out)?, 0.5); // (1 + 1) / 4
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_dataset(data: &fairfit_data::FairDataset) -> Result<Self> {
        let labels = binary_labels("targets", &data.targets().to_vec())?;
        let out = Self::labels_only(&labels)?;
        match data.weights() {
            Some(w) => out.with_weights(&w.to_vec()),
            None => Ok(out),
        }
    }

    /// Sets the hard predictions from the scores: `ŷᵢ = [sᵢ ≥ threshold]`, fairfit's rule (a
    /// score exactly at the threshold is decided 1; scikit-learn's `predict` decides `p > 0.5`,
    /// so the two differ only on rows exactly at the threshold). An error without scores or
    /// with a non-finite threshold.
    pub fn with_threshold(mut self, threshold: f64) -> Result<Self> {
        if !threshold.is_finite() {
            return Err(EvalError::InvalidParameter {
                name: "threshold",
                reason: format!("the threshold must be finite, got {threshold}"),
            });
        }
        let scores = self
            .scores
            .as_ref()
            .ok_or_else(|| EvalError::MissingInput {
                metric: "threshold".into(),
                what: "scores",
            })?;
        self.predictions = Some(scores.iter().map(|&s| s >= threshold).collect());
        Ok(self)
    }

    /// Binary labels and real scores, without hard predictions (for ROC AUC, log-loss, ...).
    pub fn scored(y_true: &[bool], scores: &[f64]) -> Result<Self> {
        let mut out = Self::empty_of(y_true.len(), "y_true")?;
        out.labels = Some(y_true.to_vec());
        out.with_scores(scores)
    }

    /// Hard predictions only (enough for selection rates and demographic parity).
    pub fn predictions_only(y_pred: &[bool]) -> Result<Self> {
        let mut out = Self::empty_of(y_pred.len(), "y_pred")?;
        out.predictions = Some(y_pred.to_vec());
        Ok(out)
    }

    /// Real targets and real predictions (regression); the predictions are the scores.
    pub fn regression(y_true: &[f64], y_pred: &[f64]) -> Result<Self> {
        let mut out = Self::empty_of(y_true.len(), "y_true")?;
        check_finite("y_true", y_true)?;
        out.targets = Some(y_true.to_vec());
        out.with_scores(y_pred)
    }

    /// Adds (or replaces) the hard predictions.
    pub fn with_predictions(mut self, y_pred: &[bool]) -> Result<Self> {
        self.check_len("y_pred", y_pred.len())?;
        self.predictions = Some(y_pred.to_vec());
        Ok(self)
    }

    /// Adds (or replaces) the scores: probabilities, decision values or regression predictions.
    /// They must be finite (a NaN score is an error, never silently ranked).
    pub fn with_scores(mut self, scores: &[f64]) -> Result<Self> {
        self.check_len("scores", scores.len())?;
        check_finite("scores", scores)?;
        self.scores = Some(scores.to_vec());
        Ok(self)
    }

    /// Adds sample weights: finite, non-negative, with a positive sum.
    pub fn with_weights(mut self, weights: &[f64]) -> Result<Self> {
        self.check_len("weights", weights.len())?;
        check_finite("weights", weights)?;
        if let Some((row, &value)) = weights.iter().enumerate().find(|(_, &w)| w < 0.0) {
            return Err(EvalError::OutOfDomain {
                what: "weights",
                row,
                value,
                domain: "[0, inf)",
            });
        }
        if weights.iter().sum::<f64>() <= 0.0 {
            return Err(EvalError::InvalidParameter {
                name: "weights",
                reason: "all weights are zero".into(),
            });
        }
        self.weights = weights.to_vec();
        Ok(self)
    }

    /// Adds sample weights when some are given (a convenience for optional weights).
    pub fn with_optional_weights(self, weights: Option<&[f64]>) -> Result<Self> {
        match weights {
            Some(w) => self.with_weights(w),
            None => Ok(self),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: outcomes have at least one row.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The binary labels, if given.
    pub fn labels(&self) -> Option<&[bool]> {
        self.labels.as_deref()
    }

    /// The real targets, if given.
    pub fn targets(&self) -> Option<&[f64]> {
        self.targets.as_deref()
    }

    /// The hard predictions, if given.
    pub fn predictions(&self) -> Option<&[bool]> {
        self.predictions.as_deref()
    }

    /// The scores, if given.
    pub fn scores(&self) -> Option<&[f64]> {
        self.scores.as_deref()
    }

    /// The sample weights (ones when none were given).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// A view of all rows with their sample weights.
    pub fn view(&self) -> View<'_> {
        self.view_with(0..self.n, &self.weights)
    }

    /// A view of the rows in `range`, weighted by `weights` (one entry per row of the range).
    pub(crate) fn view_with<'a>(
        &'a self,
        range: std::ops::Range<usize>,
        weights: &'a [f64],
    ) -> View<'a> {
        View {
            labels: self.labels.as_deref().map(|v| &v[range.clone()]),
            targets: self.targets.as_deref().map(|v| &v[range.clone()]),
            predictions: self.predictions.as_deref().map(|v| &v[range.clone()]),
            scores: self.scores.as_deref().map(|v| &v[range]),
            weights,
        }
    }

    /// The rows at these indices, in this order.
    pub(crate) fn select(&self, rows: &[usize]) -> Self {
        fn pick<T: Copy>(v: &Option<Vec<T>>, rows: &[usize]) -> Option<Vec<T>> {
            v.as_ref().map(|v| rows.iter().map(|&r| v[r]).collect())
        }
        Self {
            n: rows.len(),
            labels: pick(&self.labels, rows),
            targets: pick(&self.targets, rows),
            predictions: pick(&self.predictions, rows),
            scores: pick(&self.scores, rows),
            weights: rows.iter().map(|&r| self.weights[r]).collect(),
        }
    }

    /// Checks that the inputs `metric` reads are present (probabilities also in \[0, 1\]) and
    /// that its parameters are valid.
    pub fn check(&self, metric: &dyn Metric) -> Result<()> {
        metric.check_params()?;
        for &input in metric.requires() {
            let present = match input {
                Input::Labels => self.labels.is_some(),
                Input::Targets => self.targets.is_some(),
                Input::Predictions => self.predictions.is_some(),
                Input::Scores => self.scores.is_some(),
                Input::Probabilities => match &self.scores {
                    None => false,
                    Some(s) => {
                        if let Some((row, &value)) = s
                            .iter()
                            .enumerate()
                            .find(|(_, p)| !(0.0..=1.0).contains(*p))
                        {
                            return Err(EvalError::OutOfDomain {
                                what: "scores",
                                row,
                                value,
                                domain: "[0, 1] (probabilities)",
                            });
                        }
                        true
                    }
                },
            };
            if !present {
                return Err(EvalError::MissingInput {
                    metric: metric.name(),
                    what: input.describe(),
                });
            }
        }
        Ok(())
    }

    fn check_len(&self, what: &str, found: usize) -> Result<()> {
        if found == self.n {
            Ok(())
        } else {
            Err(EvalError::LengthMismatch {
                what: what.to_string(),
                expected: self.n,
                found,
            })
        }
    }
}

fn check_finite(what: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        Some((row, &value)) => Err(EvalError::NonFinite { what, row, value }),
        None => Ok(()),
    }
}

/// Converts 0/1 numbers (e.g. [`fairfit_data::FairDataset::targets`] or thresholded model
/// output) to labels; anything else is an [`EvalError::OutOfDomain`] naming the row.
///
/// ```
/// use fairfit::eval::metrics::binary_labels;
/// assert_eq!(binary_labels("y_true", &[1.0, 0.0])?, vec![true, false]);
/// assert!(binary_labels("y_true", &[1.0, 0.5]).is_err());
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn binary_labels(what: &'static str, values: &[f64]) -> Result<Vec<bool>> {
    values
        .iter()
        .enumerate()
        .map(|(row, &value)| {
            if value == 1.0 {
                Ok(true)
            } else if value == 0.0 {
                Ok(false)
            } else {
                Err(EvalError::OutOfDomain {
                    what,
                    row,
                    value,
                    domain: "{0, 1}",
                })
            }
        })
        .collect()
}

/// A weighted set of rows a metric is computed on: all rows, one group's rows, or a bootstrap
/// replicate (the same rows with resampled weights). Inputs that were not given are `None`.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    labels: Option<&'a [bool]>,
    targets: Option<&'a [f64]>,
    predictions: Option<&'a [bool]>,
    scores: Option<&'a [f64]>,
    weights: &'a [f64],
}

impl<'a> View<'a> {
    /// The binary labels `y`.
    pub fn labels(&self) -> Option<&'a [bool]> {
        self.labels
    }

    /// The real targets `y` (regression).
    pub fn targets(&self) -> Option<&'a [f64]> {
        self.targets
    }

    /// The hard predictions `ŷ`.
    pub fn predictions(&self) -> Option<&'a [bool]> {
        self.predictions
    }

    /// The scores `s` (probabilities, decision values or regression predictions).
    pub fn scores(&self) -> Option<&'a [f64]> {
        self.scores
    }

    /// The weight of every row.
    pub fn weights(&self) -> &'a [f64] {
        self.weights
    }

    /// Number of rows in the view (whatever their weights).
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the view has no rows.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// `W = Σ wᵢ`.
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::Measure;

    #[test]
    fn rejects_bad_inputs_with_typed_errors() {
        assert!(matches!(
            Outcomes::classification(&[], &[]),
            Err(EvalError::Empty(_))
        ));
        assert!(matches!(
            Outcomes::classification(&[true, false], &[true]),
            Err(EvalError::LengthMismatch {
                expected: 2,
                found: 1,
                ..
            })
        ));
        assert!(matches!(
            Outcomes::scored(&[true, false], &[0.5, f64::NAN]),
            Err(EvalError::NonFinite {
                what: "scores",
                row: 1,
                ..
            })
        ));
        let out = Outcomes::classification(&[true, false], &[true, true]).unwrap();
        assert!(matches!(
            out.clone().with_weights(&[1.0, -1.0]),
            Err(EvalError::OutOfDomain {
                what: "weights",
                row: 1,
                ..
            })
        ));
        assert!(matches!(
            out.clone().with_weights(&[0.0, 0.0]),
            Err(EvalError::InvalidParameter {
                name: "weights",
                ..
            })
        ));
        assert!(matches!(
            out.check(&Measure::RocAuc),
            Err(EvalError::MissingInput { what: "scores", .. })
        ));
        let out = out.with_scores(&[0.5, 1.5]).unwrap();
        assert!(matches!(
            out.check(&Measure::LogLoss),
            Err(EvalError::OutOfDomain {
                what: "scores",
                row: 1,
                ..
            })
        ));
        assert!(out.check(&Measure::RocAuc).is_ok());
        assert!(matches!(
            binary_labels("y", &[0.0, 2.0]),
            Err(EvalError::OutOfDomain { row: 1, .. })
        ));
    }
}
