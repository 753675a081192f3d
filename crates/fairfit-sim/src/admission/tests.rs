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

/// Mean and variance of `clip(N(mean, sd²), min, max)`.
fn clipped_normal_moments(mean: f64, sd: f64, min: f64, max: f64) -> (f64, f64) {
    use statrs::distribution::Continuous;
    let z = Normal::new(0.0, 1.0).unwrap();
    let (a, b) = ((min - mean) / sd, (max - mean) / sd);
    let (fa, fb, pa, pb) = (z.cdf(a), z.cdf(b), z.pdf(a), z.pdf(b));
    let first = min * fa + max * (1.0 - fb) + mean * (fb - fa) + sd * (pa - pb);
    let inside = (mean * mean + sd * sd) * (fb - fa)
        + 2.0 * mean * sd * (pa - pb)
        + sd * sd * (a * pa - b * pb);
    let second = min * min * fa + max * max * (1.0 - fb) + inside;
    (first, second - first * first)
}

/// Mean and variance of `±Beta(α, β)` with a fair sign: 0 and E[B²].
fn signed_beta_moments(alpha: f64, beta: f64) -> (f64, f64) {
    let s = alpha + beta;
    let (m, v) = (alpha / s, alpha * beta / (s * s * (s + 1.0)));
    (0.0, v + m * m)
}

fn assert_moments(what: &str, draws: &[f64], (mean, variance): (f64, f64)) {
    let n = draws.len() as f64;
    let m = draws.iter().sum::<f64>() / n;
    let v = draws.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    // Standard errors; bounded noise has kurtosis below 3, so Var(s²) ≤ 2σ⁴/n.
    let (se_mean, se_var) = ((variance / n).sqrt(), variance * (2.0 / n).sqrt());
    assert!(
        (m - mean).abs() < 4.0 * se_mean,
        "{what}: mean {m} against {mean} ± {se_mean}"
    );
    assert!(
        (v - variance).abs() < 4.0 * se_var,
        "{what}: variance {v} against {variance} ± {se_var}"
    );
}

#[test]
fn noise_parameters_are_typed_errors() {
    for noise in [
        Noise::Gaussian {
            mean: 0.1,
            sd: -0.01,
            min: -0.3,
            max: 0.3,
        },
        Noise::Gaussian {
            mean: 0.4,
            sd: 0.01,
            min: -0.3,
            max: 0.3,
        },
        Noise::Gaussian {
            mean: 0.1,
            sd: f64::NAN,
            min: -0.3,
            max: 0.3,
        },
        Noise::Beta {
            alpha: 0.0,
            beta: 1.0,
        },
        Noise::Beta {
            alpha: 1.0,
            beta: f64::INFINITY,
        },
    ] {
        let params = AdmissionParams {
            noise,
            noisy_features: true,
            ..AdmissionParams::default()
        };
        assert!(
            matches!(params.check(), Err(SimError::InvalidParameter { ref name, .. }) if name == "noise"),
            "{noise:?}"
        );
    }
    assert!(Noise::default().check().is_ok());
}

/// The noise on features, read as observed minus true score over many rounds (scores near 0.5,
/// so clipping to [0, 1] does not bite), has the closed-form mean and variance of a clipped
/// Gaussian (with clipping that matters) and of a signed Beta; so do direct draws.
#[test]
fn feature_noise_has_its_closed_form_mean_and_variance() {
    let cases = [
        (
            Noise::Gaussian {
                mean: 0.1,
                sd: 0.2,
                min: -0.3,
                max: 0.3,
            },
            clipped_normal_moments(0.1, 0.2, -0.3, 0.3),
        ),
        (
            Noise::Beta {
                alpha: 2.0,
                beta: 30.0,
            },
            signed_beta_moments(2.0, 30.0),
        ),
    ];
    for (noise, closed) in cases {
        let params = AdmissionParams {
            score_means: vec![0.5, 0.5],
            score_sds: vec![0.02, 0.02],
            gaming: false,
            noise,
            noisy_features: true,
            ..AdmissionParams::default()
        }
        .check()
        .unwrap();
        let mut env = params.build(11).unwrap();
        let policy = Policy {
            thresholds: vec![0.5, 0.5],
            epsilon: 0.0,
        };
        let mut draws = Vec::new();
        for step in 0..3_000 {
            let truth = env.truth();
            draws.extend(truth.features.iter().zip(&truth.scores).map(|(f, s)| f - s));
            let round = env.step(step, &policy).unwrap().feedback;
            assert_eq!(round.scores.len(), 20);
        }
        assert_moments(&format!("{noise:?} on features"), &draws, closed);
        let mut rng: rand::rngs::StdRng = rand::SeedableRng::seed_from_u64(5);
        let direct: Vec<f64> = (0..60_000).map(|_| noise.sample(&mut rng)).collect();
        assert_moments(&format!("{noise:?} drawn"), &direct, closed);
    }
}

