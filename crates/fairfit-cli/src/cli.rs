//! The command line as clap reads it: every subcommand and option.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::error::Result;
use crate::input::Source;

/// Audit data, train fair models, score, evaluate, sweep, report and monitor.
///
/// Exit codes: 0 success, 1 `monitor` raised an alert, 2 bad input (the message names file, line
/// and column), 3 a computation that failed.
#[derive(Debug, Parser)]
#[command(name = "fairfit", version, about, long_about = None)]
pub struct Cli {
    /// Print machine-readable JSON on standard output instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress bars and no notes on standard error.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// The subcommand.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Schema files: draft one from a data file.
    #[command(subcommand)]
    Schema(SchemaCommand),
    /// Base rates, representation, the 80 % rule, proxies and missingness of a data file.
    Audit(AuditArgs),
    /// Fit a model with fairness penalties, targets, guarantees, thresholds, reductions or
    /// pre-processing; write the pipeline and its fairness report.
    Train(TrainArgs),
    /// Score a data file with a saved pipeline: decisions and scores as CSV.
    Score(ScoreArgs),
    /// Metrics by group with bootstrap intervals of a pipeline on labelled data.
    Evaluate(EvaluateArgs),
    /// Run many methods over grids: the trade-off curve, its plot, Pareto fronts and a
    /// selection table.
    Sweep(SweepArgs),
    /// Markdown and a self-contained HTML page of a trained model's report, plots inlined.
    Report(ReportArgs),
    /// Watch a scored stream over sliding windows; exit 1 when an alert fires.
    Monitor(MonitorArgs),
}

/// `fairfit schema ...`.
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// Draft a schema (TOML) from a data file, with comments on what to check.
    Infer(InferArgs),
}

/// `fairfit schema infer`.
#[derive(Debug, Args)]
pub struct InferArgs {
    /// The data file (CSV with a header line).
    pub data: PathBuf,
    /// Where to write the draft (standard output if not given).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The label column (guessed if not given).
    #[arg(long)]
    pub label: Option<String>,
    /// The favourable label value (guessed if not given).
    #[arg(long)]
    pub favourable: Option<String>,
    /// A sensitive column (repeat for more; guessed from column names if not given).
    #[arg(long)]
    pub sensitive: Vec<String>,
    /// The field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
}

/// Where labelled data comes from: one file split, or a training and a test file.
#[derive(Debug, Args, Clone)]
pub struct DataArgs {
    /// One data file, split into training and test rows (stratified by the first sensitive
    /// column × label, seeded).
    #[arg(required_unless_present = "train", conflicts_with_all = ["train", "test"])]
    pub data: Option<PathBuf>,
    /// The schema file (see `fairfit schema infer`).
    #[arg(long, short)]
    pub schema: PathBuf,
    /// A training file (with --test, instead of DATA; `train --stream` may leave out --test).
    #[arg(long)]
    pub train: Option<PathBuf>,
    /// A test file (with --train).
    #[arg(long, requires = "train")]
    pub test: Option<PathBuf>,
    /// Share of DATA's rows held out for testing.
    #[arg(long, default_value_t = 0.3)]
    pub test_fraction: f64,
    /// Seed of every random step (the split, bootstrap resamples, random methods).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// The field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
}

impl DataArgs {
    /// The source of training and test rows.
    pub fn source(&self) -> Result<Source> {
        match (&self.data, &self.train, &self.test) {
            (Some(path), _, _) => Ok(Source::Split {
                path: path.clone(),
                test_fraction: self.test_fraction,
                seed: self.seed,
            }),
            (None, Some(train), Some(test)) => Ok(Source::Files {
                train: train.clone(),
                test: test.clone(),
            }),
            _ => Err(crate::error::CliError::Usage(
                "give DATA, or both --train and --test".into(),
            )),
        }
    }
}

/// `fairfit audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The data file.
    pub data: PathBuf,
    /// The schema file.
    #[arg(long, short)]
    pub schema: PathBuf,
    /// The field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
}

