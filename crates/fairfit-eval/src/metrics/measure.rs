//! [`Measure`]: the catalogue of built-in metrics, each a [`Metric`].

use fairfit_data::fairness::{Condition, Quantity, Statistic};
use serde::{Deserialize, Serialize};

use crate::error::{EvalError, Result};
use crate::metrics::{
    calibration, individual, performance, Confusion, Input, Metric, Undefined, Value, View,
};

/// The built-in metrics. Each is computed on a weighted set of rows (all rows, one group, or a
/// bootstrap replicate) with weights `wᵢ` and total weight `W = Σ wᵢ`; labels `y ∈ {0, 1}`,
/// predictions `ŷ ∈ {0, 1}`, scores or probabilities `s`/`p`, regression targets `y ∈ ℝ`.
///
/// The definitions are Fairlearn's (`fairlearn.metrics`) and scikit-learn's with `sample_weight`
/// (and AIF360's for the generalized entropy index). Where those return 0 for a zero denominator,
/// the value here is [`Undefined`]. Every *mean loss* of the issue's per-group list is one of
/// [`Measure::ErrorRate`] (zero-one), [`Measure::LogLoss`], [`Measure::Brier`],
/// [`Measure::Mse`] and [`Measure::Mae`], evaluated per group.
///
/// ```
/// use fairfit::eval::metrics::{evaluate, Measure, Outcomes};
/// let out = Outcomes::classification(&[true, true, false, false], &[true, false, true, false])?;
/// assert_eq!(evaluate(&Measure::Tpr, &out)?, 0.5);
/// assert_eq!(evaluate(&Measure::SelectionRate, &out)?, 0.5);
/// assert_eq!(Measure::Tpr.to_string(), "true_positive_rate");
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Measure {
    /// Weighted row count `W` (Fairlearn's `count` with unit weights).
    Count,
    /// `P(ŷ = 1) = Σ wᵢŷᵢ / W` (Fairlearn's `selection_rate`).
    SelectionRate,
    /// `(TP + TN) / W` (scikit-learn's `accuracy_score`).
    Accuracy,
    /// `(TPR + TNR) / 2` (scikit-learn's `balanced_accuracy_score`, binary).
    BalancedAccuracy,
    /// `(FP + FN) / W`, the zero-one loss (1 − accuracy).
    ErrorRate,
    /// True positive rate / recall `TP / (TP + FN)`.
    Tpr,
    /// False positive rate `FP / (FP + TN)`.
    Fpr,
    /// False negative rate `FN / (TP + FN)`.
    Fnr,
    /// True negative rate / specificity `TN / (TN + FP)`.
    Tnr,
    /// Positive predictive value / precision `TP / (TP + FP)`.
    Ppv,
    /// Negative predictive value `TN / (TN + FN)`.
    Npv,
    /// `2·TP / (2·TP + FP + FN)` (scikit-learn's `f1_score`).
    F1,
    /// Area under the ROC curve of the scores, ties counted ½ (weighted Mann–Whitney U;
    /// scikit-learn's `roc_auc_score`): `Σ_{i:y=1} Σ_{j:y=0} wᵢwⱼ([sᵢ > sⱼ] + ½[sᵢ = sⱼ]) / (W₁W₀)`.
    RocAuc,
    /// Cross-entropy `−Σ wᵢ[yᵢ ln pᵢ + (1−yᵢ) ln(1−pᵢ)] / W`, with `p` clipped to
    /// `[ε, 1−ε]`, `ε` = `f64::EPSILON` (scikit-learn's `log_loss`, `eps="auto"`).
    LogLoss,
    /// Brier score `Σ wᵢ(pᵢ − yᵢ)² / W` (scikit-learn's `brier_score_loss`).
    Brier,
    /// Expected calibration error with `bins` equal-width bins of \[0, 1\]
    /// (row `i` in bin `min(⌊pᵢ·bins⌋, bins−1)`): `Σ_b (W_b / W)·|ȳ_b − p̄_b|`, weighted means.
    Ece {
        /// Number of equal-width bins (at least 1; 10 is usual).
        bins: usize,
    },
    /// Mean of the scores / regression predictions `Σ wᵢsᵢ / W` (Fairlearn's `mean_prediction`).
    MeanPrediction,
    /// Mean squared error `Σ wᵢ(sᵢ − yᵢ)² / W` (regression).
    Mse,
    /// Mean absolute error `Σ wᵢ|sᵢ − yᵢ| / W` (regression).
    Mae,
    /// Coefficient of determination `1 − Σ wᵢ(yᵢ − sᵢ)² / Σ wᵢ(yᵢ − ȳ)²`, `ȳ` the weighted
    /// mean (scikit-learn's `r2_score`); undefined when all targets are equal (scikit-learn
    /// returns 1 or 0 there).
    R2,
    /// Generalized entropy index of the benefits `bᵢ = ŷᵢ − yᵢ + 1` (Speicher et al. 2018, as
    /// AIF360's `generalized_entropy_index`), with weights as repetitions; see
    /// [`individual::generalized_entropy_index`].
    GeneralizedEntropy {
        /// The index's α (2 in AIF360 by default; 1 gives the Theil index).
        alpha: f64,
    },
}

