//! What a target's limit binds ([`Binding`]), and the two readings of a statistic the outer
//! loop needs for it: whether it is a rate of decisions, and its values on the sharpened
//! surrogate `σ(c·s)`.

use fairfit_data::fairness::Statistic;
use fairfit_data::FairDataset;
use ndarray::Array1;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::loss::ModelKind;
use crate::objective::Objective;
use crate::statistic::{training_gaps, GroupValues};

/// What a target's limit binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Binding {
    /// The decisions the fitted model makes on its training data (at its threshold `s ≥ 0`):
    /// what the metric of the same name reports, and what a user means by `gap ≤ ε`.
    #[default]
    Decisions,
    /// The smooth statistic the optimiser sees (mean probabilities): the classic soft
    /// constraint, whose decisions may miss the limit.
    Scores,
}

/// Whether a statistic is a rate of the model's decisions (so its hard value differs from the
/// smooth one): a classifier's prediction or error rates.
pub(super) fn on_decisions<K: ModelKind>(statistic: &Statistic) -> bool {
    K::LOSS.is_classification() && statistic.reads_decision()
}

/// The statistics on `σ(sharpness·s)` when the surrogate is sharpened (`None` at sharpness 1,
/// where the reported soft values are the ones the terms see): a model scaled by the sharpness
/// has exactly those probabilities.
pub(super) fn sharpened<K: ModelKind>(
    objective: &Objective<'_>,
    data: &FairDataset,
    statistics: &[Statistic],
    theta: &Array1<f64>,
    sharpness: f64,
) -> Result<Option<Vec<GroupValues>>> {
    if sharpness == 1.0 {
        return Ok(None);
    }
    let scores = objective.scores(theta)? * sharpness;
    let mut values = training_gaps::<K>(Ok(scores), data, statistics)?;
    // Statistics that are not rates of decisions are not sharpened by the terms either.
    let plain = training_gaps::<K>(objective.scores(theta), data, statistics)?;
    for ((v, p), s) in values.iter_mut().zip(plain).zip(statistics) {
        if !on_decisions::<K>(s) {
            *v = p;
        }
    }
    Ok(Some(values))
}
