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
