//! [`HeldOut`]: what a returned model does on the rows held out from all fitting — accuracy,
//! the notion's hard-decision gap, and whether its decisions are constant.

use fairfit_data::fairness::Notion;
use fairfit_data::{FairDataset, Groups};

use crate::error::Result;
use crate::metrics::{accuracy, notion_disparity, Outcomes};

/// Whether a model's decisions are constant, overall or within groups: a rule that approves
/// (or refuses) everyone meets many gap bounds and must be named, never counted a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Constancy {
    /// Decisions vary within every group.
    Varied,
    /// Every row gets the same decision (`true`: all approved).
    Constant(bool),
    /// Some groups get one decision for all their rows (group name and decision); others vary.
    ConstantInGroups(Vec<(String, bool)>),
}

impl Constancy {
    /// Reads `decisions` by `groups` (row-aligned; an empty group is neither constant nor
    /// varied and is skipped).
    pub fn of(decisions: &[bool], groups: &Groups) -> Self {
        if let Some(&first) = decisions.first() {
            if decisions.iter().all(|&d| d == first) {
                return Constancy::Constant(first);
            }
        }
        let mut seen: Vec<Option<(bool, bool)>> = vec![None; groups.n_groups()];
        for (&g, &d) in groups.of_row().iter().zip(decisions) {
            let entry = &mut seen[g];
            *entry = Some(match *entry {
                None => (d, true),
                Some((first, same)) => (first, same && d == first),
            });
        }
        let constant: Vec<(String, bool)> = seen
            .iter()
            .zip(groups.names())
            .filter_map(|(s, name)| match s {
                Some((d, true)) => Some((name.clone(), *d)),
                _ => None,
            })
            .collect();
        if constant.is_empty() {
            Constancy::Varied
        } else {
            Constancy::ConstantInGroups(constant)
        }
    }

    /// Whether every row gets the same decision.
    pub fn is_constant_rule(&self) -> bool {
        matches!(self, Constancy::Constant(_))
    }

    /// Whether the rule is constant overall or within some group.
    pub fn is_degenerate(&self) -> bool {
        !matches!(self, Constancy::Varied)
    }
}

/// A returned model on the held-out rows.
#[derive(Debug, Clone, PartialEq)]
pub struct HeldOut {
    /// Accuracy of its decisions (weighted by the rows' weights).
    pub accuracy: f64,
    /// The notion's value on its decisions (a hard-decision gap).
    pub gap: f64,
    /// Whether its decisions are constant, overall or within groups.
    pub constancy: Constancy,
}

impl HeldOut {
    /// Reads `decisions` (one per row of `data`) against `data`'s labels and groups: accuracy,
    /// the `notion`'s value (an error when a group lacks the rows it conditions on) and constancy.
    pub fn of(decisions: &[bool], data: &FairDataset, notion: &Notion) -> Result<Self> {
        let labels = data.labels()?;
        let weights = data.weights().map(|w| w.to_vec());
        let outcomes = Outcomes::classification(&labels, decisions)?
            .with_optional_weights(weights.as_deref())?;
        Ok(Self {
            accuracy: accuracy(&labels, decisions, weights.as_deref())?,
            gap: notion_disparity(notion, &outcomes, data.groups())?.strict()?,
            constancy: Constancy::of(decisions, data.groups()),
        })
    }

    /// Whether the gap breaks the bound `epsilon` (above it for a difference or a maximum,
    /// below it for a ratio).
    pub fn violates(&self, notion: &Notion, epsilon: f64) -> bool {
        !notion.within(self.gap, epsilon)
    }
}
