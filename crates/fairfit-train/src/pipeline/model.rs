//! [`PipelineModel`]: what a model needs to sit in a pipeline, and fairfit's models as such.

use fairfit_data::Scorer;

use crate::model::{FittedLinear, FittedLogistic};

/// A model a pipeline can hold: it scores encoded rows and states how many features it reads, so
/// that an encoder of the wrong width is rejected when the pipeline is built or loaded, and what
/// kind of model it is, so that a saved pipeline is never loaded as another kind.
pub trait PipelineModel: Scorer {
    /// The kind a saved pipeline records (`"logistic"`, `"linear"`, or a user's own name); a
    /// file of another kind is refused with [`PipelineError::ModelKind`](super::PipelineError::ModelKind).
    const KIND: &'static str;

    /// The number of feature columns the model reads.
    fn n_features(&self) -> usize;
}

/// fairfit's logistic regression, scoring by P(y = 1 | x).
impl PipelineModel for FittedLogistic {
    const KIND: &'static str = "logistic";

    fn n_features(&self) -> usize {
        self.coefficients().len()
    }
}

/// fairfit's linear regression, scoring by its prediction.
impl PipelineModel for FittedLinear {
    const KIND: &'static str = "linear";

    fn n_features(&self) -> usize {
        self.coefficients().len()
    }
}
