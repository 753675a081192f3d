//! [`LendingEnv`]: lending with delayed impact (the gym's `DelayedImpactEnv`).

use fairfit_data::fairness::Statistic;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::confusion::Confusion;
use crate::distribution::sample_index;
use crate::environment::{Environment, Transition};
use crate::error::Result;

use super::params::ValidLendingParams;

/// What the bank sees of an applicant: the group and the credit-score cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applicant {
    /// The applicant's group.
    pub group: usize,
    /// The applicant's credit-score cluster (0 is the lowest).
    pub cluster: usize,
}

/// The hidden state: the groups' current credit-score distributions and whether the current
/// applicant would repay.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// Each group's current distribution over the clusters.
    pub distributions: Vec<Vec<f64>>,
    /// Whether the current applicant would repay a loan.
    pub will_repay: bool,
}

/// Names of the per-group metrics before the `cluster_k` shares.
const METRICS: [&str; 8] = [
    "applicants",
    "loans",
    "selection_rate",
    "recall",
    "precision",
    "profit",
    "credit",
    "mean_cluster",
];

/// The lending environment: one applicant per step, approved or rejected by the agent; a loan's
/// outcome moves the applicant's group's credit-score distribution.
///
/// Recorded per group: cumulative `applicants` and `loans`, the cumulative `selection_rate`,
/// `recall` (true-positive rate: approved among those who would repay, which the bank cannot
/// observe) and `precision`, the cumulative `profit` from the group's loans, `credit` (the
/// group's mean repayment probability), `mean_cluster`, and the share `cluster_k` of each
/// cluster.
#[derive(Debug, Clone)]
pub struct LendingEnv {
    params: ValidLendingParams,
    rng: StdRng,
    population: Population,
    applicant: Applicant,
    cash: f64,
    confusion: Vec<Confusion>,
    profit: Vec<f64>,
    metric_names: Vec<String>,
}

impl LendingEnv {
    /// A fresh environment seeded with `seed`, with its first applicant drawn.
    pub(crate) fn new(params: ValidLendingParams, seed: u64) -> Self {
        let p = params.params();
        let groups = params.n_groups();
        let metric_names = METRICS
            .iter()
            .map(|m| m.to_string())
            .chain((0..params.n_clusters()).map(|k| format!("cluster_{k}")))
            .collect();
        let mut env = Self {
            population: Population {
                distributions: p.cluster_probabilities.clone(),
                will_repay: false,
            },
            cash: p.bank_starting_cash,
            params,
            rng: StdRng::seed_from_u64(seed),
            applicant: Applicant {
                group: 0,
                cluster: 0,
            },
            confusion: vec![Confusion::default(); groups],
            profit: vec![0.0; groups],
            metric_names,
        };
        env.draw_applicant();
        env
    }

    /// The parameters.
    pub fn params(&self) -> &ValidLendingParams {
        &self.params
    }

    /// The bank's cash.
    pub fn cash(&self) -> f64 {
        self.cash
    }

    /// The current applicant.
    pub fn applicant(&self) -> Applicant {
        self.applicant
    }

    /// A group's mean repayment probability under its current distribution.
    pub fn credit(&self, group: usize) -> f64 {
        self.population.distributions[group]
            .iter()
            .zip(&self.params.params().success_probabilities)
            .map(|(pi, p)| pi * p)
            .sum()
    }

    fn draw_applicant(&mut self) {
        let p = self.params.params();
        let group = sample_index(&mut self.rng, &p.group_probabilities);
        let cluster = sample_index(&mut self.rng, &self.population.distributions[group]);
        let u: f64 = self.rng.gen();
        self.population.will_repay = u < p.success_probabilities[cluster];
        self.applicant = Applicant { group, cluster };
    }

    /// Moves `shift` of `group`'s mass (at most what the cluster holds) from `cluster` one
    /// cluster up or down, stopping at the ends.
    fn shift_mass(&mut self, group: usize, cluster: usize, up: bool) {
        let distribution = &mut self.population.distributions[group];
        let target = if up {
            (cluster + 1).min(distribution.len() - 1)
        } else {
            cluster.saturating_sub(1)
        };
        if target != cluster {
            let mass = self
                .params
                .params()
                .cluster_shift
                .min(distribution[cluster]);
            distribution[cluster] -= mass;
            distribution[target] += mass;
        }
    }
}

impl Environment for LendingEnv {
    type Observation = Applicant;
    /// `true`: approve the loan.
    type Action = bool;
    /// Whether an approved loan was repaid; `None` for a rejected applicant (never observed).
    type Feedback = Option<bool>;
    type Truth = Population;

    fn groups(&self) -> &[String] {
        &self.params.params().group_names
    }

    fn metric_names(&self) -> &[String] {
        &self.metric_names
    }

    fn observation(&self) -> &Applicant {
        &self.applicant
    }

    fn truth(&self) -> &Population {
        &self.population
    }

    fn permissive_action(&self) -> bool {
        true
    }

    fn step(&mut self, _step: usize, approve: &bool) -> Result<Transition<Option<bool>>> {
        let Applicant { group, cluster } = self.applicant;
        let repays = self.population.will_repay;
        self.confusion[group].add(*approve, repays, 1.0);
        let (feedback, reward) = if *approve {
            let p = self.params.params();
            let gain = if repays {
                p.loan_amount * p.interest_rate
            } else {
                -p.loan_amount
            };
            self.cash += gain;
            self.profit[group] += gain;
            self.shift_mass(group, cluster, repays);
            (Some(repays), gain)
        } else {
            (None, 0.0)
        };
        self.draw_applicant();
        Ok(Transition {
            feedback,
            reward,
            done: self.cash < self.params.params().loan_amount,
        })
    }

    fn measure(&self, out: &mut [f64]) {
        let width = self.metric_names.len();
        for (g, row) in out.chunks_mut(width).enumerate() {
            let c = &self.confusion[g];
            let distribution = &self.population.distributions[g];
            row[0] = c.total();
            row[1] = c.true_positives + c.false_positives;
            row[2] = c.rate(Statistic::positive_rate());
            row[3] = c.rate(Statistic::true_positive_rate());
            row[4] = c.rate(Statistic::positive_predictive_value());
            row[5] = self.profit[g];
            row[6] = self.credit(g);
            row[7] = distribution
                .iter()
                .enumerate()
                .map(|(k, pi)| k as f64 * pi)
                .sum();
            row[METRICS.len()..].copy_from_slice(distribution);
        }
    }
}
