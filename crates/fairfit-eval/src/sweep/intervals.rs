//! Bootstrap intervals of a sweep point's metrics: the model's decisions on one split are
//! resampled (stratified by group, seeded, in parallel — [`Bootstrap::statistics`]); the model
//! is not refitted, so an interval states the uncertainty of the *evaluation* on a finite split.
//!
//! Every interval comes from four statistics of the shared vocabulary per replicate — expected
//! error rate, selection rate, TPR and FPR, read with the engine's kernel — from which accuracy, balanced accuracy, the demographic-parity difference and
//! ratio, the equalized-odds difference and the equal-opportunity difference follow exactly as
//! [`decision_metrics`](super::decision_metrics) defines them. Decisions may be randomised (a
//! decision probability per row): each column is then its expected value, as for the point
//! estimate, and resampling draws rows, never one half of a randomised row. The ROC AUC gets no
//! interval (it would need a sort per replicate).
//!
//! A sweep evaluates many points on one split, so [`SplitReplicates`] draws the split's
//! replicates once: every replicate's weight of every row (how many times it was drawn), after
//! which a point's replicate columns are one matrix product instead of a pass over resampled rows
//! per replicate. The draws are [`Bootstrap`]'s own, so the intervals are those of
//! [`decision_intervals`] (to rounding).

use std::ops::Range;

use fairfit_data::fairness::{GroupMeans, Notion, Statistic};
use fairfit_data::FairDataset;
use ndarray::{s, Array2, ArrayView1, Axis};
use rayon::prelude::*;

use crate::bootstrap::{draw_counts, Bootstrap};
use crate::curve::names;
use crate::error::{EvalError, Result};
use crate::estimate::Interval;
use crate::metrics::group::group_order;
use crate::metrics::{ratio, ByGroup, Input, Metric, Outcomes, Undefined, Value, View};

/// A statistic of the shared vocabulary on randomised decisions: the scores of the outcomes are
/// the probabilities `P(decision = 1)` of each row, and the statistic is its expected value over
/// the randomisation (the engine's kernel with the probability in the decision's place).
#[derive(Debug, Clone, Copy)]
struct Expected(Statistic);

impl Metric for Expected {
    fn name(&self) -> String {
        format!("expected_{}", self.0.column())
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
        let rows = y
            .iter()
            .zip(p)
            .zip(view.weights())
            .map(|((&yi, &pi), &wi)| (wi, f64::from(u8::from(yi)), pi));
        self.0
            .over_rows(rows)
            .expect("the interval statistics are rates of decisions")
    }
}

