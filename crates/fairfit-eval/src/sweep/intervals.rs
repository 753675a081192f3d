//! Bootstrap intervals of a sweep point's metrics: the model's decisions on one split are
//! resampled (stratified by group, seeded, in parallel, with [`Bootstrap`]'s own draws); the
//! model is not refitted, so an interval states the uncertainty of the *evaluation* on a finite
//! split.
//!
//! Every interval comes from four statistics of the shared vocabulary per replicate — expected
//! error rate, selection rate, TPR and FPR — from which accuracy, balanced accuracy, the
//! demographic-parity difference and ratio, the equalized-odds difference and the
//! equal-opportunity difference follow exactly as [`decision_metrics`](super::decision_metrics)
//! defines them. Decisions may be randomised (a decision probability per row): each statistic is
//! then its expected value, as for the point estimate, and resampling draws rows, never one half
//! of a randomised row. The ROC AUC gets no interval (it would need a sort per replicate).
//!
//! The four statistics condition on the label only, so the engine reads them off group ×
//! label-class cells: a replicate is its weight of every cell ([`ClassCells`]) and its cell sums
//! of the two quantities the statistics average, the error and the decision ([`CellSums`]), and
//! [`ClassCells::means`] gives each statistic's [`GroupMeans`], undefined groups included.
//! A sweep evaluates many points on one split, so [`SplitReplicates`] draws the split's
//! replicates once: every replicate's weight of every row (how many times it was drawn), with
//! the rows laid out cell by cell, after which a point's cell sums for every replicate are one
//! matrix product per cell instead of a pass over resampled rows per replicate.

use std::ops::Range;

use fairfit_data::fairness::{CellSums, ClassCells, GroupMeans, Notion, Quantity, Statistic};
use fairfit_data::FairDataset;
use ndarray::{s, Array2, ArrayView1};
use rayon::prelude::*;

use crate::bootstrap::{draw_counts, Bootstrap};
use crate::curve::names;
use crate::error::{EvalError, Result};
use crate::estimate::Interval;
use crate::metrics::group::group_order;
use crate::metrics::{Outcomes, Undefined, Value};

/// The statistics whose replicate values give every interval: error rate, selection rate, TPR
/// and FPR.
const COLUMNS: [Statistic; 4] = [
    Statistic::error_rate(),
    Statistic::positive_rate(),
    Statistic::true_positive_rate(),
    Statistic::false_positive_rate(),
];

/// The per-row quantities [`COLUMNS`] average, each summed once per cell.
const QUANTITIES: [Quantity; 2] = [Quantity::Error, Quantity::Prediction];

/// The metrics that get intervals, in the order [`statistics`] returns them.
const NAMES: [&str; 6] = [
    names::ACCURACY,
    names::BALANCED_ACCURACY,
    names::DP_DIFFERENCE,
    names::DP_RATIO,
    names::EO_DIFFERENCE,
    names::TPR_DIFFERENCE,
];

/// The metrics of [`NAMES`] from the group means of [`COLUMNS`] on one replicate; each fairness
/// metric is its notion's value, undefined (not taken over fewer groups) when a group's
/// statistic is undefined on the replicate, as in the point value.
fn statistics(means: &[GroupMeans]) -> Vec<Value> {
    let [err, sel, tpr, fpr] = means else {
        return vec![Err(UNDEFINED); NAMES.len()];
    };
    let strict = |notion: Notion, parts: &[GroupMeans]| -> Value {
        if parts.iter().any(|m| m.values.iter().any(Result::is_err)) {
            return Err(UNDEFINED);
        }
        notion.value(parts).map(|v| v.value).map_err(|_| UNDEFINED)
    };
    let balanced = match (tpr.overall, fpr.overall) {
        (Ok(t), Ok(f)) => Ok((t + 1.0 - f) / 2.0),
        _ => Err(UNDEFINED),
    };
    vec![
        err.overall.map(|e| 1.0 - e),
        balanced,
        strict(Notion::demographic_parity(), std::slice::from_ref(sel)),
        strict(
            Notion::demographic_parity().ratio(),
            std::slice::from_ref(sel),
        ),
        strict(Notion::equalized_odds(), &means[2..]),
        strict(Notion::equal_opportunity(), std::slice::from_ref(tpr)),
    ]
}

