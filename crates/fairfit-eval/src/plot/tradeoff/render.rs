//! Drawing a [`TradeoffPlot`]: ranges, legend entries and place, then per method its whiskers,
//! path, Pareto front and markers (set apart where they would hide each other, with a thin
//! leader from the point to its marker).

use plotters::prelude::*;

use super::front::step_line;
use super::layout::{Layout, LegendPlace};
use super::TradeoffPlot;
use crate::curve::{Axis, TradeoffCurve};
use crate::error::Result;
use crate::estimate::Interval;
use crate::pareto::front_of;
use crate::plot::axes::{check_size, padded_range, paper_mesh, tick_format};
use crate::plot::dodge::dodge;
use crate::plot::legend::{draw_beside, draw_inside, Entry, Glyph};
use crate::plot::plot_error;
use crate::plot::style::{colour, Marker, MarkerShape, FONT};
use crate::plot::whiskers::{caption, Whisker};

/// Dash and gap lengths (pixels) of the k-th reference line, so that several differ.
const DASHES: [(u32, u32); 3] = [(9, 5), (3, 3), (14, 4)];

/// The look of reference lines: dark grey, 2 pixels wide.
fn reference_style() -> ShapeStyle {
    BLACK.mix(0.6).stroke_width(2)
}

impl TradeoffPlot {
    /// Draws the plot of `curve` and returns the SVG text.
    ///
    /// Fails when the curve is empty, a point lacks a metric of either axis, or a reference
    /// line is not at a finite value.
    pub fn render(&self, curve: &TradeoffCurve) -> Result<String> {
        check_size(self.size)?;
        for line in &self.references {
            line.check()?;
        }
        let (w, h) = self.size;
        let coords = curve.coordinates(&self.x, &self.y)?;
        let (x, y) = (&self.x, &self.y);
        let interval = |i: usize, axis: &Axis| -> Option<Interval> {
            curve.points()[i]
                .metric(axis.split, &axis.metric)
                .and_then(|e| e.interval)
                .filter(|_| self.intervals)
        };
        // Everything drawn: the points and the ends of their whiskers (the legend avoids both).
        let mut drawn = coords.clone();
        for (i, &(px, py)) in coords.iter().enumerate() {
            if let Some(iv) = interval(i, x) {
                drawn.extend([(iv.lower, py), (iv.upper, py)]);
            }
            if let Some(iv) = interval(i, y) {
                drawn.extend([(px, iv.lower), (px, iv.upper)]);
            }
        }
        let (x0, x1) = padded_range(drawn.iter().map(|c| c.0), 0.06);
        let references = self.references.iter().map(|r| r.value());
        let (y0, mut y1) = padded_range(drawn.iter().map(|c| c.1).chain(references), 0.08);
        // Reference lines run across the plot: the legend avoids them too.
        for line in &self.references {
            drawn.extend((0..=16).map(|k| (x0 + (x1 - x0) * f64::from(k) / 16.0, line.value())));
        }

        let methods = curve.methods();
        let entries = self.legend_entries(curve, &methods, &interval);
        let labels: Vec<String> = entries.iter().map(|e| e.label.clone()).collect();
        let title = self.title.clone().unwrap_or_else(|| self.default_title());
        let layout = Layout::new(w, h);
        let place = layout.legend_place(&labels, &drawn, (x0, x1), (y0, y1));
        if let LegendPlace::Inside(_, grow) = place {
            y1 += (y1 - y0) * grow;
        }

        let mut svg = String::new();
        {
            let err = plot_error::<std::io::Error>("trade-off plot");
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            root.fill(&WHITE).map_err(&err)?;
            let (main, side) = match place {
                LegendPlace::Outside => {
                    let legend_px = layout.legend_width(&labels);
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
            let (x_fmt, y_fmt) = (tick_format(x0, x1), tick_format(y0, y1));
            paper_mesh(&mut chart.configure_mesh(), layout.tick_size)
                .x_desc(x.label())
                .y_desc(y.label())
                .x_labels(8)
                .y_labels(8)
                .x_label_formatter(&x_fmt)
                .y_label_formatter(&y_fmt)
                .draw()
                .map_err(&err)?;

            for (k, line) in self.references.iter().enumerate() {
                let (dash, gap) = DASHES[k % DASHES.len()];
                chart
                    .draw_series(DashedLineSeries::new(
                        [(x0, line.value()), (x1, line.value())],
                        dash,
                        gap,
                        reference_style(),
                    ))
                    .map_err(&err)?;
            }
            // Markers of different methods that would hide each other are set apart.
            let markers: Vec<(usize, (f64, f64))> = methods
                .iter()
                .enumerate()
                .flat_map(|(m, method)| curve.indices_of(method).into_iter().map(move |i| (m, i)))
                .map(|(m, i)| {
                    let (px, py) = chart.backend_coord(&coords[i]);
                    (m, (f64::from(px), f64::from(py)))
                })
                .collect();
            let moved = dodge(&markers, f64::from(layout.marker));
            let mut offsets = vec![(0, 0); coords.len()];
            let order = methods.iter().flat_map(|method| curve.indices_of(method));
            for (i, offset) in order.zip(moved) {
                offsets[i] = offset;
            }
            // Layers, bottom to top: whiskers and paths, fronts, leaders, markers (so that no
            // line crosses a marker).
            let series: Vec<(RGBColor, Vec<usize>)> = (methods.iter().enumerate())
                .map(|(m, method)| (colour(m), curve.indices_of(method)))
                .collect();
            for (c, idx) in &series {
                let style = c.mix(0.6).stroke_width(1);
                let whiskers = idx.iter().flat_map(|&i| {
                    let ((px, py), offset) = (coords[i], offsets[i]);
                    let vertical = interval(i, y).map(|iv| ((px, iv.lower), (px, iv.upper)));
                    let horizontal = interval(i, x).map(|iv| ((iv.lower, py), (iv.upper, py)));
                    vertical
                        .into_iter()
                        .chain(horizontal)
                        .map(move |(a, b)| Whisker::new(a, b, 4, style).shifted(offset))
                });
                chart.draw_series(whiskers).map_err(&err)?;
                if let Some(style) = self.path_style(*c, idx.len()) {
                    let path = idx.iter().map(|&i| coords[i]);
                    chart
                        .draw_series(LineSeries::new(path, style))
                        .map_err(&err)?;
                }
            }
            for (c, idx) in series.iter().filter(|_| self.front) {
                let pts: Vec<(f64, f64)> = idx.iter().map(|&i| coords[i]).collect();
                let front: Vec<(f64, f64)> =
                    front_of(&pts, x, y).into_iter().map(|i| pts[i]).collect();
                let line = PathElement::new(step_line(&front, x), front_style(*c));
                chart.draw_series(std::iter::once(line)).map_err(&err)?;
            }
            // A thin leader from each point to its moved marker shows where the data are.
            let leaders = coords.iter().zip(&offsets).filter(|(_, o)| **o != (0, 0));
            chart
                .draw_series(leaders.map(|(&at, &(dx, dy))| {
                    EmptyElement::at(at)
                        + PathElement::new(vec![(0, 0), (dx, dy)], BLACK.mix(0.5).stroke_width(1))
                }))
                .map_err(&err)?;

            for (m, (c, idx)) in series.iter().enumerate() {
                let shape = MarkerShape::nth(m);
                chart
                    .draw_series(idx.iter().map(|&i| {
                        Marker::new(coords[i], shape, layout.marker, *c).shifted(offsets[i])
                    }))
                    .map_err(&err)?;
            }
            match (place, side) {
                (LegendPlace::Inside(corner, _), _) => {
                    draw_inside(&mut chart, &entries, corner, layout.legend_size).map_err(&err)?
                }
                (LegendPlace::Outside, Some(side)) => {
                    draw_beside(&side, &entries, layout.beside_top(), layout.legend_size)
                        .map_err(&err)?
                }
                (LegendPlace::Outside, None) => {}
            }
            root.present().map_err(&err)?;
        }
        Ok(svg)
    }

    /// The style of the line joining a method's `n` points in curve order, if one is drawn:
    /// faint under a Pareto front, else in the method's colour.
    fn path_style(&self, c: RGBColor, n: usize) -> Option<ShapeStyle> {
        match (self.connect && n > 1, self.front) {
            (false, _) => None,
            (true, true) => Some(c.mix(0.35).stroke_width(1)),
            (true, false) => Some(c.mix(0.7).stroke_width(2)),
        }
    }

    /// The legend: each method's marker on its front's (else its path's) line in its colour,
    /// then what the step lines, reference lines and whiskers are.
    fn legend_entries(
        &self,
        curve: &TradeoffCurve,
        methods: &[&str],
        interval: &impl Fn(usize, &Axis) -> Option<Interval>,
    ) -> Vec<Entry> {
        let mut entries: Vec<Entry> = methods
            .iter()
            .enumerate()
            .map(|(m, method)| {
                let c = colour(m);
                let n = curve.indices_of(method).len();
                let line = if self.front {
                    Some(front_style(c))
                } else {
                    self.path_style(c, n)
                };
                let shape = MarkerShape::nth(m);
                let glyph = Glyph::Marker {
                    shape,
                    colour: c,
                    line,
                };
                Entry::new(*method, glyph)
            })
            .collect();
        if self.front {
            let glyph = Glyph::Step(BLACK.mix(0.6).stroke_width(2));
            entries.push(Entry::new("Pareto front (method colour)", glyph));
        }
        for (k, line) in self.references.iter().enumerate() {
            let dash = Some(DASHES[k % DASHES.len()]);
            let style = reference_style();
            entries.push(Entry::new(line.label(), Glyph::Line { style, dash }));
        }
        let intervals: Vec<Interval> = (0..curve.len())
            .flat_map(|i| interval(i, &self.x).into_iter().chain(interval(i, &self.y)))
            .collect();
        if let Some(text) = caption(&intervals) {
            let glyph = Glyph::Whisker {
                style: BLACK.mix(0.7).stroke_width(1),
                horizontal: false,
            };
            entries.push(Entry::new(text, glyph));
        }
        entries
    }
}

/// The style of a method's Pareto front in colour `c`.
fn front_style(c: RGBColor) -> ShapeStyle {
    c.stroke_width(2)
}
