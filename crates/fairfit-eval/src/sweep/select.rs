//! [`SelectionTable`]: for every method and every gap bound, the point chosen on validation
//! (by its gap estimate, or by its gap interval: [`SelectionRule`]) and its test performance —
//! the table "best accuracy at gap ≤ x" of a comparison.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::curve::{aligned, names, number, write_file, write_rows, Axis, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::pareto::{best_at_gap_by, GapSelection, SelectionRule};

/// The name of the row that chooses among all methods' points together.
pub const ANY_METHOD: &str = "any method";

/// One row of a [`SelectionTable`]: a method (or [`ANY_METHOD`]) and its choice under each bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionRow {
    /// The method, or [`ANY_METHOD`].
    pub method: String,
    /// One entry per bound of the table, in its order; `None` when no point meets the bound on
    /// the selection split.
    pub choices: Vec<Option<GapSelection>>,
}

/// Best performance under gap bounds, per method and over all methods, chosen as
/// [`best_at_gap_by`](crate::pareto::best_at_gap_by) does under the table's [`SelectionRule`]
/// (on validation when the curve has it, so test never influences the choice; the reported
/// values are those on the axes' split, normally test).
///
/// ```
/// use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
/// use fairfit::eval::sweep::SelectionTable;
/// let point = |m: &str, val_gap: f64, val_acc: f64, test_acc: f64| {
///     CurvePoint::new(m)
///         .with_metric(Split::Validation, names::ACCURACY, val_acc)
///         .with_metric(Split::Validation, names::DP_DIFFERENCE, val_gap)
///         .with_metric(Split::Test, names::ACCURACY, test_acc)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, val_gap)
/// };
/// let curve = TradeoffCurve::from_points(vec![
///     point("a", 0.01, 0.80, 0.79),
///     point("a", 0.04, 0.84, 0.83),
///     point("b", 0.02, 0.82, 0.85),
/// ])?;
/// let dp = Axis::minimise(names::DP_DIFFERENCE);
/// let table = SelectionTable::new(&curve, &Axis::maximise(names::ACCURACY), &[(dp, 0.05)])?;
/// // Over all methods, validation prefers a's 0.84 to b's 0.82: test reports 0.83.
/// assert_eq!(table.best(0).unwrap().performance, 0.83);
/// assert_eq!(table.rows()[1].choices[0].as_ref().unwrap().performance, 0.85);
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionTable {
    /// The performance axis (its split is the reported one).
    pub performance: Axis,
    /// The gap axes and their bounds, one column each.
    pub bounds: Vec<(Axis, f64)>,
    /// How the selection split's metrics were obtained when it is not a plain split, e.g.
    /// `5-fold cross-validation` for a [`super::CrossValidation::selection_curve`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_by: Option<String>,
    /// What a point's gap on the selection split must satisfy: its estimate or its interval's
    /// far end within the bound.
    #[serde(default)]
    pub rule: SelectionRule,
    rows: Vec<SelectionRow>,
}

impl SelectionTable {
    /// The table of `curve` under the plain rule: one row per method (in order of first
    /// appearance), then the [`ANY_METHOD`] row; one column per `(gap axis, bound)`.
    pub fn new(curve: &TradeoffCurve, performance: &Axis, bounds: &[(Axis, f64)]) -> Result<Self> {
        Self::by_rule(curve, performance, bounds, SelectionRule::Plain)
    }

    /// The table of `curve` with points admitted by `rule` ([`SelectionRule::Margin`]: the far
    /// end of a point's gap interval on the selection split must meet the bound; every point
    /// needs that interval).
    pub fn by_rule(
        curve: &TradeoffCurve,
        performance: &Axis,
        bounds: &[(Axis, f64)],
        rule: SelectionRule,
    ) -> Result<Self> {
        if bounds.is_empty() {
            return Err(EvalError::InvalidParameter {
                name: "bounds",
                reason: "no gap bound given".into(),
            });
        }
        let row = |method: &str, sub: &TradeoffCurve, index: &[usize]| -> Result<SelectionRow> {
            let choices = bounds
                .iter()
                .map(|(gap, bound)| {
                    Ok(
                        best_at_gap_by(sub, performance, gap, *bound, rule)?.map(|mut s| {
                            s.index = index[s.index];
                            s
                        }),
                    )
                })
                .collect::<Result<_>>()?;
            Ok(SelectionRow {
                method: method.to_string(),
                choices,
            })
        };
        let mut rows = Vec::new();
        for method in curve.methods() {
            rows.push(row(
                method,
                &curve.of_method(method),
                &curve.indices_of(method),
            )?);
        }
        let all: Vec<usize> = (0..curve.len()).collect();
        rows.push(row(ANY_METHOD, curve, &all)?);
        Ok(Self {
            performance: performance.clone(),
            bounds: bounds.to_vec(),
            selected_by: None,
            rule,
            rows,
        })
    }

