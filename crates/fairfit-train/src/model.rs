//! Fitted linear and logistic models: coefficients, intercept and the report of the solve that
//! produced them. Predictions are fallible ([`FittedModel::predict_proba`] and its siblings return
//! a typed error for records of the wrong width or with NaN/inf); linfa's
//! [`Predict`](linfa::traits::Predict) and fairfit's [`Scorer`] are offered on top, and panic
//! with that error's message since their signatures cannot return one.

use std::marker::PhantomData;

use fairfit_data::Scorer;
use linfa::traits::PredictInplace;
use ndarray::{Array1, ArrayBase, ArrayView1, ArrayView2, Data, Ix2};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::fit_report::FitReport;
use crate::loss::{Linear, Logistic, Loss, ModelKind};

/// A fitted model `s = x·w + b` of kind `K` ([`Logistic`] or [`Linear`]).
///
/// Saved, it records its kind (`"logistic"` or `"linear"`); loaded, it is checked as
/// [`FittedModel::new`] checks it, and a file of the other kind (or with an unknown field) is
/// refused, so a linear regression never loads as a logistic one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "", try_from = "FittedModelFile", into = "FittedModelFile")]
pub struct FittedModel<K: ModelKind> {
    coefficients: Array1<f64>,
    intercept: f64,
    report: Option<FitReport>,
    #[serde(skip)]
    kind: PhantomData<K>,
}

/// A fitted logistic regression.
pub type FittedLogistic = FittedModel<Logistic>;

/// A fitted linear regression.
pub type FittedLinear = FittedModel<Linear>;

/// A [`FittedModel`] as saved: its kind and parameters, validated into a model on load.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FittedModelFile {
    kind: String,
    coefficients: Array1<f64>,
    intercept: f64,
    report: Option<FitReport>,
}

impl<K: ModelKind> From<FittedModel<K>> for FittedModelFile {
    fn from(model: FittedModel<K>) -> Self {
        Self {
            kind: K::NAME.to_string(),
            coefficients: model.coefficients,
            intercept: model.intercept,
            report: model.report,
        }
    }
}

impl<K: ModelKind> TryFrom<FittedModelFile> for FittedModel<K> {
    type Error = TrainError;

    fn try_from(file: FittedModelFile) -> Result<Self> {
        if file.kind != K::NAME {
            return Err(TrainError::ModelKind {
                expected: K::NAME,
                found: file.kind,
            });
        }
        let mut model = Self::new(file.coefficients, file.intercept)?;
        model.report = file.report;
        Ok(model)
    }
}

impl<K: ModelKind> FittedModel<K> {
    /// A model from its parameters (e.g. loaded, or taken from a
    /// [`TrainError::NotConverged`] the caller decides to accept); it has no fit report.
    ///
    /// Fails with [`TrainError::InvalidParameter`] when there is no coefficient (a model of
    /// zero features) or a coefficient or the intercept is not finite.
    pub fn new(coefficients: Array1<f64>, intercept: f64) -> Result<Self> {
        if coefficients.is_empty() {
            return Err(TrainError::InvalidParameter {
                name: "coefficients",
                reason: "a model needs at least one feature".into(),
            });
        }
        if let Some((j, w)) = coefficients
            .iter()
            .enumerate()
            .find(|(_, w)| !w.is_finite())
        {
            return Err(TrainError::InvalidParameter {
                name: "coefficients",
                reason: format!("coefficient {j} is {w}; every coefficient must be finite"),
            });
        }
        if !intercept.is_finite() {
            return Err(TrainError::InvalidParameter {
                name: "intercept",
                reason: format!("must be finite, got {intercept}"),
            });
        }
        Ok(Self::from_parts(coefficients, intercept, None))
    }

    pub(crate) fn from_parts(
        coefficients: Array1<f64>,
        intercept: f64,
        report: Option<FitReport>,
    ) -> Self {
        Self {
            coefficients,
            intercept,
            report,
            kind: PhantomData,
        }
    }

