//! The report as a Markdown document: headings, tables with `value [lower, upper]` cells.

use std::fmt::Write;

use fairfit_data::audit::FeatureType;

use super::{Cell, FairnessReport, TradeoffPosition};
use crate::curve::{names, Direction};
use crate::estimate::Estimate;
use crate::metrics::Measure;

/// The threshold of the "80% rule" (disparate impact ratio, EEOC Uniform Guidelines).
const FOUR_FIFTHS: f64 = 0.8;

impl FairnessReport {
    /// The report as a Markdown document: a summary, then sections on the data, the method, the
    /// metrics by group, the named disparities and (when given) the position on the trade-off.
    /// Numbers have four decimals; every estimate shows its interval as `value [lower, upper]`.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        // Writing to a String cannot fail.
        let _ = self.write_markdown(&mut md);
        md
    }

    fn write_markdown(&self, md: &mut String) -> std::fmt::Result {
        let ev = &self.evaluation;
        let level = percent(ev.level);
        writeln!(md, "# Fairness report: {}\n", self.title)?;

        // Summary.
        writeln!(md, "- **Method:** {}", method_line(self))?;
        writeln!(
            md,
            "- **Evaluated on:** the {} split{}, {level} percentile bootstrap intervals from {} \
             resamples stratified by group",
            ev.split,
            self.rows_evaluated()
                .map_or(String::new(), |n| format!(" ({n} rows)")),
            ev.resamples
        )?;
        writeln!(md, "- **Groups:** {}", ev.groups.join(", "))?;
        if let Some(dp) = self.disparity("demographic-parity difference") {
            writeln!(
                md,
                "- **Demographic-parity difference:** {}",
                cell(&dp.estimate)
            )?;
        }
        if let Some(di) = self.disparity("demographic-parity ratio (disparate impact)") {
            writeln!(
                md,
                "- **Disparate impact (selection-rate ratio):** {}; 80% rule: {}",
                cell(&di.estimate),
                four_fifths(&di.estimate, &level)
            )?;
        }
        if let Some(t) = &self.tradeoff {
            writeln!(md, "- **Trade-off:** {}", front_sentence(t))?;
        }

        // 1. Data.
        let d = &self.data;
        writeln!(md, "\n## 1. Data\n")?;
        writeln!(md, "Audit of `{}`: {} rows.\n", d.name, d.rows)?;
        writeln!(md, "| group | rows | share | positives | base rate |")?;
        writeln!(md, "|---|---:|---:|---:|---:|")?;
        for g in &d.groups {
            writeln!(
                md,
                "| {} | {} | {:.4} | {} | {:.4} |",
                esc(&g.group),
                g.rows,
                g.share,
                g.positives,
                g.base_rate
            )?;
        }
        let ratio = d
            .base_rate_ratio
            .map_or("undefined".to_string(), |r| format!("{r:.4}"));
        writeln!(
            md,
            "\nBase-rate difference {:.4}, ratio {ratio}: the labels themselves {} the 80% rule.\n",
            d.base_rate_difference,
            if d.passes_80_percent_rule {
                "pass"
            } else {
                "**fail**"
            }
        )?;
        writeln!(
            md,
            "Strongest proxies of the group ({} of {} features), ranked by the uncertainty \
             coefficient U = I(feature; group) / H(group):\n",
            d.top_proxies.len(),
            d.features
        )?;
        writeln!(md, "| rank | feature | type | MI (bits) | U | η |")?;
        writeln!(md, "|---:|---|---|---:|---:|---:|")?;
        for (k, p) in d.top_proxies.iter().enumerate() {
            let kind = match p.kind {
                FeatureType::Categorical => "categorical",
                FeatureType::Numeric => "numeric",
            };
            writeln!(
                md,
                "| {} | {} | {kind} | {:.4} | {:.4} | {} |",
                k + 1,
                esc(&p.feature),
                p.mutual_information,
                p.uncertainty,
                p.correlation_ratio
                    .map_or("–".to_string(), |e| format!("{e:.4}"))
            )?;
        }

        // 2. Method.
        let m = &self.method;
        writeln!(md, "\n## 2. Method\n")?;
        writeln!(md, "`{}`", m.name)?;
        if let Some(desc) = &m.description {
            writeln!(md, "\n{desc}")?;
        }
        if !m.params.is_empty() {
            writeln!(md, "\n| parameter | value |\n|---|---:|")?;
            for p in &m.params {
                writeln!(md, "| {} | {} |", esc(&p.name), p.value)?;
            }
        }

        // 3. Metrics by group.
        writeln!(md, "\n## 3. Metrics by group\n")?;
        writeln!(
            md,
            "On the {} split. Each cell is `value [lower, upper]`, a {level} percentile bootstrap \
             interval ({} resamples, stratified by group); `undefined` where a denominator is zero \
             (never reported as 0).\n",
            ev.split, ev.resamples
        )?;
        let header: Vec<String> = ev.groups.iter().map(|g| esc(g)).collect();
        writeln!(
            md,
            "| metric | overall | {} | difference | ratio |",
            header.join(" | ")
        )?;
        writeln!(md, "|---|{}", "---|".repeat(ev.groups.len() + 3))?;
        let count = Measure::Count.to_string();
        let mut partly_undefined = Vec::new();
        for row in &ev.metrics {
            let show = |c: &Cell| {
                if row.metric == count {
                    c.value.map_or_else(|| cell(c), |v| format!("{v:.0}"))
                } else {
                    cell(c)
                }
            };
            let groups: Vec<String> = row.groups.iter().map(show).collect();
            writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                esc(&row.metric),
                show(&row.overall),
                groups.join(" | "),
                show(&row.difference),
                cell(&row.ratio)
            )?;
            let labelled = std::iter::once(("overall".to_string(), &row.overall))
                .chain(ev.groups.iter().cloned().zip(&row.groups))
                .chain([
                    ("difference".to_string(), &row.difference),
                    ("ratio".to_string(), &row.ratio),
                ]);
            for (entry, c) in labelled {
                let replicates = c.interval.and_then(|i| i.replicates);
                if let Some(r) = replicates.filter(|r| r.undefined > 0) {
                    partly_undefined.push(format!(
                        "{} ({entry}): undefined in {} of {} resamples, left out of the interval",
                        row.metric,
                        r.undefined,
                        r.total()
                    ));
                }
            }
        }
        if !partly_undefined.is_empty() {
            writeln!(md)?;
            for line in partly_undefined {
                writeln!(md, "- {line}")?;
            }
        }

        // 4. Disparities.
        writeln!(md, "\n## 4. Disparities\n")?;
        writeln!(md, "| disparity | definition | value [{level} interval] |")?;
        writeln!(md, "|---|---|---|")?;
        for d in &self.disparities {
            writeln!(
                md,
                "| {} | {} | {} |",
                d.name,
                d.definition,
                cell(&d.estimate)
            )?;
        }

        // 5. Trade-off.
        if let Some(t) = &self.tradeoff {
            write_tradeoff(md, t)?;
        }
        Ok(())
    }

    fn disparity(&self, name: &str) -> Option<&super::NamedDisparity> {
        self.disparities.iter().find(|d| d.name == name)
    }

    /// Rows of the evaluated split, from the `count` metric when the frame has it.
    fn rows_evaluated(&self) -> Option<f64> {
        let count = Measure::Count.to_string();
        self.evaluation
            .metrics
            .iter()
            .find(|r| r.metric == count)
            .and_then(|r| r.overall.value)
    }
}

