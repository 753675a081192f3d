//! Saving and loading a pipeline as one JSON document that records its format version and the
//! model's kind.

use std::path::Path;

use fairfit_data::schema::Encoder;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};

use super::{Decision, FittedPipeline, PipelineError, PipelineModel, Result};

/// The format version a saved pipeline records; loading refuses any other (and a document
/// without one, written before versions were recorded).
pub const FORMAT_VERSION: u32 = 1;

/// A pipeline as written: format version and model kind first, then the parts.
#[derive(Serialize)]
struct PipelineFileRef<'a, M> {
    format_version: u32,
    model_kind: &'a str,
    encoder: &'a Encoder,
    model: &'a M,
    decision: &'a Decision,
}

/// A pipeline as read, validated into a [`FittedPipeline`] (version, kind, then the parts).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PipelineFile<M> {
    format_version: Option<u32>,
    model_kind: Option<String>,
    encoder: Encoder,
    model: M,
    decision: Decision,
}

/// The two fields that say whether the rest can be read at all, read on their own first so that
/// a wrong version or kind is a typed error rather than whatever the parts would fail with.
#[derive(Deserialize)]
struct Header {
    format_version: Option<u32>,
    model_kind: Option<String>,
}

impl Header {
    fn check<M: PipelineModel>(&self) -> Result<()> {
        if self.format_version != Some(FORMAT_VERSION) {
            return Err(PipelineError::FormatVersion {
                found: self.format_version,
                supported: FORMAT_VERSION,
            });
        }
        if self.model_kind.as_deref() != Some(M::KIND) {
            return Err(PipelineError::ModelKind {
                expected: M::KIND,
                found: self.model_kind.clone(),
            });
        }
        Ok(())
    }
}

impl<M: PipelineModel> TryFrom<PipelineFile<M>> for FittedPipeline<M> {
    type Error = PipelineError;

    fn try_from(file: PipelineFile<M>) -> Result<Self> {
        Header {
            format_version: file.format_version,
            model_kind: file.model_kind,
        }
        .check::<M>()?;
        let pipeline = Self {
            encoder: file.encoder,
            model: file.model,
            decision: file.decision,
        };
        pipeline.validate()?;
        Ok(pipeline)
    }
}

impl<M: PipelineModel + Serialize> Serialize for FittedPipeline<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        PipelineFileRef {
            format_version: FORMAT_VERSION,
            model_kind: M::KIND,
            encoder: &self.encoder,
            model: &self.model,
            decision: &self.decision,
        }
        .serialize(serializer)
    }
}

impl<M: PipelineModel + Serialize + DeserializeOwned> FittedPipeline<M> {
    /// The pipeline as a JSON document.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// A pipeline from JSON written by [`FittedPipeline::to_json`], checked as on construction.
    ///
    /// Errors: [`PipelineError::FormatVersion`] for a document of another format version (or
    /// none), [`PipelineError::ModelKind`] for a model of another kind (a linear pipeline read
    /// as a logistic one), and [`PipelineError::Json`] naming what is wrong for a part that fails
    /// its own checks (a standard deviation ≤ 0, unsorted categories, fewer threshold rules than
    /// groups, a probability outside [0, 1], a model without features, an unknown field, ...).
    pub fn from_json(json: &str) -> Result<Self> {
        serde_json::from_str::<Header>(json)?.check::<M>()?;
        // Through the file type, so that parts that do not fit together stay typed errors.
        serde_json::from_str::<PipelineFile<M>>(json)?.try_into()
    }

    /// Writes the pipeline as JSON to a file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        std::fs::write(path, self.to_json()?).map_err(|source| PipelineError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Reads a pipeline saved by [`FittedPipeline::save`].
    pub fn load(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let json = std::fs::read_to_string(path).map_err(|source| PipelineError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&json)
    }
}