/// The metrics of [`NAMES`] on one replicate from its cell weights and its cell sums of each of
/// [`QUANTITIES`] (in that order), through [`ClassCells::means`].
fn replicate_values(cells: &ClassCells, sums: &[CellSums]) -> Vec<Value> {
    let means: Vec<GroupMeans> = COLUMNS
        .iter()
        .map(|statistic| {
            let k = QUANTITIES
                .iter()
                .position(|q| *q == statistic.quantity)
                .expect("every column's quantity is summed");
            cells
                .means(*statistic, &sums[k])
                .expect("the columns' conditions read only the label")
        })
        .collect();
    statistics(&means)
}

const UNDEFINED: Undefined = Undefined {
    reason: "undefined on this replicate (a group without positives or negatives)",
};

/// The largest replicate-weight matrix a split keeps, in entries (2²⁵ `f64`, 256 MiB); beyond
/// it each point draws its replicates' weights itself, one replicate at a time.
const MAX_SHARED_ENTRIES: usize = 1 << 25;

/// A split's rows laid out cell by cell (group × label class, in [`ClassCells::cell`] order),
/// and where the bootstrap's draws put them.
struct Layout {
    /// The row of the split at each position.
    rows: Vec<usize>,
    /// Each position's index in the order the bootstrap draws in (group after group).
    drawn: Vec<usize>,
    /// The groups' ranges in that order: the bootstrap's strata.
    strata: Vec<Range<usize>>,
    /// Each cell's positions.
    cells: Vec<Range<usize>>,
    /// The group names.
    names: Vec<String>,
    /// The label (0 or 1) at each position.
    labels: Vec<f64>,
    /// The sample weight at each position (1 without weights).
    base: Vec<f64>,
}

impl Layout {
    fn new(data: &FairDataset) -> Result<Self> {
        let (order, strata) = group_order(data.groups())?;
        let labels = data.labels()?;
        let mut drawn = Vec::with_capacity(order.len());
        let mut cells = Vec::with_capacity(2 * strata.len());
        for range in &strata {
            for class in [false, true] {
                let start = drawn.len();
                drawn.extend(range.clone().filter(|&k| labels[order[k]] == class));
                cells.push(start..drawn.len());
            }
        }
        let rows: Vec<usize> = drawn.iter().map(|&k| order[k]).collect();
        let weights = data.weights();
        Ok(Self {
            labels: rows
                .iter()
                .map(|&r| f64::from(u8::from(labels[r])))
                .collect(),
            base: rows
                .iter()
                .map(|&r| weights.map_or(1.0, |w| w[r]))
                .collect(),
            names: data.groups().names().to_vec(),
            rows,
            drawn,
            strata,
            cells,
        })
    }

    /// The replicate seeded `seed`: each position's sample weight times the number of times
    /// the replicate drew it.
    fn replicate(&self, seed: u64) -> Vec<f64> {
        let mut counts = vec![0u32; self.rows.len()];
        draw_counts(seed, &self.strata, &mut counts);
        self.drawn
            .iter()
            .zip(&self.base)
            .map(|(&k, &b)| b * f64::from(counts[k]))
            .collect()
    }

    /// The cells weighted by a replicate's `weights` (one per position).
    fn class_cells(&self, weights: &[f64]) -> Result<ClassCells> {
        let totals = self
            .cells
            .iter()
            .map(|c| weights[c.clone()].iter().sum())
            .collect();
        Ok(ClassCells::new(self.names.clone(), true, totals)?)
    }

    /// Each position's [`QUANTITIES`] under `decision` (probabilities of the favourable
    /// decision, one per row of the split), by the engine's per-row kernel.
    fn quantities(&self, decision: ArrayView1<'_, f64>) -> Array2<f64> {
        Array2::from_shape_fn((self.rows.len(), QUANTITIES.len()), |(j, k)| {
            QUANTITIES[k]
                .of_prediction(self.labels[j], decision[self.rows[j]])
                .expect("the error and the decision need no score")
        })
    }
}

/// The bootstrap of one split, drawn once and shared by every point evaluated on it.
pub(crate) struct SplitReplicates<'a> {
    boot: &'a Bootstrap,
    layout: Layout,
    /// `None` when the split is too large to keep its replicate weights.
    shared: Option<Shared>,
}

/// The replicate weights of a split.
struct Shared {
    /// One row per replicate, one column per position of the layout: the row's weight times
    /// the number of times the replicate drew it.
    weights: Array2<f64>,
    /// Each replicate's weight of every cell.
    cells: Vec<ClassCells>,
}

