//! Targets bind decisions: on Adult, COMPAS and German credit, every notion's target is met on
//! the hard training decisions the returned model makes (or the fit says it is infeasible);
//! the classic soft constraint misses where the README's issue found it missing; and a target
//! that only a constant rule meets is refused as one.

use fairfit::data::fairness::{decide, Notion};
use fairfit::data::{reference, FairDataset, SensitiveAttribute};
use fairfit::eval::metrics::{notion_disparity, Outcomes};
use fairfit::train::{
    Binding, FairLinearRegression, FairLogisticRegression, ParamGuard, Statistic, Target,
    TargetedFit, TrainError,
};
use ndarray::{Array1, Array2};

/// The notion's value on the model's hard decisions, from evaluation's own metric.
fn metric_on_decisions(notion: &Notion, data: &FairDataset, scores: &Array1<f64>) -> f64 {
    let decisions: Vec<bool> = scores.iter().map(|&s| decide(s)).collect();
    let labels = data.labels().expect("0/1 labels");
    let outcomes = Outcomes::classification(&labels, &decisions).expect("matching lengths");
    notion_disparity(notion, &outcomes, data.groups())
        .expect("every group has rows in every cell")
        .value
}

#[test]
fn every_notion_is_met_on_hard_training_decisions_on_the_three_data_sets() {
    let dir = reference::datasets_dir();
    let sets = [
        ("adult", reference::adult(&dir).expect("Adult loads").train),
        (
            "compas",
            reference::compas(&dir).expect("COMPAS loads").train,
        ),
        (
            "german",
            reference::german(&dir).expect("German loads").train,
        ),
    ];
    let notions = [
        (Notion::demographic_parity(), 0.02),
        (Notion::equal_opportunity(), 0.03),
        (Notion::false_positive_parity(), 0.02),
        (Notion::equalized_odds(), 0.05),
        (Notion::error_rate_parity(), 0.02),
        (Notion::demographic_parity().ratio(), 0.8),
    ];
    let params = FairLogisticRegression::params()
        .l2(1e-3)
        .check()
        .expect("valid parameters");
    for (name, data) in &sets {
        for (notion, limit) in &notions {
            let targets = Target::for_notion(notion, *limit).expect("a smooth notion");
            // All 18 are met: before the fit aimed a missed rate inside its limit, COMPAS's
            // equalized odds at 0.05 ended as a near-miss Infeasible (0.0513).
            let fit = TargetedFit::new(params.clone(), targets)
                .expect("valid targets")
                .fit(data)
                .unwrap_or_else(|e| panic!("{name}, {} at {limit}: {e}", notion.label()));
            for outcome in &fit.outcomes {
                assert!(
                    outcome.met_on_decisions(),
                    "{name}, {}: {} reached {}",
                    notion.label(),
                    outcome.target.statistic.name(),
                    outcome.achieved_hard
                );
            }
            // Evaluation's metric of the notion, on the same decisions, agrees.
            let scores = fit
                .model
                .decision_function(data.records())
                .expect("training width");
            let value = metric_on_decisions(notion, data, &scores);
            let met = if notion.aggregate().larger_is_worse() {
                value <= *limit + 1e-12
            } else {
                value >= *limit - 1e-12
            };
            assert!(met, "{name}, {}: metric {value} vs {limit}", notion.label());
            let profile = fit.decisions.as_ref().expect("a classifier's decisions");
            assert!(
                !profile.is_degenerate(),
                "{name}, {}: {profile}",
                notion.label()
            );
        }
    }
}

#[test]
fn on_compas_the_soft_constraint_misses_on_decisions_and_the_default_meets() {
    // Zafar et al.'s finding the issue measured: held on probabilities, a false-positive-rate
    // target leaves a larger gap between the decisions.
    let compas = reference::compas(reference::datasets_dir())
        .expect("COMPAS loads")
        .train;
    let params = FairLogisticRegression::params()
        .l2(1e-3)
        .check()
        .expect("valid");
    let target = vec![Target::gap(Statistic::false_positive_rate(), 0.005)];
    let soft = TargetedFit::new(params.clone(), target.clone())
        .expect("valid")
        .binding(Binding::Scores)
        .fit(&compas)
        .expect("the soft constraint is met");
    assert!(soft.outcomes[0].achieved <= 0.005 + 1e-4);
    assert!(
        soft.outcomes[0].achieved_hard > 0.005,
        "the soft constraint happened to meet it on decisions: {}",
        soft.outcomes[0].achieved_hard
    );
    let hard = TargetedFit::new(params, target)
        .expect("valid")
        .fit(&compas)
        .expect("met on decisions");
    assert!(hard.outcomes[0].achieved_hard <= 0.005 + 1e-12);
    // The smooth values were held to the decisions through their offsets.
    assert!(hard.outcomes[0].shifts.iter().any(|d| d.abs() > 1e-3));
}

