//! Every mitigation method on every reference data set: what each one buys, and at what cost.
//!
//! For Adult (sex), COMPAS (race) and German credit (sex), a validation split is carved out of
//! the protocol's training split (25 %, stratified by group × label, seeded). One sweep then
//! runs the unmitigated logistic regression; warm-started penalty paths for demographic parity
//! and equalized odds; warm-started ε-targets for both; every pre-processing method of
//! fairfit-data followed by the same logistic regression; and group-specific thresholds on the
//! unmitigated model's scores. Each model is evaluated on train, validation and test.
//!
//! Written per data set to `results/compare_methods/<ds>/`: `curve.csv`/`curve.json` (every
//! point), `comparison.csv`/`.json` (fronts, hypervolume, best at DP ≤ 0.02) and
//! `comparison_eo.csv`/`.json` (the same against equalized odds), `selection.csv`/`.json` (the
//! printed table) and `tradeoff.svg`/`tradeoff_eo.svg` (all methods with their Pareto fronts).
//! The printed table gives, per method, the TEST accuracy of the point chosen on VALIDATION
//! under each gap bound (test never influences the choice). For Adult and COMPAS a second table
//! checks issue 6's bar on deterministic methods (randomised threshold rules excluded), read two
//! ways: the point chosen on validation, and the best point of the test frontier (the reading
//! of papers that plot test curves); it is also written as `bar.csv`.
//!
//! ```sh
//! cargo run --release --example compare_methods           # full grids
//! cargo run --release --example compare_methods -- --fast # short grids (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fairfit::data::split::{strata, StratifiedSplit, TrainValTest};
use fairfit::data::{reference, FairDataset, TrainTest};
use fairfit::eval::curve::{aligned, names, Axis, Split, TradeoffCurve};
use fairfit::eval::pareto::{best_at_gap, Comparison, Reference};
use fairfit::eval::plot::TradeoffPlot;
use fairfit::eval::sweep::{every_method, Grids, SelectionTable, Sweep};
use fairfit::train::FairLogisticRegression;

/// L2 strength on the mean loss, the same for every model.
const L2: f64 = 1e-4;
/// Seed of the validation split.
const SEED: u64 = 20_240_601;
/// Share of the protocol's training rows held out for validation.
const VALIDATION: f64 = 0.25;
/// The gap bounds of the table.
const BOUNDS: [f64; 3] = [0.01, 0.02, 0.05];

/// A reference data set: directory name, title, loader.
type Loader = fn(&Path) -> fairfit::data::Result<TrainTest>;

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let sets: [(&str, &str, Loader); 3] = [
        ("adult", "Adult (sex)", |d| reference::adult(d)),
        ("compas", "COMPAS (race)", |d| reference::compas(d)),
        ("german", "German credit (sex)", |d| reference::german(d)),
    ];
    let dir = reference::datasets_dir();
    let started = Instant::now();
    for (key, title, load) in sets {
        let out = Path::new("results/compare_methods").join(key);
        let protocol = load(&dir)?;
        let parts = StratifiedSplit::new(&[VALIDATION], SEED)?.indices(&strata(&protocol.train)?);
        let data = TrainValTest {
            train: protocol.train.select(&parts[0])?,
            validation: protocol.train.select(&parts[1])?,
            test: protocol.test,
        };
        println!(
            "\n=== {title}: {} train / {} validation / {} test rows, {} features ===",
            data.train.nrows(),
            data.validation.nrows(),
            data.test.nrows(),
            data.train.nfeatures()
        );
        let grids = if fast { Grids::fast() } else { Grids::full() }.seed(SEED);
        let outcome = Sweep::new(every_method(&grids))
            .model(FairLogisticRegression::params().l2(L2))
            .run(&data)?;
        for f in &outcome.failures {
            println!("not on the curve: {} {}: {}", f.method, f.params, f.error);
        }
        let curve = &outcome.curve;
        write_outputs(curve, title, &data.test, &out)?;
        let acc = Axis::maximise(names::ACCURACY);
        let bounds: Vec<(Axis, f64)> = [names::DP_DIFFERENCE, names::EO_DIFFERENCE]
            .into_iter()
            .flat_map(|gap| BOUNDS.map(|b| (Axis::minimise(gap), b)))
            .collect();
        let table = SelectionTable::new(curve, &acc, &bounds)?;
        table.write_csv(out.join("selection.csv"))?;
        table.write_json(out.join("selection.json"))?;
        print!("{table}");
        check_bar(curve, key, &out)?;
        println!(
            "{} points in {:.2} s (fits {:.2} s); wrote {}",
            curve.len(),
            outcome.elapsed.as_secs_f64(),
            curve
                .points()
                .iter()
                .filter_map(|p| p.fit_seconds())
                .sum::<f64>(),
            out.display()
        );
    }
    println!(
        "\ntotal time {:.2} s{}",
        started.elapsed().as_secs_f64(),
        if fast { " (fast grids)" } else { "" }
    );
    Ok(())
}

/// Issue 6's bar: data set, gap metric, bound, required test accuracy (deterministic models).
const BAR: [(&str, &str, f64, f64); 4] = [
    ("adult", names::DP_DIFFERENCE, 0.02, 0.830),
    ("adult", names::EO_DIFFERENCE, 0.02, 0.836),
    ("compas", names::DP_DIFFERENCE, 0.02, 0.660),
    ("compas", names::EO_DIFFERENCE, 0.05, 0.635),
];

/// One reading of the bar: the point, its test accuracy and test gap.
struct Reached {
    method: String,
    params: String,
    accuracy: f64,
    gap: f64,
}

