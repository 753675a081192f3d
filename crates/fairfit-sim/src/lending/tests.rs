//! Tests of the lending environment's dynamics and agents. Compiled only under `#[cfg(test)]`.

use super::*;
use crate::{run, Environment, RunSpec, SimError};

fn defaults() -> ValidLendingParams {
    LendingParams::default()
        .check()
        .expect("the defaults are valid")
}

#[test]
fn bad_parameters_are_typed_errors() {
    let p = LendingParams::default();
    let not_one = LendingParams {
        group_probabilities: vec![0.5, 0.4],
        ..p.clone()
    };
    assert!(
        matches!(not_one.check(), Err(SimError::NotADistribution { ref name, .. }) if name == "group_probabilities")
    );
    let negative = LendingParams {
        cluster_probabilities: vec![vec![0.2, -0.1, 0.1, 0.2, 0.3, 0.3, 0.0], vec![1.0 / 7.0; 7]],
        ..p.clone()
    };
    assert!(
        matches!(negative.check(), Err(SimError::InvalidProbability { ref name, index: 1, .. }) if name == "cluster_probabilities[0]")
    );
    let three_groups = LendingParams {
        group_probabilities: vec![0.3, 0.3, 0.4],
        ..p.clone()
    };
    assert!(
        matches!(three_groups.check(), Err(SimError::LengthMismatch { ref name, expected: 2, found: 3, .. }) if name == "group_probabilities")
    );
    let short_cluster = LendingParams {
        cluster_probabilities: vec![vec![0.5, 0.5], vec![1.0 / 7.0; 7]],
        ..p.clone()
    };
    assert!(matches!(
        short_cluster.check(),
        Err(SimError::LengthMismatch {
            expected: 7,
            found: 2,
            ..
        })
    ));
    let bad_success = LendingParams {
        success_probabilities: vec![0.1, 0.2, 1.45, 0.6, 0.65, 0.7, 0.7],
        ..p.clone()
    };
    assert!(matches!(
        bad_success.check(),
        Err(SimError::InvalidProbability { index: 2, .. })
    ));
    for (field, bad) in [
        (
            "loan_amount",
            LendingParams {
                loan_amount: 0.0,
                ..p.clone()
            },
        ),
        (
            "interest_rate",
            LendingParams {
                interest_rate: -1.0,
                ..p.clone()
            },
        ),
        (
            "cluster_shift",
            LendingParams {
                cluster_shift: 1.5,
                ..p.clone()
            },
        ),
    ] {
        assert!(
            matches!(bad.check(), Err(SimError::InvalidParameter { ref name, .. }) if name == field)
        );
    }
}

#[test]
fn zero_steps_or_seeds_are_refused() {
    assert!(matches!(RunSpec::new(0, 5), Err(SimError::NoSteps)));
    assert!(matches!(RunSpec::new(5, 0), Err(SimError::NoSeeds)));
    assert!(RunSpec::new(5, 5).unwrap().record_every(0).is_err());
}

#[test]
fn probability_mass_is_conserved_and_stays_non_negative() {
    let params = defaults();
    let mut env = params.build(11);
    for step in 0..20_000 {
        env.step(step, &true).unwrap();
        if step % 997 == 0 || step == 19_999 {
            for d in &env.truth().distributions {
                assert!(
                    (d.iter().sum::<f64>() - 1.0).abs() < 1e-9,
                    "sum {}",
                    d.iter().sum::<f64>()
                );
                assert!(d.iter().all(|&p| p >= 0.0));
            }
        }
    }
}

