//! Tests of the study helpers.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::split::strata;
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::TrainTest;

use super::*;
use crate::curve::{names, CurvePoint, Split};

fn protocol() -> TrainTest {
    let data = BiasedParams::new(1_000, 2)
        .groups(&[("a", 0.7), ("b", 0.3)])
        .label_bias("b", 0.5)
        .seed(4)
        .generate()
        .unwrap()
        .data;
    let rows = |r: std::ops::Range<usize>| data.select(&r.collect::<Vec<_>>()).unwrap();
    TrainTest {
        train: rows(0..800),
        test: rows(800..1_000),
    }
}

#[test]
fn benchmarks_have_keys_titles_and_loaders() {
    let keys: Vec<&str> = Benchmark::ALL.iter().map(|b| b.key()).collect();
    assert_eq!(keys, ["adult", "compas", "german"]);
    assert_eq!(Benchmark::Compas.to_string(), "COMPAS (race)");
    let missing = Benchmark::German.load(Path::new("/nonexistent/fairfit"));
    assert!(matches!(missing, Err(EvalError::Data(_))), "{missing:?}");
}

#[test]
fn the_validation_split_is_carved_by_cell_from_the_training_rows() {
    let protocol = protocol();
    let test_rows = protocol.test.nrows();
    let carved = Carved::new(protocol.clone(), 0.25, 3).unwrap();
    let Carved { splits, pool } = &carved;
    assert_eq!(splits.test.nrows(), test_rows);
    assert_eq!(pool.nrows(), 800);
    assert_eq!(splits.train.nrows() + splits.validation.nrows(), 800);
    // Every group × label cell keeps its share (to one row).
    let count =
        |d: &FairDataset, cell: usize| strata(d).unwrap().iter().filter(|&&c| c == cell).count();
    for cell in 0..4 {
        let (all, held) = (count(pool, cell), count(&splits.validation, cell));
        assert!(
            (held as f64 - 0.25 * all as f64).abs() <= 1.0,
            "cell {cell}: {held} of {all}"
        );
    }
    assert!(Carved::new(protocol, 1.5, 3).is_err());
}

#[test]
fn the_worst_corner_is_dominated_by_every_point() {
    let point = |gap: f64, acc: f64| {
        CurvePoint::new("m")
            .with_param("g", gap)
            .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
            .with_metric(Split::Test, names::ACCURACY, acc)
    };
    let curve = TradeoffCurve::from_points(vec![point(0.1, 0.8), point(0.02, 0.7)]).unwrap();
    let (gap, acc) = (
        Axis::minimise(names::DP_DIFFERENCE),
        Axis::maximise(names::ACCURACY),
    );
    let corner = worst_corner(&curve, &gap, &acc).unwrap();
    assert_eq!((corner.x, corner.y), (0.1, 0.7));
    assert!(worst_corner(&TradeoffCurve::new(), &gap, &acc).is_err());
}

