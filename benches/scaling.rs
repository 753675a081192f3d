//! Scaling of fairfit-train in the number of rows: synthetic data with p = 100 dense features at
//! n = 10⁴, 10⁵ and 10⁶, each fitted to a gradient norm ≤ 1e-6 with the default solver.
//!
//! `cargo bench --bench scaling` (about three minutes; add a filter such as `-- logistic` or
//! `-- 1000000` to run part of it, `-- --quick` for rough figures). Four groups, each with n as
//! its parameter: logistic regression unpenalised and with a demographic-parity penalty (λ = 1),
//! linear regression unpenalised and with a mean-prediction parity penalty (λ = 1). Each data set
//! is generated once; before timing, every configuration prints its solver report (solver,
//! iterations, gradient norm) and, for the penalised fits, the training gap it reached.
//!
//! The data come from [`BiasedParams`]: two equal groups, labels from class-conditional
//! Gaussians in 99 dimensions (so P(y = 1 | x) is logistic in x), half of group b's favourable
//! labels flipped, and a 100th feature that is a proxy of the group (correlation 0.6), so that the
//! fairness penalties have a real gap to close. The regression target is a fixed linear function
//! of the same features (the proxy included) plus uniform noise.

use std::hint::black_box;
use std::time::Duration;

use criterion::measurement::WallTime;
use criterion::{
    criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion, SamplingMode,
};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::FairDataset;
use fairfit_train::EvaluateOnScores;
use fairfit_train::{
    FairLinearRegression, FairLogisticRegression, ModelKind, ParamGuard, Penalty, Statistic,
    ValidFairParams,
};
use ndarray::Array1;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// The row counts measured.
const SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];
/// Features: 99 informative dimensions and the group proxy.
const DIM: usize = 99;
/// The weight of each fairness penalty.
const LAMBDA: f64 = 1.0;

/// `n` rows of the logistic data (labels 0/1) with the regression target alongside.
fn synthetic(n: usize) -> (FairDataset, Array1<f64>) {
    let data = BiasedParams::new(n, DIM)
        .base_rate(0.4)
        .label_bias("b", 0.5)
        .proxy("b", 0.6)
        .seed(2024)
        .generate()
        .expect("valid generator parameters")
        .data;
    // y = x·β + 0.5 + U(-1, 1), β cycling through -0.3..0.3 and 0.8 on the proxy.
    let beta: Array1<f64> = (0..=DIM)
        .map(|j| {
            if j == DIM {
                0.8
            } else {
                ((j % 7) as f64 - 3.0) / 10.0
            }
        })
        .collect();
    let mut rng = StdRng::seed_from_u64(7);
    let targets = data
        .records()
        .dot(&beta)
        .mapv(|s| s + 0.5 + rng.gen_range(-1.0..1.0));
    (data, targets)
}

/// Criterion settings for `n` rows: flat sampling (every sample runs the same number of fits),
/// the minimum of 10 samples, and a measurement time that keeps the largest size to ~20 s.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let seconds = if n <= 10_000 {
        2
    } else if n <= 100_000 {
        4
    } else {
        15
    };
    group
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(seconds));
}

/// A penalised configuration's yardstick: the statistic its penalty acts on and the
/// unpenalised parameters to compare its training gap with.
struct Fairness<'a, K: ModelKind> {
    /// What the statistic is for this model (its `name()` is a classifier's).
    label: &'static str,
    statistic: Statistic,
    unpenalised: &'a ValidFairParams<K>,
}

/// One group: `params` fitted at every size, after printing each fit's report and, for a
/// penalised fit, the soft training gap of the statistic without and with the penalty.
fn scaling_group<K: ModelKind>(
    c: &mut Criterion,
    name: &str,
    params: &ValidFairParams<K>,
    fairness: Option<Fairness<'_, K>>,
    datasets: &[FairDataset],
) {
    let mut group = c.benchmark_group(format!("scaling/{name}"));
    for data in datasets {
        let n = data.nrows();
        let model = params.fit(data).expect("converges");
        eprintln!(
            "{name}, n = {n}: {}",
            model.report().expect("a fit has a report")
        );
        if let Some(Fairness {
            label,
            statistic,
            unpenalised,
        }) = &fairness
        {
            let gap = |scores: Array1<f64>| {
                statistic
                    .evaluate(K::LOSS, data, scores.view())
                    .expect("both groups present")
                    .soft_gap()
            };
            let plain = unpenalised.fit(data).expect("converges");
            eprintln!(
                "{name}, n = {n}: training gap of the {label} {:.4} unpenalised -> {:.4}",
                gap(plain
                    .decision_function(data.records())
                    .expect("training width")),
                gap(model
                    .decision_function(data.records())
                    .expect("training width")),
            );
        }
        configure(&mut group, n);
        group.bench_with_input(BenchmarkId::from_parameter(n), data, |bench, data| {
            bench.iter(|| black_box(params.fit(data).expect("converges")))
        });
    }
    group.finish();
}

fn scaling(c: &mut Criterion) {
    let (classification, regression_targets): (Vec<_>, Vec<_>) =
        SIZES.iter().map(|&n| synthetic(n)).unzip();

    let logistic = FairLogisticRegression::params()
        .gradient_tolerance(1e-6)
        .check()
        .expect("valid parameters");
    let logistic_dp = FairLogisticRegression::params()
        .gradient_tolerance(1e-6)
        .penalty(Penalty::demographic_parity(), LAMBDA)
        .check()
        .expect("valid parameters");
    scaling_group(c, "logistic unpenalised", &logistic, None, &classification);
    scaling_group(
        c,
        "logistic DP (λ = 1)",
        &logistic_dp,
        Some(Fairness {
            label: "soft positive rate",
            statistic: Statistic::positive_rate(),
            unpenalised: &logistic,
        }),
        &classification,
    );

    // The same feature matrices with the regression targets (moved, not copied).
    let regression: Vec<FairDataset> = classification
        .into_iter()
        .zip(regression_targets)
        .map(|(data, y)| data.with_targets(y).expect("one target per row"))
        .collect();
    let linear = FairLinearRegression::params()
        .gradient_tolerance(1e-6)
        .check()
        .expect("valid parameters");
    let linear_parity = FairLinearRegression::params()
        .gradient_tolerance(1e-6)
        .penalty(Penalty::mean_prediction_parity(), LAMBDA)
        .check()
        .expect("valid parameters");
    scaling_group(c, "linear unpenalised", &linear, None, &regression);
    scaling_group(
        c,
        "linear mean-prediction parity (λ = 1)",
        &linear_parity,
        Some(Fairness {
            label: "mean prediction",
            statistic: Statistic::mean_prediction(),
            unpenalised: &linear,
        }),
        &regression,
    );
}

criterion_group!(benches, scaling);
criterion_main!(benches);
