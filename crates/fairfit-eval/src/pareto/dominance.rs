//! Dominance between points and the Pareto front of a curve.

use crate::curve::{Axis, TradeoffCurve};
use crate::error::Result;

/// Whether point `a` dominates point `b` on axes `x` and `y` (coordinates in that order).
pub fn dominates(a: (f64, f64), b: (f64, f64), x: &Axis, y: &Axis) -> bool {
    let (ax, ay, bx, by) = (
        x.oriented(a.0),
        y.oriented(a.1),
        x.oriented(b.0),
        y.oriented(b.1),
    );
    ax >= bx && ay >= by && (ax > bx || ay > by)
}

/// Indices of the non-dominated points of a curve on axes `x` and `y`, ordered by increasing
/// `x` value (ties by increasing `y`), which is the order in which a front is drawn.
///
/// Runs in O(n log n). Fails on an empty curve or when a point lacks either metric.
pub fn pareto_front(curve: &TradeoffCurve, x: &Axis, y: &Axis) -> Result<Vec<usize>> {
    let coords = curve.coordinates(x, y)?;
    Ok(front_of(&coords, x, y))
}

/// The front of plain coordinates; see [`pareto_front`].
pub(crate) fn front_of(coords: &[(f64, f64)], x: &Axis, y: &Axis) -> Vec<usize> {
    // Orient both axes so that larger is better, then sweep in decreasing x: a point is on the
    // front when its y beats every point seen before (or exactly repeats the best one).
    let oriented: Vec<(f64, f64)> = coords
        .iter()
        .map(|&(a, b)| (x.oriented(a), y.oriented(b)))
        .collect();
    let mut order: Vec<usize> = (0..coords.len()).collect();
    order.sort_by(|&i, &j| {
        let (a, b) = (oriented[i], oriented[j]);
        b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1))
    });
    let mut front = Vec::new();
    let mut best: Option<(f64, f64)> = None;
    for i in order {
        let p = oriented[i];
        let keep = match best {
            None => true,
            Some(b) => p.1 > b.1 || p == b,
        };
        if keep {
            front.push(i);
            if best.map_or(true, |b| p.1 > b.1) {
                best = Some(p);
            }
        }
    }
    front.sort_by(|&i, &j| {
        coords[i]
            .0
            .total_cmp(&coords[j].0)
            .then(coords[i].1.total_cmp(&coords[j].1))
            .then(i.cmp(&j))
    });
    front
}
