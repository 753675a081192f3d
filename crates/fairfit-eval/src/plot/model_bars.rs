//! [`GroupBarPlot::render_models`]: horizontal bars comparing several models group by group —
//! one row per (metric, group), one bar per model, whiskers where frames have intervals.

use std::path::Path;

use plotters::prelude::*;

use super::axes::{check_size, paper_mesh, tick_format};
use super::bars::{undefined_mark, whisker_style, GroupBarPlot};
use super::legend::{draw_inside, legend_width, text_width, Entry as LegendEntry, Glyph};
use super::plot_error;
use super::style::{colour, FONT};
use super::whiskers::{caption, Whisker};
use crate::curve::{names, write_file};
use crate::error::{EvalError, Result};
use crate::estimate::Interval;
use crate::frame::Entry;
use crate::model_frames::ModelFrames;

/// Font size of the row labels and of the legend.
const LABEL_SIZE: u32 = 15;
const LEGEND_SIZE: u32 = 17;

impl GroupBarPlot {
    /// Writes [`GroupBarPlot::render_models`] as an SVG file, creating parent directories.
    pub fn write_models_svg(&self, models: &ModelFrames, path: impl AsRef<Path>) -> Result<()> {
        let svg = self.render_models(models)?;
        write_file(path.as_ref(), svg.as_bytes())
    }

    /// Draws the models of `models` side by side, group by group, and returns the SVG text.
    ///
    /// Horizontal bars, so that long (intersectional) group names stay readable: one row per
    /// metric and entry (`overall`, then each group), one bar per model in its own colour with
    /// a legend, bootstrap whiskers where a frame has them (the legend says what they are),
    /// `n/a` where a value is undefined.
    /// The height grows with the number of rows (the size's height is a minimum). Fails on an
    /// empty metric list, no models, or a metric the frames do not have.
    ///
    /// ```
    /// use fairfit::data::Groups;
    /// use fairfit::eval::frame::MetricFrame;
    /// use fairfit::eval::metrics::{Measure, Outcomes};
    /// use fairfit::eval::model_frames::ModelFrames;
    /// use fairfit::eval::plot::GroupBarPlot;
    /// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1])?;
    /// let frame = |p: &[bool]| MetricFrame::new(&Outcomes::predictions_only(p)?, &groups, &[&Measure::SelectionRate]);
    /// let models = ModelFrames::from_frames([
    ///     ("unmitigated", frame(&[true, true, false, true])?),
    ///     ("mitigated", frame(&[true, false, true, false])?),
    /// ])?;
    /// let svg = GroupBarPlot::new(&["selection_rate"]).render_models(&models)?;
    /// // background, 3 rows × 2 models, 2 legend icons, legend fill and border:
    /// assert_eq!(svg.matches("<rect").count(), 1 + 6 + 2 + 2);
    /// assert!(svg.contains("unmitigated") && svg.contains("mitigated"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_models(&self, models: &ModelFrames) -> Result<String> {
        check_size(self.size)?;
        let (w, min_h) = self.size;
        if self.metrics.is_empty() {
            return Err(EvalError::Empty("no metric to draw".into()));
        }
        if models.models().is_empty() {
            return Err(EvalError::Empty("no model to draw".into()));
        }
        let entries: Vec<(String, Entry)> =
            std::iter::once(("overall".to_string(), Entry::Overall))
                .chain(
                    models
                        .groups()
                        .iter()
                        .enumerate()
                        .map(|(g, n)| (n.clone(), Entry::Group(g))),
                )
                .collect();
        // rows[r] = (label, per model (value or None if undefined, interval)).
        type Bar = (Option<f64>, Option<Interval>);
        // An unknown metric fails at its first estimate, naming the known ones.
        let mut rows: Vec<(String, Vec<Bar>)> = Vec::new();
        for metric in &self.metrics {
            for (name, entry) in &entries {
                let label = if self.metrics.len() == 1 {
                    name.clone()
                } else {
                    format!("{}: {name}", names::label(metric))
                };
                let bars = models
                    .models()
                    .iter()
                    .map(|model| {
                        let e = models.estimate(model, metric, *entry)?;
                        Ok((e.value.ok(), e.interval))
                    })
                    .collect::<Result<Vec<Bar>>>()?;
                rows.push((label, bars));
            }
        }
        let n_rows = rows.len();
        let n_models = models.models().len();
        let ends = || {
            rows.iter().flat_map(|(_, bars)| bars).flat_map(|(v, i)| {
                v.iter()
                    .copied()
                    .chain(i.iter().flat_map(|i| [i.lower, i.upper]))
            })
        };
        let hi = ends().fold(0.0_f64, f64::max);
        let lo = ends().fold(0.0_f64, f64::min);
        let hi = if hi > lo { hi } else { lo + 1.0 };

