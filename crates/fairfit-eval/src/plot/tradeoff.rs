//! [`TradeoffPlot`]: every method's points on two axes (by default test accuracy against test
//! demographic-parity difference), with the method's path, its Pareto front and interval bars.

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot_error;
use super::style::{
    check_size, colour, decimals, draw_legend, padded_range, text_width, Marker, MarkerShape, FONT,
};
use crate::curve::{names, write_file, Axis, TradeoffCurve};
use crate::error::Result;
use crate::pareto::front_of;

/// Plot settings for a trade-off picture: which axes, what to draw, title and size.
///
/// One marker per point; a method's points share a colour and shape, are joined in curve order
/// (the order of the path's parameter) and, optionally, its Pareto front is drawn as a step line
/// (the boundary of what the method attains). Where a point has an interval on an axis, a
/// whisker shows it.
///
/// ```
/// use fairfit_eval::curve::{names, CurvePoint, Split, TradeoffCurve};
/// use fairfit_eval::plot::TradeoffPlot;
/// let curve = TradeoffCurve::from_points(vec![
///     CurvePoint::new("baseline")
///         .with_metric(Split::Test, names::ACCURACY, 0.85)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, 0.18),
/// ])?;
/// let svg = TradeoffPlot::default().title("Adult").render(&curve)?;
/// assert!(svg.contains("Demographic-parity difference (test)"));
/// assert!(svg.contains("baseline"));
/// assert_eq!(svg.matches("<circle").count(), 2); // the point and its legend icon
/// # Ok::<(), fairfit_eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct TradeoffPlot {
    x: Axis,
    y: Axis,
    title: Option<String>,
    size: (u32, u32),
    connect: bool,
    front: bool,
    intervals: bool,
}

impl Default for TradeoffPlot {
    /// Test accuracy (y) against test demographic-parity difference (x), points joined, interval
    /// bars on, fronts off, 800 × 560 pixels.
    fn default() -> Self {
        Self {
            x: Axis::minimise(names::DP_DIFFERENCE),
            y: Axis::maximise(names::ACCURACY),
            title: None,
            size: (800, 560),
            connect: true,
            front: false,
            intervals: true,
        }
    }
}

impl TradeoffPlot {
    /// Chooses the two axes (any metrics on any splits).
    pub fn axes(mut self, x: Axis, y: Axis) -> Self {
        self.x = x;
        self.y = y;
        self
    }

    /// Sets the title (default: the two metrics' names).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// Sets the size in pixels (at least 320 × 240).
    pub fn size(mut self, width: u32, height: u32) -> Self {
        self.size = (width, height);
        self
    }

    /// Whether a method's points are joined in curve order (default on).
    pub fn connect(mut self, on: bool) -> Self {
        self.connect = on;
        self
    }

    /// Whether each method's Pareto front is drawn as a step line (default off).
    pub fn front(mut self, on: bool) -> Self {
        self.front = on;
        self
    }

    /// Whether intervals are drawn as whiskers where points have them (default on).
    pub fn intervals(mut self, on: bool) -> Self {
        self.intervals = on;
        self
    }

    /// The x axis.
    pub fn x_axis(&self) -> &Axis {
        &self.x
    }

    /// The y axis.
    pub fn y_axis(&self) -> &Axis {
        &self.y
    }

    fn default_title(&self) -> String {
        let (x, y) = (&self.x, &self.y);
        let lower = |s: String| {
            let mut c = s.chars();
            match c.next() {
                Some(f) => f.to_lowercase().chain(c).collect(),
                None => s,
            }
        };
        if x.title.is_some() || y.title.is_some() {
            return format!("{} vs {}", y.label(), lower(x.label()));
        }
        let same_split = if x.split == y.split {
            format!(" ({})", x.split)
        } else {
            String::new()
        };
        format!(
            "{} vs {}{same_split}",
            names::label(&y.metric),
            lower(names::label(&x.metric))
        )
    }

