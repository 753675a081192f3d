//! Bootstrap intervals of a sweep point's metrics: the model's decisions on one split are
//! resampled (stratified by group, seeded, in parallel — [`Bootstrap::statistics`]); the model
//! is not refitted, so an interval states the uncertainty of the *evaluation* on a finite split.
//!
//! Every interval comes from four columns per replicate — expected accuracy, selection rate,
//! TPR and FPR — from which accuracy, balanced accuracy, the demographic-parity difference and
//! ratio, the equalized-odds difference and the equal-opportunity difference follow exactly as
//! [`decision_metrics`](super::decision_metrics) defines them. Decisions may be randomised (a
//! decision probability per row): each column is then its expected value, as for the point
//! estimate, and resampling draws rows, never one half of a randomised row. The ROC AUC gets no
//! interval (it would need a sort per replicate).

use fairfit_data::FairDataset;
use ndarray::ArrayView1;

use crate::bootstrap::Bootstrap;
use crate::curve::names;
use crate::error::Result;
use crate::estimate::Interval;
use crate::metrics::{Aggregate, ByGroup, Input, Metric, Outcomes, Undefined, Value, View};

/// A rate of randomised decisions: the scores of the outcomes are the probabilities
/// `P(decision = 1)` of each row, and the rate is its expected value over the randomisation.
#[derive(Debug, Clone, Copy)]
enum Expected {
    /// `Σ w·(p·y + (1 − p)·(1 − y)) / Σ w`.
    Accuracy,
    /// `Σ w·p / Σ w`.
    SelectionRate,
    /// `Σ w·p·y / Σ w·y`.
    Tpr,
    /// `Σ w·p·(1 − y) / Σ w·(1 − y)`.
    Fpr,
}

impl Metric for Expected {
    fn name(&self) -> String {
        format!("expected_{self:?}").to_lowercase()
    }

    fn requires(&self) -> &'static [Input] {
        &[Input::Labels, Input::Scores]
    }

    fn compute(&self, view: &View<'_>) -> Value {
        let (y, p) = match (view.labels(), view.scores()) {
            (Some(y), Some(p)) => (y, p),
            _ => {
                return Err(Undefined {
                    reason: "labels and decision probabilities are required",
                })
            }
        };
        let (mut num, mut den) = (0.0, 0.0);
        for ((&yi, &pi), &wi) in y.iter().zip(p).zip(view.weights()) {
            let (n, d) = match self {
                Expected::Accuracy => (if yi { pi } else { 1.0 - pi }, 1.0),
                Expected::SelectionRate => (pi, 1.0),
                Expected::Tpr => (if yi { pi } else { 0.0 }, f64::from(u8::from(yi))),
                Expected::Fpr => (if yi { 0.0 } else { pi }, f64::from(u8::from(!yi))),
            };
            num += wi * n;
            den += wi * d;
        }
        crate::metrics::ratio(num, den, "no rows in the denominator")
    }
}

const COLUMNS: [Expected; 4] = [
    Expected::Accuracy,
    Expected::SelectionRate,
    Expected::Tpr,
    Expected::Fpr,
];

/// The metrics that get intervals, in the order [`statistics`] returns them.
const NAMES: [&str; 6] = [
    names::ACCURACY,
    names::BALANCED_ACCURACY,
    names::DP_DIFFERENCE,
    names::DP_RATIO,
    names::EO_DIFFERENCE,
    names::TPR_DIFFERENCE,
];

/// The metrics of [`NAMES`] from the four expected-rate columns of one replicate.
fn statistics(cols: &[ByGroup]) -> Vec<Value> {
    let [acc, sel, tpr, fpr] = cols else {
        return vec![Err(UNDEFINED); NAMES.len()];
    };
    let diff = |c: &ByGroup| c.disparity(Aggregate::Difference).map(|d| d.value);
    let strict_diff = |c: &ByGroup| -> Value {
        // A gap over fewer groups than exist is not the gap: undefined, as in the point value.
        match c.values().iter().all(Result::is_ok) {
            true => diff(c).map_err(|_| UNDEFINED),
            false => Err(UNDEFINED),
        }
    };
    let ratio = match sel.values().iter().all(Result::is_ok) {
        true => sel
            .disparity(Aggregate::Ratio)
            .map(|d| d.value)
            .map_err(|_| UNDEFINED),
        false => Err(UNDEFINED),
    };
    let eo = match (strict_diff(tpr), strict_diff(fpr)) {
        (Ok(a), Ok(b)) => Ok(a.max(b)),
        _ => Err(UNDEFINED),
    };
    let balanced = match (tpr.overall(), fpr.overall()) {
        (Ok(t), Ok(f)) => Ok((t + 1.0 - f) / 2.0),
        _ => Err(UNDEFINED),
    };
    vec![
        acc.overall(),
        balanced,
        strict_diff(sel),
        ratio,
        eo,
        strict_diff(tpr),
    ]
}

const UNDEFINED: Undefined = Undefined {
    reason: "undefined on this replicate (a group without positives or negatives)",
};

