//! [`TradeoffPosition`]: where one fitted model sits among the points of a trade-off curve.

use serde::{Deserialize, Serialize};

use crate::curve::{Axis, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::estimate::Estimate;
use crate::pareto::{best_at_gap, dominates, front_of, GapSelection};

/// One model's place on a trade-off curve (performance axis against gap axis): its values, whether
/// it is on the Pareto front, its non-dominated-sorting layer, its ranks, the points that dominate
/// it, and the best point whose gap is no worse than its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TradeoffPosition {
    /// The performance axis (e.g. test accuracy, maximised).
    pub performance: Axis,
    /// The gap axis (e.g. test demographic-parity difference, minimised).
    pub gap: Axis,
    /// Number of points on the curve.
    pub points: usize,
    /// The methods of the curve, in order of first appearance.
    pub methods: Vec<String>,
    /// Index of the reported model's point.
    pub index: usize,
    /// Its performance (with interval when the curve has one).
    pub performance_value: Estimate,
    /// Its gap (with interval when the curve has one).
    pub gap_value: Estimate,
    /// Whether no point of the curve dominates it.
    pub on_front: bool,
    /// Indices of the Pareto front, ordered by gap.
    pub front: Vec<usize>,
    /// Its layer in non-dominated sorting: 1 on the front, 2 on the front once layer 1 is removed,
    /// and so on.
    pub pareto_layer: usize,
    /// Number of layers of the curve.
    pub layers: usize,
    /// 1 + the number of points with strictly better performance.
    pub performance_rank: usize,
    /// 1 + the number of points with a strictly better gap.
    pub gap_rank: usize,
    /// The points that dominate it (empty on the front).
    pub dominated_by: Vec<usize>,
    /// The best performance among the points whose gap is no worse than this model's, chosen as
    /// [`best_at_gap`] does (on validation when the curve has it, with this model's validation gap
    /// as the bound); may be this model itself.
    pub best_at_its_gap: Option<GapSelection>,
}

impl TradeoffPosition {
    /// Places point `index` of `curve` on the axes `performance` × `gap`.
    ///
    /// Errors: [`EvalError::PointOutOfRange`] (also for an empty curve),
    /// [`EvalError::MissingMetric`] when any point lacks an axis metric (on the axes' split, or
    /// on validation when the curve has validation metrics).
    pub fn of(curve: &TradeoffCurve, index: usize, performance: &Axis, gap: &Axis) -> Result<Self> {
        if index >= curve.len() {
            return Err(EvalError::PointOutOfRange {
                index,
                points: curve.len(),
            });
        }
        // (gap, performance) as in the trade-off plot and `Comparison`.
        let coords = curve.coordinates(gap, performance)?;
        let me = coords[index];
        let front = front_of(&coords, gap, performance);
        let (pareto_layer, layers) = layer_of(&coords, index, gap, performance);
        let strictly_better = |k: usize, axis: &Axis| {
            coords
                .iter()
                .filter(|c| {
                    let (v, mine) = if k == 0 { (c.0, me.0) } else { (c.1, me.1) };
                    axis.better(v, mine)
                })
                .count()
        };
        let dominated_by = (0..coords.len())
            .filter(|&j| dominates(coords[j], me, gap, performance))
            .collect();
        let selection_split = if curve.has_validation() {
            crate::curve::Split::Validation
        } else {
            gap.split
        };
        let bound = curve.estimate(index, selection_split, &gap.metric)?.value;
        Ok(Self {
            performance: performance.clone(),
            gap: gap.clone(),
            points: curve.len(),
            methods: curve.methods().into_iter().map(String::from).collect(),
            index,
            performance_value: curve.estimate(index, performance.split, &performance.metric)?,
            gap_value: curve.estimate(index, gap.split, &gap.metric)?,
            on_front: front.contains(&index),
            front,
            pareto_layer,
            layers,
            performance_rank: 1 + strictly_better(1, performance),
            gap_rank: 1 + strictly_better(0, gap),
            dominated_by,
            best_at_its_gap: best_at_gap(curve, performance, gap, bound)?,
        })
    }
}

/// The non-dominated-sorting layer (1-based) of point `index`, and the number of layers.
fn layer_of(coords: &[(f64, f64)], index: usize, x: &Axis, y: &Axis) -> (usize, usize) {
    let mut remaining: Vec<usize> = (0..coords.len()).collect();
    let mut layer_of_index = 0;
    let mut layers = 0;
    while !remaining.is_empty() {
        layers += 1;
        let sub: Vec<(f64, f64)> = remaining.iter().map(|&i| coords[i]).collect();
        let front: Vec<usize> = front_of(&sub, x, y)
            .into_iter()
            .map(|k| remaining[k])
            .collect();
        if front.contains(&index) {
            layer_of_index = layers;
        }
        remaining.retain(|i| !front.contains(i));
    }
    (layer_of_index, layers)
}
