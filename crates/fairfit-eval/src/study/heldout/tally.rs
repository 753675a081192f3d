//! [`Tally`]: a held-out study's records counted per method, ε and δ — violation rate,
//! no-solution rate, accuracy and constant rules — as a table and a CSV.

use std::fmt;
use std::path::Path;

use fairfit_data::fairness::Notion;
use statrs::distribution::{Beta, ContinuousCDF};

use super::run::{Method, Record, Returned};
use crate::curve::{aligned, number, write_rows};
use crate::error::Result;

/// One method at one ε (and δ) over every re-split.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyRow {
    /// The method.
    pub method: Method,
    /// The bound on the gap.
    pub epsilon: f64,
    /// The confidence parameter, for the methods that read it.
    pub delta: Option<f64>,
    /// Re-splits run.
    pub runs: usize,
    /// Re-splits on which a model was returned.
    pub returned: usize,
    /// Re-splits on which the method said there was no solution.
    pub no_solution: usize,
    /// Re-splits on which the fit failed for another reason.
    pub failed: usize,
    /// Returned models whose held-out gap breaks ε.
    pub violations: usize,
    /// Returned models that decide every held-out row alike.
    pub constant_rules: usize,
    /// Returned models that decide every held-out row of some group alike (not every row).
    pub constant_in_a_group: usize,
    /// Mean held-out accuracy of the returned models.
    pub accuracy: Option<f64>,
    /// Mean held-out gap of the returned models.
    pub gap: Option<f64>,
}

impl TallyRow {
    /// The share of returned models whose held-out gap breaks ε (`None` when none was
    /// returned).
    pub fn violation_rate(&self) -> Option<f64> {
        (self.returned > 0).then(|| self.violations as f64 / self.returned as f64)
    }

    /// The share of runs that returned a model breaking ε: the probability a high-confidence
    /// method promises to keep below δ (a "no solution" is safe).
    pub fn unsafe_rate(&self) -> f64 {
        self.violations as f64 / self.runs.max(1) as f64
    }

    /// The two-sided Clopper–Pearson interval at `level` (in (0, 1)) of the probability behind
    /// [`TallyRow::unsafe_rate`]: exact for a binomial count, so it says how far the observed
    /// rate may lie from the true one by the luck of the re-splits alone.
    pub fn unsafe_interval(&self, level: f64) -> (f64, f64) {
        let (k, n) = (self.violations as f64, self.runs as f64);
        let tail = (1.0 - level.clamp(f64::EPSILON, 1.0 - f64::EPSILON)) / 2.0;
        let quantile = |a: f64, b: f64, p: f64| {
            Beta::new(a, b)
                .map(|beta| beta.inverse_cdf(p))
                .unwrap_or(f64::NAN)
        };
        let lower = if k == 0.0 {
            0.0
        } else {
            quantile(k, n - k + 1.0, tail)
        };
        let upper = if k >= n {
            1.0
        } else {
            quantile(k + 1.0, n - k, 1.0 - tail)
        };
        (lower, upper)
    }

    /// Whether the unsafe rate is consistent with a probability of at most δ (the row's δ):
    /// the lower end of its 95 % interval is at most δ. `None` for a method without δ.
    pub fn within_delta(&self) -> Option<bool> {
        self.delta.map(|d| self.unsafe_interval(0.95).0 <= d)
    }

    /// The share of runs that returned no model.
    pub fn no_solution_rate(&self) -> f64 {
        self.no_solution as f64 / self.runs.max(1) as f64
    }
}

/// A held-out study's records on one data set, counted per method, ε and δ (rows sorted by
/// method, then ε, then δ).
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// The data set, e.g. `adult`.
    pub data: String,
    /// The notion whose gap is bounded.
    pub notion: Notion,
    rows: Vec<TallyRow>,
}

