//! `fairfit train`: fit, save the pipeline, and report what its hard decisions do on held-out
//! rows (gaps, and whether the model is a constant rule), with the fairness report.

mod certified;
mod method;
mod stream;

use fairfit_data::audit::DataAudit;
use fairfit_data::fairness::Notion;
use fairfit_eval::bootstrap::BootstrapParams;
use fairfit_eval::curve::Split;
use fairfit_eval::metrics::{Measure, Outcomes};
use fairfit_eval::plot::GroupBarPlot;
use fairfit_eval::report::FairnessReport;
use fairfit_eval::report::Method;
use fairfit_train::{FittedLogistic, FittedPipeline};
use serde::Serialize;

pub use method::{preprocessor, Fit, Plan, Trained};

use crate::cli::TrainArgs;
use crate::error::{CliError, Result};
use crate::heldout::HeldOut;
use crate::input::{csv_options, Loaded, LoadedSchema};
use crate::notion_report::{measurable, NotionReport};
use crate::output::{create_dir, write_file, Output};
use crate::streamed::HeldOutRows;

/// File names in the output directory.
pub const PIPELINE_FILE: &str = "pipeline.json";
/// The held-out summary `fairfit report` reads.
pub const SUMMARY_FILE: &str = "summary.json";
/// The per-group bar plot of the held-out rows.
pub const GROUPS_SVG: &str = "groups.svg";

/// What `train` prints with `--json` and writes as `summary.json`.
#[derive(Debug, Serialize, serde::Deserialize)]
pub struct Summary {
    /// The method's name and parameters.
    pub method: String,
    /// Training and test rows.
    pub rows: [usize; 2],
    /// Notes of the fit.
    pub notes: Vec<String>,
    /// Hard decisions on the training rows (absent from summaries written before streamed fits
    /// gathered them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub train: Option<HeldOut>,
    /// Hard decisions on the held-out rows.
    pub test: HeldOut,
    /// The reported notions on the held-out decisions with their bootstrap intervals, the
    /// groups compared and skipped (absent from summaries written before they were recorded).
    #[serde(default)]
    pub notions: Vec<NotionReport>,
    /// Whether the decisions on held-out rows are one constant.
    pub constant_rule: bool,
}

/// A fitted pipeline and what the report reads about it.
pub struct Fitted {
    /// The pipeline to save.
    pub pipeline: FittedPipeline<FittedLogistic>,
    /// The method for the report.
    pub method: Method,
    /// Notes of the fit.
    pub notes: Vec<String>,
    /// Training rows.
    pub train_rows: usize,
    /// Hard decisions on the training rows.
    pub on_train: HeldOut,
    /// The audit of the training rows (without proxy scores after a streamed fit).
    pub audit: DataAudit,
    /// The held-out rows with their decisions (none for a streamed fit without --test).
    pub test: Option<HeldOutRows>,
}

/// Trains and writes `pipeline.json`, `report.json`, `report.md`, `groups.svg` and
/// `summary.json` into the output directory (only `pipeline.json` for a streamed fit without
/// held-out rows).
pub fn run(args: &TrainArgs, out: Output) -> Result<bool> {
    let plan = Plan::from_args(args)?;
    let notions = method::report_notions(args, &plan)?;
    let fitted = if args.stream {
        stream::fit(args, &plan, &notions, out)?
    } else {
        in_memory(args, &plan, &notions, out)?
    };
    finish(args, out, fitted, &notions)
}

/// Loads (one file split, or the training and test files), fits and decides the rows in memory.
fn in_memory(args: &TrainArgs, plan: &Plan, notions: &[Notion], out: Output) -> Result<Fitted> {
    let schema = LoadedSchema::read(&args.data.schema)?;
    let data = Loaded::load(
        schema,
        &args.data.source()?,
        &csv_options(args.data.delimiter)?,
    )?;
    let spinner = out.spinner(format!(
        "training on {} rows ({} features)",
        data.train.nrows(),
        data.train.nfeatures()
    ));
    let trained = plan.fit(&data.train);
    spinner.finish_and_clear();
    let Trained {
        model,
        method,
        notes,
    } = trained?;
    let pipeline_path = args.output.join(PIPELINE_FILE);
    let mut pipeline = FittedPipeline::new(data.encoder.clone(), model)
        .map_err(CliError::pipeline(&pipeline_path))?;
    if let Some(params) = plan.threshold_params() {
        let first = data.schema.schema.sensitive()[0].column.clone();
        pipeline = pipeline
            .fit_thresholds(&params, &data.train_raw, &[first])
            .map_err(CliError::pipeline(&pipeline_path))?;
    }
    let decide = |raw, what: &str| {
        pipeline
            .decision_probability(raw)
            .map(|d| d.to_vec())
            .map_err(CliError::pipeline(what))
    };
    let train_decisions = decide(&data.train_raw, "training rows")?;
    let test_decisions = decide(&data.test_raw, "test rows")?;
    let on_train = HeldOut::of(&data.train, &train_decisions, notions)?;
    let scores = pipeline
        .score(&data.test_raw)
        .map_err(CliError::pipeline("test rows"))?
        .to_vec();
    Ok(Fitted {
        method,
        notes,
        train_rows: data.train.nrows(),
        on_train,
        audit: DataAudit::of("training rows", &data.train)?,
        test: Some(HeldOutRows {
            data: data.test,
            decisions: test_decisions,
            scores,
        }),
        pipeline,
    })
}

