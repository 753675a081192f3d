//! The search for constraints on one rate per group (demographic parity, equal opportunity).
//!
//! Each group's achievable (rate, utility) pairs are its threshold points; with randomisation, the
//! convex combinations of them. The best utility at rate `r` is then the upper concave envelope
//! `f_g(r)`, and with a tolerance ε every group's rate must lie in a common window `[c, c + ε]`.
//! The total `Σ_g max_{t ∈ [c, c+ε]} f_g(t)` is concave and piecewise linear in `c` with kinks at
//! the envelopes' vertices `v` and at `v − ε`, so its maximum is found by evaluating those.
//! Without randomisation the same window search runs over the points themselves: for the optimal
//! solution the window's left end is some group's rate, and given the window each group takes its
//! best point inside it.

use fairfit_data::fairness::LabelCellKernel;

use super::geometry::{Envelope, Location, Point, EPS};
use super::roc::GroupRoc;
use super::rule::{Cutoff, ThresholdRule};

/// The utility of point `k` of a group.
pub(crate) type UtilityFn<'a> = &'a dyn Fn(&GroupRoc, usize) -> f64;

/// Reusable buffers of [`randomized_into`], so that repeated fits allocate nothing once grown.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    points: Vec<Point>,
    order: Vec<usize>,
    envelopes: Vec<Envelope>,
    starts: Vec<f64>,
    peaks: Vec<f64>,
    targets: Vec<f64>,
    best_targets: Vec<f64>,
}

/// Best rules when every group may randomise between two adjacent envelope vertices, written
/// into `rules` (one per group, their buffers reused), with the working buffers in `scratch`.
pub(crate) fn randomized_into(
    scratch: &mut Scratch,
    rocs: &[GroupRoc],
    rate: &LabelCellKernel,
    utility: UtilityFn<'_>,
    tolerance: f64,
    rules: &mut Vec<ThresholdRule>,
) {
    let Scratch {
        points,
        order,
        envelopes,
        starts,
        peaks,
        targets,
        best_targets,
    } = scratch;
    envelopes.resize_with(rocs.len(), Envelope::default);
    for (env, roc) in envelopes.iter_mut().zip(rocs) {
        points.clear();
        points.extend((0..roc.len()).map(|k| (roc.checked_rate(rate, k), utility(roc, k))));
        env.refill_upper(points, order);
    }
    let envelopes = &envelopes[..rocs.len()];
    let last_start = (1.0 - tolerance).max(0.0);
    starts.clear();
    starts.extend([0.0, last_start]);
    for env in envelopes {
        for &v in &env.xs {
            starts.push(v.clamp(0.0, last_start));
            if tolerance > 0.0 {
                starts.push((v - tolerance).clamp(0.0, last_start));
            }
        }
    }
    starts.sort_by(f64::total_cmp);
    starts.dedup();

    peaks.clear();
    peaks.extend(envelopes.iter().map(Envelope::argmax));
    let mut best: Option<(f64, usize)> = None;
    for &c in starts.iter() {
        targets.clear();
        targets.extend(
            peaks
                .iter()
                .map(|peak| peak.clamp(c, (c + tolerance).min(1.0))),
        );
        let (mut value, mut mixed) = (0.0, 0);
        for (env, &t) in envelopes.iter().zip(targets.iter()) {
            let location = env.locate(t);
            value += env.value_at(location);
            mixed += usize::from(matches!(location, Location::Between { .. }));
        }
        let better = match best {
            None => true,
            Some((v, m)) => value > v + EPS || (value >= v - EPS && mixed < m),
        };
        if better {
            best = Some((value, mixed));
            std::mem::swap(targets, best_targets);
        }
    }
    debug_assert!(best.is_some(), "the candidate starts always include 0");
    rules.resize_with(rocs.len(), || {
        ThresholdRule::deterministic(Cutoff::SelectNone)
    });
    rules.truncate(rocs.len());
    for (((rule, env), roc), &t) in rules
        .iter_mut()
        .zip(envelopes)
        .zip(rocs)
        .zip(best_targets.iter())
    {
        match env.locate(t) {
            Location::Vertex(i) => rule.refill_mixture([(roc.cutoffs[env.vertices[i]], 1.0)]),
            Location::Between { left, left_weight } => rule.refill_mixture([
                (roc.cutoffs[env.vertices[left]], left_weight),
                (roc.cutoffs[env.vertices[left + 1]], 1.0 - left_weight),
            ]),
        }
    }
}

