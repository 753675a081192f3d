//! Tests of the Pareto analysis: fronts, hypervolume, the comparison table and best-at-gap selection by hand, and the front against brute force.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use super::*;
use crate::curve::fixtures::validated_point;
use crate::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
use crate::error::EvalError;
use approx::assert_abs_diff_eq;
use proptest::prelude::*;

fn axes() -> (Axis, Axis) {
    (
        Axis::minimise(names::DP_DIFFERENCE),
        Axis::maximise(names::ACCURACY),
    )
}

fn curve_of(points: &[(f64, f64)]) -> TradeoffCurve {
    TradeoffCurve::from_points(
        points
            .iter()
            .map(|&(gap, acc)| {
                CurvePoint::new("m")
                    .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
                    .with_metric(Split::Test, names::ACCURACY, acc)
            })
            .collect(),
    )
    .unwrap()
}

#[test]
fn front_and_hypervolume_of_a_constructed_set() {
    // Two dominated points: (0.3, 0.84) by (0.2, 0.85); (0.15, 0.75) by (0.1, 0.8).
    let c = curve_of(&[
        (0.1, 0.8),
        (0.2, 0.85),
        (0.05, 0.7),
        (0.3, 0.84),
        (0.15, 0.75),
    ]);
    let (x, y) = axes();
    assert_eq!(pareto_front(&c, &x, &y).unwrap(), [2, 0, 1]);
    // Strips against (0.5, 0.5): 0.45·0.2 + 0.4·0.1 + 0.3·0.05 = 0.145.
    let hv = hypervolume(&c, &x, &y, Reference::new(0.5, 0.5)).unwrap();
    assert_abs_diff_eq!(hv, 0.145, epsilon = 1e-12);
    // Only the front matters: dropping dominated points changes nothing.
    let front_only = curve_of(&[(0.1, 0.8), (0.2, 0.85), (0.05, 0.7)]);
    assert_abs_diff_eq!(
        hypervolume(&front_only, &x, &y, Reference::new(0.5, 0.5)).unwrap(),
        hv,
        epsilon = 1e-15
    );
}

#[test]
fn directions_change_the_front_and_duplicates_stay() {
    let c = curve_of(&[(0.1, 0.8), (0.2, 0.9), (0.1, 0.8), (0.2, 0.7)]);
    let (x, y) = axes();
    assert_eq!(pareto_front(&c, &x, &y).unwrap(), [0, 2, 1]);
    // Maximising both: only (0.2, 0.9) survives.
    let xmax = Axis::maximise(names::DP_DIFFERENCE);
    assert_eq!(pareto_front(&c, &xmax, &y).unwrap(), [1]);
    // Minimising both: (0.1, 0.8) twice and (0.2, 0.7).
    let ymin = Axis::minimise(names::ACCURACY);
    assert_eq!(pareto_front(&c, &x, &ymin).unwrap(), [0, 2, 3]);
    // Hypervolume with maximised x: box from (0, 0) to (0.2, 0.9).
    let hv = hypervolume(&c, &xmax, &y, Reference::new(0.0, 0.0)).unwrap();
    assert_abs_diff_eq!(hv, 0.18, epsilon = 1e-12);
}

#[test]
fn reference_must_be_dominated_and_finite() {
    let c = curve_of(&[(0.1, 0.8), (0.6, 0.9)]);
    let (x, y) = axes();
    let err = hypervolume(&c, &x, &y, Reference::new(0.5, 0.5)).unwrap_err();
    assert!(
        matches!(err, EvalError::ReferenceNotDominated { point: 1, .. }),
        "{err}"
    );
    assert!(matches!(
        hypervolume(&c, &x, &y, Reference::new(f64::NAN, 0.5)),
        Err(EvalError::InvalidParameter { .. })
    ));
    // A point on the reference's edge is allowed and adds nothing.
    let hv = hypervolume(&c, &x, &y, Reference::new(0.6, 0.8)).unwrap();
    assert_abs_diff_eq!(hv, 0.0, epsilon = 1e-15);
    assert!(matches!(
        hypervolume(&TradeoffCurve::new(), &x, &y, Reference::new(1.0, 0.0)),
        Err(EvalError::Empty(_))
    ));
}

