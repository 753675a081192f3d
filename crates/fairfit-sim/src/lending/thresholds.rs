//! [`ThresholdAgent`]: group-specific thresholds on the credit-score cluster, fitted with
//! fairfit's post-processing (maximum utility, equal opportunity or demographic parity) on the
//! agent's [`Evidence`].

use fairfit_data::Groups;
use fairfit_train::postprocess::{
    Constraint, Objective, PostprocessError, Randomization, ThresholdOptimizer,
    ThresholdOptimizerValidParams,
};
use fairfit_train::ParamGuard;
use ndarray::Array1;
use rand::rngs::StdRng;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::agent::{Agent, Turn};
use crate::error::Result;

use super::env::{Applicant, LendingEnv};
use super::evidence::{Evidence, EvidenceTable};
use super::params::ValidLendingParams;

/// What the thresholds maximise the bank's expected profit under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThresholdPolicy {
    /// No constraint: each group's most profitable threshold.
    MaxUtility,
    /// Equal true-positive rates across groups (Hardt et al. 2016; the gym's
    /// `EQUALIZE_OPPORTUNITY`), randomising between two thresholds where needed.
    EqualOpportunity,
    /// Equal approval rates across groups, randomising where needed.
    DemographicParity,
}

impl ThresholdPolicy {
    /// A short name, e.g. `equal-opportunity`.
    pub fn name(&self) -> &'static str {
        match self {
            ThresholdPolicy::MaxUtility => "max-utility",
            ThresholdPolicy::EqualOpportunity => "equal-opportunity",
            ThresholdPolicy::DemographicParity => "demographic-parity",
        }
    }

    /// fairfit's threshold optimiser for this policy, minimising the bank's cost: a default
    /// loses the loan (`c_fp` = amount), a rejected repayer loses the interest (`c_fn` = amount
    /// × interest rate), which is maximising profit. The unconstrained policy is the
    /// demographic-parity constraint with tolerance 1, which every rule meets.
    fn optimizer(&self, params: &ValidLendingParams) -> Result<ThresholdOptimizerValidParams> {
        let p = params.params();
        let (constraint, tolerance) = match self {
            ThresholdPolicy::MaxUtility => (Constraint::DemographicParity, 1.0),
            ThresholdPolicy::EqualOpportunity => (Constraint::EqualOpportunity, 0.0),
            ThresholdPolicy::DemographicParity => (Constraint::DemographicParity, 0.0),
        };
        Ok(ThresholdOptimizer::params()
            .constraint(constraint)
            .tolerance(tolerance)
            .randomization(Randomization::Allowed)
            .objective(Objective::Cost {
                false_positive: p.loan_amount,
                false_negative: p.loan_amount * p.interest_rate,
            })
            .check()?)
    }
}

/// When the thresholds are fitted again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refit {
    /// Whenever the evidence may have changed: after each approved loan (the gym's agents skip
    /// retraining after a rejection, when nothing new was learnt and the population did not move).
    AfterApproval,
    /// Every `k` steps (and after the first approval if no rule exists yet).
    Every(usize),
}

/// Group-specific thresholds on the credit-score cluster, fitted with fairfit's
/// [`ThresholdOptimizer`] on what the agent knows; with randomised rules, an applicant is
/// approved with the rule's probability for their group and cluster.
///
/// Until the evidence covers both outcomes in every group, it approves everyone (wrap it in
/// [`BurnIn`](crate::BurnIn) for the gym's fixed burn-in).
///
/// ```
/// use fairfit::sim::lending::{LendingParams, ThresholdAgent};
/// use fairfit::sim::{run, RunSpec};
/// let params = LendingParams::default().check()?;
/// let spec = RunSpec::new(2_000, 2)?.record_every(1_000)?;
/// let runs = run(&spec, |s| Ok(params.build(s)), |_| Ok(ThresholdAgent::equal_opportunity_oracle(&params)))?;
/// let recall = runs.metric_index("recall")?;
/// let (a, b) = (runs.final_values(0, recall), runs.final_values(1, recall));
/// assert!((a[0] - b[0]).abs() < 0.1); // recall is close to equal across the groups
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ThresholdAgent {
    params: ValidLendingParams,
    policy: ThresholdPolicy,
    evidence: Evidence,
    refit: Refit,
    observed: EvidenceTable,
    approval: Option<Vec<Vec<f64>>>,
    stale: bool,
    since_fit: usize,
}

