//! [`HeldoutPlot`]: a held-out study's [`Tally`] drawn — the violation rate against δ (one
//! panel per ε, the line `rate = δ` for reference) and held-out accuracy against ε.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axes::{paper_mesh, tick_format};
use super::legend::{draw_beside, legend_width, Entry, Glyph};
use super::plot_error;
use super::style::{colour, Marker, MarkerShape, FONT};
use crate::curve::write_file;
use crate::error::{EvalError, Result};
use crate::study::heldout::{Method, Tally, TallyRow};

/// The plots of a held-out study's [`Tally`] (builder: title and size, then a `write_*`).
///
/// ```
/// use fairfit::data::fairness::Notion;
/// use fairfit::eval::plot::HeldoutPlot;
/// use fairfit::eval::study::heldout::{HeldOut, Method, Record, Returned, Tally};
/// use fairfit::data::fairness::DecisionProfile;
/// let decisions = DecisionProfile {
///     groups: vec!["a".into(), "b".into()],
///     positive_rate: vec![Some(0.3), Some(0.35)],
///     overall_positive_rate: 0.32,
///     accuracy: 0.8,
///     majority_accuracy: 0.7,
/// };
/// let model = |gap: f64| Returned::Model(HeldOut { accuracy: 0.8, gap, decisions: decisions.clone() });
/// let records: Vec<Record> = [(Method::Validation, None, 0.06), (Method::Margin, Some(0.1), 0.03), (Method::Margin, Some(0.2), 0.04)]
///     .into_iter()
///     .map(|(method, delta, gap)| Record { seed: 1, method, epsilon: 0.05, delta, returned: model(gap) })
///     .collect();
/// let tally = Tally::new("toy", Notion::demographic_parity(), &records);
/// let svg = HeldoutPlot::default().title("toy").render_violations(&tally)?;
/// assert!(svg.contains("margin"));
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct HeldoutPlot {
    title: String,
    size: (u32, u32),
    majority: Option<f64>,
}

impl Default for HeldoutPlot {
    fn default() -> Self {
        Self {
            title: "Held-out guarantees".into(),
            size: (1500, 560),
            majority: None,
        }
    }
}

/// One line of a plot: its label and its points.
type Series = (String, Vec<(f64, f64)>);

impl HeldoutPlot {
    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets the size in pixels (at least 320 × 240).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// Draws the majority-class rule's accuracy as a reference line on the accuracy plot: a
    /// model below it is worse than deciding everyone alike.
    pub fn majority(mut self, accuracy: f64) -> Self {
        self.majority = Some(accuracy);
        self
    }

    /// Writes [`HeldoutPlot::render_violations`] as an SVG file.
    pub fn write_violations(&self, tally: &Tally, path: impl AsRef<Path>) -> Result<()> {
        write_file(path.as_ref(), self.render_violations(tally)?.as_bytes())
    }

    /// Writes [`HeldoutPlot::render_accuracy`] as an SVG file.
    pub fn write_accuracy(&self, tally: &Tally, path: impl AsRef<Path>) -> Result<()> {
        write_file(path.as_ref(), self.render_accuracy(tally)?.as_bytes())
    }

    /// The share of returned models whose held-out gap breaks ε, against δ: one panel per ε,
    /// one line per method (a method without δ is flat), and the line `rate = δ`.
    pub fn render_violations(&self, tally: &Tally) -> Result<String> {
        let epsilons = distinct(tally.rows().iter().map(|r| r.epsilon));
        let deltas = distinct(tally.rows().iter().filter_map(|r| r.delta));
        if epsilons.is_empty() || deltas.is_empty() {
            return Err(EvalError::Empty("a tally with ε and δ to plot".into()));
        }
        let (d0, d1) = (deltas[0], deltas[deltas.len() - 1]);
        let pad = ((d1 - d0) * 0.05).max(0.005);
        let panels: Vec<(f64, Vec<Series>)> = epsilons
            .iter()
            .map(|&e| {
                let rows: Vec<&TallyRow> = tally.rows().iter().filter(|r| r.epsilon == e).collect();
                let series = methods(&rows)
                    .into_iter()
                    .map(|m| {
                        let of_m = rows.iter().filter(|r| r.method == m);
                        let points: Vec<(f64, f64)> = if m.uses_delta() {
                            of_m.filter_map(|r| Some((r.delta?, r.violation_rate()?)))
                                .collect()
                        } else {
                            of_m.filter_map(|r| r.violation_rate())
                                .flat_map(|v| [(d0, v), (d1, v)])
                                .collect()
                        };
                        (m.key().to_string(), points)
                    })
                    .collect();
                (e, series)
            })
            .collect();
        let top = panels
            .iter()
            .flat_map(|(_, s)| s.iter().flat_map(|(_, p)| p.iter().map(|q| q.1)))
            .fold(d1, f64::max);
        let y = (0.0, (top * 1.05).clamp(0.05, 1.02));
        let labels = panels
            .first()
            .map(|(_, series)| series.iter().map(|(l, _)| l.clone()).collect())
            .unwrap_or_default();
        self.draw(
            "held-out violation plot",
            labels,
            Some("rate = δ"),
            |root| {
                let areas = root.split_evenly((1, panels.len()));
                for (area, (epsilon, series)) in areas.iter().zip(&panels) {
                    let caption = format!("ε = {epsilon}");
                    let reference = vec![(d0, d0), (d1, d1)];
                    panel(
                        area,
                        &caption,
                        (d0 - pad, d1 + pad),
                        y,
                        ("δ", "violation rate (of returned models)"),
                        series,
                        Some(reference),
                    )?;
                }
                Ok(())
            },
        )
    }

