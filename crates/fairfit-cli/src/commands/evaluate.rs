//! `fairfit evaluate`: a saved pipeline's metrics by group on labelled data, with bootstrap
//! intervals, and the hard-decision gaps with the decision profile, every row weighted by
//! `--weight COLUMN` when given.

use fairfit_data::fairness::Notion;
use fairfit_eval::bootstrap::BootstrapParams;
use fairfit_eval::frame::MetricFrame;
use fairfit_eval::metrics::{Measure, Metric, Outcomes};

use crate::cli::EvaluateArgs;
use crate::error::{CliError, Result};
use crate::heldout::HeldOut;
use crate::input::csv_options;
use crate::output::Output;
use crate::pipeline_file::{load, records};

/// The metrics of the frame.
pub const METRICS: [Measure; 6] = [
    Measure::Accuracy,
    Measure::SelectionRate,
    Measure::Tpr,
    Measure::Fpr,
    Measure::Ppv,
    Measure::ErrorRate,
];

/// Evaluates; prints the frame (table or JSON) and writes CSV when asked.
pub fn run(args: &EvaluateArgs, out: Output) -> Result<bool> {
    let pipeline = load(&args.pipeline)?;
    let (loaded, table) = records(
        &pipeline,
        &args.data,
        &csv_options(args.delimiter)?,
        true,
        args.weight.clone(),
    )?;
    let data = loaded.encode(pipeline.encoder(), &table)?;
    let decisions = pipeline
        .decision_probability(&table)
        .map_err(CliError::pipeline(&args.data))?
        .to_vec();
    let scores = pipeline
        .score(&table)
        .map_err(CliError::pipeline(&args.data))?
        .to_vec();
    let hard: Vec<bool> = decisions.iter().map(|&d| d >= 0.5).collect();
    let weights = data.weights().map(|w| w.to_vec());
    let outcomes = Outcomes::classification(&data.labels()?, &hard)?
        .with_scores(&scores)?
        .with_optional_weights(weights.as_deref())?;
    let metrics: Vec<&dyn Metric> = METRICS.iter().map(|m| m as &dyn Metric).collect();
    let spinner = out.spinner(format!("bootstrapping ({} resamples)", args.resamples));
    let frame = if args.resamples == 0 {
        MetricFrame::new(&outcomes, data.groups(), &metrics)
    } else {
        BootstrapParams::default()
            .resamples(args.resamples)
            .level(args.level)
            .seed(args.seed)
            .check()?
            .frame(&outcomes, data.groups(), &metrics)
    };
    spinner.finish_and_clear();
    let frame = frame?;
    let held = HeldOut::of(
        &data,
        &decisions,
        &[
            Notion::demographic_parity(),
            Notion::equalized_odds(),
            Notion::demographic_parity().ratio(),
        ],
    )?;
    if let Some(path) = &args.csv {
        frame.write_csv(path)?;
    }
    if out.json {
        let frame_json: serde_json::Value = serde_json::from_str(&frame.to_json()?)?;
        out.print_json(&serde_json::json!({
            "data": args.data.display().to_string(),
            "label": loaded.schema.label(),
            "frame": frame_json,
            "decisions": held,
        }))?;
    } else {
        out.text(frame.to_string())?;
        for line in held.lines(&args.data.display().to_string()) {
            out.line(line)?;
        }
    }
    Ok(false)
}