    /// The feature weights `w`.
    pub fn coefficients(&self) -> ArrayView1<'_, f64> {
        self.coefficients.view()
    }

    /// The intercept `b`.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The report of the solve that produced the model (`None` for a model built with
    /// [`FittedModel::new`]). Every model a fit returns has converged: an unconverged solve is
    /// a [`TrainError::NotConverged`].
    pub fn report(&self) -> Option<&FitReport> {
        self.report.as_ref()
    }

    /// The model's loss (which fixes how scores become predictions).
    pub fn loss(&self) -> Loss {
        K::LOSS
    }

    /// The linear scores `x·w + b`, one per row.
    ///
    /// Fails with [`TrainError::LengthMismatch`] unless `records` has one column per coefficient,
    /// and with [`TrainError::NonFinite`] (the first offending row and column) if a feature is
    /// NaN or infinite. The finiteness check costs one pass over the scores, not over the
    /// matrix: a non-finite feature always makes its row's score non-finite, so only such rows
    /// are searched.
    pub fn decision_function(&self, records: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.check_columns(records)?;
        let scores = records.dot(&self.coefficients) + self.intercept;
        // A row with a finite score has finite features, so the first non-finite feature in
        // row-major order is in the first row whose score is non-finite and holds one (finite
        // features can still overflow to an infinite score: that score is returned as is).
        let first_bad = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.is_finite())
            .find_map(|(row, _)| first_non_finite(records, row));
        match first_bad {
            Some(err) => Err(err),
            None => Ok(scores),
        }
    }

    /// Fails unless `records` can be scored by this model: [`TrainError::LengthMismatch`] if it
    /// does not have one column per coefficient, [`TrainError::NonFinite`] (row and column) at the
    /// first NaN or infinite value in row-major order.
    pub fn check_features(&self, records: ArrayView2<'_, f64>) -> Result<()> {
        self.check_columns(records)?;
        match (0..records.nrows()).find_map(|i| first_non_finite(records, i)) {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// Fails with [`TrainError::LengthMismatch`] unless `records` has one column per coefficient.
    fn check_columns(&self, records: ArrayView2<'_, f64>) -> Result<()> {
        if records.ncols() == self.coefficients.len() {
            Ok(())
        } else {
            Err(TrainError::LengthMismatch {
                what: "feature columns".into(),
                expected: self.coefficients.len(),
                found: records.ncols(),
            })
        }
    }

    /// `[w, b]` as a starting point for an objective of dimension `dim`.
    pub(crate) fn parameters_for(&self, dim: usize) -> Result<Array1<f64>> {
        if self.coefficients.len() + 1 != dim {
            return Err(TrainError::LengthMismatch {
                what: "warm-start coefficients".into(),
                expected: dim - 1,
                found: self.coefficients.len(),
            });
        }
        let mut theta = Array1::zeros(dim);
        theta
            .slice_mut(ndarray::s![..dim - 1])
            .assign(&self.coefficients);
        theta[dim - 1] = self.intercept;
        Ok(theta)
    }
}

impl FittedModel<Logistic> {
    /// P(y = 1 | x) for every row; the errors of [`FittedModel::decision_function`].
    pub fn predict_proba(&self, records: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        Ok(self
            .decision_function(records)?
            .mapv(|s| Loss::Logistic.predict(s)))
    }

    /// The decisions `P(y = 1 | x) ≥ 1/2`; the errors of [`FittedModel::decision_function`].
    pub fn predict_labels(&self, records: ArrayView2<'_, f64>) -> Result<Array1<bool>> {
        Ok(self.decision_function(records)?.mapv(|s| s >= 0.0))
    }
}

impl FittedModel<Linear> {
    /// The predicted values `x·w + b`; the errors of [`FittedModel::decision_function`].
    pub fn predict_values(&self, records: ArrayView2<'_, f64>) -> Result<Array1<f64>> {
        self.decision_function(records)
    }
}

/// The first NaN or infinite value of row `row`, as a [`TrainError::NonFinite`].
fn first_non_finite(records: ArrayView2<'_, f64>, row: usize) -> Option<TrainError> {
    records
        .row(row)
        .iter()
        .position(|v| !v.is_finite())
        .map(|column| TrainError::NonFinite {
            row,
            column,
            value: records[[row, column]],
        })
}

/// The result of a prediction through an infallible trait (linfa's `Predict`, fairfit's
/// [`Scorer`]), which has no way to return an error.
///
/// # Panics
/// With the [`TrainError`]'s message, as linfa's own models do on a shape mismatch: returning
/// NaN instead would be a silent wrong number. Callers who may pass bad records use the
/// fallible methods ([`FittedModel::predict_proba`], ...) or [`FittedModel::check_features`].
fn infallible<T>(prediction: Result<T>) -> T {
    // The trait's signature leaves no other way to refuse bad input; documented on each impl.
    prediction
        .map_err(|err| err.to_string())
        .expect("fairfit model cannot score these records")
}

/// Probabilities P(y = 1 | x), via `linfa::traits::Predict`.
///
/// # Panics
/// If the records have the wrong number of columns or a non-finite value (linfa's trait cannot
/// return an error): use [`FittedModel::predict_proba`] for a typed error instead.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for FittedModel<Logistic> {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
        y.assign(&infallible(self.predict_proba(x.view())));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
        Array1::zeros(x.nrows())
    }
}

