//! [`DisparityTimeline`]: the disparities of a monitored stream, window by window, against their
//! bounds, with the windows that raised an alert marked.

use std::path::Path;

use plotters::prelude::*;

use super::axes::{padded_range, paper_mesh, tick_format};
use super::legend::{draw_inside, Entry, Glyph};
use super::plot_error;
use super::style::{colour, Marker, MarkerShape, FONT};
use crate::curve::{names, write_file};
use crate::error::{EvalError, Result};
use crate::monitor::MonitorReport;

/// Plot settings for disparities over time: one line per bounded disparity with a marker at each
/// window's midpoint, a red ring around windows that raised an alert, and the bound as a dashed
/// line of the same colour.
///
/// ```
/// use fairfit::data::fairness::Notion;
/// use fairfit::eval::monitor::{Monitor, StreamRecord, WindowSpec};
/// use fairfit::eval::plot::DisparityTimeline;
/// let records: Vec<StreamRecord> = (0..40)
///     .map(|i| StreamRecord {
///         time: i as f64,
///         score: if i % 2 == 0 || i >= 20 { 1.0 } else { 0.0 },
///         label: None,
///         group: ["a", "b"][i % 2].into(),
///     })
///     .collect();
/// let report = Monitor::new(WindowSpec::Rows { size: 10, step: 10 })
///     .bound(Notion::demographic_parity(), 0.1)?
///     .run(&records)?;
/// let svg = DisparityTimeline::default().render(&report)?;
/// assert!(svg.contains("Demographic-parity difference"));
/// # Ok::<(), fairfit::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DisparityTimeline {
    title: String,
    x_label: String,
    size: (u32, u32),
}

impl Default for DisparityTimeline {
    fn default() -> Self {
        Self {
            title: "Disparity over time".into(),
            x_label: "Time (window midpoint)".into(),
            size: (900, 480),
        }
    }
}

/// Colour of the ring around alerting windows.
const ALERT: RGBColor = RGBColor(200, 0, 0);

impl DisparityTimeline {
    /// Sets the title.
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// Sets the x axis label (e.g. `Day`).
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// Writes the plot as an SVG file, creating parent directories.
    pub fn write_svg(&self, report: &MonitorReport, path: impl AsRef<Path>) -> Result<()> {
        let svg = self.render(report)?;
        write_file(path.as_ref(), svg.as_bytes())
    }

    /// Draws the bounded disparities of `report`; fails when it has no bounds or no window
    /// where a bounded disparity is defined.
    pub fn render(&self, report: &MonitorReport) -> Result<String> {
        let series: Vec<_> = report
            .bounds
            .iter()
            .map(|(b, limit)| (b, *limit, report.series(b)))
            .filter(|(_, _, s)| !s.is_empty())
            .collect();
        if series.is_empty() {
            return Err(EvalError::Empty(
                "no bounded disparity is defined in any window".into(),
            ));
        }
        let (x0, x1) = padded_range(
            series.iter().flat_map(|(_, _, s)| s.iter().map(|p| p.0)),
            0.03,
        );
        let top = series
            .iter()
            .flat_map(|(_, l, s)| s.iter().map(|p| p.1).chain(std::iter::once(*l)))
            .fold(0.0_f64, f64::max);
        let (y0, y1) = (0.0, (top * 1.35).max(0.05));
        let (w, h) = self.size;
        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>("disparity timeline");
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(&self.title, (FONT, 26))
                .margin(18)
                .x_label_area_size(62)
                .y_label_area_size(86)
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(&err)?;
            let (x_fmt, y_fmt) = (tick_format(x0, x1), tick_format(y0, y1));
            paper_mesh(&mut chart.configure_mesh(), 17)
                .x_desc(self.x_label.as_str())
                .y_desc("Disparity")
                .x_labels(10)
                .y_labels(8)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()
                .map_err(&err)?;
            let mut legend = Vec::new();
            for (k, (bound, limit, points)) in series.iter().enumerate() {
                let c = colour(k);
                let label = names::label(&bound.column());
                let (line, shape) = (c.stroke_width(2), MarkerShape::nth(k));
                chart
                    .draw_series(LineSeries::new(points.iter().copied(), line))
                    .map_err(&err)?;
                chart
                    .draw_series(points.iter().map(|&p| Marker::new(p, shape, 4, c)))
                    .map_err(&err)?;
                let glyph = Glyph::Marker {
                    shape,
                    colour: c,
                    line: Some(line),
                };
                legend.push(Entry::new(label, glyph));
                let alerted: Vec<(f64, f64)> = report
                    .alerts
                    .iter()
                    .filter(|a| &a.disparity == *bound)
                    .map(|a| ((a.start + a.end) / 2.0, a.value))
                    .collect();
                chart
                    .draw_series(
                        alerted
                            .iter()
                            .map(|&p| Circle::new(p, 8, ALERT.stroke_width(2))),
                    )
                    .map_err(&err)?;
                let limit = *limit;
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x0, limit), (x1, limit)],
                        8,
                        5,
                        line,
                    ))
                    .map_err(&err)?;
                let dash = Some((8, 5));
                legend.push(Entry::new(
                    format!("bound {limit}"),
                    Glyph::Line { style: line, dash },
                ));
            }
            legend.push(Entry::new("alert", Glyph::Ring(ALERT.stroke_width(2))));
            draw_inside(&mut chart, &legend, SeriesLabelPosition::UpperLeft, 17).map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}
