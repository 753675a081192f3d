//! The expected one-step change of each group's credit, in closed form: what a policy does to the
//! population in expectation, without simulating.

use super::params::ValidLendingParams;

/// The expected change of a group's mean cluster index and mean repayment probability over one
/// step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drift {
    /// Expected change of the mean cluster index.
    pub mean_cluster: f64,
    /// Expected change of the mean repayment probability (`credit`).
    pub credit: f64,
}

/// The expected one-step drift of every group from distributions `distributions` when the agent
/// approves an applicant of group `g` in cluster `c` with probability `approval[g][c]`.
///
/// For group `g` (drawn with probability `q_g`), cluster `c` (share `π_c`, repayment
/// probability `p_c`), moved mass `m_c = min(δ, π_c)` and a value `v` per cluster (its index,
/// or `p`), the drift is `q_g Σ_c π_c a_c m_c [p_c (v(c↑) − v(c)) + (1 − p_c)(v(c↓) − v(c))]`,
/// where `c↑` and `c↓` are the neighbouring clusters, clamped at the ends.
///
/// ```
/// use fairfit::sim::lending::{expected_drift, LendingParams};
/// let params = LendingParams::default().check()?;
/// let approve_all = vec![vec![1.0; 7]; 2];
/// let drift = expected_drift(&params, &params.params().cluster_probabilities, &approve_all);
/// assert!(drift[1].credit < 0.0); // lending to everyone in group 2 lowers its credit
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
pub fn expected_drift(
    params: &ValidLendingParams,
    distributions: &[Vec<f64>],
    approval: &[Vec<f64>],
) -> Vec<Drift> {
    let p = params.params();
    let success = &p.success_probabilities;
    let last = success.len() - 1;
    distributions
        .iter()
        .zip(approval)
        .zip(&p.group_probabilities)
        .map(|((pi, a), q)| {
            let mut drift = Drift {
                mean_cluster: 0.0,
                credit: 0.0,
            };
            for c in 0..=last {
                let moved = q * pi[c] * a[c] * p.cluster_shift.min(pi[c]);
                let (up, down) = ((c + 1).min(last), c.saturating_sub(1));
                let index = |k: usize| k as f64 - c as f64;
                let credit = |k: usize| success[k] - success[c];
                drift.mean_cluster +=
                    moved * (success[c] * index(up) + (1.0 - success[c]) * index(down));
                drift.credit +=
                    moved * (success[c] * credit(up) + (1.0 - success[c]) * credit(down));
            }
            drift
        })
        .collect()
}
