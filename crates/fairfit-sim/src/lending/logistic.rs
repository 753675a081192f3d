//! [`LogisticAgent`]: fairfit's logistic regression, with a fairness penalty or targets, trained
//! on the repayments the agent has observed and retrained every k steps.

use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::{
    FairLogisticRegression, FittedLogistic, ParamGuard, Penalty, Target, TargetedFit,
};
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;

use crate::agent::{Agent, Turn};
use crate::error::{Result, SimError};

use super::env::{Applicant, LendingEnv};
use super::evidence::EvidenceTable;
use super::params::ValidLendingParams;

/// The fairness term of the agent's model.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelFairness {
    /// A plain logistic regression.
    None,
    /// A penalty with its weight λ.
    Penalty(Penalty, f64),
    /// Gap targets met by the augmented Lagrangian.
    Targets(Vec<Target>),
}

/// A lender that fits fairfit's logistic regression on the outcomes of the loans it approved
/// (features: the one-hot credit-score cluster; the group is not a feature) and approves an
/// applicant when the predicted repayment probability reaches the break-even
/// `1 / (1 + interest rate)`. It retrains every `retrain_every` steps (warm-started), and
/// approves everyone until its evidence has both outcomes in every group.
///
/// ```
/// use fairfit::sim::lending::{LendingParams, LogisticAgent, ModelFairness};
/// use fairfit::sim::{run, RunSpec};
/// let params = LendingParams::default().check()?;
/// let spec = RunSpec::new(600, 1)?.record_every(300)?;
/// let agent = |_: &_| LogisticAgent::new(&params, ModelFairness::None, 200, 1e-3);
/// let runs = run(&spec, |s| Ok(params.build(s)), agent)?;
/// assert_eq!(runs.label, "logistic");
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LogisticAgent {
    params: ValidLendingParams,
    fairness: ModelFairness,
    retrain_every: usize,
    l2: f64,
    observed: EvidenceTable,
    model: Option<FittedLogistic>,
    approval: Option<Vec<bool>>,
}

impl LogisticAgent {
    /// An agent for environments with `params`, retraining every `retrain_every` steps with L2
    /// strength `l2`.
    ///
    /// Errors: `retrain_every` = 0, or an `l2` that is negative or not finite.
    pub fn new(
        params: &ValidLendingParams,
        fairness: ModelFairness,
        retrain_every: usize,
        l2: f64,
    ) -> Result<Self> {
        if retrain_every == 0 {
            return Err(SimError::InvalidParameter {
                name: "retrain_every".into(),
                reason: "must be at least 1".into(),
            });
        }
        FairLogisticRegression::params().l2(l2).check()?;
        Ok(Self {
            params: params.clone(),
            fairness,
            retrain_every,
            l2,
            observed: EvidenceTable::empty(params.n_groups(), params.n_clusters()),
            model: None,
            approval: None,
        })
    }

    /// Whether each cluster is approved under the current model (`None` before the first fit).
    pub fn approval(&self) -> Option<&[bool]> {
        self.approval.as_deref()
    }

    /// The observed outcomes as a weighted data set: one row per non-empty group × cluster ×
    /// outcome cell, its count as the weight.
    fn dataset(&self) -> Result<FairDataset> {
        let rows: Vec<_> = self.observed.rows().collect();
        let clusters = self.params.n_clusters();
        let mut records = Array2::zeros((rows.len(), clusters));
        for (i, r) in rows.iter().enumerate() {
            records[[i, r.1]] = 1.0;
        }
        let targets = Array1::from_iter(rows.iter().map(|r| f64::from(u8::from(r.2))));
        let group = SensitiveAttribute::new(
            "group",
            self.params.params().group_names.clone(),
            rows.iter().map(|r| r.0).collect(),
        )?;
        Ok(FairDataset::new(records, targets, vec![group])?
            .with_feature_names((0..clusters).map(|c| format!("cluster_{c}")).collect())?
            .with_weights(Array1::from_iter(rows.iter().map(|r| r.3)))?)
    }

    fn retrain(&mut self) -> Result<()> {
        let data = self.dataset()?;
        let mut params = FairLogisticRegression::params().l2(self.l2);
        if let ModelFairness::Penalty(penalty, lambda) = &self.fairness {
            params = params.penalty(penalty.clone(), *lambda);
        }
        let params = params.check()?;
        let model = match (&self.fairness, &self.model) {
            (ModelFairness::Targets(targets), _) => {
                TargetedFit::new(params, targets.clone())?.fit(&data)?.model
            }
            (_, Some(previous)) => params.fit_warm(&data, previous)?,
            (_, None) => params.fit(&data)?,
        };
        let clusters = self.params.n_clusters();
        let probabilities = model.predict_proba(Array2::eye(clusters).view())?;
        let break_even = self.params.break_even();
        self.approval = Some(probabilities.iter().map(|&p| p >= break_even).collect());
        self.model = Some(model);
        Ok(())
    }
}

impl Agent<LendingEnv> for LogisticAgent {
    fn name(&self) -> String {
        match &self.fairness {
            ModelFairness::None => "logistic".into(),
            ModelFairness::Penalty(penalty, lambda) => {
                let statistics: Vec<String> =
                    penalty.statistics().iter().map(|s| s.name()).collect();
                format!("logistic, {} penalty λ = {lambda}", statistics.join(" + "))
            }
            ModelFairness::Targets(_) => "logistic with targets".into(),
        }
    }

    fn act(&mut self, turn: &Turn<'_, LendingEnv>, _: &mut StdRng) -> Result<bool> {
        let due = self.approval.is_none() || turn.step() % self.retrain_every == 0;
        if due && self.observed.covers_every_group() {
            self.retrain()?;
        }
        let Applicant { cluster, .. } = *turn.observation();
        Ok(self.approval.as_ref().map_or(true, |a| a[cluster]))
    }

    fn learn(
        &mut self,
        _: usize,
        applicant: &Applicant,
        _: &bool,
        repaid: &Option<bool>,
    ) -> Result<()> {
        if let Some(repaid) = repaid {
            self.observed
                .add(applicant.group, applicant.cluster, *repaid);
        }
        Ok(())
    }
}
