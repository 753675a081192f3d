//! Bootstrap intervals of a sweep's held-out metrics.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::mitigation::Reweighing;
use fairfit_train::postprocess::Constraint;

use super::*;
use crate::curve::NamedEstimate;

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
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(vec![1.0, 30.0])),
        Box::new(Thresholded::randomised(
            Constraint::EqualizedOdds,
            vec![0.0],
        )),
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
    let methods = || -> Vec<Box<dyn Strategy>> {
        vec![
            Box::new(Unmitigated::new()),
            Box::new(Preprocessed::new(Reweighing::params())),
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
        let curve = quiet(vec![Box::new(Unmitigated::new())])
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