#[test]
fn a_rejection_changes_nothing_and_an_approval_moves_one_shift() {
    let params = defaults();
    let mut env = params.build(5);
    let before = env.truth().distributions.clone();
    let cash = env.cash();
    env.step(0, &false).unwrap();
    assert_eq!(env.truth().distributions, before);
    assert_eq!(env.cash(), cash);
    let (applicant, repays) = (env.applicant(), env.truth().will_repay);
    let before = env.truth().distributions.clone();
    let t = env.step(1, &true).unwrap();
    assert_eq!(t.feedback, Some(repays));
    assert_eq!(t.reward, if repays { 1.0 } else { -1.0 });
    let after = &env.truth().distributions[applicant.group];
    let moved: f64 = after
        .iter()
        .zip(&before[applicant.group])
        .map(|(a, b)| (a - b).abs())
        .sum();
    let at_edge = (repays && applicant.cluster == 6) || (!repays && applicant.cluster == 0);
    let expected = if at_edge { 0.0 } else { 2.0 * 0.01 };
    assert!((moved - expected).abs() < 1e-12, "moved {moved}");
}

#[test]
fn one_step_drift_matches_its_closed_form() {
    // Many independent single steps from the initial state under a fixed randomised policy:
    // the mean change of each group's mean cluster and credit against `expected_drift`.
    let params = defaults();
    let approval = vec![
        vec![1.0, 1.0, 0.5, 1.0, 0.8, 1.0, 1.0],
        vec![0.3, 1.0, 1.0, 1.0, 0.6, 1.0, 1.0],
    ];
    let expected = expected_drift(&params, &params.params().cluster_probabilities, &approval);
    let n = 200_000;
    let mut rng = rand::rngs::StdRng::seed_from_u64(9);
    let (mut sum, mut sum_sq) = ([[0.0; 2]; 2], [[0.0; 2]; 2]);
    let mut out = vec![0.0; 2 * 15];
    for seed in 0..n {
        let mut env = params.build(seed);
        env.measure(&mut out);
        let before = [[out[7], out[6]], [out[15 + 7], out[15 + 6]]];
        let a = env.applicant();
        let approve = rand::Rng::gen::<f64>(&mut rng) < approval[a.group][a.cluster];
        env.step(0, &approve).unwrap();
        env.measure(&mut out);
        let after = [[out[7], out[6]], [out[15 + 7], out[15 + 6]]];
        for g in 0..2 {
            for k in 0..2 {
                let d = after[g][k] - before[g][k];
                sum[g][k] += d;
                sum_sq[g][k] += d * d;
            }
        }
    }
    for g in 0..2 {
        let closed = [expected[g].mean_cluster, expected[g].credit];
        for k in 0..2 {
            let mean = sum[g][k] / n as f64;
            let se = ((sum_sq[g][k] / n as f64 - mean * mean) / n as f64).sqrt();
            assert!(
                (mean - closed[k]).abs() < 4.0 * se,
                "group {g}, quantity {k}: simulated {mean} ± {se}, closed form {}",
                closed[k]
            );
        }
        // The check is sharp: the drift is many standard errors away from 0.
        assert!(expected[g].mean_cluster.abs() > 8.0 * (sum_sq[g][0] / n as f64 / n as f64).sqrt());
    }
    use rand::SeedableRng;
}

#[test]
fn the_static_environment_never_moves() {
    let params = LendingParams::default().frozen().check().unwrap();
    let mut env = params.build(3);
    for step in 0..2_000 {
        env.step(step, &true).unwrap();
    }
    assert_eq!(
        env.truth().distributions,
        params.params().cluster_probabilities
    );
}

