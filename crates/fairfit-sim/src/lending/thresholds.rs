//! [`ThresholdAgent`]: group-specific thresholds on the credit-score cluster, fitted with
//! fairfit's post-processing (maximum utility, equal opportunity or demographic parity) on the
//! agent's [`Evidence`].

use fairfit_train::postprocess::{
    Constraint, LevelFitter, Objective, PostprocessError, Randomization, ScoreLevels,
    ThresholdOptimizer, ThresholdOptimizerValidParams,
};
use fairfit_train::ParamGuard;
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
    pub(crate) fn optimizer(
        &self,
        params: &ValidLendingParams,
    ) -> Result<ThresholdOptimizerValidParams> {
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
/// approved with the rule's probability for their group and cluster. The evidence is handed to
/// the optimiser as [`ScoreLevels`] (score = cluster) and refitted in place by a [`LevelFitter`],
/// which gives the rules of the row-by-row fit without listing the rows, so that refitting after
/// every loan stays cheap.
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
    /// The oracle's table, refilled before each fit.
    oracle: EvidenceTable,
    levels: ScoreLevels,
    /// Built at the first fit (building it checks the optimiser's parameters).
    fitter: Option<LevelFitter>,
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
            oracle: EvidenceTable::empty(params.n_groups(), params.n_clusters()),
            levels: ScoreLevels::new(
                (0..params.n_clusters()).map(|c| c as f64).collect(),
                params.n_groups(),
            )
            .expect(
                "cluster indices are finite and increasing, and a lending population has groups",
            ),
            fitter: None,
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

    /// Fits the rules on the current evidence and stores their approval probabilities; `false`
    /// (and nothing stored) while the evidence does not yet cover both outcomes in every group.
    fn fit(&mut self, turn: &Turn<'_, LendingEnv>) -> Result<bool> {
        let table = match self.evidence {
            Evidence::Observed => &self.observed,
            Evidence::Oracle => {
                self.oracle.refill_oracle(&self.params, turn.oracle_truth());
                &self.oracle
            }
        };
        if !table.covers_every_group() {
            return Ok(false);
        }
        table.fill_levels(&mut self.levels)?;
        let fitter = match &mut self.fitter {
            Some(fitter) => fitter,
            None => self.fitter.insert(
                self.policy
                    .optimizer(&self.params)?
                    .level_fitter(self.params.params().group_names.clone())?,
            ),
        };
        let rules = match fitter.fit(&self.levels) {
            Ok(rules) => rules,
            Err(PostprocessError::EmptyGroup { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        let approval = self.approval.get_or_insert_with(|| {
            vec![vec![0.0; self.params.n_clusters()]; self.params.n_groups()]
        });
        for (row, rule) in approval.iter_mut().zip(rules) {
            for (c, p) in row.iter_mut().enumerate() {
                *p = rule.probability(c as f64);
            }
        }
        Ok(true)
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
        if self.due() && self.fit(turn)? {
            self.stale = false;
            self.since_fit = 0;
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
