//! [`PipelineError`]: what can go wrong with a pipeline.

use std::path::PathBuf;

use fairfit_data::DataError;

use crate::postprocess::PostprocessError;

/// Everything that can go wrong while assembling, saving, loading or applying a pipeline.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    /// Encoding the records failed (unknown column, unparsable field, missing value...).
    #[error(transparent)]
    Data(#[from] DataError),
    /// Fitting or applying the group thresholds failed.
    #[error(transparent)]
    Postprocess(#[from] PostprocessError),
    /// The encoder's output does not have the width the model expects.
    #[error("the encoder produces {encoder} features, but the model expects {model}")]
    FeatureMismatch {
        /// Width of the encoded records.
        encoder: usize,
        /// Number of features of the model.
        model: usize,
    },
    /// A column chosen for the groups is not a sensitive column of the encoder's schema.
    #[error("`{column}` is not a sensitive column of the schema (sensitive: {known:?})")]
    NotSensitive {
        /// The column asked for.
        column: String,
        /// The schema's sensitive columns.
        known: Vec<String>,
    },
    /// The model produced a NaN or infinite score.
    #[error("the model scored row {row} as {value}")]
    NonFiniteScore {
        /// 0-based row of the records.
        row: usize,
        /// The score.
        value: f64,
    },
    /// A parameter outside its domain.
    #[error("invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is rejected.
        reason: String,
    },
    /// Serialising or deserialising the pipeline failed.
    #[error("pipeline JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Reading or writing the pipeline file failed.
    #[error("cannot access {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A saved pipeline of another format version, or written before versions were recorded.
    #[error("pipeline format version {} is not supported (this fairfit reads version {supported})", version_shown(.found))]
    FormatVersion {
        /// The version the document records (`None`: it records none).
        found: Option<u32>,
        /// The version this fairfit reads and writes.
        supported: u32,
    },
    /// A saved pipeline whose model is of another kind than the one asked for (a linear
    /// regression loaded as a logistic one).
    #[error("the pipeline holds a `{}` model, not a `{expected}` one", .found.as_deref().unwrap_or("unrecorded"))]
    ModelKind {
        /// The kind asked for.
        expected: &'static str,
        /// The kind the document records (`None`: it records none).
        found: Option<String>,
    },
}

fn version_shown(found: &Option<u32>) -> String {
    found.map_or_else(|| "(none recorded)".to_string(), |v| v.to_string())
}

/// Result alias of the pipeline.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;