/// Writes the pipeline, and with held-out rows the report, the plot and the summary.
fn finish(args: &TrainArgs, out: Output, fitted: Fitted, notions: &[Notion]) -> Result<bool> {
    let Fitted {
        pipeline,
        method,
        notes,
        train_rows,
        on_train,
        audit,
        test,
    } = fitted;
    let pipeline_path = args.output.join(PIPELINE_FILE);
    let method_line = format!("{} {}", method.name, describe_params(&method));
    let Some(test) = test else {
        create_dir(&args.output)?;
        let json = pipeline
            .to_json()
            .map_err(CliError::pipeline(&pipeline_path))?;
        write_file(&pipeline_path, json)?;
        let why = "no held-out file: no fairness report was written (give --test FILE)";
        if out.json {
            out.print_json(&serde_json::json!({
                "method": method_line,
                "rows": [train_rows, 0],
                "notes": notes,
                "train": on_train,
                "report": why,
            }))?;
        } else {
            out.line(&method_line)?;
            for note in &notes {
                out.line(format!("  {note}"))?;
            }
            for line in on_train.lines("training rows") {
                out.line(line)?;
            }
            out.line(format!("training rows: {train_rows}; {why}"))?;
        }
        out.note(format!("wrote {}", pipeline_path.display()));
        return Ok(false);
    };
    let on_test = HeldOut::of(&test.data, &test.decisions, notions)?;
    let schema = pipeline.encoder().schema();
    let spinner = out.spinner(format!(
        "bootstrapping the report ({} resamples)",
        args.resamples
    ));
    let boot = BootstrapParams::default()
        .resamples(args.resamples)
        .seed(args.data.seed)
        .check()?;
    let labels = test.data.labels()?;
    let hard: Vec<bool> = test.decisions.iter().map(|&d| d >= 0.5).collect();
    let weights = test.data.weights().map(|w| w.to_vec());
    let outcomes = Outcomes::classification(&labels, &hard)?
        .with_scores(&test.scores)?
        .with_optional_weights(weights.as_deref())?;
    let report = FairnessReport::builder().title(format!(
        "{} ({}), {} by `{}`",
        args.data
            .data
            .as_ref()
            .or(args.data.train.as_ref())
            .map_or_else(String::new, |p| p.display().to_string()),
        method.name,
        schema.label(),
        schema.sensitive()[0].column
    ));
    let report = report
        .audit(audit)
        .method(method.clone())
        .evaluate(Split::Test, &boot, &outcomes, test.data.groups())
        .build();
    let measured: Vec<Notion> = notions.iter().filter(|n| measurable(n)).cloned().collect();
    let frame = boot.frame_with_notions(
        &outcomes,
        test.data.groups(),
        &[&Measure::SelectionRate, &Measure::Tpr, &Measure::Fpr],
        &measured,
    );
    spinner.finish_and_clear();
    let report = report?;
    let frame = frame?;
    let bars = GroupBarPlot::new(&[
        "selection_rate",
        "true_positive_rate",
        "false_positive_rate",
    ])
    .title("Held-out decisions by group (95% bootstrap intervals)")
    .render(&frame)?;

    create_dir(&args.output)?;
    let json = pipeline
        .to_json()
        .map_err(CliError::pipeline(&pipeline_path))?;
    write_file(&pipeline_path, json)?;
    report.write(&args.output)?;
    write_file(&args.output.join(GROUPS_SVG), bars)?;
    let summary = Summary {
        method: method_line,
        rows: [train_rows, test.data.nrows()],
        notes,
        constant_rule: on_test.is_constant_rule(),
        train: Some(on_train),
        test: on_test,
        notions: NotionReport::of(&frame),
    };
    write_file(
        &args.output.join(SUMMARY_FILE),
        serde_json::to_string_pretty(&summary)?,
    )?;
    if out.json {
        out.print_json(&summary)?;
    } else {
        out.line(&summary.method)?;
        for note in &summary.notes {
            out.line(format!("  {note}"))?;
        }
        if let Some(train) = &summary.train {
            for line in train.lines("training rows") {
                out.line(line)?;
            }
        }
        for line in summary.test.lines("held-out rows") {
            out.line(line)?;
        }
        if !summary.notions.is_empty() {
            out.line(format!(
                "notions of the held-out decisions ({} bootstrap resamples):",
                args.resamples
            ))?;
            for line in summary.notions.iter().flat_map(NotionReport::lines) {
                out.line(line)?;
            }
        }
    }
    out.note(format!(
        "wrote {} (pipeline.json, report.json, report.md, groups.svg, summary.json)",
        args.output.display()
    ));
    Ok(false)
}

/// `(name=value, ...)` of a method's parameters.
fn describe_params(method: &fairfit_eval::report::Method) -> String {
    let params: Vec<String> = method
        .params
        .iter()
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    format!("({})", params.join(", "))
}