impl ThresholdAgent {
    /// An agent for environments with `params`, with a policy, evidence and refit schedule.
    pub fn new(
        params: &ValidLendingParams,
        policy: ThresholdPolicy,
        evidence: Evidence,
        refit: Refit,
    ) -> Self {
        Self {
            params: params.clone(),
            policy,
            evidence,
            refit,
            observed: EvidenceTable::empty(params.n_groups(), params.n_clusters()),
            approval: None,
            stale: true,
            since_fit: 0,
        }
    }

    /// The gym's maximum-utility oracle agent of the lending experiment.
    pub fn max_utility_oracle(params: &ValidLendingParams) -> Self {
        Self::new(
            params,
            ThresholdPolicy::MaxUtility,
            Evidence::Oracle,
            Refit::AfterApproval,
        )
    }

    /// The gym's equal-opportunity oracle agent of the lending experiment.
    pub fn equal_opportunity_oracle(params: &ValidLendingParams) -> Self {
        Self::new(
            params,
            ThresholdPolicy::EqualOpportunity,
            Evidence::Oracle,
            Refit::AfterApproval,
        )
    }

    /// The probability of approving each group × cluster under the current rules (`None`
    /// before the first fit).
    pub fn approval(&self) -> Option<&[Vec<f64>]> {
        self.approval.as_deref()
    }

    /// The approval probabilities of the rules fitted on `table`, or `None` while the table
    /// does not yet cover both outcomes in every group.
    fn fit(&self, table: &EvidenceTable) -> Result<Option<Vec<Vec<f64>>>> {
        if !table.covers_every_group() {
            return Ok(None);
        }
        let rows: Vec<_> = table.rows().collect();
        let scores = Array1::from_iter(rows.iter().map(|r| r.1 as f64));
        let labels: Vec<bool> = rows.iter().map(|r| r.2).collect();
        let weights = Array1::from_iter(rows.iter().map(|r| r.3));
        let groups = Groups::new(
            self.params.params().group_names.clone(),
            rows.iter().map(|r| r.0).collect(),
        )?;
        let fitted = match self.policy.optimizer(&self.params)?.fit(
            scores.view(),
            &labels,
            &groups,
            Some(weights.view()),
        ) {
            Ok(fitted) => fitted,
            Err(PostprocessError::EmptyGroup { .. }) => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let clusters = self.params.n_clusters();
        Ok(Some(
            fitted
                .rules()
                .iter()
                .map(|rule| (0..clusters).map(|c| rule.probability(c as f64)).collect())
                .collect(),
        ))
    }

    fn due(&self) -> bool {
        match self.refit {
            Refit::AfterApproval => self.stale,
            Refit::Every(k) => self.stale && (self.approval.is_none() || self.since_fit >= k),
        }
    }
}

impl Agent<LendingEnv> for ThresholdAgent {
    fn name(&self) -> String {
        let evidence = match self.evidence {
            Evidence::Observed => "observed",
            Evidence::Oracle => "oracle",
        };
        format!("{} ({evidence})", self.policy.name())
    }

    fn act(&mut self, turn: &Turn<'_, LendingEnv>, rng: &mut StdRng) -> Result<bool> {
        if self.due() {
            let fitted = match self.evidence {
                Evidence::Oracle => {
                    self.fit(&EvidenceTable::oracle(&self.params, turn.oracle_truth()))?
                }
                Evidence::Observed => self.fit(&self.observed)?,
            };
            if let Some(approval) = fitted {
                self.approval = Some(approval);
                self.stale = false;
                self.since_fit = 0;
            }
        }
        self.since_fit += 1;
        let Applicant { group, cluster } = *turn.observation();
        Ok(match &self.approval {
            None => true,
            Some(approval) => {
                let p = approval[group][cluster];
                p >= 1.0 || (p > 0.0 && rng.gen::<f64>() < p)
            }
        })
    }

    fn learn(
        &mut self,
        _: usize,
        applicant: &Applicant,
        approved: &bool,
        repaid: &Option<bool>,
    ) -> Result<()> {
        if *approved {
            self.stale = true;
        }
        if let (Evidence::Observed, Some(repaid)) = (self.evidence, repaid) {
            self.observed
                .add(applicant.group, applicant.cluster, *repaid);
        }
        Ok(())
    }
}
