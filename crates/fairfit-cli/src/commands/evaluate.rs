//! `fairfit evaluate`: a saved pipeline's metrics by group on labelled data, with bootstrap
//! intervals, the fairness notions asked for with `--notion` (value, aggregate, groups compared
//! and skipped, interval), and the hard-decision gaps with the decision profile, every row
//! weighted by `--weight COLUMN` when given.

use fairfit_data::fairness::Notion;
use fairfit_eval::bootstrap::BootstrapParams;
use fairfit_eval::frame::MetricFrame;
use fairfit_eval::metrics::{Measure, Metric, Outcomes};

use crate::cli::EvaluateArgs;
use crate::error::{CliError, Result};
use crate::heldout::HeldOut;
use crate::input::csv_options;
use crate::notion::notions;
use crate::notion_report::{self, check_measurable, NotionReport};
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
    let asked = notions(&args.notions)?;
    check_measurable(&asked)?;
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
        MetricFrame::with_notions(&outcomes, data.groups(), &metrics, &asked)
    } else {
        BootstrapParams::default()
            .resamples(args.resamples)
            .level(args.level)
            .seed(args.seed)
            .check()?
            .frame_with_notions(&outcomes, data.groups(), &metrics, &asked)
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
    let reports = NotionReport::of(&frame);
    let records = notion_report::records(&frame, &reports);
    if let Some(path) = &args.csv {
        notion_report::write_csv(path, &records)?;
    }
    if out.json {
        out.print_json(&serde_json::json!({
            "data": args.data.display().to_string(),
            "label": loaded.schema.label(),
            "frame": records,
            "notions": reports,
            "decisions": held,
        }))?;
    } else {
        // The frame's table is its header and one line per metric; its notions follow here
        // with their aggregates and compared groups.
        for line in frame.to_string().lines().take(1 + frame.metrics().len()) {
            out.line(line)?;
        }
        if !reports.is_empty() {
            out.line("fairness notions of the decisions:")?;
            for line in reports.iter().flat_map(NotionReport::lines) {
                out.line(line)?;
            }
        }
        for line in held.lines(&args.data.display().to_string()) {
            out.line(line)?;
        }
    }
    Ok(false)
}
