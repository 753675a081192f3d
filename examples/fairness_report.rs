//! A fairness report for one fitted model on Adult.
//!
//! Fits the unpenalised logistic regression and a demographic-parity-penalised one (λ = 5) on the
//! protocol's training split, places both on a two-point trade-off curve (test accuracy against
//! test demographic-parity difference, each with a bootstrap interval), and builds the report of
//! the penalised model on the test split with 500 stratified bootstrap resamples: the training
//! data's audit, the method and its parameters, every metric by group with its interval, the named
//! disparities, and the model's place on the trade-off.
//!
//! Writes `results/fairness_report/report.md` and `report.json`, and prints the Markdown.
//!
//! ```sh
//! cargo run --release --example fairness_report
//! ```

use std::path::Path;

use fairfit::data::audit::DataAudit;
use fairfit::data::{reference, FairDataset};
use fairfit::eval::bootstrap::BootstrapParams;
use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
use fairfit::eval::frame::Entry;
use fairfit::eval::metrics::{Aggregate, Measure, Outcomes};
use fairfit::eval::report::{FairnessReport, Method};
use fairfit::train::{FairLogisticRegression, FittedLogistic, Penalty};

/// Weight of the demographic-parity penalty of the reported model.
const LAMBDA: f64 = 5.0;
/// Bootstrap resamples for every interval.
const RESAMPLES: usize = 500;

fn main() -> fairfit::Result<()> {
    let adult = reference::adult(reference::datasets_dir())?;
    let boot = BootstrapParams::default()
        .resamples(RESAMPLES)
        .level(0.95)
        .seed(2024)
        .check()?;

    let unpenalised = FairLogisticRegression::params().fit(&adult.train)?;
    let penalised = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), LAMBDA)
        .fit(&adult.train)?;

    let mut curve = TradeoffCurve::new();
    for (method, lambda, model) in [
        ("unpenalised", 0.0, &unpenalised),
        ("dp-penalty", LAMBDA, &penalised),
    ] {
        let frame = boot.frame(
            &outcomes(model, &adult.test)?,
            adult.test.groups(),
            &[&Measure::Accuracy, &Measure::SelectionRate],
        )?;
        curve.push(
            CurvePoint::new(method)
                .with_param("lambda", lambda)
                .with_metric(
                    Split::Test,
                    names::ACCURACY,
                    frame.estimate("accuracy", Entry::Overall)?.defined()?,
                )
                .with_metric(
                    Split::Test,
                    names::DP_DIFFERENCE,
                    frame
                        .estimate("selection_rate", Entry::Summary(Aggregate::Difference))?
                        .defined()?,
                ),
        )?;
    }

    let report = FairnessReport::builder()
        .title(format!(
            "Adult income (sex), logistic regression with a demographic-parity penalty λ = {LAMBDA}"
        ))
        .audit(DataAudit::of("adult (train)", &adult.train)?)
        .method(
            Method::new("dp-penalty")
                .param("lambda", LAMBDA)
                .param("l2", 1e-4)
                .describe(
                    "Logistic regression minimising the mean log-loss + l2·‖w‖² + λ · (gap of the \
                     mean predicted probability between groups)²; predictions at p ≥ 0.5.",
                ),
        )
        .evaluate(
            Split::Test,
            &boot,
            &outcomes(&penalised, &adult.test)?,
            adult.test.groups(),
        )
        .tradeoff(
            &curve,
            1,
            Axis::maximise(names::ACCURACY),
            Axis::minimise(names::DP_DIFFERENCE),
        )
        .build()?;

    let out = Path::new("results/fairness_report");
    report.write(out)?;
    println!("{}", report.to_markdown());
    println!(
        "wrote {} and {}",
        out.join("report.md").display(),
        out.join("report.json").display()
    );
    Ok(())
}

/// Labels, hard predictions at 0.5 and probability scores of a model on a split.
fn outcomes(model: &FittedLogistic, data: &FairDataset) -> fairfit::Result<Outcomes> {
    let p = model.predict_proba(data.records())?.to_vec();
    let y_hat: Vec<bool> = p.iter().map(|&p| p >= 0.5).collect();
    Ok(Outcomes::classification(&data.labels()?, &y_hat)?.with_scores(&p)?)
}
