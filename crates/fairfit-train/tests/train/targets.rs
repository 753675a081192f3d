//! Paths over λ and ε, and targets met by the augmented-Lagrangian loop.

use fairfit_train::EvaluateOnScores;
use fairfit_train::{
    Binding, FairLinearRegression, FairLogisticRegression, Logistic, ParamGuard, Penalty,
    PenaltyPath, Statistic, Target, TargetPath, TargetedFit, TrainError,
};

use crate::common::{regression, synthetic};

#[test]
fn a_penalty_path_returns_every_model_with_its_statistics() {
    let data = synthetic(1500, 4, 2, false, 31);
    let params = FairLogisticRegression::params().check().unwrap();
    let lambdas = PenaltyPath::<Logistic>::log_spaced(0.1, 100.0, 6);
    assert_eq!(lambdas.len(), 7);
    assert!((lambdas[6] - 100.0).abs() < 1e-9 && lambdas[0] == 0.0);
    let points = PenaltyPath::new(
        params.clone(),
        Penalty::demographic_parity(),
        lambdas.clone(),
    )
    .unwrap()
    .fit(&data)
    .unwrap();
    assert_eq!(points.len(), 7);
    let gaps: Vec<f64> = points.iter().map(|p| p.stats.gaps[0].soft_gap()).collect();
    for pair in gaps.windows(2) {
        assert!(
            pair[1] <= pair[0] + 1e-9,
            "soft gaps not decreasing: {gaps:?}"
        );
    }
    assert!(gaps[6] < 0.2 * gaps[0], "{gaps:?}");
    // The same λ fitted cold gives the same model (the path is warm-started, not different).
    let cold = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), lambdas[4])
        .fit(&data)
        .unwrap();
    for (a, b) in cold
        .coefficients()
        .iter()
        .zip(points[4].model.coefficients())
    {
        assert!((a - b).abs() < 1e-5);
    }
    assert!(points
        .iter()
        .all(|p| p.model.report().is_some_and(|r| r.converged())));
    assert!(PenaltyPath::new(params, Penalty::demographic_parity(), vec![1.0, -2.0]).is_err());
}

#[test]
fn a_demographic_parity_target_is_met_with_a_positive_multiplier() {
    let data = synthetic(1500, 4, 3, false, 17);
    let params = FairLogisticRegression::params().check().unwrap();
    let base = TargetedFit::new(params.clone(), vec![])
        .unwrap()
        .fit(&data)
        .unwrap();
    assert!(base.outcomes.is_empty());
    let scores = base.model.decision_function(data.records()).unwrap();
    let start = Statistic::positive_rate()
        .evaluate(base.model.loss(), &data, scores.view())
        .unwrap();
    let eps = 0.3 * start.hard_gap();
    let fit = TargetedFit::new(params.clone(), vec![Target::demographic_parity(eps)])
        .unwrap()
        .fit(&data)
        .unwrap();
    let outcome = &fit.outcomes[0];
    // The promise binds the decisions: their positive rates differ by at most ε...
    assert!(outcome.met_on_decisions());
    assert!(
        outcome.values.hard_gap() <= eps + 1e-12,
        "{} > {eps}",
        outcome.values.hard_gap()
    );
    assert_eq!(outcome.achieved_hard, outcome.values.hard_gap());
    // ...and it binds: the gap sits near ε (500 rows a group: steps of 0.002), with some
    // positive multiplier; the smooth values were shifted by their offsets from the hard ones.
    assert!(
        outcome.achieved_hard >= eps - 0.02,
        "{} well below {eps}",
        outcome.achieved_hard
    );
    assert!(outcome.multipliers.iter().any(|&m| m > 0.0));
    assert_eq!(outcome.shifts.len(), 3);
    assert!((outcome.values.soft_gap() - outcome.achieved).abs() < 1e-12);
    let profile = fit.decisions.as_ref().unwrap();
    assert!(fit.degenerate().is_none(), "{profile}");

    // Bound on the smooth statistic instead, the classic soft constraint: the probabilities
    // meet ε within the tolerance and bind.
    let soft = TargetedFit::new(params, vec![Target::demographic_parity(eps)])
        .unwrap()
        .binding(Binding::Scores)
        .fit(&data)
        .unwrap();
    let outcome = &soft.outcomes[0];
    assert!(
        outcome.achieved <= eps + 1e-4,
        "{} > {eps}",
        outcome.achieved
    );
    assert!(
        outcome.achieved >= eps - 1e-3,
        "{} < {eps}",
        outcome.achieved
    );
    assert!(outcome.shifts.is_empty());
    assert_eq!(outcome.sharpness, 1.0);
}

#[test]
fn equalized_odds_targets_and_an_epsilon_path() {
    let data = synthetic(1500, 4, 2, false, 23);
    let params = FairLogisticRegression::params().check().unwrap();
    let fit = TargetedFit::new(params.clone(), Target::equalized_odds(0.03))
        .unwrap()
        .fit(&data)
        .unwrap();
    assert_eq!(fit.outcomes.len(), 2);
    assert!(fit
        .outcomes
        .iter()
        .all(|o| o.values.hard_gap() <= 0.03 + 1e-12));
    let path = TargetPath::new(
        params,
        Statistic::positive_rate(),
        vec![0.2, 0.1, 0.05, 0.01],
    )
    .unwrap()
    .fit(&data)
    .unwrap();
    for (model, eps) in path.iter().zip([0.2, 0.1, 0.05, 0.01]) {
        let o = &model.outcomes[0];
        assert!(
            o.met_on_decisions() && o.values.hard_gap() <= eps + 1e-12,
            "{} > {eps} ({:?})",
            o.values.hard_gap(),
            (o.achieved_hard, &o.shifts, o.sharpness, &o.values.hard)
        );
    }
}

#[test]
fn unreachable_targets_are_infeasible_and_bad_epsilons_rejected() {
    let data = regression(600, 3, 3, 2);
    let params = FairLinearRegression::params()
        .max_iterations(200)
        .check()
        .unwrap();
    // No linear model has every group's MSE below 0.001 on noisy targets.
    let err = TargetedFit::new(
        params.clone(),
        vec![Target::max(Statistic::mean_loss(), 1e-3)],
    )
    .unwrap()
    .max_outer_iterations(8)
    .fit(&data)
    .unwrap_err();
    match err {
        TrainError::Infeasible {
            statistic,
            achieved,
            target,
            ..
        } => {
            assert_eq!(statistic, "mean loss");
            assert_eq!(target, 1e-3);
            assert!(achieved > 0.01);
        }
        other => panic!("expected Infeasible, got {other}"),
    }
    for eps in [-0.1, f64::NAN] {
        assert!(matches!(
            TargetedFit::new(params.clone(), vec![Target::demographic_parity(eps)]),
            Err(TrainError::InvalidParameter {
                name: "epsilon",
                ..
            })
        ));
    }
}
