//! Speed of the reductions on the Adult training set (the protocol's 30,162 × 80 encoding,
//! groups by sex), with Fairlearn's constraints (differences to the overall rate) and a
//! logistic learner with `l2 = 1e-4`: exponentiated gradient for six ε under demographic parity
//! and under equalized odds, and grid search over 21 multipliers for demographic parity.
//!
//! `cargo bench --bench reductions` (add a name filter, e.g. `-- grid`, to run one). Each group
//! prints once what a run did (rounds, best responses, Newton iterations). The exponentiated
//! gradient group times the six ε as six independent fits and as one path
//! ([`ValidEgParams::fit_path`](fairfit::train::reductions::ValidEgParams::fit_path): one learner
//! whose answers warm-start every later ε).
//!
//! Measured on the quiet 2-core reference machine (load average 1.3–2.0), 2 December 2026, at
//! d1ad8c3: exponentiated gradient for six ε, 2.19 s [2.11, 2.27] under demographic parity (38
//! rounds, 147 best responses) and 2.41 s [2.39, 2.44] under equalized odds (58 rounds, 208 best
//! responses); grid search over 21 points, 346 ms [335, 356]. Against Fairlearn 0.15 on the same
//! machine as the issue measured it (98.9 s, 144.8 s and 13.2 s): 45×, 60× and 38×.
//!
//! Then the learner was changed (answers kept by the costs' signature, warm starts extrapolated
//! along lines, the Hessian's row weights kept from the value pass, the nearest answer's Hessian
//! for a warm start's first step, a path over ε). Before → after, the two builds back to back on
//! the shared machine (not quiet), 2 December 2026; the machine's load moved within each run, so
//! the ratios are rough:
//!
//! | | before (d1ad8c3) | after, independent fits | after, path |
//! |---|---|---|---|
//! | run 1 (load 3.0–4.9), EG six ε, DP | 2.38 s [2.08, 2.71] | 1.48 s [1.37, 1.59] | 742 ms [724, 748] |
//! | run 1, EG six ε, EO | 3.06 s [2.66, 3.46] | 2.70 s [2.51, 2.83] | 1.29 s [1.20, 1.37] |
//! | run 1, grid search, 21 points | 238 ms [207, 272] | 301 ms [282, 319] | |
//! | run 2 (load 5.7–7.3, at 19109cb, without the Hessian reuse), EG DP | 4.98 s | 2.37 s | 1.17 s |
//! | run 2, EG EO | 4.41 s | 3.47 s | 2.65 s |
//! | run 2, grid search | 695 ms [617, 780] | 453 ms [403, 495] | |
//!
//! Newton iterations (deterministic, counting a step with a reused Hessian): DP 467 → 418
//! independent, 202 as a path; EO 475 → 501, 341 (the path took 57 rounds, 205 best responses);
//! grid 77 → 75. Rounds, best responses and every reported gap and accuracy of
//! `examples/reductions_adult.rs` (independent fits) are unchanged.
//!
//! **The quiet-machine figures** (load average 1.6–2.0, 2 December 2026, at the merge of these
//! changes into main; `cargo bench --bench reductions`), against Fairlearn 0.15's 98.9 s,
//! 144.8 s and 13.2 s on the same machine:
//!
//! | | fairfit | ratio | goal |
//! |---|---|---|---|
//! | EG six ε, DP, independent fits | 869 ms [853, 888] | 114× | ≥ 100× |
//! | EG six ε, DP, path | 490 ms [472, 500] | 202× | |
//! | EG six ε, EO, independent fits | 1.10 s [1.07, 1.14] | 131× | ≥ 100× |
//! | EG six ε, EO, path | 757 ms [752, 763] | 191× | |
//! | grid search, 21 points, DP | 153 ms [149, 161] | 86× | ≥ 50× |

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit::data::fairness::{Aggregate, Notion};
use fairfit::data::reference::{adult, datasets_dir};
use fairfit::data::FairDataset;
use fairfit::train::reductions::{EgFit, ExponentiatedGradient, GridSearch};
use fairfit::train::{FairLogisticRegression, Logistic, ParamGuard, ValidFairParams};

