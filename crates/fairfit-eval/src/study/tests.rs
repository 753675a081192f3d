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
