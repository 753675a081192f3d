//! [`FittedThresholds`]: the fitted rule of every group, how to apply it, and what it achieved.

use fairfit_data::fairness::{Condition, GroupCells, Statistic, Undefined, Value};
use fairfit_data::{FairDataset, Groups, Scorer};
use ndarray::{Array1, ArrayView1};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::error::{PostprocessError, Result};
use super::objective::LinearUtility;
use super::params::{check_finite, check_len, ThresholdOptimizerValidParams};
use super::rule::ThresholdRule;

/// The threshold notions compare groups with each other, never with the pooled value.
const OVERALL_UNUSED: Undefined = Undefined {
    reason: "the threshold notions compare groups, not groups to the overall value",
};

/// The expected rates of one group under the fitted rules, on the fitting data.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
///
/// Loaded from JSON it is checked (unknown fields are refused): one rule and one set of training
/// rates per group, group names without repeats, rates in [0, 1], each rule as
/// [`ThresholdRule::new`] checks it, the parameters as [`linfa::ParamGuard`] checks them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ThresholdsFile")]
pub struct FittedThresholds {
    params: ThresholdOptimizerValidParams,
    groups: Vec<String>,
    rules: Vec<ThresholdRule>,
    training_rates: Vec<GroupRates>,
    training_objective: f64,
}

/// [`FittedThresholds`] as saved, validated into them on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThresholdsFile {
    params: ThresholdOptimizerValidParams,
    groups: Vec<String>,
    rules: Vec<ThresholdRule>,
    training_rates: Vec<GroupRates>,
    training_objective: f64,
}

impl TryFrom<ThresholdsFile> for FittedThresholds {
    type Error = PostprocessError;

    fn try_from(file: ThresholdsFile) -> Result<Self> {
        let n = file.groups.len();
        if n == 0 {
            return Err(PostprocessError::InvalidParameter {
                name: "groups",
                reason: "saved thresholds name no group".into(),
            });
        }
        if let Some(name) = file
            .groups
            .iter()
            .enumerate()
            .find_map(|(i, g)| file.groups[..i].contains(g).then_some(g))
        {
            return Err(PostprocessError::InvalidParameter {
                name: "groups",
                reason: format!("group `{name}` is listed twice"),
            });
        }
        check_len("rules (one per group)", n, file.rules.len())?;
        check_len(
            "training rates (one per group)",
            n,
            file.training_rates.len(),
        )?;
        for (group, r) in file.groups.iter().zip(&file.training_rates) {
            let rates = [
                Some(r.selection_rate),
                r.true_positive_rate,
                r.false_positive_rate,
            ];
            if let Some(rate) = rates
                .into_iter()
                .flatten()
                .find(|p| !(0.0..=1.0).contains(p))
            {
                return Err(PostprocessError::InvalidParameter {
                    name: "training_rates",
                    reason: format!("group `{group}` has rate {rate}, outside [0, 1]"),
                });
            }
        }
        Ok(Self {
            params: file.params,
            groups: file.groups,
            rules: file.rules,
            training_rates: file.training_rates,
            training_objective: file.training_objective,
        })
    }
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
        let weights: Option<Vec<f64>> = weights.map(|w| w.to_vec());
        let cells = GroupCells::new(partition, weights.as_deref())?;
        let y = |i: usize| f64::from(u8::from(labels[i]));
        let rates = |statistic: Statistic| cells.evaluate(statistic, |i| (y(i), p[i]));
        let selection = rates(Statistic::positive_rate())?;
        let tpr = rates(Statistic::true_positive_rate())?;
        let fpr = rates(Statistic::false_positive_rate())?;
        fitted.training_rates = (0..partition.n_groups())
            .map(|g| GroupRates {
                // A group the rules exist for has members (checked when fitting).
                selection_rate: selection.values[g].unwrap_or(0.0),
                true_positive_rate: tpr.values[g].ok(),
                false_positive_rate: fpr.values[g].ok(),
            })
            .collect();
        let (mut tp, mut tn) = (0.0, 0.0);
        for i in 0..labels.len() {
            let w = cells.weight(i);
            if labels[i] {
                tp += w * p[i];
            } else {
                tn += w * (1.0 - p[i]);
            }
        }
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
        let notion = self.params.constraint().notion();
        let values = |statistic: &Statistic| -> Vec<Value> {
            self.training_rates
                .iter()
                .map(|r| {
                    let rate = match statistic.condition {
                        Condition::Positives => r.true_positive_rate,
                        Condition::Negatives => r.false_positive_rate,
                        _ => Some(r.selection_rate),
                    };
                    rate.ok_or(Undefined {
                        reason: statistic.condition.lacks(),
                    })
                })
                .collect()
        };
        // Fewer than two groups with a defined rate have no gap to close.
        let parts: Vec<f64> = notion
            .statistics()
            .iter()
            .map(|s| {
                notion
                    .aggregate()
                    .apply(Err(OVERALL_UNUSED), &values(s))
                    .map_or(0.0, |a| a.value)
            })
            .collect();
        notion.aggregate().worst(&parts)
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
