//! Legends: their entries (a label and a small glyph keyed to what the plot draws), their width,
//! and the two ways of drawing them — framed inside the chart, or in a strip beside it.

use plotters::chart::{ChartContext, SeriesLabelPosition};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, DrawingAreaErrorKind};
use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{
    Cartesian2d, DrawingBackend, EmptyElement, IntoFont, RGBColor, Rectangle, ShapeStyle, Text,
    BLACK, WHITE,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::Color;
use plotters_backend::{BackendCoord, DrawingErrorKind};

use super::style::{draw_marker, MarkerShape, FONT};

/// Width in pixels of a glyph (its centre is 10 pixels right of the entry's left end).
const GLYPH: i32 = 20;

/// What a legend entry shows left of its label.
#[derive(Debug, Clone)]
pub(crate) enum Glyph {
    /// A series' marker, on a short line of the series' line style when it has one.
    Marker {
        /// The marker's shape.
        shape: MarkerShape,
        /// The series' colour.
        colour: RGBColor,
        /// The style of the line joining the series' points, if any.
        line: Option<ShapeStyle>,
    },
    /// A filled bar.
    Bar(RGBColor),
    /// A horizontal line, solid or dashed.
    Line {
        /// Its colour and width.
        style: ShapeStyle,
        /// Dash and gap lengths in pixels, for a dashed line.
        dash: Option<(u32, u32)>,
    },
    /// A step line (a Pareto front).
    Step(ShapeStyle),
    /// An interval whisker: a bar with end caps, upright unless `horizontal`.
    Whisker {
        /// Its colour and width.
        style: ShapeStyle,
        /// Whether the bar lies along the legend's line (as on horizontal bars).
        horizontal: bool,
    },
    /// A ring (around a marked point).
    Ring(ShapeStyle),
}

/// One legend row: a glyph and its label.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) label: String,
    pub(crate) glyph: Glyph,
}

impl Entry {
    /// An entry labelled `label` showing `glyph`.
    pub(crate) fn new(label: impl Into<String>, glyph: Glyph) -> Self {
        Self {
            label: label.into(),
            glyph,
        }
    }
}

/// A glyph drawn with its left end at a point: a plotters element, for legends.
struct Swatch {
    at: BackendCoord,
    glyph: Glyph,
}

impl<'a> PointCollection<'a, BackendCoord> for &'a Swatch {
    type Point = &'a BackendCoord;
    type IntoIter = std::iter::Once<&'a BackendCoord>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<DB: DrawingBackend> Drawable<DB> for Swatch {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        let (mid, right) = (x + GLYPH / 2, x + GLYPH);
        match &self.glyph {
            Glyph::Marker {
                shape,
                colour,
                line,
            } => {
                if let Some(style) = line {
                    backend.draw_path([(x, y), (right, y)], style)?;
                }
                draw_marker(backend, (mid, y), *shape, 5, &colour.filled())
            }
            Glyph::Bar(colour) => {
                backend.draw_rect((x + 2, y - 6), (right - 2, y + 6), &colour.filled(), true)
            }
            Glyph::Line { style, dash: None } => backend.draw_path([(x, y), (right, y)], style),
            Glyph::Line {
                style,
                dash: Some((dash, gap)),
            } => {
                let (dash, step) = (*dash as i32, (*dash + *gap).max(1) as i32);
                for start in (x..right).step_by(step as usize) {
                    backend.draw_path([(start, y), ((start + dash).min(right), y)], style)?;
                }
                Ok(())
            }
            Glyph::Step(style) => backend.draw_path(
                [(x, y + 5), (mid, y + 5), (mid, y - 5), (right, y - 5)],
                style,
            ),
            Glyph::Whisker { style, horizontal } => {
                // The bar from (−7, 0) to (7, 0) around the centre, turned upright unless
                // horizontal, with caps 4 pixels to either side.
                let turn = |(a, b): (i32, i32)| {
                    if *horizontal {
                        (mid + a, y + b)
                    } else {
                        (mid + b, y + a)
                    }
                };
                backend.draw_path([turn((-7, 0)), turn((7, 0))], style)?;
                for end in [-7, 7] {
                    backend.draw_path([turn((end, -4)), turn((end, 4))], style)?;
                }
                Ok(())
            }
            Glyph::Ring(style) => backend.draw_circle((mid, y), 7, style, false),
        }
    }
}

