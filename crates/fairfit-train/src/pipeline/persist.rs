//! Saving and loading a pipeline as one JSON document.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{FittedPipeline, PipelineError, PipelineModel, Result};

impl<M: PipelineModel + Serialize + DeserializeOwned> FittedPipeline<M> {
    /// The pipeline as a JSON document.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(self)?)
    }

    /// A pipeline from JSON written by [`FittedPipeline::to_json`], checked as on construction.
    pub fn from_json(json: &str) -> Result<Self> {
        let pipeline: Self = serde_json::from_str(json)?;
        pipeline.validate()?;
        Ok(pipeline)
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
