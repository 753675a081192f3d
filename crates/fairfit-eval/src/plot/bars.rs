//! [`GroupBarPlot`]: per-group bars of chosen metrics of a [`MetricFrame`], with the overall
//! value as a grey first bar and bootstrap intervals as whiskers.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot_error;
use super::style::{check_size, colour, decimals, draw_legend, text_width, FONT};
use crate::curve::{names, write_file};
use crate::error::{EvalError, Result};
use crate::frame::{Entry, MetricFrame};

/// Grey of the overall bar, so that the group colours stay those of the trade-off plots.
const OVERALL: RGBColor = RGBColor(150, 150, 150);

/// Plot settings for grouped bars: one cluster per metric, one bar per group (after a grey
/// `overall` bar), whiskers where the frame has intervals. Undefined values (e.g. a TPR in a
/// group without positives) get no bar and an `n/a` mark, never a zero bar. To compare several
/// models group by group (one series per model), see [`GroupBarPlot::render_models`].
///
/// ```
/// use fairfit_data::{Groups, SensitiveAttribute};
/// use fairfit_eval::frame::MetricFrame;
/// use fairfit_eval::metrics::{Measure, Outcomes};
/// use fairfit_eval::plot::GroupBarPlot;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
/// let out = Outcomes::classification(&[true, false, true, false], &[true, true, false, false])?;
/// let frame = MetricFrame::new(&out, &Groups::from_attribute(&sex)?, &[&Measure::SelectionRate])?;
/// let svg = GroupBarPlot::new(&["selection_rate"]).render(&frame)?;
/// // background, 3 bars (overall, F, M), 3 legend icons, legend fill and border:
/// assert_eq!(svg.matches("<rect").count(), 1 + 3 + 3 + 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GroupBarPlot {
    pub(super) metrics: Vec<String>,
    pub(super) title: Option<String>,
    pub(super) y_label: String,
    pub(super) size: (u32, u32),
}

impl GroupBarPlot {
    /// Bars of these metrics (frame column names), in this order.
    pub fn new(metrics: &[&str]) -> Self {
        Self {
            metrics: metrics.iter().map(|m| m.to_string()).collect(),
            title: None,
            y_label: "Value".into(),
            size: (800, 520),
        }
    }

    /// Sets the title (default `Metrics by group`).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the label of the value axis (default `Value`): the y axis of [`GroupBarPlot::render`],
    /// the x axis of the horizontal bars of [`GroupBarPlot::render_models`].
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// Sets the size in pixels (at least 320 × 240).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// Writes the plot of `frame` as an SVG file, creating parent directories.
    pub fn write_svg(&self, frame: &MetricFrame, path: impl AsRef<Path>) -> Result<()> {
        let svg = self.render(frame)?;
        write_file(path.as_ref(), svg.as_bytes())
    }

