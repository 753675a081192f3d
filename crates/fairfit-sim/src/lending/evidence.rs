//! [`Evidence`]: what a lending agent fits its decisions on — the outcomes it has observed (only
//! approved applicants' repayments) or the population's true distributions (an oracle).

use fairfit_train::postprocess::ScoreLevels;
use serde::{Deserialize, Serialize};

use crate::error::Result;

use super::env::Population;
use super::params::ValidLendingParams;

/// Where an agent's training data come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Evidence {
    /// The repayments of the loans it approved (labels only for approved applicants, as a real
    /// lender has them).
    Observed,
    /// The population's current distributions and repayment probabilities (the gym's
    /// `OracleThresholdAgent`): each group × cluster weighted by its true share and repayment
    /// probability.
    Oracle,
}

/// A weighted table of group × cluster × outcome: the rows an agent fits on.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceTable {
    /// `weights[g][c] = [weight of defaults, weight of repayments]`.
    pub weights: Vec<Vec<[f64; 2]>>,
}

impl EvidenceTable {
    /// An empty table for `groups` × `clusters`.
    pub fn empty(groups: usize, clusters: usize) -> Self {
        Self {
            weights: vec![vec![[0.0; 2]; clusters]; groups],
        }
    }

    /// Counts one observed outcome.
    pub fn add(&mut self, group: usize, cluster: usize, repaid: bool) {
        self.weights[group][cluster][usize::from(repaid)] += 1.0;
    }

    /// The oracle's table: group `g`, cluster `c` weighs `q_g π_{g,c}` split by the cluster's
    /// repayment probability.
    pub fn oracle(params: &ValidLendingParams, population: &Population) -> Self {
        let mut table = Self::empty(params.n_groups(), params.n_clusters());
        table.refill_oracle(params, population);
        table
    }

    /// Makes this the [oracle's table](EvidenceTable::oracle) of `population`, in place.
    pub fn refill_oracle(&mut self, params: &ValidLendingParams, population: &Population) {
        let p = params.params();
        for ((cells, pi), q) in self
            .weights
            .iter_mut()
            .zip(&population.distributions)
            .zip(&p.group_probabilities)
        {
            for ((cell, share), s) in cells.iter_mut().zip(pi).zip(&p.success_probabilities) {
                *cell = [q * share * (1.0 - s), q * share * s];
            }
        }
    }

    /// Writes the table into fairfit's [`ScoreLevels`] (score = cluster), for the threshold fit.
    pub fn fill_levels(&self, levels: &mut ScoreLevels) -> Result<()> {
        for (g, clusters) in self.weights.iter().enumerate() {
            for (c, &[defaults, repayments]) in clusters.iter().enumerate() {
                levels.set(g, c, repayments, defaults)?;
            }
        }
        Ok(())
    }

    /// Whether every group has weight on both outcomes (what fitting needs).
    pub fn covers_every_group(&self) -> bool {
        self.weights.iter().all(|clusters| {
            let (d, r) = clusters
                .iter()
                .fold((0.0, 0.0), |(d, r), w| (d + w[0], r + w[1]));
            d > 0.0 && r > 0.0
        })
    }

    /// The non-empty cells as rows: `(group, cluster, repaid, weight)`.
    pub fn rows(&self) -> impl Iterator<Item = (usize, usize, bool, f64)> + '_ {
        self.weights.iter().enumerate().flat_map(|(g, clusters)| {
            clusters.iter().enumerate().flat_map(move |(c, w)| {
                [(false, w[0]), (true, w[1])]
                    .into_iter()
                    .filter(|(_, weight)| *weight > 0.0)
                    .map(move |(repaid, weight)| (g, c, repaid, weight))
            })
        })
    }
}
