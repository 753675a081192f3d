//! Every penalty of the catalogue: analytic gradient against central finite differences, for
//! two groups, three groups and intersectional groups, on both model kinds; typed errors.

use fairfit_data::FairDataset;
use fairfit_train::EvaluateOnScores;
use fairfit_train::{
    FairLinearRegression, FairLogisticRegression, Loss, Objective, ParamGuard, Penalty,
    SmoothAggregate, Statistic, TrainError,
};
use ndarray::Array1;

use crate::common::{random_theta, regression, synthetic};

/// Relative L2 error between the analytic gradient and central differences.
fn gradient_error(objective: &Objective<'_>, theta: &Array1<f64>) -> f64 {
    let (_, grad) = objective.value_and_gradient(theta).unwrap();
    let fd = Array1::from_iter((0..theta.len()).map(|j| {
        let h = 1e-5;
        let mut up = theta.clone();
        up[j] += h;
        let mut down = theta.clone();
        down[j] -= h;
        (objective.value_and_gradient(&up).unwrap().0
            - objective.value_and_gradient(&down).unwrap().0)
            / (2.0 * h)
    }));
    (&fd - &grad).mapv(|v| v * v).sum().sqrt() / grad.mapv(|v| v * v).sum().sqrt().max(1e-12)
}

fn classification_penalties() -> Vec<(&'static str, Penalty)> {
    vec![
        ("demographic parity", Penalty::demographic_parity()),
        ("equal opportunity", Penalty::equal_opportunity()),
        ("FPR parity", Penalty::false_positive_parity()),
        ("equalized odds", Penalty::equalized_odds()),
        ("error-rate parity", Penalty::error_rate_parity()),
        (
            "Zafar DI covariance",
            Penalty::disparate_impact_covariance(),
        ),
        ("Zafar mistreatment", Penalty::mistreatment_covariance()),
        ("prejudice remover", Penalty::prejudice_remover()),
        ("bounded group log loss", Penalty::bounded_group_loss(8.0)),
        (
            "DP, deviation from pooled",
            Penalty::demographic_parity().with_aggregate(SmoothAggregate::SquaredDeviation),
        ),
        (
            "EO, smooth range",
            Penalty::equal_opportunity()
                .with_aggregate(SmoothAggregate::SmoothRange { temperature: 20.0 }),
        ),
    ]
}

/// Two groups, three groups, and the intersection of two attributes (6 groups).
fn group_settings(data: FairDataset, three: FairDataset) -> Vec<(&'static str, FairDataset)> {
    let intersection = three.clone().with_groups_from(&["group", "band"]).unwrap();
    assert_eq!(intersection.groups().n_groups(), 6);
    vec![
        ("2 groups", data),
        ("3 groups", three),
        ("3 x 2 intersection", intersection),
    ]
}

#[test]
fn every_classification_penalty_has_the_right_gradient() {
    let settings = group_settings(synthetic(240, 4, 2, true, 1), synthetic(240, 4, 3, true, 2));
    for (groups, data) in &settings {
        for (name, penalty) in classification_penalties() {
            let params = FairLogisticRegression::params()
                .l2(0.01)
                .penalty(penalty, 2.5)
                .check()
                .unwrap();
            let objective = Objective::new(data, &params).unwrap();
            for seed in 0..2 {
                let err = gradient_error(&objective, &random_theta(5, seed));
                assert!(err < 1e-6, "{name}, {groups}: relative error {err}");
            }
        }
        // All of them at once.
        let mut params = FairLogisticRegression::params().l2(0.01);
        for (i, (_, penalty)) in classification_penalties().into_iter().enumerate() {
            params = params.penalty(penalty, 0.5 + i as f64);
        }
        let objective = Objective::new(data, &params.check().unwrap()).unwrap();
        let err = gradient_error(&objective, &random_theta(5, 9));
        assert!(err < 1e-6, "combined, {groups}: relative error {err}");
    }
}