/// Percentile intervals of accuracy, balanced accuracy, DP difference and ratio, EO difference
/// and TPR difference of `decision` (probabilities of the favourable decision, 0/1 for a
/// deterministic rule) on `data`, by `data`'s groups and weights. A metric gets no interval
/// when it was defined in fewer than two replicates.
pub(crate) fn decision_intervals(
    bootstrap: &Bootstrap,
    decision: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, Interval)>> {
    let weights = data.weights().map(|w| w.to_vec());
    let outcomes = Outcomes::scored(&data.labels()?, &decision.to_vec())?
        .with_optional_weights(weights.as_deref())?;
    let metrics: Vec<&dyn Metric> = COLUMNS.iter().map(|m| m as &dyn Metric).collect();
    let (_, intervals) = bootstrap.statistics(&outcomes, data.groups(), &metrics, statistics)?;
    Ok(NAMES
        .into_iter()
        .zip(intervals)
        .filter_map(|(name, interval)| interval.map(|i| (name, i)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::BootstrapParams;
    use crate::sweep::decision_metrics;
    use fairfit_data::SensitiveAttribute;
    use ndarray::{Array1, Array2};
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    fn dataset(labels: &[f64], groups: &[&str]) -> FairDataset {
        let g = SensitiveAttribute::from_values("g", groups, None).unwrap();
        FairDataset::new(
            Array2::zeros((labels.len(), 1)),
            Array1::from(labels.to_vec()),
            vec![g],
        )
        .unwrap()
    }

    #[test]
    fn replicate_statistics_equal_the_point_metrics_for_randomised_decisions() {
        // On the data themselves (all weights one), the six statistics must be the values
        // `decision_metrics` computes with its copies construction.
        let y = [1., 0., 1., 1., 0., 0., 1., 0.];
        let g = ["a", "a", "a", "a", "b", "b", "b", "b"];
        let p = Array1::from(vec![0.9, 0.2, 1.0, 0.5, 0.3, 0.0, 0.7, 0.6]);
        let data = dataset(&y, &g);
        let outcomes = Outcomes::scored(&data.labels().unwrap(), &p.to_vec()).unwrap();
        let cols: Vec<ByGroup> = COLUMNS
            .iter()
            .map(|m| crate::metrics::by_group(m, &outcomes, data.groups()).unwrap())
            .collect();
        let values = statistics(&cols);
        let point = decision_metrics(p.view(), p.view(), &data).unwrap();
        for (name, value) in NAMES.iter().zip(values) {
            let want = point.iter().find(|(n, _)| n == name).unwrap().1;
            assert!(
                (value.unwrap() - want).abs() < 1e-12,
                "{name}: {value:?} vs {want}"
            );
        }
        // Hand check: selection rates a = (0.9+0.2+1+0.5)/4 = 0.65, b = (0.3+0+0.7+0.6)/4 = 0.4.
        let dp = statistics(&cols)[2].unwrap();
        assert!((dp - 0.25).abs() < 1e-12);
    }

    #[test]
    fn perfect_decisions_give_a_degenerate_accuracy_interval() {
        let y: Vec<f64> = (0..40).map(|i| f64::from(u8::from(i % 3 == 0))).collect();
        let g: Vec<&str> = (0..40)
            .map(|i| if i % 2 == 0 { "a" } else { "b" })
            .collect();
        let data = dataset(&y, &g);
        let boot = BootstrapParams::default().resamples(100).check().unwrap();
        let iv = decision_intervals(&boot, Array1::from(y.clone()).view(), &data).unwrap();
        let acc = iv.iter().find(|(n, _)| *n == names::ACCURACY).unwrap().1;
        assert_eq!((acc.lower, acc.upper), (1.0, 1.0));
        let eo = iv
            .iter()
            .find(|(n, _)| *n == names::EO_DIFFERENCE)
            .unwrap()
            .1;
        assert_eq!((eo.lower, eo.upper), (0.0, 0.0));
    }

    #[test]
    fn ninety_percent_intervals_cover_the_population_values() {
        // A known population: half the rows in each group, labels 1 with probability 0.5; a
        // rule that selects group a with probability 0.8 if y = 1 and 0.2 if y = 0, group b with
        // 0.4 and 0.2. Truth: selection rates 0.5 and 0.3 (DP difference 0.2), TPR 0.8 and 0.4
        // (difference 0.4), accuracy 0.5·0.8 + 0.5·(0.5·0.4 + 0.5·0.8) = 0.7.
        let (acc_true, dp_true, tpr_true) = (0.7, 0.2, 0.4);
        let mut rng = StdRng::seed_from_u64(7);
        let repetitions = 150;
        let (mut hit_acc, mut hit_dp, mut hit_tpr) = (0, 0, 0);
        for rep in 0..repetitions {
            let n = 400;
            let mut y = Vec::with_capacity(n);
            let mut g = Vec::with_capacity(n);
            let mut d = Vec::with_capacity(n);
            for i in 0..n {
                let in_a = i % 2 == 0;
                let yi = rng.gen_bool(0.5);
                let p = match (in_a, yi) {
                    (true, true) => 0.8,
                    (true, false) => 0.2,
                    (false, true) => 0.4,
                    (false, false) => 0.2,
                };
                y.push(f64::from(u8::from(yi)));
                g.push(if in_a { "a" } else { "b" });
                d.push(f64::from(u8::from(rng.gen_bool(p))));
            }
            let data = dataset(&y, &g);
            let boot = BootstrapParams::default()
                .resamples(200)
                .level(0.9)
                .seed(rep)
                .check()
                .unwrap();
            let iv = decision_intervals(&boot, Array1::from(d).view(), &data).unwrap();
            let get = |name| iv.iter().find(|(n, _)| *n == name).unwrap().1;
            hit_acc += usize::from(get(names::ACCURACY).contains(acc_true));
            hit_dp += usize::from(get(names::DP_DIFFERENCE).contains(dp_true));
            hit_tpr += usize::from(get(names::TPR_DIFFERENCE).contains(tpr_true));
        }
        for (what, hits) in [("accuracy", hit_acc), ("dp", hit_dp), ("tpr", hit_tpr)] {
            let rate = hits as f64 / repetitions as f64;
            eprintln!("90% coverage of {what}: {rate}");
            assert!((0.8..=0.98).contains(&rate), "coverage of {what}: {rate}");
        }
    }
}