    /// Says how the selection metrics were obtained (e.g. `5-fold cross-validation`), for the
    /// printed header and the CSV's `selected_on` column.
    pub fn selected_by(mut self, how: impl Into<String>) -> Self {
        self.selected_by = Some(how.into());
        self
    }

    /// What the choice was made on: [`SelectionTable::selected_by`] when set, otherwise the
    /// split of the choices (validation when the curve has it).
    fn selection_source(&self) -> String {
        self.selected_by.clone().unwrap_or_else(|| {
            self.rows
                .iter()
                .flat_map(|r| r.choices.iter().flatten())
                .map(|s| s.selected_on.to_string())
                .next()
                .unwrap_or_else(|| "validation".into())
        })
    }

    /// The rows: one per method, then [`ANY_METHOD`].
    pub fn rows(&self) -> &[SelectionRow] {
        &self.rows
    }

    /// The choice over all methods under bound number `column`.
    pub fn best(&self, column: usize) -> Option<&GapSelection> {
        self.rows
            .last()
            .and_then(|r| r.choices.get(column))
            .and_then(Option::as_ref)
    }

    /// Writes the table in long form: one CSV line per method and bound (`method, gap, bound,
    /// method_chosen, params, selected_on, selection performance and gap, reported
    /// performance and gap, rule, selection.gap_margin`), empty cells where no point meets the
    /// bound (and an empty margin under the plain rule).
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let p = self.performance.name();
        let mut rows = vec![vec![
            "method".to_string(),
            "gap".into(),
            "bound".into(),
            "chosen_method".into(),
            "params".into(),
            "selected_on".into(),
            format!("selection.{}", self.performance.metric),
            "selection.gap".into(),
            p,
            "gap_value".into(),
            "rule".into(),
            "selection.gap_margin".into(),
        ]];
        for row in &self.rows {
            for ((gap, bound), choice) in self.bounds.iter().zip(&row.choices) {
                let mut cells = vec![row.method.clone(), gap.name(), number(*bound)];
                match choice {
                    Some(s) => cells.extend([
                        s.method.clone(),
                        s.params.clone(),
                        self.selected_by
                            .clone()
                            .unwrap_or_else(|| s.selected_on.to_string()),
                        number(s.selection_performance),
                        number(s.selection_gap),
                        number(s.performance),
                        number(s.gap),
                        self.rule.key().into(),
                        s.selection_margin.map(number).unwrap_or_default(),
                    ]),
                    None => {
                        cells.extend(std::iter::repeat(String::new()).take(7));
                        cells.extend([self.rule.key().into(), String::new()]);
                    }
                }
                rows.push(cells);
            }
        }
        write_rows(path.as_ref(), &rows)
    }

    /// Writes the table as pretty JSON.
    pub fn write_json(&self, path: impl AsRef<Path>) -> Result<()> {
        let text = serde_json::to_string_pretty(self)?;
        write_file(path.as_ref(), text.as_bytes())
    }
}

impl fmt::Display for SelectionTable {
    /// An aligned text table: per method and bound, the reported performance of the chosen
    /// point and, in brackets, its reported gap; `—` where no point meets the bound.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let short = |metric: &str| match metric {
            names::DP_DIFFERENCE => "DP".to_string(),
            names::EO_DIFFERENCE => "EO".to_string(),
            other => names::label(other),
        };
        writeln!(
            f,
            "{} of the point chosen on {}{} under each bound (its {} gap in brackets)",
            self.performance.label(),
            self.selection_source(),
            match self.rule {
                SelectionRule::Plain => "",
                SelectionRule::Margin => " with a margin (its gap's interval within the bound)",
            },
            self.performance.split,
        )?;
        let mut table = vec![std::iter::once("method".to_string())
            .chain(
                self.bounds
                    .iter()
                    .map(|(gap, bound)| format!("{} ≤ {bound}", short(&gap.metric))),
            )
            .collect::<Vec<_>>()];
        for row in &self.rows {
            table.push(
                std::iter::once(row.method.clone())
                    .chain(row.choices.iter().map(|c| match c {
                        Some(s) => format!("{:.4} ({:.3})", s.performance, s.gap),
                        None => "—".into(),
                    }))
                    .collect(),
            );
        }
        write!(f, "{}", aligned(&table))
    }
}
