//! Convergence does not depend on the units of the features (issue 13): the same synthetic data
//! (n = 20,000, p = 20, unregularised logistic regression so that the problem is equivariant
//! under a change of units) fitted as is, with one feature × 10⁶, and with every feature × 10⁹,
//! by L-BFGS and by Newton.
//!
//! `cargo bench --bench convergence` (about a minute). Before timing, each configuration prints
//! its fit report (iterations, evaluations, objective, standardised gradient norm): the three
//! versions of the data must reach the same objective in about as many iterations.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::FairDataset;
use fairfit_train::{FairLogisticRegression, ParamGuard, Solver};

/// The data as generated, and with its features rescaled by `scale`.
fn versions() -> Vec<(&'static str, FairDataset)> {
    let data = BiasedParams::new(20_000, 19)
        .base_rate(0.4)
        .label_bias("b", 0.3)
        .proxy("b", 0.5)
        .seed(13)
        .generate()
        .expect("valid generator parameters")
        .data;
    let rescaled = |scale: &dyn Fn(&mut ndarray::Array2<f64>)| {
        let mut x = data.records().to_owned();
        scale(&mut x);
        data.clone()
            .with_records(x)
            .expect("finite rescaled features")
    };
    vec![
        ("as generated", data.clone()),
        (
            "x0 × 1e6",
            rescaled(&|x| x.column_mut(0).mapv_inplace(|v| v * 1e6)),
        ),
        ("all × 1e9", rescaled(&|x| x.mapv_inplace(|v| v * 1e9))),
    ]
}

fn convergence(c: &mut Criterion) {
    let datasets = versions();
    for (solver_name, solver) in [
        ("lbfgs", Solver::Lbfgs { memory: 10 }),
        ("newton", Solver::Newton),
    ] {
        let params = FairLogisticRegression::params()
            .l2(0.0)
            .solver(solver)
            .check()
            .expect("valid parameters");
        let mut group = c.benchmark_group(format!("convergence/{solver_name}"));
        group
            .sampling_mode(SamplingMode::Flat)
            .sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(3));
        for (name, data) in &datasets {
            let model = params.fit(data).expect("converges");
            eprintln!(
                "{solver_name}, {name}: {}",
                model.report().expect("a fit has a report")
            );
            group.bench_with_input(BenchmarkId::from_parameter(name), data, |bench, data| {
                bench.iter(|| black_box(params.fit(data).expect("converges")))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, convergence);
criterion_main!(benches);