    /// Writes the plot of `curve` as an SVG file, creating parent directories.
    pub fn write_svg(&self, curve: &TradeoffCurve, path: impl AsRef<Path>) -> Result<()> {
        let svg = self.render(curve)?;
        write_file(path.as_ref(), svg.as_bytes())
    }

    /// Draws the plot of `curve` and returns the SVG text.
    ///
    /// Fails when the curve is empty or a point lacks a metric of either axis.
    pub fn render(&self, curve: &TradeoffCurve) -> Result<String> {
        check_size(self.size)?;
        let (w, h) = self.size;
        let coords = curve.coordinates(&self.x, &self.y)?;
        let (x, y) = (&self.x, &self.y);
        let whisker = |i: usize, axis: &Axis| {
            curve.points()[i]
                .metric(axis.split, &axis.metric)
                .and_then(|e| e.interval)
                .filter(|_| self.intervals)
        };
        // Everything drawn: the points and the ends of their whiskers (the legend avoids both).
        let mut drawn = coords.clone();
        for (i, &(px, py)) in coords.iter().enumerate() {
            if let Some(iv) = whisker(i, x) {
                drawn.extend([(iv.lower, py), (iv.upper, py)]);
            }
            if let Some(iv) = whisker(i, y) {
                drawn.extend([(px, iv.lower), (px, iv.upper)]);
            }
        }
        let (x0, x1) = padded_range(drawn.iter().map(|c| c.0), 0.06);
        let (y0, mut y1) = padded_range(drawn.iter().map(|c| c.1), 0.08);

        let methods = curve.methods();
        let mut legend_labels: Vec<String> = methods.iter().map(|m| m.to_string()).collect();
        if self.front {
            legend_labels.push("Pareto front".into());
        }
        let title = self.title.clone().unwrap_or_else(|| self.default_title());
        let layout = Layout::new(w, h);
        let place = layout.legend_place(&legend_labels, &drawn, (x0, x1), (y0, y1));
        if let LegendPlace::Inside(_, grow) = place {
            y1 += (y1 - y0) * grow;
        }
        let legend_px = layout.legend_width(&legend_labels);

        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>("trade-off plot");
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let (main, side) = match place {
                LegendPlace::Outside => {
                    let (main, side) = root.split_horizontally(w.saturating_sub(legend_px));
                    (main, Some(side))
                }
                LegendPlace::Inside(..) => (root.clone(), None),
            };
            let mut chart = ChartBuilder::on(&main)
                .caption(&title, (FONT, layout.title_size))
                .margin(layout.margin)
                .x_label_area_size(layout.x_label_area)
                .y_label_area_size(layout.y_label_area)
                .build_cartesian_2d(x0..x1, y0..y1)
                .map_err(&err)?;
            let (dx, dy) = (decimals(x1 - x0), decimals(y1 - y0));
            let x_fmt = move |v: &f64| format!("{v:.dx$}");
            let y_fmt = move |v: &f64| format!("{v:.dy$}");
            chart
                .configure_mesh()
                .x_desc(x.label())
                .y_desc(y.label())
                .axis_desc_style((FONT, layout.axis_title_size))
                .label_style((FONT, layout.tick_size))
                .x_labels(8)
                .y_labels(8)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .bold_line_style(BLACK.mix(0.10))
                .light_line_style(BLACK.mix(0.03))
                .axis_style(BLACK.mix(0.8))
                .draw()
                .map_err(&err)?;

            for (m, method) in methods.iter().enumerate() {
                let (c, shape) = (colour(m), MarkerShape::nth(m));
                let idx = curve.indices_of(method);
                let pts: Vec<(f64, f64)> = idx.iter().map(|&i| coords[i]).collect();
                if self.intervals {
                    draw_whiskers(&mut chart, &idx, &coords, |i, a| whisker(i, a), x, y, c)
                        .map_err(&err)?;
                }
                if self.connect && pts.len() > 1 {
                    let style = if self.front {
                        c.mix(0.35).stroke_width(1)
                    } else {
                        c.mix(0.7).stroke_width(2)
                    };
                    chart
                        .draw_series(LineSeries::new(pts.iter().copied(), style))
                        .map_err(&err)?;
                }
                if self.front {
                    let front: Vec<(f64, f64)> =
                        front_of(&pts, x, y).into_iter().map(|i| pts[i]).collect();
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            step_line(&front, x),
                            c.stroke_width(2),
                        )))
                        .map_err(&err)?;
                }
                chart
                    .draw_series(pts.iter().map(|&p| Marker::new(p, shape, layout.marker, c)))
                    .map_err(&err)?
                    .label(*method)
                    .legend(move |(lx, ly)| Marker::new((lx + 10, ly), shape, 5, c));
            }
            if self.front {
                chart
                    .draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                    .map_err(&err)?
                    .label("Pareto front")
                    .legend(|(lx, ly)| {
                        PathElement::new(vec![(lx, ly), (lx + 20, ly)], BLACK.stroke_width(2))
                    });
            }
            match (place, side) {
                (LegendPlace::Inside(corner, _), _) => {
                    draw_legend(&mut chart, corner, layout.legend_size).map_err(&err)?
                }
                (LegendPlace::Outside, Some(side)) => {
                    draw_side_legend(&side, &methods, self.front, &layout).map_err(&err)?
                }
                (LegendPlace::Outside, None) => {}
            }
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }
}