        // Sizes: each row as tall as its bars, labels as wide as the longest, and room on the
        // right of the longest bar for the legend.
        let row_px = (n_models as u32 * 14 + 12).max(22);
        let h = min_h.max(150 + n_rows as u32 * row_px);
        let label_area = rows
            .iter()
            .map(|(l, _)| text_width(l, f64::from(LABEL_SIZE)))
            .fold(40.0, f64::max) as u32
            + 18;
        let margin = 18;
        let plot_w = f64::from(w.saturating_sub(2 * margin + label_area)).max(100.0);
        let mut legend: Vec<LegendEntry> = models
            .models()
            .iter()
            .enumerate()
            .map(|(s, model)| LegendEntry::new(model, Glyph::Bar(colour(s))))
            .collect();
        let intervals = rows.iter().flat_map(|(_, bars)| bars.iter());
        if let Some(text) = caption(intervals.filter_map(|(_, i)| i.as_ref())) {
            let glyph = Glyph::Whisker {
                style: whisker_style(),
                horizontal: true,
            };
            legend.push(LegendEntry::new(text, glyph));
        }
        // The legend box and a gap left of it.
        let legend_w = legend_width(legend.iter().map(|e| e.label.as_str()), LEGEND_SIZE) + 12.0;
        let share = (legend_w / plot_w).min(0.6);
        let x1 = hi + (hi - lo) * share / (1.0 - share);
        let x0 = if lo < 0.0 { lo - 0.02 * (x1 - lo) } else { 0.0 };
        let title = self
            .title
            .clone()
            .unwrap_or_else(|| "Metrics by group and model".into());
        let labels: Vec<String> = rows.iter().map(|(l, _)| l.clone()).collect();

        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>("model bar plot");
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(&title, (FONT, 26))
                .margin(margin)
                .x_label_area_size(56)
                .y_label_area_size(label_area)
                .build_cartesian_2d(x0..x1, -0.5..(n_rows as f64 - 0.5))
                .map_err(&err)?;
            let x_fmt = tick_format(x0, x1);
            // Row r is drawn at y = n_rows − 1 − r, so the first row is on top.
            let y_fmt = |v: &f64| {
                let k = v.round();
                if (v - k).abs() < 1e-6 && k >= 0.0 && (k as usize) < n_rows {
                    labels[n_rows - 1 - k as usize].clone()
                } else {
                    String::new()
                }
            };
            paper_mesh(&mut chart.configure_mesh(), LABEL_SIZE)
                .disable_y_mesh()
                .y_labels(n_rows * 2 + 1)
                .y_label_formatter(&y_fmt)
                .x_labels(8)
                .x_label_formatter(&x_fmt)
                .x_desc(self.y_label.as_str())
                .draw()
                .map_err(&err)?;

            let band = 0.8 / n_models as f64;
            // Caps over a third of a bar's thickness either side of the whisker.
            let cap = (f64::from(row_px) * band * 0.8 * 0.35)
                .round()
                .clamp(2.0, 12.0) as i32;
            for s in 0..n_models {
                let c = colour(s);
                let mut bars = Vec::new();
                let mut whiskers = Vec::new();
                let mut undefined = Vec::new();
                for (r, (_, row)) in rows.iter().enumerate() {
                    let top = (n_rows - 1 - r) as f64 + 0.4 - s as f64 * band;
                    let (y_lo, y_hi) = (top - band * 0.9, top - band * 0.1);
                    let mid = (y_lo + y_hi) / 2.0;
                    match row[s].0 {
                        Some(v) => bars.push(Rectangle::new([(0.0, y_lo), (v, y_hi)], c.filled())),
                        None => undefined.push(undefined_mark((0.0, mid), c, true)),
                    }
                    if let Some(iv) = row[s].1 {
                        let (lo, hi) = ((iv.lower, mid), (iv.upper, mid));
                        whiskers.push(Whisker::new(lo, hi, cap, whisker_style()));
                    }
                }
                chart.draw_series(bars).map_err(&err)?;
                chart.draw_series(whiskers).map_err(&err)?;
                chart.draw_series(undefined).map_err(&err)?;
            }
            draw_inside(
                &mut chart,
                &legend,
                SeriesLabelPosition::UpperRight,
                LEGEND_SIZE,
            )
            .map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frame::MetricFrame;
    use crate::metrics::{Measure, Outcomes};
    use crate::plot::test_frames::frame;
    use fairfit_data::Groups;