impl<'a> SplitReplicates<'a> {
    /// Draws `boot`'s replicates of `data` (stratified by its groups, weighted by its weights).
    pub(crate) fn new(boot: &'a Bootstrap, data: &FairDataset) -> Result<Self> {
        Self::within(boot, data, MAX_SHARED_ENTRIES)
    }

    /// [`SplitReplicates::new`] keeping at most `limit` replicate weights.
    fn within(boot: &'a Bootstrap, data: &FairDataset, limit: usize) -> Result<Self> {
        let layout = Layout::new(data)?;
        let (n, resamples) = (data.nrows(), boot.resamples());
        if resamples.saturating_mul(n) > limit {
            return Ok(Self {
                boot,
                layout,
                shared: None,
            });
        }
        let rows: Vec<Vec<f64>> = boot
            .replicate_seeds()
            .into_par_iter()
            .map(|seed| layout.replicate(seed))
            .collect();
        let cells = rows
            .iter()
            .map(|w| layout.class_cells(w))
            .collect::<Result<_>>()?;
        let weights = Array2::from_shape_vec((resamples, n), rows.concat())
            .expect("one row of n weights per replicate");
        Ok(Self {
            boot,
            layout,
            shared: Some(Shared { weights, cells }),
        })
    }

    /// Percentile intervals of accuracy, balanced accuracy, DP difference and ratio, EO
    /// difference and TPR difference of `decision` (probabilities of the favourable decision,
    /// 0/1 for a deterministic rule) on `data`, the split these replicates were drawn from, by
    /// its groups and weights. A metric gets no interval when it was defined in fewer than two
    /// replicates.
    pub(crate) fn intervals(
        &self,
        decision: ArrayView1<'_, f64>,
        data: &FairDataset,
    ) -> Result<Vec<(&'static str, Interval)>> {
        // The checks of the point metrics: lengths, probabilities.
        Outcomes::scored(&data.labels()?, &decision.to_vec())?;
        if let Some((row, &value)) = decision
            .iter()
            .enumerate()
            .find(|(_, p)| !(0.0..=1.0).contains(*p))
        {
            return Err(EvalError::OutOfDomain {
                what: "decision probabilities",
                row,
                value,
                domain: "[0, 1]",
            });
        }
        let layout = &self.layout;
        if decision.len() != layout.rows.len() {
            return Err(EvalError::LengthMismatch {
                what: "decision probabilities".into(),
                expected: layout.rows.len(),
                found: decision.len(),
            });
        }
        let quantities = layout.quantities(decision);
        let replicates: Vec<Vec<Value>> = match &self.shared {
            Some(shared) => {
                // Per cell, every replicate's sums of every quantity: one matrix product each.
                let sums: Vec<Array2<f64>> = layout
                    .cells
                    .iter()
                    .map(|c| {
                        shared
                            .weights
                            .slice(s![.., c.clone()])
                            .dot(&quantities.slice(s![c.clone(), ..]))
                    })
                    .collect();
                shared
                    .cells
                    .iter()
                    .enumerate()
                    .map(|(r, cells)| {
                        let mut cell_sums = QUANTITIES.map(|_| CellSums::zeros(cells.len(), 0));
                        for (c, cell) in sums.iter().enumerate() {
                            for (k, total) in cell_sums.iter_mut().enumerate() {
                                total.add_row(c, cell[[r, k]]);
                            }
                        }
                        replicate_values(cells, &cell_sums)
                    })
                    .collect()
            }
            None => self
                .boot
                .replicate_seeds()
                .into_par_iter()
                .map(|seed| {
                    let weights = layout.replicate(seed);
                    let cells = layout.class_cells(&weights)?;
                    let mut cell_sums = QUANTITIES.map(|_| CellSums::zeros(cells.len(), 0));
                    for (c, positions) in layout.cells.iter().enumerate() {
                        for j in positions.clone() {
                            for (k, total) in cell_sums.iter_mut().enumerate() {
                                total.add_row(c, weights[j] * quantities[[j, k]]);
                            }
                        }
                    }
                    Ok(replicate_values(&cells, &cell_sums))
                })
                .collect::<Result<_>>()?,
        };
        Ok(NAMES
            .into_iter()
            .zip(self.boot.intervals(&replicates))
            .filter_map(|(name, interval)| interval.map(|i| (name, i)))
            .collect())
    }
}

#[cfg(test)]
mod tests;
