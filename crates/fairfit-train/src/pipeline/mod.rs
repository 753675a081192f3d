//! [`FittedPipeline`]: encoder + model + decision rule, saved and loaded as one JSON document,
//! scoring raw records end to end.
//!
//! Raw records are a [`RawTable`] (string fields by column name, as read from a CSV file or any
//! reader). The pipeline encodes them with the fitted [`Encoder`], scores them with the model and
//! decides with either a fixed threshold or group-specific thresholds
//! ([`FittedThresholds`](crate::FittedThresholds), read from the sensitive columns of the same records).

mod decision;
mod error;
mod model;
mod persist;
#[cfg(test)]
mod tests;

use fairfit_data::schema::{Encoder, RawTable};
use fairfit_data::Groups;
use ndarray::Array1;
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::postprocess::ThresholdOptimizerParams;
use decision::groups_of;

pub use decision::Decision;
pub use error::{PipelineError, Result};
pub use model::PipelineModel;
pub use persist::FORMAT_VERSION;

/// A fitted pipeline: the [`Encoder`] fitted on the training rows, a model (any
/// [`PipelineModel`]: fairfit's [`FittedLogistic`](crate::FittedLogistic) and [`FittedLinear`](crate::FittedLinear), or a user's model), and a
/// [`Decision`] rule. It serialises to one JSON document and scores raw records. The example
/// uses a stand-in model to stay small; the tests run the same steps on Adult with
/// [`FittedLogistic`](crate::FittedLogistic).
///
/// ```
/// use fairfit::data::schema::{CsvOptions, Encoder, RawTable, Schema};
/// use fairfit::data::Scorer;
/// use fairfit::train::pipeline::{FittedPipeline, PipelineModel};
/// use fairfit::train::postprocess::ThresholdOptimizer;
/// use ndarray::{Array1, ArrayView2};
///
/// /// A stand-in model: the score is the first encoded feature.
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct First;
/// impl Scorer for First {
///     fn score(&self, x: ArrayView2<'_, f64>) -> Array1<f64> { x.column(0).to_owned() }
/// }
/// impl PipelineModel for First {
///     const KIND: &'static str = "first-feature";
///     fn n_features(&self) -> usize { 1 }
/// }
///
/// let csv = "income,sex,y\n10,F,0\n30,F,1\n20,M,0\n40,M,1\n50,M,1\n60,F,1\n";
/// let train = RawTable::from_reader(csv.as_bytes(), "train.csv", &CsvOptions::default())?;
/// let schema = Schema::builder().label("y", "1").sensitive("sex").numeric(&["income"]).build()?;
/// let pipeline = FittedPipeline::new(Encoder::fit(&schema, &train)?, First)?
///     .fit_thresholds(&ThresholdOptimizer::params(), &train, &["sex"])?;
/// let loaded: FittedPipeline<First> = FittedPipeline::from_json(&pipeline.to_json()?)?;
/// assert_eq!(loaded.score(&train)?, pipeline.score(&train)?);
/// // Both groups have two positives of three rows: parity at rate 2/3 is also error-free.
/// assert_eq!(loaded.decision_probability(&train)?.to_vec(), [0.0, 1.0, 0.0, 1.0, 1.0, 1.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The saved document records its [format version](FORMAT_VERSION) and the model's
/// [kind](PipelineModel::KIND); loading checks both, every part as its own type checks it, and
/// that the parts fit together (see [`FittedPipeline::from_json`]).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(
    bound(deserialize = "M: PipelineModel + DeserializeOwned"),
    try_from = "persist::PipelineFile<M>"
)]
pub struct FittedPipeline<M> {
    encoder: Encoder,
    model: M,
    decision: Decision,
}

impl<M: PipelineModel> FittedPipeline<M> {
    /// Joins an encoder and a model; decisions use the threshold 0.5 (the protocol's default for
    /// probabilities) until [`FittedPipeline::with_decision`] or
    /// [`FittedPipeline::fit_thresholds`] sets another rule. Fails when the encoder's width is
    /// not the model's number of features.
    pub fn new(encoder: Encoder, model: M) -> Result<Self> {
        let pipeline = Self {
            encoder,
            model,
            decision: Decision::Threshold(0.5),
        };
        pipeline.validate()?;
        Ok(pipeline)
    }

    /// Replaces the decision rule (checked as on loading).
    pub fn with_decision(mut self, decision: Decision) -> Result<Self> {
        self.decision = decision;
        self.validate()?;
        Ok(self)
    }

