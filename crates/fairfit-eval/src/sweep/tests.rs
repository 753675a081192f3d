//! Tests of the sweep runner, compiled only under `#[cfg(test)]`.

use fairfit_data::mitigation::{CorrelationRemover, Massaging, Reweighing};
use fairfit_data::split::{self, TrainValTest};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::postprocess::Constraint;
use fairfit_train::{FairLogisticRegression, Penalty};
use ndarray::{array, Array1, Array2};

use super::*;
use crate::curve::{names, Axis, CurvePoint, NamedEstimate};

const METRICS: [&str; 7] = [
    names::ACCURACY,
    names::BALANCED_ACCURACY,
    names::ROC_AUC,
    names::DP_DIFFERENCE,
    names::DP_RATIO,
    names::EO_DIFFERENCE,
    names::TPR_DIFFERENCE,
];

/// 2,000 rows, two groups, favourable labels of `b` flipped with probability 0.6 and a proxy of
/// `b`: the unmitigated model selects `b` far less often.
fn biased() -> TrainValTest {
    let data = BiasedParams::new(2_000, 3)
        .groups(&[("a", 0.5), ("b", 0.5)])
        .base_rate(0.5)
        .separation(2.0)
        .label_bias("b", 0.6)
        .proxy("b", 0.8)
        .seed(11)
        .generate()
        .unwrap()
        .data;
    split::train_validation_test(&data, 0.25, 0.25, 5).unwrap()
}

fn quiet(methods: Vec<Method>) -> Sweep {
    Sweep::new(methods).progress(Progress::Hidden)
}

const LAMBDAS: [f64; 4] = [0.1, 1.0, 10.0, 100.0];

