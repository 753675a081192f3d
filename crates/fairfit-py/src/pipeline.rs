//! Saved pipelines (fairfit-train's `pipeline`): encoder + fair logistic or linear regression +
//! decision rule as one JSON document, fitted on and applied to raw records (CSV text from a
//! data frame). A document written by Rust loads here and the other way round; the kind of
//! model is the one the document records.

use fairfit_data::schema::{CsvOptions, Encoder, RawTable, Schema};
use fairfit_train::postprocess::ThresholdOptimizerParams;
use fairfit_train::{
    FittedLinear, FittedLogistic, FittedModel, FittedPipeline, Linear, Logistic, ModelKind,
    PipelineModel,
};
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::linear::{fit_kind, Settings};
use crate::thresholds::ThresholdSettings;

/// The roles of the raw columns.
#[derive(FromPyObject)]
pub struct SchemaSpec {
    /// The label column.
    #[pyo3(item)]
    pub label: String,
    /// Its favourable value.
    #[pyo3(item)]
    pub favourable: String,
    /// Sensitive columns (the first is the active partition).
    #[pyo3(item)]
    pub sensitive: Vec<String>,
    /// Numeric feature columns (standardised on the training rows).
    #[pyo3(item)]
    pub numeric: Vec<String>,
    /// Categorical feature columns (one-hot, categories of the training rows).
    #[pyo3(item)]
    pub categorical: Vec<String>,
}

impl SchemaSpec {
    fn schema(&self) -> Result<Schema> {
        let mut builder = Schema::builder().label(&self.label, &self.favourable);
        for column in &self.sensitive {
            builder = builder.sensitive(column);
        }
        Ok(builder
            .numeric(&self.numeric)
            .categorical(&self.categorical)
            .ignore_others()
            .build()?)
    }
}

/// Raw records from CSV text with a header.
fn table(csv: &str) -> Result<RawTable> {
    Ok(RawTable::from_reader(
        csv.as_bytes(),
        "records",
        &CsvOptions::default(),
    )?)
}

/// A saved pipeline of either model kind.
enum AnyPipeline {
    Logistic(FittedPipeline<FittedLogistic>),
    Linear(FittedPipeline<FittedLinear>),
}

/// Runs `$body` on the pipeline `$p`, whichever its model kind.
macro_rules! on_pipeline {
    ($any:expr, $p:ident => $body:expr) => {
        match $any {
            AnyPipeline::Logistic($p) => $body,
            AnyPipeline::Linear($p) => $body,
        }
    };
}

/// Only the kind a saved document records (the rest is read by the pipeline's own loader).
#[derive(Deserialize)]
struct RecordedKind {
    model_kind: Option<String>,
}

impl AnyPipeline {
    /// Loads a document as the kind it records (a document recording none, or another kind,
    /// gets the logistic loader's typed error).
    fn from_json(json: &str) -> Result<Self> {
        let recorded: RecordedKind = serde_json::from_str(json)?;
        Ok(match recorded.model_kind.as_deref() {
            Some(FittedLinear::KIND) => Self::Linear(FittedPipeline::from_json(json)?),
            _ => Self::Logistic(FittedPipeline::from_json(json)?),
        })
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Logistic(_) => FittedLogistic::KIND,
            Self::Linear(_) => FittedLinear::KIND,
        }
    }
}

fn load(json: &str) -> Result<AnyPipeline> {
    AnyPipeline::from_json(json)
}

/// Fits the model of kind `K` on the encoded rows and joins it to the encoder, with thresholds
/// fitted on the raw records' sensitive columns when asked; returns the saved document.
fn fit_pipeline<K: ModelKind>(
    settings: &Settings,
    encoder: Encoder,
    data: &fairfit_data::FairDataset,
    thresholds: Option<(&ThresholdOptimizerParams, &RawTable, &[String])>,
) -> Result<String>
where
    FittedModel<K>: PipelineModel,
{
    let model = fit_kind::<K>(settings, data)?.model;
    let mut pipeline = FittedPipeline::new(encoder, model)?;
    if let Some((params, records, columns)) = thresholds {
        pipeline = pipeline.fit_thresholds(params, records, columns)?;
    }
    Ok(pipeline.to_json()?)
}

/// Fits a pipeline on raw records: the encoder on them, the model (the settings' kind,
/// `logistic` or `linear`) with the settings' penalties or targets, and group-specific
/// thresholds when `thresholds` is given (on the sensitive columns). Returns the saved JSON
/// document.
#[pyfunction]
#[pyo3(signature = (csv, schema, settings, thresholds=None))]
pub fn pipeline_fit(
    py: Python<'_>,
    csv: &str,
    schema: SchemaSpec,
    settings: Settings,
    thresholds: Option<ThresholdSettings>,
) -> PyResult<String> {
    let records = table(csv)?;
    let spec = schema.schema()?;
    let threshold_params = thresholds
        .as_ref()
        .map(ThresholdSettings::params)
        .transpose()?;
    let json = py.allow_threads(|| -> Result<String> {
        let (encoder, data) = Encoder::fit_transform(&spec, &records)?;
        let thresholds = threshold_params
            .as_ref()
            .map(|p| (p, &records, schema.sensitive.as_slice()));
        match settings.kind.as_str() {
            "logistic" => fit_pipeline::<Logistic>(&settings, encoder, &data, thresholds),
            "linear" => fit_pipeline::<Linear>(&settings, encoder, &data, thresholds),
            other => Err(Error::input(format!(
                "unknown model kind `{other}`; known: logistic, linear"
            ))),
        }
    })?;
    Ok(json)
}

/// A saved pipeline's scores of raw records (logistic: P(y = 1 | x); linear: the prediction).
#[pyfunction]
pub fn pipeline_score<'py>(
    py: Python<'py>,
    json: &str,
    csv: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let records = table(csv)?;
    let scores = on_pipeline!(load(json)?, p => p.score(&records)).map_err(Error::from)?;
    Ok(scores.into_pyarray(py))
}

/// A saved pipeline's exact probability of a favourable decision for raw records.
#[pyfunction]
pub fn pipeline_decision_probability<'py>(
    py: Python<'py>,
    json: &str,
    csv: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let records = table(csv)?;
    let p =
        on_pipeline!(load(json)?, p => p.decision_probability(&records)).map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}

/// Loads a saved pipeline (checking it as Rust does) and saves it again: the document as the
/// running fairfit writes it, its encoded feature names and its model kind.
#[pyfunction]
pub fn pipeline_load(json: &str) -> PyResult<(String, Vec<String>, &'static str)> {
    let pipeline = load(json)?;
    let kind = pipeline.kind();
    let (saved, names) = on_pipeline!(pipeline, p => (p.to_json(), p.encoder().feature_names()));
    Ok((saved.map_err(Error::from)?, names, kind))
}