/// The statistics whose replicate values give every interval: error rate, selection rate, TPR
/// and FPR.
const COLUMNS: [Statistic; 4] = [
    Statistic::error_rate(),
    Statistic::positive_rate(),
    Statistic::true_positive_rate(),
    Statistic::false_positive_rate(),
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

/// The metrics of [`NAMES`] from the four statistics' columns of one replicate; each fairness
/// metric is its notion's value, undefined (not taken over fewer groups) when a group's
/// statistic is undefined on the replicate, as in the point value.
fn statistics(cols: &[ByGroup]) -> Vec<Value> {
    let [err, sel, tpr, fpr] = cols else {
        return vec![Err(UNDEFINED); NAMES.len()];
    };
    let means = |statistic: Statistic, c: &ByGroup| GroupMeans {
        statistic,
        groups: c.names().to_vec(),
        values: c.values().to_vec(),
        overall: c.overall(),
        weights: Vec::new(),
    };
    let [err, sel, tpr, fpr] =
        [(0, err), (1, sel), (2, tpr), (3, fpr)].map(|(k, c)| means(COLUMNS[k], c));
    let strict = |notion: Notion, parts: &[&GroupMeans]| -> Value {
        if parts.iter().any(|m| m.values.iter().any(Result::is_err)) {
            return Err(UNDEFINED);
        }
        let owned: Vec<GroupMeans> = parts.iter().map(|m| (*m).clone()).collect();
        notion.value(&owned).map(|v| v.value).map_err(|_| UNDEFINED)
    };
    let balanced = match (tpr.overall, fpr.overall) {
        (Ok(t), Ok(f)) => Ok((t + 1.0 - f) / 2.0),
        _ => Err(UNDEFINED),
    };
    vec![
        err.overall.map(|e| 1.0 - e),
        balanced,
        strict(Notion::demographic_parity(), &[&sel]),
        strict(Notion::demographic_parity().ratio(), &[&sel]),
        strict(Notion::equalized_odds(), &[&tpr, &fpr]),
        strict(Notion::equal_opportunity(), &[&tpr]),
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
    let expected = COLUMNS.map(Expected);
    let metrics: Vec<&dyn Metric> = expected.iter().map(|m| m as &dyn Metric).collect();
    let (_, intervals) = bootstrap.statistics(&outcomes, data.groups(), &metrics, statistics)?;
    Ok(NAMES
        .into_iter()
        .zip(intervals)
        .filter_map(|(name, interval)| interval.map(|i| (name, i)))
        .collect())
}

/// The largest replicate-weight matrix a split keeps, in entries (2²⁵ `f64`, 256 MiB); beyond
/// it each point resamples its rows itself ([`decision_intervals`]).
const MAX_SHARED_ENTRIES: usize = 1 << 25;

/// Per-row quantities whose replicate-weighted sums give the four columns: for each of
/// [`COLUMNS`], the numerator `m·q` and the denominator `m` of the engine's kernel
/// ([`Statistic::row`]).
const SUMS: usize = 2 * COLUMNS.len();

/// The bootstrap of one split, drawn once and shared by every point evaluated on it.
pub(crate) struct SplitReplicates<'a> {
    boot: &'a Bootstrap,
    /// `None` when the split is too large to keep its replicate weights.
    shared: Option<Shared>,
}

/// The replicate weights of a split, rows in group order.
struct Shared {
    /// Row of the split at each grouped position.
    order: Vec<usize>,
    /// Each group's grouped positions.
    ranges: Vec<Range<usize>>,
    /// The group names.
    names: Vec<String>,
    /// Labels, in grouped order.
    labels: Vec<bool>,
    /// One row per replicate, one column per grouped position: the row's weight times the
    /// number of times the replicate drew it.
    weights: Array2<f64>,
}

impl<'a> SplitReplicates<'a> {
    /// Draws `boot`'s replicates of `data` (stratified by its groups, weighted by its weights).
    pub(crate) fn new(boot: &'a Bootstrap, data: &FairDataset) -> Result<Self> {
        Self::within(boot, data, MAX_SHARED_ENTRIES)
    }

    /// [`SplitReplicates::new`] keeping at most `limit` replicate weights.
    fn within(boot: &'a Bootstrap, data: &FairDataset, limit: usize) -> Result<Self> {
        let (n, resamples) = (data.nrows(), boot.resamples());
        if resamples.saturating_mul(n) > limit {
            return Ok(Self { boot, shared: None });
        }
        let groups = data.groups();
        let (order, ranges) = group_order(groups)?;
        let all_labels = data.labels()?;
        let labels = order.iter().map(|&r| all_labels[r]).collect();
        let base: Vec<f64> = match data.weights() {
            Some(w) => order.iter().map(|&r| w[r]).collect(),
            None => vec![1.0; n],
        };
        let rows: Vec<Vec<f64>> = boot
            .replicate_seeds()
            .into_par_iter()
            .map(|seed| {
                let mut counts = vec![0u32; n];
                draw_counts(seed, &ranges, &mut counts);
                base.iter()
                    .zip(&counts)
                    .map(|(&b, &c)| b * f64::from(c))
                    .collect()
            })
            .collect();
        let weights = Array2::from_shape_vec((resamples, n), rows.concat())
            .expect("one row of n weights per replicate");
        Ok(Self {
            boot,
            shared: Some(Shared {
                order,
                ranges,
                names: groups.names().to_vec(),
                labels,
                weights,
            }),
        })
    }

    /// The intervals [`decision_intervals`] gives for `decision` on `data`, the split these
    /// replicates were drawn from.
    pub(crate) fn intervals(
        &self,
        decision: ArrayView1<'_, f64>,
        data: &FairDataset,
    ) -> Result<Vec<(&'static str, Interval)>> {
        let Some(shared) = &self.shared else {
            return decision_intervals(self.boot, decision, data);
        };
        // The checks of the row-by-row path and of the point metrics: lengths, probabilities.
        Outcomes::scored(&data.labels()?, &decision.to_vec())?;
        if let Some((row, &value)) = decision
            .iter()
            .enumerate()
            .find(|(_, p)| !(0.0..=1.0).contains(*p))
        {
            return Err(EvalError::OutOfDomain {
                what: "decision probabilities",
                row,
                value,
                domain: "[0, 1]",
            });
        }
        let mut quantities = Array2::zeros((shared.order.len(), SUMS));
        for ((mut q, &row), &y) in quantities
            .axis_iter_mut(Axis(0))
            .zip(&shared.order)
            .zip(&shared.labels)
        {
            let (label, p) = (f64::from(u8::from(y)), decision[row]);
            for (k, statistic) in COLUMNS.iter().enumerate() {
                let (m, value) = statistic
                    .row(label, p)
                    .expect("the interval statistics are rates of decisions");
                q[2 * k] = m * value;
                q[2 * k + 1] = m;
            }
        }
        // Per group, the replicate sums of every quantity: one matrix product each.
        let sums: Vec<Array2<f64>> = shared
            .ranges
            .iter()
            .map(|range| {
                shared
                    .weights
                    .slice(s![.., range.clone()])
                    .dot(&quantities.slice(s![range.clone(), ..]))
            })
            .collect();
        let replicates: Vec<Vec<Value>> = (0..self.boot.resamples())
            .map(|r| {
                let columns: Vec<ByGroup> = COLUMNS
                    .iter()
                    .enumerate()
                    .map(|(k, statistic)| {
                        let (num, den) = (2 * k, 2 * k + 1);
                        let rate = |n: f64, d: f64| ratio(n, d, statistic.condition.lacks());
                        let values = sums.iter().map(|g| rate(g[[r, num]], g[[r, den]]));
                        let total = |k: usize| sums.iter().map(|g| g[[r, k]]).sum::<f64>();
                        ByGroup::from_parts(
                            Expected(*statistic).name(),
                            shared.names.clone(),
                            rate(total(num), total(den)),
                            values.collect(),
                        )
                    })
                    .collect();
                statistics(&columns)
            })
            .collect();
        Ok(NAMES
            .into_iter()
            .zip(self.boot.intervals(&replicates))
            .filter_map(|(name, interval)| interval.map(|i| (name, i)))
            .collect())
    }
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
            .map(Expected)
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

    /// The shared replicates give the row-by-row intervals: weighted rows, three groups,
    /// randomised decisions, and a group without positives on some replicates.
    #[test]
    fn shared_replicates_give_the_row_by_row_intervals() {
        let mut rng = StdRng::seed_from_u64(3);
        let n = 300;
        let groups: Vec<&str> = (0..n).map(|i| ["a", "b", "c"][i % 3]).collect();
        let labels: Vec<f64> = (0..n)
            .map(|i| {
                let p = if i % 3 == 2 { 0.03 } else { 0.5 };
                f64::from(u8::from(rng.gen_bool(p)))
            })
            .collect();
        let weights = Array1::from_shape_fn(n, |_| rng.gen_range(0.5..2.0));
        let data = dataset(&labels, &groups).with_weights(weights).unwrap();
        let decision = Array1::from_shape_fn(n, |i| match i % 4 {
            0 => 0.0,
            1 => 1.0,
            _ => rng.gen_range(0.0..1.0),
        });
        let boot = BootstrapParams::default()
            .resamples(120)
            .seed(9)
            .check()
            .unwrap();
        let want = decision_intervals(&boot, decision.view(), &data).unwrap();
        let shared = SplitReplicates::new(&boot, &data).unwrap();
        assert!(shared.shared.is_some());
        let got = shared.intervals(decision.view(), &data).unwrap();
        assert_eq!(got.len(), want.len());
        assert_eq!(want.len(), NAMES.len(), "every metric has an interval here");
        for ((name, g), (want_name, w)) in got.iter().zip(&want) {
            assert_eq!(name, want_name);
            assert!(
                (g.lower - w.lower).abs() < 1e-12 && (g.upper - w.upper).abs() < 1e-12,
                "{name}: {g:?} vs {w:?}"
            );
            assert_eq!(g.replicates, w.replicates, "{name}");
        }
        let undefined = |iv: &[(&str, Interval)]| {
            iv.iter()
                .find(|(n, _)| *n == names::EO_DIFFERENCE)
                .and_then(|(_, i)| i.replicates)
                .map(|r| r.undefined)
        };
        assert!(
            undefined(&got).unwrap() > 0,
            "group c lacks positives on some replicates"
        );
        // Too large to keep: the row-by-row path itself.
        let fallback = SplitReplicates::within(&boot, &data, 100).unwrap();
        assert!(fallback.shared.is_none());
        assert_eq!(fallback.intervals(decision.view(), &data).unwrap(), want);
        // Decisions that are not probabilities are refused, naming the row.
        let mut bad = decision.clone();
        bad[5] = 1.5;
        assert!(matches!(
            shared.intervals(bad.view(), &data),
            Err(EvalError::OutOfDomain { row: 5, .. })
        ));
        assert!(shared.intervals(decision.slice(s![..10]), &data).is_err());
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