#[test]
fn max_utility_oracle_lends_exactly_above_break_even() {
    let params = defaults();
    let agent = ThresholdAgent::max_utility_oracle(&params);
    let spec = RunSpec::new(300, 1).unwrap();
    let runs = run(&spec, |s| Ok(params.build(s)), |_| Ok(agent.clone())).unwrap();
    assert_eq!(runs.label, "max-utility (oracle)");
    // Rerun by hand to read the agent's rules: clusters with p > 1/2 (3 and up) are approved.
    let mut env = params.build(1);
    let mut agent = ThresholdAgent::max_utility_oracle(&params);
    let mut rng = rand::SeedableRng::seed_from_u64(0);
    let turn = crate::Turn::new(0, &env);
    crate::Agent::act(&mut agent, &turn, &mut rng).unwrap();
    let rules = agent.approval().unwrap();
    assert_eq!(rules.len(), 2);
    for rule in rules {
        assert_eq!(rule, &vec![0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
    }
    env.step(0, &true).unwrap();
}

#[test]
fn equal_opportunity_oracle_equalises_recall_in_the_static_environment() {
    let params = LendingParams::default().frozen().check().unwrap();
    let spec = RunSpec::new(20_000, 4)
        .unwrap()
        .record_every(20_000)
        .unwrap();
    let runs = run(
        &spec,
        |s| Ok(params.build(s)),
        |_| Ok(ThresholdAgent::equal_opportunity_oracle(&params)),
    )
    .unwrap();
    let recall = runs.metric_index("recall").unwrap();
    let (a, b) = (runs.final_values(0, recall), runs.final_values(1, recall));
    let gap: f64 = a.iter().zip(&b).map(|(x, y)| x - y).sum::<f64>() / a.len() as f64;
    // About 7,000 repayers per group and run: sampling noise of a recall near 0.8 is ~0.005.
    assert!(gap.abs() < 0.01, "mean recall gap {gap}");
}

#[test]
fn runs_are_identical_at_any_thread_count() {
    let params = defaults();
    let spec = RunSpec::new(3_000, 6).unwrap().record_every(250).unwrap();
    let go = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                run(
                    &spec,
                    |s| Ok(params.build(s)),
                    |_| {
                        Ok(crate::BurnIn::new(
                            50,
                            ThresholdAgent::new(
                                &params,
                                ThresholdPolicy::EqualOpportunity,
                                Evidence::Observed,
                                Refit::AfterApproval,
                            ),
                        ))
                    },
                )
                .unwrap()
            })
    };
    let one = go(1);
    let three = go(3);
    assert_eq!(one.runs.len(), 6);
    for (a, b) in one.runs.iter().zip(&three.runs) {
        assert_eq!(a.seed, b.seed);
        assert_eq!(a.reward.to_bits(), b.reward.to_bits());
        assert_eq!(a.steps(), b.steps());
        assert!(a
            .values()
            .iter()
            .zip(b.values())
            .all(|(x, y)| x.to_bits() == y.to_bits()));
    }
    // Different seeds do differ.
    assert_ne!(one.runs[0].values(), one.runs[1].values());
}

#[test]
fn observed_agents_learn_only_from_approved_loans() {
    let params = defaults();
    let mut agent = ThresholdAgent::new(
        &params,
        ThresholdPolicy::DemographicParity,
        Evidence::Observed,
        Refit::Every(10),
    );
    // A rejected applicant's feedback is None: nothing is learnt, no rule is fitted.
    let applicant = Applicant {
        group: 0,
        cluster: 2,
    };
    crate::Agent::<LendingEnv>::learn(&mut agent, 0, &applicant, &false, &None).unwrap();
    assert!(agent.approval().is_none());
}

#[test]
fn logistic_agent_with_a_penalty_runs_and_refuses_bad_settings() {
    let params = defaults();
    assert!(LogisticAgent::new(&params, ModelFairness::None, 0, 1e-3).is_err());
    assert!(LogisticAgent::new(&params, ModelFairness::None, 10, -1.0).is_err());
    let spec = RunSpec::new(1_500, 2).unwrap().record_every(500).unwrap();
    let runs = run(
        &spec,
        |s| Ok(params.build(s)),
        |_| {
            LogisticAgent::new(
                &params,
                ModelFairness::Penalty(fairfit_train::Penalty::equal_opportunity(), 1.0),
                250,
                1e-3,
            )
        },
    )
    .unwrap();
    assert!(runs.label.contains("penalty"));
    let loans = runs.metric_index("loans").unwrap();
    let applicants = runs.metric_index("applicants").unwrap();
    // After the first retraining it rejects some applicants (clusters below break-even).
    let (l, a) = (
        runs.final_values(1, loans),
        runs.final_values(1, applicants),
    );
    assert!(l[0] < a[0]);
}

