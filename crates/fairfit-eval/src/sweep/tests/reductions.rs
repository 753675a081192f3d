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

#[test]
fn bounded_group_loss_joins_a_linear_sweep() {
    use fairfit_train::{FairLinearRegression, Linear};
    let data = biased();
    // The target has a slope of its own in group b, so pooled least squares serves b worse.
    let regression = |d: &fairfit_data::FairDataset| {
        let x = d.records();
        let g = d.groups().of_row();
        let y = ndarray::Array1::from_shape_fn(d.nrows(), |i| {
            x[[i, 0]] + if g[i] == 1 { 1.5 * x[[i, 1]] } else { 0.0 }
        });
        d.clone().with_targets(y).unwrap()
    };
    let data = TrainValTest {
        train: regression(&data.train),
        validation: regression(&data.validation),
        test: regression(&data.test),
    };
    let worst = regression_names::MAX_GROUP_MSE;
    let plain = Sweep::<Linear>::of_model(
        FairLinearRegression::params(),
        vec![Box::new(Unmitigated::new())],
    )
    .progress(Progress::Hidden)
    .run(&data)
    .unwrap();
    let before = plain.curve.estimate(0, Split::Train, worst).unwrap().value;
    let epsilon = 0.8 * before;
    let outcome = Sweep::<Linear>::of_model(
        FairLinearRegression::params(),
        vec![Box::new(
            ExpGradient::bounded_group_loss(vec![epsilon]).choose(Choice::HighestWeight),
        )],
    )
    .progress(Progress::Hidden)
    .run(&data)
    .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let after = outcome
        .curve
        .estimate(0, Split::Train, worst)
        .unwrap()
        .value;
    assert!(after < before, "{after} vs {before}");
}
