//! Interval whiskers — a bar between an interval's ends with a cap at each end — and the
//! caption that says what they show (their level, and whether they come from a bootstrap).

use plotters::element::{Drawable, PointCollection};
use plotters::prelude::{DrawingBackend, ShapeStyle};
use plotters_backend::{BackendCoord, DrawingErrorKind};

use crate::estimate::Interval;

/// A whisker between two points (an interval's ends on one axis), drawn as three SVG lines:
/// the bar and a cap of `cap` pixels either side of each end, across the bar.
pub(crate) struct Whisker<C> {
    ends: [C; 2],
    cap: i32,
    offset: BackendCoord,
    style: ShapeStyle,
}

impl<C> Whisker<C> {
    /// A whisker from `from` to `to` with caps `cap` pixels to either side.
    pub(crate) fn new(from: C, to: C, cap: i32, style: ShapeStyle) -> Self {
        Self {
            ends: [from, to],
            cap,
            offset: (0, 0),
            style,
        }
    }

    /// The same whisker drawn `offset` pixels away (following a marker moved by
    /// [`super::dodge`]).
    pub(crate) fn shifted(mut self, offset: BackendCoord) -> Self {
        self.offset = offset;
        self
    }
}

impl<'a, C> PointCollection<'a, C> for &'a Whisker<C> {
    type Point = &'a C;
    type IntoIter = std::slice::Iter<'a, C>;

    fn point_iter(self) -> Self::IntoIter {
        self.ends.iter()
    }
}

impl<C, DB: DrawingBackend> Drawable<DB> for Whisker<C> {
    fn draw<I: Iterator<Item = BackendCoord>>(
        &self,
        mut pos: I,
        backend: &mut DB,
        _: (u32, u32),
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let (Some(a), Some(b)) = (pos.next(), pos.next()) else {
            return Ok(());
        };
        let (dx, dy) = self.offset;
        let (a, b) = ((a.0 + dx, a.1 + dy), (b.0 + dx, b.1 + dy));
        backend.draw_path([a, b], &self.style)?;
        // Caps across the bar: horizontal on a vertical bar, vertical on a horizontal one.
        let across = if (b.0 - a.0).abs() <= (b.1 - a.1).abs() {
            (self.cap, 0)
        } else {
            (0, self.cap)
        };
        for (x, y) in [a, b] {
            backend.draw_path(
                [(x - across.0, y - across.1), (x + across.0, y + across.1)],
                &self.style,
            )?;
        }
        Ok(())
    }
}

/// What whiskers drawn from `intervals` show, for a legend: e.g. `whiskers: 95 % bootstrap
/// interval`, or `whiskers: 90 %, 95 % intervals` when levels differ. `bootstrap` only when
/// every interval records its bootstrap replicates; `None` when there is no interval.
pub(crate) fn caption<'a>(intervals: impl IntoIterator<Item = &'a Interval>) -> Option<String> {
    let mut percents: Vec<f64> = Vec::new();
    let mut bootstrap = true;
    for iv in intervals {
        bootstrap &= iv.replicates.is_some();
        // In tenths of a percent, so that 0.95 and 0.9500000001 are one level.
        let percent = (iv.level * 1000.0).round() / 10.0;
        if !percents.contains(&percent) {
            percents.push(percent);
        }
    }
    if percents.is_empty() {
        return None;
    }
    percents.sort_by(f64::total_cmp);
    let levels: Vec<String> = percents.iter().map(|p| format!("{p} %")).collect();
    let kind = if bootstrap {
        "bootstrap interval"
    } else {
        "interval"
    };
    let plural = if levels.len() > 1 { "s" } else { "" };
    Some(format!("whiskers: {} {kind}{plural}", levels.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::Replicates;
    use plotters::prelude::{IntoDrawingArea, SVGBackend, BLACK};
    use plotters::style::Color;

    #[test]
    fn captions_name_levels_and_bootstrap() {
        let boot = Interval {
            replicates: Some(Replicates {
                defined: 200,
                undefined: 0,
            }),
            ..Interval::new(0.1, 0.2, 0.95)
        };
        assert_eq!(
            caption([&boot, &boot]).as_deref(),
            Some("whiskers: 95 % bootstrap interval")
        );
        let plain = Interval::new(0.1, 0.2, 0.9);
        assert_eq!(
            caption([&plain]).as_deref(),
            Some("whiskers: 90 % interval")
        );
        let odd = Interval::new(0.1, 0.2, 0.975);
        assert_eq!(
            caption([&boot, &odd]).as_deref(),
            Some("whiskers: 95 %, 97.5 % intervals")
        );
        assert_eq!(caption([]), None);
    }

    #[test]
    fn caps_go_across_the_bar() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
            let style = BLACK.stroke_width(1);
            root.draw(&Whisker::new((50, 20), (50, 80), 4, style))
                .unwrap();
            root.draw(&Whisker::new((20, 50), (80, 50), 3, style).shifted((0, 5)))
                .unwrap();
        }
        for line in [
            "50,20 50,80 ",
            "46,20 54,20 ",
            "46,80 54,80 ",
            "20,55 80,55 ",
            "20,52 20,58 ",
            "80,52 80,58 ",
        ] {
            assert!(svg.contains(line), "no `{line}` in {svg}");
        }
    }
}
