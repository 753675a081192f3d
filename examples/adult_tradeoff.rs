//! The README's main job: what demographic parity costs on Adult.
//!
//! Fits the unconstrained logistic regression, then a warm-started path of demographic-parity
//! targets `DP difference ≤ ε` over decreasing ε (fairfit-train's [`TargetSteps`], one prepared
//! objective). Each target binds the model's hard decisions on the training data, so the
//! training DP difference of every point is at most its ε: the path is the trade-off curve, and
//! it cannot turn back. Every model is evaluated on the protocol's train and test splits with
//! the sweep's classification metrics; the table says when a model's decisions are degenerate
//! (constant for a group, or no better than the majority-class rule). Writes
//! `results/adult_tradeoff/curve.csv` and `curve.svg`.
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
use fairfit::train::{
    FairLogisticRegression, FittedLogistic, Logistic, ParamGuard, Target, TargetSteps, TargetedFit,
    TrainError,
};

/// L2 strength on the mean loss (the same for every model, so only ε moves along the path).
const L2: f64 = 1e-4;
/// Number of targets on the path.
const STEPS: usize = 24;
/// The smallest ε (the largest is just below the unconstrained model's training gap).
const SMALLEST_EPSILON: f64 = 0.002;

/// One row of the table beyond the curve's metrics.
struct Row {
    epsilon: Option<f64>,
    train_gap: f64,
    sharpness: Option<f64>,
    verdict: String,
}

fn main() -> Result<(), Box<dyn Error>> {
    let adult = reference::adult(reference::datasets_dir())?;
    let out = Path::new("results/adult_tradeoff");
    std::fs::create_dir_all(out)?;
    let params = FairLogisticRegression::params().l2(L2).check()?;

    let started = Instant::now();
    let mut curve = TradeoffCurve::new();
    let mut rows = Vec::new();
    let mut fit_seconds = 0.0;
    let timer = Instant::now();
    let plain = TargetedFit::<Logistic>::new(params.clone(), vec![])?.fit(&adult.train)?;
    let seconds = timer.elapsed().as_secs_f64();
    fit_seconds += seconds;
    let train_gap = training_dp_gap(&plain.model, &adult.train)?;
    curve.push(evaluate(
        CurvePoint::new("unconstrained"),
        &plain.model,
        &adult,
        seconds,
    )?)?;
    rows.push(Row {
        epsilon: None,
        train_gap,
        sharpness: None,
        verdict: verdict(plain.decisions.as_ref()),
    });

    // ε log-spaced from just below the unconstrained gap down to SMALLEST_EPSILON.
    let epsilons: Vec<f64> = (0..STEPS)
        .map(|k| {
            let t = k as f64 / (STEPS - 1) as f64;
            (0.95 * train_gap).powf(1.0 - t) * SMALLEST_EPSILON.powf(t)
        })
        .collect();
    let sets = epsilons
        .iter()
        .map(|&e| vec![Target::demographic_parity(e)])
        .collect();
    let timer = Instant::now();
    let mut steps = TargetSteps::new(&params, &adult.train, sets)?;
    fit_seconds += timer.elapsed().as_secs_f64();
    for &epsilon in &epsilons {
        let timer = Instant::now();
        let Some(step) = steps.next() else { break };
        let seconds = timer.elapsed().as_secs_f64();
        fit_seconds += seconds;
        match step {
            Ok(fit) => {
                let outcome = &fit.outcomes[0];
                let point = CurvePoint::new("dp-target").with_param("epsilon", epsilon);
                curve.push(evaluate(point, &fit.model, &adult, seconds)?)?;
                rows.push(Row {
                    epsilon: Some(epsilon),
                    train_gap: outcome.achieved_hard,
                    sharpness: Some(outcome.sharpness),
                    verdict: verdict(fit.decisions.as_ref()),
                });
            }
            Err(e @ (TrainError::Infeasible { .. } | TrainError::ConstantRule { .. })) => {
                println!("ε = {epsilon:.4}: {e}");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let total_seconds = started.elapsed().as_secs_f64();

    print_table(&curve, &rows)?;
    println!(
        "\n{} models: fitting took {fit_seconds:.3} s in total (warm-started path), fitting and \
         evaluating {total_seconds:.3} s",
        curve.len(),
    );
    curve.write_csv(out.join("curve.csv"))?;
    let positive = adult.test.targets().mean().unwrap_or(0.5);
    TradeoffPlot::default()
        .title("Adult (sex): logistic regression with DP targets on decisions")
        .reference(ReferenceLine::constant_rule(positive)?)
        .write_svg(&curve, out.join("curve.svg"))?;
    println!(
        "wrote {} and {}",
        out.join("curve.csv").display(),
        out.join("curve.svg").display()
    );
    Ok(())
}

/// The demographic-parity difference of a model's decisions on its training data.
fn training_dp_gap(
    model: &FittedLogistic,
    train: &fairfit::data::FairDataset,
) -> Result<f64, Box<dyn Error>> {
    let p = model.predict_proba(train.records())?;
    let metrics = classification_metrics(p.view(), train)?;
    let (_, gap) = metrics
        .into_iter()
        .find(|(name, _)| *name == names::DP_DIFFERENCE)
        .ok_or("the classification metrics include the DP difference")?;
    Ok(gap)
}

/// A curve point with the classification metrics of `model` on train and test.
fn evaluate(
    mut point: CurvePoint,
    model: &FittedLogistic,
    adult: &fairfit::data::TrainTest,
    seconds: f64,
) -> Result<CurvePoint, Box<dyn Error>> {
    point = point.with_fit_seconds(seconds);
    for (split, data) in [(Split::Train, &adult.train), (Split::Test, &adult.test)] {
        let p = model.predict_proba(data.records())?;
        for (name, value) in classification_metrics(p.view(), data)? {
            point = point.with_metric(split, name, value);
        }
    }
    Ok(point)
}

/// `ok`, or what is degenerate about the decisions.
fn verdict(profile: Option<&fairfit::data::fairness::DecisionProfile>) -> String {
    match profile {
        Some(p) if p.is_degenerate() => p.to_string(),
        Some(_) => "ok".into(),
        None => "regression".into(),
    }
}

fn print_table(curve: &TradeoffCurve, rows: &[Row]) -> Result<(), Box<dyn Error>> {
    println!(
        "{:>8}  {:>8}  {:>8}  {:>9}  {:>9}  {:>9}  {:>9}  {:>8}  decisions",
        "epsilon", "train DP", "sharp", "train acc", "test acc", "test DP", "test EO", "fit (ms)"
    );
    let show = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |v| format!("{v:.4}"));
    for (i, (point, row)) in curve.points().iter().zip(rows).enumerate() {
        let get = |split, name| curve.estimate(i, split, name).map(|e| e.value);
        println!(
            "{:>8}  {:>8.4}  {:>8}  {:>9.4}  {:>9.4}  {:>9.4}  {:>9.4}  {:>8.1}  {}",
            show(row.epsilon),
            row.train_gap,
            row.sharpness.map_or_else(|| "-".into(), |c| format!("{c}")),
            get(Split::Train, names::ACCURACY)?,
            get(Split::Test, names::ACCURACY)?,
            get(Split::Test, names::DP_DIFFERENCE)?,
            get(Split::Test, names::EO_DIFFERENCE)?,
            point.fit_seconds().unwrap_or(f64::NAN) * 1e3,
            row.verdict,
        );
    }
    Ok(())
}
