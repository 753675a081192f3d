//! [`GroupRoc`]: the operating points of every threshold rule within one group, weighted.

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

    /// Selection rate of point `k`.
    pub fn selection_rate(&self, k: usize) -> f64 {
        (self.tp[k] + self.fp[k]) / (self.positives() + self.negatives())
    }

    /// True-positive rate of point `k` (the group must have positive weight on positives).
    pub fn tpr(&self, k: usize) -> f64 {
        self.tp[k] / self.positives()
    }

    /// False-positive rate of point `k` (the group must have positive weight on negatives).
    pub fn fpr(&self, k: usize) -> f64 {
        self.fp[k] / self.negatives()
    }
}

#[cfg(test)]
mod tests {
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
        assert_eq!(roc.selection_rate(2), 0.8);
        assert_eq!(roc.tpr(1), 2.0 / 3.0);
        assert_eq!(roc.fpr(3), 1.0);
    }
}