/// The approval probabilities of the row-by-row fit (fairfit's `ThresholdOptimizer::fit` on one
/// weighted row per non-empty group × cluster × outcome), as the agent computed them before it
/// fitted on score levels; `None` where that fit needs more evidence.
fn row_fit(
    params: &ValidLendingParams,
    policy: ThresholdPolicy,
    table: &EvidenceTable,
) -> Option<Vec<Vec<f64>>> {
    if !table.covers_every_group() {
        return None;
    }
    let rows: Vec<_> = table.rows().collect();
    let scores = ndarray::Array1::from_iter(rows.iter().map(|r| r.1 as f64));
    let labels: Vec<bool> = rows.iter().map(|r| r.2).collect();
    let weights = ndarray::Array1::from_iter(rows.iter().map(|r| r.3));
    let groups = fairfit_data::Groups::new(
        params.params().group_names.clone(),
        rows.iter().map(|r| r.0).collect(),
    )
    .unwrap();
    let fitted = policy
        .optimizer(params)
        .unwrap()
        .fit(scores.view(), &labels, &groups, Some(weights.view()))
        .ok()?;
    Some(
        fitted
            .rules()
            .iter()
            .map(|rule| {
                (0..params.n_clusters())
                    .map(|c| rule.probability(c as f64))
                    .collect()
            })
            .collect(),
    )
}

/// The agent fits on score levels, refitted in place after every approval; its rules equal the
/// row-by-row fit on the same evidence at every step (within 1e-12, and in fact bit for bit),
/// for every policy, oracle and observed, in the moving environment.
#[test]
fn level_fits_equal_the_row_fit_at_every_step() {
    let params = defaults();
    let (mut exact, mut compared) = (0, 0);
    for policy in [
        ThresholdPolicy::MaxUtility,
        ThresholdPolicy::EqualOpportunity,
        ThresholdPolicy::DemographicParity,
    ] {
        for evidence in [Evidence::Oracle, Evidence::Observed] {
            let mut env = params.build(7);
            let mut agent = ThresholdAgent::new(&params, policy, evidence, Refit::AfterApproval);
            let mut observed = EvidenceTable::empty(params.n_groups(), params.n_clusters());
            let mut rng = rand::SeedableRng::seed_from_u64(3);
            let mut fitted = 0;
            for step in 0..3_000 {
                let approve =
                    crate::Agent::act(&mut agent, &crate::Turn::new(step, &env), &mut rng).unwrap();
                // Before the first fit the agent approves everyone, as a burn-in does.
                if let Some(approval) = agent.approval() {
                    let table = match evidence {
                        Evidence::Oracle => EvidenceTable::oracle(&params, env.truth()),
                        Evidence::Observed => observed.clone(),
                    };
                    let expected = row_fit(&params, policy, &table).expect("a fit existed");
                    for (a, b) in approval.iter().flatten().zip(expected.iter().flatten()) {
                        assert!(
                            (a - b).abs() <= 1e-12,
                            "{policy:?} {evidence:?} step {step}"
                        );
                        exact += usize::from(a.to_bits() == b.to_bits());
                        compared += 1;
                    }
                    fitted += 1;
                }
                let applicant = env.applicant();
                let outcome = env.step(step, &approve).unwrap();
                if let Some(repaid) = outcome.feedback {
                    observed.add(applicant.group, applicant.cluster, repaid);
                }
                crate::Agent::learn(&mut agent, step, &applicant, &approve, &outcome.feedback)
                    .unwrap();
            }
            assert!(
                fitted > 2_000,
                "{policy:?} {evidence:?}: {fitted} steps with rules"
            );
        }
    }
    assert_eq!(exact, compared, "probabilities equal bit for bit");
}