    /// Fits group-specific thresholds on labelled raw records (typically the training or a
    /// validation split), with groups formed by the intersection of the named sensitive columns,
    /// and makes them the decision rule.
    pub fn fit_thresholds<S: AsRef<str>>(
        self,
        params: &ThresholdOptimizerParams,
        records: &RawTable,
        group_columns: &[S],
    ) -> Result<Self> {
        let columns: Vec<String> = group_columns
            .iter()
            .map(|c| c.as_ref().to_string())
            .collect();
        self.check_sensitive(&columns)?;
        let names: Vec<&str> = columns.iter().map(String::as_str).collect();
        let data = self.encoder.transform(records)?.with_groups_from(&names)?;
        let thresholds = params.fit_dataset(&self.model, &data)?;
        self.with_decision(Decision::Groups {
            columns,
            thresholds,
        })
    }

    /// The fitted encoder.
    pub fn encoder(&self) -> &Encoder {
        &self.encoder
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The decision rule.
    pub fn decision(&self) -> &Decision {
        &self.decision
    }

    /// The model's score of every record (one per row; label and sensitive columns are not
    /// needed). Fails on an unknown column, a field the encoder cannot read, a missing value the
    /// schema cannot impute, or a non-finite score.
    pub fn score(&self, records: &RawTable) -> Result<Array1<f64>> {
        let x = self.encoder.transform_features(records)?;
        let scores = self.model.score(x.view());
        if scores.len() != x.nrows() {
            return Err(PipelineError::InvalidParameter {
                name: "model",
                reason: format!("scored {} rows, expected {}", scores.len(), x.nrows()),
            });
        }
        if let Some((row, &value)) = scores.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(PipelineError::NonFiniteScore { row, value });
        }
        Ok(scores)
    }

    /// The groups of the records under the decision rule's sensitive columns (`None` for a
    /// single threshold).
    pub fn groups(&self, records: &RawTable) -> Result<Option<Groups>> {
        match &self.decision {
            Decision::Threshold(_) => Ok(None),
            Decision::Groups { columns, .. } => Ok(Some(groups_of(columns, records)?)),
        }
    }

    /// The exact probability of the favourable decision for every record.
    pub fn decision_probability(&self, records: &RawTable) -> Result<Array1<f64>> {
        let scores = self.score(records)?;
        match &self.decision {
            Decision::Threshold(t) => Ok(scores.mapv(|s| f64::from(u8::from(s >= *t)))),
            Decision::Groups {
                columns,
                thresholds,
            } => {
                let groups = groups_of(columns, records)?;
                Ok(thresholds.decision_probability(scores.view(), &groups)?)
            }
        }
    }

    /// Decisions for every record; randomised rows draw from `rng` (see
    /// [`FittedThresholds::predict`](crate::FittedThresholds::predict)).
    pub fn predict<R: Rng + ?Sized>(
        &self,
        records: &RawTable,
        rng: &mut R,
    ) -> Result<Array1<bool>> {
        let p = self.decision_probability(records)?;
        Ok(p.mapv(|p| p >= 1.0 || (p > 0.0 && rng.gen::<f64>() < p)))
    }

    /// Checks that the parts fit together: encoder width, a finite threshold, sensitive group
    /// columns.
    pub(super) fn validate(&self) -> Result<()> {
        let (encoder, model) = (self.encoder.width(), self.model.n_features());
        if encoder != model {
            return Err(PipelineError::FeatureMismatch { encoder, model });
        }
        match &self.decision {
            Decision::Threshold(t) if !t.is_finite() => Err(PipelineError::InvalidParameter {
                name: "threshold",
                reason: format!("must be finite, got {t}"),
            }),
            Decision::Threshold(_) => Ok(()),
            Decision::Groups { columns, .. } => self.check_sensitive(columns),
        }
    }

    fn check_sensitive(&self, columns: &[String]) -> Result<()> {
        let known: Vec<String> = self
            .encoder
            .schema()
            .sensitive()
            .iter()
            .map(|s| s.column.clone())
            .collect();
        if columns.is_empty() {
            return Err(PipelineError::InvalidParameter {
                name: "group_columns",
                reason: "name at least one sensitive column".into(),
            });
        }
        match columns.iter().find(|c| !known.contains(c)) {
            Some(column) => Err(PipelineError::NotSensitive {
                column: column.clone(),
                known,
            }),
            None => Ok(()),
        }
    }
}
