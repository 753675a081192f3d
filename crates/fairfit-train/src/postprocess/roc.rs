//! [`GroupRoc`]: the operating points of every threshold rule within one group, weighted.
//!
//! One sort of the group's rows by score and one walk down it give, at every point, the weight
//! decided 1 among the group's negatives and among its positives: the group's label cells for
//! the statistic engine ([`Statistic::over_label_cells`]), from which every rate of the point
//! (selection rate, TPR, FPR) is read, so post-processing has no rate of its own.

use fairfit_data::fairness::{LabelCellKernel, Statistic, Undefined, Value};

use super::rule::Cutoff;

/// The operating points of one group's threshold rules: point `k` selects the rows with the `k`
/// highest distinct scores (`k = 0` selects nobody, the last point everybody), with the weighted
/// true- and false-positive counts it yields on the fitting data.
#[derive(Debug, Clone)]
pub(crate) struct GroupRoc {
    /// The rule of each point.
    pub cutoffs: Vec<Cutoff>,
    /// Weighted true positives of each point (non-decreasing).
    pub tp: Vec<f64>,
    /// Weighted false positives of each point (non-decreasing).
    pub fp: Vec<f64>,
}

impl GroupRoc {
    /// Builds the points from `(score, label, weight)` triples of one group's rows.
    pub fn new(mut rows: Vec<(f64, bool, f64)>) -> Self {
        rows.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut cutoffs = vec![Cutoff::SelectNone];
        let (mut tp, mut fp) = (vec![0.0], vec![0.0]);
        let (mut t, mut f) = (0.0, 0.0);
        let mut i = 0;
        while i < rows.len() {
            let score = rows[i].0;
            while i < rows.len() && rows[i].0 == score {
                if rows[i].1 {
                    t += rows[i].2;
                } else {
                    f += rows[i].2;
                }
                i += 1;
            }
            cutoffs.push(if i == rows.len() {
                Cutoff::SelectAll
            } else {
                Cutoff::AtLeast(score)
            });
            tp.push(t);
            fp.push(f);
        }
        Self { cutoffs, tp, fp }
    }

    /// Points of no row, to be filled by [`GroupRoc::refill_from_levels`].
    pub fn empty() -> Self {
        Self {
            cutoffs: Vec::new(),
            tp: Vec::new(),
            fp: Vec::new(),
        }
    }

    /// Makes these the points of rows aggregated by distinct score: `levels` yields
    /// `(score, positive weight, negative weight)` by strictly decreasing score; levels without
    /// weight hold no row and are skipped. Reuses the buffers.
    pub fn refill_from_levels(&mut self, levels: impl Iterator<Item = (f64, f64, f64)>) {
        self.cutoffs.clear();
        self.tp.clear();
        self.fp.clear();
        self.cutoffs.push(Cutoff::SelectNone);
        self.tp.push(0.0);
        self.fp.push(0.0);
        let (mut t, mut f) = (0.0, 0.0);
        for (score, positives, negatives) in levels {
            if positives + negatives <= 0.0 {
                continue;
            }
            t += positives;
            f += negatives;
            self.cutoffs.push(Cutoff::AtLeast(score));
            self.tp.push(t);
            self.fp.push(f);
        }
        if let Some(last) = self.cutoffs.last_mut() {
            if self.tp.len() > 1 {
                *last = Cutoff::SelectAll;
            }
        }
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.cutoffs.len()
    }

    /// Total weight of positive rows.
    pub fn positives(&self) -> f64 {
        self.tp[self.len() - 1]
    }

    /// Total weight of negative rows.
    pub fn negatives(&self) -> f64 {
        self.fp[self.len() - 1]
    }

    /// Point `k`'s label cells: for the negatives, then the positives, the group's weight with
    /// that label and the weight of those point `k` decides 1.
    #[inline]
    pub fn cells(&self, k: usize) -> [(f64, f64); 2] {
        [
            (self.negatives(), self.fp[k]),
            (self.positives(), self.tp[k]),
        ]
    }

    /// A statistic of the decisions of point `k` (selection rate, TPR, FPR, ...), read by the
    /// engine from the point's label cells; undefined, with the engine's reason, where the
    /// group has no weight in the statistic's condition.
    #[inline]
    pub fn rate(&self, statistic: Statistic, k: usize) -> Value {
        statistic
            .over_label_cells(self.cells(k))
            .unwrap_or(Err(Undefined {
                reason: "thresholds decide on scores: a statistic of the model's own scores has no value at a threshold",
            }))
    }

