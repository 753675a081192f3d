//! [`CliError`]: every way a command can fail, and the exit code each one gives.
//!
//! Exit codes: 0 success, 1 a monitored stream raised an alert (see `fairfit monitor`), 2 bad
//! input (a data, schema or pipeline file that cannot be read as asked, with the file, line and
//! column where the data crate knows them), 3 a computation that did not succeed (a fit that
//! failed, an output that could not be written).

use std::path::PathBuf;

use fairfit_data::{DataError, Position};
use fairfit_eval::guarantee::GuaranteeError;
use fairfit_eval::EvalError;
use fairfit_train::pipeline::PipelineError;
use fairfit_train::TrainError;

/// Exit code of bad input.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code of a computation that failed.
pub const EXIT_FAILED: u8 = 3;
/// Exit code of `fairfit monitor` when an alert fired.
pub const EXIT_ALERT: u8 = 1;

/// A command's failure.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The data could not be read or did not fit the schema (carries its position).
    #[error(transparent)]
    Data(Box<DataError>),
    /// A schema file that is not valid TOML or not a valid schema.
    #[error("{}, line {line}, column {column}: {message}", path.display())]
    SchemaFile {
        /// The schema file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column (character) on that line.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A label value that is neither the favourable nor the unfavourable one.
    #[error("{0}")]
    LabelValue(Box<BadLabel>),
    /// A file the schema does not match: a column it names that the file lacks, or the reverse.
    #[error("{}, line 1: {message}", path.display())]
    Mismatch {
        /// The data file.
        path: PathBuf,
        /// What does not match.
        message: String,
    },
    /// A notion name that is not in fairfit's vocabulary.
    #[error("unknown notion `{name}`; known: {} (append _ratio for a ratio)", known.join(", "))]
    UnknownNotion {
        /// The name as given.
        name: String,
        /// The known notions, each as `short (name)`, e.g. `dp (demographic_parity)`.
        known: Vec<String>,
    },
    /// A command-line value that cannot be used (a method, a combination).
    #[error("{0}")]
    Usage(String),
    /// A file that could not be read or written.
    #[error("cannot access {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A pipeline file that could not be loaded, or records it could not score.
    #[error("{}: {source}", path.display())]
    Pipeline {
        /// The pipeline or data file involved.
        path: PathBuf,
        /// The pipeline's error.
        #[source]
        source: Box<PipelineError>,
    },
    /// A fit that failed.
    #[error(transparent)]
    Train(Box<TrainError>),
    /// An evaluation, sweep, report or monitoring step that failed.
    #[error(transparent)]
    Eval(Box<EvalError>),
    /// A high-confidence fit that could not run.
    #[error(transparent)]
    Guarantee(Box<GuaranteeError>),
    /// JSON that could not be read or written.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A fit that returned no model (e.g. no candidate passed a safety test).
    #[error("{0}")]
    NoModel(String),
}

impl CliError {
    /// The process exit code of this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Data(_)
            | CliError::SchemaFile { .. }
            | CliError::LabelValue(_)
            | CliError::Mismatch { .. }
            | CliError::UnknownNotion { .. }
            | CliError::Usage(_)
            | CliError::Io { .. }
            | CliError::Pipeline { .. }
            | CliError::Json(_) => EXIT_BAD_INPUT,
            CliError::Train(e) if matches!(**e, TrainError::Data(_)) => EXIT_BAD_INPUT,
            CliError::Eval(e) => match **e {
                EvalError::Data(_)
                | EvalError::Io { .. }
                | EvalError::Csv { .. }
                | EvalError::Parse { .. }
                | EvalError::Json(_) => EXIT_BAD_INPUT,
                _ => EXIT_FAILED,
            },
            CliError::Train(_) | CliError::Guarantee(_) | CliError::NoModel(_) => EXIT_FAILED,
        }
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> CliError {
        let path = path.into();
        move |source| CliError::Io { path, source }
    }

    /// A pipeline error about `path`.
    pub fn pipeline(path: impl Into<PathBuf>) -> impl FnOnce(PipelineError) -> CliError {
        let path = path.into();
        move |source| match source {
            PipelineError::Data(data) => CliError::from(data),
            source => CliError::Pipeline {
                path,
                source: Box::new(source),
            },
        }
    }
}

/// Boxes the large errors of the library crates (a command's error travels only to `main`).
macro_rules! boxed_from {
    ($($error:ty => $variant:ident),* $(,)?) => {
        $(impl From<$error> for CliError {
            fn from(error: $error) -> Self {
                CliError::$variant(Box::new(error))
            }
        })*
    };
}

boxed_from! {
    DataError => Data,
    TrainError => Train,
    EvalError => Eval,
    GuaranteeError => Guarantee,
}

/// A label value outside the schema's two, and where it is.
#[derive(Debug, thiserror::Error)]
#[error("{position}: label value `{value}` is neither `{favourable}` nor `{unfavourable}` (the schema's label values)")]
pub struct BadLabel {
    /// Where the value is.
    pub position: Position,
    /// The value found.
    pub value: String,
    /// The favourable value.
    pub favourable: String,
    /// The other value.
    pub unfavourable: String,
}

/// Result alias of the command line.
pub type Result<T, E = CliError> = std::result::Result<T, E>;
