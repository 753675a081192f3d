//! Speed of the lending experiment: 20,000 steps × 100 seeds with threshold agents, recording every
//! group's metrics every 100 steps, on all cores (rayon).
//!
//! `cargo bench --bench lending`. The gym's lending experiment runs one seed at a time in Python.
//! Agents: the maximum-utility and equal-opportunity oracles of D'Amour et al. (2020), whose
//! thresholds are fitted with fairfit's post-processing after every approved loan (the gym's
//! schedule), and the same refitted every 100 steps.
//!
//! Measured on the 2-core reference machine while other sessions kept its load average near 20
//! (so these are upper bounds): refitted every 100 steps, 0.94 s (max-utility) and 1.10 s
//! (equal-opportunity) for all 100 seeds; refitted after every approval (about 1.1 million
//! threshold fits), 22 s (equal-opportunity).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit::sim::lending::{Evidence, LendingParams, Refit, ThresholdAgent, ThresholdPolicy};
use fairfit::sim::{run, BurnIn, RunSpec};

fn lending(c: &mut Criterion) {
    let params = LendingParams::default()
        .check()
        .expect("the defaults are valid");
    let spec = RunSpec::new(20_000, 100)
        .and_then(|s| s.record_every(100))
        .expect("a valid spec");
    let mut group = c.benchmark_group("lending_20000_steps_x_100_seeds");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for (policy, refit, name) in [
        (
            ThresholdPolicy::MaxUtility,
            Refit::AfterApproval,
            "max_utility_oracle",
        ),
        (
            ThresholdPolicy::EqualOpportunity,
            Refit::AfterApproval,
            "equal_opportunity_oracle",
        ),
        (
            ThresholdPolicy::MaxUtility,
            Refit::Every(100),
            "max_utility_oracle_refit_100",
        ),
        (
            ThresholdPolicy::EqualOpportunity,
            Refit::Every(100),
            "equal_opportunity_oracle_refit_100",
        ),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let runs = run(
                    &spec,
                    |seed| Ok(params.build(seed)),
                    |_| {
                        Ok(BurnIn::new(
                            50,
                            ThresholdAgent::new(&params, policy, Evidence::Oracle, refit),
                        ))
                    },
                )
                .expect("the run succeeds");
                black_box(runs)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, lending);
criterion_main!(benches);
