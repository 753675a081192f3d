//! Runs of a sweep: one point per strategy and parameter, failures, invalid settings.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::mitigation::{CorrelationRemover, Massaging, Reweighing};
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::postprocess::Constraint;
use fairfit_train::{FairLogisticRegression, Penalty};
use ndarray::{array, Array1, Array2};

use super::*;

#[test]
fn one_point_per_method_and_parameter_with_every_metric_on_every_split() {
    let data = biased();
    let outcome = quiet(vec![
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(LAMBDAS.to_vec())),
        Box::new(Penalised::equalized_odds(vec![1.0, 10.0])),
        Box::new(Targeted::demographic_parity(vec![0.1, 0.02])),
        Box::new(Targeted::equalized_odds(vec![0.05])),
        Box::new(Preprocessed::new(Reweighing::params())),
        Box::new(Repaired::new(CorrelationRemover::params().alpha(1.0))),
        Box::new(Thresholded::new(
            Constraint::DemographicParity,
            vec![0.0, 0.05],
        )),
        Box::new(Thresholded::new(Constraint::EqualOpportunity, vec![0.0])),
        Box::new(Thresholded::new(Constraint::EqualizedOdds, vec![0.05])),
        Box::new(Thresholded::randomised(
            Constraint::EqualizedOdds,
            vec![0.0, 0.05],
        )),
        Box::new(Targeted::equalized_odds_with_thresholds(vec![0.1, 0.02])),
    ])
    .run(&data)
    .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let got: Vec<(String, String)> = outcome
        .curve
        .points()
        .iter()
        .map(|p| (p.method().to_string(), p.param_label()))
        .collect();
    let mut want: Vec<(&str, String)> = vec![("unmitigated", String::new())];
    want.extend(
        LAMBDAS
            .iter()
            .map(|l| ("dp-penalty", format!("lambda={l}"))),
    );
    want.extend([1.0, 10.0].map(|l| ("eo-penalty", format!("lambda={l}"))));
    want.extend([0.1, 0.02].map(|e| ("dp-target", format!("epsilon={e}"))));
    want.push(("eo-target", "epsilon=0.05".into()));
    want.push(("reweighing", String::new()));
    want.push(("correlation-remover", String::new()));
    want.extend([0.0, 0.05].map(|t| ("thresholds-dp", format!("tolerance={t}"))));
    want.push(("thresholds-eop", "tolerance=0".into()));
    want.push(("thresholds-eodds", "tolerance=0.05".into()));
    want.extend([0.0, 0.05].map(|t| ("thresholds-eodds (randomised)", format!("tolerance={t}"))));
    want.extend([0.1, 0.02].map(|e| ("eo-target+thresholds", format!("epsilon={e}"))));
    let want: Vec<(String, String)> = want.into_iter().map(|(m, p)| (m.into(), p)).collect();
    assert_eq!(got, want);
    for (i, p) in outcome.curve.points().iter().enumerate() {
        for split in Split::ALL {
            let have: Vec<&str> = p.metrics(split).iter().map(|m| m.name.as_str()).collect();
            assert_eq!(have, METRICS, "point {i} ({}) on {split}", p.method());
        }
        assert!(p.fit_seconds().is_some());
    }
    // Threshold rules fitted at tolerance 0 equalise the training rates they target.
    let train = |i: usize, m: &str| outcome.curve.estimate(i, Split::Train, m).unwrap().value;
    let base_dp = train(0, names::DP_DIFFERENCE);
    assert!(base_dp > 0.15, "the data must be biased: {base_dp}");
    let dp0 = outcome.curve.indices_of("thresholds-dp")[0];
    assert!(train(dp0, names::DP_DIFFERENCE) < 0.02);
    let eodds0 = outcome.curve.indices_of("thresholds-eodds (randomised)")[0];
    assert!(
        train(eodds0, names::EO_DIFFERENCE) < 1e-9,
        "randomised rules meet EO exactly"
    );
    let single = outcome.curve.indices_of("thresholds-eodds")[0];
    assert!(train(single, names::EO_DIFFERENCE) <= 0.05 + 1e-9);
    assert!(train(single, names::EO_DIFFERENCE) < 0.5 * train(0, names::EO_DIFFERENCE));
    // Thresholds on each targeted model meet the path's ε on hard training decisions, which the
    // soft-rate targets alone do not guarantee.
    for (i, epsilon) in outcome
        .curve
        .indices_of("eo-target+thresholds")
        .into_iter()
        .zip([0.1, 0.02])
    {
        assert!(
            train(i, names::EO_DIFFERENCE) <= epsilon + 1e-9,
            "ε = {epsilon}"
        );
    }
}

#[test]
fn penalty_path_gap_falls_from_first_to_last_lambda() {
    let data = biased();
    let outcome = quiet(vec![Box::new(Penalised::demographic_parity(
        LAMBDAS.to_vec(),
    ))])
    .run(&data)
    .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    let c = &outcome.curve;
    for split in [Split::Train, Split::Validation] {
        let gap = |i| c.estimate(i, split, names::DP_DIFFERENCE).unwrap().value;
        let (first, last) = (gap(0), gap(LAMBDAS.len() - 1));
        assert!(
            last < 0.5 * first,
            "{split}: DP gap {first} at λ = {} to {last} at λ = {}",
            LAMBDAS[0],
            LAMBDAS[LAMBDAS.len() - 1]
        );
    }
}

