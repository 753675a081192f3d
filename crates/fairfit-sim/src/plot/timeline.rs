//! [`TimelinePlot`]: metrics over time, one line per series (its mean across seeds) with a shaded
//! band (a percentile range across seeds).

use std::path::Path;

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::{colour, plot_error, tick, write_svg, FONT};
use crate::error::{Result, SimError};
use crate::record::Band;

/// One line of a timeline: a legend label and its bands.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend label, e.g. `equal-opportunity, group 2`.
    pub label: String,
    /// The mean and band at each recorded step.
    pub bands: Vec<Band>,
    /// Draw the line dashed (e.g. for the second group of one agent).
    pub dashed: bool,
    /// Index of the colour (Okabe–Ito order), e.g. one per agent with its groups dashed.
    pub colour: usize,
}

/// Plot settings for metrics over time with bands across seeds.
///
/// ```
/// use fairfit::sim::lending::{LendingParams, ThresholdAgent};
/// use fairfit::sim::plot::{Series, TimelinePlot};
/// use fairfit::sim::{run, RunSpec};
/// let params = LendingParams::default().check()?;
/// let spec = RunSpec::new(400, 5)?.record_every(50)?;
/// let runs = run(&spec, |s| Ok(params.build(s)), |_| Ok(ThresholdAgent::max_utility_oracle(&params)))?;
/// let series: Vec<Series> = ["group 1", "group 2"]
///     .iter()
///     .enumerate()
///     .map(|(i, g)| Ok(Series { label: g.to_string(), bands: runs.bands(g, "credit", 0.05, 0.95)?, dashed: false, colour: i }))
///     .collect::<fairfit::sim::Result<_>>()?;
/// let svg = TimelinePlot::new("Group credit", "mean repayment probability").render(&series)?;
/// assert!(svg.contains("Group credit") && svg.contains("group 2"));
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePlot {
    title: String,
    y_label: String,
    x_label: String,
    band_note: String,
    size: (u32, u32),
}

impl TimelinePlot {
    /// A plot with a title and a y axis label; x is `Step`.
    pub fn new(title: impl Into<String>, y_label: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            y_label: y_label.into(),
            x_label: "Step".into(),
            band_note: "bands: 5–95 % of seeds".into(),
            size: (960, 540),
        }
    }

    /// Sets what the bands are, shown under the title (e.g. `bands: 5–95 % of 50 seeds`).
    pub fn band_note(mut self, note: impl Into<String>) -> Self {
        self.band_note = note.into();
        self
    }

    /// Writes the plot as an SVG file.
    pub fn write_svg(&self, series: &[Series], path: impl AsRef<Path>) -> Result<()> {
        write_svg(&self.render(series)?, path.as_ref())
    }

    /// Draws the series; fails when there is none or none has a point.
    pub fn render(&self, series: &[Series]) -> Result<String> {
        let points = series.iter().flat_map(|s| &s.bands);
        let (mut x_max, mut y_lo, mut y_hi) = (0.0f64, f64::INFINITY, f64::NEG_INFINITY);
        for b in points {
            x_max = x_max.max(b.step as f64);
            y_lo = y_lo.min(b.lower).min(b.mean);
            y_hi = y_hi.max(b.upper).max(b.mean);
        }
        if !y_lo.is_finite() {
            return Err(SimError::Record(format!(
                "`{}`: nothing to draw",
                self.title
            )));
        }
        let pad = ((y_hi - y_lo) * 0.05).max(1e-3);
        // Headroom above the data for the legend (about one line per series), so it hides nothing.
        let legend_room = (y_hi - y_lo).max(1e-3) * (0.065 * series.len() as f64 + 0.04);
        let corner = legend_corner(series, x_max.max(1.0), y_hi);
        let (y_lo, y_hi) = (y_lo - pad, y_hi + pad + legend_room);
        let x_max = x_max.max(1.0);
        let y_span = y_hi - y_lo;
        let err = plot_error(&self.title);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, self.size).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let title = format!("{} ({})", self.title, self.band_note);
            let mut chart = ChartBuilder::on(&root)
                .caption(title, (FONT, 22))
                .margin(12)
                .margin_right(36)
                .x_label_area_size(50)
                .y_label_area_size(80)
                .build_cartesian_2d(0.0..x_max, y_lo..y_hi)
                .map_err(&err)?;
            chart
                .configure_mesh()
                .x_desc(self.x_label.as_str())
                .y_desc(self.y_label.as_str())
                .axis_desc_style((FONT, 19))
                .label_style((FONT, 15))
                .bold_line_style(BLACK.mix(0.10))
                .light_line_style(BLACK.mix(0.03))
                .x_label_formatter(&|x| format!("{x:.0}"))
                .y_label_formatter(&|y| tick(*y, y_span))
                .draw()
                .map_err(&err)?;
            for s in series {
                let c = colour(s.colour);
                let mut outline: Vec<(f64, f64)> =
                    s.bands.iter().map(|b| (b.step as f64, b.lower)).collect();
                outline.extend(s.bands.iter().rev().map(|b| (b.step as f64, b.upper)));
                chart
                    .draw_series(std::iter::once(Polygon::new(outline, c.mix(0.18).filled())))
                    .map_err(&err)?;
                let line: Vec<(f64, f64)> =
                    s.bands.iter().map(|b| (b.step as f64, b.mean)).collect();
                let style = c.stroke_width(2);
                let drawn = if s.dashed {
                    chart.draw_series(DashedLineSeries::new(line, 8, 5, style))
                } else {
                    chart.draw_series(LineSeries::new(line, style))
                };
                let dashed = s.dashed;
                drawn
                    .map_err(&err)?
                    .label(s.label.as_str())
                    .legend(move |(x, y)| {
                        // A dashed series shows dashes in the legend, a solid one a line.
                        let (dash, gap) = if dashed { (7, 5) } else { (26, 1) };
                        DashedPathElement::new(
                            vec![(x, y), (x + 26, y)],
                            dash,
                            gap,
                            c.stroke_width(3),
                        )
                    });
            }
            chart
                .configure_series_labels()
                .position(corner)
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

/// The upper corner for the legend: left or right, whichever half of the plot has fewer drawn
/// points (means and band edges) in the top quarter of the data's range, below the legend's
/// headroom.
fn legend_corner(series: &[Series], x_max: f64, y_top: f64) -> SeriesLabelPosition {
    let (y_lo, y_hi) = series
        .iter()
        .flat_map(|s| &s.bands)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), b| {
            (lo.min(b.lower).min(b.mean), hi.max(b.upper).max(b.mean))
        });
    let cut = y_top - (y_hi - y_lo) / 4.0;
    let mut counts = [0usize; 2];
    for b in series.iter().flat_map(|s| &s.bands) {
        let right = usize::from(b.step as f64 > x_max / 2.0);
        counts[right] += [b.mean, b.lower, b.upper]
            .iter()
            .filter(|&&y| y >= cut)
            .count();
    }
    if counts[1] < counts[0] {
        SeriesLabelPosition::UpperRight
    } else {
        SeriesLabelPosition::UpperLeft
    }
}