impl Tally {
    /// Counts `records` (of every re-split) of `notion` on `data`.
    pub fn new(data: impl Into<String>, notion: Notion, records: &[Record]) -> Self {
        let mut rows: Vec<TallyRow> = Vec::new();
        let mut sums: Vec<(f64, f64)> = Vec::new();
        for r in records {
            let k = match rows
                .iter()
                .position(|t| t.method == r.method && t.epsilon == r.epsilon && t.delta == r.delta)
            {
                Some(k) => k,
                None => {
                    rows.push(TallyRow {
                        method: r.method,
                        epsilon: r.epsilon,
                        delta: r.delta,
                        runs: 0,
                        returned: 0,
                        no_solution: 0,
                        failed: 0,
                        violations: 0,
                        constant_rules: 0,
                        constant_in_a_group: 0,
                        accuracy: None,
                        gap: None,
                    });
                    sums.push((0.0, 0.0));
                    rows.len() - 1
                }
            };
            let row = &mut rows[k];
            row.runs += 1;
            match &r.returned {
                Returned::Model(m) => {
                    row.returned += 1;
                    row.violations += usize::from(m.violates(&notion, r.epsilon));
                    row.constant_rules += usize::from(m.decisions.constant().is_some());
                    row.constant_in_a_group += usize::from(m.decisions.constant_in_a_group());
                    sums[k].0 += m.accuracy;
                    sums[k].1 += m.gap;
                }
                Returned::NoSolution => row.no_solution += 1,
                Returned::Failed(_) => row.failed += 1,
            }
        }
        for (row, (accuracy, gap)) in rows.iter_mut().zip(sums) {
            if row.returned > 0 {
                row.accuracy = Some(accuracy / row.returned as f64);
                row.gap = Some(gap / row.returned as f64);
            }
        }
        rows.sort_by(|a, b| {
            (a.method, a.epsilon, a.delta.unwrap_or(0.0))
                .partial_cmp(&(b.method, b.epsilon, b.delta.unwrap_or(0.0)))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        Self {
            data: data.into(),
            notion,
            rows,
        }
    }

    /// The rows, one per method, ε and δ, sorted.
    pub fn rows(&self) -> &[TallyRow] {
        &self.rows
    }

    /// The CSV lines of several tallies (one header): `data, notion, method, epsilon, delta,
    /// runs, returned, no_solution, failed, violations, violation_rate, unsafe_rate,
    /// unsafe_lower95, unsafe_upper95, no_solution_rate, constant_rules, constant_in_a_group,
    /// accuracy, gap` (the bounds are [`TallyRow::unsafe_interval`] at 0.95).
    pub fn write_csv(tallies: &[Tally], path: impl AsRef<Path>) -> Result<()> {
        let header = [
            "data",
            "notion",
            "method",
            "epsilon",
            "delta",
            "runs",
            "returned",
            "no_solution",
            "failed",
            "violations",
            "violation_rate",
            "unsafe_rate",
            "unsafe_lower95",
            "unsafe_upper95",
            "no_solution_rate",
            "constant_rules",
            "constant_in_a_group",
            "accuracy",
            "gap",
        ];
        let mut lines = vec![header.map(String::from).to_vec()];
        let optional = |v: Option<f64>| v.map(number).unwrap_or_default();
        for tally in tallies {
            for r in &tally.rows {
                lines.push(vec![
                    tally.data.clone(),
                    tally.notion.column(),
                    r.method.key().into(),
                    number(r.epsilon),
                    optional(r.delta),
                    r.runs.to_string(),
                    r.returned.to_string(),
                    r.no_solution.to_string(),
                    r.failed.to_string(),
                    r.violations.to_string(),
                    optional(r.violation_rate()),
                    number(r.unsafe_rate()),
                    number(r.unsafe_interval(0.95).0),
                    number(r.unsafe_interval(0.95).1),
                    number(r.no_solution_rate()),
                    r.constant_rules.to_string(),
                    r.constant_in_a_group.to_string(),
                    optional(r.accuracy),
                    optional(r.gap),
                ]);
            }
        }
        write_rows(path.as_ref(), &lines)
    }
}

impl fmt::Display for Tally {
    /// An aligned table: per method, ε and δ, the no-solution rate, the violation rate among
    /// returned models, the unsafe rate among all runs with its 95 % interval (and, for a
    /// method with δ, whether it is consistent with at most δ), mean held-out accuracy and
    /// gap, and the constant rules among returned models.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let percent = |v: f64| format!("{:.1}", 100.0 * v);
        let mut table = vec![[
            "method",
            "ε",
            "δ",
            "no sol. %",
            "viol. % of returned",
            "unsafe % of runs [95 % CI]",
            "≤ δ",
            "accuracy",
            "gap",
            "constant (in a group)",
        ]
        .map(String::from)
        .to_vec()];
        for r in &self.rows {
            let (lower, upper) = r.unsafe_interval(0.95);
            table.push(vec![
                r.method.key().into(),
                r.epsilon.to_string(),
                r.delta.map_or("—".into(), |d| d.to_string()),
                percent(r.no_solution_rate())
                    + &if r.failed > 0 {
                        format!(" (+{} failed)", r.failed)
                    } else {
                        String::new()
                    },
                r.violation_rate().map_or("—".into(), percent),
                format!(
                    "{} [{}, {}]",
                    percent(r.unsafe_rate()),
                    percent(lower),
                    percent(upper)
                ),
                match r.within_delta() {
                    None => String::new(),
                    Some(true) => "yes".into(),
                    Some(false) => "NO".into(),
                },
                r.accuracy.map_or("—".into(), |a| format!("{a:.4}")),
                r.gap.map_or("—".into(), |g| format!("{g:.4}")),
                format!("{} ({})", r.constant_rules, r.constant_in_a_group),
            ]);
        }
        write!(f, "{}", aligned(&table))
    }
}
