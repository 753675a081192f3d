//! [`FittedThresholds`]: the fitted rule of every group, how to apply it, and what it achieved.

use fairfit_data::{FairDataset, Groups, Scorer};
use ndarray::{Array1, ArrayView1};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::constraint::Constraint;
use super::error::{PostprocessError, Result};
use super::objective::LinearUtility;
use super::params::{check_finite, check_len, ThresholdOptimizerValidParams};
use super::rule::ThresholdRule;

/// The expected rates of one group under the fitted rules, on the fitting data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupRates {
    /// P(ŷ = 1 | g).
    pub selection_rate: f64,
    /// P(ŷ = 1 | y = 1, g), when the group has positives.
    pub true_positive_rate: Option<f64>,
    /// P(ŷ = 1 | y = 0, g), when the group has negatives.
    pub false_positive_rate: Option<f64>,
}

/// Group-specific (possibly randomised) threshold rules fitted by
/// [`ThresholdOptimizer`](super::ThresholdOptimizer); serialisable with serde.
///
/// Apply them with [`FittedThresholds::predict`] (a seeded generator decides the randomised
/// rows) or read the exact probability of a favourable decision per row with
/// [`FittedThresholds::decision_probability`], so that metrics can be taken in expectation.
/// Groups are matched by name, so the groups at prediction time may be numbered differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedThresholds {
    params: ThresholdOptimizerValidParams,
    groups: Vec<String>,
    rules: Vec<ThresholdRule>,
    training_rates: Vec<GroupRates>,
    training_objective: f64,
}

impl FittedThresholds {
    /// Wraps fitted rules and measures them on the fitting data.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        params: ThresholdOptimizerValidParams,
        groups: Vec<String>,
        rules: Vec<ThresholdRule>,
        scores: ArrayView1<'_, f64>,
        labels: &[bool],
        partition: &Groups,
        weights: Option<ArrayView1<'_, f64>>,
        utility: LinearUtility,
    ) -> Result<Self> {
        let mut fitted = Self {
            params,
            groups,
            rules,
            training_rates: Vec::new(),
            training_objective: 0.0,
        };
        let p = fitted.decision_probability(scores, partition)?;
        let g = fitted.groups.len();
        // Per group: weight of (all, selected), (positives, selected), (negatives, selected).
        let mut sums = vec![[0.0f64; 6]; g];
        let (mut tp, mut tn) = (0.0, 0.0);
        for (i, &grp) in partition.of_row().iter().enumerate() {
            let w = weights.as_ref().map_or(1.0, |w| w[i]);
            let s = &mut sums[grp];
            s[0] += w;
            s[1] += w * p[i];
            if labels[i] {
                s[2] += w;
                s[3] += w * p[i];
                tp += w * p[i];
            } else {
                s[4] += w;
                s[5] += w * p[i];
                tn += w * (1.0 - p[i]);
            }
        }
        let ratio = |num: f64, den: f64| (den > 0.0).then(|| num / den);
        fitted.training_rates = sums
            .iter()
            .map(|s| GroupRates {
                selection_rate: s[1] / s[0],
                true_positive_rate: ratio(s[3], s[2]),
                false_positive_rate: ratio(s[5], s[4]),
            })
            .collect();
        fitted.training_objective =
            utility.objective_value(utility.tp_weight * tp + utility.tn_weight * tn);
        Ok(fitted)
    }

    /// The parameters the rules were fitted with.
    pub fn params(&self) -> &ThresholdOptimizerValidParams {
        &self.params
    }

    /// The names of the groups that have a rule.
    pub fn group_names(&self) -> &[String] {
        &self.groups
    }

    /// The rules, in the order of [`FittedThresholds::group_names`].
    pub fn rules(&self) -> &[ThresholdRule] {
        &self.rules
    }

    /// The rule of the group with this name.
    pub fn rule(&self, group: &str) -> Option<&ThresholdRule> {
        self.groups
            .iter()
            .position(|g| g == group)
            .map(|i| &self.rules[i])
    }

    /// Whether no group's rule randomises.
    pub fn is_deterministic(&self) -> bool {
        self.rules.iter().all(ThresholdRule::is_deterministic)
    }

    /// Each group's expected rates on the fitting data, in the order of the group names.
    pub fn training_rates(&self) -> &[GroupRates] {
        &self.training_rates
    }

    /// The objective's expected value on the fitting data (accuracy, balanced accuracy or cost).
    pub fn training_objective(&self) -> f64 {
        self.training_objective
    }

    /// The expected gap (max − min over groups) of the constrained rate on the fitting data; for
    /// equalized odds the larger of the true- and false-positive-rate gaps.
    pub fn training_gap(&self) -> f64 {
        let gap = |rate: fn(&GroupRates) -> Option<f64>| {
            let values: Vec<f64> = self.training_rates.iter().filter_map(rate).collect();
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            if values.is_empty() {
                0.0
            } else {
                max - min
            }
        };
        match self.params.constraint() {
            Constraint::DemographicParity => gap(|r| Some(r.selection_rate)),
            Constraint::EqualOpportunity => gap(|r| r.true_positive_rate),
            Constraint::EqualizedOdds => {
                gap(|r| r.true_positive_rate).max(gap(|r| r.false_positive_rate))
            }
        }
    }

    /// The exact probability that each row receives the favourable decision.
    ///
    /// Fails on mismatched lengths, non-finite scores, or a row whose group (by name) has no rule.
    pub fn decision_probability(
        &self,
        scores: ArrayView1<'_, f64>,
        groups: &Groups,
    ) -> Result<Array1<f64>> {
        check_len("groups", scores.len(), groups.len())?;
        check_finite("scores", scores)?;
        let rule_of: Vec<Option<usize>> = groups
            .names()
            .iter()
            .map(|name| self.groups.iter().position(|g| g == name))
            .collect();
        scores
            .iter()
            .zip(groups.of_row())
            .enumerate()
            .map(|(row, (&s, &g))| match rule_of[g] {
                Some(r) => Ok(self.rules[r].probability(s)),
                None => Err(PostprocessError::UnknownGroup {
                    row,
                    group: groups.names()[g].clone(),
                    known: self.groups.clone(),
                }),
            })
            .collect()
    }

    /// Randomised decisions: row `i` is favourable when a uniform draw from `rng` falls below its
    /// [decision probability](FittedThresholds::decision_probability); rows decided with
    /// probability 0 or 1 draw nothing. A seeded `rng` makes the output reproducible.
    pub fn predict<R: Rng + ?Sized>(
        &self,
        scores: ArrayView1<'_, f64>,
        groups: &Groups,
        rng: &mut R,
    ) -> Result<Array1<bool>> {
        let p = self.decision_probability(scores, groups)?;
        Ok(p.mapv(|p| p >= 1.0 || (p > 0.0 && rng.gen::<f64>() < p)))
    }

    /// [`FittedThresholds::decision_probability`] of `scorer`'s scores of `data`, in its active
    /// groups.
    pub fn decision_probability_dataset<S: Scorer + ?Sized>(
        &self,
        scorer: &S,
        data: &FairDataset,
    ) -> Result<Array1<f64>> {
        self.decision_probability(scorer.score(data.records()).view(), data.groups())
    }

    /// [`FittedThresholds::predict`] on `scorer`'s scores of `data`, in its active groups.
    pub fn predict_dataset<S: Scorer + ?Sized, R: Rng + ?Sized>(
        &self,
        scorer: &S,
        data: &FairDataset,
        rng: &mut R,
    ) -> Result<Array1<bool>> {
        self.predict(scorer.score(data.records()).view(), data.groups(), rng)
    }
}
