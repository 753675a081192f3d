//! Tests of the admissions environment's dynamics and juries. Compiled only under `#[cfg(test)]`.

use statrs::distribution::{ContinuousCDF, Normal};

use super::*;
use crate::{run, BurnIn, Environment, RunSpec, SimError};

fn defaults() -> ValidAdmissionParams {
    AdmissionParams::default()
        .check()
        .expect("the defaults are valid")
}

#[test]
fn bad_parameters_and_actions_are_typed_errors() {
    let p = AdmissionParams::default();
    let not_one = AdmissionParams {
        group_probabilities: vec![0.6, 0.6],
        ..p.clone()
    };
    assert!(matches!(
        not_one.check(),
        Err(SimError::NotADistribution { .. })
    ));
    let negative = AdmissionParams {
        group_probabilities: vec![-0.2, 1.2],
        ..p.clone()
    };
    assert!(
        matches!(negative.check(), Err(SimError::InvalidProbability { index: 0, value, .. }) if value == -0.2)
    );
    let mismatched = AdmissionParams {
        costs: vec![0.8, 1.2, 1.0],
        ..p.clone()
    };
    assert!(
        matches!(mismatched.check(), Err(SimError::LengthMismatch { ref name, expected: 2, found: 3, .. }) if name == "costs")
    );
    let no_one = AdmissionParams {
        applicants: 0,
        ..p.clone()
    };
    assert!(
        matches!(no_one.check(), Err(SimError::InvalidParameter { ref name, .. }) if name == "applicants")
    );
    let flat = AdmissionParams {
        score_sds: vec![0.1, 0.0],
        ..p.clone()
    };
    assert!(
        matches!(flat.check(), Err(SimError::InvalidParameter { ref name, .. }) if name == "score_sds[1]")
    );

    let mut env = defaults().build(1).unwrap();
    let one_threshold = Policy {
        thresholds: vec![0.5],
        epsilon: 0.0,
    };
    assert!(matches!(
        env.step(7, &one_threshold),
        Err(SimError::InvalidAction { step: 7, .. })
    ));
    let bad_epsilon = Policy {
        thresholds: vec![0.5, 0.5],
        epsilon: 1.5,
    };
    assert!(env.step(0, &bad_epsilon).is_err());
    assert!(Jury::fixed(&defaults(), vec![0.5]).is_err());
}

#[test]
fn every_applicant_is_counted_once() {
    let params = defaults();
    let mut env = params.build(4).unwrap();
    let policy = Policy {
        thresholds: vec![0.85, 0.7],
        epsilon: 0.1,
    };
    for step in 0..50 {
        let round = env.step(step, &policy).unwrap().feedback;
        assert_eq!(round.scores.len(), 20);
        assert!(round
            .admitted
            .iter()
            .zip(&round.eligible)
            .all(|(a, e)| *a == e.is_some()));
    }
    let mut out = vec![0.0; 2 * env.metric_names().len()];
    env.measure(&mut out);
    let width = env.metric_names().len();
    assert_eq!(out[0] + out[width], 1_000.0);
}

#[test]
fn admission_and_manipulation_rates_match_their_closed_form() {
    // Thresholds 0.9, raises capped at 0.2: an applicant with true score x is admitted when
    // x ≥ 0.7 and manipulates when 0.7 ≤ x < 0.9 (the cost of a raise ≤ 0.2 is below 1 in both
    // groups). Scores are normal, clipped to [0, 1], which leaves these probabilities unchanged.
    let params = AdmissionParams {
        gaming_control: 0.2,
        ..AdmissionParams::default()
    }
    .check()
    .unwrap();
    let spec = RunSpec::new(2_000, 4).unwrap().record_every(2_000).unwrap();
    let fixed = |_: &_| Jury::fixed(&params, vec![0.9, 0.9]);
    let runs = run(&spec, |s| params.build(s), fixed).unwrap();
    let (rate, manipulated, applicants) = (
        runs.metric_index("admission_rate").unwrap(),
        runs.metric_index("manipulated").unwrap(),
        runs.metric_index("applicants").unwrap(),
    );
    for (g, (mean, sd)) in [(0.8, 0.1), (0.6, 0.3)].into_iter().enumerate() {
        let normal = Normal::new(mean, sd).unwrap();
        let admitted = 1.0 - normal.cdf(0.7);
        let manipulates = normal.cdf(0.9) - normal.cdf(0.7);
        let n: f64 = runs.final_values(g, applicants).iter().sum();
        let sim_rate = runs.final_values(g, rate).iter().sum::<f64>() / 4.0;
        let sim_manip = runs.final_values(g, manipulated).iter().sum::<f64>() / n;
        for (what, sim, closed) in [
            ("admitted", sim_rate, admitted),
            ("manipulated", sim_manip, manipulates),
        ] {
            let se = (closed * (1.0 - closed) / n).sqrt();
            assert!(
                (sim - closed).abs() < 4.0 * se,
                "group {g} {what}: {sim} against {closed} ± {se}"
            );
        }
    }
}

#[test]
fn robust_jury_sets_higher_thresholds_than_the_naive_one_and_burdens_the_costlier_group() {
    let params = defaults();
    let spec = RunSpec::new(100, 6).unwrap().record_every(100).unwrap();
    let jury = |robust: bool| {
        let params = params.clone();
        move |_: &_| {
            Ok(BurnIn::new(
                20,
                Jury::learning(&params, JuryRule::Accuracy, robust, true),
            ))
        }
    };
    let naive = run(&spec, |s| params.build(s), jury(false)).unwrap();
    let robust = run(&spec, |s| params.build(s), jury(true)).unwrap();
    let threshold = naive.metric_index("threshold").unwrap();
    let burden = naive.metric_index("social_burden").unwrap();
    for g in 0..2 {
        let n: f64 = naive.final_values(g, threshold).iter().sum();
        let r: f64 = robust.final_values(g, threshold).iter().sum();
        assert!(r > n, "group {g}: robust {r} vs naive {n}");
    }
    let mean =
        |runs: &crate::Runs, g: usize| runs.final_values(g, burden).iter().sum::<f64>() / 6.0;
    assert!(mean(&robust, 1) > mean(&robust, 0));
}

#[test]
fn admissions_are_identical_at_any_thread_count() {
    let params = defaults();
    let spec = RunSpec::new(60, 5).unwrap().record_every(10).unwrap();
    let go = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                run(
                    &spec,
                    |s| params.build(s),
                    |_| {
                        Ok(BurnIn::new(
                            10,
                            Jury::learning(
                                &params,
                                JuryRule::EqualOpportunity { tolerance: 0.05 },
                                false,
                                false,
                            ),
                        ))
                    },
                )
                .unwrap()
            })
    };
    let (a, b) = (go(1), go(2));
    for (x, y) in a.runs.iter().zip(&b.runs) {
        assert!(x
            .values()
            .iter()
            .zip(y.values())
            .all(|(p, q)| p.to_bits() == q.to_bits()));
    }
}
