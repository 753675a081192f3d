//! The classification metrics every sweep point records, from a model's probabilities or from
//! (possibly randomised) decisions.

use fairfit_data::{FairDataset, Groups};
use ndarray::{Array1, ArrayView1};

use crate::curve::names;
use crate::error::{EvalError, Result};
use crate::frame::{Entry, MetricFrame};
use crate::metrics::{
    accuracy, balanced_accuracy, demographic_parity_difference, demographic_parity_ratio,
    equal_opportunity_difference, equalized_odds_difference, roc_auc, Aggregate, Measure, Outcomes,
};

/// The names of the metrics a regression model's sweep points record
/// ([`regression_metrics`]).
pub mod regression_names {
    /// Mean squared error.
    pub const MSE: &str = "mse";
    /// Coefficient of determination R².
    pub const R2: &str = "r2";
    /// Largest minus smallest group mean prediction (regression's demographic parity).
    pub const MEAN_PREDICTION_GAP: &str = "mean_prediction_gap";
    /// The largest group MSE (what bounded group loss pulls down).
    pub const MAX_GROUP_MSE: &str = "max_group_mse";
}

/// The metrics of a regression model's `predictions` on a data set with real targets, named by
/// [`regression_names`]: MSE, R², the mean-prediction gap between groups and the largest group
/// MSE, weighted by the data set's sample weights when it has any. A metric undefined for some
/// group (a group without rows) is an [`EvalError::Undefined`].
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::eval::sweep::{regression_metrics, regression_names as n};
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "b", "b"], None)?;
/// let data = FairDataset::new(ndarray::Array2::zeros((4, 1)), array![1., 3., 0., 2.], vec![g])?;
/// let m = regression_metrics(array![1., 3., 1., 1.].view(), &data)?;
/// let get = |name| m.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).unwrap();
/// assert_eq!(get(n::MSE), 0.5);
/// assert_eq!(get(n::MEAN_PREDICTION_GAP), 1.0);
/// assert_eq!(get(n::MAX_GROUP_MSE), 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn regression_metrics(
    predictions: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, f64)>> {
    check_rows("predictions", predictions.len(), data)?;
    let mut outcomes = Outcomes::regression(&data.targets().to_vec(), &predictions.to_vec())?;
    if let Some(w) = data.weights() {
        outcomes = outcomes.with_weights(&w.to_vec())?;
    }
    let frame = MetricFrame::new(
        &outcomes,
        data.groups(),
        &[&Measure::Mse, &Measure::R2, &Measure::MeanPrediction],
    )?;
    let get = |metric: &str, entry| -> Result<f64> {
        frame
            .estimate(metric, entry)?
            .value
            .map_err(|u| EvalError::Undefined {
                metric: metric.to_string(),
                group: None,
                reason: u.reason.to_string(),
            })
    };
    use regression_names as n;
    Ok(vec![
        (n::MSE, get("mean_squared_error", Entry::Overall)?),
        (n::R2, get("r2", Entry::Overall)?),
        (
            n::MEAN_PREDICTION_GAP,
            get("mean_prediction", Entry::Summary(Aggregate::Difference))?,
        ),
        (
            n::MAX_GROUP_MSE,
            get("mean_squared_error", Entry::Summary(Aggregate::Max))?,
        ),
    ])
}

/// The metrics of a probabilistic classifier on a labelled data set, named by [`names`]:
/// accuracy, balanced accuracy, ROC AUC, demographic-parity difference and ratio,
/// equalized-odds difference and equal-opportunity (TPR) difference. The ratio is left out
/// when no group selects anyone (it is 0 / 0 then).
///
/// Decisions are `probability ≥ 0.5`; the ROC AUC ranks by the probabilities. The data set's
/// sample weights, when it has any, weight every metric; disparities are taken over its active
/// groups. A disparity that is undefined for some group (a group without positives, or no group
/// selecting anyone for the ratio) is an [`EvalError::Undefined`] naming the group, never a
/// silently smaller number.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use fairfit::eval::curve::names;
/// use fairfit::eval::sweep::classification_metrics;
/// use ndarray::array;
/// let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "b", "b", "b"], None)?;
/// let data = FairDataset::new(ndarray::Array2::zeros((6, 1)), array![1., 1., 0., 1., 0., 0.], vec![g])?;
/// let p = array![0.9, 0.6, 0.7, 0.4, 0.3, 0.1]; // selects a: 3/3, b: 0/3
/// let m = classification_metrics(p.view(), &data)?;
/// let get = |name| m.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap();
/// assert_eq!(get(names::ACCURACY), 4.0 / 6.0);
/// assert_eq!(get(names::DP_DIFFERENCE), 1.0);
/// assert_eq!(get(names::TPR_DIFFERENCE), 1.0);
/// assert_eq!(get(names::ROC_AUC), 7.0 / 9.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn classification_metrics(
    probabilities: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, f64)>> {
    check_rows("probabilities", probabilities.len(), data)?;
    for (row, &p) in probabilities.iter().enumerate() {
        if !p.is_finite() {
            return Err(EvalError::NonFinite {
                what: "probabilities",
                row,
                value: p,
            });
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(EvalError::OutOfDomain {
                what: "probabilities",
                row,
                value: p,
                domain: "[0, 1]",
            });
        }
    }
    decision_metrics(decisions(probabilities).view(), probabilities, data)
}

