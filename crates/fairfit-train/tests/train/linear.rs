//! Linear regression on the same machinery.

use fairfit_train::EvaluateOnScores;
use fairfit_train::{FairLinearRegression, Penalty, Statistic};
use linfa::traits::Predict;
use ndarray::Array1;

use crate::common::{regression, synthetic};

#[test]
fn recovers_exact_coefficients_without_noise() {
    let data = synthetic(300, 3, 2, false, 4);
    let beta = [1.5, -2.0, 0.25];
    let y = Array1::from_iter(
        data.records()
            .outer_iter()
            .map(|r| r.iter().zip(beta).map(|(x, b)| x * b).sum::<f64>() + 0.75),
    );
    let data = data.with_targets(y.clone()).unwrap();
    let model = FairLinearRegression::params()
        .l2(0.0)
        .gradient_tolerance(1e-10)
        .fit(&data)
        .unwrap();
    for (w, b) in model.coefficients().iter().zip(beta) {
        assert!((w - b).abs() < 1e-8, "{w} vs {b}");
    }
    assert!((model.intercept() - 0.75).abs() < 1e-8);
    let predicted: Array1<f64> = model.predict(&data.records().to_owned());
    assert!((predicted - y).iter().all(|r| r.abs() < 1e-7));
}

#[test]
fn parity_and_bounded_group_loss_penalties_act_on_their_statistics() {
    let data = regression(900, 3, 3, 6);
    let base = FairLinearRegression::params().fit(&data).unwrap();
    let values = |m: &fairfit_train::FittedLinear, s: Statistic| {
        let scores = m.decision_function(data.records()).unwrap();
        s.evaluate(m.loss(), &data, scores.view()).unwrap()
    };
    let parity = FairLinearRegression::params()
        .penalty(Penalty::mean_prediction_parity(), 20.0)
        .fit(&data)
        .unwrap();
    let (g0, g1) = (
        values(&base, Statistic::mean_prediction()).soft_gap(),
        values(&parity, Statistic::mean_prediction()).soft_gap(),
    );
    assert!(g1 < 0.2 * g0, "mean-prediction gap {g1} vs {g0}");
    let bgl = FairLinearRegression::params()
        .penalty(Penalty::bounded_group_loss(50.0), 5.0)
        .fit(&data)
        .unwrap();
    let worst = |v: fairfit_train::GroupValues| v.soft.iter().copied().fold(f64::MIN, f64::max);
    let (w0, w1) = (
        worst(values(&base, Statistic::mean_loss())),
        worst(values(&bgl, Statistic::mean_loss())),
    );
    assert!(w1 < w0, "worst-group MSE {w1} vs {w0}");
}
