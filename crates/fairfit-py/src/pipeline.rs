//! Saved pipelines (fairfit-train's `pipeline`): encoder + fair logistic regression + decision
//! rule as one JSON document, fitted on and applied to raw records (CSV text from a data
//! frame). A document written by Rust loads here and the other way round.

use fairfit_data::schema::{CsvOptions, Encoder, RawTable, Schema};
use fairfit_train::{FittedLogistic, FittedPipeline, Logistic};
use numpy::{IntoPyArray, PyArray1};
use pyo3::prelude::*;

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

fn load(json: &str) -> Result<FittedPipeline<FittedLogistic>> {
    Ok(FittedPipeline::from_json(json)?)
}

/// Fits a pipeline on raw records: the encoder on them, the model with the settings'
/// penalties or targets, and group-specific thresholds when `thresholds` is given (on the
/// sensitive columns). Returns the saved JSON document.
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
        let model = fit_kind::<Logistic>(&settings, &data)?.model;
        let mut pipeline = FittedPipeline::new(encoder, model)?;
        if let Some(params) = &threshold_params {
            pipeline = pipeline.fit_thresholds(params, &records, &schema.sensitive)?;
        }
        Ok(pipeline.to_json()?)
    })?;
    Ok(json)
}

/// A saved pipeline's scores (log-odds) of raw records.
#[pyfunction]
pub fn pipeline_score<'py>(
    py: Python<'py>,
    json: &str,
    csv: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let scores = load(json)?.score(&table(csv)?).map_err(Error::from)?;
    Ok(scores.into_pyarray(py))
}

/// A saved pipeline's exact probability of a favourable decision for raw records.
#[pyfunction]
pub fn pipeline_decision_probability<'py>(
    py: Python<'py>,
    json: &str,
    csv: &str,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let p = load(json)?
        .decision_probability(&table(csv)?)
        .map_err(Error::from)?;
    Ok(p.into_pyarray(py))
}

/// Loads a saved pipeline (checking it as Rust does) and saves it again: the document as the
/// running fairfit writes it, and its encoded feature names.
#[pyfunction]
pub fn pipeline_load(json: &str) -> PyResult<(String, Vec<String>)> {
    let pipeline = load(json)?;
    let names = pipeline.encoder().feature_names();
    Ok((pipeline.to_json().map_err(Error::from)?, names))
}