/// Where the legend goes: inside the plot in a corner (with the share of the y range to add on
/// top so that it covers nothing), or in a strip on the right of the plot.
#[derive(Debug, Clone)]
enum LegendPlace {
    Inside(SeriesLabelPosition, f64),
    Outside,
}

/// Draws the legend in the strip `side` on the right of the plot: one marker and name per
/// method (and the Pareto front's line), in a framed box aligned with the plot's top.
fn draw_side_legend(
    side: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    methods: &[&str],
    front: bool,
    layout: &Layout,
) -> std::result::Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let row = layout.legend_size as i32 + 6;
    let top = (layout.margin + layout.title_size * 2) as i32;
    let entries = methods.len() + usize::from(front);
    let (width, _) = side.dim_in_pixel();
    let bottom = top + 16 + row * entries as i32;
    side.draw(&Rectangle::new(
        [(0, top), (width as i32 - 6, bottom)],
        BLACK.mix(0.4).stroke_width(1),
    ))?;
    let font = (FONT, layout.legend_size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (m, method) in methods.iter().enumerate() {
        let y = top + 8 + row * m as i32 + row / 2;
        side.draw(&Marker::new((14, y), MarkerShape::nth(m), 5, colour(m)))?;
        side.draw(&Text::new(method.to_string(), (30, y), font.clone()))?;
    }
    if front {
        let y = top + 8 + row * methods.len() as i32 + row / 2;
        side.draw(&PathElement::new(
            vec![(4, y), (24, y)],
            BLACK.stroke_width(2),
        ))?;
        side.draw(&Text::new("Pareto front", (30, y), font))?;
    }
    Ok(())
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws interval whiskers (a line with end caps) for the points `idx` on both axes.
fn draw_whiskers(
    chart: &mut Chart<'_, '_>,
    idx: &[usize],
    coords: &[(f64, f64)],
    whisker: impl Fn(usize, &Axis) -> Option<crate::estimate::Interval>,
    x: &Axis,
    y: &Axis,
    c: RGBColor,
) -> std::result::Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let style = c.mix(0.8).stroke_width(1);
    let cap = 4;
    let mut bars = Vec::new();
    let mut caps = Vec::new();
    for &i in idx {
        let (px, py) = coords[i];
        if let Some(iv) = whisker(i, y) {
            bars.push(PathElement::new(
                vec![(px, iv.lower), (px, iv.upper)],
                style,
            ));
            for end in [iv.lower, iv.upper] {
                caps.push(
                    EmptyElement::at((px, end))
                        + PathElement::new(vec![(-cap, 0), (cap, 0)], style),
                );
            }
        }
        if let Some(iv) = whisker(i, x) {
            bars.push(PathElement::new(
                vec![(iv.lower, py), (iv.upper, py)],
                style,
            ));
            for end in [iv.lower, iv.upper] {
                caps.push(
                    EmptyElement::at((end, py))
                        + PathElement::new(vec![(0, -cap), (0, cap)], style),
                );
            }
        }
    }
    chart.draw_series(bars)?;
    chart.draw_series(caps)?;
    Ok(())
}

