//! The README's main job: what demographic parity costs on Adult.
//!
//! Fits the unpenalised logistic regression and a warm-started path of demographic-parity
//! penalty weights λ (log-spaced; fairfit-train's [`PenaltyPath`], one prepared objective, each
//! fit started on the secant of the previous two), evaluates every model on the protocol's train
//! and test splits with the sweep's classification metrics, prints the trade-off table, and
//! writes `results/adult_tradeoff/curve.csv` and `curve.svg`.
//!
//! ```sh
//! cargo run --release --example adult_tradeoff
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fairfit::data::reference;
use fairfit::eval::curve::{names, CurvePoint, Split, TradeoffCurve};
use fairfit::eval::plot::{ReferenceLine, TradeoffPlot};
use fairfit::eval::sweep::classification_metrics;
use fairfit::train::{FairLogisticRegression, Logistic, ParamGuard, Penalty, PenaltyPath};

/// L2 strength on the mean loss (the same for every model, so only λ moves along the path).
const L2: f64 = 1e-4;
/// Number of penalised models on the path.
const STEPS: usize = 24;
/// Smallest and largest λ.
const LAMBDA_RANGE: (f64, f64) = (1e-2, 1e2);

fn main() -> Result<(), Box<dyn Error>> {
    let adult = reference::adult(reference::datasets_dir())?;
    let out = Path::new("results/adult_tradeoff");
    std::fs::create_dir_all(out)?;

    let (lo, hi) = LAMBDA_RANGE;
    let params = FairLogisticRegression::params().l2(L2).check()?;
    let lambdas = PenaltyPath::<Logistic>::log_spaced(lo, hi, STEPS);
    let path = PenaltyPath::new(params, Penalty::demographic_parity(), lambdas)?;

    let mut curve = TradeoffCurve::new();
    let mut path_fit_seconds = 0.0;
    let started = Instant::now();
    let mut steps = path.steps(&adult.train)?;
    // Building the objective (the design matrix) is part of the path's fit time.
    path_fit_seconds += started.elapsed().as_secs_f64();
    loop {
        let timer = Instant::now();
        let Some(step) = steps.next() else { break };
        let point = step?;
        let seconds = timer.elapsed().as_secs_f64();
        path_fit_seconds += seconds;
        let method = if point.lambda == 0.0 {
            "unpenalised"
        } else {
            "dp-penalty"
        };
        let mut curve_point = CurvePoint::new(method)
            .with_param("lambda", point.lambda)
            .with_fit_seconds(seconds);
        for (split, data) in [(Split::Train, &adult.train), (Split::Test, &adult.test)] {
            let p = point.model.predict_proba(data.records())?;
            for (name, value) in classification_metrics(p.view(), data)? {
                curve_point = curve_point.with_metric(split, name, value);
            }
        }
        curve.push(curve_point)?;
    }
    let total_seconds = started.elapsed().as_secs_f64();

    print_table(&curve)?;
    println!(
        "\n{} models: fitting took {:.3} s in total (warm-started path), fitting and evaluating {:.3} s",
        curve.len(),
        path_fit_seconds,
        total_seconds
    );
    curve.write_csv(out.join("curve.csv"))?;
    let positive = adult.test.targets().mean().unwrap_or(0.5);
    TradeoffPlot::default()
        .title("Adult (sex): DP-penalised logistic regression")
        .reference(ReferenceLine::constant_rule(positive)?)
        .write_svg(&curve, out.join("curve.svg"))?;
    println!(
        "wrote {} and {}",
        out.join("curve.csv").display(),
        out.join("curve.svg").display()
    );
    Ok(())
}

fn print_table(curve: &TradeoffCurve) -> Result<(), Box<dyn Error>> {
    println!(
        "{:>10}  {:>9}  {:>9}  {:>9}  {:>9}  {:>9}",
        "lambda", "train acc", "test acc", "test DP", "test EO", "fit (ms)"
    );
    for (i, point) in curve.points().iter().enumerate() {
        let get = |split, name| curve.estimate(i, split, name).map(|e| e.value);
        println!(
            "{:>10.4}  {:>9.4}  {:>9.4}  {:>9.4}  {:>9.4}  {:>9.1}",
            point.param("lambda").unwrap_or(f64::NAN),
            get(Split::Train, names::ACCURACY)?,
            get(Split::Test, names::ACCURACY)?,
            get(Split::Test, names::DP_DIFFERENCE)?,
            get(Split::Test, names::EO_DIFFERENCE)?,
            point.fit_seconds().unwrap_or(f64::NAN) * 1e3,
        );
    }
    Ok(())
}
