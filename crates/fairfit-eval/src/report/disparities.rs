//! [`NamedDisparity`]: the disparities of Fairlearn and AIF360 read from a frame, equalized odds
//! among them.

use serde::{Deserialize, Serialize};

use super::Cell;
use crate::error::Result;
use crate::frame::{Entry, MetricFrame};
use crate::metrics::{Aggregate, ByGroup, Measure, Undefined, Value};

/// A named disparity of Fairlearn / AIF360 with its value and interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedDisparity {
    /// Its name, e.g. `demographic-parity difference`.
    pub name: String,
    /// How it is computed from the frame, e.g. `difference of selection_rate`.
    pub definition: String,
    /// Its value and interval.
    pub estimate: Cell,
}

pub(super) const UNDEFINED_EO: Undefined = Undefined {
    reason: "the TPR or FPR difference is undefined",
};

/// max(TPR difference, FPR difference), as Fairlearn's `equalized_odds_difference`.
pub(super) fn equalized_odds(tpr: &ByGroup, fpr: &ByGroup) -> Value {
    match (
        tpr.disparity(Aggregate::Difference),
        fpr.disparity(Aggregate::Difference),
    ) {
        (Ok(a), Ok(b)) => Ok(a.value.max(b.value)),
        _ => Err(UNDEFINED_EO),
    }
}

/// The named disparities whose metric the frame has, in a fixed order.
pub(super) fn named_disparities(
    frame: &MetricFrame,
    equalized_odds_cell: Option<Cell>,
) -> Result<Vec<NamedDisparity>> {
    let sr = Measure::SelectionRate.to_string();
    let tpr = Measure::Tpr.to_string();
    let fpr = Measure::Fpr.to_string();
    let table: [(&str, &String, Aggregate); 6] = [
        ("demographic-parity difference", &sr, Aggregate::Difference),
        (
            "demographic-parity ratio (disparate impact)",
            &sr,
            Aggregate::Ratio,
        ),
        ("equal-opportunity difference", &tpr, Aggregate::Difference),
        (
            "false-positive-rate difference",
            &fpr,
            Aggregate::Difference,
        ),
        (
            "predictive-parity difference",
            &Measure::Ppv.to_string(),
            Aggregate::Difference,
        ),
        (
            "error-rate difference",
            &Measure::ErrorRate.to_string(),
            Aggregate::Difference,
        ),
    ];
    let mut out = Vec::new();
    for (name, metric, aggregate) in table {
        if frame.column(metric).is_some() {
            out.push(NamedDisparity {
                name: name.to_string(),
                definition: format!("{aggregate} of {metric} across groups"),
                estimate: Cell::of(frame, metric, Entry::Summary(aggregate))?,
            });
        }
    }
    if let (Some(t), Some(f)) = (frame.column(&tpr), frame.column(&fpr)) {
        let estimate = match equalized_odds_cell {
            Some(cell) => cell,
            None => Cell::new(equalized_odds(t, f), None),
        };
        out.push(NamedDisparity {
            name: "equalized-odds difference".into(),
            definition: format!("larger of the differences of {tpr} and {fpr}"),
            estimate,
        });
    }
    Ok(out)
}
