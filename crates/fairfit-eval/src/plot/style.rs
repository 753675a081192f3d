//! Colours, marker shapes, fonts and axis ranges shared by the plots.

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, RGBColor, ShapeStyle};
use plotters::style::Color;
use plotters_backend::{BackendCoord, DrawingErrorKind};

/// Okabe–Ito colours (without yellow, too pale on white): distinguishable with colour-vision
/// deficiencies and in grey-scale print together with the marker shapes.
pub(crate) const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// Font family of every text: generic, so any SVG viewer picks an installed sans-serif font.
pub(crate) const FONT: &str = "sans-serif";

/// The colour of the `i`-th series.
pub(crate) fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The shape drawn at each point of a series; each shape is one SVG element per point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerShape {
    /// A filled circle (`<circle>`).
    Circle,
    /// A filled upward triangle (`<polygon>`).
    Triangle,
    /// A filled square (`<rect>`).
    Square,
    /// A filled diamond (`<polygon>`).
    Diamond,
    /// A filled downward triangle (`<polygon>`).
    TriangleDown,
}

impl MarkerShape {
    /// The shapes in the order series receive them.
    pub const ALL: [MarkerShape; 5] = [
        MarkerShape::Circle,
        MarkerShape::Triangle,
        MarkerShape::Square,
        MarkerShape::Diamond,
        MarkerShape::TriangleDown,
    ];

    /// The shape of the `i`-th series.
    pub fn nth(i: usize) -> Self {
        Self::ALL[i % Self::ALL.len()]
    }
}

/// A marker of some shape at one point: a plotters element drawn as exactly one SVG element, so
/// that a plot has one marker element per point (and legend icon).
pub(crate) struct Marker<C> {
    at: C,
    shape: MarkerShape,
    radius: i32,
    style: ShapeStyle,
}

impl<C> Marker<C> {
    /// A filled marker of `shape`, `radius` pixels across its half, at `at`.
    pub(crate) fn new(at: C, shape: MarkerShape, radius: i32, colour: RGBColor) -> Self {
        Self {
            at,
            shape,
            radius,
            style: colour.filled(),
        }
    }
}

impl<'a, C> PointCollection<'a, C> for &'a Marker<C> {
    type Point = &'a C;
    type IntoIter = std::iter::Once<&'a C>;

    fn point_iter(self) -> Self::IntoIter {
        std::iter::once(&self.at)
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Marker<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let Some((x, y)) = pos.next() else {
            return Ok(());
        };
        let r = self.radius;
        let h = r * 6 / 5;
        match self.shape {
            MarkerShape::Circle => backend.draw_circle((x, y), r.unsigned_abs(), &self.style, true),
            MarkerShape::Square => {
                let s = r * 9 / 10;
                backend.draw_rect((x - s, y - s), (x + s, y + s), &self.style, true)
            }
            MarkerShape::Triangle => backend.fill_polygon(
                [(x, y - h), (x + h, y + h * 3 / 4), (x - h, y + h * 3 / 4)],
                &self.style,
            ),
            MarkerShape::TriangleDown => backend.fill_polygon(
                [(x, y + h), (x + h, y - h * 3 / 4), (x - h, y - h * 3 / 4)],
                &self.style,
            ),
            MarkerShape::Diamond => {
                let d = r * 13 / 10;
                backend.fill_polygon(
                    [(x, y - d), (x + d, y), (x, y + d), (x - d, y)],
                    &self.style,
                )
            }
        }
    }
}

/// A padded axis range covering `values`; a single value gets a small symmetric range.
pub(crate) fn padded_range(values: impl IntoIterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        let half = (hi.abs() * 0.05).max(0.01);
        return (lo - half, hi + half);
    }
    (lo - span * pad, hi + span * pad)
}

/// Number of decimals that tell ticks on a range of width `span` apart.
pub(crate) fn decimals(span: f64) -> usize {
    if span <= 0.0 || !span.is_finite() {
        return 2;
    }
    ((-span.log10()).ceil() + 1.0).clamp(0.0, 6.0) as usize
}

/// Width in pixels plotters' naive font metrics assume for `text` at `size` (used to size the
/// legend box when choosing its corner).
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    size / 1.24 / 1.24 * 0.7 * text.chars().count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_decimals() {
        assert_eq!(padded_range([0.0, 1.0], 0.1), (-0.1, 1.1));
        let (lo, hi) = padded_range([0.5], 0.1);
        assert!(lo < 0.5 && hi > 0.5);
        assert_eq!(decimals(0.2), 2);
        assert_eq!(decimals(0.05), 3);
        assert_eq!(decimals(20.0), 0);
    }
}
