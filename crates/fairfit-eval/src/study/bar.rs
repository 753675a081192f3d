//! [`BarCheck`]: does a study clear its bars, read every way, and can an honest choice (made
//! without looking at test) clear them?

use std::fmt;
use std::path::Path;

use crate::curve::{aligned, names, write_rows, Axis, Split, TradeoffCurve};
use crate::error::Result;
use crate::pareto::{best_at_gap_by, GapSelection, SelectionRule};

use super::Reading;

/// A bar: under `gap ≤ bound` on test, a performance of at least `required` on test.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The gap metric (minimised), e.g. [`names::DP_DIFFERENCE`].
    pub gap: String,
    /// The largest gap allowed.
    pub bound: f64,
    /// The performance the chosen point must reach.
    pub required: f64,
}

impl Bar {
    /// The bar `gap ≤ bound`, performance ≥ `required`.
    pub fn new(gap: impl Into<String>, bound: f64, required: f64) -> Self {
        Self {
            gap: gap.into(),
            bound,
            required,
        }
    }
}

/// One bar read one way: the point chosen and whether it clears the bar.
#[derive(Debug, Clone, PartialEq)]
pub struct BarOutcome {
    /// The bar.
    pub bar: Bar,
    /// How the point was chosen: `chosen on <reading>`, or `best on the test frontier`.
    pub reading: String,
    /// The point chosen, if any point meets the bound where the choice is made.
    pub choice: Option<GapSelection>,
    /// Whether the choice reaches the required performance with a test gap within the bound.
    pub met: bool,
    /// Whether the choice was made without looking at test (every reading but the test
    /// frontier).
    pub honest: bool,
}

/// Whether a bar can be met honestly: the readings, chosen without looking at test, whose
/// point clears it, and whether the test frontier does.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The bar.
    pub bar: Bar,
    /// The honest readings that clear it (`chosen on ...`), in reading order; empty when none
    /// does.
    pub met_by: Vec<String>,
    /// Whether the best point on the test frontier clears it (possible in hindsight only).
    pub frontier_met: bool,
}

impl fmt::Display for Verdict {
    /// One line, e.g. `DP ≤ 0.02 at 0.660: met honestly, chosen on validation split, margin`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ≤ {} at {:.3}: ",
            short(&self.bar.gap),
            self.bar.bound,
            self.bar.required
        )?;
        match (self.met_by.as_slice(), self.frontier_met) {
            ([], true) => write!(f, "no honest choice meets it; only the test frontier does"),
            ([], false) => write!(f, "no honest choice meets it, nor does the test frontier"),
            (met_by, _) => {
                let readings: Vec<&str> = met_by
                    .iter()
                    .map(|r| r.strip_prefix("chosen on ").unwrap_or(r))
                    .collect();
                write!(f, "met honestly, chosen on {}", readings.join("; "))
            }
        }
    }
}

/// A gap metric's short name in tables: `DP`, `EO`, or its label.
fn short(gap: &str) -> String {
    match gap {
        names::DP_DIFFERENCE => "DP".to_string(),
        names::EO_DIFFERENCE => "EO".to_string(),
        other => names::label(other),
    }
}

/// Bars checked on each reading of a sweep and on its test frontier (the best point on test
/// itself: the reading of papers that plot test curves, which a study should report beside the
/// honest ones).
///
/// ```
/// use fairfit::eval::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
/// use fairfit::eval::study::{Bar, BarCheck, Reading};
/// let point = |val_acc: f64, test_acc: f64, gap: f64| {
///     CurvePoint::new("m")
///         .with_param("k", test_acc)
///         .with_metric(Split::Validation, names::ACCURACY, val_acc)
///         .with_metric(Split::Validation, names::DP_DIFFERENCE, gap)
///         .with_metric(Split::Test, names::ACCURACY, test_acc)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, gap)
/// };
/// let curve = TradeoffCurve::from_points(vec![point(0.9, 0.80, 0.01), point(0.8, 0.85, 0.01)])?;
/// let reading = Reading { name: "validation split".into(), curve, left_out: vec![], rule: Default::default() };
/// let bars = [Bar::new(names::DP_DIFFERENCE, 0.02, 0.84)];
/// let check = BarCheck::new(&bars, &[reading], &Axis::maximise(names::ACCURACY))?;
/// let met: Vec<bool> = check.outcomes().iter().map(|o| o.met).collect();
/// assert_eq!(met, [false, true]); // validation picks 0.80; the test frontier has 0.85
/// assert!(check.verdicts()[0].met_by.is_empty());
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BarCheck {
    performance: Axis,
    outcomes: Vec<BarOutcome>,
}