    /// Draws the plot of `frame` and returns the SVG text. Fails on an empty metric list or a
    /// metric the frame does not have.
    pub fn render(&self, frame: &MetricFrame) -> Result<String> {
        check_size(self.size)?;
        let (w, h) = self.size;
        if self.metrics.is_empty() {
            return Err(EvalError::Empty("no metric to draw".into()));
        }
        let groups = frame.groups();
        let entries: Vec<Entry> = std::iter::once(Entry::Overall)
            .chain((0..groups.len()).map(Entry::Group))
            .collect();
        // values[m][e] = (value or None if undefined, interval); an unknown metric fails at its
        // first estimate, naming the known ones.
        let mut values = Vec::new();
        for m in &self.metrics {
            let mut row = Vec::new();
            for &e in &entries {
                let est = frame.estimate(m, e)?;
                row.push((est.value.ok(), est.interval.map(|i| (i.lower, i.upper))));
            }
            values.push(row);
        }
        let top = values
            .iter()
            .flatten()
            .flat_map(|(v, i)| v.iter().copied().chain(i.iter().map(|i| i.1)))
            .fold(0.0_f64, f64::max);
        let bottom = values
            .iter()
            .flatten()
            .flat_map(|(v, i)| v.iter().copied().chain(i.iter().map(|i| i.0)))
            .fold(0.0_f64, f64::min);
        let labels: Vec<String> = std::iter::once("overall".to_string())
            .chain(groups.iter().cloned())
            .collect();
        // Room above the bars for the legend (one line per entry).
        let legend_share = ((labels.len() as f64 * 23.0 + 30.0) / (h as f64 - 150.0)).min(0.5);
        let y1 = if top > 0.0 {
            top / (1.0 - legend_share) * 1.02
        } else {
            1.0
        };
        let y0 = if bottom < 0.0 { bottom * 1.1 } else { 0.0 };
        let n = self.metrics.len();
        let title = self
            .title
            .clone()
            .unwrap_or_else(|| "Metrics by group".into());
        let metric_labels: Vec<String> = self.metrics.iter().map(|m| names::label(m)).collect();
        let cluster_px = (w as f64 - 130.0) / n as f64;
        let tick = if metric_labels
            .iter()
            .any(|l| text_width(l, 17.0) > cluster_px * 0.95)
        {
            14
        } else {
            17
        };

        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>("group bar plot");
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(&title, (FONT, 26))
                .margin(18)
                .x_label_area_size(50)
                .y_label_area_size(86)
                .build_cartesian_2d(-0.5..(n as f64 - 0.5), y0..y1)
                .map_err(&err)?;
            let dy = decimals(y1 - y0);
            let y_fmt = move |v: &f64| format!("{v:.dy$}");
            let x_fmt = |v: &f64| {
                let k = v.round();
                if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n {
                    metric_labels[k as usize].clone()
                } else {
                    String::new()
                }
            };
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(n + 1)
                .x_label_formatter(&x_fmt)
                .y_labels(8)
                .y_label_formatter(&y_fmt)
                .y_desc(self.y_label.as_str())
                .axis_desc_style((FONT, 21))
                .label_style((FONT, tick))
                .bold_line_style(BLACK.mix(0.10))
                .light_line_style(BLACK.mix(0.03))
                .axis_style(BLACK.mix(0.8))
                .draw()
                .map_err(&err)?;

            let k = entries.len() as f64;
            let width = 0.8 / k;
            for (e, label) in labels.iter().enumerate() {
                let c = if e == 0 { OVERALL } else { colour(e - 1) };
                let bars: Vec<_> = values
                    .iter()
                    .enumerate()
                    .filter_map(|(m, row)| {
                        let left = m as f64 - 0.4 + e as f64 * width;
                        row[e].0.map(|v| {
                            Rectangle::new(
                                [(left + width * 0.08, 0.0), (left + width * 0.92, v)],
                                c.filled(),
                            )
                        })
                    })
                    .collect();
                chart
                    .draw_series(bars)
                    .map_err(&err)?
                    .label(label.as_str())
                    .legend(move |(lx, ly)| {
                        Rectangle::new([(lx, ly - 6), (lx + 16, ly + 6)], c.filled())
                    });
                let mut whiskers = Vec::new();
                let mut undefined = Vec::new();
                for (m, row) in values.iter().enumerate() {
                    let mid = m as f64 - 0.4 + (e as f64 + 0.5) * width;
                    if let Some((lo, hi)) = row[e].1 {
                        let style = BLACK.mix(0.75).stroke_width(1);
                        whiskers.push(PathElement::new(vec![(mid, lo), (mid, hi)], style));
                        let cap = width * 0.2;
                        whiskers.push(PathElement::new(
                            vec![(mid - cap, lo), (mid + cap, lo)],
                            style,
                        ));
                        whiskers.push(PathElement::new(
                            vec![(mid - cap, hi), (mid + cap, hi)],
                            style,
                        ));
                    }
                    if row[e].0.is_none() {
                        undefined.push(
                            EmptyElement::at((mid, 0.0))
                                + Text::new(
                                    "n/a",
                                    (0, -4),
                                    (FONT, 13)
                                        .into_font()
                                        .color(&c)
                                        .pos(Pos::new(HPos::Center, VPos::Bottom)),
                                ),
                        );
                    }
                }
                chart.draw_series(whiskers).map_err(&err)?;
                chart.draw_series(undefined).map_err(&err)?;
            }
            draw_legend(&mut chart, SeriesLabelPosition::UpperRight, 17).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bootstrap::BootstrapParams;
    use crate::metrics::{Measure, Outcomes};
    use fairfit_data::{Groups, SensitiveAttribute};

    fn frame(boot: bool) -> MetricFrame {
        let g: Vec<&str> = (0..60).map(|i| ["A", "B", "C"][i % 3]).collect();
        let groups =
            Groups::from_attribute(&SensitiveAttribute::from_values("g", &g, None).unwrap())
                .unwrap();
        // Group C has no positive labels: its TPR is undefined.
        let y: Vec<bool> = (0..60).map(|i| i % 3 != 2 && i % 2 == 0).collect();
        let p: Vec<bool> = (0..60).map(|i| i % 4 == 0 || i % 5 == 0).collect();
        let out = Outcomes::classification(&y, &p).unwrap();
        let metrics: [&dyn crate::metrics::Metric; 2] = [&Measure::SelectionRate, &Measure::Tpr];
        if boot {
            BootstrapParams::default()
                .resamples(50)
                .seed(3)
                .check()
                .unwrap()
                .frame(&out, &groups, &metrics)
                .unwrap()
        } else {
            MetricFrame::new(&out, &groups, &metrics).unwrap()
        }
    }

    #[test]
    fn bars_labels_whiskers_and_undefined_marks() {
        let svg = GroupBarPlot::new(&["selection_rate", "true_positive_rate"])
            .render(&frame(true))
            .unwrap();
        let texts = super::super::svg_texts(&svg);
        for t in [
            "Selection rate",
            "True positive rate",
            "overall",
            "A",
            "B",
            "C",
            "Metrics by group",
            "n/a",
        ] {
            assert!(texts.contains(&t), "no `{t}` in {texts:?}");
        }
        // Bars: 2 metrics × 4 entries − 1 undefined; plus background, 4 legend icons, legend box
        // (fill and border).
        assert_eq!(svg.matches("<rect").count(), 7 + 1 + 4 + 2);
        assert_eq!(texts.iter().filter(|t| **t == "n/a").count(), 1);
        // Whiskers (3 lines each) for the 7 defined bars, drawn in 75 % black.
        let whisker_lines = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("opacity=\"0.75\""))
            .count();
        assert_eq!(whisker_lines, 7 * 3);
        let plain = GroupBarPlot::new(&["true_positive_rate"])
            .render(&frame(false))
            .unwrap();
        assert!(!plain.contains("opacity=\"0.75\""));
    }

    #[test]
    fn unknown_metrics_and_empty_lists_are_errors() {
        let f = frame(false);
        assert!(matches!(
            GroupBarPlot::new(&["auc"]).render(&f),
            Err(EvalError::UnknownMetric { .. })
        ));
        assert!(matches!(
            GroupBarPlot::new(&[]).render(&f),
            Err(EvalError::Empty(_))
        ));
    }
}
