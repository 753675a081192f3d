//! Colours, marker shapes and the font shared by the plots.

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

/// The colour of the `i`-th series or group: the Okabe–Ito colours first, then hues spaced by
/// 5/13 of a turn (13 distinct hues) with lightness cycling through three levels, so that no two
/// of the first 30 are alike (see the test `first_thirty_colours_are_distinct`).
pub(crate) fn colour(i: usize) -> RGBColor {
    match PALETTE.get(i) {
        Some(&c) => c,
        None => {
            let k = (i - PALETTE.len()) as f64;
            let hue = (195.0 + k * 360.0 * 5.0 / 13.0) % 360.0;
            let lightness = [0.45, 0.30, 0.60][(i - PALETTE.len()) % 3];
            hsl(hue, 0.70, lightness)
        }
    }
}

/// The RGB colour of hue `h` (degrees), saturation `s` and lightness `l` (both in [0, 1]).
fn hsl(h: f64, s: f64, l: f64) -> RGBColor {
    let c = (1.0 - (2.0 * l - 1.0).abs()) * s;
    let hp = h / 60.0;
    let x = c * (1.0 - (hp % 2.0 - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = l - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    RGBColor(byte(r), byte(g), byte(b))
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
    offset: BackendCoord,
}

impl<C> Marker<C> {
    /// A filled marker of `shape`, `radius` pixels across its half, at `at`.
    pub(crate) fn new(at: C, shape: MarkerShape, radius: i32, colour: RGBColor) -> Self {
        Self {
            at,
            shape,
            radius,
            style: colour.filled(),
            offset: (0, 0),
        }
    }

    /// The same marker drawn `offset` pixels away from its point (to keep coincident markers
    /// apart, see [`super::dodge`]).
    pub(crate) fn shifted(mut self, offset: BackendCoord) -> Self {
        self.offset = offset;
        self
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
        let (dx, dy) = self.offset;
        draw_marker(
            backend,
            (x + dx, y + dy),
            self.shape,
            self.radius,
            &self.style,
        )
    }
}

/// Draws one marker of `shape` and half-size `r` pixels centred at `(x, y)` on `backend`.
pub(crate) fn draw_marker<DB: DrawingBackend>(
    backend: &mut DB,
    (x, y): BackendCoord,
    shape: MarkerShape,
    r: i32,
    style: &ShapeStyle,
) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
    let h = r * 6 / 5;
    match shape {
        MarkerShape::Circle => backend.draw_circle((x, y), r.unsigned_abs(), style, true),
        MarkerShape::Square => {
            let s = r * 9 / 10;
            backend.draw_rect((x - s, y - s), (x + s, y + s), style, true)
        }
        MarkerShape::Triangle => backend.fill_polygon(
            [(x, y - h), (x + h, y + h * 3 / 4), (x - h, y + h * 3 / 4)],
            style,
        ),
        MarkerShape::TriangleDown => backend.fill_polygon(
            [(x, y + h), (x + h, y - h * 3 / 4), (x - h, y - h * 3 / 4)],
            style,
        ),
        MarkerShape::Diamond => {
            let d = r * 13 / 10;
            backend.fill_polygon([(x, y - d), (x + d, y), (x, y + d), (x - d, y)], style)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsl_matches_known_colours() {
        assert_eq!(hsl(0.0, 1.0, 0.5), RGBColor(255, 0, 0));
        assert_eq!(hsl(120.0, 1.0, 0.5), RGBColor(0, 255, 0));
        assert_eq!(hsl(240.0, 1.0, 0.25), RGBColor(0, 0, 128));
        assert_eq!(hsl(0.0, 0.0, 1.0), RGBColor(255, 255, 255));
    }

    #[test]
    fn first_thirty_colours_are_distinct() {
        // Pairwise distance in RGB space (0–441): no two of the first 30 closer than 40, and none
        // too close to the white background.
        let colours: Vec<RGBColor> = (0..30).map(colour).collect();
        let dist = |a: RGBColor, b: RGBColor| {
            let d = |x: u8, y: u8| (f64::from(x) - f64::from(y)).powi(2);
            (d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)).sqrt()
        };
        let mut closest = f64::INFINITY;
        for i in 0..colours.len() {
            assert!(dist(colours[i], RGBColor(255, 255, 255)) > 60.0, "{i}");
            for j in 0..i {
                closest = closest.min(dist(colours[i], colours[j]));
            }
        }
        assert!(closest > 40.0, "closest pair at {closest}");
        assert_eq!(colour(3), PALETTE[3]);
    }
}
