//! [`FittedPipeline`]: encoder + model + decision rule, saved and loaded as one JSON document,
//! scoring raw records end to end.
//!
//! Raw records are a [`RawTable`] (string fields by column name, as read from a CSV file or any
//! reader). The pipeline encodes them with the fitted [`Encoder`], scores them with the model and
//! decides with either a fixed threshold or group-specific thresholds
//! ([`FittedThresholds`], read from the sensitive columns of the same records).

use std::path::{Path, PathBuf};

use fairfit_data::schema::{Encoder, RawTable};
use fairfit_data::{DataError, Groups, Scorer};
use ndarray::Array1;
use rand::Rng;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::model::{FittedLinear, FittedLogistic};
use crate::postprocess::{FittedThresholds, PostprocessError, ThresholdOptimizerParams};

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
}

/// Result alias of the pipeline.
pub type Result<T, E = PipelineError> = std::result::Result<T, E>;

/// A model a pipeline can hold: it scores encoded rows and states how many features it reads, so
/// that an encoder of the wrong width is rejected when the pipeline is built or loaded.
pub trait PipelineModel: Scorer {
    /// The number of feature columns the model reads.
    fn n_features(&self) -> usize;
}

/// fairfit's logistic regression, scoring by P(y = 1 | x).
impl PipelineModel for FittedLogistic {
    fn n_features(&self) -> usize {
        self.coefficients().len()
    }
}

/// fairfit's linear regression, scoring by its prediction.
impl PipelineModel for FittedLinear {
    fn n_features(&self) -> usize {
        self.coefficients().len()
    }
}

/// How scores become decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Decision {
    /// Favourable when the score is at least this (finite) threshold, for every row.
    Threshold(f64),
    /// Group-specific (possibly randomised) thresholds; a row's group is the intersection of its
    /// values in these sensitive columns, named `value & value` as [`Groups::intersection`] does.
    Groups {
        /// The sensitive columns whose intersection forms the groups.
        columns: Vec<String>,
        /// The fitted rules.
        thresholds: FittedThresholds,
    },
}