/// Checks the bar on the deterministic points of `curve`, prints it and writes `bar.csv`.
fn check_bar(curve: &TradeoffCurve, key: &str, out: &Path) -> Result<(), Box<dyn Error>> {
    let rows: Vec<_> = BAR.iter().filter(|b| b.0 == key).collect();
    if rows.is_empty() {
        return Ok(());
    }
    let deterministic = TradeoffCurve::from_points(
        curve
            .points()
            .iter()
            .filter(|p| !p.method().contains("randomised"))
            .cloned()
            .collect(),
    )?;
    let acc = Axis::maximise(names::ACCURACY);
    let test_value = |i: usize, metric: &str| {
        deterministic.points()[i]
            .metric(Split::Test, metric)
            .map(|e| e.value)
    };
    let mut w = csv::Writer::from_path(out.join("bar.csv"))?;
    w.write_record([
        "gap",
        "bound",
        "required",
        "reading",
        "method",
        "params",
        "accuracy",
        "gap_value",
        "met",
    ])?;
    println!(
        "The bar on deterministic methods (test accuracy; a point must have test gap ≤ bound)"
    );
    let mut table = vec![vec![
        "bound".to_string(),
        "required".into(),
        "chosen on validation".into(),
        "met".into(),
        "best on the test frontier".into(),
        "met".into(),
    ]];
    for &&(_, gap_metric, bound, required) in &rows {
        let gap = Axis::minimise(gap_metric);
        let on_validation = best_at_gap(&deterministic, &acc, &gap, bound)?.map(|s| Reached {
            method: s.method,
            params: s.params,
            accuracy: s.performance,
            gap: s.gap,
        });
        let on_test = (0..deterministic.len())
            .filter_map(|i| {
                Some((
                    i,
                    test_value(i, names::ACCURACY)?,
                    test_value(i, gap_metric)?,
                ))
            })
            .filter(|&(_, _, g)| g <= bound)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, accuracy, gap)| Reached {
                method: deterministic.points()[i].method().to_string(),
                params: deterministic.points()[i].param_label(),
                accuracy,
                gap,
            });
        let met = |r: &Option<Reached>| {
            r.as_ref()
                .is_some_and(|r| r.accuracy >= required && r.gap <= bound)
        };
        let cell = |r: &Option<Reached>| match r {
            Some(r) => format!(
                "{:.4} (gap {:.4}) {} {}",
                r.accuracy, r.gap, r.method, r.params
            ),
            None => "—".into(),
        };
        let short = if gap_metric == names::DP_DIFFERENCE {
            "DP"
        } else {
            "EO"
        };
        table.push(vec![
            format!("{short} ≤ {bound}"),
            format!("{required:.3}"),
            cell(&on_validation),
            if met(&on_validation) { "yes" } else { "no" }.into(),
            cell(&on_test),
            if met(&on_test) { "yes" } else { "no" }.into(),
        ]);
        for (reading, r) in [("validation", &on_validation), ("test frontier", &on_test)] {
            let (method, params, accuracy, gap_value) = match r {
                Some(r) => (
                    r.method.clone(),
                    r.params.clone(),
                    r.accuracy.to_string(),
                    r.gap.to_string(),
                ),
                None => Default::default(),
            };
            w.write_record([
                gap_metric.to_string(),
                bound.to_string(),
                required.to_string(),
                reading.to_string(),
                method,
                params,
                accuracy,
                gap_value,
                met(r).to_string(),
            ])?;
        }
    }
    w.flush()?;
    print!("{}", aligned(&table));
    Ok(())
}

/// Curve (CSV, JSON), comparisons against DP and EO (CSV, JSON) and the two trade-off plots.
///
/// Constant rules (a threshold rule selecting nobody or everybody, at the accuracy of always
/// predicting the majority class) stay in the files but are left out of the plots, where they
/// would squeeze every other point into a band.
fn write_outputs(
    curve: &TradeoffCurve,
    title: &str,
    test: &FairDataset,
    out: &Path,
) -> Result<(), Box<dyn Error>> {
    curve.write_csv(out.join("curve.csv"))?;
    curve.write_json(out.join("curve.json"))?;
    let acc = Axis::maximise(names::ACCURACY);
    for (gap_metric, suffix, label) in [
        (names::DP_DIFFERENCE, "", "demographic parity"),
        (names::EO_DIFFERENCE, "_eo", "equalized odds"),
    ] {
        let gap = Axis::minimise(gap_metric);
        let coords = curve.coordinates(&gap, &acc)?;
        // The worst gap and accuracy of any point: every point dominates this corner.
        let reference = Reference::new(
            coords.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max),
            coords.iter().map(|c| c.1).fold(f64::INFINITY, f64::min),
        );
        let comparison = Comparison::new(curve, &acc, &gap, reference, 0.02)?;
        comparison.write_csv(out.join(format!("comparison{suffix}.csv")))?;
        std::fs::write(
            out.join(format!("comparison{suffix}.json")),
            comparison.to_json()?,
        )?;
        let positive = test.targets().mean().unwrap_or(0.5);
        let constant = positive.max(1.0 - positive);
        let shown = TradeoffCurve::from_points(
            curve
                .points()
                .iter()
                .filter(|p| {
                    p.metric(Split::Test, names::ACCURACY)
                        .map_or(true, |a| a.value > constant + 0.005)
                })
                .cloned()
                .collect(),
        )?;
        TradeoffPlot::default()
            .axes(gap.on(Split::Test), acc.clone())
            .title(format!("{title}: accuracy vs {label} (test)"))
            .size(1200, 860)
            .front(true)
            .write_svg(&shown, out.join(format!("tradeoff{suffix}.svg")))?;
    }
    Ok(())
}