impl Measure {
    /// The group statistic of the shared vocabulary this measure is, if it is one: the rate
    /// measures are computed by the statistic's definition ([`Metric`] for [`Statistic`]).
    pub fn statistic(&self) -> Option<Statistic> {
        match self {
            Measure::SelectionRate => Some(Statistic::positive_rate()),
            Measure::Tpr => Some(Statistic::true_positive_rate()),
            Measure::Fpr => Some(Statistic::false_positive_rate()),
            Measure::Fnr => Some(Statistic::new(Quantity::Error, Condition::Positives)),
            Measure::ErrorRate => Some(Statistic::error_rate()),
            Measure::Ppv => Some(Statistic::positive_predictive_value()),
            _ => None,
        }
    }

    /// The catalogue's measure of a statistic, where the catalogue has one (its name and
    /// display follow Fairlearn); `None` for the statistics only the vocabulary names.
    pub fn of_statistic(statistic: Statistic) -> Option<Measure> {
        [
            Measure::SelectionRate,
            Measure::Tpr,
            Measure::Fpr,
            Measure::Fnr,
            Measure::ErrorRate,
            Measure::Ppv,
        ]
        .into_iter()
        .find(|m| m.statistic() == Some(statistic))
    }

    /// Precision, i.e. [`Measure::Ppv`].
    pub const PRECISION: Measure = Measure::Ppv;
    /// Recall, i.e. [`Measure::Tpr`].
    pub const RECALL: Measure = Measure::Tpr;
    /// The Theil index, i.e. the generalized entropy index with α = 1.
    pub const THEIL: Measure = Measure::GeneralizedEntropy { alpha: 1.0 };

    /// Every measure of the catalogue, the parametrised ones at their usual parameters (10
    /// calibration bins; α = 1, the Theil index), in declaration order.
    pub fn catalogue() -> Vec<Measure> {
        vec![
            Measure::Count,
            Measure::SelectionRate,
            Measure::Accuracy,
            Measure::BalancedAccuracy,
            Measure::ErrorRate,
            Measure::Tpr,
            Measure::Fpr,
            Measure::Fnr,
            Measure::Tnr,
            Measure::Ppv,
            Measure::Npv,
            Measure::F1,
            Measure::RocAuc,
            Measure::LogLoss,
            Measure::Brier,
            Measure::Ece { bins: 10 },
            Measure::MeanPrediction,
            Measure::Mse,
            Measure::Mae,
            Measure::R2,
            Measure::THEIL,
        ]
    }

    /// The measure of a name as frames print it (its [`Display`](std::fmt::Display)):
    /// `selection_rate`, `true_positive_rate`, ..., and the parametrised `ece_{bins}_bins` and
    /// `generalized_entropy_index_{alpha}` at any valid parameter; `None` for anything else.
    ///
    /// ```
    /// use fairfit::eval::metrics::Measure;
    /// assert_eq!(Measure::from_name("true_positive_rate"), Some(Measure::Tpr));
    /// assert_eq!(Measure::from_name("ece_5_bins"), Some(Measure::Ece { bins: 5 }));
    /// assert_eq!(Measure::from_name("recall"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Measure> {
        if let Some(m) = Measure::catalogue()
            .into_iter()
            .find(|m| m.to_string() == name)
        {
            return Some(m);
        }
        let parsed = if let Some(bins) = name
            .strip_prefix("ece_")
            .and_then(|r| r.strip_suffix("_bins"))
        {
            Measure::Ece {
                bins: bins.parse().ok()?,
            }
        } else {
            Measure::GeneralizedEntropy {
                alpha: name
                    .strip_prefix("generalized_entropy_index_")?
                    .parse()
                    .ok()?,
            }
        };
        parsed.check_params().is_ok().then_some(parsed)
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::Count => f.write_str("count"),
            Measure::SelectionRate => f.write_str("selection_rate"),
            Measure::Accuracy => f.write_str("accuracy"),
            Measure::BalancedAccuracy => f.write_str("balanced_accuracy"),
            Measure::ErrorRate => f.write_str("error_rate"),
            Measure::Tpr => f.write_str("true_positive_rate"),
            Measure::Fpr => f.write_str("false_positive_rate"),
            Measure::Fnr => f.write_str("false_negative_rate"),
            Measure::Tnr => f.write_str("true_negative_rate"),
            Measure::Ppv => f.write_str("positive_predictive_value"),
            Measure::Npv => f.write_str("negative_predictive_value"),
            Measure::F1 => f.write_str("f1"),
            Measure::RocAuc => f.write_str("roc_auc"),
            Measure::LogLoss => f.write_str("log_loss"),
            Measure::Brier => f.write_str("brier_score"),
            Measure::Ece { bins } => write!(f, "ece_{bins}_bins"),
            Measure::MeanPrediction => f.write_str("mean_prediction"),
            Measure::Mse => f.write_str("mean_squared_error"),
            Measure::Mae => f.write_str("mean_absolute_error"),
            Measure::R2 => f.write_str("r2"),
            Measure::GeneralizedEntropy { alpha } if *alpha == 1.0 => f.write_str("theil_index"),
            Measure::GeneralizedEntropy { alpha } => {
                write!(f, "generalized_entropy_index_{alpha}")
            }
        }
    }
}

