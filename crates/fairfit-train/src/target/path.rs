//! [`TargetPath`]: one gap target traced over a sequence of ε, warm-started.

use fairfit_data::fairness::Statistic;
use fairfit_data::FairDataset;
use ndarray::Array1;

use super::{Target, TargetedFit, TargetedModel};
use crate::error::Result;
use crate::loss::ModelKind;
use crate::objective::Objective;
use crate::params::{non_negative, ValidFairParams};
use crate::statistic::check_statistic;

/// Targets traced over a sequence of ε (one gap target per value), warm-started in parameters
/// and multipliers; the base parameters' penalties stay in every fit.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetPath<K: ModelKind> {
    params: ValidFairParams<K>,
    statistic: Statistic,
    epsilons: Vec<f64>,
}

impl<K: ModelKind> TargetPath<K> {
    /// A path of `gap(statistic) ≤ ε` over `epsilons` (each finite and non-negative; a
    /// decreasing order makes each warm start closest).
    pub fn new(
        params: ValidFairParams<K>,
        statistic: Statistic,
        epsilons: Vec<f64>,
    ) -> Result<Self> {
        for &e in &epsilons {
            non_negative("epsilon", e)?;
        }
        check_statistic(&statistic, K::LOSS, K::NAME)?;
        Ok(Self {
            params,
            statistic,
            epsilons,
        })
    }

    /// Fits every ε on one prepared objective; an infeasible ε stops the path with
    /// [`TrainError::Infeasible`](crate::TrainError::Infeasible).
    pub fn fit(&self, data: &FairDataset) -> Result<Vec<TargetedModel<K>>> {
        let mut objective = Objective::new(data, &self.params)?;
        let mut theta = Array1::zeros(objective.dim());
        let mut out: Vec<TargetedModel<K>> = Vec::with_capacity(self.epsilons.len());
        for &eps in &self.epsilons {
            let fit =
                TargetedFit::new(self.params.clone(), vec![Target::gap(self.statistic, eps)])?;
            let model = fit.fit_prepared(&mut objective, data, theta.clone(), out.last())?;
            theta = model.model.parameters_for(objective.dim())?;
            out.push(model);
        }
        Ok(out)
    }
}
