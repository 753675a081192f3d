//! SVG plots of simulations, drawn with plotters' SVG backend like fairfit-eval's plots (text is
//! SVG `<text>`, colours are Okabe–Ito): metrics over time with bands across seeds
//! ([`TimelinePlot`]) and distributions side by side ([`DistributionPlot`]).

mod distribution;
mod timeline;

pub use distribution::{Bars, DistributionPlot};
pub use timeline::{Series, TimelinePlot};

use plotters::prelude::{DrawingAreaErrorKind, RGBColor};

use crate::error::SimError;

/// Okabe–Ito colours without yellow (distinguishable with colour-vision deficiencies), cycled.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
];

/// Font family of every text.
const FONT: &str = "sans-serif";

/// The colour of the `i`-th series.
fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// A tick label on an axis spanning `span`: enough decimals to tell ticks apart, and no `-0`.
fn tick(value: f64, span: f64) -> String {
    let decimals = if span >= 50.0 {
        0
    } else {
        (1.0 - span.log10().floor()).clamp(1.0, 6.0) as usize
    };
    let text = format!("{value:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_string(),
        _ => text,
    }
}

/// Turns a plotters error into [`SimError::Plot`] naming the plot.
fn plot_error<E: std::error::Error + Send + Sync>(
    what: &str,
) -> impl Fn(DrawingAreaErrorKind<E>) -> SimError + '_ {
    move |e| SimError::Plot {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// Writes `svg` to `path`, creating parent directories.
fn write_svg(svg: &str, path: &std::path::Path) -> crate::Result<()> {
    crate::record::create_parent(path)?;
    std::fs::write(path, svg).map_err(|source| SimError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn ticks_have_no_negative_zero_and_enough_decimals() {
        assert_eq!(super::tick(-0.0001, 0.3), "0.00");
        assert_eq!(super::tick(0.25, 0.3), "0.25");
        assert_eq!(super::tick(0.425, 0.05), "0.425");
        assert_eq!(super::tick(-0.05, 0.3), "-0.05");
        assert_eq!(super::tick(1234.4, 2000.0), "1234");
    }
}