#[test]
fn a_failing_point_is_recorded_and_the_run_goes_on() {
    let mut data = biased();
    // Massaging counts rows, so it refuses weighted training data; reweighing does not.
    let n = data.train.nrows();
    data.train = data.train.clone().with_weights(Array1::ones(n)).unwrap();
    let outcome = quiet(vec![
        Box::new(Preprocessed::new(Massaging::params())),
        Box::new(Preprocessed::new(Reweighing::params())),
    ])
    .run(&data)
    .unwrap();
    assert_eq!(outcome.curve.methods(), ["reweighing"]);
    assert_eq!(outcome.failures.len(), 1);
    assert_eq!(outcome.failures[0].method, "massaging");
    assert!(matches!(outcome.failures[0].error, EvalError::Data(_)));
}

#[test]
fn invalid_grids_models_and_splits_are_typed_errors() {
    let data = biased();
    let err = |methods| quiet(methods).run(&data).unwrap_err();
    assert!(matches!(
        err(vec![]),
        EvalError::InvalidMethodParameter {
            name: "strategies",
            ..
        }
    ));
    assert!(matches!(
        err(vec![Box::new(Penalised::demographic_parity(vec![]))]),
        EvalError::InvalidMethodParameter {
            name: "lambdas",
            ..
        }
    ));
    let e = err(vec![Box::new(Penalised::demographic_parity(vec![
        1.0, -1.0,
    ]))]);
    assert!(e.to_string().contains("-1 is not a finite number"), "{e}");
    assert!(matches!(
        err(vec![Box::new(Thresholded::new(
            Constraint::DemographicParity,
            vec![f64::NAN]
        ))]),
        EvalError::InvalidMethodParameter {
            name: "tolerances",
            ..
        }
    ));
    let penalised = quiet(vec![Box::new(Unmitigated::new())])
        .model(FairLogisticRegression::params().penalty(Penalty::demographic_parity(), 1.0))
        .run(&data)
        .unwrap_err();
    assert!(matches!(
        penalised,
        EvalError::InvalidMethodParameter { name: "model", .. }
    ));

    let mut bad = data.clone();
    let fewer = bad
        .validation
        .records()
        .slice(ndarray::s![.., 1..])
        .to_owned();
    bad.validation = bad
        .validation
        .clone()
        .with_records(fewer)
        .unwrap_or_else(|_| {
            // Feature names may pin the width: rebuild without them.
            let v = &data.validation;
            FairDataset::new(
                v.records().slice(ndarray::s![.., 1..]).to_owned(),
                v.targets().to_owned(),
                v.attributes().to_vec(),
            )
            .unwrap()
        });
    let e = quiet(vec![Box::new(Unmitigated::new())])
        .run(&bad)
        .unwrap_err();
    assert!(
        matches!(
            e,
            EvalError::MismatchedSplits {
                split: Split::Validation,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn randomised_decisions_give_expected_metrics() {
    // Group a: rows (y=1, p=1), (y=0, p=0.5); group b: (y=1, p=0.5), (y=0, p=0).
    let g = SensitiveAttribute::from_values("g", &["a", "a", "b", "b"], None).unwrap();
    let data =
        FairDataset::new(Array2::zeros((4, 1)), array![1.0, 0.0, 1.0, 0.0], vec![g]).unwrap();
    let p = array![1.0, 0.5, 0.5, 0.0];
    let m = decision_metrics(p.view(), p.view(), &data).unwrap();
    let get = |name| m.iter().find(|(n, _)| *n == name).unwrap().1;
    // Expected correct: 1 + 0.5 + 0.5 + 1 = 3 of 4.
    assert_eq!(get(names::ACCURACY), 0.75);
    // Selection rates: a (1 + 0.5)/2 = 0.75, b 0.25.
    assert_eq!(get(names::DP_DIFFERENCE), 0.5);
    assert_eq!(get(names::DP_RATIO), 1.0 / 3.0);
    // TPR a 1, b 0.5; FPR a 0.5, b 0.
    assert_eq!(get(names::TPR_DIFFERENCE), 0.5);
    assert_eq!(get(names::EO_DIFFERENCE), 0.5);
    // A rule selecting nobody: parity holds (difference 0), the ratio 0 / 0 is left out.
    let none = Array1::zeros(4);
    let m = decision_metrics(none.view(), none.view(), &data).unwrap();
    assert!(m.iter().all(|(n, _)| *n != names::DP_RATIO));
    assert_eq!(
        m.iter()
            .find(|(n, _)| *n == names::DP_DIFFERENCE)
            .unwrap()
            .1,
        0.0
    );
    assert_eq!(
        m.iter().find(|(n, _)| *n == names::ACCURACY).unwrap().1,
        0.5
    );
    let bad = array![1.0, 1.5, 0.0, 0.0];
    assert!(matches!(
        decision_metrics(bad.view(), p.view(), &data),
        Err(crate::EvalError::OutOfDomain { row: 1, .. })
    ));
    assert!(matches!(
        classification_metrics(array![0.5, 0.5].view(), &data),
        Err(crate::EvalError::LengthMismatch { found: 2, .. })
    ));
}
