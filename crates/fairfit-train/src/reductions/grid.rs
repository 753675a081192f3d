//! The multiplier grid of grid search (Fairlearn's `_GridGenerator`): integer points of an L1
//! ball in the basis directions, the smallest ball that holds `size` points, scaled so its
//! radius is `limit`, taken in the order of a lexicographic walk (each coordinate from its
//! most negative allowed value up), and mapped to one multiplier per constraint.

/// `size` multiplier vectors over `n_constraints` constraints. `basis[d] = (pos, neg)`: a
/// positive coefficient in direction `d` weighs constraint `pos`, a negative one constraint
/// `neg` (directions without `neg` take only coefficients ≥ 0). Each point also carries its
/// basis coefficients.
pub(crate) fn multiplier_grid(
    size: usize,
    limit: f64,
    basis: &[(usize, Option<usize>)],
    n_constraints: usize,
) -> Vec<(Vec<f64>, Vec<f64>)> {
    let dim = basis.len();
    if dim == 0 || size == 0 {
        return vec![(vec![0.0; dim], vec![0.0; n_constraints]); size.min(1)];
    }
    let negatives = basis.iter().filter(|(_, neg)| neg.is_some()).count();
    let guess = (size as f64 / 2f64.powi(negatives as i32)).powf(1.0 / dim as f64) - 1.0;
    let mut units = guess.floor().max(0.0) as i64;
    let points = loop {
        let mut points = Vec::new();
        let mut entry = vec![0i64; dim];
        accumulate(basis, 0, units, &mut entry, &mut points, size);
        if points.len() >= size {
            break points;
        }
        units += 1;
    };
    let scale = if units == 0 {
        0.0
    } else {
        limit / units as f64
    };
    points
        .into_iter()
        .take(size)
        .map(|point| {
            let coefficients: Vec<f64> = point.iter().map(|&c| c as f64 * scale).collect();
            let mut lambda = vec![0.0; n_constraints];
            for (&c, &(pos, neg)) in coefficients.iter().zip(basis) {
                if c > 0.0 {
                    lambda[pos] += c;
                } else if let (true, Some(neg)) = (c < 0.0, neg) {
                    lambda[neg] += -c;
                }
            }
            (coefficients, lambda)
        })
        .collect()
}

/// Appends every integer point with `Σ_{d ≥ index} |c_d| ≤ budget` (later coordinates left to
/// vary fastest), stopping once `cap` points are collected.
fn accumulate(
    basis: &[(usize, Option<usize>)],
    index: usize,
    budget: i64,
    entry: &mut Vec<i64>,
    points: &mut Vec<Vec<i64>>,
    cap: usize,
) {
    if points.len() >= cap {
        return;
    }
    if index == basis.len() {
        points.push(entry.clone());
        return;
    }
    let low = if basis[index].1.is_some() { -budget } else { 0 };
    for value in low..=budget {
        entry[index] = value;
        accumulate(basis, index + 1, budget - value.abs(), entry, points, cap);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_two_sided_direction_is_evenly_spaced_from_minus_to_plus_limit() {
        let grid = multiplier_grid(5, 2.0, &[(0, Some(1))], 2);
        let coefficients: Vec<f64> = grid.iter().map(|(c, _)| c[0]).collect();
        assert_eq!(coefficients, vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(grid[0].1, vec![0.0, 2.0]);
        assert_eq!(grid[4].1, vec![2.0, 0.0]);
        assert_eq!(grid[2].1, vec![0.0, 0.0]);
    }

    #[test]
    fn fairlearn_sizes_and_order_in_two_directions() {
        // Fairlearn's 21-point grid over one two-sided direction: steps of 0.2 in [-2, 2].
        let grid = multiplier_grid(21, 2.0, &[(0, Some(1))], 2);
        assert_eq!(grid.len(), 21);
        assert!((grid[1].0[0] + 1.8).abs() < 1e-12);
        // Two two-sided directions, 9 points: units 1 gives 5 points (|c₁| + |c₂| ≤ 1), so 2.
        let grid = multiplier_grid(9, 1.0, &[(0, Some(1)), (2, Some(3))], 4);
        let first: Vec<Vec<f64>> = grid.iter().take(3).map(|(c, _)| c.clone()).collect();
        assert_eq!(
            first,
            vec![vec![-1.0, 0.0], vec![-0.5, -0.5], vec![-0.5, 0.0]]
        );
        // One-sided directions take no negative coefficient.
        let grid = multiplier_grid(3, 1.0, &[(0, None), (1, None)], 2);
        assert!(grid.iter().all(|(c, _)| c.iter().all(|v| *v >= 0.0)));
        assert_eq!(
            multiplier_grid(1, 2.0, &[(0, Some(1))], 2)[0].1,
            vec![0.0, 0.0]
        );
    }
}
