//! Massaging (Kamiran & Calders 2012): relabel the fewest rows, chosen by a ranker, so that every
//! group has the same positive rate while the overall number of positives stays the same.
//!
//! With two groups, a deprived group `d` (lower positive rate) and a favoured group `f`,
//! Kamiran & Calders flip
//!
//! `M = (n_f+ * n_d - n_d+ * n_f) / n`
//!
//! labels in each group: the `M` highest-ranked negatives of `d` are promoted to 1 and the `M`
//! lowest-ranked positives of `f` are demoted to 0 (those closest to the ranker's boundary).
//! `M` is rounded to the nearest integer, halves up. Since `n_d+ + M = n_d * n+ / n`, this is the
//! same as giving each group its share `n_g * n+ / n` of the positives, which is how the
//! method generalises to any number of groups (or intersections): each group's target is its
//! share, rounded by the largest-remainder method so that the targets sum to `n+` exactly
//! (remainder ties go first to groups below their share, then by group order); groups below
//! their target promote their highest-ranked negatives, groups above demote their lowest-ranked
//! positives. That is the minimum number of flips that equalises the rates (up to one row per
//! group) without changing the overall base rate.
//!
//! F. Kamiran and T. Calders, "Data preprocessing techniques for classification without
//! discrimination", Knowledge and Information Systems 33(1), 2012.

use std::fmt;
use std::sync::Arc;

use linfa::ParamGuard;

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{require_unweighted, Cells};
use super::ranker::{score_rows, LogisticRanker, Ranker, SharedScorer};
use super::Preprocessor;

/// Checked parameters of massaging: the ranker.
#[derive(Clone)]
pub struct MassagingValidParams {
    ranker: Arc<dyn Ranker>,
}

impl MassagingValidParams {
    /// The ranker that chooses which labels to flip.
    pub fn ranker(&self) -> &dyn Ranker {
        self.ranker.as_ref()
    }
}

impl fmt::Debug for MassagingValidParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MassagingValidParams")
            .field("ranker", &self.ranker.name())
            .finish()
    }
}

/// Parameters of massaging (builder): [`Fit`](linfa::traits::Fit) them to get a [`Massaging`].
#[derive(Debug, Clone)]
pub struct MassagingParams(MassagingValidParams);

impl Default for MassagingParams {
    fn default() -> Self {
        Self(MassagingValidParams {
            ranker: Arc::new(LogisticRanker::default()),
        })
    }
}

impl MassagingParams {
    /// Sets the ranker (default: [`LogisticRanker`]).
    pub fn ranker(mut self, ranker: impl Ranker + 'static) -> Self {
        self.0.ranker = Arc::new(ranker);
        self
    }
}

impl ParamGuard for MassagingParams {
    type Checked = MassagingValidParams;
    type Error = DataError;

    fn check_ref(&self) -> Result<&Self::Checked> {
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        Ok(self.0)
    }
}

/// Fitted massaging: the ranker's scorer, fitted on the training set.
///
/// ```
/// use fairfit::data::mitigation::{FixedRanker, Massaging};
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::{array, Array1, ArrayView2};
/// // M: 3 of 4 positive; F: 1 of 4 positive. M = (3 * 4 - 1 * 4) / 8 = 1.
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "F", "F", "F", "F"], None)?;
/// let x = array![[0.9], [0.2], [0.6], [0.5], [0.3], [0.8], [0.1], [0.4]];
/// let y = array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let train = FairDataset::new(x, y, vec![sex])?;
/// let ranker = FixedRanker::new("x", |x: ArrayView2<'_, f64>| -> Array1<f64> { x.column(0).to_owned() });
/// let fitted = Massaging::params().ranker(ranker).fit(&train.as_linfa())?;
/// // Demote M's lowest-ranked positive (row 1), promote F's highest-ranked negative (row 5).
/// assert_eq!(fitted.flipped_rows(&train)?, vec![1, 5]);
/// let out = fitted.transform(&train)?;
/// assert_eq!(out.targets().to_vec(), vec![1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Clone)]
pub struct Massaging {
    scorer: SharedScorer,
}

impl fmt::Debug for Massaging {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Massaging").finish_non_exhaustive()
    }
}

impl Massaging {
    /// The parameters, with the default logistic ranker.
    pub fn params() -> MassagingParams {
        MassagingParams::default()
    }

