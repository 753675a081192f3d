//! Speed of a full `compare_methods` sweep on Adult: every strategy of fairfit with the full grids
//! (`Grids::full()`, 143 points), fitted on the protocol's training rows less a 25 % validation
//! split and evaluated on train, validation and test with 200 bootstrap resamples per held-out
//! split, as the example runs it. One run without intervals, and one 5-fold cross-validation of
//! the same sweep on the protocol's training rows (as the example chooses its models), are timed
//! once and printed beside it.
//!
//! `cargo bench --bench sweep` (10 samples; each sample is one whole sweep).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit_data::reference::datasets_dir;
use fairfit_data::split::KFold;
use fairfit_eval::study::{Benchmark, Carved};
use fairfit_eval::sweep::{every_strategy, Grids, Progress, Sweep};
use fairfit_train::FairLogisticRegression;

fn full_sweep(c: &mut Criterion) {
    // The example's validation split of Adult.
    let protocol = Benchmark::Adult
        .load(&datasets_dir())
        .expect("the Adult files ship in datasets/");
    let Carved { splits: data, pool } =
        Carved::new(protocol, 0.25, 20_240_601).expect("a valid share");
    let grids = Grids::full().seed(20_240_601);
    let run = || {
        Sweep::new(every_strategy(&grids))
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
    let bare = Sweep::new(every_strategy(&grids))
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
    let cv = Sweep::new(every_strategy(&grids))
        .model(FairLogisticRegression::params().l2(1e-4))
        .progress(Progress::Hidden)
        .cross_validate(&pool, &KFold::new(5, 20_240_601).expect("5 folds"))
        .expect("the cross-validation runs");
    eprintln!(
        "adult 5-fold cross-validation: {} points, {} failures, {:.2} s",
        cv.curve.len(),
        cv.failures.len(),
        cv.elapsed.as_secs_f64()
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