#[test]
fn every_regression_penalty_has_the_right_gradient() {
    let settings = group_settings(regression(240, 4, 2, 3), regression(240, 4, 3, 4));
    let penalties = [
        ("mean prediction parity", Penalty::mean_prediction_parity()),
        ("bounded group MSE", Penalty::bounded_group_loss(5.0)),
        ("covariance", Penalty::disparate_impact_covariance()),
        (
            "parity, smooth range",
            Penalty::mean_prediction_parity()
                .with_aggregate(SmoothAggregate::SmoothRange { temperature: 10.0 }),
        ),
    ];
    for (groups, data) in &settings {
        let mut all = FairLinearRegression::params().l2(0.01);
        for (name, penalty) in penalties.clone() {
            all = all.penalty(penalty.clone(), 1.5);
            let params = FairLinearRegression::params()
                .l2(0.01)
                .penalty(penalty, 2.0)
                .check()
                .unwrap();
            let objective = Objective::new(data, &params).unwrap();
            let err = gradient_error(&objective, &random_theta(5, 3));
            assert!(err < 1e-6, "{name}, {groups}: relative error {err}");
        }
        let objective = Objective::new(data, &all.check().unwrap()).unwrap();
        let err = gradient_error(&objective, &random_theta(5, 5));
        assert!(
            err < 1e-6,
            "combined regression, {groups}: relative error {err}"
        );
    }
}

#[test]
fn label_conditioned_penalties_need_positives_and_negatives_in_every_group() {
    let data = synthetic(120, 3, 2, false, 8);
    // Make every row of group g1 negative.
    let targets = Array1::from_iter(
        data.targets()
            .iter()
            .zip(data.groups().of_row())
            .map(|(&y, &g)| if g == 1 { 0.0 } else { y }),
    );
    let no_positives = data.clone().with_targets(targets).unwrap();
    let err = FairLogisticRegression::params()
        .penalty(Penalty::equal_opportunity(), 1.0)
        .fit(&no_positives)
        .unwrap_err();
    assert!(
        matches!(&err, TrainError::EmptyCell { group, reason: "no rows with y = 1 (or all have weight 0)", .. } if group == "g1"),
        "{err}"
    );
    // Demographic parity does not need positives in every group.
    assert!(FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .fit(&no_positives)
        .is_ok());
    let targets = Array1::from_iter(
        data.targets()
            .iter()
            .zip(data.groups().of_row())
            .map(|(&y, &g)| if g == 0 { 1.0 } else { y }),
    );
    let no_negatives = data.with_targets(targets).unwrap();
    let err = FairLogisticRegression::params()
        .penalty(Penalty::false_positive_parity(), 1.0)
        .fit(&no_negatives)
        .unwrap_err();
    assert!(
        matches!(&err, TrainError::EmptyCell { group, reason: "no rows with y = 0 (or all have weight 0)", .. } if group == "g0"),
        "{err}"
    );
    // Classification-only statistics are refused for a regression, before any data is read.
    let err = FairLinearRegression::params()
        .penalty(Penalty::equal_opportunity(), 1.0)
        .check()
        .unwrap_err();
    assert!(matches!(err, TrainError::Unsupported { .. }), "{err}");
    assert!(FairLinearRegression::params()
        .penalty(
            Penalty::new(vec![Statistic::error_rate()], SmoothAggregate::SquaredGap),
            1.0
        )
        .check()
        .is_err());
    assert!(FairLogisticRegression::params()
        .penalty(Penalty::bounded_group_loss(0.0), 1.0)
        .check()
        .is_err());
}

#[test]
fn each_penalty_reduces_the_disparity_it_targets() {
    let data = synthetic(1200, 4, 3, false, 12);
    let base = FairLogisticRegression::params().fit(&data).unwrap();
    for (name, penalty) in classification_penalties() {
        let fair = FairLogisticRegression::params()
            .penalty(penalty.clone(), 50.0)
            .fit(&data)
            .unwrap();
        for statistic in penalty.statistics() {
            let value = |m: &fairfit_train::FittedLogistic| {
                let s = m.decision_function(data.records()).unwrap();
                let v = statistic.evaluate(m.loss(), &data, s.view()).unwrap();
                let shares: Vec<f64> = v
                    .weights
                    .iter()
                    .map(|w| w / v.weights.iter().sum::<f64>())
                    .collect();
                penalty.aggregate().evaluate(&v.soft, &shares).0
            };
            assert!(
                value(&fair) < value(&base),
                "{name}: {} vs {}",
                value(&fair),
                value(&base)
            );
        }
    }
}