/// The six bounds ε of the exponentiated-gradient runs.
const EPSILONS: [f64; 6] = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1];

fn adult_train() -> FairDataset {
    adult(datasets_dir())
        .expect("the Adult files ship in datasets/")
        .train
}

fn learner() -> ValidFairParams<Logistic> {
    FairLogisticRegression::params()
        .l2(1e-4)
        .check()
        .expect("valid parameters")
}

/// What a run did: rounds, best responses and Newton iterations, summed over the ε.
type Work = (usize, usize, u64);

fn work<'a>(fits: impl IntoIterator<Item = &'a EgFit<Logistic>>) -> Work {
    fits.into_iter()
        .fold((0, 0, 0), |(rounds, calls, newton), fit| {
            let report = fit.report();
            (
                rounds + report.iterations.len(),
                calls + report.oracle_calls,
                newton + report.learner_iterations,
            )
        })
}

/// Exponentiated gradient at every ε of [`EPSILONS`], one independent fit each.
fn six_epsilons(notion: &Notion, data: &FairDataset) -> Work {
    let fits: Vec<EgFit<Logistic>> = EPSILONS
        .iter()
        .map(|&epsilon| {
            ExponentiatedGradient::params::<Logistic>(notion.clone(), epsilon)
                .learner(learner())
                .fit(data)
                .expect("exponentiated gradient runs on Adult")
        })
        .collect();
    work(&fits)
}

/// Exponentiated gradient at every ε of [`EPSILONS`] as one path (a shared learner).
fn six_epsilons_path(notion: &Notion, data: &FairDataset) -> Work {
    let params = ExponentiatedGradient::params::<Logistic>(notion.clone(), EPSILONS[0])
        .learner(learner())
        .check()
        .expect("valid parameters");
    let fits = params
        .fit_path(data, &EPSILONS)
        .expect("exponentiated gradient runs on Adult");
    work(&fits)
}

fn exponentiated_gradient(c: &mut Criterion) {
    let data = adult_train();
    let mut group = c.benchmark_group("adult/exponentiated gradient, 6 eps");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    for (name, notion) in [
        ("demographic parity", Notion::demographic_parity()),
        ("equalized odds", Notion::equalized_odds()),
    ] {
        let notion = notion.with_aggregate(Aggregate::DifferenceToOverall);
        for (how, run) in [
            ("", six_epsilons as fn(&Notion, &FairDataset) -> Work),
            (", path", six_epsilons_path),
        ] {
            let (rounds, calls, newton) = run(&notion, &data);
            eprintln!(
                "{name}{how}: {rounds} rounds, {calls} best responses, {newton} Newton iterations \
                 over 6 ε"
            );
            group.bench_function(format!("{name}{how}"), |bench| {
                bench.iter(|| black_box(run(&notion, &data)))
            });
        }
    }
    group.finish();
}

fn grid_search(c: &mut Criterion) {
    let data = adult_train();
    let notion = Notion::demographic_parity().with_aggregate(Aggregate::DifferenceToOverall);
    let params = GridSearch::params::<Logistic>(notion)
        .grid_size(21)
        .learner(learner());
    let fit = params.fit(&data).expect("grid search runs on Adult");
    let newton: u64 = fit
        .points()
        .iter()
        .filter_map(|p| p.hypothesis.model.report())
        .map(|r| r.iterations)
        .sum();
    eprintln!(
        "grid search: {} best responses, {newton} Newton iterations, selected point {}",
        fit.oracle_calls(),
        fit.best_index()
    );
    let mut group = c.benchmark_group("adult/grid search");
    group.sample_size(10);
    group.bench_function("demographic parity, 21 points", |bench| {
        bench.iter(|| black_box(params.fit(&data).expect("grid search runs on Adult")))
    });
    group.finish();
}

criterion_group!(benches, exponentiated_gradient, grid_search);
criterion_main!(benches);
