//! Choices among a sweep's points: on validation, or on cross-validated metrics.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_train::postprocess::Constraint;

use super::*;
use crate::curve::{Axis, CurvePoint};

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
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(LAMBDAS.to_vec())),
        Box::new(Thresholded::new(
            Constraint::DemographicParity,
            vec![0.0, 0.02, 0.05, 0.1],
        )),
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

/// The selection curve keeps a sweep's train and test metrics, takes the cross-validated ones
/// as validation, and names the points that have none.
#[test]
fn selection_curve_takes_cross_validated_metrics_and_names_points_without() {
    let splits = biased();
    let sweep = quiet(vec![
        Box::new(Unmitigated::new()),
        Box::new(Thresholded::new(
            Constraint::DemographicParity,
            vec![0.0, 0.05],
        )),
    ])
    .resamples(0);
    let outcome = sweep.run(&splits).unwrap();
    let cv = quiet(vec![
        Box::new(Unmitigated::new()),
        Box::new(Thresholded::new(Constraint::DemographicParity, vec![0.0])),
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

/// Margin selection: on validation, point 0 is the most accurate and its DP estimate is within
/// 0.02, but the upper end of its interval is not; its test gap is over the bound. Plain
/// selection picks it, margin selection picks point 1, whose interval lies within the bound and
/// whose test gap does too. A ratio is read at its interval's lower end.
#[test]
fn margin_selection_reads_the_interval_end_and_skips_a_lucky_estimate() {
    use crate::pareto::SelectionRule;
    use crate::{Estimate, Interval};
    let gap = |value: f64, lower: f64, upper: f64| {
        Estimate::with_interval(value, Interval::new(lower, upper, 0.95))
    };
    let point = |acc: f64, val_gap: Estimate, test_gap: f64, ratio: Estimate| {
        CurvePoint::new("m")
            .with_param("k", acc)
            .with_metric(Split::Validation, names::ACCURACY, acc)
            .with_metric(Split::Validation, names::DP_DIFFERENCE, val_gap)
            .with_metric(Split::Validation, names::DP_RATIO, ratio)
            .with_metric(Split::Test, names::ACCURACY, acc - 0.01)
            .with_metric(Split::Test, names::DP_DIFFERENCE, test_gap)
            .with_metric(Split::Test, names::DP_RATIO, ratio.value)
    };
    let curve = TradeoffCurve::from_points(vec![
        point(0.85, gap(0.015, 0.0, 0.041), 0.034, gap(0.9, 0.75, 0.99)),
        point(0.83, gap(0.006, 0.0, 0.018), 0.011, gap(0.95, 0.85, 1.0)),
        point(0.80, gap(0.030, 0.01, 0.050), 0.029, gap(0.97, 0.9, 1.0)),
    ])
    .unwrap();
    let acc = Axis::maximise(names::ACCURACY);
    let dp = Axis::minimise(names::DP_DIFFERENCE);
    let plain = SelectionTable::new(&curve, &acc, &[(dp.clone(), 0.02)]).unwrap();
    let margin =
        SelectionTable::by_rule(&curve, &acc, &[(dp.clone(), 0.02)], SelectionRule::Margin)
            .unwrap();
    let (p, m) = (plain.best(0).unwrap(), margin.best(0).unwrap());
    assert_eq!((p.index, p.gap, p.rule), (0, 0.034, SelectionRule::Plain));
    assert!(p.gap > 0.02, "plain selection lands over the bound on test");
    assert_eq!((m.index, m.gap, m.rule), (1, 0.011, SelectionRule::Margin));
    assert_eq!((m.selection_gap, m.selection_margin), (0.006, Some(0.018)));
    assert_eq!(p.selection_margin, None);
    // No interval's upper end is within 0.01: margin selection finds nothing, plain does.
    let tight = [(dp.clone(), 0.01)];
    let strict = SelectionTable::by_rule(&curve, &acc, &tight, SelectionRule::Margin).unwrap();
    assert_eq!(strict.best(0), None);
    assert_eq!(
        SelectionTable::new(&curve, &acc, &tight)
            .unwrap()
            .best(0)
            .map(|s| s.index),
        Some(1)
    );
    // A ratio (maximised) needs the interval's lower end above the bound.
    let ratio = [(Axis::maximise(names::DP_RATIO), 0.8)];
    let by_ratio = SelectionTable::by_rule(&curve, &acc, &ratio, SelectionRule::Margin).unwrap();
    assert_eq!(by_ratio.best(0).map(|s| s.index), Some(1));
    assert_eq!(by_ratio.best(0).unwrap().selection_margin, Some(0.85));
    // The printed table and the CSV say which rule chose.
    assert!(margin.to_string().contains("with a margin"), "{margin}");
    assert!(!plain.to_string().contains("with a margin"), "{plain}");
    let path = std::env::temp_dir().join(format!("fairfit-margin-{}.csv", std::process::id()));
    margin.write_csv(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .ends_with(",rule,selection.gap_margin"),
        "{text}"
    );
    assert!(
        text.lines().nth(1).unwrap().ends_with(",margin,0.018"),
        "{text}"
    );
    // A point without an interval cannot be chosen with a margin: a typed error, not a guess.
    let bare = TradeoffCurve::from_points(vec![CurvePoint::new("bare")
        .with_metric(Split::Validation, names::ACCURACY, 0.8)
        .with_metric(Split::Validation, names::DP_DIFFERENCE, 0.01)
        .with_metric(Split::Test, names::ACCURACY, 0.8)
        .with_metric(Split::Test, names::DP_DIFFERENCE, 0.01)])
    .unwrap();
    let missing = SelectionTable::by_rule(&bare, &acc, &[(dp, 0.02)], SelectionRule::Margin);
    assert!(
        matches!(
            missing,
            Err(EvalError::MissingInterval {
                point: 0,
                split: Split::Validation,
                ..
            })
        ),
        "{missing:?}"
    );
}

/// On a sweep with bootstrap intervals, the margin choice is the validation argmax among points
/// whose validation interval's upper end is within the bound, recomputed by hand, and it is
/// never more accurate on validation than the plain choice.
#[test]
fn margin_selection_on_a_sweep_is_the_argmax_under_the_interval_end() {
    use crate::pareto::SelectionRule;
    let outcome = quiet(vec![
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(LAMBDAS.to_vec())),
        Box::new(Thresholded::new(
            Constraint::DemographicParity,
            vec![0.0, 0.02, 0.05, 0.1],
        )),
    ])
    .resamples(100)
    .run(&biased())
    .unwrap();
    let c = &outcome.curve;
    let v = |i, m| c.estimate(i, Split::Validation, m).unwrap();
    let acc = Axis::maximise(names::ACCURACY);
    let dp = Axis::minimise(names::DP_DIFFERENCE);
    let mut chosen = 0;
    for bound in [0.02, 0.05, 0.1, 0.2] {
        let want = (0..c.len())
            .filter(|&i| v(i, names::DP_DIFFERENCE).interval.unwrap().upper <= bound)
            .max_by(|&i, &j| {
                v(i, names::ACCURACY)
                    .value
                    .total_cmp(&v(j, names::ACCURACY).value)
                    .then(j.cmp(&i))
            });
        let bounds = [(dp.clone(), bound)];
        let margin = SelectionTable::by_rule(c, &acc, &bounds, SelectionRule::Margin).unwrap();
        let plain = SelectionTable::new(c, &acc, &bounds).unwrap();
        assert_eq!(margin.best(0).map(|s| s.index), want, "bound {bound}");
        if let (Some(m), Some(p)) = (margin.best(0), plain.best(0)) {
            chosen += 1;
            assert!(m.selection_performance <= p.selection_performance);
            assert!(m.selection_margin.unwrap() <= bound);
            assert!(m.selection_gap <= m.selection_margin.unwrap());
        }
    }
    assert!(chosen > 0, "no bound admitted any point with a margin");
}
