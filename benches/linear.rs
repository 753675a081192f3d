//! Speed of fairfit's linear regression on Adult: the protocol's standardised `hours-per-week`
//! column taken out of the features and predicted from the other 79 (30,162 training rows), as
//! in `examples/fair_regression.rs`, fitted to a gradient norm ≤ 1e-6 with the default solver.
//!
//! `cargo bench --bench linear` (add `-- --quick` for rough figures). Three fits: unpenalised,
//! with mean-prediction parity between the sexes (λ = 1) and with bounded group loss (λ = 1,
//! temperature 50, as in the example). Before timing, each prints its solver report (solver,
//! iterations, gradient norm) and the training statistic its penalty acts on. A fourth bench
//! times the objective's construction alone (the part of a fit the solver report leaves out).
//! The linear fits on synthetic data of growing size are in `benches/scaling.rs`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit_data::reference::{adult, datasets_dir};
use fairfit_data::FairDataset;
use fairfit_train::EvaluateOnScores;
use fairfit_train::{FairLinearRegression, Objective, ParamGuard, Penalty, Statistic};
use ndarray::Axis;

/// The column predicted (already standardised on train by the protocol).
const TARGET: &str = "hours-per-week";
/// L2 strength on the mean loss, as in the example.
const L2: f64 = 1e-4;

/// Adult's training rows with `TARGET` moved from the features to the target.
fn adult_hours() -> FairDataset {
    let train = adult(datasets_dir())
        .expect("the Adult files ship in datasets/")
        .train;
    let names = train.feature_names();
    let j = names
        .iter()
        .position(|n| n == TARGET)
        .expect("the protocol keeps hours-per-week");
    let keep: Vec<usize> = (0..names.len()).filter(|&k| k != j).collect();
    let kept_names = keep.iter().map(|&k| names[k].clone()).collect();
    FairDataset::new(
        train.records().select(Axis(1), &keep),
        train.records().column(j).to_owned(),
        train.attributes().to_vec(),
    )
    .expect("a subset of valid data")
    .with_feature_names(kept_names)
    .expect("one name per column")
}

fn adult_linear(c: &mut Criterion) {
    let data = adult_hours();
    eprintln!(
        "adult {TARGET}: {} rows x {} features",
        data.nrows(),
        data.nfeatures()
    );
    let configurations = [
        (
            "unpenalised",
            None,
            ("mean prediction", Statistic::mean_prediction()),
        ),
        (
            "mean-prediction parity (λ = 1)",
            Some(Penalty::mean_prediction_parity()),
            ("mean prediction", Statistic::mean_prediction()),
        ),
        (
            "bounded group loss (λ = 1)",
            Some(Penalty::bounded_group_loss(50.0)),
            ("MSE", Statistic::mean_loss()),
        ),
    ];
    let mut group = c.benchmark_group("adult/linear fit to |g| <= 1e-6");
    group.sample_size(20);
    for (name, penalty, (label, statistic)) in configurations {
        let mut params = FairLinearRegression::params()
            .l2(L2)
            .gradient_tolerance(1e-6);
        if let Some(penalty) = penalty {
            params = params.penalty(penalty, 1.0);
        }
        let params = params.check().expect("valid parameters");
        let model = params.fit(&data).expect("converges");
        let values = statistic
            .evaluate(
                model.loss(),
                &data,
                model
                    .decision_function(data.records())
                    .expect("training width")
                    .view(),
            )
            .expect("both sexes present");
        let by_group: Vec<String> = values
            .groups
            .iter()
            .zip(&values.soft)
            .map(|(g, v)| format!("{g} {v:.4}"))
            .collect();
        eprintln!(
            "adult linear {name}: {}; training {label}: {} (gap {:.4})",
            model.report().expect("a fit has a report"),
            by_group.join(", "),
            values.soft_gap(),
        );
        group.bench_function(name, |bench| {
            bench.iter(|| black_box(params.fit(&data).expect("converges")))
        });
    }
    group.finish();
}

/// The part of a fit before the solver starts (checking the data, choosing the layout and
/// building the design matrix): the solver reports above time only the iterations.
fn adult_objective_construction(c: &mut Criterion) {
    let data = adult_hours();
    let params = FairLinearRegression::params()
        .l2(L2)
        .penalty(Penalty::mean_prediction_parity(), 1.0)
        .check()
        .expect("valid parameters");
    let objective = Objective::new(&data, &params).expect("valid data");
    eprintln!(
        "adult linear objective: dimension {}, sparse layout: {}",
        objective.dim(),
        objective.is_sparse()
    );
    c.bench_function("adult/linear objective construction", |bench| {
        bench.iter(|| black_box(Objective::new(&data, &params).expect("valid data")))
    });
}

criterion_group!(benches, adult_linear, adult_objective_construction);
criterion_main!(benches);