/// The step line through front points sorted by increasing x: the boundary of the region the
/// front attains. With x minimised, a point's y holds until the next point's x; with x
/// maximised, the next point's y holds back to this point's x.
pub(crate) fn step_line(front: &[(f64, f64)], x: &Axis) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(front.len() * 2);
    for (k, &p) in front.iter().enumerate() {
        if let Some(&prev) = k.checked_sub(1).map(|j| &front[j]) {
            let corner = match x.direction {
                crate::curve::Direction::Minimise => (p.0, prev.1),
                crate::curve::Direction::Maximise => (prev.0, p.1),
            };
            out.push(corner);
        }
        out.push(p);
    }
    out
}

/// Pixel sizes of the plot's parts, scaled with the picture.
struct Layout {
    w: u32,
    h: u32,
    margin: u32,
    x_label_area: u32,
    y_label_area: u32,
    title_size: u32,
    axis_title_size: u32,
    tick_size: u32,
    legend_size: u32,
    marker: i32,
}

impl Layout {
    fn new(w: u32, h: u32) -> Self {
        Self {
            w,
            h,
            margin: 18,
            x_label_area: 62,
            y_label_area: 86,
            title_size: 26,
            axis_title_size: 21,
            tick_size: 17,
            legend_size: 17,
            marker: 6,
        }
    }

    /// Width in pixels of a legend of `labels` (marker, gap, text, padding).
    fn legend_width(&self, labels: &[String]) -> u32 {
        let widest = labels
            .iter()
            .map(|l| text_width(l, self.legend_size as f64))
            .fold(0.0, f64::max);
        (widest + 26.0 + 30.0 + 12.0).ceil() as u32
    }

    /// Where the legend goes: a corner whose box covers none of `drawn` (points and whisker
    /// ends); else, for a short legend, the upper corner with fewer under it and a band added
    /// on top as tall as the box; else (a tall legend, many methods) a strip right of the plot.
    fn legend_place(
        &self,
        labels: &[String],
        coords: &[(f64, f64)],
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
    ) -> LegendPlace {
        let plot_w = (self.w - 2 * self.margin - self.y_label_area) as f64;
        let plot_h = (self.h - 2 * self.margin - self.x_label_area - self.title_size * 2) as f64;
        let box_w = f64::from(self.legend_width(labels)) / plot_w;
        let box_h = (labels.len() as f64 * (self.legend_size as f64 + 6.0) + 30.0) / plot_h;
        let normalised: Vec<(f64, f64)> = coords
            .iter()
            .map(|&(a, b)| ((a - x0) / (x1 - x0), (b - y0) / (y1 - y0)))
            .collect();
        let count = |left: bool, top: bool| {
            normalised
                .iter()
                .filter(|&&(a, b)| {
                    let in_x = if left { a <= box_w } else { a >= 1.0 - box_w };
                    let in_y = if top { b >= 1.0 - box_h } else { b <= box_h };
                    in_x && in_y
                })
                .count()
        };
        let corners = [
            (SeriesLabelPosition::UpperRight, false, true),
            (SeriesLabelPosition::UpperLeft, true, true),
            (SeriesLabelPosition::LowerRight, false, false),
            (SeriesLabelPosition::LowerLeft, true, false),
        ];
        let (best, n) = corners
            .iter()
            .map(|(pos, left, top)| (pos.clone(), count(*left, *top)))
            .min_by_key(|&(_, n)| n)
            .expect("four corners");
        if n == 0 {
            return LegendPlace::Inside(best, 0.0);
        }
        if box_h > 0.3 {
            return LegendPlace::Outside;
        }
        // Every corner is occupied: add an empty band on top as tall as the legend box.
        let upper_left = count(true, true) <= count(false, true);
        let pos = if upper_left {
            SeriesLabelPosition::UpperLeft
        } else {
            SeriesLabelPosition::UpperRight
        };
        LegendPlace::Inside(pos, box_h / (1.0 - box_h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::{CurvePoint, Split, TradeoffCurve};
    use crate::error::EvalError;
    use crate::estimate::{Estimate, Interval};

    fn count(svg: &str, tag: &str) -> usize {
        svg.matches(&format!("<{tag} ")).count()
    }

    /// Lines (`<polyline>`) drawn in one colour.
    fn lines_in(svg: &str, colour: &str) -> usize {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{colour}\"")))
            .count()
    }

