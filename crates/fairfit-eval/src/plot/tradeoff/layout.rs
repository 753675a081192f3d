//! Pixel sizes of a trade-off plot's parts, and where its legend goes: in the emptiest corner,
//! over a band added on top, or in a strip beside the plot.

use plotters::chart::SeriesLabelPosition;

use super::super::legend::legend_width;

/// Where the legend goes: inside the plot in a corner (with the share of the y range to add on
/// top so that it covers nothing), or in a strip on the right of the plot.
#[derive(Debug, Clone)]
pub(super) enum LegendPlace {
    Inside(SeriesLabelPosition, f64),
    Outside,
}

/// Pixel sizes of the plot's parts.
pub(super) struct Layout {
    pub(super) w: u32,
    pub(super) h: u32,
    pub(super) margin: u32,
    pub(super) x_label_area: u32,
    pub(super) y_label_area: u32,
    pub(super) title_size: u32,
    pub(super) tick_size: u32,
    pub(super) legend_size: u32,
    pub(super) marker: i32,
}

impl Layout {
    pub(super) fn new(w: u32, h: u32) -> Self {
        Self {
            w,
            h,
            margin: 18,
            x_label_area: 62,
            y_label_area: 86,
            title_size: 26,
            tick_size: 17,
            legend_size: 17,
            marker: 6,
        }
    }

    /// Width in pixels of a legend of `labels`.
    pub(super) fn legend_width(&self, labels: &[String]) -> u32 {
        legend_width(labels.iter().map(String::as_str), self.legend_size).ceil() as u32
    }

    /// Top of a legend drawn beside the plot, level with the plot's top.
    pub(super) fn beside_top(&self) -> i32 {
        (self.margin + self.title_size * 2) as i32
    }

    /// Where the legend goes: a corner whose box covers none of `drawn` (points, whisker ends,
    /// reference lines); else, for a short legend, the upper corner with fewer under it and a
    /// band added on top as tall as the box; else (a tall legend, many methods) a strip right
    /// of the plot.
    pub(super) fn legend_place(
        &self,
        labels: &[String],
        drawn: &[(f64, f64)],
        (x0, x1): (f64, f64),
        (y0, y1): (f64, f64),
    ) -> LegendPlace {
        let plot_w = (self.w - 2 * self.margin - self.y_label_area) as f64;
        let plot_h = (self.h - 2 * self.margin - self.x_label_area - self.title_size * 2) as f64;
        let box_w = f64::from(self.legend_width(labels)) / plot_w;
        let box_h = (labels.len() as f64 * (self.legend_size as f64 + 6.0) + 30.0) / plot_h;
        let normalised: Vec<(f64, f64)> = drawn
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