/// Labels (probability ≥ 1/2), via `linfa::traits::Predict`.
///
/// # Panics
/// If the records have the wrong number of columns or a non-finite value (linfa's trait cannot
/// return an error): use [`FittedModel::predict_labels`] for a typed error instead.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<bool>>
    for FittedModel<Logistic>
{
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<bool>) {
        y.assign(&infallible(self.predict_labels(x.view())));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<bool> {
        Array1::from_elem(x.nrows(), false)
    }
}

/// Predicted values, via `linfa::traits::Predict`.
///
/// # Panics
/// If the records have the wrong number of columns or a non-finite value (linfa's trait cannot
/// return an error): use [`FittedModel::predict_values`] for a typed error instead.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for FittedModel<Linear> {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
        y.assign(&infallible(self.predict_values(x.view())));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
        Array1::zeros(x.nrows())
    }
}

/// A logistic model scores rows by P(y = 1 | x).
///
/// # Panics
/// As the `Predict` impl: [`Scorer`] cannot return an error; [`FittedModel::predict_proba`] can.
impl Scorer for FittedModel<Logistic> {
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        infallible(self.predict_proba(records))
    }
}

/// A linear model scores rows by its prediction.
///
/// # Panics
/// As the `Predict` impl: [`Scorer`] cannot return an error; [`FittedModel::predict_values`] can.
impl Scorer for FittedModel<Linear> {
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        infallible(self.predict_values(records))
    }
}

#[cfg(test)]
mod tests {
    use linfa::traits::Predict;
    use ndarray::{array, Array2};

    use super::*;

    fn logistic() -> FittedLogistic {
        FittedModel::new(array![1.0, -2.0, 0.0], 0.5).unwrap()
    }

    #[test]
    fn predictions_are_the_linear_scores_through_the_link() {
        let x = array![[1.0, 1.0, 7.0], [0.0, -1.0, 3.0]];
        let m = logistic();
        // 1 - 2 + 0.5 = -0.5 and 0 + 2 + 0.5 = 2.5 (the third coefficient is zero).
        assert_eq!(m.decision_function(x.view()).unwrap(), array![-0.5, 2.5]);
        let p = m.predict_proba(x.view()).unwrap();
        assert!((p[0] - 1.0 / (1.0 + 0.5f64.exp())).abs() < 1e-15);
        assert!((p[1] - 1.0 / (1.0 + (-2.5f64).exp())).abs() < 1e-15);
        assert_eq!(m.predict_labels(x.view()).unwrap(), array![false, true]);
        let linear = FittedLinear::new(array![1.0, -2.0, 0.0], 0.5).unwrap();
        assert_eq!(linear.predict_values(x.view()).unwrap(), array![-0.5, 2.5]);
        // The infallible traits agree with the fallible methods on good input.
        let via_linfa: Array1<f64> = m.predict(&x);
        assert_eq!(via_linfa, p);
        assert_eq!(m.score(x.view()), p);
    }

