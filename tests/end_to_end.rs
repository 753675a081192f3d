//! End to end across the three crates on the shipped Adult data: the facts the README's main job
//! promises (unpenalised test accuracy ≥ 0.845; a DP penalty reaches test DP difference ≤ 0.02).

use fairfit::data::reference;
use fairfit::data::FairDataset;
use fairfit::eval::metrics::{accuracy, demographic_parity_difference};
use fairfit::train::{FairLogisticRegression, FittedLogistic, Penalty};

fn test_accuracy_and_dp(model: &FittedLogistic, test: &FairDataset) -> (f64, f64) {
    let y = test.labels().expect("Adult labels are 0/1");
    let y_hat: Vec<bool> = model
        .predict_proba(test.records())
        .expect("Adult test has the training width and finite features")
        .iter()
        .map(|&p| p >= 0.5)
        .collect();
    let acc = accuracy(&y, &y_hat, None).expect("accuracy is defined");
    let dp = demographic_parity_difference(&y_hat, test.groups(), None)
        .expect("both groups are present")
        .value;
    (acc, dp)
}

#[test]
fn adult_unpenalised_and_dp_penalised() {
    let adult = reference::adult(reference::datasets_dir()).expect("Adult loads");
    let plain = FairLogisticRegression::params()
        .l2(1e-4)
        .fit(&adult.train)
        .expect("the unpenalised fit converges");
    let (acc, dp) = test_accuracy_and_dp(&plain, &adult.test);
    assert!(acc >= 0.845, "unpenalised test accuracy {acc}");
    assert!(dp > 0.15, "unpenalised test DP difference {dp}");

    let fair = FairLogisticRegression::params()
        .l2(1e-4)
        .penalty(Penalty::demographic_parity(), 11.0)
        .fit(&adult.train)
        .expect("the penalised fit converges");
    let (fair_acc, fair_dp) = test_accuracy_and_dp(&fair, &adult.test);
    assert!(fair_dp <= 0.02, "penalised test DP difference {fair_dp}");
    assert!(
        fair_acc > 0.8 && fair_acc < acc,
        "penalised test accuracy {fair_acc}"
    );
}