    /// The rate of point `k` whose kernel is `rate` ([`Statistic::label_cell_kernel`], read
    /// once per fit), for a statistic the group was checked to have at its first point: a rate
    /// of decisions over all rows or a label condition ([`Notion::is_decision_rate`], what
    /// thresholds equalise), whose condition's weight is the same at every point since
    /// thresholds move decisions, not labels. The fit checks every group's constrained rates so
    /// ([`ThresholdOptimizerValidParams::solve`]) before it reads any.
    ///
    /// [`Notion::is_decision_rate`]: fairfit_data::fairness::Notion::is_decision_rate
    /// [`ThresholdOptimizerValidParams::solve`]: super::ThresholdOptimizerValidParams
    #[inline]
    pub fn checked_rate(&self, rate: &LabelCellKernel, k: usize) -> f64 {
        rate.value(self.cells(k))
            .expect("the fit refuses a group without weight in a constrained rate's condition")
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::fairness::{Condition, GroupCells};
    use fairfit_data::Groups;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use super::*;

    #[test]
    fn points_merge_ties_and_end_with_everybody() {
        let roc = GroupRoc::new(vec![
            (0.2, false, 1.0),
            (0.9, true, 2.0),
            (0.5, true, 1.0),
            (0.5, false, 1.0),
        ]);
        assert_eq!(
            roc.cutoffs,
            vec![
                Cutoff::SelectNone,
                Cutoff::AtLeast(0.9),
                Cutoff::AtLeast(0.5),
                Cutoff::SelectAll
            ]
        );
        assert_eq!(roc.tp, vec![0.0, 2.0, 3.0, 3.0]);
        assert_eq!(roc.fp, vec![0.0, 0.0, 1.0, 2.0]);
        assert_eq!(roc.rate(Statistic::positive_rate(), 2), Ok(0.8));
        assert_eq!(roc.rate(Statistic::true_positive_rate(), 1), Ok(2.0 / 3.0));
        assert_eq!(roc.rate(Statistic::false_positive_rate(), 3), Ok(1.0));
        assert!(roc.rate(Statistic::mean_loss(), 1).is_err());
        let no_positives = GroupRoc::new(vec![(0.2, false, 1.0)]);
        assert_eq!(
            no_positives.rate(Statistic::true_positive_rate(), 0),
            Err(Undefined {
                reason: Condition::Positives.lacks()
            })
        );
    }

    /// At every point on random weighted rows, each rate is the engine's statistic of the
    /// decisions the point makes, evaluated row by row through `GroupCells`.
    #[test]
    fn rates_are_the_engines_statistics_of_the_points_decisions() {
        let mut rng = StdRng::seed_from_u64(3);
        for _ in 0..20 {
            let n = rng.gen_range(1..30);
            let rows: Vec<(f64, bool, f64)> = (0..n)
                .map(|_| {
                    let score = f64::from(rng.gen_range(0..6u8));
                    let weight = if rng.gen_bool(0.1) {
                        0.0
                    } else {
                        rng.gen_range(0.0..2.0)
                    };
                    (score, rng.gen_bool(0.4), weight)
                })
                .collect();
            let roc = GroupRoc::new(rows.clone());
            let groups = Groups::new(vec!["g".into()], vec![0; n]).unwrap();
            let weights: Vec<f64> = rows.iter().map(|r| r.2).collect();
            let cells = GroupCells::new(&groups, Some(&weights)).unwrap();
            for k in 0..roc.len() {
                // Bit for bit the ratios of the walk's counts that post-processing read before
                // the engine did, so fitted rules cannot change.
                let (p, n) = (roc.positives(), roc.negatives());
                if p + n > 0.0 {
                    let selected = (roc.tp[k] + roc.fp[k]) / (p + n);
                    assert_eq!(roc.rate(Statistic::positive_rate(), k), Ok(selected));
                }
                if p > 0.0 {
                    let tpr = roc.tp[k] / p;
                    assert_eq!(roc.rate(Statistic::true_positive_rate(), k), Ok(tpr));
                }
                if n > 0.0 {
                    let fpr = roc.fp[k] / n;
                    assert_eq!(roc.rate(Statistic::false_positive_rate(), k), Ok(fpr));
                }
                let decided = |i: usize| {
                    let d = roc.cutoffs[k].selects(rows[i].0);
                    (f64::from(u8::from(rows[i].1)), f64::from(u8::from(d)))
                };
                for statistic in [
                    Statistic::positive_rate(),
                    Statistic::true_positive_rate(),
                    Statistic::false_positive_rate(),
                    Statistic::error_rate(),
                    Statistic::positive_predictive_value(),
                ] {
                    let by_rows = cells.evaluate(statistic, decided).unwrap().values[0];
                    match (roc.rate(statistic, k), by_rows) {
                        (Ok(a), Ok(b)) => assert!((a - b).abs() < 1e-12, "{statistic:?}"),
                        (a, b) => assert_eq!(a, b, "{statistic:?} at point {k}"),
                    }
                }
            }
        }
    }
}
