//! Tests of the attention-allocation environment's dynamics and allocators. Compiled only under
//! `#[cfg(test)]`.

use super::*;
use crate::{run, Environment, RunSpec, SimError};

#[test]
fn bad_parameters_and_allocations_are_typed_errors() {
    let p = AttentionParams::default();
    let mismatched = AttentionParams {
        incident_rates: vec![4.0, 3.0, 1.0],
        ..p.clone()
    };
    assert!(
        matches!(mismatched.check(), Err(SimError::LengthMismatch { ref name, expected: 2, found: 3, .. }) if name == "incident_rates")
    );
    let negative = AttentionParams {
        miss_probabilities: vec![0.2, -0.1],
        ..p.clone()
    };
    assert!(matches!(
        negative.check(),
        Err(SimError::InvalidProbability { index: 1, .. })
    ));
    let no_units = AttentionParams {
        attention_units: 0,
        ..p.clone()
    };
    assert!(no_units.check().is_err());
    let params = AttentionParams::five_sites(0.0).check().unwrap();
    let mut env = params.build(0);
    assert!(matches!(
        env.step(3, &vec![6, 0, 0, 0]),
        Err(SimError::InvalidAction { step: 3, .. })
    ));
    assert!(env.step(0, &vec![1, 1, 1, 1, 1]).is_err()); // 5 units, not 6
    assert!(Allocator::new(&params, Allocation::Greedy, 1.5, 0.0).is_err());
}

#[test]
fn discoveries_never_exceed_incidents_and_attention_is_conserved() {
    let params = AttentionParams::five_sites(0.05).check().unwrap();
    let spec = RunSpec::new(500, 3).unwrap().record_every(100).unwrap();
    let runs = run(
        &spec,
        |s| Ok(params.build(s)),
        |_| Allocator::new(&params, Allocation::Proportional, 0.01, 0.1),
    )
    .unwrap();
    let (occ, disc, att) = (
        runs.metric_index("occurred").unwrap(),
        runs.metric_index("discovered").unwrap(),
        runs.metric_index("attention").unwrap(),
    );
    for run in &runs.runs {
        for k in 0..run.steps().len() {
            let s = run.snapshot(k);
            let width = runs.metrics.len();
            let total_attention: f64 = (0..5).map(|g| s[g * width + att]).sum();
            assert_eq!(total_attention, 6.0 * run.steps()[k] as f64);
            assert!((0..5).all(|g| s[g * width + disc] <= s[g * width + occ]));
        }
    }
}

#[test]
fn one_step_discoveries_match_their_closed_form() {
    for replacement in [true, false] {
        let miss = if replacement { 0.3 } else { 0.0 };
        let params = AttentionParams {
            site_names: vec!["a".into(), "b".into(), "c".into()],
            incident_rates: vec![3.0, 1.5, 0.5],
            attention_units: 4,
            attention_replacement: replacement,
            miss_probabilities: vec![miss; 3],
            extra_probabilities: vec![0.0; 3],
            dynamic_rate: 0.0,
        }
        .check()
        .unwrap();
        let allocation = vec![2u32, 1, 1];
        let n = 40_000;
        let mut sums = [0.0f64; 3];
        let mut squares = [0.0f64; 3];
        for seed in 0..n {
            let mut env = params.build(seed);
            let found = env.step(0, &allocation).unwrap().feedback;
            for s in 0..3 {
                sums[s] += found[s] as f64;
                squares[s] += (found[s] * found[s]) as f64;
            }
        }
        for s in 0..3 {
            let closed = expected_discoveries(
                params.params().incident_rates[s],
                miss,
                allocation[s],
                replacement,
            )
            .unwrap();
            let mean = sums[s] / n as f64;
            let se = ((squares[s] / n as f64 - mean * mean) / n as f64).sqrt();
            assert!(
                (mean - closed).abs() < 4.0 * se,
                "site {s}, replacement {replacement}: {mean} vs {closed} ± {se}"
            );
        }
    }
}

#[test]
fn dynamic_rates_rise_without_attention_and_fall_with_it() {
    let params = AttentionParams {
        dynamic_rate: 0.1,
        ..AttentionParams::default()
    }
    .check()
    .unwrap();
    let mut env = params.build(2);
    env.step(0, &vec![1, 0]).unwrap();
    let rates = env.truth().clone();
    assert!((rates[0] - 3.9).abs() < 1e-12 && (rates[1] - 3.1).abs() < 1e-12);
}

#[test]
fn greedy_allocation_runs_away_from_the_uniform_one() {
    // Ensign et al.'s feedback loop: following discoveries concentrates attention on one site.
    let params = AttentionParams::five_sites(0.0).check().unwrap();
    let spec = RunSpec::new(300, 4).unwrap().record_every(300).unwrap();
    let share = |rule| {
        let runs = run(
            &spec,
            |s| Ok(params.build(s)),
            |_| Allocator::new(&params, rule, 0.01, 0.0),
        )
        .unwrap();
        let m = runs.metric_index("attention_share").unwrap();
        // The largest site share of each run (runs may lock onto different sites), averaged.
        let shares: Vec<Vec<f64>> = (0..5).map(|g| runs.final_values(g, m)).collect();
        (0..4)
            .map(|r| (0..5).map(|g| shares[g][r]).fold(0.0, f64::max))
            .sum::<f64>()
            / 4.0
    };
    assert!(share(Allocation::Greedy) > 0.9);
    assert!(share(Allocation::Uniform) < 0.3);
}

#[test]
fn allocations_are_identical_at_any_thread_count() {
    let params = AttentionParams::five_sites(0.05).check().unwrap();
    let spec = RunSpec::new(200, 5).unwrap().record_every(20).unwrap();
    let go = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                run(
                    &spec,
                    |s| Ok(params.build(s)),
                    |_| Allocator::new(&params, Allocation::Proportional, 0.01, 0.1),
                )
                .unwrap()
            })
    };
    let (a, b) = (go(1), go(3));
    for (x, y) in a.runs.iter().zip(&b.runs) {
        assert!(x
            .values()
            .iter()
            .zip(y.values())
            .all(|(p, q)| p.to_bits() == q.to_bits()));
    }
}
