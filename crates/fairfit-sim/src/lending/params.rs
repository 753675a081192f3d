//! [`LendingParams`]: the delayed-impact lending environment's parameters, with the published
//! defaults of the ml-fairness-gym's lending experiment, and their checks.

use serde::{Deserialize, Serialize};

use crate::distribution::{check_distribution, check_len, check_probabilities};
use crate::error::{Result, SimError};

use super::env::LendingEnv;

/// Probability of repaying a loan, per credit-score cluster (lowest first).
pub const SUCCESS_PROBABILITIES: [f64; 7] = [0.1, 0.2, 0.45, 0.6, 0.65, 0.7, 0.7];

/// The initial credit-score distribution of each group over the seven clusters.
pub const CLUSTER_PROBABILITIES: [[f64; 7]; 2] = [
    [0.0, 0.1, 0.1, 0.2, 0.3, 0.3, 0.0],
    [0.1, 0.1, 0.2, 0.3, 0.3, 0.0, 0.0],
];

/// The parameters of [`LendingEnv`] (the gym's `DelayedImpactEnv`, after Liu et al. 2018): each
/// step one applicant arrives from a group, in a credit-score cluster drawn from that group's
/// current distribution, and repays with the cluster's probability if approved; a repaid loan
/// moves `cluster_shift` of the group's probability mass from the applicant's cluster one cluster
/// up, a default one cluster down. Every field is settable; [`LendingParams::check`] validates.
///
/// ```
/// use fairfit::sim::lending::LendingParams;
/// let p = LendingParams::default();
/// assert_eq!((p.interest_rate, p.bank_starting_cash, p.cluster_shift), (1.0, 100.0, 0.01));
/// assert!(p.clone().check().is_ok());
/// // A group distribution that does not sum to 1 is a typed error naming it.
/// let bad = LendingParams { cluster_probabilities: vec![vec![0.5; 7], vec![0.0; 7]], ..p };
/// assert!(bad.check().unwrap_err().to_string().contains("cluster_probabilities[0]"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LendingParams {
    /// Group names, one per group.
    pub group_names: Vec<String>,
    /// Probability that an applicant comes from each group.
    pub group_probabilities: Vec<f64>,
    /// Each group's initial distribution over the credit-score clusters.
    pub cluster_probabilities: Vec<Vec<f64>>,
    /// Probability of repayment in each cluster.
    pub success_probabilities: Vec<f64>,
    /// Probability mass moved one cluster up (repaid) or down (default) per approved loan; 0
    /// freezes the population (the static environment).
    pub cluster_shift: f64,
    /// The amount of every loan.
    pub loan_amount: f64,
    /// Interest on a repaid loan, as a share of the amount (1.0: a repaid loan earns its amount).
    pub interest_rate: f64,
    /// The bank's cash at the start; the episode ends when cash falls below one loan.
    pub bank_starting_cash: f64,
}

impl Default for LendingParams {
    /// The gym's lending experiment (`experiments/lending.py`): two groups drawn with probability
    /// 0.5 each, the clusters and probabilities above, shift 0.01, loan 1, interest 1.0, cash 100.
    fn default() -> Self {
        Self {
            group_names: vec!["group 1".into(), "group 2".into()],
            group_probabilities: vec![0.5, 0.5],
            cluster_probabilities: CLUSTER_PROBABILITIES.iter().map(|d| d.to_vec()).collect(),
            success_probabilities: SUCCESS_PROBABILITIES.to_vec(),
            cluster_shift: 0.01,
            loan_amount: 1.0,
            interest_rate: 1.0,
            bank_starting_cash: 100.0,
        }
    }
}

impl LendingParams {
    /// The same parameters with the population frozen (`cluster_shift` = 0): the static
    /// environment that a one-step fairness analysis assumes.
    pub fn frozen(mut self) -> Self {
        self.cluster_shift = 0.0;
        self
    }

    /// Checks every parameter.
    ///
    /// Errors: distributions that hold a negative, non-finite or > 1 entry or do not sum to 1;
    /// mismatched numbers of groups (names, group probabilities, cluster distributions) or of
    /// clusters (each distribution against the success probabilities); fewer than two
    /// clusters; a shift outside [0, 1]; a loan amount that is not positive; negative
    /// interest or starting cash.
    pub fn check(self) -> Result<ValidLendingParams> {
        let groups = self.group_names.len();
        if groups == 0 {
            return Err(SimError::InvalidParameter {
                name: "group_names".into(),
                reason: "at least one group is needed".into(),
            });
        }
        check_len(
            "group_probabilities",
            self.group_probabilities.len(),
            groups,
            "one per group",
        )?;
        check_len(
            "cluster_probabilities",
            self.cluster_probabilities.len(),
            groups,
            "one per group",
        )?;
        check_distribution("group_probabilities", &self.group_probabilities)?;
        let clusters = self.success_probabilities.len();
        if clusters < 2 {
            return Err(SimError::InvalidParameter {
                name: "success_probabilities".into(),
                reason: format!("at least two credit-score clusters are needed, got {clusters}"),
            });
        }
        check_probabilities("success_probabilities", &self.success_probabilities)?;
        for (g, d) in self.cluster_probabilities.iter().enumerate() {
            let name = format!("cluster_probabilities[{g}]");
            check_len(
                &name,
                d.len(),
                clusters,
                "one per cluster of success_probabilities",
            )?;
            check_distribution(&name, d)?;
        }
        let positive = |name: &str, v: f64, strict: bool| {
            let ok = v.is_finite() && if strict { v > 0.0 } else { v >= 0.0 };
            if ok {
                Ok(())
            } else {
                Err(SimError::InvalidParameter {
                    name: name.into(),
                    reason: format!(
                        "must be finite and {}, got {v}",
                        if strict { "> 0" } else { ">= 0" }
                    ),
                })
            }
        };
        if !(0.0..=1.0).contains(&self.cluster_shift) {
            return Err(SimError::InvalidParameter {
                name: "cluster_shift".into(),
                reason: format!(
                    "a probability mass must be in [0, 1], got {}",
                    self.cluster_shift
                ),
            });
        }
        positive("loan_amount", self.loan_amount, true)?;
        positive("interest_rate", self.interest_rate, false)?;
        positive("bank_starting_cash", self.bank_starting_cash, false)?;
        Ok(ValidLendingParams(self))
    }
}

/// Checked lending parameters: what [`LendingEnv`]s are built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidLendingParams(LendingParams);

impl ValidLendingParams {
    /// The parameters.
    pub fn params(&self) -> &LendingParams {
        &self.0
    }

    /// A fresh environment whose random draws are seeded with `seed`.
    pub fn build(&self, seed: u64) -> LendingEnv {
        LendingEnv::new(self.clone(), seed)
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.0.group_names.len()
    }

    /// The number of credit-score clusters.
    pub fn n_clusters(&self) -> usize {
        self.0.success_probabilities.len()
    }

    /// The break-even repayment probability `1 / (1 + interest rate)`: lending to an applicant
    /// who repays with probability `p` gains in expectation exactly when `p` exceeds it.
    pub fn break_even(&self) -> f64 {
        1.0 / (1.0 + self.0.interest_rate)
    }
}
