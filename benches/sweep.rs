//! Speed of a full `compare_methods` sweep on Adult: every method of fairfit with the full grids
//! (`Grids::full()`, 132 points), fitted on the protocol's training rows less a 25 % validation
//! split and evaluated on train, validation and test with 200 bootstrap resamples per held-out
//! split, as the example runs it. One run without intervals is timed and printed for comparison.
//!
//! `cargo bench --bench sweep` (10 samples; each sample is one whole sweep).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit_data::reference::{adult, datasets_dir};
use fairfit_data::split::{strata, StratifiedSplit, TrainValTest};
use fairfit_eval::sweep::{every_method, Grids, Progress, Sweep};
use fairfit_train::FairLogisticRegression;

/// The example's validation split of Adult.
fn adult_splits() -> TrainValTest {
    let protocol = adult(datasets_dir()).expect("the Adult files ship in datasets/");
    let strata = strata(&protocol.train).expect("binary labels");
    let parts = StratifiedSplit::new(&[0.25], 20_240_601)
        .expect("a valid fraction")
        .indices(&strata);
    TrainValTest {
        train: protocol.train.select(&parts[0]).expect("rows in range"),
        validation: protocol.train.select(&parts[1]).expect("rows in range"),
        test: protocol.test,
    }
}

fn full_sweep(c: &mut Criterion) {
    let data = adult_splits();
    let grids = Grids::full().seed(20_240_601);
    let run = || {
        Sweep::new(every_method(&grids))
            .model(FairLogisticRegression::params().l2(1e-4))
            .progress(Progress::Hidden)
            .run(&data)
            .expect("the sweep runs")
    };
    let outcome = run();
    eprintln!(
        "adult sweep: {} points, {} failures, {:.2} s",
        outcome.curve.len(),
        outcome.failures.len(),
        outcome.elapsed.as_secs_f64()
    );
    let bare = Sweep::new(every_method(&grids))
        .model(FairLogisticRegression::params().l2(1e-4))
        .progress(Progress::Hidden)
        .resamples(0)
        .run(&data)
        .expect("the sweep runs");
    eprintln!(
        "adult sweep without intervals: {} points, {:.2} s",
        bare.curve.len(),
        bare.elapsed.as_secs_f64()
    );
    let mut group = c.benchmark_group("adult");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(120));
    group.bench_function("compare_methods_sweep", |b| b.iter(|| black_box(run())));
    group.finish();
}

criterion_group!(benches, full_sweep);
criterion_main!(benches);
