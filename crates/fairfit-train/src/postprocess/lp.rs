//! A small dense simplex method for `maximise c·v subject to A·v ≤ b, v ≥ 0` when `b ≥ 0` (so
//! the origin is a feasible start and no first phase is needed). Bland's rule makes it terminate
//! on degenerate problems; the problems here have a few hundred rows at most (the edges of the
//! groups' ROC hulls), so a dense tableau is the simple and fast choice.

/// Entries below this are treated as zero in pivoting decisions.
const PIVOT_EPS: f64 = 1e-11;

/// The optimal `v`, or `None` when the problem is unbounded or the iteration cap is reached
/// (which Bland's rule rules out in exact arithmetic).
pub(crate) fn maximise(c: &[f64], a: &[Vec<f64>], b: &[f64]) -> Option<Vec<f64>> {
    let (m, n) = (a.len(), c.len());
    let width = n + m + 1;
    // Rows 0..m: constraints with slack columns n..n+m and the right-hand side last;
    // row m: reduced costs (−c), with the objective value last.
    let mut t = vec![vec![0.0; width]; m + 1];
    for i in 0..m {
        t[i][..n].copy_from_slice(&a[i]);
        t[i][n + i] = 1.0;
        t[i][width - 1] = b[i].max(0.0);
    }
    for j in 0..n {
        t[m][j] = -c[j];
    }
    let mut basis: Vec<usize> = (n..n + m).collect();
    for _ in 0..50 * (n + m + 10) {
        let Some(enter) = (0..n + m).find(|&j| t[m][j] < -PIVOT_EPS) else {
            let mut v = vec![0.0; n];
            for (i, &var) in basis.iter().enumerate() {
                if var < n {
                    v[var] = t[i][width - 1];
                }
            }
            return Some(v);
        };
        let mut leave: Option<usize> = None;
        for i in 0..m {
            if t[i][enter] > PIVOT_EPS {
                let ratio = t[i][width - 1] / t[i][enter];
                leave = match leave {
                    None => Some(i),
                    Some(l) => {
                        let best = t[l][width - 1] / t[l][enter];
                        if ratio < best - PIVOT_EPS
                            || (ratio <= best + PIVOT_EPS && basis[i] < basis[l])
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
        let pivot = t[r][enter];
        t[r].iter_mut().for_each(|v| *v /= pivot);
        let row = t[r].clone();
        for (i, other) in t.iter_mut().enumerate() {
            let f = other[enter];
            if i != r && f != 0.0 {
                other.iter_mut().zip(&row).for_each(|(v, &p)| *v -= f * p);
            }
        }
        basis[r] = enter;
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