fn write_tradeoff(md: &mut String, t: &TradeoffPosition) -> std::fmt::Result {
    let (perf, gap) = (&t.performance, &t.gap);
    writeln!(md, "\n## 5. Position on the trade-off\n")?;
    writeln!(
        md,
        "Among {} points of {} ({}), on {} ({}) against {} ({}).\n",
        t.points,
        if t.methods.len() == 1 {
            "one method"
        } else {
            "several methods"
        },
        t.methods.join(", "),
        perf.label(),
        better(perf.direction),
        gap.label(),
        better(gap.direction)
    )?;
    writeln!(md, "| | {} | {} |", perf.label(), gap.label())?;
    writeln!(md, "|---|---|---|")?;
    writeln!(
        md,
        "| this model (point {}) | {} | {} |",
        t.index,
        estimate(&t.performance_value),
        estimate(&t.gap_value)
    )?;
    if let Some(b) = &t.best_at_its_gap {
        let who = if b.index == t.index {
            "this model itself".to_string()
        } else {
            format!(
                "point {} (`{}`{})",
                b.index,
                b.method,
                if b.params.is_empty() {
                    String::new()
                } else {
                    format!(", {}", b.params)
                }
            )
        };
        writeln!(
            md,
            "| best at its gap: {who} | {:.4} | {:.4} |",
            b.performance, b.gap
        )?;
    }
    writeln!(md)?;
    writeln!(md, "- This model is {}.", front_sentence(t))?;
    writeln!(
        md,
        "- Rank by {}: {} of {}; by {}: {} of {} (1 = best).",
        names::label(&perf.metric).to_lowercase(),
        t.performance_rank,
        t.points,
        names::label(&gap.metric).to_lowercase(),
        t.gap_rank,
        t.points
    )?;
    let front: Vec<String> = t.front.iter().map(usize::to_string).collect();
    writeln!(md, "- Pareto front: points {}.", front.join(", "))?;
    if let Some(b) = &t.best_at_its_gap {
        writeln!(
            md,
            "- Best point whose gap is no worse than this model's (chosen on the {} split): {}.",
            b.selected_on,
            if b.index == t.index {
                "this model".to_string()
            } else {
                format!(
                    "point {}, {} {:+.4} against this model",
                    b.index,
                    names::label(&perf.metric).to_lowercase(),
                    b.performance - t.performance_value.value
                )
            }
        )?;
    }
    Ok(())
}