    /// Mean held-out accuracy of the returned models against ε: one line per method (per δ
    /// for a method with δ).
    pub fn render_accuracy(&self, tally: &Tally) -> Result<String> {
        let mut keys: Vec<(Method, Option<f64>)> = Vec::new();
        for r in tally.rows() {
            if !keys.contains(&(r.method, r.delta)) {
                keys.push((r.method, r.delta));
            }
        }
        let series: Vec<Series> = keys
            .iter()
            .map(|&(m, d)| {
                let label = match d {
                    Some(d) => format!("{m}, δ = {d}"),
                    None => m.key().to_string(),
                };
                let points = tally
                    .rows()
                    .iter()
                    .filter(|r| r.method == m && r.delta == d)
                    .filter_map(|r| Some((r.epsilon, r.accuracy?)))
                    .collect();
                (label, points)
            })
            .collect();
        let xs = distinct(tally.rows().iter().map(|r| r.epsilon));
        let ys: Vec<f64> = series
            .iter()
            .flat_map(|(_, p)| p.iter().map(|q| q.1))
            .collect();
        if xs.is_empty() || ys.is_empty() {
            return Err(EvalError::Empty("no returned model to plot".into()));
        }
        let (x0, x1) = (xs[0], xs[xs.len() - 1]);
        let xpad = ((x1 - x0) * 0.05).max(0.005);
        let with_majority = ys.iter().copied().chain(self.majority);
        let (lo, hi) = with_majority.fold((1.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
        let ypad = ((hi - lo) * 0.1).max(0.005);
        let labels = series.iter().map(|(l, _)| l.clone()).collect();
        let reference = self.majority.map(|m| vec![(x0 - xpad, m), (x1 + xpad, m)]);
        let reference_label = self.majority.map(|_| "majority class");
        self.draw("held-out accuracy plot", labels, reference_label, |root| {
            panel(
                root,
                "mean held-out accuracy of returned models",
                (x0 - xpad, x1 + xpad),
                (lo - ypad, hi + ypad),
                ("ε", "accuracy"),
                &series,
                reference,
            )
        })
    }

    /// Renders into an SVG string: a white canvas with the title, `body` drawing the charts,
    /// and beside them the legend of the series `labels` (in the colours and shapes
    /// [`panel`] gives them) and of the dashed reference line, if any.
    fn draw(
        &self,
        what: &str,
        labels: Vec<String>,
        reference: Option<&str>,
        body: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<()>,
    ) -> Result<String> {
        super::axes::check_size(self.size)?;
        let mut entries: Vec<Entry> = labels
            .into_iter()
            .enumerate()
            .map(|(k, label)| {
                let (c, shape) = (colour(k), MarkerShape::nth(k));
                let line = Some(c.stroke_width(2));
                Entry::new(
                    label,
                    Glyph::Marker {
                        shape,
                        colour: c,
                        line,
                    },
                )
            })
            .collect();
        if let Some(label) = reference {
            let style = BLACK.mix(0.6).stroke_width(2);
            entries.push(Entry::new(
                label,
                Glyph::Line {
                    style,
                    dash: Some((8, 5)),
                },
            ));
        }
        let side = legend_width(entries.iter().map(|e| e.label.as_str()), LEGEND_SIZE) as u32;
        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>(what);
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let root = root.titled(&self.title, (FONT, 26)).map_err(&err)?;
            let (charts, strip) = root.split_horizontally(self.size.0.saturating_sub(side + 10));
            body(&charts)?;
            draw_beside(&strip, &entries, 40, LEGEND_SIZE).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

/// Font size of the legend.
const LEGEND_SIZE: u32 = 15;

/// The distinct values, sorted.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

/// The methods of `rows`, in order of first appearance.
fn methods(rows: &[&TallyRow]) -> Vec<Method> {
    let mut found = Vec::new();
    for r in rows {
        if !found.contains(&r.method) {
            found.push(r.method);
        }
    }
    found
}

/// One chart: `series` as lines with markers (the `k`-th in the `k`-th colour and shape) and an
/// optional dashed reference line.
fn panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    caption: &str,
    (x0, x1): (f64, f64),
    (y0, y1): (f64, f64),
    (x_desc, y_desc): (&str, &str),
    series: &[Series],
    reference: Option<Vec<(f64, f64)>>,
) -> Result<()> {
    let err = plot_error::<std::io::Error>("held-out panel");
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 20))
        .margin(14)
        .x_label_area_size(54)
        .y_label_area_size(76)
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(&err)?;
    let (x_fmt, y_fmt) = (tick_format(x0, x1), tick_format(y0, y1));
    paper_mesh(&mut chart.configure_mesh(), 15)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .x_labels(6)
        .y_labels(8)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .draw()
        .map_err(&err)?;
    for (k, (_, points)) in series.iter().enumerate() {
        let (c, shape) = (colour(k), MarkerShape::nth(k));
        chart
            .draw_series(LineSeries::new(points.iter().copied(), c.stroke_width(2)))
            .map_err(&err)?;
        chart
            .draw_series(points.iter().map(|&p| Marker::new(p, shape, 4, c)))
            .map_err(&err)?;
    }
    if let Some(points) = reference {
        let style = BLACK.mix(0.6).stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(points, 8, 5, style))
            .map_err(&err)?;
    }
    Ok(())
}