const LABELS_PREDS: &[Input] = &[Input::Labels, Input::Predictions];

impl Metric for Measure {
    fn name(&self) -> String {
        self.to_string()
    }

    fn requires(&self) -> &'static [Input] {
        match self {
            Measure::Count => &[],
            Measure::SelectionRate => &[Input::Predictions],
            Measure::Accuracy
            | Measure::BalancedAccuracy
            | Measure::ErrorRate
            | Measure::Tpr
            | Measure::Fpr
            | Measure::Fnr
            | Measure::Tnr
            | Measure::Ppv
            | Measure::Npv
            | Measure::F1
            | Measure::GeneralizedEntropy { .. } => LABELS_PREDS,
            Measure::RocAuc => &[Input::Labels, Input::Scores],
            Measure::LogLoss | Measure::Brier | Measure::Ece { .. } => {
                &[Input::Labels, Input::Probabilities]
            }
            Measure::MeanPrediction => &[Input::Scores],
            Measure::Mse | Measure::Mae | Measure::R2 => &[Input::Targets, Input::Scores],
        }
    }

    fn check_params(&self) -> Result<()> {
        match *self {
            Measure::Ece { bins: 0 } => Err(EvalError::InvalidParameter {
                name: "bins",
                reason: "the expected calibration error needs at least one bin".into(),
            }),
            Measure::GeneralizedEntropy { alpha } if !alpha.is_finite() => {
                Err(EvalError::InvalidParameter {
                    name: "alpha",
                    reason: format!("the generalized entropy index needs a finite α, got {alpha}"),
                })
            }
            _ => Ok(()),
        }
    }

    fn compute(&self, view: &View<'_>) -> Value {
        const CHECKED: &str = "inputs listed in `requires` are checked before `compute`";
        let labels = || view.labels().expect(CHECKED);
        let preds = || view.predictions().expect(CHECKED);
        let scores = || view.scores().expect(CHECKED);
        let targets = || view.targets().expect(CHECKED);
        let w = view.weights();
        let confusion = || Confusion::new(labels(), preds(), w);
        match *self {
            Measure::Count => Ok(view.total_weight()),
            Measure::SelectionRate
            | Measure::Tpr
            | Measure::Fpr
            | Measure::Fnr
            | Measure::ErrorRate
            | Measure::Ppv => self
                .statistic()
                .expect("every rate measure maps to its statistic")
                .compute(view),
            Measure::Accuracy => confusion().accuracy(),
            Measure::BalancedAccuracy => confusion().balanced_accuracy(),
            Measure::Tnr => confusion().tnr(),
            Measure::Npv => confusion().npv(),
            Measure::F1 => confusion().f1(),
            Measure::RocAuc => performance::auc(labels(), scores(), w),
            Measure::LogLoss => performance::log_loss_of(labels(), scores(), w),
            Measure::Brier => performance::brier_of(labels(), scores(), w),
            Measure::Ece { bins } => calibration::ece(labels(), scores(), w, bins),
            Measure::MeanPrediction => performance::weighted_mean(scores(), w),
            Measure::Mse => performance::mean_loss(targets(), scores(), w, |d| d * d),
            Measure::Mae => performance::mean_loss(targets(), scores(), w, f64::abs),
            Measure::R2 => performance::r2(targets(), scores(), w),
            Measure::GeneralizedEntropy { alpha } => {
                individual::generalized_entropy_of(labels(), preds(), w, alpha)
            }
        }
    }
}

/// The reason used when no row carries weight.
pub(crate) const ZERO_WEIGHT: Undefined = Undefined {
    reason: "no rows (or zero total weight)",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_measure_and_nothing_else_does() {
        let all = Measure::catalogue();
        assert_eq!(all.len(), 21);
        for m in &all {
            assert_eq!(Measure::from_name(&m.to_string()), Some(*m), "{m}");
        }
        assert_eq!(
            Measure::from_name("generalized_entropy_index_2"),
            Some(Measure::GeneralizedEntropy { alpha: 2.0 })
        );
        assert_eq!(
            Measure::from_name("ece_3_bins"),
            Some(Measure::Ece { bins: 3 })
        );
        for bad in [
            "ece_0_bins",
            "ece_x_bins",
            "generalized_entropy_index_inf",
            "tpr",
            "",
        ] {
            assert_eq!(Measure::from_name(bad), None, "{bad}");
        }
    }
}
