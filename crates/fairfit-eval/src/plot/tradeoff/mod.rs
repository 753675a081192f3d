//! [`TradeoffPlot`]: every method's points on two axes (by default test accuracy against test
//! demographic-parity difference), with the method's path, its Pareto front, interval bars and
//! reference lines such as the constant rule.
//!
//! The settings live here; drawing is in `render`, the legend's place in `layout`.

mod front;
mod layout;
mod reference;
mod render;
#[cfg(test)]
mod tests;

use std::path::Path;

pub use reference::ReferenceLine;

use crate::curve::{names, write_file, Axis, TradeoffCurve};
use crate::error::Result;

/// Plot settings for a trade-off picture: which axes, what to draw, title and size.
///
/// One marker per point; a method's points share a colour and shape, are joined in curve order
/// (the order of the path's parameter) and, optionally, its Pareto front is drawn as a step line
/// (the boundary of what the method attains). Where a point has an interval on an axis, a
/// whisker shows it, and the legend says what the whiskers are (their level, and whether
/// they come from a bootstrap). Markers of different methods that would hide each other are
/// set a few pixels apart around their point (the data are unchanged). A
/// [`ReferenceLine`], such as the constant rule's accuracy, is a dashed line named in the
/// legend.
///
/// ```
/// use fairfit::eval::curve::{names, CurvePoint, Split, TradeoffCurve};
/// use fairfit::eval::plot::TradeoffPlot;
/// let curve = TradeoffCurve::from_points(vec![
///     CurvePoint::new("baseline")
///         .with_metric(Split::Test, names::ACCURACY, 0.85)
///         .with_metric(Split::Test, names::DP_DIFFERENCE, 0.18),
/// ])?;
/// let svg = TradeoffPlot::default().title("Adult").render(&curve)?;
/// assert!(svg.contains("Demographic-parity difference (test)"));
/// assert!(svg.contains("baseline"));
/// assert_eq!(svg.matches("<circle").count(), 2); // the point and its legend icon
/// # Ok::<(), fairfit::eval::EvalError>(())
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
    references: Vec<ReferenceLine>,
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
            references: Vec::new(),
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

    /// Adds a horizontal dashed line at a value of the y axis, named in the legend, e.g.
    /// `ReferenceLine::constant_rule(positive_rate)?` for the accuracy of always predicting
    /// the majority class. The y axis stretches to show it.
    pub fn reference(mut self, line: ReferenceLine) -> Self {
        self.references.push(line);
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
}