/// `fairfit train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Directory for pipeline.json, report.json, report.md and groups.svg.
    #[arg(long, short, default_value = "fairfit-out")]
    pub output: PathBuf,
    /// A fairness penalty NOTION=λ (repeatable), e.g. `dp=5`, `equalized_odds=10`.
    #[arg(long, value_name = "NOTION=LAMBDA")]
    pub penalty: Vec<String>,
    /// A fairness target NOTION=ε on the training decisions (repeatable), e.g. `dp=0.02`.
    #[arg(long, value_name = "NOTION=EPSILON")]
    pub target: Vec<String>,
    /// A high-confidence target NOTION=ε: a model certified on held-out safety rows to have a
    /// gap within ε with probability 1 − δ, or no model. Thresholds after it would change the
    /// certified rule, and pre-processing would make the safety rows other than draws from the
    /// population, so neither combines with it.
    #[arg(
        long,
        value_name = "NOTION=EPSILON",
        conflicts_with_all = ["target", "reduction", "thresholds", "preprocess"]
    )]
    pub high_confidence: Option<String>,
    /// δ of --high-confidence.
    #[arg(long, default_value_t = 0.05)]
    pub delta: f64,
    /// Group-specific thresholds after training, NOTION[=TOLERANCE] (dp, tpr or eo).
    #[arg(long, value_name = "NOTION[=TOLERANCE]")]
    pub thresholds: Option<String>,
    /// A reduction KIND:NOTION=ε with KIND `eg` (exponentiated gradient; its best feasible
    /// predictor is saved) or `grid` (grid search).
    #[arg(long, value_name = "KIND:NOTION=EPSILON", conflicts_with_all = ["target", "penalty"])]
    pub reduction: Option<String>,
    /// Pre-processing of the training rows: reweighing, uniform-sampling,
    /// preferential-sampling, massaging or oversampling.
    #[arg(long)]
    pub preprocess: Option<String>,
    /// L2 strength on the mean loss.
    #[arg(long, default_value_t = 1e-4)]
    pub l2: f64,
    /// The notions whose held-out gaps are reported, with bootstrap intervals and the groups
    /// compared and skipped (comma-separated or repeated; default: those trained for, and dp,
    /// eo).
    #[arg(long, value_delimiter = ',')]
    pub report_notion: Vec<String>,
    /// Bootstrap resamples of the report's intervals.
    #[arg(long, default_value_t = 200)]
    pub resamples: usize,
    /// Fit without loading the training file: read it in chunks of --chunk-rows rows, one pass
    /// per solver iteration (the encoder in two first passes), so memory holds one chunk. Takes
    /// --train (no split) and penalties; the held-out report needs --test, read in chunks too.
    /// Targets, high-confidence targets, reductions, thresholds and pre-processing need every
    /// row at once and are refused.
    #[arg(long)]
    pub stream: bool,
    /// Rows per chunk of --stream.
    #[arg(long, requires = "stream", default_value_t = 50_000)]
    pub chunk_rows: usize,
    /// With --stream: read the training file once and keep its encoded rows in memory as sparse
    /// rows, so solver evaluations read memory instead of the file. For designs too wide to
    /// hold dense (a categorical with thousands of levels, one-hot) that fit as sparse rows.
    #[arg(long, requires = "stream")]
    pub gather: bool,
}

/// `fairfit score`.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The data file to score (label column optional).
    pub data: PathBuf,
    /// The pipeline written by `fairfit train`.
    #[arg(long, short)]
    pub pipeline: PathBuf,
    /// Where to write the CSV (standard output if not given).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// A column copied as the `time` of each row (default: the row's position, from 0).
    #[arg(long)]
    pub time: Option<String>,
    /// The field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
}