impl BarCheck {
    /// Checks each of `bars` on each of `readings` (in order), then on the test frontier of
    /// the first reading's points (every reading shares its test metrics), the performance
    /// read on `performance`'s axis.
    pub fn new(bars: &[Bar], readings: &[Reading], performance: &Axis) -> Result<Self> {
        let mut curves: Vec<(String, &TradeoffCurve, SelectionRule, bool)> = readings
            .iter()
            .map(|r| (format!("chosen on {}", r.name), &r.curve, r.rule, true))
            .collect();
        // Without validation metrics, `best_at_gap` chooses on the reported split: test.
        let on_test = match readings.first() {
            Some(r) => Some(TradeoffCurve::from_points(
                r.curve
                    .points()
                    .iter()
                    .map(|p| p.clone().without_metrics(Split::Validation))
                    .collect(),
            )?),
            None => None,
        };
        if let Some(curve) = &on_test {
            let reading = "best on the test frontier".to_string();
            curves.push((reading, curve, SelectionRule::Plain, false));
        }
        let mut outcomes = Vec::new();
        for bar in bars {
            let gap = Axis::minimise(bar.gap.clone());
            for (reading, curve, rule, honest) in &curves {
                let choice = best_at_gap_by(curve, performance, &gap, bar.bound, *rule)?;
                let met = choice
                    .as_ref()
                    .is_some_and(|c| c.performance >= bar.required && c.gap <= bar.bound);
                outcomes.push(BarOutcome {
                    bar: bar.clone(),
                    reading: reading.clone(),
                    choice,
                    met,
                    honest: *honest,
                });
            }
        }
        Ok(Self {
            performance: performance.clone(),
            outcomes,
        })
    }

    /// Every bar on every reading, bar by bar.
    pub fn outcomes(&self) -> &[BarOutcome] {
        &self.outcomes
    }

    /// Per bar (in order), whether an honest reading clears it and whether the test frontier
    /// does.
    pub fn verdicts(&self) -> Vec<Verdict> {
        let mut verdicts: Vec<Verdict> = Vec::new();
        for o in &self.outcomes {
            if verdicts.last().map(|v| &v.bar) != Some(&o.bar) {
                verdicts.push(Verdict {
                    bar: o.bar.clone(),
                    met_by: Vec::new(),
                    frontier_met: false,
                });
            }
            let Some(verdict) = verdicts.last_mut() else {
                continue;
            };
            match (o.met, o.honest) {
                (true, true) => verdict.met_by.push(o.reading.clone()),
                (true, false) => verdict.frontier_met = true,
                (false, _) => {}
            }
        }
        verdicts
    }

    /// Writes one CSV line per bar and reading: `gap, bound, required, reading, method,
    /// params, accuracy, gap_value, met` (empty point cells where nothing was chosen).
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let header = [
            "gap",
            "bound",
            "required",
            "reading",
            "method",
            "params",
            "accuracy",
            "gap_value",
            "met",
        ];
        let mut rows = vec![header.map(String::from).to_vec()];
        for o in &self.outcomes {
            let (method, params, performance, gap) = match &o.choice {
                Some(c) => (
                    c.method.clone(),
                    c.params.clone(),
                    c.performance.to_string(),
                    c.gap.to_string(),
                ),
                None => Default::default(),
            };
            rows.push(vec![
                o.bar.gap.clone(),
                o.bar.bound.to_string(),
                o.bar.required.to_string(),
                o.reading.clone(),
                method,
                params,
                performance,
                gap,
                o.met.to_string(),
            ]);
        }
        write_rows(path.as_ref(), &rows)
    }
}

impl fmt::Display for BarCheck {
    /// An aligned table: a line per bar, then per reading the test performance and gap of the
    /// point chosen, whether it meets the bar, and the point.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut table = vec![vec![
            "bound and bar; reading".to_string(),
            format!(
                "{} {} (gap)",
                self.performance.split,
                names::label(&self.performance.metric).to_lowercase()
            ),
            "bar".into(),
            "point".into(),
        ]];
        let mut last: Option<&Bar> = None;
        for o in &self.outcomes {
            if last != Some(&o.bar) {
                table.push(vec![
                    format!(
                        "{} ≤ {}, at least {:.3}",
                        short(&o.bar.gap),
                        o.bar.bound,
                        o.bar.required
                    ),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
                last = Some(&o.bar);
            }
            let (reached, point) = match &o.choice {
                Some(c) => (
                    format!("{:.4} (gap {:.4})", c.performance, c.gap),
                    format!("{} {}", c.method, c.params),
                ),
                None => ("—".into(), " ".into()),
            };
            table.push(vec![
                format!("  {}", o.reading),
                reached,
                if o.met { "met" } else { "not met" }.into(),
                point,
            ]);
        }
        write!(f, "{}", aligned(&table))
    }
}