fn front_sentence(t: &TradeoffPosition) -> String {
    if t.on_front {
        format!(
            "on the Pareto front of {} points (layer 1 of {})",
            t.points, t.layers
        )
    } else {
        let by: Vec<String> = t.dominated_by.iter().map(usize::to_string).collect();
        format!(
            "**not** on the Pareto front: dominated by point{} {} (layer {} of {})",
            if by.len() == 1 { "" } else { "s" },
            by.join(", "),
            t.pareto_layer,
            t.layers
        )
    }
}

fn method_line(r: &FairnessReport) -> String {
    let params: Vec<String> = r
        .method
        .params
        .iter()
        .map(|p| format!("{} = {}", p.name, p.value))
        .collect();
    if params.is_empty() {
        format!("`{}`", r.method.name)
    } else {
        format!("`{}` ({})", r.method.name, params.join(", "))
    }
}

/// `value [lower, upper]`, the value alone when the interval is a point at it, or `undefined`.
fn cell(c: &Cell) -> String {
    match (c.value, c.interval) {
        (Some(v), Some(i)) if !(i.lower == v && i.upper == v) => {
            format!("{v:.4} [{:.4}, {:.4}]", i.lower, i.upper)
        }
        (Some(v), _) => format!("{v:.4}"),
        (None, _) => format!(
            "undefined ({})",
            c.undefined.as_deref().unwrap_or("no value")
        ),
    }
}

fn estimate(e: &Estimate) -> String {
    match e.interval {
        Some(i) => format!("{:.4} [{:.4}, {:.4}]", e.value, i.lower, i.upper),
        None => format!("{:.4}", e.value),
    }
}

/// The 80% rule on a selection-rate ratio, judged on its interval when it has one.
fn four_fifths(c: &Cell, level: &str) -> String {
    match (c.value, c.interval) {
        (Some(_), Some(i)) if i.lower >= FOUR_FIFTHS => {
            format!("passes (the whole {level} interval is at least 0.8)")
        }
        (Some(_), Some(i)) if i.upper < FOUR_FIFTHS => {
            format!("**fails** (the whole {level} interval is below 0.8)")
        }
        (Some(_), Some(_)) => format!("inconclusive (the {level} interval contains 0.8)"),
        (Some(v), None) if v >= FOUR_FIFTHS => "passes (no interval)".into(),
        (Some(_), None) => "**fails** (no interval)".into(),
        (None, _) => "undefined".into(),
    }
}

fn better(direction: Direction) -> &'static str {
    match direction {
        Direction::Maximise => "higher is better",
        Direction::Minimise => "lower is better",
    }
}

/// A level such as 0.95 as `95%`.
fn percent(level: f64) -> String {
    format!("{}%", (level * 1000.0).round() / 10.0)
}

/// Escapes the characters that would break a table cell.
fn esc(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