/// The objective's fused pass keeps its own group × label sums for speed; this ties them to the
/// shared engine: at random parameters, the penalised objective minus the unpenalised one is
/// λ times the penalty's smooth aggregate of the soft group values `EvaluateOnScores` reads
/// through `GroupCells` — for every penalty of the catalogue, weighted and unweighted, two and
/// three groups.
#[test]
fn the_objectives_penalty_is_the_engines_soft_group_values_aggregated() {
    for (groups, weighted, seed) in [(2, false, 31), (3, true, 32)] {
        let data = synthetic(500, 3, groups, weighted, seed);
        let plain = FairLogisticRegression::params().check().unwrap();
        let plain = Objective::new(&data, &plain).unwrap();
        for (name, penalty) in classification_penalties() {
            let lambda = 2.5;
            let params = FairLogisticRegression::params()
                .penalty(penalty.clone(), lambda)
                .check()
                .unwrap();
            let objective = Objective::new(&data, &params).unwrap();
            let theta = random_theta(objective.dim(), seed + 7);
            let (with, _) = objective.value_and_gradient(&theta).unwrap();
            let (without, _) = plain.value_and_gradient(&theta).unwrap();
            let scores = objective.scores(&theta).unwrap();
            let engine: f64 = penalty
                .statistics()
                .iter()
                .map(|statistic| {
                    let v = statistic
                        .evaluate(Loss::Logistic, &data, scores.view())
                        .unwrap();
                    let total: f64 = v.weights.iter().sum();
                    let shares: Vec<f64> = v.weights.iter().map(|w| w / total).collect();
                    penalty.aggregate().evaluate(&v.soft, &shares).0
                })
                .sum();
            assert!(
                ((with - without) - lambda * engine).abs() <= 1e-10 * (1.0 + with.abs()),
                "{name}, {groups} groups: objective adds {}, engine gives {}",
                with - without,
                lambda * engine
            );
        }
    }
}

/// Issue 13: with one group there is nothing to compare. A penalty used to fit and do nothing, a
/// target to report "achieved 0", thresholds to fit one group; each is now a typed error naming
/// the single group.
#[test]
fn a_single_group_is_refused_by_penalties_targets_and_thresholds() {
    use fairfit_data::SensitiveAttribute;
    use fairfit_train::postprocess::{PostprocessError, ThresholdOptimizer};
    use fairfit_train::{Target, TargetedFit};
    let data = synthetic(200, 2, 2, false, 5);
    let only = SensitiveAttribute::from_values("sex", &vec!["F"; data.nrows()], None).unwrap();
    let data = FairDataset::new(
        data.records().to_owned(),
        data.targets().to_owned(),
        vec![only],
    )
    .unwrap();
    let single =
        |err: &TrainError| matches!(err, TrainError::SingleGroup { group, .. } if group == "F");
    let err = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 5.0)
        .fit(&data)
        .unwrap_err();
    assert!(single(&err), "{err}");
    let params = FairLogisticRegression::params().check().unwrap();
    let err = TargetedFit::new(params, vec![Target::demographic_parity(0.02)])
        .unwrap()
        .fit(&data)
        .unwrap_err();
    assert!(single(&err), "{err}");
    // Without a fairness term the model fits as usual.
    let model = FairLogisticRegression::params().fit(&data).unwrap();
    let scores = model.decision_function(data.records()).unwrap();
    let err = ThresholdOptimizer::params()
        .check()
        .unwrap()
        .fit(scores.view(), &data.labels().unwrap(), data.groups(), None)
        .unwrap_err();
    assert!(
        matches!(&err, PostprocessError::SingleGroup { group, .. } if group == "F"),
        "{err}"
    );
}