/// The hard decisions of a probabilistic classifier: 1 where `probability ≥ 0.5`, else 0.
pub(crate) fn decisions(probabilities: ArrayView1<'_, f64>) -> Array1<f64> {
    probabilities.mapv(|p| if p >= 0.5 { 1.0 } else { 0.0 })
}

/// The same metrics as [`classification_metrics`] for decisions that may be randomised: row `i`
/// receives the favourable decision with probability `decision[i]` (0 or 1 for a deterministic
/// rule, as [`FittedThresholds::decision_probability`] returns). Every metric is its *expected*
/// value over the randomisation, computed exactly (a row decided with probability `p` counts as
/// a selected copy of weight `p` and a rejected copy of weight `1 − p`); `scores` rank the rows
/// for the ROC AUC.
///
/// [`FittedThresholds::decision_probability`]: fairfit_train::postprocess::FittedThresholds::decision_probability
pub fn decision_metrics(
    decision: ArrayView1<'_, f64>,
    scores: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, f64)>> {
    check_rows("decision probabilities", decision.len(), data)?;
    check_rows("scores", scores.len(), data)?;
    let labels = data.labels()?;
    let weights = data.weights_or_ones();
    let groups = data.groups();
    let n = labels.len();
    let (mut y, mut y_hat, mut w, mut g) = (
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
        Vec::with_capacity(n),
    );
    for (row, &p) in decision.iter().enumerate() {
        if !(0.0..=1.0).contains(&p) {
            return Err(EvalError::OutOfDomain {
                what: "decision probabilities",
                row,
                value: p,
                domain: "[0, 1]",
            });
        }
        for (selected, share) in [(true, p), (false, 1.0 - p)] {
            if share > 0.0 {
                y.push(labels[row]);
                y_hat.push(selected);
                w.push(weights[row] * share);
                g.push(groups.of_row()[row]);
            }
        }
    }
    let copies = Groups::new(groups.names().to_vec(), g)?;
    let w = Some(w.as_slice());
    let scores = scores.to_vec();
    let plain_weights = data.weights().map(|w| w.to_vec());
    let mut metrics = vec![
        (names::ACCURACY, accuracy(&y, &y_hat, w)?),
        (names::BALANCED_ACCURACY, balanced_accuracy(&y, &y_hat, w)?),
        (
            names::ROC_AUC,
            roc_auc(&labels, &scores, plain_weights.as_deref())?,
        ),
        (
            names::DP_DIFFERENCE,
            demographic_parity_difference(&y_hat, &copies, w)?.strict()?,
        ),
        (
            names::EO_DIFFERENCE,
            equalized_odds_difference(&y, &y_hat, &copies, w)?.strict()?,
        ),
        (
            names::TPR_DIFFERENCE,
            equal_opportunity_difference(&y, &y_hat, &copies, w)?.strict()?,
        ),
    ];
    // The ratio is 0 / 0 when no group selects anyone (a trivial rule): left out, not invented.
    match demographic_parity_ratio(&y_hat, &copies, w) {
        Ok(ratio) => metrics.insert(4, (names::DP_RATIO, ratio.strict()?)),
        Err(EvalError::Undefined { .. }) => {}
        Err(e) => return Err(e),
    }
    Ok(metrics)
}

fn check_rows(what: &str, found: usize, data: &FairDataset) -> Result<()> {
    if found != data.nrows() {
        return Err(EvalError::LengthMismatch {
            what: what.to_string(),
            expected: data.nrows(),
            found,
        });
    }
    if found == 0 {
        return Err(EvalError::Empty(format!(
            "{what}: the data set has no rows"
        )));
    }
    Ok(())
}