    #[test]
    fn one_bar_per_model_and_row_with_legend_whiskers_and_undefined_marks() {
        let models = ModelFrames::from_frames([
            ("unmitigated", frame(0, true)),
            ("mitigated", frame(1, true)),
            ("third", frame(2, false)),
        ])
        .unwrap();
        let plot = GroupBarPlot::new(&["selection_rate", "true_positive_rate"]);
        let svg = plot.render_models(&models).unwrap();
        if let Ok(dir) = std::env::var("FAIRFIT_PLOT_DIR") {
            std::fs::write(Path::new(&dir).join("model_bars.svg"), &svg).unwrap();
        }
        let texts = super::super::svg_texts(&svg);
        for t in [
            "unmitigated",
            "mitigated",
            "third",
            "Selection rate: overall",
            "Selection rate: C",
            "True positive rate: C",
            "Metrics by group and model",
            "Value",
        ] {
            assert!(texts.contains(&t), "no `{t}` in {texts:?}");
        }
        // 8 rows × 3 models − 3 undefined (TPR of C) bars, background, 3 legend icons, legend box.
        assert_eq!(svg.matches("<rect").count(), 24 - 3 + 1 + 3 + 2);
        assert_eq!(texts.iter().filter(|t| **t == "n/a").count(), 3);
        // Whiskers (3 lines each) for the defined bars of the two bootstrapped models.
        let whisker_lines = svg
            .lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("opacity=\"0.75\""))
            .count();
        // (and the legend's whisker glyph, which says what they are).
        assert_eq!(whisker_lines, 2 * 7 * 3 + 3);
        assert!(texts.contains(&"whiskers: 95 % bootstrap interval"));
        // Three distinct model colours on the bars.
        for c in ["#0072B2", "#D55E00", "#009E73"] {
            assert!(svg.contains(&format!("fill=\"{c}\"")), "no {c}");
        }
        // The height grows with the rows: 20 groups need more than the default 520 pixels.
        let names: Vec<String> = (0..20).map(|i| format!("group {i}")).collect();
        let groups = Groups::new(names, (0..200).map(|i| i % 20).collect()).unwrap();
        let out =
            Outcomes::predictions_only(&(0..200).map(|i| i % 3 == 0).collect::<Vec<_>>()).unwrap();
        let f = MetricFrame::new(&out, &groups, &[&Measure::SelectionRate]).unwrap();
        let many = ModelFrames::from_frames([("a", f.clone()), ("b", f)]).unwrap();
        let tall = GroupBarPlot::new(&["selection_rate"])
            .render_models(&many)
            .unwrap();
        let height: u32 = tall
            .split("height=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .and_then(|s| s.parse().ok())
            .unwrap();
        assert!(height > 520 + 200, "{height}");
    }

    #[test]
    fn bad_requests_are_typed_errors() {
        let models = ModelFrames::from_frames([("a", frame(0, false))]).unwrap();
        assert!(matches!(
            GroupBarPlot::new(&["auc"]).render_models(&models),
            Err(EvalError::UnknownMetric { .. })
        ));
        assert!(matches!(
            GroupBarPlot::new(&[]).render_models(&models),
            Err(EvalError::Empty(_))
        ));
        assert!(matches!(
            GroupBarPlot::new(&["selection_rate"]).render_models(&ModelFrames::new()),
            Err(EvalError::Empty(_))
        ));
        assert!(matches!(
            GroupBarPlot::new(&["selection_rate"])
                .size(100, 100)
                .render_models(&models),
            Err(EvalError::InvalidParameter { name: "size", .. })
        ));
    }
}