#[test]
fn bars_are_read_on_every_reading_and_written() {
    // Two points: validation prefers the first (0.9), test the second (0.85 at the same gap).
    let point = |k: f64, val_acc: f64, test_acc: f64| {
        CurvePoint::new("m")
            .with_param("k", k)
            .with_metric(Split::Validation, names::ACCURACY, val_acc)
            .with_metric(Split::Validation, names::EO_DIFFERENCE, 0.01)
            .with_metric(Split::Test, names::ACCURACY, test_acc)
            .with_metric(Split::Test, names::EO_DIFFERENCE, 0.01)
    };
    let curve =
        TradeoffCurve::from_points(vec![point(1.0, 0.9, 0.8), point(2.0, 0.8, 0.85)]).unwrap();
    let reading = |name: &str| Reading {
        name: name.into(),
        curve: curve.clone(),
        left_out: vec![],
        rule: SelectionRule::Plain,
    };
    let bars = [
        Bar::new(names::EO_DIFFERENCE, 0.02, 0.84),
        Bar::new(names::EO_DIFFERENCE, 0.005, 0.5),
    ];
    let check = BarCheck::new(
        &bars,
        &[reading("validation split"), reading("3-fold CV")],
        &Axis::maximise(names::ACCURACY),
    )
    .unwrap();
    let got: Vec<(&str, Option<f64>, bool)> = check
        .outcomes()
        .iter()
        .map(|o| {
            (
                o.reading.as_str(),
                o.choice.as_ref().map(|c| c.performance),
                o.met,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("chosen on validation split", Some(0.8), false),
            ("chosen on 3-fold CV", Some(0.8), false),
            ("best on the test frontier", Some(0.85), true),
            ("chosen on validation split", None, false),
            ("chosen on 3-fold CV", None, false),
            ("best on the test frontier", None, false),
        ]
    );
    let text = check.to_string();
    assert!(text.starts_with("bound and bar; reading"), "{text}");
    assert!(text.contains("test accuracy (gap)"), "{text}");
    assert!(text.contains("EO ≤ 0.02, at least 0.840"), "{text}");
    assert!(
        text.contains("0.8500 (gap 0.0100)  met      m k=2"),
        "{text}"
    );
    let path = std::env::temp_dir().join(format!("fairfit-bar-{}.csv", std::process::id()));
    check.write_csv(&path).unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(csv.lines().count(), 7);
    assert_eq!(
        csv.lines().nth(3).unwrap(),
        "eo_difference,0.02,0.84,best on the test frontier,m,k=2,0.85,0.01,true"
    );
}

/// A plain validation reading picks a point whose test gap is over the bar's bound; the margin
/// reading of the same curve picks the point whose validation interval is within it, which
/// clears the bar: the verdict says the bar is met honestly, by the margin reading only.
#[test]
fn a_margin_reading_can_meet_a_bar_that_plain_selection_misses() {
    use crate::{Estimate, Interval};
    let point = |k: f64, acc: f64, val_gap: f64, upper: f64, test_gap: f64| {
        CurvePoint::new("m")
            .with_param("k", k)
            .with_metric(Split::Validation, names::ACCURACY, acc)
            .with_metric(
                Split::Validation,
                names::DP_DIFFERENCE,
                Estimate::with_interval(val_gap, Interval::new(0.0, upper, 0.95)),
            )
            .with_metric(Split::Test, names::ACCURACY, acc)
            .with_metric(Split::Test, names::DP_DIFFERENCE, test_gap)
    };
    let curve = TradeoffCurve::from_points(vec![
        point(1.0, 0.86, 0.015, 0.045, 0.031),
        point(2.0, 0.84, 0.005, 0.019, 0.012),
    ])
    .unwrap();
    let reading = |name: &str, rule| Reading {
        name: name.into(),
        curve: curve.clone(),
        left_out: vec![],
        rule,
    };
    let readings = [
        reading("validation split", SelectionRule::Plain),
        reading("validation split, margin", SelectionRule::Margin),
    ];
    let acc = Axis::maximise(names::ACCURACY);
    let bar = Bar::new(names::DP_DIFFERENCE, 0.02, 0.83);
    let check = BarCheck::new(std::slice::from_ref(&bar), &readings, &acc).unwrap();
    let got: Vec<(bool, bool, Option<f64>)> = check
        .outcomes()
        .iter()
        .map(|o| (o.met, o.honest, o.choice.as_ref().map(|c| c.gap)))
        .collect();
    assert_eq!(
        got,
        [
            (false, true, Some(0.031)),
            (true, true, Some(0.012)),
            (true, false, Some(0.012)),
        ]
    );
    let verdicts = check.verdicts();
    assert_eq!(
        verdicts,
        [Verdict {
            bar: bar.clone(),
            met_by: vec!["chosen on validation split, margin".into()],
            frontier_met: true,
        }]
    );
    assert_eq!(
        verdicts[0].to_string(),
        "DP ≤ 0.02 at 0.830: met honestly, chosen on validation split, margin"
    );
    // Without the margin reading no honest choice clears it; the test frontier still does.
    let plain_only = BarCheck::new(&[bar], &readings[..1], &acc).unwrap();
    assert_eq!(
        plain_only.verdicts()[0].to_string(),
        "DP ≤ 0.02 at 0.830: no honest choice meets it; only the test frontier does"
    );
}

/// The readings of a sweep: validation and pooled CV each plain and with a margin, then the
/// fold mean; the margin readings can be chosen on (the sweep computed intervals).
#[test]
fn readings_come_plain_and_with_a_margin() {
    use crate::sweep::{Penalised, Progress, Sweep, Unmitigated};
    use fairfit_data::split::KFold;
    let carved = Carved::new(protocol(), 0.25, 3).unwrap();
    let sweep = Sweep::new(vec![
        Box::new(Unmitigated::new()),
        Box::new(Penalised::demographic_parity(vec![1.0, 10.0])),
    ])
    .progress(Progress::Hidden)
    .resamples(50);
    let outcome = sweep.run(&carved.splits).unwrap();
    let cv = sweep
        .cross_validate(&carved.pool, &KFold::new(3, 1).unwrap())
        .unwrap();
    let found = readings(&outcome.curve, &cv).unwrap();
    let names: Vec<(&str, SelectionRule)> =
        found.iter().map(|r| (r.name.as_str(), r.rule)).collect();
    assert_eq!(
        names,
        [
            ("validation split", SelectionRule::Plain),
            ("validation split, margin", SelectionRule::Margin),
            ("3-fold CV, pooled decisions", SelectionRule::Plain),
            ("3-fold CV, pooled decisions, margin", SelectionRule::Margin),
            ("3-fold CV, fold mean", SelectionRule::Plain),
        ]
    );
    let bars = [Bar::new(names::DP_DIFFERENCE, 1.0, 0.0)];
    let check = BarCheck::new(&bars, &found, &Axis::maximise(names::ACCURACY)).unwrap();
    assert!(check.outcomes().iter().all(|o| o.choice.is_some()));
    assert_eq!(check.verdicts()[0].met_by.len(), found.len());
}
