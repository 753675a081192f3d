//! The frame every plot shares: its minimum size, padded axis ranges, tick decimals and the
//! look of the mesh (grid, axis lines, axis titles and tick labels).

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::{DrawingBackend, BLACK};
use plotters::style::Color;

use super::style::FONT;

/// Font size of axis titles.
pub(crate) const AXIS_TITLE_SIZE: u32 = 21;

/// Styles a mesh the way every fairfit plot does: faint grid, dark axis lines, axis titles of
/// [`AXIS_TITLE_SIZE`] points and tick labels of `tick_size` points. The caller adds the labels,
/// formatters and which grid lines to show.
pub(crate) fn paper_mesh<'m, 'a, 'b, X, Y, XT, YT, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    tick_size: u32,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
    DB: DrawingBackend,
{
    mesh.axis_desc_style((FONT, AXIS_TITLE_SIZE))
        .label_style((FONT, tick_size))
        .bold_line_style(BLACK.mix(0.10))
        .light_line_style(BLACK.mix(0.03))
        .axis_style(BLACK.mix(0.8))
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

/// Checks that a plot of `w × h` pixels has room for its labels (at least 320 × 240).
pub(crate) fn check_size((w, h): (u32, u32)) -> crate::Result<()> {
    if w < 320 || h < 240 {
        return Err(crate::EvalError::InvalidParameter {
            name: "size",
            reason: format!("{w} × {h} pixels is too small for a labelled plot (320 × 240)"),
        });
    }
    Ok(())
}

/// Formats the tick labels of an axis from `lo` to `hi` with as many decimals as tell them
/// apart.
pub(crate) fn tick_format(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let d = decimals(hi - lo);
    move |v: &f64| format!("{v:.d$}")
}

/// Number of decimals that tell ticks on a range of width `span` apart.
fn decimals(span: f64) -> usize {
    if span <= 0.0 || !span.is_finite() {
        return 2;
    }
    ((-span.log10()).ceil() + 1.0).clamp(0.0, 6.0) as usize
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
        assert_eq!(tick_format(0.0, 0.2)(&0.1), "0.10");
    }

    #[test]
    fn small_pictures_are_refused() {
        assert!(check_size((320, 240)).is_ok());
        assert!(matches!(
            check_size((319, 600)),
            Err(crate::EvalError::InvalidParameter { name: "size", .. })
        ));
    }
}
