//! Pre-processing followed by the model: methods that change the training sample
//! ([`Preprocessed`]) and methods that change the features of every split ([`Repaired`]).
//! Every call into fairfit-data's mitigation traits is in this file.

use std::time::Instant;

use fairfit_data::mitigation::Preprocessor;
use fairfit_data::split::TrainValTest;
use fairfit_data::{DataError, FairDataset};
use fairfit_train::ModelKind;
use linfa::traits::{Fit, Transformer};

use super::strategy::{Context, Fitted, Points, Strategy};
use crate::error::Result;

/// A pre-processing method that changes the *features* (e.g. the disparate-impact remover or the
/// correlation remover): it is fitted on the training split, and the fitted repair is applied to
/// every split, since a model trained on repaired features must also be evaluated on repaired
/// features.
///
/// Implemented for every fairfit-data method that is both a [`Preprocessor`] and linfa's [`Fit`]
/// (whose fitted object is linfa's [`Transformer`] of a [`FairDataset`]).
pub trait FeatureRepair: Send + Sync {
    /// A short name with the parameters that matter.
    fn name(&self) -> String;

    /// Fits the repair on `train`.
    fn fit_repair(&self, train: &FairDataset) -> fairfit_data::Result<FittedRepair>;
}

/// A fitted feature repair: linfa's [`Transformer`] of a [`FairDataset`], shareable across threads.
pub type FittedRepair =
    Box<dyn for<'a> Transformer<&'a FairDataset, fairfit_data::Result<FairDataset>> + Send + Sync>;

impl<P, F> FeatureRepair for P
where
    P: Preprocessor + for<'a> Fit<&'a FairDataset, (), DataError, Object = F>,
    F: for<'a> Transformer<&'a FairDataset, fairfit_data::Result<FairDataset>>
        + Send
        + Sync
        + 'static,
{
    fn name(&self) -> String {
        Preprocessor::name(self)
    }

    fn fit_repair(&self, train: &FairDataset) -> fairfit_data::Result<FittedRepair> {
        Ok(Box::new(self.fit(&train.as_linfa())?))
    }
}

/// A pre-processing method that changes the training sample (weights, rows or labels),
/// followed by the model; validation and test are left as they are (one point).
///
/// ```
/// use fairfit::data::mitigation::Reweighing;
/// use fairfit::eval::sweep::{Preprocessed, Strategy};
/// let reweighing = Preprocessed::new(Reweighing::params());
/// assert_eq!(Strategy::<fairfit::train::Logistic>::name(&reweighing), "reweighing");
/// ```
pub struct Preprocessed {
    name: String,
    method: Box<dyn Preprocessor>,
}

impl Preprocessed {
    /// `method` followed by the model, named by the method's own name up to its parameters
    /// (`preferential-sampling(ranker=logistic)` becomes `preferential-sampling`).
    pub fn new(method: impl Preprocessor + 'static) -> Self {
        Self {
            name: short_name(&method.name()),
            method: Box::new(method),
        }
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl std::fmt::Debug for Preprocessed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Preprocessed({}: {})", self.name, self.method.name())
    }
}

impl<K: ModelKind> Strategy<K> for Preprocessed {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let fitted = (|| {
            let timer = Instant::now();
            let train = self.method.fit_transform(&context.splits().train)?;
            let model = context.params().fit(&train)?;
            let time = timer.elapsed();
            Ok(Fitted::model(
                context.predict(&model, context.splits())?,
                time,
            ))
        })();
        points.push(&[], fitted);
    }
}

/// A pre-processing method that changes the features, fitted on the training split and applied
/// to every split, followed by the model (one point).
///
/// ```
/// use fairfit::data::mitigation::CorrelationRemover;
/// use fairfit::eval::sweep::{Repaired, Strategy};
/// let repair = Repaired::new(CorrelationRemover::params().alpha(1.0));
/// assert_eq!(Strategy::<fairfit::train::Logistic>::name(&repair), "correlation-remover");
/// ```
pub struct Repaired {
    name: String,
    repair: Box<dyn FeatureRepair>,
}

impl Repaired {
    /// `repair` followed by the model; named as in [`Preprocessed::new`].
    pub fn new(repair: impl FeatureRepair + 'static) -> Self {
        Self {
            name: short_name(&repair.name()),
            repair: Box::new(repair),
        }
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl std::fmt::Debug for Repaired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Repaired({}: {})", self.name, self.repair.name())
    }
}

impl<K: ModelKind> Strategy<K> for Repaired {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let fitted = (|| -> Result<Fitted> {
            let timer = Instant::now();
            let splits = context.splits();
            let fitted = self.repair.fit_repair(&splits.train)?;
            let repaired = TrainValTest {
                train: fitted.transform(&splits.train)?,
                validation: fitted.transform(&splits.validation)?,
                test: fitted.transform(&splits.test)?,
            };
            let model = context.params().fit(&repaired.train)?;
            let time = timer.elapsed();
            Ok(Fitted::model(context.predict(&model, &repaired)?, time))
        })();
        points.push(&[], fitted);
    }
}

/// A method's name without its parameter list: `di-remover(level=1)` → `di-remover`.
fn short_name(name: &str) -> String {
    name.split('(').next().unwrap_or(name).trim().to_string()
}
