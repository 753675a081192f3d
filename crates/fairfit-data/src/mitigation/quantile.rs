//! Empirical distribution helpers shared by the methods that move values between groups.

/// The values sorted ascending (they are finite: [`crate::FairDataset`] guarantees it).
pub(crate) fn sorted(values: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The mid-rank position of `value` in `sorted`, in (0, 1): `(#below + #equal / 2) / m`.
/// Tied values share one position, so the result is a function of the value.
pub(crate) fn mid_rank(sorted: &[f64], value: f64) -> f64 {
    let below = sorted.partition_point(|&v| v < value);
    let up_to = sorted.partition_point(|&v| v <= value);
    (below as f64 + (up_to - below) as f64 / 2.0) / sorted.len() as f64
}

/// The element of `sorted` at position `u` in [0, 1]: index `floor(u * m)`, capped at `m - 1`.
pub(crate) fn quantile(sorted: &[f64], u: f64) -> f64 {
    let m = sorted.len();
    let i = ((u * m as f64).floor() as usize).min(m - 1);
    sorted[i]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mid_ranks_and_quantiles_round_trip_on_equal_sizes() {
        let a = sorted([3.0, 1.0, 2.0, 2.0]);
        assert_eq!(a, vec![1.0, 2.0, 2.0, 3.0]);
        assert_eq!(mid_rank(&a, 1.0), 0.125);
        assert_eq!(mid_rank(&a, 2.0), 0.5);
        assert_eq!(mid_rank(&a, 0.0), 0.0);
        assert_eq!(mid_rank(&a, 9.0), 1.0);
        let b = sorted([10.0, 20.0, 30.0, 40.0]);
        // Rank r of a group of m maps to rank r of another group of m.
        assert_eq!(quantile(&b, mid_rank(&a, 1.0)), 10.0);
        assert_eq!(quantile(&b, mid_rank(&a, 3.0)), 40.0);
        assert_eq!(quantile(&b, 1.0), 40.0);
    }
}