    fn path(method: &str, n: usize, acc0: f64) -> TradeoffCurve {
        TradeoffCurve::from_points(
            (0..n)
                .map(|k| {
                    let t = k as f64 / n as f64;
                    CurvePoint::new(method)
                        .with_param("lambda", t)
                        .with_metric(Split::Test, names::ACCURACY, acc0 - 0.05 * t * t)
                        .with_metric(Split::Test, names::DP_DIFFERENCE, 0.2 * (1.0 - t))
                })
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn one_marker_per_point_labels_and_legend() {
        let mut curve = path("dp-penalty", 7, 0.85);
        curve.extend(path("reweighing", 4, 0.84));
        let svg = TradeoffPlot::default().render(&curve).unwrap();
        // Circles: 7 points + 1 legend icon; triangles (polygons): 4 points + 1 legend icon.
        assert_eq!(count(&svg, "circle"), 8);
        assert_eq!(count(&svg, "polygon"), 5);
        let texts = super::super::svg_texts(&svg);
        for label in [
            "Demographic-parity difference (test)",
            "Accuracy (test)",
            "dp-penalty",
            "reweighing",
            "Accuracy vs demographic-parity difference (test)",
        ] {
            assert!(texts.contains(&label), "no text `{label}` in {texts:?}");
        }
        // The y axis title is rotated; every text uses the generic family.
        assert!(svg.contains("rotate(270"));
        assert!(!svg.contains("font-family=\"Arial\""));
        // Each method's points joined by one line in its colour.
        assert_eq!(lines_in(&svg, "#0072B2"), 1);
        assert_eq!(lines_in(&svg, "#D55E00"), 1);
    }

    /// The x position of the `<text>` element whose content is `label`.
    fn text_x(svg: &str, label: &str) -> Option<f64> {
        let lines: Vec<&str> = svg.lines().collect();
        let k = lines.iter().position(|l| l.trim() == label)?;
        let open = lines[k - 1];
        open.split("x=\"").nth(1)?.split('"').next()?.parse().ok()
    }

    #[test]
    fn a_tall_legend_that_fits_no_corner_goes_right_of_the_plot() {
        // 20 methods, one point each, spread over the whole plane (every corner occupied).
        let curve = TradeoffCurve::from_points(
            (0..20)
                .map(|m| {
                    let (a, b) = ((m % 5) as f64 / 4.0, (m / 5) as f64 / 3.0);
                    CurvePoint::new(format!("method {m}"))
                        .with_metric(Split::Test, names::ACCURACY, 0.7 + 0.2 * b)
                        .with_metric(Split::Test, names::DP_DIFFERENCE, 0.3 * a)
                })
                .collect(),
        )
        .unwrap();
        let svg = TradeoffPlot::default().render(&curve).unwrap();
        // The right end of the x axis: the largest x of the axis line's points.
        let right_of = |svg: &str| {
            svg.lines()
                .filter(|l| l.starts_with("<polyline") && l.contains("opacity=\"0.8\""))
                .flat_map(|l| {
                    l.split("points=\"")
                        .nth(1)
                        .unwrap()
                        .split_whitespace()
                        .filter_map(|p| p.split(',').next().and_then(|x| x.parse::<f64>().ok()))
                        .collect::<Vec<_>>()
                })
                .fold(0.0, f64::max)
        };
        let plot_right = right_of(&svg);
        for m in 0..20 {
            let x = text_x(&svg, &format!("method {m}")).expect("every method in the legend");
            assert!(
                x > plot_right,
                "method {m} at x = {x}, plot ends at {plot_right}"
            );
        }
        // The markers of the 20 methods have 20 distinct colours
        let colours: std::collections::HashSet<&str> = svg
            .split("fill=\"#")
            .skip(1)
            .map(|c| &c[..6])
            .filter(|c| *c != "FFFFFF" && *c != "000000")
            .collect();
        // (the seventh Okabe–Ito colour is black, which the texts share, so 19 others).
        assert_eq!(colours.len(), 19, "{colours:?}");
        // Two methods still get an inside legend.
        let two = TradeoffCurve::from_points(curve.points()[..2].to_vec()).unwrap();
        let svg = TradeoffPlot::default().render(&two).unwrap();
        assert!(text_x(&svg, "method 0").unwrap() < right_of(&svg));
    }

    #[test]
    fn intervals_and_fronts_are_drawn_and_any_axes_work() {
        let curve = TradeoffCurve::from_points(vec![
            CurvePoint::new("m")
                .with_metric(
                    Split::Train,
                    "f1",
                    Estimate::with_interval(0.7, Interval::new(0.65, 0.75, 0.95)),
                )
                .with_metric(Split::Train, "tpr_difference", 0.1),
            CurvePoint::new("m")
                .with_metric(Split::Train, "f1", 0.6)
                .with_metric(
                    Split::Train,
                    "tpr_difference",
                    Estimate::with_interval(0.05, Interval::new(0.04, 0.07, 0.95)),
                ),
            CurvePoint::new("m")
                .with_metric(Split::Train, "f1", 0.5)
                .with_metric(Split::Train, "tpr_difference", 0.2),
        ])
        .unwrap();
        let plot = TradeoffPlot::default()
            .axes(
                Axis::minimise("tpr_difference").on(Split::Train),
                Axis::maximise("f1").on(Split::Train),
            )
            .front(true)
            .connect(false);
        let svg = plot.render(&curve).unwrap();
        // 2 whiskers × (bar + 2 caps) + 1 front step line, all in the method's colour.
        assert_eq!(lines_in(&svg, "#0072B2"), 7);
        let texts = super::super::svg_texts(&svg);
        assert!(texts.contains(&"Pareto front"));
        assert!(texts.contains(&"Equal-opportunity difference (train)"));
        assert_eq!(count(&svg, "circle"), 4);
        let no_bars = plot.clone().intervals(false).render(&curve).unwrap();
        assert_eq!(lines_in(&no_bars, "#0072B2"), 1);
    }

    #[test]
    fn step_line_follows_the_attained_boundary() {
        let front = [(0.0, 0.5), (0.1, 0.7), (0.3, 0.8)];
        let min = Axis::minimise("g");
        assert_eq!(
            step_line(&front, &min),
            [(0.0, 0.5), (0.1, 0.5), (0.1, 0.7), (0.3, 0.7), (0.3, 0.8)]
        );
        let max = Axis::maximise("g");
        let front = [(0.0, 0.8), (0.1, 0.7)];
        assert_eq!(
            step_line(&front, &max),
            [(0.0, 0.8), (0.0, 0.7), (0.1, 0.7)]
        );
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        let plot = TradeoffPlot::default();
        assert!(matches!(
            plot.render(&TradeoffCurve::new()),
            Err(EvalError::Empty(_))
        ));
        let c = TradeoffCurve::from_points(vec![CurvePoint::new("m").with_metric(
            Split::Test,
            names::ACCURACY,
            0.8,
        )])
        .unwrap();
        assert!(matches!(
            plot.render(&c),
            Err(EvalError::MissingMetric { .. })
        ));
        assert!(matches!(
            plot.clone().size(10, 10).render(&path("m", 2, 0.8)),
            Err(EvalError::InvalidParameter { .. })
        ));
    }
}
