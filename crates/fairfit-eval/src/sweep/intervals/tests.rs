//! Tests of the shared replicates' intervals against the row-by-row bootstrap and the point
//! metrics, compiled only under `#[cfg(test)]`.

use super::*;
use crate::bootstrap::BootstrapParams;
use crate::metrics::{ByGroup, Input, Metric, View};
use crate::sweep::decision_metrics;
use fairfit_data::fairness::GroupCells;
use fairfit_data::SensitiveAttribute;
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A statistic's expected value on randomised decisions, row by row through the metrics
/// layer (the scores of the outcomes are the probabilities of deciding 1): the reference
/// the cell sums must reproduce.
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
        let (Some(y), Some(p)) = (view.labels(), view.scores()) else {
            return Err(UNDEFINED);
        };
        let rows = y
            .iter()
            .zip(p)
            .zip(view.weights())
            .map(|((&yi, &pi), &wi)| (wi, f64::from(u8::from(yi)), pi));
        self.0.over_rows(rows).expect("rates of decisions")
    }
}

/// The intervals of the six metrics by the public row-by-row bootstrap
/// ([`Bootstrap::statistics`]): each replicate's rows resampled, each statistic's column
/// computed over them by the metrics layer.
fn row_by_row(
    boot: &Bootstrap,
    decision: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Vec<(&'static str, Interval)> {
    let weights = data.weights().map(|w| w.to_vec());
    let outcomes = Outcomes::scored(&data.labels().unwrap(), &decision.to_vec())
        .unwrap()
        .with_optional_weights(weights.as_deref())
        .unwrap();
    let expected = COLUMNS.map(Expected);
    let metrics: Vec<&dyn Metric> = expected.iter().map(|m| m as &dyn Metric).collect();
    let six = |cols: &[ByGroup]| {
        let means: Vec<GroupMeans> = cols
            .iter()
            .zip(COLUMNS)
            .map(|(c, statistic)| GroupMeans {
                statistic,
                groups: c.names().to_vec(),
                values: c.values().to_vec(),
                overall: c.overall(),
                weights: Vec::new(),
            })
            .collect();
        statistics(&means)
    };
    let (_, intervals) = boot
        .statistics(&outcomes, data.groups(), &metrics, six)
        .unwrap();
    NAMES
        .into_iter()
        .zip(intervals)
        .filter_map(|(name, interval)| interval.map(|i| (name, i)))
        .collect()
}

/// The intervals of `decision` on `data` from replicates drawn for this one call.
fn decision_intervals(
    boot: &Bootstrap,
    decision: ArrayView1<'_, f64>,
    data: &FairDataset,
) -> Result<Vec<(&'static str, Interval)>> {
    SplitReplicates::new(boot, data)?.intervals(decision, data)
}

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
    // `decision_metrics` computes with its copies construction: from the engine's group
    // means row by row, and from the cells a replicate is read from.
    let y = [1., 0., 1., 1., 0., 0., 1., 0.];
    let g = ["a", "a", "a", "a", "b", "b", "b", "b"];
    let p = Array1::from(vec![0.9, 0.2, 1.0, 0.5, 0.3, 0.0, 0.7, 0.6]);
    let data = dataset(&y, &g);
    let cells = GroupCells::of(&data);
    let means: Vec<GroupMeans> = COLUMNS
        .iter()
        .map(|s| cells.evaluate(*s, |i| (y[i], p[i])).unwrap())
        .collect();
    let layout = Layout::new(&data).unwrap();
    let quantities = layout.quantities(p.view());
    let classes = layout.class_cells(&layout.base).unwrap();
    let mut sums = QUANTITIES.map(|_| CellSums::zeros(classes.len(), 0));
    for (c, positions) in layout.cells.iter().enumerate() {
        for j in positions.clone() {
            for (k, total) in sums.iter_mut().enumerate() {
                total.add_row(c, quantities[[j, k]]);
            }
        }
    }
    let point = decision_metrics(p.view(), p.view(), &data).unwrap();
    for values in [statistics(&means), replicate_values(&classes, &sums)] {
        for (name, value) in NAMES.iter().zip(values) {
            let want = point.iter().find(|(n, _)| n == name).unwrap().1;
            assert!(
                (value.unwrap() - want).abs() < 1e-12,
                "{name}: {value:?} vs {want}"
            );
        }
    }
    // Hand check: selection rates a = (0.9+0.2+1+0.5)/4 = 0.65, b = (0.3+0+0.7+0.6)/4 = 0.4.
    let dp = statistics(&means)[2].unwrap();
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
    let want = row_by_row(&boot, decision.view(), &data);
    let shared = SplitReplicates::new(&boot, &data).unwrap();
    assert!(shared.shared.is_some());
    let got = shared.intervals(decision.view(), &data).unwrap();
    let close = |got: &[(&str, Interval)]| {
        assert_eq!(got.len(), want.len());
        for ((name, g), (want_name, w)) in got.iter().zip(&want) {
            assert_eq!(name, want_name);
            assert!(
                (g.lower - w.lower).abs() < 1e-12 && (g.upper - w.upper).abs() < 1e-12,
                "{name}: {g:?} vs {w:?}"
            );
            assert_eq!(g.replicates, w.replicates, "{name}");
        }
    };
    assert_eq!(want.len(), NAMES.len(), "every metric has an interval here");
    close(&got);
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
    close(&fallback.intervals(decision.view(), &data).unwrap());
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
