//! [`DistributionPlot`]: several distributions over the same categories as side-by-side bars
//! (e.g. each group's credit-score distribution at the start and at the end).

use std::path::Path;

use plotters::prelude::*;

use super::{colour, plot_error, tick, write_svg, FONT};
use crate::error::{Result, SimError};

/// One set of bars: a legend label and one value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct Bars {
    /// The legend label.
    pub label: String,
    /// One value per category.
    pub values: Vec<f64>,
}

/// Plot settings for distributions as side-by-side bars.
///
/// ```
/// use fairfit::sim::plot::{Bars, DistributionPlot};
/// let bars = vec![
///     Bars { label: "start".into(), values: vec![0.2, 0.5, 0.3] },
///     Bars { label: "end".into(), values: vec![0.1, 0.4, 0.5] },
/// ];
/// let svg = DistributionPlot::new("Credit", "cluster", "share").render(&["0", "1", "2"], &bars)?;
/// assert!(svg.contains("start"));
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPlot {
    title: String,
    x_label: String,
    y_label: String,
    size: (u32, u32),
}

impl DistributionPlot {
    /// A plot with a title and axis labels.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Self {
        Self {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            size: (960, 540),
        }
    }

    /// Writes the plot as an SVG file.
    pub fn write_svg(
        &self,
        categories: &[&str],
        bars: &[Bars],
        path: impl AsRef<Path>,
    ) -> Result<()> {
        write_svg(&self.render(categories, bars)?, path.as_ref())
    }

    /// Draws the bars; fails when a set has another number of values than there are
    /// categories, or there is nothing to draw.
    pub fn render(&self, categories: &[&str], bars: &[Bars]) -> Result<String> {
        if categories.is_empty() || bars.is_empty() {
            return Err(SimError::Record(format!(
                "`{}`: nothing to draw",
                self.title
            )));
        }
        for b in bars {
            crate::distribution::check_len(
                &b.label,
                b.values.len(),
                categories.len(),
                "one per category",
            )?;
        }
        let y_hi = bars
            .iter()
            .flat_map(|b| &b.values)
            .fold(0.0f64, |m, &v| m.max(v))
            .max(1e-9)
            * 1.3;
        let n = categories.len();
        let y_span = y_hi;
        let width = 0.8 / bars.len() as f64;
        let err = plot_error(&self.title);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let mut chart = ChartBuilder::on(&root)
                .caption(self.title.as_str(), (FONT, 22))
                .margin(12)
                .margin_right(36)
                .x_label_area_size(50)
                .y_label_area_size(70)
                .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..y_hi)
                .map_err(&err)?;
            let labels: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
            chart
                .configure_mesh()
                .x_desc(self.x_label.as_str())
                .y_desc(self.y_label.as_str())
                .axis_desc_style((FONT, 19))
                .label_style((FONT, 15))
                .disable_x_mesh()
                .y_label_formatter(&|y| tick(*y, y_span))
                .bold_line_style(BLACK.mix(0.10))
                .light_line_style(BLACK.mix(0.03))
                .x_labels(n)
                .x_label_formatter(&|x| {
                    let k = x.round();
                    if (x - k).abs() < 1e-6 && k >= 0.0 {
                        labels.get(k as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .draw()
                .map_err(&err)?;
            for (i, b) in bars.iter().enumerate() {
                let c = colour(i);
                let offset = -0.4 + width * i as f64;
                chart
                    .draw_series(b.values.iter().enumerate().map(|(k, &v)| {
                        let x0 = k as f64 + offset;
                        Rectangle::new([(x0, 0.0), (x0 + width * 0.92, v)], c.filled())
                    }))
                    .map_err(&err)?
                    .label(b.label.as_str())
                    .legend(move |(x, y)| {
                        Rectangle::new([(x, y - 6), (x + 16, y + 6)], c.filled())
                    });
            }
            chart
                .configure_series_labels()
                .position(legend_side(bars, n))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.4))
                .label_font((FONT, 15))
                .draw()
                .map_err(&err)?;
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

/// The upper corner above the lower bars: left when the left half of the categories holds the
/// smaller tallest bar, right otherwise.
fn legend_side(bars: &[Bars], n: usize) -> SeriesLabelPosition {
    let tallest = |range: std::ops::Range<usize>| {
        bars.iter()
            .flat_map(|b| b.values[range.clone()].iter().copied())
            .fold(0.0f64, f64::max)
    };
    if tallest(0..n / 2) <= tallest(n - n / 2..n) {
        SeriesLabelPosition::UpperLeft
    } else {
        SeriesLabelPosition::UpperRight
    }
}