    /// The rows whose labels [`Transformer::transform`](linfa::traits::Transformer::transform) flips, ascending.
    pub fn flipped_rows(&self, data: &FairDataset) -> Result<Vec<usize>> {
        require_unweighted(data, METHOD)?;
        let cells = Cells::new(data)?;
        let scores = score_rows(self.scorer.as_ref(), data)?;
        let mut flipped = Vec::new();
        for (g, target) in positive_targets(&cells).into_iter().enumerate() {
            let positives = cells.count(g, 1);
            if target > positives {
                // Promote the highest-ranked negatives.
                let mut order = cells.rows[g][0].clone();
                order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                flipped.extend_from_slice(&order[..target - positives]);
            } else {
                // Demote the lowest-ranked positives.
                let mut order = cells.rows[g][1].clone();
                order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
                flipped.extend_from_slice(&order[..positives - target]);
            }
        }
        flipped.sort_unstable();
        Ok(flipped)
    }
}

/// Each group's number of positives after massaging: its share `n_g * n+ / n`, rounded by
/// largest remainder so that the shares sum to `n+`.
fn positive_targets(cells: &Cells) -> Vec<usize> {
    let n = cells.total();
    let n_pos = cells.label_count(1);
    let k = cells.n_groups();
    let mut targets: Vec<usize> = (0..k).map(|g| cells.group_count(g) * n_pos / n).collect();
    let remainders: Vec<usize> = (0..k).map(|g| cells.group_count(g) * n_pos % n).collect();
    let short = n_pos - targets.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..k).collect();
    // Largest remainder first; ties go to groups below their share (deprived), then by index.
    order.sort_by_key(|&g| {
        let deprived = cells.count(g, 1) * n < cells.group_count(g) * n_pos;
        (std::cmp::Reverse(remainders[g]), !deprived, g)
    });
    for &g in order.iter().take(short) {
        targets[g] += 1;
    }
    targets
}

const METHOD: &str = "massaging";

impl MassagingValidParams {
    /// Fits the ranker on `train`; fails on sample weights or non-binary labels.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<Massaging> {
        require_unweighted(train, METHOD)?;
        train.labels()?;
        Ok(Massaging {
            scorer: self.ranker.fit_scorer(train)?,
        })
    }
}

impl Massaging {
    /// Flips the labels of [`Massaging::flipped_rows`].
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        let mut targets = data.targets().to_owned();
        for row in self.flipped_rows(data)? {
            targets[row] = 1.0 - targets[row];
        }
        data.clone().with_targets(targets)
    }
}

linfa_traits!(MassagingValidParams => Massaging);

impl Preprocessor for MassagingParams {
    fn name(&self) -> String {
        format!("massaging(ranker={})", self.0.ranker.name())
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{biased, cell_counts};
    use super::super::FixedRanker;
    use super::*;
    use linfa::traits::{Fit, Transformer};
    use ndarray::{Array1, ArrayView2};

    fn by_score() -> FixedRanker {
        FixedRanker::new("score", |x: ArrayView2<'_, f64>| -> Array1<f64> {
            x.column(0).to_owned()
        })
    }

    #[test]
    fn flips_kamiran_calders_m_labels_each_way_with_two_groups() {
        for seed in 0..20 {
            let data = biased(&[170 + seed as usize, 130], seed);
            let c = cell_counts(&data);
            let (fav, dep) = (c[0], c[1]);
            let (n_fav, n_dep) = (fav[0] + fav[1], dep[0] + dep[1]);
            let n = n_fav + n_dep;
            assert!(fav[1] * n_dep > dep[1] * n_fav, "g1 should be deprived");
            // M = (n_f+ n_d - n_d+ n_f) / n, rounded half up.
            let m_exact = (fav[1] * n_dep - dep[1] * n_fav) as f64 / n as f64;
            let m = (m_exact + 0.5).floor() as usize;
            let fitted = Massaging::params()
                .ranker(by_score())
                .fit(&data.as_linfa())
                .unwrap();
            let out = fitted.transform(&data).unwrap();
            let after = cell_counts(&out);
            assert_eq!(after[1][1], dep[1] + m, "seed {seed}: promotions");
            assert_eq!(after[0][1], fav[1] - m, "seed {seed}: demotions");
            assert_eq!(fitted.flipped_rows(&data).unwrap().len(), 2 * m);
            // Rates equal up to one row.
            let rate = |c: [usize; 2]| c[1] as f64 / (c[0] + c[1]) as f64;
            let overall = (fav[1] + dep[1]) as f64 / n as f64;
            assert!((rate(after[0]) - overall).abs() < 1.0 / n_fav as f64);
            assert!((rate(after[1]) - overall).abs() < 1.0 / n_dep as f64);
        }
    }

