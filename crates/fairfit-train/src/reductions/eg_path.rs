//! [`EgPath`]: exponentiated gradient at several bounds ε on one data set, one run at a time,
//! every run answered by the same cost-sensitive learner. A trade-off curve over ε (a sweep's
//! grid) costs much less than as independent runs, since the later runs start their best
//! responses next to the earlier runs' answers, and a bound whose run fails does not stop the
//! ones after it.

use fairfit_data::FairDataset;

use super::best_response::BestResponse;
use super::exponentiated_gradient::{EgFit, EgParams, ValidEgParams};
use super::moments::Moments;
use crate::error::Result;
use crate::loss::ModelKind;

impl<K: ModelKind> EgParams<K> {
    /// Exponentiated gradient on `data` at bounds ε given one at a time ([`EgPath::fit`]),
    /// with these settings (the bound set here is not used). The runs share one learner: the
    /// design is built here, once, and every best response starts from the nearest answer of
    /// any earlier run (the costs do not depend on ε, only on the multipliers, and each run's
    /// multipliers retrace much of the previous run's). Each fit is the one
    /// [`ValidEgParams::fit`] returns at that ε, up to the learner's gradient tolerance.
    ///
    /// Errors: an invalid setting other than ε (as [`EgParams::check`](linfa::ParamGuard::check)),
    /// and non-finite features.
    ///
    /// ```
    /// use fairfit::data::synthetic::BiasedParams;
    /// use fairfit::train::reductions::ExponentiatedGradient;
    /// use fairfit::train::{Logistic, Notion};
    /// let data = BiasedParams::new(400, 3).label_bias("b", 0.4).seed(1).generate()?.data;
    /// let params = ExponentiatedGradient::params::<Logistic>(Notion::demographic_parity(), 0.05);
    /// let mut path = params.path(&data)?;
    /// for epsilon in [0.05, 0.02] {
    ///     let fit = path.fit(epsilon)?;
    ///     assert!(fit.constraints().iter().all(|c| c.bound == epsilon));
    ///     assert!(path.fit(-epsilon).is_err()); // an invalid bound fails alone
    /// }
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path<'a>(&self, data: &'a FairDataset) -> Result<EgPath<'a, K>> {
        let params = self.check_settings()?.clone();
        let oracle = params.oracle(data)?;
        Ok(EgPath {
            params,
            data,
            oracle,
        })
    }
}

/// Exponentiated gradient at several bounds ε on one data set, one run per call of
/// [`EgPath::fit`], all answered by one learner (see [`EgParams::path`]). A run that fails
/// leaves the learner usable for the next.
#[derive(Debug)]
pub struct EgPath<'a, K: ModelKind> {
    params: ValidEgParams<K>,
    data: &'a FairDataset,
    oracle: BestResponse<'a>,
}

impl<K: ModelKind> EgPath<'_, K> {
    /// Runs exponentiated gradient at `epsilon`.
    ///
    /// Errors: an invalid ε (as [`EgParams::check`](linfa::ParamGuard::check)), and those of
    /// [`ValidEgParams::fit`].
    pub fn fit(&mut self, epsilon: f64) -> Result<EgFit<K>> {
        let run = self.params.at(epsilon)?;
        let moments = Moments::new(self.data, run.notion(), epsilon, K::LOSS)?;
        run.play(moments, &mut self.oracle)
    }
}
