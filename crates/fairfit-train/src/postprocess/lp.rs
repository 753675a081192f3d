//! A small dense simplex method for `maximise c·v subject to A·v ≤ b, v ≥ 0` when `b ≥ 0` (so
//! the origin is a feasible start and no first phase is needed). Pivots follow Dantzig's rule
//! (most negative reduced cost) and fall back to Bland's rule, which cannot cycle, after a run of
//! degenerate pivots. The problems here have a few thousand rows at most (the edges of the
//! groups' ROC hulls), so a dense tableau is the simple choice.

/// Entries below this are treated as zero in pivoting decisions.
const PIVOT_EPS: f64 = 1e-11;

/// The optimal `v`, or `None` when the problem is unbounded or the iteration cap is reached
/// (which Bland's rule rules out in exact arithmetic).
///
/// The tableau is the condensed (Tucker) form: one row per basic variable, one column per
/// non-basic one, so a pivot costs O(rows × variables) rather than O(rows²).
pub(crate) fn maximise(c: &[f64], a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let (m, n) = (a.len(), c.len());
    // Row i reads `basic_i + Σ_j t[i][j] · nonbasic_j = t[i][n]`; row m is the objective,
    // `z + Σ_j t[m][j] · nonbasic_j = t[m][n]`. Variables 0..n are the originals, n.. the slacks.
    let mut t: Vec<Vec<f64>> = a
        .iter()
        .zip(b)
        .map(|(row, &bi)| {
            let mut r = row.clone();
            r.push(bi.max(0.0));
            r
        })
        .collect();
    t.push(c.iter().map(|&cj| -cj).chain([0.0]).collect());
    let mut row_var: Vec<usize> = (n..n + m).collect();
    let mut col_var: Vec<usize> = (0..n).collect();
    // Consecutive pivots that did not improve the objective; past a few, Bland's rule.
    let mut stalled = 0;
    for _ in 0..50 * (n + m + 10) {
        let candidates = (0..n).filter(|&j| t[m][j] < -PIVOT_EPS);
        let enter = if stalled < 8 {
            candidates.min_by(|&x, &y| t[m][x].total_cmp(&t[m][y]))
        } else {
            candidates.min_by_key(|&j| col_var[j])
        };
        let Some(s) = enter else {
            let mut v = vec![0.0; n];
            for (i, &var) in row_var.iter().enumerate() {
                if var < n {
                    v[var] = t[i][n];
                }
            }
            return Some(v);
        };
        let mut leave: Option<usize> = None;
        for i in 0..m {
            if t[i][s] > PIVOT_EPS {
                let ratio = t[i][n] / t[i][s];
                leave = match leave {
                    None => Some(i),
                    Some(l) => {
                        let best = t[l][n] / t[l][s];
                        if ratio < best - PIVOT_EPS
                            || (ratio <= best + PIVOT_EPS && row_var[i] < row_var[l])
                        {
                            Some(i)
                        } else {
                            Some(l)
                        }
                    }
                };
            }
        }
        let r = leave?;
        if t[r][n] > PIVOT_EPS {
            stalled = 0;
        } else {
            stalled += 1;
        }
        let p = t[r][s];
        let pivot_row: Vec<f64> = t[r].iter().map(|v| v / p).collect();
        for (i, row) in t.iter_mut().enumerate() {
            if i == r {
                continue;
            }
            let f = row[s];
            if f != 0.0 {
                row.iter_mut()
                    .zip(&pivot_row)
                    .for_each(|(v, &pr)| *v -= f * pr);
                row[s] = -f / p;
            }
        }
        t[r] = pivot_row;
        t[r][s] = 1.0 / p;
        std::mem::swap(&mut row_var[r], &mut col_var[s]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_textbook_problem() {
        // max 3x + 5y s.t. x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18: optimum (2, 6), value 36.
        let v = maximise(
            &[3.0, 5.0],
            &[vec![1.0, 0.0], vec![0.0, 2.0], vec![3.0, 2.0]],
            &[4.0, 12.0, 18.0],
        )
        .unwrap();
        assert!(
            (v[0] - 2.0).abs() < 1e-12 && (v[1] - 6.0).abs() < 1e-12,
            "{v:?}"
        );
    }

    #[test]
    fn reports_unbounded_problems() {
        assert!(maximise(&[1.0, 1.0], &[vec![1.0, -1.0]], &[1.0]).is_none());
    }

    #[test]
    fn terminates_on_a_degenerate_problem() {
        // Beale's cycling example (cycles under the largest-coefficient rule).
        let v = maximise(
            &[0.75, -150.0, 0.02, -6.0],
            &[
                vec![0.25, -60.0, -0.04, 9.0],
                vec![0.5, -90.0, -0.02, 3.0],
                vec![0.0, 0.0, 1.0, 0.0],
            ],
            &[0.0, 0.0, 1.0],
        )
        .unwrap();
        let value = 0.75 * v[0] - 150.0 * v[1] + 0.02 * v[2] - 6.0 * v[3];
        assert!((value - 0.05).abs() < 1e-9, "{v:?} {value}");
    }
}