#[test]
fn a_target_only_a_constant_rule_meets_is_refused_as_one() {
    // No feature varies: every model decides everyone alike, which meets parity trivially.
    let n = 40;
    let groups: Vec<&str> = (0..n).map(|i| if i < 20 { "a" } else { "b" }).collect();
    let labels = Array1::from_iter((0..n).map(|i| f64::from(u8::from(i % 4 == 0 || i < 12))));
    let data = FairDataset::new(
        Array2::zeros((n, 1)),
        labels,
        vec![SensitiveAttribute::from_values("g", &groups, None).expect("two groups")],
    )
    .expect("a valid data set");
    let params = FairLogisticRegression::params().check().expect("valid");
    let err = TargetedFit::new(params.clone(), Target::equalized_odds(0.02))
        .expect("valid")
        .fit(&data)
        .expect_err("a constant rule is not a success");
    match err {
        TrainError::ConstantRule {
            decision, target, ..
        } => {
            assert_eq!(target, 0.02);
            // 15 of 40 labels are positive: the model decides the majority class, 0.
            assert!(!decision);
        }
        other => panic!("expected ConstantRule, got {other}"),
    }
    // Without a target the same model is the plain fit, and its profile names it.
    let plain = TargetedFit::new(params, vec![])
        .expect("valid")
        .fit(&data)
        .expect("the plain fit");
    let profile = plain.degenerate().expect("a constant rule is degenerate");
    assert_eq!(profile.constant(), Some(false));
    assert_eq!(profile.to_string(), "constant rule: decides 0 for everyone");
}

/// Adult with `hours-per-week` moved out of the features and into the targets (as the
/// `fair_regression` example does): a regression on a reference data set.
fn adult_hours() -> FairDataset {
    let adult = reference::adult(reference::datasets_dir())
        .expect("Adult loads")
        .train;
    let names = adult.feature_names();
    let j = names
        .iter()
        .position(|n| n == "hours-per-week")
        .expect("the protocol keeps hours-per-week");
    let keep: Vec<usize> = (0..names.len()).filter(|&k| k != j).collect();
    FairDataset::new(
        adult.records().select(ndarray::Axis(1), &keep),
        adult.records().column(j).to_owned(),
        adult.attributes().to_vec(),
    )
    .expect("a valid regression data set")
}

#[test]
fn regression_targets_are_met_on_adult_hours_per_week() {
    let data = adult_hours();
    let params = FairLinearRegression::params()
        .l2(1e-3)
        .check()
        .expect("valid parameters");
    let plain = TargetedFit::new(params.clone(), vec![])
        .expect("valid")
        .fit(&data)
        .expect("the plain fit");
    // Read by hand from the predictions, apart from the statistic engine the fit uses: the
    // gap between the groups' mean predictions, or the largest group mean squared error.
    let y = data.targets();
    let read = |fit: &fairfit::train::TargetedModel<fairfit::train::Linear>, notion: &Notion| {
        let y_hat = fit
            .model
            .decision_function(data.records())
            .expect("training width");
        let mut sums = vec![(0.0, 0.0, 0.0); data.groups().n_groups()];
        for (i, &g) in data.groups().of_row().iter().enumerate() {
            sums[g].0 += y_hat[i];
            sums[g].1 += (y_hat[i] - y[i]).powi(2);
            sums[g].2 += 1.0;
        }
        let means: Vec<f64> = sums.iter().map(|s| s.0 / s.2).collect();
        let losses: Vec<f64> = sums.iter().map(|s| s.1 / s.2).collect();
        if notion == &Notion::bounded_group_loss() {
            losses.iter().cloned().fold(f64::MIN, f64::max)
        } else {
            means.iter().cloned().fold(f64::MIN, f64::max)
                - means.iter().cloned().fold(f64::MAX, f64::min)
        }
    };
    // Mean-prediction parity: the unconstrained gap (in standard units of hours) is large; a
    // tenth of it is met, and the hand reading of the predictions agrees.
    let parity = Notion::mean_prediction_parity();
    let free_gap = read(&plain, &parity);
    assert!(
        free_gap > 0.2,
        "unconstrained mean-prediction gap {free_gap}"
    );
    let limit = free_gap / 10.0;
    let fit = TargetedFit::new(
        params.clone(),
        Target::for_notion(&parity, limit).expect("a target"),
    )
    .expect("valid")
    .fit(&data)
    .expect("met");
    assert!(fit.outcomes[0].met_on_decisions(), "{:?}", fit.outcomes[0]);
    assert!(read(&fit, &parity) <= limit + 1e-9);
    assert!(fit.decisions.is_none(), "a regression has no decisions");
    // Bounded group loss: every group's mean squared error at most 5 % above the worst
    // group's unconstrained loss is met, a bound below what any linear model reaches is not.
    let loss = Notion::bounded_group_loss();
    let worst = read(&plain, &loss);
    let fit = TargetedFit::new(
        params.clone(),
        Target::for_notion(&loss, worst * 1.05).expect("a target"),
    )
    .expect("valid")
    .fit(&data)
    .expect("a looser bound than the plain fit reaches is met");
    assert!(read(&fit, &loss) <= worst * 1.05 + 1e-9);
    let err = TargetedFit::new(params, Target::for_notion(&loss, 0.05).expect("a target"))
        .expect("valid")
        .fit(&data)
        .expect_err("no linear model predicts hours that well");
    assert!(matches!(err, TrainError::Infeasible { .. }), "{err}");
}