/// A fitted pipeline: the [`Encoder`] fitted on the training rows, a model (any
/// [`PipelineModel`]: fairfit's [`FittedLogistic`] and [`FittedLinear`], or a user's model), and a
/// [`Decision`] rule. It serialises to one JSON document and scores raw records. The example
/// uses a stand-in model to stay small; the tests run the same steps on Adult with
/// [`FittedLogistic`].
///
/// ```
/// use fairfit_data::schema::{CsvOptions, Encoder, RawTable, Schema};
/// use fairfit_data::Scorer;
/// use fairfit_train::pipeline::{FittedPipeline, PipelineModel};
/// use fairfit_train::postprocess::ThresholdOptimizer;
/// use ndarray::{Array1, ArrayView2};
///
/// /// A stand-in model: the score is the first encoded feature.
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct First;
/// impl Scorer for First {
///     fn score(&self, x: ArrayView2<'_, f64>) -> Array1<f64> { x.column(0).to_owned() }
/// }
/// impl PipelineModel for First {
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(serialize = "M: Serialize", deserialize = "M: DeserializeOwned"))]
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
    /// [`FittedThresholds::predict`]).
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
    fn validate(&self) -> Result<()> {
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

/// The groups formed by the intersection of `columns` in `records`, named like
/// [`Groups::intersection`] names them (`value & value`), in order of first appearance.
fn groups_of(columns: &[String], records: &RawTable) -> Result<Groups> {
    let indices = columns
        .iter()
        .map(|c| records.column_index(c))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut names: Vec<String> = Vec::new();
    let mut of_row = Vec::with_capacity(records.len());
    for row in records.rows() {
        let name = indices
            .iter()
            .map(|&c| row.field(c))
            .collect::<Vec<_>>()
            .join(" & ");
        let g = match names.iter().position(|n| *n == name) {
            Some(g) => g,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        of_row.push(g);
    }
    Ok(Groups::new(names, of_row)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::postprocess::{Constraint, ThresholdOptimizer};
    use crate::FairLogisticRegression;
    use fairfit_data::reference;
    use fairfit_data::schema::{CsvOptions, Schema};
    use ndarray::ArrayView2;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    /// A logistic scorer with fixed weights, standing in for any serialisable model.
    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Sigmoid {
        w: Vec<f64>,
        b: f64,
    }

    impl Scorer for Sigmoid {
        fn score(&self, x: ArrayView2<'_, f64>) -> Array1<f64> {
            x.rows()
                .into_iter()
                .map(|r| {
                    let z: f64 = r.iter().zip(&self.w).map(|(a, b)| a * b).sum::<f64>() + self.b;
                    1.0 / (1.0 + (-z).exp())
                })
                .collect()
        }
    }

    impl PipelineModel for Sigmoid {
        fn n_features(&self) -> usize {
            self.w.len()
        }
    }

    const TRAIN: &str = "age,job,sex,race,y
23,a,F,X,no
35,b,F,X,yes
47,c,F,Y,yes
52,a,F,Y,no
31,b,F,X,no
44,c,F,Y,yes
29,a,M,X,no
38,b,M,X,yes
61,c,M,Y,yes
27,a,M,Y,no
49,b,M,X,yes
33,c,M,Y,no
58,a,M,X,yes
41,b,F,Y,yes
36,c,M,X,no
26,a,F,X,no
";

    fn table(text: &str) -> RawTable {
        RawTable::from_reader(text.as_bytes(), "test.csv", &CsvOptions::default()).unwrap()
    }

    fn pipeline() -> FittedPipeline<Sigmoid> {
        let schema = Schema::builder()
            .label("y", "yes")
            .sensitive("sex")
            .sensitive("race")
            .numeric(&["age"])
            .categorical(&["job"])
            .build()
            .unwrap();
        let encoder = Encoder::fit(&schema, &table(TRAIN)).unwrap();
        assert_eq!(encoder.width(), 4);
        let model = Sigmoid {
            w: vec![1.3, -0.4, 0.2, 0.5],
            b: -0.1,
        };
        FittedPipeline::new(encoder, model).unwrap()
    }

    #[test]
    fn loaded_pipeline_scores_and_decides_identically() {
        let train = table(TRAIN);
        for (constraint, columns) in [
            (Constraint::EqualizedOdds, vec!["sex"]),
            (Constraint::DemographicParity, vec!["sex", "race"]),
        ] {
            let fitted = pipeline()
                .fit_thresholds(
                    &ThresholdOptimizer::params().constraint(constraint),
                    &train,
                    &columns,
                )
                .unwrap();
            let Decision::Groups { thresholds, .. } = fitted.decision() else {
                panic!("thresholds were fitted");
            };
            assert_eq!(thresholds.group_names().len(), 2 * columns.len());
            let path = std::env::temp_dir().join(format!(
                "fairfit-pipeline-{}-{constraint:?}.json",
                std::process::id()
            ));
            fitted.save(&path).unwrap();
            let loaded = FittedPipeline::<Sigmoid>::load(&path).unwrap();
            std::fs::remove_file(&path).unwrap();
            assert_eq!(loaded, fitted);
            // New records, without a label column, in another column order.
            let new = table("race,job,age,sex\nY,b,40,F\nX,c,30,M\nX,a,55,F\nY,a,22,M\n");
            let scores = fitted.score(&new).unwrap();
            assert_eq!(loaded.score(&new).unwrap(), scores);
            // The score is the model applied to the standardised, one-hot encoded record.
            let x = fitted.encoder().transform_features(&new).unwrap();
            assert_eq!(scores, fitted.model().score(x.view()));
            let p = fitted.decision_probability(&new).unwrap();
            assert_eq!(loaded.decision_probability(&new).unwrap(), p);
            assert!(p.iter().all(|p| (0.0..=1.0).contains(p)));
            let mut a = StdRng::seed_from_u64(3);
            let mut b = StdRng::seed_from_u64(3);
            assert_eq!(
                fitted.predict(&new, &mut a).unwrap(),
                loaded.predict(&new, &mut b).unwrap()
            );
            // On the training records, the constraint holds in expectation.
            let p = loaded.decision_probability(&train).unwrap();
            let groups = loaded.groups(&train).unwrap().unwrap();
            let labels: Vec<bool> = train.rows().iter().map(|r| r.field(4) == "yes").collect();
            let mut rates = vec![[0.0; 4]; groups.n_groups()];
            for (i, &g) in groups.of_row().iter().enumerate() {
                let k = if labels[i] { 0 } else { 2 };
                rates[g][k] += p[i];
                rates[g][k + 1] += 1.0;
            }
            for r in &rates[1..] {
                match constraint {
                    Constraint::DemographicParity => {
                        let sel = |r: &[f64; 4]| (r[0] + r[2]) / (r[1] + r[3]);
                        assert!((sel(r) - sel(&rates[0])).abs() < 1e-9, "{rates:?}");
                    }
                    _ => {
                        assert!((r[0] / r[1] - rates[0][0] / rates[0][1]).abs() < 1e-9);
                        assert!((r[2] / r[3] - rates[0][2] / rates[0][3]).abs() < 1e-9);
                    }
                }
            }
        }
    }

    #[test]
    fn a_single_threshold_needs_no_sensitive_columns() {
        let p = pipeline().with_decision(Decision::Threshold(0.5)).unwrap();
        // 39.375 is the training mean age (standardised to 0); features [age, job=a, job=b,
        // job=c], so z = −0.4 − 0.1 for job a and 0.5 − 0.1 for job c.
        let new = table("age,job\n39.375,a\n39.375,c\n");
        let scores = p.score(&new).unwrap();
        let expected = [1.0 / (1.0 + 0.5f64.exp()), 1.0 / (1.0 + (-0.4f64).exp())];
        for (s, e) in scores.iter().zip(expected) {
            assert!((s - e).abs() < 1e-12, "{s} vs {e}");
        }
        assert_eq!(p.decision_probability(&new).unwrap().to_vec(), [0.0, 1.0]);
        assert!(p.groups(&new).unwrap().is_none());
    }

    #[test]
    fn typed_errors_when_parts_do_not_fit() {
        let base = pipeline();
        let narrow = Sigmoid {
            w: vec![1.0, 2.0],
            b: 0.0,
        };
        let err = FittedPipeline::new(base.encoder().clone(), narrow).unwrap_err();
        assert!(matches!(
            err,
            PipelineError::FeatureMismatch {
                encoder: 4,
                model: 2
            }
        ));
        let err = pipeline()
            .fit_thresholds(&ThresholdOptimizer::params(), &table(TRAIN), &["job"])
            .unwrap_err();
        assert!(matches!(err, PipelineError::NotSensitive { ref column, .. } if column == "job"));
        let err = pipeline()
            .with_decision(Decision::Threshold(f64::NAN))
            .unwrap_err();
        assert!(matches!(err, PipelineError::InvalidParameter { .. }));

        // A saved file whose model was edited to the wrong width is rejected on loading.
        let json = base.to_json().unwrap().replace("-0.4,", "");
        let err = FittedPipeline::<Sigmoid>::from_json(&json).unwrap_err();
        assert!(
            matches!(err, PipelineError::FeatureMismatch { model: 3, .. }),
            "{err}"
        );

        let fitted = pipeline()
            .fit_thresholds(&ThresholdOptimizer::params(), &table(TRAIN), &["sex"])
            .unwrap();
        let err = fitted
            .decision_probability(&table("age,job,sex\n30,a,U\n"))
            .unwrap_err();
        assert!(
            matches!(err, PipelineError::Postprocess(PostprocessError::UnknownGroup { ref group, .. }) if group == "U"),
            "{err}"
        );
        let err = fitted
            .decision_probability(&table("age,job\n30,a\n"))
            .unwrap_err();
        assert!(
            matches!(err, PipelineError::Data(DataError::UnknownColumn { .. })),
            "{err}"
        );
        let err = fitted.score(&table("age,job\nold,a\n")).unwrap_err();
        assert!(matches!(err, PipelineError::Data(_)), "{err}");
    }

    /// Adult end to end: the protocol's encoder, fairfit's logistic regression and equalized-odds
    /// thresholds on `sex`, saved and loaded; the loaded pipeline scores the raw test records
    /// exactly as the original and as the model on the encoded records.
    #[test]
    fn adult_pipeline_round_trip() {
        let raw = reference::adult_raw(reference::datasets_dir()).unwrap();
        let complete = |t: &RawTable| t.clone().filter(|r| !r.fields().iter().any(|f| f == "?"));
        let (train, test) = (complete(&raw.train), complete(&raw.test));
        assert_eq!((train.len(), test.len()), (30_162, 15_060));
        let encoder = Encoder::fit(&raw.schema, &train).unwrap();
        let data = encoder.transform(&train).unwrap();
        let model = FairLogisticRegression::params().fit(&data).unwrap();
        let pipeline = FittedPipeline::new(encoder, model)
            .unwrap()
            .fit_thresholds(
                &ThresholdOptimizer::params().constraint(Constraint::EqualizedOdds),
                &train,
                &["sex"],
            )
            .unwrap();
        let loaded =
            FittedPipeline::<FittedLogistic>::from_json(&pipeline.to_json().unwrap()).unwrap();
        assert_eq!(loaded, pipeline);

        let scores = loaded.score(&test).unwrap();
        assert_eq!(scores, pipeline.score(&test).unwrap());
        let encoded = pipeline.encoder().transform(&test).unwrap();
        assert_eq!(
            scores,
            pipeline.model().predict_proba(encoded.records()).unwrap()
        );
        let p = loaded.decision_probability(&test).unwrap();
        assert_eq!(p, pipeline.decision_probability(&test).unwrap());

        // On the training records the two groups' expected TPR and FPR agree.
        let p = loaded.decision_probability(&train).unwrap();
        let groups = loaded.groups(&train).unwrap().unwrap();
        let labels = data.labels().unwrap();
        let mut sums = [[0.0; 4]; 2];
        for (i, &g) in groups.of_row().iter().enumerate() {
            let k = if labels[i] { 0 } else { 2 };
            sums[g][k] += p[i];
            sums[g][k + 1] += 1.0;
        }
        let rates: Vec<(f64, f64)> = sums.iter().map(|s| (s[0] / s[1], s[2] / s[3])).collect();
        assert!((rates[0].0 - rates[1].0).abs() < 1e-9, "{rates:?}");
        assert!((rates[0].1 - rates[1].1).abs() < 1e-9, "{rates:?}");
    }
}
