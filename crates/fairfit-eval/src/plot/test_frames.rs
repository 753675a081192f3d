//! The metric frames the bar plots' tests draw.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use crate::bootstrap::BootstrapParams;
use crate::frame::MetricFrame;
use crate::metrics::{Measure, Metric, Outcomes};
use fairfit_data::{Groups, SensitiveAttribute};

/// Selection rate and TPR of 90 rows in three groups A, B, C; group C has no positive labels,
/// so its TPR is undefined. `shift` moves the predictions (another model); with `boot`, the
/// frame has bootstrap intervals (50 resamples).
pub(super) fn frame(shift: usize, boot: bool) -> MetricFrame {
    let g: Vec<&str> = (0..90).map(|i| ["A", "B", "C"][i % 3]).collect();
    let groups =
        Groups::from_attribute(&SensitiveAttribute::from_values("g", &g, None).unwrap()).unwrap();
    let y: Vec<bool> = (0..90).map(|i| i % 3 != 2 && i % 2 == 0).collect();
    let p: Vec<bool> = (0..90)
        .map(|i| (i + shift) % 4 == 0 || i % 5 == 0)
        .collect();
    let out = Outcomes::classification(&y, &p).unwrap();
    let metrics: [&dyn Metric; 2] = [&Measure::SelectionRate, &Measure::Tpr];
    if boot {
        BootstrapParams::default()
            .resamples(50)
            .seed(3)
            .check()
            .unwrap()
            .frame(&out, &groups, &metrics)
            .unwrap()
    } else {
        MetricFrame::new(&out, &groups, &metrics).unwrap()
    }
}