#[test]
fn comparison_table_by_hand() {
    let mut c = curve_of(&[(0.1, 0.8), (0.2, 0.85), (0.3, 0.84)]);
    let other = TradeoffCurve::from_points(
        [(0.05, 0.75), (0.15, 0.86)]
            .iter()
            .map(|&(gap, acc)| {
                CurvePoint::new("n")
                    .with_param("eps", gap)
                    .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
                    .with_metric(Split::Test, names::ACCURACY, acc)
            })
            .collect(),
    )
    .unwrap();
    c.extend(other);
    let (gap, acc) = axes();
    let t = Comparison::new(&c, &acc, &gap, Reference::new(0.5, 0.5), 0.12).unwrap();
    let (m, n) = (&t.rows()[0], &t.rows()[1]);
    assert_eq!((m.points, m.front_points, m.on_joint_front), (3, 2, 1));
    assert_eq!((n.points, n.front_points, n.on_joint_front), (2, 2, 2));
    // m: 0.4·0.3 + 0.3·0.05 = 0.135; n: 0.45·0.25 + 0.35·0.11 = 0.151.
    assert_abs_diff_eq!(m.hypervolume, 0.135, epsilon = 1e-12);
    assert_abs_diff_eq!(n.hypervolume, 0.151, epsilon = 1e-12);
    assert_eq!((m.best_performance, m.best_gap), (0.85, 0.1));
    let at = n.best_at_gap.as_ref().unwrap();
    assert_eq!(
        (at.index, at.performance, at.params.as_str()),
        (3, 0.75, "eps=0.05")
    );
    let mut csv = Vec::new();
    t.write_csv_to(&mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(
        csv.lines().next().unwrap(),
        "method,points,front_points,on_joint_front,hypervolume,best_test.accuracy,\
         best_test.dp_difference,at_gap.params,at_gap.selected_on,at_gap.test.accuracy,\
         at_gap.test.dp_difference"
    );
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "m,3,2,1,0.135,0.85,0.1,,test,0.8,0.1"
    );
    let json: serde_json::Value = serde_json::from_str(&t.to_json().unwrap()).unwrap();
    assert_eq!(json["rows"][1]["best_at_gap"]["index"], 3);
    let pretty = t.to_string();
    assert!(pretty.contains("0.1510"), "{pretty}");
}

#[test]
fn best_at_gap_chooses_on_validation_and_reports_test() {
    let point = validated_point;
    let c = TradeoffCurve::from_points(vec![
        point((0.10, 0.90), (0.01, 0.95)), // best on test, excluded on validation
        point((0.02, 0.80), (0.03, 0.79)),
        point((0.01, 0.85), (0.04, 0.70)),
    ])
    .unwrap();
    let (gap, acc) = axes();
    let s = best_at_gap(&c, &acc, &gap, 0.02).unwrap().unwrap();
    assert_eq!(s.index, 2);
    assert_eq!(s.selected_on, Split::Validation);
    assert_eq!((s.selection_performance, s.selection_gap), (0.85, 0.01));
    assert_eq!((s.performance, s.gap), (0.70, 0.04));
    assert_eq!(best_at_gap(&c, &acc, &gap, 0.001).unwrap(), None);

    // Without validation the choice is made on test.
    let t = curve_of(&[(0.01, 0.95), (0.03, 0.99), (0.01, 0.95)]);
    let s = best_at_gap(&t, &acc, &gap, 0.02).unwrap().unwrap();
    assert_eq!((s.index, s.selected_on), (0, Split::Test));

    // A point without validation metrics in a curve that has them is an error, not a
    // silent fall-back to test.
    let mut mixed = c.clone();
    mixed.extend(curve_of(&[(0.0, 1.0)]));
    assert!(matches!(
        best_at_gap(&mixed, &acc, &gap, 0.02),
        Err(EvalError::MissingMetric {
            point: 3,
            split: Split::Validation,
            ..
        })
    ));
    assert!(best_at_gap(&c, &acc, &gap, f64::NAN).is_err());
    // A ratio axis is maximised: the bound is a floor.
    let ratio = Axis::maximise(names::DP_DIFFERENCE);
    let s = best_at_gap(&t, &acc, &ratio, 0.02).unwrap().unwrap();
    assert_eq!(s.index, 1);
}

fn brute_front(coords: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<usize> {
    (0..coords.len())
        .filter(|&i| !coords.iter().any(|&q| dominates(q, coords[i], x, y)))
        .collect()
}

proptest! {
    #[test]
    fn front_is_exactly_the_non_dominated_set(
        pts in prop::collection::vec((0u8..20, 0u8..20), 1..60),
        max_x in any::<bool>(),
        max_y in any::<bool>(),
    ) {
        // Small integer grids make ties and duplicates frequent.
        let coords: Vec<(f64, f64)> =
            pts.iter().map(|&(a, b)| (a as f64 / 20.0, b as f64 / 20.0)).collect();
        let x = if max_x { Axis::maximise("a") } else { Axis::minimise("a") };
        let y = if max_y { Axis::maximise("b") } else { Axis::minimise("b") };
        let front = front_of(&coords, &x, &y);
        for &i in &front {
            prop_assert!(
                !coords.iter().any(|&q| dominates(q, coords[i], &x, &y)),
                "front point {i} is dominated"
            );
        }
        for i in 0..coords.len() {
            if !front.contains(&i) {
                prop_assert!(
                    front.iter().any(|&f| dominates(coords[f], coords[i], &x, &y)),
                    "point {i} is off the front but no front point dominates it"
                );
            }
        }
        let mut sorted = front.clone();
        sorted.sort_unstable();
        prop_assert_eq!(sorted, brute_front(&coords, &x, &y));
    }
}
