//! How a frame's entries are computed: validating a request, grouping rows, evaluating columns
//! and reading entries; shared with the bootstrap.

use fairfit_data::fairness::Notion;
use fairfit_data::Groups;

use super::Entry;
use crate::error::{EvalError, Result};
use crate::metrics::group::Grouped;
use crate::metrics::{Aggregate, ByGroup, Metric, Outcomes, Value};

/// The entries of a column with `n_groups` groups, in frame order.
pub(crate) fn entries(n_groups: usize) -> Vec<Entry> {
    std::iter::once(Entry::Overall)
        .chain((0..n_groups).map(Entry::Group))
        .chain(Aggregate::ALL.iter().map(|&a| Entry::Summary(a)))
        .collect()
}

/// The value of one entry of a column.
pub(crate) fn entry_value(column: &ByGroup, entry: Entry) -> Value {
    match entry {
        Entry::Overall => column.overall(),
        Entry::Group(g) => column.values()[g],
        Entry::Summary(a) => {
            crate::metrics::disparity::aggregate(a, column.overall(), column.values())
                .map(|(v, _)| v)
        }
    }
}

/// Validates the request (the notions' own checks are [`super::FrameNotions::new`]'s) and
/// groups the rows.
pub(crate) fn prepare(
    outcomes: &Outcomes,
    groups: &Groups,
    metrics: &[&dyn Metric],
    notions: &[Notion],
) -> Result<Grouped> {
    if metrics.is_empty() && notions.is_empty() {
        return Err(EvalError::InvalidParameter {
            name: "metrics",
            reason: "no metric given".into(),
        });
    }
    for (i, m) in metrics.iter().enumerate() {
        outcomes.check(*m)?;
        if metrics[..i].iter().any(|o| o.name() == m.name()) {
            return Err(EvalError::InvalidParameter {
                name: "metrics",
                reason: format!("metric `{}` is given twice", m.name()),
            });
        }
    }
    Grouped::new(outcomes, groups)
}

/// Every metric by group under `weights` (one per grouped row).
pub(crate) fn columns(grouped: &Grouped, metrics: &[&dyn Metric], weights: &[f64]) -> Vec<ByGroup> {
    metrics
        .iter()
        .map(|m| grouped.by_group(*m, weights))
        .collect()
}