/// Best single threshold per group whose rates all lie within `tolerance` (plus a slack of
/// [`EPS`] for rounding) of each other.
pub(crate) fn deterministic(
    rocs: &[GroupRoc],
    rate: &LabelCellKernel,
    utility: UtilityFn<'_>,
    tolerance: f64,
) -> Vec<ThresholdRule> {
    let rates: Vec<Vec<f64>> = rocs
        .iter()
        .map(|roc| (0..roc.len()).map(|k| roc.checked_rate(rate, k)).collect())
        .collect();
    let tables: Vec<RangeMax> = rocs
        .iter()
        .map(|roc| RangeMax::new((0..roc.len()).map(|k| utility(roc, k)).collect()))
        .collect();
    let mut starts: Vec<f64> = rates.iter().flatten().copied().collect();
    starts.sort_by(f64::total_cmp);
    starts.dedup();

    let mut best = None;
    let rates: Vec<&[f64]> = rates.iter().map(Vec::as_slice).collect();
    best_window(
        &rates,
        &vec![0; rates.len()],
        &tables,
        &starts,
        tolerance,
        &mut best,
    );
    let (_, chosen) = best.expect("the window at rate 0 holds every group's `select nobody` point");
    chosen
        .iter()
        .zip(rocs)
        .map(|(&k, roc)| ThresholdRule::deterministic(roc.cutoffs[k]))
        .collect()
}

/// Tries every window `[lo, lo + tolerance]` (with a slack of [`EPS`]) for `lo` in `starts`:
/// in each, every group's best point by its `tables` among those whose rate lies in the window;
/// keeps in `best` (total utility, point per group) a window that beats it by more than [`EPS`].
/// `rates[g]` are group `g`'s non-decreasing rates of its points from `offsets[g]` on; a window
/// missing some group is skipped.
pub(crate) fn best_window(
    rates: &[&[f64]],
    offsets: &[usize],
    tables: &[RangeMax],
    starts: &[f64],
    tolerance: f64,
    best: &mut Option<(f64, Vec<usize>)>,
) {
    let mut chosen = Vec::with_capacity(rates.len());
    'start: for &lo in starts {
        chosen.clear();
        let mut total = 0.0;
        for ((r, &offset), table) in rates.iter().zip(offsets).zip(tables) {
            let i = offset + r.partition_point(|&v| v < lo - EPS);
            let j = offset + r.partition_point(|&v| v <= lo + tolerance + EPS);
            if i >= j {
                continue 'start;
            }
            let k = table.argmax(i, j);
            total += table.values[k];
            chosen.push(k);
        }
        if best.as_ref().map_or(true, |(v, _)| total > v + EPS) {
            *best = Some((total, chosen.clone()));
        }
    }
}

/// Range-argmax queries in O(1) after O(n log n) preprocessing (a sparse table); ties go to the
/// first index.
pub(crate) struct RangeMax {
    pub(crate) values: Vec<f64>,
    levels: Vec<Vec<usize>>,
}

impl RangeMax {
    pub(crate) fn new(values: Vec<f64>) -> Self {
        let mut levels: Vec<Vec<usize>> = vec![(0..values.len()).collect()];
        let mut width = 1;
        while 2 * width <= values.len() {
            let prev = &levels[levels.len() - 1];
            let next = (0..=values.len() - 2 * width)
                .map(|i| {
                    let (a, b) = (prev[i], prev[i + width]);
                    if values[b] > values[a] {
                        b
                    } else {
                        a
                    }
                })
                .collect();
            levels.push(next);
            width *= 2;
        }
        Self { values, levels }
    }

    /// Index of the largest value in `i..j` (`i < j`).
    pub(crate) fn argmax(&self, i: usize, j: usize) -> usize {
        let level = (usize::BITS - 1 - (j - i).leading_zeros()) as usize;
        let (a, b) = (self.levels[level][i], self.levels[level][j - (1 << level)]);
        if self.values[b] > self.values[a] {
            b
        } else {
            a
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_max_matches_a_scan() {
        let values = vec![3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0];
        let table = RangeMax::new(values.clone());
        for i in 0..values.len() {
            for j in i + 1..=values.len() {
                let mut best = i;
                for k in i..j {
                    if values[k] > values[best] {
                        best = k;
                    }
                }
                assert_eq!(table.argmax(i, j), best, "range {i}..{j}");
            }
        }
    }
}
