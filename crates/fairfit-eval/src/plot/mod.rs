//! Paper-ready SVG plots drawn with plotters' SVG backend (text is SVG `<text>`, so no system
//! fonts are needed): the trade-off of one or several methods ([`TradeoffPlot`]) and per-group
//! bars of chosen metrics ([`GroupBarPlot`]), disparities of a monitored stream over
//! time against their bounds ([`DisparityTimeline`]) and a held-out study's violation rates and
//! accuracy ([`HeldoutPlot`]).
//!
//! Every plot has a title, labelled axes and a legend placed in the emptiest corner; methods get
//! distinct colour-blind-safe colours (Okabe–Ito) and marker shapes; beyond seven series or
//! groups, further colours are spaced in hue and lightness so that none repeats up to 30.
//! Where whiskers are drawn the legend says what they are (e.g. `whiskers: 95 % bootstrap
//! interval`); markers that would hide each other are set a few pixels apart; a trade-off
//! plot can show a [`ReferenceLine`] such as the constant rule's accuracy.

mod axes;
mod bars;
mod dodge;
mod heldout;
mod legend;
mod model_bars;
mod style;
#[cfg(test)]
mod test_frames;
mod timeline;
mod tradeoff;
mod whiskers;

pub use bars::GroupBarPlot;
pub use heldout::HeldoutPlot;
pub use style::MarkerShape;
pub use timeline::DisparityTimeline;
pub use tradeoff::{ReferenceLine, TradeoffPlot};

use plotters::prelude::DrawingAreaErrorKind;

use crate::error::EvalError;

/// Turns a plotters error into a [`EvalError::Plot`] naming the plot.
fn plot_error<E: std::error::Error + Send + Sync>(
    what: &str,
) -> impl Fn(DrawingAreaErrorKind<E>) -> EvalError + '_ {
    move |e| EvalError::Plot {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// The contents of every `<text>` element of an SVG written by plotters, in order (for tests).
#[cfg(test)]
pub(crate) fn svg_texts(svg: &str) -> Vec<&str> {
    svg.split("</text>")
        .filter_map(|chunk| chunk.rfind('>').map(|i| chunk[i + 1..].trim()))
        .filter(|t| !t.is_empty())
        .collect()
}