/// A metric summed over the two groups.
fn total(env: &AdmissionEnv, name: &str) -> f64 {
    let width = env.metric_names().len();
    let mut out = vec![0.0; 2 * width];
    env.measure(&mut out);
    let k = env.metric_names().iter().position(|m| m == name).unwrap();
    out[k] + out[width + k]
}

/// With noisy thresholds a manipulating applicant lands at the threshold plus noise: with the
/// gym's noise (mean 0.1, sd 0.01) manipulators sit 0.1 above the threshold on average and pay
/// for that raise; with noise that always falls short, nobody manipulates.
#[test]
fn noisy_thresholds_move_where_manipulators_land() {
    let policy = Policy {
        thresholds: vec![0.7, 0.7],
        epsilon: 0.0,
    };
    let params = AdmissionParams {
        noisy_threshold: true,
        ..AdmissionParams::default()
    }
    .check()
    .unwrap();
    let mut env = params.build(3).unwrap();
    let (mut landed, mut cost) = (Vec::new(), 0.0);
    for step in 0..500 {
        let truth = env.truth().clone();
        let round = env.step(step, &policy).unwrap().feedback;
        for i in 0..round.scores.len() {
            if round.scores[i] != truth.features[i] {
                let g = truth.groups[i];
                landed.push(round.scores[i] - 0.7);
                cost += params.cost(g, round.scores[i] - truth.features[i]);
            }
        }
    }
    let paid = total(&env, "manipulation_cost");
    assert_eq!(total(&env, "manipulated"), landed.len() as f64);
    assert!((paid - cost).abs() < 1e-9 * cost, "{paid} against {cost}");
    assert!(landed.len() > 500, "{} manipulators", landed.len());
    assert_moments(
        "landing above the threshold",
        &landed,
        clipped_normal_moments(0.1, 0.01, -0.3, 0.3),
    );

    let short = AdmissionParams {
        noisy_threshold: true,
        noise: Noise::Gaussian {
            mean: -0.1,
            sd: 0.01,
            min: -0.3,
            max: 0.3,
        },
        ..AdmissionParams::default()
    }
    .check()
    .unwrap();
    let mut env = short.build(3).unwrap();
    for step in 0..100 {
        env.step(step, &policy).unwrap();
    }
    assert_eq!(total(&env, "manipulated"), 0.0);
}

/// Noise with sd 0 on features and thresholds draws nothing and changes nothing: the run equals
/// the noiseless one bit for bit.
#[test]
fn zero_noise_reproduces_the_noiseless_run_bit_for_bit() {
    let noiseless = defaults();
    let zero = AdmissionParams {
        noise: Noise::Gaussian {
            mean: 0.1,
            sd: 0.0,
            min: -0.3,
            max: 0.3,
        },
        noisy_features: true,
        noisy_threshold: true,
        ..AdmissionParams::default()
    }
    .check()
    .unwrap();
    let spec = RunSpec::new(80, 3).unwrap().record_every(10).unwrap();
    let go = |params: &ValidAdmissionParams| {
        run(
            &spec,
            |s| params.build(s),
            |_| {
                Ok(BurnIn::new(
                    10,
                    Jury::learning(params, JuryRule::Accuracy, true, true),
                ))
            },
        )
        .unwrap()
    };
    let (a, b) = (go(&noiseless), go(&zero));
    for (x, y) in a.runs.iter().zip(&b.runs) {
        assert_eq!(x.values().len(), y.values().len());
        assert!(x
            .values()
            .iter()
            .zip(y.values())
            .all(|(p, q)| p.to_bits() == q.to_bits()));
    }
}