/// A chart on two `f64` axes, the kind every fairfit plot draws.
pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Draws `entries` as the chart's legend the way every fairfit plot does: framed, on a
/// translucent white background, at `position`, with labels of `size` points.
pub(crate) fn draw_inside<'a, DB: DrawingBackend + 'a>(
    chart: &mut Chart<'a, DB>,
    entries: &[Entry],
    position: SeriesLabelPosition,
    size: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    for entry in entries {
        let glyph = entry.glyph.clone();
        chart
            .draw_series(std::iter::empty::<EmptyElement<(f64, f64), DB>>())?
            .label(entry.label.as_str())
            .legend(move |at| Swatch {
                at,
                glyph: glyph.clone(),
            });
    }
    chart
        .configure_series_labels()
        .position(position)
        .margin(12)
        .legend_area_size(26)
        .label_font((FONT, size))
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .draw()
}

/// Draws `entries` in the strip `side` beside a plot, in a framed box whose top is `top` pixels
/// down, with labels of `size` points.
pub(crate) fn draw_beside<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    entries: &[Entry],
    top: i32,
    size: u32,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let row = size as i32 + 6;
    let (width, _) = side.dim_in_pixel();
    let bottom = top + 16 + row * entries.len() as i32;
    side.draw(&Rectangle::new(
        [(0, top), (width as i32 - 6, bottom)],
        BLACK.mix(0.4).stroke_width(1),
    ))?;
    let font = (FONT, size)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (k, entry) in entries.iter().enumerate() {
        let y = top + 8 + row * k as i32 + row / 2;
        side.draw(&Swatch {
            at: (4, y),
            glyph: entry.glyph.clone(),
        })?;
        side.draw(&Text::new(entry.label.clone(), (30, y), font.clone()))?;
    }
    Ok(())
}

/// Width in pixels plotters' naive font metrics assume for `text` at `size`.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    size / 1.24 / 1.24 * 0.7 * text.chars().count() as f64
}

/// Width in pixels of a legend box of `labels` at `size` points: glyph area, gaps, the widest
/// label and the frame's padding.
pub(crate) fn legend_width<'a>(labels: impl IntoIterator<Item = &'a str>, size: u32) -> f64 {
    let widest = labels
        .into_iter()
        .map(|l| text_width(l, f64::from(size)))
        .fold(0.0, f64::max);
    widest + 26.0 + 30.0 + 12.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::{IntoDrawingArea, SVGBackend};

    #[test]
    fn every_glyph_draws_its_parts() {
        let glyphs = [
            Glyph::Marker {
                shape: MarkerShape::Circle,
                colour: RGBColor(1, 2, 3),
                line: Some(BLACK.stroke_width(2)),
            },
            Glyph::Bar(RGBColor(1, 2, 3)),
            Glyph::Line {
                style: BLACK.stroke_width(2),
                dash: Some((5, 3)),
            },
            Glyph::Step(BLACK.stroke_width(2)),
            Glyph::Whisker {
                style: BLACK.stroke_width(1),
                horizontal: false,
            },
            Glyph::Ring(BLACK.stroke_width(2)),
        ];
        let entries: Vec<Entry> = glyphs
            .into_iter()
            .enumerate()
            .map(|(k, g)| Entry::new(format!("entry {k}"), g))
            .collect();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (300, 300)).into_drawing_area();
            draw_beside(&root, &entries, 10, 17).unwrap();
        }
        // Marker: line + circle; bar: rect; dashed line: 3 dashes; step: 1 path; whisker: 3;
        // ring: circle.
        // Marker and ring.
        assert_eq!(svg.matches("<circle").count(), 2);
        // The frame and the bar.
        assert_eq!(svg.matches("<rect").count(), 2);
        assert_eq!(svg.matches("<polyline").count(), 1 + 3 + 1 + 3);
        let texts = super::super::svg_texts(&svg);
        assert_eq!(texts.len(), 6);
        assert!(legend_width(["a", "a much longer label"], 17) > legend_width(["a"], 17));
    }
}
