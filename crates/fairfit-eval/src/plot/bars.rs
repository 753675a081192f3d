//! [`GroupBarPlot`]: per-group bars of chosen metrics of a [`MetricFrame`], with the overall
//! value as a grey first bar and bootstrap intervals as whiskers.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axes::{check_size, paper_mesh, tick_format};
use super::legend::{draw_inside, text_width, Entry as LegendEntry, Glyph};
use super::plot_error;
use super::style::{colour, FONT};
use super::whiskers::{caption, Whisker};
use crate::curve::{names, write_file};
use crate::error::{EvalError, Result};
use crate::frame::{Entry, MetricFrame};

/// Grey of the overall bar, so that the group colours stay those of the trade-off plots.
pub(super) const OVERALL: RGBColor = RGBColor(150, 150, 150);

/// The look of a bar's whisker (and of its legend glyph).
pub(super) fn whisker_style() -> ShapeStyle {
    BLACK.mix(0.75).stroke_width(1)
}

/// Plot settings for grouped bars: one cluster per metric, one bar per group (after a grey
/// `overall` bar), whiskers where the frame has intervals. Undefined values (e.g. a TPR in a
/// group without positives) get no bar and an `n/a` mark, never a zero bar; the legend says
/// what the whiskers are (e.g. `whiskers: 95 % bootstrap interval`). To compare several
/// models group by group (one series per model), see [`GroupBarPlot::render_models`].
///
/// ```
/// use fairfit::data::{Groups, SensitiveAttribute};
/// use fairfit::eval::frame::MetricFrame;
/// use fairfit::eval::metrics::{Measure, Outcomes};
/// use fairfit::eval::plot::GroupBarPlot;
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
                row.push((est.value.ok(), est.interval));
            }
            values.push(row);
        }
        let top = values
            .iter()
            .flatten()
            .flat_map(|(v, i)| v.iter().copied().chain(i.iter().map(|i| i.upper)))
            .fold(0.0_f64, f64::max);
        let bottom = values
            .iter()
            .flatten()
            .flat_map(|(v, i)| v.iter().copied().chain(i.iter().map(|i| i.lower)))
            .fold(0.0_f64, f64::min);
        let labels: Vec<String> = std::iter::once("overall".to_string())
            .chain(groups.iter().cloned())
            .collect();
        let mut legend: Vec<LegendEntry> = labels
            .iter()
            .enumerate()
            .map(|(e, label)| LegendEntry::new(label, Glyph::Bar(bar_colour(e))))
            .collect();
        if let Some(text) = caption(values.iter().flatten().filter_map(|(_, i)| i.as_ref())) {
            let glyph = Glyph::Whisker {
                style: whisker_style(),
                horizontal: false,
            };
            legend.push(LegendEntry::new(text, glyph));
        }
        // Room above the bars for the legend (one line per entry).
        let legend_share = ((legend.len() as f64 * 23.0 + 30.0) / (h as f64 - 150.0)).min(0.5);
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
            let y_fmt = tick_format(y0, y1);
            let x_fmt = |v: &f64| {
                let k = v.round();
                if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n {
                    metric_labels[k as usize].clone()
                } else {
                    String::new()
                }
            };
            paper_mesh(&mut chart.configure_mesh(), tick)
                .disable_x_mesh()
                .x_labels(n + 1)
                .x_label_formatter(&x_fmt)
                .y_labels(8)
                .y_label_formatter(&y_fmt)
                .y_desc(self.y_label.as_str())
                .draw()
                .map_err(&err)?;

            let k = entries.len() as f64;
            let width = 0.8 / k;
            // Caps a fifth of a bar wide either side of the whisker.
            let cap = (cluster_px * width * 0.2).round().clamp(2.0, 12.0) as i32;
            for e in 0..entries.len() {
                let c = bar_colour(e);
                let mut bars = Vec::new();
                let mut whiskers = Vec::new();
                let mut undefined = Vec::new();
                for (m, row) in values.iter().enumerate() {
                    let left = m as f64 - 0.4 + e as f64 * width;
                    let mid = left + width / 2.0;
                    match row[e].0 {
                        Some(v) => bars.push(Rectangle::new(
                            [(left + width * 0.08, 0.0), (left + width * 0.92, v)],
                            c.filled(),
                        )),
                        None => undefined.push(undefined_mark((mid, 0.0), c, false)),
                    }
                    if let Some(iv) = row[e].1 {
                        let (lo, hi) = ((mid, iv.lower), (mid, iv.upper));
                        whiskers.push(Whisker::new(lo, hi, cap, whisker_style()));
                    }
                }
                chart.draw_series(bars).map_err(&err)?;
                chart.draw_series(whiskers).map_err(&err)?;
                chart.draw_series(undefined).map_err(&err)?;
            }
            draw_inside(&mut chart, &legend, SeriesLabelPosition::UpperRight, 17).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

/// The colour of the `e`-th bar of a cluster: grey for `overall` (the first), then the groups'.
pub(super) fn bar_colour(e: usize) -> RGBColor {
    match e.checked_sub(1) {
        None => OVERALL,
        Some(g) => colour(g),
    }
}

/// The `n/a` mark of an undefined value at `at` (the bar's base), in the bar's colour: on the
/// base of a vertical bar, right of the base of a horizontal one.
pub(super) fn undefined_mark(
    at: (f64, f64),
    c: RGBColor,
    horizontal: bool,
) -> Text<'static, (f64, f64), &'static str> {
    let pos = if horizontal {
        Pos::new(HPos::Left, VPos::Center)
    } else {
        Pos::new(HPos::Center, VPos::Bottom)
    };
    Text::new("n/a", at, (FONT, 13).into_font().color(&c).pos(pos))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::test_frames::frame;

    #[test]
    fn bars_labels_whiskers_and_undefined_marks() {
        let svg = GroupBarPlot::new(&["selection_rate", "true_positive_rate"])
            .render(&frame(0, true))
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
        // (and the legend's whisker glyph, which says what they are).
        assert_eq!(whisker_lines, 7 * 3 + 3);
        assert!(texts.contains(&"whiskers: 95 % bootstrap interval"));
        let plain = GroupBarPlot::new(&["true_positive_rate"])
            .render(&frame(0, false))
            .unwrap();
        assert!(!plain.contains("opacity=\"0.75\""));
    }

    #[test]
    fn unknown_metrics_and_empty_lists_are_errors() {
        let f = frame(0, false);
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
