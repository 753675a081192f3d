//! Bias-aware pre-processing: methods that turn a training set into a fairer one before any
//! model sees it.
//!
//! | method | type | what it changes | paper |
//! |---|---|---|---|
//! | reweighing | [`Reweighing`] | sample weights | Kamiran & Calders 2012 |
//! | uniform sampling | [`UniformSampling`] | rows duplicated / dropped at random | Kamiran & Calders 2012 |
//! | preferential sampling | [`PreferentialSampling`] | borderline rows duplicated / dropped | Kamiran & Calders 2012 |
//! | massaging | [`Massaging`] | fewest borderline labels flipped | Kamiran & Calders 2012 |
//! | fair oversampling | [`FairOversampling`] | synthetic rows interpolated within cells | Chakraborty et al. 2021 |
//! | counterfactual augmentation | [`Counterfactual`] | copies with the group (and proxies) swapped | Kusner et al. 2017 |
//! | disparate-impact remover | [`DisparateImpactRemover`] | features moved to the median distribution | Feldman et al. 2015 |
//! | correlation remover | [`CorrelationRemover`] | features' linear dependence on the group removed | Fairlearn |
//!
//! Every method follows linfa's split and implements linfa's own traits: a params builder
//! (`X::params()`), checked into valid params ([`linfa::ParamGuard`]), linfa's
//! [`Fit`](linfa::traits::Fit) on a training set returning a fitted transformer, and linfa's
//! [`Transformer`](linfa::traits::Transformer) applying it to any [`FairDataset`] (its output is
//! a `Result<FairDataset>`, as linfa's checked transformers return). `Fit` takes a
//! [`linfa::DatasetBase`] whose *records* are the [`FairDataset`] and whose targets are `()`
//! ([`FairDataset::as_linfa`] borrows one without copying): the labels, sensitive attributes,
//! groups and weights every method needs travel together in the records. [`Preprocessor`] puts
//! all methods behind one object-safe trait so that a sweep can run any of them uniformly.
//!
//! ```
//! use fairfit::data::mitigation::DisparateImpactRemover;
//! use fairfit::data::{FairDataset, SensitiveAttribute};
//! use linfa::traits::{Fit, Transformer};
//! use ndarray::array;
//! let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
//! let train = FairDataset::new(array![[1.0], [3.0], [0.0], [2.0]], array![1.0, 0.0, 1.0, 0.0], vec![sex])?;
//! let remover = DisparateImpactRemover::params().level(1.0).fit(&train.as_linfa())?;
//! let repaired = remover.transform(&train)?;
//! assert_eq!(repaired.nrows(), 4);
//! # Ok::<(), fairfit::data::DataError>(())
//! ```
//!
//! Methods act on the data's active [`Groups`](crate::Groups) (two or more groups, or intersections) and on 0/1 targets;
//! random methods take a seed and are deterministic under it.
//!
//! Bad input is a typed [`DataError`](crate::DataError), never a panic or a silent wrong number: labels other
//! than 0/1 (`NotBinary`); a group x label cell a method needs but lacks (`EmptyGroup`, naming
//! the group); a repair level or alpha outside [0, 1], `k = 0` or bad blocks
//! (`InvalidParameter`); a group the fitted transformer does not know (`UnknownGroup`); a
//! missing column or a different feature count (`UnknownColumn`, `LengthMismatch`); a ranker
//! that fails or scores non-finite values (`Ranker`, `NonFinite`). Sampling methods and
//! massaging count rows, so they refuse weighted data instead of ignoring the weights.

