//! The README's main job: what demographic parity costs on Adult.
//!
//! Fits the unpenalised logistic regression and a warm-started path of demographic-parity
//! penalty weights λ (log-spaced), evaluates every model on the protocol's train and test splits,
//! prints the trade-off table, and writes `results/adult_tradeoff/curve.csv` and `curve.svg`.
//!
//! ```sh
//! cargo run --release --example adult_tradeoff
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fairfit::data::{reference, FairDataset};
use fairfit::eval::curve::{names, CurvePoint, Split, TradeoffCurve};
use fairfit::eval::metrics::{
    accuracy, demographic_parity_difference, equalized_odds_difference, roc_auc,
};
use fairfit::eval::plot::TradeoffPlot;
use fairfit::train::{FairLogisticRegression, FittedLogistic, Penalty};
use linfa::ParamGuard;

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
    let lambdas = std::iter::once(0.0)
        .chain((0..STEPS).map(|i| lo * (hi / lo).powf(i as f64 / (STEPS - 1) as f64)));

    let mut curve = TradeoffCurve::new();
    let mut previous: Option<FittedLogistic> = None;
    let mut path_fit_seconds = 0.0;
    let started = Instant::now();
    for lambda in lambdas {
        let params = FairLogisticRegression::params()
            .l2(L2)
            .penalty(Penalty::demographic_parity(), lambda)
            .check()?;
        let timer = Instant::now();
        let model = match &previous {
            Some(prev) => params.fit_warm(&adult.train, prev)?,
            None => params.fit(&adult.train)?,
        };
        let seconds = timer.elapsed().as_secs_f64();
        path_fit_seconds += seconds;
        let method = if lambda == 0.0 {
            "unpenalised"
        } else {
            "dp-penalty"
        };
        let mut point = CurvePoint::new(method)
            .with_param("lambda", lambda)
            .with_fit_seconds(seconds);
        for (split, data) in [(Split::Train, &adult.train), (Split::Test, &adult.test)] {
            for (name, value) in classification_metrics(&model, data)? {
                point = point.with_metric(split, name, value);
            }
        }
        curve.push(point)?;
        previous = Some(model);
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
    TradeoffPlot::default()
        .title("Adult (sex): DP-penalised logistic regression")
        .write_svg(&curve, out.join("curve.svg"))?;
    println!(
        "wrote {} and {}",
        out.join("curve.csv").display(),
        out.join("curve.svg").display()
    );
    Ok(())
}

/// Accuracy, ROC AUC, demographic-parity and equalized-odds differences of a model on a split.
fn classification_metrics(
    model: &FittedLogistic,
    data: &FairDataset,
) -> Result<Vec<(&'static str, f64)>, Box<dyn Error>> {
    let y = data.labels()?;
    let p = model.predict_proba(data.records())?;
    let y_hat: Vec<bool> = p.iter().map(|&p| p >= 0.5).collect();
    let groups = data.groups();
    Ok(vec![
        (names::ACCURACY, accuracy(&y, &y_hat, None)?),
        (
            names::ROC_AUC,
            roc_auc(&y, p.as_slice().unwrap_or(&p.to_vec()), None)?,
        ),
        (
            names::DP_DIFFERENCE,
            demographic_parity_difference(&y_hat, groups, None)?.value,
        ),
        (
            names::EO_DIFFERENCE,
            equalized_odds_difference(&y, &y_hat, groups, None)?.value,
        ),
    ])
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