/// `fairfit evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// Labelled data to evaluate on (typically held-out rows).
    pub data: PathBuf,
    /// The pipeline written by `fairfit train`.
    #[arg(long, short)]
    pub pipeline: PathBuf,
    /// Bootstrap resamples (0: no intervals).
    #[arg(long, default_value_t = 500)]
    pub resamples: usize,
    /// Confidence level of the intervals.
    #[arg(long, default_value_t = 0.95)]
    pub level: f64,
    /// Seed of the bootstrap.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also write the frame as CSV here.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Fairness notions measured on the decisions (comma-separated or repeated), each with its
    /// value, aggregate, the groups compared and skipped, and its interval: `dp`, `eo`, `tpr`,
    /// `predictive-parity`, `dp_ratio`, ... (short names, names or columns).
    #[arg(long = "notion", value_delimiter = ',')]
    pub notions: Vec<String>,
    /// A column of non-negative row weights (the schema's `weight` at training): every metric,
    /// interval and gap is weighted by it.
    #[arg(long)]
    pub weight: Option<String>,
    /// The field delimiter.
    #[arg(long, default_value_t = ',')]
    pub delimiter: char,
}

/// `fairfit sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The data.
    #[command(flatten)]
    pub data: DataArgs,
    /// Share of the training rows held out for validation (choices are made there).
    #[arg(long, default_value_t = 0.25)]
    pub validation: f64,
    /// Methods to run, by name prefix (e.g. `unmitigated,dp-penalty,thresholds`); all if not given.
    #[arg(long, value_delimiter = ',')]
    pub methods: Vec<String>,
    /// Short grids (5 λ, 4 ε, 4 tolerances) instead of the full ones.
    #[arg(long)]
    pub fast: bool,
    /// The notions the comparison and the selection table read, from those every sweep point
    /// records: `dp`, `dp_ratio`, `eo`, `tpr` (or their long names); the first one is the
    /// Pareto comparison's and the plot's gap.
    #[arg(long = "notion", value_delimiter = ',', default_values = ["dp", "eo"])]
    pub notions: Vec<String>,
    /// Gap bounds of the selection table (for difference notions: at most the bound).
    #[arg(long, value_delimiter = ',', default_values_t = [0.01, 0.02, 0.05])]
    pub bounds: Vec<f64>,
    /// Bounds of ratio notions in the selection table (at least the bound).
    #[arg(long, value_delimiter = ',', default_values_t = [0.8, 0.9])]
    pub ratio_bounds: Vec<f64>,
    /// Bootstrap resamples of every validation and test metric.
    #[arg(long, default_value_t = 200)]
    pub resamples: usize,
    /// Directory for curve.csv/json, tradeoff.svg, comparison.csv/json, selection.csv/json.
    #[arg(long, short, default_value = "fairfit-sweep")]
    pub output: PathBuf,
}

/// `fairfit report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The directory `fairfit train` wrote (report.json, groups.svg).
    pub dir: PathBuf,
    /// A sweep's curve.json: its trade-off plot joins the page.
    #[arg(long)]
    pub curve: Option<PathBuf>,
    /// Where to write report.md and report.html (default: DIR).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// `fairfit monitor`.
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The stream: CSV with `time`, `score` (or `prediction`), `label` (0, 1 or empty) and
    /// `group` columns, as `fairfit score` writes it.
    pub stream: PathBuf,
    /// Windows of this many records (with --step records between starts).
    #[arg(long, conflicts_with = "window_time")]
    pub window_rows: Option<usize>,
    /// Windows of this length in the stream's time unit (with --step).
    #[arg(long)]
    pub window_time: Option<f64>,
    /// Distance between window starts (default: the window size).
    #[arg(long)]
    pub step: Option<f64>,
    /// A bound NOTION=LIMIT (repeatable), e.g. `dp=0.1`; ratios alert below their bound.
    #[arg(long, required = true)]
    pub bound: Vec<String>,
    /// Score threshold of a favourable decision.
    #[arg(long, default_value_t = 0.5)]
    pub threshold: f64,
    /// Directory for windows.csv, alerts.csv, report.json and disparity.svg.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}