/// Implements linfa's [`Fit`](linfa::traits::Fit) for a method's checked params (through their
/// inherent `learn`) and linfa's [`Transformer`](linfa::traits::Transformer) for its fitted
/// transformer (through its inherent `apply`). `Fit` accepts any linfa data set whose records
/// are, or borrow, a [`FairDataset`], with `()` targets; the unchecked params get `Fit` from
/// linfa's blanket implementation over [`linfa::ParamGuard`].
macro_rules! linfa_traits {
    ($params:ty => $fitted:ty) => {
        impl<R> linfa::traits::Fit<R, (), $crate::DataError> for $params
        where
            R: linfa::dataset::Records + std::borrow::Borrow<$crate::FairDataset>,
        {
            type Object = $fitted;

            fn fit(&self, dataset: &linfa::DatasetBase<R, ()>) -> $crate::Result<$fitted> {
                self.learn(std::borrow::Borrow::borrow(&dataset.records))
            }
        }

        impl<'a>
            linfa::traits::Transformer<&'a $crate::FairDataset, $crate::Result<$crate::FairDataset>>
            for $fitted
        {
            fn transform(
                &self,
                data: &'a $crate::FairDataset,
            ) -> $crate::Result<$crate::FairDataset> {
                self.apply(data)
            }
        }
    };
}

mod cells;
mod correlation_remover;
mod counterfactual;
mod di_remover;
#[cfg(test)]
mod fixtures;
mod massaging;
mod oversampling;
mod preferential;
mod quantile;
mod ranker;
mod reweighing;
mod uniform;

pub use correlation_remover::{
    CorrelationRemover, CorrelationRemoverParams, CorrelationRemoverValidParams,
};
pub use counterfactual::{
    Counterfactual, CounterfactualParams, CounterfactualTargets, CounterfactualValidParams,
};
pub use di_remover::{
    DisparateImpactRemover, DisparateImpactRemoverParams, DisparateImpactRemoverValidParams,
};
pub use massaging::{Massaging, MassagingParams, MassagingValidParams};
pub use oversampling::{
    CategoricalColumns, FairOversampling, FairOversamplingParams, FairOversamplingValidParams,
};
pub use preferential::{
    PreferentialSampling, PreferentialSamplingParams, PreferentialSamplingValidParams,
};
pub use ranker::{FixedRanker, LogisticRanker, Ranker, SharedScorer};
pub use reweighing::{Reweighing, ReweighingParams};
pub use uniform::{UniformSampling, UniformSamplingParams, UniformSamplingValidParams};

use crate::dataset::FairDataset;
use crate::error::Result;

/// Any pre-processing method behind one object-safe interface: a sweep holds
/// `Vec<Box<dyn Preprocessor>>` and produces a fairer training set with each.
///
/// ```
/// use fairfit::data::mitigation::*;
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::{array, Array1, ArrayView2};
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "F", "F", "F", "F"], None)?;
/// let x = array![[0.9], [0.2], [0.6], [0.5], [0.3], [0.8], [0.1], [0.4]];
/// let y = array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let train = FairDataset::new(x, y, vec![sex])?;
/// let by_x = || FixedRanker::new("x", |x: ArrayView2<'_, f64>| -> Array1<f64> { x.column(0).to_owned() });
/// let methods: Vec<Box<dyn Preprocessor>> = vec![
///     Box::new(Reweighing::params()),
///     Box::new(UniformSampling::params().seed(1)),
///     Box::new(PreferentialSampling::params().ranker(by_x())),
///     Box::new(Massaging::params().ranker(by_x())),
///     Box::new(FairOversampling::params().k(1)),
///     Box::new(Counterfactual::params()),
///     Box::new(DisparateImpactRemover::params().level(1.0)),
///     Box::new(CorrelationRemover::params().alpha(1.0)),
/// ];
/// for method in &methods {
///     let fairer = method.fit_transform(&train)?;
///     println!("{}: {} rows", method.name(), fairer.nrows());
/// }
/// assert_eq!(methods[6].name(), "di-remover(level=1)");
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
pub trait Preprocessor: Send + Sync {
    /// A short name with the parameters that matter, e.g. `di-remover(level=1)`.
    fn name(&self) -> String;

    /// Fits on `train` and transforms it: the fairer training set.
    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset>;
}