    #[test]
    fn wrong_width_is_a_length_mismatch_naming_both_widths() {
        let x = array![[1.0, 2.0], [3.0, 4.0]];
        let m = logistic();
        let linear = FittedLinear::new(array![1.0, -2.0, 0.0], 0.5).unwrap();
        let errors = [
            m.decision_function(x.view()).unwrap_err(),
            m.predict_proba(x.view()).unwrap_err(),
            m.predict_labels(x.view()).unwrap_err(),
            m.check_features(x.view()).unwrap_err(),
            linear.predict_values(x.view()).unwrap_err(),
        ];
        for err in errors {
            assert!(
                matches!(
                    &err,
                    TrainError::LengthMismatch { what, expected: 3, found: 2 } if what == "feature columns"
                ),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "length mismatch: feature columns has 2 entries, expected 3"
            );
        }
    }

    #[test]
    fn non_finite_features_name_the_first_row_and_column() {
        let m = logistic();
        // Row 1 holds infinity where the coefficient is zero (inf·0 = NaN still poisons the
        // score); row 2 holds a NaN; row-major order makes row 1 the first.
        let mut x = Array2::<f64>::zeros((4, 3));
        x[[1, 2]] = f64::INFINITY;
        x[[2, 0]] = f64::NAN;
        let errors = [
            m.decision_function(x.view()).unwrap_err(),
            m.predict_proba(x.view()).unwrap_err(),
            m.predict_labels(x.view()).unwrap_err(),
            m.check_features(x.view()).unwrap_err(),
            FittedLinear::new(array![1.0, -2.0, 0.0], 0.5)
                .unwrap()
                .predict_values(x.view())
                .unwrap_err(),
        ];
        for err in errors {
            assert!(
                matches!(err, TrainError::NonFinite { row: 1, column: 2, value } if value == f64::INFINITY),
                "{err:?}"
            );
        }
        x[[1, 2]] = 0.0;
        let err = m.predict_proba(x.view()).unwrap_err();
        assert!(
            matches!(err, TrainError::NonFinite { row: 2, column: 0, value } if value.is_nan()),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "non-finite value NaN in the features at row 2, column 0"
        );
    }

    #[test]
    fn finite_features_that_overflow_are_scored_not_rejected() {
        let m = FittedLogistic::new(array![10.0], 0.0).unwrap();
        let x = array![[f64::MAX], [-f64::MAX]];
        assert!(m.check_features(x.view()).is_ok());
        assert_eq!(m.predict_proba(x.view()).unwrap(), array![1.0, 0.0]);
    }

    /// Issue 13: zero features were accepted, and a linear model loaded as a logistic one.
    #[test]
    fn models_are_checked_when_built_and_loaded() {
        assert!(FittedLogistic::new(Array1::zeros(0), 0.0).is_err());
        assert!(FittedLogistic::new(array![1.0, f64::NAN], 0.0).is_err());
        assert!(FittedLogistic::new(array![1.0], f64::INFINITY).is_err());
        let json = serde_json::to_string(&logistic()).unwrap();
        assert!(json.contains(r#""kind":"logistic""#), "{json}");
        assert_eq!(
            serde_json::from_str::<FittedLogistic>(&json).unwrap(),
            logistic()
        );
        let err = serde_json::from_str::<FittedLinear>(&json)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("a linear model cannot be read from a `logistic` one"),
            "{err}"
        );
        let cases = [
            (
                r#""coefficients":{"v":1,"dim":[3],"data":[1.0,-2.0,0.0]}"#,
                r#""coefficients":{"v":1,"dim":[0],"data":[]}"#,
                "at least one feature",
            ),
            (
                r#""intercept":0.5"#,
                r#""intercept":0.5,"bias":1"#,
                "unknown field `bias`",
            ),
            (r#""kind":"logistic","#, "", "missing field `kind`"),
        ];
        for (from, to, expected) in cases {
            assert!(json.contains(from), "{json} lacks {from}");
            let err = serde_json::from_str::<FittedLogistic>(&json.replacen(from, to, 1))
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{from} → {to}: {err}");
        }
    }

    #[test]
    #[should_panic(expected = "non-finite value NaN in the features at row 0, column 1")]
    fn linfa_predict_panics_with_the_typed_error() {
        let x = array![[1.0, f64::NAN, 0.0]];
        let _: Array1<f64> = logistic().predict(&x);
    }

    #[test]
    #[should_panic(expected = "feature columns has 1 entries, expected 3")]
    fn scorer_panics_with_the_typed_error() {
        let _ = logistic().score(array![[1.0]].view());
    }
}
