//! [`best_at_gap`]: the best performance under a bound on a gap, chosen on validation when the
//! curve has it; [`best_at_gap_by`] chooses by a [`SelectionRule`] (plain or margin).

use serde::{Deserialize, Serialize};

use super::SelectionRule;
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
    /// Gap on the selection split (its estimate).
    pub selection_gap: f64,
    /// The rule the choice was made by.
    #[serde(default)]
    pub rule: SelectionRule,
    /// Under [`SelectionRule::Margin`], the end of the gap's interval on the selection split that
    /// met the bound; `None` under the plain rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection_margin: Option<f64>,
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
    best_at_gap_by(curve, performance, gap, bound, SelectionRule::Plain)
}

/// [`best_at_gap`] with the admissibility of a point decided by `rule`: its gap estimate on the
/// selection split ([`SelectionRule::Plain`], what [`best_at_gap`] does), or the far end of that
/// gap's confidence interval ([`SelectionRule::Margin`]: the upper end of a difference must be
/// `≤ bound`, the lower end of a ratio `≥ bound`). The ranking is the same under both rules.
///
/// ```
/// use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
/// use fairfit::eval::pareto::{best_at_gap_by, SelectionRule};
/// use fairfit::eval::{Estimate, Interval};
/// // Validation: a is more accurate and its gap estimate is within 0.02, but its interval is not.
/// let point = |m: &str, acc: f64, gap: f64, upper: f64| {
///     let interval = Interval::new(gap / 2.0, upper, 0.95);
///     CurvePoint::new(m)
///         .with_metric(Split::Validation, names::ACCURACY, acc)
///         .with_metric(Split::Validation, names::DP_DIFFERENCE, Estimate::with_interval(gap, interval))
///         .with_metric(Split::Test, names::ACCURACY, acc)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
/// };
/// let curve = TradeoffCurve::from_points(vec![point("a", 0.85, 0.015, 0.04), point("b", 0.82, 0.005, 0.018)])?;
/// let (acc, dp) = (Axis::maximise(names::ACCURACY), Axis::minimise(names::DP_DIFFERENCE));
/// let plain = best_at_gap_by(&curve, &acc, &dp, 0.02, SelectionRule::Plain)?.unwrap();
/// let margin = best_at_gap_by(&curve, &acc, &dp, 0.02, SelectionRule::Margin)?.unwrap();
/// assert_eq!((plain.method.as_str(), margin.method.as_str()), ("a", "b"));
/// assert_eq!(margin.selection_margin, Some(0.018));
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
pub fn best_at_gap_by(
    curve: &TradeoffCurve,
    performance: &Axis,
    gap: &Axis,
    bound: f64,
    rule: SelectionRule,
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
    let read = (0..curve.len())
        .map(|i| rule.gap_read(curve, i, gap, selected_on))
        .collect::<Result<Vec<f64>>>()?;
    let admissible = |g: f64| gap.oriented(g) >= gap.oriented(bound);
    let best = (0..selection.len())
        .filter(|&i| admissible(read[i]))
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
            rule,
            selection_margin: match rule {
                SelectionRule::Plain => None,
                SelectionRule::Margin => Some(read[i]),
            },
            performance: reported[i].0,
            gap: reported[i].1,
        }
    }))
}
