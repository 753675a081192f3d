//! Tests of curve points and curves: validation, missing metrics, method order, JSON round trips.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use crate::error::EvalError;
use crate::estimate::{Estimate, Interval};

fn point(method: &str, lambda: f64, acc: f64, gap: f64) -> CurvePoint {
    CurvePoint::new(method)
        .with_param("lambda", lambda)
        .with_metric(Split::Test, names::ACCURACY, acc)
        .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
}

#[test]
fn push_rejects_nan_reversed_intervals_and_bad_names() {
    let mut c = TradeoffCurve::new();
    c.push(point("a", 0.0, 0.8, 0.1)).unwrap();
    let err = c.push(point("a", 1.0, f64::NAN, 0.1)).unwrap_err();
    assert!(
        matches!(&err, EvalError::NonFinitePoint { point: 1, what, .. } if what == "test accuracy"),
        "{err}"
    );
    let err = c
        .push(point("a", f64::INFINITY, 0.8, 0.1))
        .unwrap_err()
        .to_string();
    assert!(err.contains("parameter lambda"), "{err}");
    let reversed = point("a", 1.0, 0.8, 0.1).with_metric(
        Split::Train,
        "accuracy",
        Estimate::with_interval(0.8, Interval::new(0.9, 0.7, 0.95)),
    );
    assert!(matches!(
        c.push(reversed),
        Err(EvalError::InvalidInterval { point: 1, .. })
    ));
    let no_level = point("a", 1.0, 0.8, 0.1).with_metric(
        Split::Test,
        "accuracy",
        Estimate::with_interval(0.8, Interval::new(0.7, 0.9, 95.0)),
    );
    let err = c.push(no_level).unwrap_err();
    assert!(
        matches!(&err, EvalError::InvalidInterval { point: 1, reason, .. } if reason.contains("level")),
        "{err}"
    );
    let dotted = CurvePoint::new("a").with_metric(Split::Test, "acc.lower", 1.0);
    assert!(matches!(c.push(dotted), Err(EvalError::InvalidName { .. })));
    assert!(matches!(
        c.push(CurvePoint::new(" ")),
        Err(EvalError::InvalidName { .. })
    ));
    assert!(matches!(
        c.push(CurvePoint::new("a").with_fit_seconds(-1.0)),
        Err(EvalError::NonFinitePoint { .. })
    ));
    assert_eq!(c.len(), 1, "rejected points must not enter the curve");
}

#[test]
fn coordinates_name_the_missing_metric_and_reject_empty_curves() {
    let mut c = TradeoffCurve::new();
    let (x, y) = (
        Axis::minimise(names::DP_DIFFERENCE),
        Axis::maximise(names::ACCURACY),
    );
    assert!(matches!(c.coordinates(&x, &y), Err(EvalError::Empty(_))));
    c.push(point("a", 0.0, 0.8, 0.1)).unwrap();
    c.push(CurvePoint::new("b").with_metric(Split::Test, names::ACCURACY, 0.7))
        .unwrap();
    let err = c.coordinates(&x, &y).unwrap_err();
    assert!(
        matches!(&err, EvalError::MissingMetric { point: 1, split: Split::Test, metric, method }
            if metric == names::DP_DIFFERENCE && method == "b"),
        "{err}"
    );
    assert_eq!(
        err.to_string(),
        "point 1 (method `b`) has no test metric `dp_difference`"
    );
}

#[test]
fn methods_keep_first_appearance_and_replacing_a_metric_keeps_its_slot() {
    let c = TradeoffCurve::from_points(vec![
        point("b", 0.0, 0.8, 0.1),
        point("a", 0.0, 0.8, 0.1),
        point("b", 1.0, 0.7, 0.0),
    ])
    .unwrap();
    assert_eq!(c.methods(), ["b", "a"]);
    assert_eq!(c.indices_of("b"), [0, 2]);
    let p = point("a", 0.0, 0.8, 0.1).with_metric(Split::Test, names::ACCURACY, 0.5);
    assert_eq!(p.metrics(Split::Test)[0].name, names::ACCURACY);
    assert_eq!(p.metric(Split::Test, names::ACCURACY).unwrap().value, 0.5);
    assert_eq!(names::label("false_positive_rate"), "False positive rate");
}

#[test]
fn json_round_trips_and_rechecks_points() {
    let c = TradeoffCurve::from_points(vec![point("a", 0.5, 0.8, 0.1).with_metric(
        Split::Validation,
        names::ACCURACY,
        Estimate::with_interval(0.81, Interval::new(0.79, 0.83, 0.95)),
    )])
    .unwrap();
    let text = serde_json::to_string(&c).unwrap();
    let back: TradeoffCurve = serde_json::from_str(&text).unwrap();
    assert_eq!(back, c);
    let bad = text.replace("0.79", "0.95");
    assert!(serde_json::from_str::<TradeoffCurve>(&bad).is_err());
}