    #[test]
    fn count_formula_on_a_hand_computed_example_with_a_half() {
        // (n_f, n_f+, n_d, n_d+, M) with n = 10 and M = (n_f+ n_d - n_d+ n_f) / n:
        // 14/10 -> 1, 16/10 -> 2, 25/10 -> 3 (a half, rounded up), 0/10 -> 0.
        let cases: [(usize, usize, usize, usize, usize); 4] = [
            (6, 5, 4, 1, 1),
            (6, 4, 4, 0, 2),
            (5, 5, 5, 0, 3),
            (6, 3, 4, 2, 0),
        ];
        for (n_fav, fav_pos, n_dep, dep_pos, m) in cases {
            let groups: Vec<&str> = (0..n_fav + n_dep)
                .map(|i| if i < n_fav { "f" } else { "d" })
                .collect();
            let y: Array1<f64> = (0..n_fav + n_dep)
                .map(|i| {
                    f64::from(u8::from(if i < n_fav {
                        i < fav_pos
                    } else {
                        i - n_fav < dep_pos
                    }))
                })
                .collect();
            let x = Array1::from_iter((0..n_fav + n_dep).map(|i| i as f64))
                .insert_axis(ndarray::Axis(1));
            let s = crate::SensitiveAttribute::from_values("s", &groups, None).unwrap();
            let data = FairDataset::new(x, y, vec![s]).unwrap();
            let flips = Massaging::params()
                .ranker(by_score())
                .fit(&data.as_linfa())
                .unwrap()
                .flipped_rows(&data)
                .unwrap();
            assert_eq!(
                flips.len(),
                2 * m,
                "case {n_fav} {fav_pos} {n_dep} {dep_pos}"
            );
        }
    }

    #[test]
    fn flips_are_chosen_by_rank_and_generalise_to_many_groups() {
        let data = biased(&[200, 150, 100], 21)
            .with_groups_from(&["group", "band"])
            .unwrap();
        let fitted = Massaging::params()
            .ranker(by_score())
            .fit(&data.as_linfa())
            .unwrap();
        let flipped = fitted.flipped_rows(&data).unwrap();
        let out = fitted.transform(&data).unwrap();
        let before = cell_counts(&data);
        let after = cell_counts(&out);
        let n = data.nrows();
        let n_pos: usize = before.iter().map(|c| c[1]).sum();
        assert_eq!(after.iter().map(|c| c[1]).sum::<usize>(), n_pos);
        let score = data.records().column(0).to_owned();
        let labels = data.labels().unwrap();
        let mut flips_total = 0;
        for (g, (b, a)) in before.iter().zip(&after).enumerate() {
            let n_g = b[0] + b[1];
            let share = (n_g * n_pos) as f64 / n as f64;
            assert!(
                (a[1] as f64 - share).abs() < 1.0,
                "group {g}: {} vs {share}",
                a[1]
            );
            flips_total += a[1].abs_diff(b[1]);
            // Flipped rows of this group are the most extreme in rank among their class.
            let in_g = |i: &usize| data.groups().of_row()[*i] == g;
            let changed: Vec<usize> = flipped.iter().copied().filter(in_g).collect();
            let from_pos = a[1] < b[1];
            let same_class_kept: Vec<usize> = (0..n)
                .filter(|i| in_g(i) && labels[*i] == from_pos && !flipped.contains(i))
                .collect();
            for &i in &changed {
                assert_eq!(labels[i], from_pos);
                for &j in &same_class_kept {
                    if from_pos {
                        assert!(score[i] <= score[j]);
                    } else {
                        assert!(score[i] >= score[j]);
                    }
                }
            }
        }
        assert_eq!(flips_total, flipped.len());
        assert!(flipped.len() > 20);
    }

    #[test]
    fn rejects_weights_and_non_binary_labels() {
        let data = biased(&[30, 30], 2);
        let w = data.clone().with_weights(Array1::ones(60)).unwrap();
        assert!(matches!(
            Massaging::params().ranker(by_score()).fit(&w.as_linfa()),
            Err(DataError::InvalidParameter {
                name: "weights",
                ..
            })
        ));
        let mut t = data.targets().to_owned();
        t[4] = 2.0;
        let bad = data.with_targets(t).unwrap();
        assert!(matches!(
            Massaging::params().ranker(by_score()).fit(&bad.as_linfa()),
            Err(DataError::NotBinary { row: 4, .. })
        ));
    }
}
