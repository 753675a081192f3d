//! [`ReusedCandidates`]: a candidate generator that fits once per candidate part and hands the
//! same rules to every later call on the same rows — a held-out study asks the high-confidence
//! mode for every (ε, δ) on one re-split, and its candidate part is the same each time.

use std::sync::{Arc, Mutex};

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use ndarray::{Array1, Array2};

use crate::guarantee::{Attempt, CandidateGenerator, DecisionRule, Result};

/// A fitted rule with the grid parameters that made it.
type Kept = (Vec<(String, f64)>, Arc<dyn DecisionRule>);

/// The rows a generation ran on and the rules it fitted, by grid parameters.
#[derive(Debug)]
struct Generated {
    notion: Notion,
    records: Array2<f64>,
    targets: Array1<f64>,
    groups: Vec<usize>,
    rules: Vec<Kept>,
}

/// Wraps a generator: the first call fits as it does; a later call with the same notion on
/// the same rows (features, labels and groups compared in full) returns the same fitted rules
/// without fitting again. A generation in which any grid point failed is not kept (its error
/// cannot be handed out twice), so the next call fits again.
#[derive(Debug)]
pub struct ReusedCandidates {
    inner: Arc<dyn CandidateGenerator>,
    last: Mutex<Option<Generated>>,
}

impl ReusedCandidates {
    /// Reuses the candidates of `inner`.
    pub fn new(inner: impl CandidateGenerator + 'static) -> Self {
        Self {
            inner: Arc::new(inner),
            last: Mutex::new(None),
        }
    }
}

impl CandidateGenerator for ReusedCandidates {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn generate(&self, notion: &Notion, data: &FairDataset) -> Result<Vec<Attempt>> {
        let same = |g: &Generated| {
            g.notion == *notion
                && g.records == data.records()
                && g.targets == data.targets()
                && g.groups == data.groups().of_row()
        };
        // A poisoned lock only means another call panicked; the kept rules are still whole.
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(g) = last.as_ref().filter(|g| same(g)) {
            return Ok(g
                .rules
                .iter()
                .map(|(params, rule)| Attempt {
                    params: params.clone(),
                    rule: Ok(Arc::clone(rule)),
                })
                .collect());
        }
        let attempts = self.inner.generate(notion, data)?;
        let rules: Option<Vec<_>> = attempts
            .iter()
            .map(|a| {
                a.rule
                    .as_ref()
                    .ok()
                    .map(|r| (a.params.clone(), Arc::clone(r)))
            })
            .collect();
        *last = rules.map(|rules| Generated {
            notion: notion.clone(),
            records: data.records().to_owned(),
            targets: data.targets().to_owned(),
            groups: data.groups().of_row().to_vec(),
            rules,
        });
        Ok(attempts)
    }
}
