//! Fitted linear and logistic models: coefficients, intercept and the report of the solve that
//! produced them; predictions through linfa's [`Predict`](linfa::traits::Predict) and
//! fairfit's [`Scorer`].

use std::marker::PhantomData;

use fairfit_data::Scorer;
use linfa::traits::PredictInplace;
use ndarray::{Array1, ArrayBase, ArrayView1, ArrayView2, Data, Ix2};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::loss::{Linear, Logistic, Loss, ModelKind};
use crate::solver::FitReport;

/// A fitted model `s = x·w + b` of kind `K` ([`Logistic`] or [`Linear`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
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

impl<K: ModelKind> FittedModel<K> {
    /// A model from its parameters (e.g. loaded, or taken from a
    /// [`TrainError::NotConverged`] the caller decides to accept); it has no fit report.
    pub fn new(coefficients: Array1<f64>, intercept: f64) -> Self {
        Self::from_parts(coefficients, intercept, None)
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
    /// # Panics
    /// If `records` does not have one column per coefficient (see
    /// [`FittedModel::check_features`]).
    pub fn decision_function(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        records.dot(&self.coefficients) + self.intercept
    }

    /// Fails with [`TrainError::LengthMismatch`] unless `records` has one column per coefficient.
    pub fn check_features(&self, records: ArrayView2<'_, f64>) -> Result<()> {
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
    /// P(y = 1 | x) for every row.
    ///
    /// # Panics
    /// If `records` does not have one column per coefficient.
    pub fn predict_proba(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        self.decision_function(records)
            .mapv(|s| Loss::Logistic.predict(s))
    }

    /// The decisions `P(y = 1 | x) ≥ 1/2`.
    pub fn predict_labels(&self, records: ArrayView2<'_, f64>) -> Array1<bool> {
        self.decision_function(records).mapv(|s| s >= 0.0)
    }
}

impl FittedModel<Linear> {
    /// The predicted values `x·w + b`.
    pub fn predict_values(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        self.decision_function(records)
    }
}

/// Probabilities P(y = 1 | x), via `linfa::traits::Predict`.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for FittedModel<Logistic> {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
        y.assign(&self.predict_proba(x.view()));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
        Array1::zeros(x.nrows())
    }
}

/// Labels (probability ≥ 1/2), via `linfa::traits::Predict`.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<bool>>
    for FittedModel<Logistic>
{
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<bool>) {
        y.assign(&self.predict_labels(x.view()));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<bool> {
        Array1::from_elem(x.nrows(), false)
    }
}

/// Predicted values, via `linfa::traits::Predict`.
impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<f64>> for FittedModel<Linear> {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<f64>) {
        y.assign(&self.predict_values(x.view()));
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<f64> {
        Array1::zeros(x.nrows())
    }
}

/// A logistic model scores rows by P(y = 1 | x).
impl Scorer for FittedModel<Logistic> {
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        self.predict_proba(records)
    }
}

/// A linear model scores rows by its prediction.
impl Scorer for FittedModel<Linear> {
    fn score(&self, records: ArrayView2<'_, f64>) -> Array1<f64> {
        self.predict_values(records)
    }
}
