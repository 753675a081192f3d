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

/// The exponentiated-gradient points are the runs of one path over the grid, every ε answered
/// by the same learner: each point is its path run (training accuracy and DP difference to
/// 1e-12), each run is within 2ν (plus the learners' tolerance) of the independent run's
/// training error and within ν of its bounds; and an ε whose run fails fails alone, the runs
/// after it those of a path without it.
#[test]
fn exponentiated_gradient_points_are_one_path_within_the_guarantee_of_independent_fits() {
    use fairfit_data::fairness::Notion;
    use fairfit_train::reductions::{EgFit, ExponentiatedGradient};
    use fairfit_train::{FairLogisticRegression, Logistic, ParamGuard};
    let data = biased();
    let train = &data.train;
    let y = train.targets();
    let epsilons = [0.05, 0.02, 0.01];
    // A ratio's bound must be at most 1: 1.5 passes the sweep's grid check and fails its run.
    let ratio = Notion::demographic_parity().ratio();
    let ratio_epsilons = [0.3, 1.5, 0.2];
    let outcome = quiet(vec![
        Box::new(ExpGradient::demographic_parity(epsilons.to_vec())),
        Box::new(ExpGradient::new(
            "expgrad-dpr",
            ratio.clone(),
            ratio_epsilons.to_vec(),
        )),
    ])
    .resamples(0)
    .run(&data)
    .unwrap();
    let failures: Vec<(&str, &str)> = outcome
        .failures
        .iter()
        .map(|f| (f.method.as_str(), f.params.as_str()))
        .collect();
    assert_eq!(failures, [("expgrad-dpr", "epsilon=1.5")]);
    let points = outcome.curve.points();
    assert_eq!(points.len(), epsilons.len() + 2);
    let learner = FairLogisticRegression::params().check().unwrap();
    let path = |notion: &Notion, grid: &[f64]| -> Vec<EgFit<Logistic>> {
        let mut path = ExponentiatedGradient::params(notion.clone(), grid[0])
            .learner(learner.clone())
            .path(train)
            .unwrap();
        grid.iter().map(|&e| path.fit(e).unwrap()).collect()
    };
    let train_metric = |k: usize, name| points[k].metric(Split::Train, name).unwrap().value;
    // The expected accuracy and DP difference of a randomised model on the training split.
    let metrics = |fit: &EgFit<Logistic>| {
        let p = fit.model().decision_probabilities(train.records()).unwrap();
        let accuracy = p
            .iter()
            .zip(y)
            .map(|(p, y)| if *y == 1.0 { *p } else { 1.0 - p })
            .sum::<f64>()
            / p.len() as f64;
        let of = train.groups().of_row();
        let rate = |g: usize| {
            let rows: Vec<f64> = (0..p.len()).filter(|&i| of[i] == g).map(|i| p[i]).collect();
            rows.iter().sum::<f64>() / rows.len() as f64
        };
        (accuracy, (rate(0) - rate(1)).abs())
    };
    let error = |f: &EgFit<Logistic>| {
        let m = f.model();
        m.hypotheses()
            .iter()
            .zip(m.weights())
            .map(|(h, w)| w * h.error)
            .sum::<f64>()
    };
    let dp = Notion::demographic_parity();
    for (k, (fit, &epsilon)) in path(&dp, &epsilons).iter().zip(&epsilons).enumerate() {
        assert_eq!(points[k].param("epsilon"), Some(epsilon));
        let (accuracy, gap) = metrics(fit);
        let (sweep_accuracy, sweep_gap) = (
            train_metric(k, names::ACCURACY),
            train_metric(k, names::DP_DIFFERENCE),
        );
        assert!((sweep_accuracy - accuracy).abs() < 1e-12, "ε = {epsilon}");
        assert!((sweep_gap - gap).abs() < 1e-12, "ε = {epsilon}");
        // γ ≤ ε + ν on the point itself, and on every constraint of its run.
        let nu = fit.report().nu;
        assert!(
            sweep_gap <= epsilon + nu + 1e-12,
            "ε = {epsilon}: {sweep_gap}"
        );
        for (g, c) in fit.model().training_gamma().iter().zip(fit.constraints()) {
            assert!(g - c.bound <= nu + 1e-12, "{}: {g}", c.name);
        }
        // Within the guarantee's 2ν of the independent run, up to the learners' tolerance.
        let alone = ExponentiatedGradient::params(dp.clone(), epsilon)
            .learner(learner.clone())
            .fit(train)
            .unwrap();
        let (a, b) = (error(fit), error(&alone));
        assert!(
            (a - b).abs() <= 2.0 * nu + 1e-3,
            "ε = {epsilon}: {a} vs {b}"
        );
        assert!(((1.0 - sweep_accuracy) - a).abs() < 1e-12, "ε = {epsilon}");
    }
    // The failing ε left the learner as it was: the later run is that of a path without it.
    let without = path(&ratio, &[0.3, 0.2]);
    for (k, fit) in [(3, &without[0]), (4, &without[1])] {
        let (accuracy, _) = metrics(fit);
        assert!((train_metric(k, names::ACCURACY) - accuracy).abs() < 1e-12);
    }
    assert_eq!(points[4].param("epsilon"), Some(0.2));
}
