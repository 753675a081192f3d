//! Exponentiated gradient and grid search as sweep strategies. Compiled only under
//! `#[cfg(test)]` (see the parent module).

use super::*;

#[test]
fn reductions_join_a_sweep_and_bound_the_training_gap() {
    let data = biased();
    let epsilons = [0.02, 0.05];
    let outcome = quiet(vec![Box::new(Unmitigated::new())])
        .with(ExpGradient::demographic_parity(epsilons.to_vec()))
        .with(ExpGradient::equalized_odds(vec![0.05]).choose(Choice::HighestWeight))
        .with(GridSearched::demographic_parity(5))
        .run(&data)
        .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    assert_eq!(
        outcome.curve.methods(),
        [
            "unmitigated",
            "expgrad-dp",
            "expgrad-eo-heaviest",
            "gridsearch-dp"
        ]
    );
    let points = outcome.curve.points();
    assert_eq!(points.len(), 1 + 2 + 1 + 5);
    let train_dp = |i: usize| {
        points[i]
            .metric(Split::Train, names::DP_DIFFERENCE)
            .unwrap()
            .value
    };
    // The unmitigated model is far from parity; the randomised models are within ε plus a
    // small duality-gap allowance on the training split.
    assert!(train_dp(0) > 0.1, "{}", train_dp(0));
    for (k, epsilon) in epsilons.iter().enumerate() {
        let p = &points[1 + k];
        assert_eq!(p.param("epsilon"), Some(*epsilon));
        assert!(
            train_dp(1 + k) <= epsilon + 0.01,
            "{} > {epsilon}",
            train_dp(1 + k)
        );
    }
    // Grid search: one point per multiplier vector, exactly one of them selected.
    let grid = &points[4..];
    assert_eq!(
        grid.iter()
            .filter(|p| p.param("selected") == Some(1.0))
            .count(),
        1
    );
    assert_eq!(grid[0].param("lambda"), Some(-2.0));
}
