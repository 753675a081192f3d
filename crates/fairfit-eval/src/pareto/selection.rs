//! [`best_at_gap`]: the best performance under a bound on a gap, chosen on validation when the
//! curve has it.

use serde::{Deserialize, Serialize};

use crate::curve::{Axis, Split, TradeoffCurve};
use crate::error::{EvalError, Result};

/// The point chosen by [`best_at_gap`], with the values it was chosen on and the values reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapSelection {
    /// Index of the chosen point in the curve.
    pub index: usize,
    /// Its method.
    pub method: String,
    /// Its parameters, e.g. `lambda=0.1`.
    pub params: String,
    /// The split the choice was made on (validation when the curve has it).
    pub selected_on: Split,
    /// Performance on the selection split.
    pub selection_performance: f64,
    /// Gap on the selection split.
    pub selection_gap: f64,
    /// Performance on the axes' split (normally test): the number to report.
    pub performance: f64,
    /// Gap on the axes' split: may exceed the bound when the choice was made on validation.
    pub gap: f64,
}

/// The point with the best `performance` among those whose `gap` satisfies the bound: `gap ≤
/// bound` when the gap axis is minimised (a difference), `gap ≥ bound` when it is maximised (a
/// ratio).
///
/// **Selection uses validation when it exists.** When any point carries validation metrics,
/// every point must have both metrics on validation; the constraint and the ranking are then
/// evaluated on validation, and the chosen point's values on the axes' own split (normally test)
/// are reported, so the test set never influences the choice (and the reported test gap may
/// exceed the bound). Without validation metrics the choice is made on the axes' split, which is
/// optimistic; [`GapSelection::selected_on`] says which happened. Ties go to the smaller gap,
/// then the earlier point. `Ok(None)` when no point satisfies the bound.
pub fn best_at_gap(
    curve: &TradeoffCurve,
    performance: &Axis,
    gap: &Axis,
    bound: f64,
) -> Result<Option<GapSelection>> {
    if !bound.is_finite() {
        return Err(EvalError::InvalidParameter {
            name: "bound",
            reason: format!("gap bound must be finite, got {bound}"),
        });
    }
    let reported = curve.coordinates(performance, gap)?;
    let selected_on = if curve.has_validation() {
        Split::Validation
    } else {
        performance.split
    };
    let selection = curve.coordinates(
        &performance.clone().on(selected_on),
        &gap.clone().on(selected_on),
    )?;
    let admissible = |g: f64| gap.oriented(g) >= gap.oriented(bound);
    let best = (0..selection.len())
        .filter(|&i| admissible(selection[i].1))
        .min_by(|&i, &j| {
            let (pi, gi) = selection[i];
            let (pj, gj) = selection[j];
            performance
                .oriented(pj)
                .total_cmp(&performance.oriented(pi))
                .then(gap.oriented(gj).total_cmp(&gap.oriented(gi)))
                .then(i.cmp(&j))
        });
    Ok(best.map(|i| {
        let p = &curve.points()[i];
        GapSelection {
            index: i,
            method: p.method().to_string(),
            params: p.param_label(),
            selected_on,
            selection_performance: selection[i].0,
            selection_gap: selection[i].1,
            performance: reported[i].0,
            gap: reported[i].1,
        }
    }))
}
