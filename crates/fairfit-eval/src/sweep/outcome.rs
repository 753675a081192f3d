//! [`SweepOutcome`]: the curve of a sweep, what the sweep knows of each point, and what
//! failed.

use std::collections::HashMap;
use std::time::Duration;

use super::evaluate::PointInfo;
use super::strategy::Rule;
use crate::curve::{number, write_rows, CurvePoint, Split, TradeoffCurve};
use crate::error::{EvalError, Result};

/// One strategy at one parameter that could not be fitted or evaluated; the sweep went on.
#[derive(Debug)]
pub struct Failure {
    /// The strategy's name.
    pub method: String,
    /// The parameter, e.g. `lambda=100` (empty for strategies without one).
    pub params: String,
    /// What went wrong.
    pub error: EvalError,
}

/// What a sweep produced: the curve of every point that succeeded, the failures, the time.
#[derive(Debug, Default)]
pub struct SweepOutcome {
    /// One point per strategy and parameter, in strategy order (a path in the order of its
    /// grid), with metrics on train, validation and test and the fit time.
    pub curve: TradeoffCurve,
    /// What the sweep knows of each point of [`SweepOutcome::curve`] beyond its metrics, in
    /// the same order.
    pub info: Vec<PointInfo>,
    /// The points that could not be produced, with the reason.
    pub failures: Vec<Failure>,
    /// Wall time of the whole run (fits and evaluations).
    pub elapsed: Duration,
}

impl SweepOutcome {
    /// The points of `curve` — this outcome's curve, or one derived from it such as a
    /// [`super::CrossValidation::selection_curve`] — whose [`PointInfo`] satisfies `keep`.
    /// Points are matched by method and parameters; a point this outcome does not know is left
    /// out.
    pub fn filter(
        &self,
        curve: &TradeoffCurve,
        keep: impl Fn(&PointInfo) -> bool,
    ) -> Result<TradeoffCurve> {
        let info: HashMap<(&str, String), &PointInfo> = self
            .curve
            .points()
            .iter()
            .zip(&self.info)
            .map(|(p, i)| (key(p), i))
            .collect();
        let kept = curve
            .points()
            .iter()
            .filter(|p| info.get(&key(p)).is_some_and(|i| keep(i)))
            .cloned()
            .collect();
        TradeoffCurve::from_points(kept)
    }

    /// The deterministic points of `curve` (see [`SweepOutcome::filter`]): randomised rules
    /// left out, as a comparison of deployable classifiers needs.
    pub fn deterministic(&self, curve: &TradeoffCurve) -> Result<TradeoffCurve> {
        self.filter(curve, |i| i.rule == Rule::Deterministic)
    }

    /// The points of `curve` that do not decide every training row alike (see
    /// [`SweepOutcome::filter`]): a constant rule squeezes every other point of a trade-off
    /// plot into a band.
    pub fn without_constant_rules(&self, curve: &TradeoffCurve) -> Result<TradeoffCurve> {
        self.filter(curve, |i| !i.constant)
    }

    /// The points of `curve` a user could call useful (see [`SweepOutcome::filter`] and
    /// [`PointInfo::is_degenerate`]): what a selection under a gap bound should choose from,
    /// since a degenerate model meets a parity bound without deciding anything.
    pub fn without_degenerate(&self, curve: &TradeoffCurve) -> Result<TradeoffCurve> {
        self.filter(curve, |i| !i.is_degenerate())
    }

    /// One row per point and split: method, parameters, split and what its decisions are
    /// (`informative`, `constant rule: …`, `constant within group …`, or `accuracy … does not
    /// beat the majority-class rule's …`), written next to a curve so that every table can be
    /// read knowing which points decide nothing.
    pub fn write_decisions_csv(&self, path: impl AsRef<std::path::Path>) -> Result<()> {
        let mut rows = vec![vec![
            "method".to_string(),
            "params".to_string(),
            "split".to_string(),
            "positive_rate".to_string(),
            "accuracy".to_string(),
            "majority_accuracy".to_string(),
            "degenerate".to_string(),
            "decisions".to_string(),
        ]];
        for (point, info) in self.curve.points().iter().zip(&self.info) {
            for split in Split::ALL {
                if let Some(p) = info.profile(split) {
                    rows.push(vec![
                        point.method().to_string(),
                        point.param_label(),
                        split.to_string(),
                        number(p.overall_positive_rate),
                        number(p.accuracy),
                        number(p.majority_accuracy),
                        p.is_degenerate().to_string(),
                        p.to_string(),
                    ]);
                }
            }
        }
        write_rows(path.as_ref(), &rows)
    }
}

/// A point's identity within a sweep: its method and parameters.
fn key(point: &CurvePoint) -> (&str, String) {
    (point.method(), point.param_label())
}
