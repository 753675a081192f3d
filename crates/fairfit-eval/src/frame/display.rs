//! The frame as a readable text table.

use super::{Entry, MetricFrame};
use crate::estimate::Estimate;
use crate::metrics::Aggregate;

/// A readable table: one line per metric; columns overall, each group, difference and ratio;
/// values with 4 decimals, `[lower, upper]` when bootstrapped, `undefined` where there is none.
/// Then one line per notion: its column, value (and interval), and the groups it skipped.
impl std::fmt::Display for MetricFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut shown: Vec<(String, Entry)> = vec![("overall".into(), Entry::Overall)];
        shown.extend(
            self.groups
                .iter()
                .enumerate()
                .map(|(g, n)| (n.clone(), Entry::Group(g))),
        );
        shown.push(("difference".into(), Entry::Summary(Aggregate::Difference)));
        shown.push(("ratio".into(), Entry::Summary(Aggregate::Ratio)));
        let cell = |metric: &str, entry: Entry| -> String {
            match self.estimate(metric, entry) {
                Ok(Estimate {
                    value: Ok(v),
                    interval: Some(i),
                }) => {
                    format!("{v:.4} [{:.4}, {:.4}]", i.lower, i.upper)
                }
                Ok(Estimate {
                    value: Ok(v),
                    interval: None,
                }) => format!("{v:.4}"),
                _ => "undefined".into(),
            }
        };
        let mut rows: Vec<Vec<String>> = vec![std::iter::once("metric".to_string())
            .chain(shown.iter().map(|(h, _)| h.clone()))
            .collect()];
        for metric in self.metrics() {
            rows.push(
                std::iter::once(metric.to_string())
                    .chain(shown.iter().map(|&(_, e)| cell(metric, e)))
                    .collect(),
            );
        }
        let widths: Vec<usize> = (0..rows[0].len())
            .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
            .collect();
        for row in &rows {
            let line: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(c, &w)| format!("{c:<w$}"))
                .collect();
            writeln!(f, "{}", line.join("  ").trim_end())?;
        }
        for notion in &self.notions {
            let value = match (notion.value, notion.interval) {
                (Ok(v), Some(i)) => format!("{v:.4} [{:.4}, {:.4}]", i.lower, i.upper),
                (Ok(v), None) => format!("{v:.4}"),
                (Err(u), _) => format!("undefined ({u})"),
            };
            let skipped: Vec<String> = notion
                .skipped
                .iter()
                .map(|(g, u)| format!("{g} ({u})"))
                .collect();
            if skipped.is_empty() {
                writeln!(f, "{}: {value}", notion.column())?;
            } else {
                writeln!(
                    f,
                    "{}: {value}; skipped {}",
                    notion.column(),
                    skipped.join(", ")
                )?;
            }
        }
        Ok(())
    }
}