#[test]
fn one_point_per_method_and_parameter_with_every_metric_on_every_split() {
    let data = biased();
    let outcome = quiet(vec![
        Method::unmitigated(),
        Method::demographic_parity_path(LAMBDAS.to_vec()),
        Method::equalized_odds_path(vec![1.0, 10.0]),
        Method::demographic_parity_targets(vec![0.1, 0.02]),
        Method::equalized_odds_targets(vec![0.05]),
        Method::preprocess(Reweighing::params()),
        Method::repair(CorrelationRemover::params().alpha(1.0)),
        Method::thresholds(Constraint::DemographicParity, vec![0.0, 0.05]),
        Method::thresholds(Constraint::EqualOpportunity, vec![0.0]),
        Method::thresholds(Constraint::EqualizedOdds, vec![0.05]),
        Method::randomized_thresholds(Constraint::EqualizedOdds, vec![0.0, 0.05]),
        Method::equalized_odds_targets_with_thresholds(vec![0.1, 0.02]),
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
    let outcome = quiet(vec![Method::demographic_parity_path(LAMBDAS.to_vec())])
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
fn selection_uses_validation_on_a_constructed_curve_and_on_a_sweep() {
    // Point 1 is the best on test within the bound, but its validation gap breaks the bound;
    // point 2 is the best on validation: the table must report point 2's test accuracy.
    let point = |m: &str, val: (f64, f64), test: (f64, f64)| {
        CurvePoint::new(m)
            .with_metric(Split::Validation, names::DP_DIFFERENCE, val.0)
            .with_metric(Split::Validation, names::ACCURACY, val.1)
            .with_metric(Split::Test, names::DP_DIFFERENCE, test.0)
            .with_metric(Split::Test, names::ACCURACY, test.1)
    };
    let curve = TradeoffCurve::from_points(vec![
        point("a", (0.01, 0.70), (0.01, 0.71)),
        point("a", (0.04, 0.90), (0.01, 0.95)),
        point("b", (0.02, 0.80), (0.03, 0.78)),
    ])
    .unwrap();
    let acc = Axis::maximise(names::ACCURACY);
    let dp = Axis::minimise(names::DP_DIFFERENCE);
    let table = SelectionTable::new(&curve, &acc, &[(dp.clone(), 0.02)]).unwrap();
    let best = table.best(0).unwrap();
    assert_eq!((best.index, best.performance, best.gap), (2, 0.78, 0.03));
    assert_eq!(best.selected_on, Split::Validation);
    assert_eq!(table.rows()[0].choices[0].as_ref().unwrap().index, 0);

    // On a sweep: the choice is the validation argmax among validation-admissible points,
    // recomputed here by hand.
    let data = biased();
    let outcome = quiet(vec![
        Method::unmitigated(),
        Method::demographic_parity_path(LAMBDAS.to_vec()),
        Method::thresholds(Constraint::DemographicParity, vec![0.0, 0.02, 0.05, 0.1]),
    ])
    .run(&data)
    .unwrap();
    let c = &outcome.curve;
    let v = |i, m| c.estimate(i, Split::Validation, m).unwrap().value;
    for bound in [0.02, 0.05, 0.1] {
        let want = (0..c.len())
            .filter(|&i| v(i, names::DP_DIFFERENCE) <= bound)
            .max_by(|&i, &j| {
                v(i, names::ACCURACY)
                    .total_cmp(&v(j, names::ACCURACY))
                    .then(j.cmp(&i))
            });
        let table = SelectionTable::new(c, &acc, &[(dp.clone(), bound)]).unwrap();
        assert_eq!(table.best(0).map(|s| s.index), want, "bound {bound}");
        if let Some(s) = table.best(0) {
            assert_eq!(
                s.performance,
                c.estimate(s.index, Split::Test, names::ACCURACY)
                    .unwrap()
                    .value
            );
        }
    }
}

#[test]
fn a_failing_point_is_recorded_and_the_run_goes_on() {
    let mut data = biased();
    // Massaging counts rows, so it refuses weighted training data; reweighing does not.
    let n = data.train.nrows();
    data.train = data.train.clone().with_weights(Array1::ones(n)).unwrap();
    let outcome = quiet(vec![
        Method::preprocess(Massaging::params()),
        Method::preprocess(Reweighing::params()),
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
            name: "methods",
            ..
        }
    ));
    assert!(matches!(
        err(vec![Method::demographic_parity_path(vec![])]),
        EvalError::InvalidMethodParameter {
            name: "lambdas",
            ..
        }
    ));
    let e = err(vec![Method::demographic_parity_path(vec![1.0, -1.0])]);
    assert!(e.to_string().contains("-1 is not a finite number"), "{e}");
    assert!(matches!(
        err(vec![Method::thresholds(
            Constraint::DemographicParity,
            vec![f64::NAN]
        )]),
        EvalError::InvalidMethodParameter {
            name: "tolerances",
            ..
        }
    ));
    let penalised = quiet(vec![Method::unmitigated()])
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
    let e = quiet(vec![Method::unmitigated()]).run(&bad).unwrap_err();
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

/// The curve's metrics (values and intervals) without the fit times, for comparing runs.
fn metrics_of(curve: &TradeoffCurve) -> Vec<Vec<NamedEstimate>> {
    curve
        .points()
        .iter()
        .flat_map(|p| Split::ALL.map(|s| p.metrics(s).to_vec()))
        .collect()
}

#[test]
fn held_out_metrics_carry_intervals_that_contain_them_and_reach_csv_and_plot() {
    let data = biased();
    let outcome = quiet(vec![
        Method::unmitigated(),
        Method::demographic_parity_path(vec![1.0, 30.0]),
        Method::randomized_thresholds(Constraint::EqualizedOdds, vec![0.0]),
    ])
    .seed(4)
    .run(&data)
    .unwrap();
    assert!(outcome.failures.is_empty(), "{:?}", outcome.failures);
    for (i, p) in outcome.curve.points().iter().enumerate() {
        assert!(p
            .metrics(Split::Train)
            .iter()
            .all(|m| m.estimate.interval.is_none()));
        for split in INTERVAL_SPLITS {
            for m in p.metrics(split) {
                let e = m.estimate;
                if m.name == names::ROC_AUC {
                    assert!(e.interval.is_none());
                    continue;
                }
                let iv = e
                    .interval
                    .unwrap_or_else(|| panic!("{i} {split} {}", m.name));
                assert_eq!(iv.level, 0.95);
                assert_eq!(iv.replicates.unwrap().total(), DEFAULT_RESAMPLES);
                assert!(iv.width() > 0.0, "{i} {split} {}: {iv:?}", m.name);
                assert!(
                    iv.contains(e.value),
                    "point {i} ({}) {split} {} = {} outside {iv:?}",
                    p.method(),
                    m.name,
                    e.value
                );
            }
        }
    }
    // The CSV carries every bound, and the trade-off plot draws a whisker per interval: on
    // both axes (test DP difference, test accuracy) for each of the 4 points, a bar and 2 caps.
    let mut csv = Vec::new();
    outcome.curve.write_csv_to(&mut csv).unwrap();
    let header = String::from_utf8(csv).unwrap();
    let header = header.lines().next().unwrap();
    for col in [
        "test.accuracy.lower",
        "test.accuracy.upper",
        "test.accuracy.level",
        "validation.dp_difference.lower",
        "validation.eo_difference.upper",
    ] {
        assert!(header.split(',').any(|h| h == col), "no {col} in {header}");
    }
    assert!(!header.contains("train.accuracy.lower") && !header.contains("roc_auc.lower"));
    let plot = crate::plot::TradeoffPlot::default().connect(false);
    // Lines in a method's colour (axes and ticks are black): whiskers only, as nothing is joined.
    let lines = |svg: &str| {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && !l.contains("#000000"))
            .count()
    };
    let with = lines(&plot.render(&outcome.curve).unwrap());
    let without = lines(
        &plot
            .clone()
            .intervals(false)
            .render(&outcome.curve)
            .unwrap(),
    );
    assert_eq!((with, without), (4 * 2 * 3, 0), "whisker lines");
}

#[test]
fn intervals_are_seeded_optional_and_shrink_as_the_split_grows() {
    let data = biased();
    let run = |sweep: Sweep| sweep.run(&data).unwrap().curve;
    let methods = || {
        vec![
            Method::unmitigated(),
            Method::preprocess(Reweighing::params()),
        ]
    };
    let a = run(quiet(methods()).seed(9));
    let b = run(quiet(methods()).seed(9));
    assert_eq!(metrics_of(&a), metrics_of(&b));
    let c = run(quiet(methods()).seed(10));
    assert_ne!(metrics_of(&a), metrics_of(&c));
    let plain = run(quiet(methods()).resamples(0));
    for p in plain.points() {
        for s in Split::ALL {
            assert!(p.metrics(s).iter().all(|m| m.estimate.interval.is_none()));
        }
    }
    // Same values without intervals: the bootstrap only adds intervals.
    let values = |c: &TradeoffCurve| -> Vec<f64> {
        metrics_of(c)
            .iter()
            .flatten()
            .map(|m| m.estimate.value)
            .collect()
    };
    assert_eq!(values(&plain), values(&a));

    // Ten times the rows: widths fall by about √10 ≈ 3.2.
    let width = |n: usize| {
        let data = BiasedParams::new(n, 3)
            .groups(&[("a", 0.5), ("b", 0.5)])
            .label_bias("b", 0.6)
            .seed(21)
            .generate()
            .unwrap()
            .data;
        let splits = split::train_validation_test(&data, 0.25, 0.25, 5).unwrap();
        let curve = quiet(vec![Method::unmitigated()])
            .run(&splits)
            .unwrap()
            .curve;
        let w = |name| {
            curve.points()[0]
                .metric(Split::Test, name)
                .unwrap()
                .interval
                .unwrap()
                .width()
        };
        (w(names::ACCURACY), w(names::DP_DIFFERENCE))
    };
    let (small, large) = (width(800), width(8_000));
    assert!(
        large.0 < 0.5 * small.0,
        "accuracy widths {small:?} → {large:?}"
    );
    assert!(large.1 < 0.5 * small.1, "DP widths {small:?} → {large:?}");

    assert!(matches!(
        quiet(methods()).interval_level(1.0).run(&data),
        Err(EvalError::InvalidMethodParameter {
            name: "interval_level",
            ..
        })
    ));
}

/// The unmitigated model fitted by hand on each fold's other rows: its pooled out-of-fold
/// decisions must give exactly the cross-validated metrics.
#[test]
fn cross_validation_pools_out_of_fold_decisions() {
    let splits = biased();
    let data = &splits.train;
    let folds = split::KFold::new(4, 3).unwrap();
    let lambdas = vec![1.0, 10.0];
    let cv = quiet(vec![
        Method::unmitigated(),
        Method::demographic_parity_path(lambdas.clone()),
        Method::thresholds(Constraint::DemographicParity, vec![0.0]),
    ])
    .resamples(50)
    .seed(2)
    .cross_validate(data, &folds)
    .unwrap();
    assert!(cv.failures.is_empty(), "{:?}", cv.failures);
    assert_eq!(cv.folds, 4);
    let labels: Vec<String> = cv.curve.points().iter().map(|p| p.param_label()).collect();
    assert_eq!(labels, ["", "lambda=1", "lambda=10", "tolerance=0"]);

    let held_out = folds.folds(&split::strata(data).unwrap()).unwrap();
    let mut decided = Array1::from_elem(data.nrows(), f64::NAN);
    let mut fold_sums = vec![0.0; METRICS.len()];
    for rows in &held_out {
        let fitting: Vec<usize> = (0..data.nrows()).filter(|r| !rows.contains(r)).collect();
        let model = FairLogisticRegression::params()
            .fit(&data.select(&fitting).unwrap())
            .unwrap();
        let fold = data.select(rows).unwrap();
        let p = model.predict_proba(fold.records()).unwrap();
        for (&r, &p) in rows.iter().zip(&p) {
            decided[r] = if p >= 0.5 { 1.0 } else { 0.0 };
        }
        for (sum, (_, value)) in fold_sums
            .iter_mut()
            .zip(classification_metrics(p.view(), &fold).unwrap())
        {
            *sum += value;
        }
    }
    // The fold mean: each fold's own metrics (ROC AUC included), averaged.
    let mean = cv.fold_mean.points()[0].metrics(Split::Validation);
    assert_eq!(mean.len(), METRICS.len());
    for ((m, name), sum) in mean.iter().zip(METRICS).zip(&fold_sums) {
        assert_eq!(m.name, name);
        assert!((m.estimate.value - sum / 4.0).abs() < 1e-12, "{name}");
        assert!(m.estimate.interval.is_none());
    }
    assert_eq!(cv.points(Pooling::FoldMean).len(), 4);
    let want = decision_metrics(decided.view(), decided.view(), data).unwrap();
    let got = cv.curve.points()[0].metrics(Split::Validation);
    let names_got: Vec<&str> = got.iter().map(|m| m.name.as_str()).collect();
    let names_want: Vec<&str> = METRICS
        .into_iter()
        .filter(|m| *m != names::ROC_AUC)
        .collect();
    assert_eq!(names_got, names_want);
    for m in got {
        let (_, value) = want.iter().find(|(n, _)| *n == m.name).unwrap();
        assert!(
            (m.estimate.value - value).abs() < 1e-12,
            "{}: {} vs {value}",
            m.name,
            m.estimate.value
        );
        let interval = m.estimate.interval.expect("resamples were asked for");
        assert!(
            interval.lower <= *value && *value <= interval.upper,
            "{}",
            m.name
        );
    }
    // Out of fold, the penalty and the thresholds still close most of the gap.
    let dp = |i: usize| {
        cv.curve
            .estimate(i, Split::Validation, names::DP_DIFFERENCE)
            .unwrap()
            .value
    };
    assert!(dp(0) > 0.15, "{}", dp(0));
    assert!(
        dp(2) < 0.5 * dp(0) && dp(3) < 0.5 * dp(0),
        "{} {}",
        dp(2),
        dp(3)
    );
}

/// The selection curve keeps a sweep's train and test metrics, takes the cross-validated ones
/// as validation, and names the points that have none.
#[test]
fn selection_curve_takes_cross_validated_metrics_and_names_points_without() {
    let splits = biased();
    let sweep = quiet(vec![
        Method::unmitigated(),
        Method::thresholds(Constraint::DemographicParity, vec![0.0, 0.05]),
    ])
    .resamples(0);
    let outcome = sweep.run(&splits).unwrap();
    let cv = quiet(vec![
        Method::unmitigated(),
        Method::thresholds(Constraint::DemographicParity, vec![0.0]),
    ])
    .resamples(0)
    .cross_validate(&splits.train, &split::KFold::new(3, 1).unwrap())
    .unwrap();
    let (chosen, left_out) = cv
        .selection_curve(&outcome.curve, Pooling::Decisions)
        .unwrap();
    let (by_mean, _) = cv
        .selection_curve(&outcome.curve, Pooling::FoldMean)
        .unwrap();
    assert_eq!(
        by_mean.points()[0].metrics(Split::Validation),
        cv.fold_mean.points()[0].metrics(Split::Validation)
    );
    assert_eq!(left_out, ["thresholds-dp tolerance=0.05"]);
    assert_eq!(chosen.len(), 2);
    for (i, p) in chosen.points().iter().enumerate() {
        let original = &outcome.curve.points()[i];
        assert_eq!(p.metrics(Split::Test), original.metrics(Split::Test));
        assert_eq!(p.metrics(Split::Train), original.metrics(Split::Train));
        assert_eq!(
            p.metrics(Split::Validation),
            cv.curve.points()[i].metrics(Split::Validation)
        );
        assert_ne!(
            p.metrics(Split::Validation),
            original.metrics(Split::Validation)
        );
    }
    // A table chosen on it says so in its header and CSV.
    let acc = Axis::maximise(names::ACCURACY);
    let table = SelectionTable::new(
        &chosen,
        &acc,
        &[(Axis::minimise(names::DP_DIFFERENCE), 0.5)],
    )
    .unwrap()
    .selected_by("3-fold cross-validation");
    assert!(table.to_string().starts_with(
        "Accuracy (test) of the point chosen on 3-fold cross-validation under each bound"
    ));
    let path =
        std::env::temp_dir().join(format!("fairfit-cv-selection-{}.csv", std::process::id()));
    table.write_csv(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(",3-fold cross-validation,"),
        "{text}"
    );
}

#[test]
fn cross_validation_rejects_too_few_rows_and_invalid_settings() {
    let splits = biased();
    let tiny = splits.train.select(&[0, 1]).unwrap();
    let err = quiet(vec![Method::unmitigated()])
        .cross_validate(&tiny, &split::KFold::new(3, 0).unwrap())
        .unwrap_err();
    assert!(matches!(err, EvalError::Data(_)), "{err}");
    let err = quiet(vec![Method::unmitigated()])
        .interval_level(1.0)
        .cross_validate(&splits.train, &split::KFold::new(3, 0).unwrap())
        .unwrap_err();
    assert!(
        matches!(
            err,
            EvalError::InvalidMethodParameter {
                name: "interval_level",
                ..
            }
        ),
        "{err}"
    );
}
