//! Preferential sampling (Kamiran & Calders 2012): resample every group x label cell to its
//! independent size, as [uniform sampling](super::UniformSampling), but choose the rows closest
//! to a ranker's decision boundary.
//!
//! Cell (s, y) is brought to `round(n_s * n_y / n)` rows. The rows of a cell are ordered
//! "borderline first": positives by ascending score, negatives by descending score (ties by
//! row index). A cell with too many rows drops its first rows in that order (the favoured
//! group's lowest-ranked positives, the deprived group's highest-ranked negatives); a cell with
//! too few duplicates them in that order, cycling when it must more than double (the deprived
//! group's lowest-ranked positives, the favoured group's highest-ranked negatives). The data far
//! from the boundary, which a classifier learns from most confidently, is left untouched.
//!
//! F. Kamiran and T. Calders, "Data preprocessing techniques for classification without
//! discrimination", Knowledge and Information Systems 33(1), 2012.

use std::fmt;
use std::sync::Arc;

use linfa::ParamGuard;

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{resize_cell, CellTargets};
use super::ranker::{score_rows, LogisticRanker, Ranker, SharedScorer};
use super::Preprocessor;

/// Checked parameters of preferential sampling: the ranker.
#[derive(Clone)]
pub struct PreferentialSamplingValidParams {
    ranker: Arc<dyn Ranker>,
}

impl PreferentialSamplingValidParams {
    /// The ranker that orders rows within a cell.
    pub fn ranker(&self) -> &dyn Ranker {
        self.ranker.as_ref()
    }
}

impl fmt::Debug for PreferentialSamplingValidParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreferentialSamplingValidParams")
            .field("ranker", &self.ranker.name())
            .finish()
    }
}

/// Parameters of preferential sampling (builder): [`Fit`](linfa::traits::Fit) them to get a
/// [`PreferentialSampling`].
#[derive(Debug, Clone)]
pub struct PreferentialSamplingParams(PreferentialSamplingValidParams);

impl Default for PreferentialSamplingParams {
    fn default() -> Self {
        Self(PreferentialSamplingValidParams {
            ranker: Arc::new(LogisticRanker::default()),
        })
    }
}

impl PreferentialSamplingParams {
    /// Sets the ranker (default: [`LogisticRanker`]).
    pub fn ranker(mut self, ranker: impl Ranker + 'static) -> Self {
        self.0.ranker = Arc::new(ranker);
        self
    }
}

impl ParamGuard for PreferentialSamplingParams {
    type Checked = PreferentialSamplingValidParams;
    type Error = DataError;

    fn check_ref(&self) -> Result<&Self::Checked> {
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        Ok(self.0)
    }
}

/// Fitted preferential sampling: the training frequencies and the fitted ranker's scorer.
///
/// ```
/// use fairfit::data::mitigation::{FixedRanker, PreferentialSampling};
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::{array, Array1, ArrayView2};
/// // M: 3 of 4 positive; F: 1 of 4 positive. Feature = score.
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "F", "F", "F", "F"], None)?;
/// let x = array![[0.9], [0.2], [0.6], [0.5], [0.3], [0.8], [0.1], [0.4]];
/// let y = array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0];
/// let train = FairDataset::new(x, y, vec![sex])?;
/// let ranker = FixedRanker::new("x", |x: ArrayView2<'_, f64>| -> Array1<f64> { x.column(0).to_owned() });
/// let out = PreferentialSampling::params().ranker(ranker).fit(&train.as_linfa())?.transform(&train)?;
/// // Every cell must hold round(4 * 4 / 8) = 2 rows. M drops its lowest-ranked positive (0.2)
/// // and duplicates its only negative (0.5); F duplicates its only positive (0.3) and drops its
/// // highest-ranked negative (0.8).
/// assert_eq!(out.records().column(0).to_vec(), vec![0.9, 0.6, 0.5, 0.5, 0.3, 0.3, 0.1, 0.4]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Clone)]
pub struct PreferentialSampling {
    cells: CellTargets,
    scorer: SharedScorer,
}

impl fmt::Debug for PreferentialSampling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreferentialSampling")
            .field("cells", &self.cells)
            .finish_non_exhaustive()
    }
}

impl PreferentialSampling {
    /// The parameters, with the default logistic ranker.
    pub fn params() -> PreferentialSamplingParams {
        PreferentialSamplingParams::default()
    }
}

const METHOD: &str = "preferential sampling";

impl PreferentialSamplingValidParams {
    /// Learns the group and label counts and fits the ranker; fails on sample weights or a
    /// single class.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<PreferentialSampling> {
        Ok(PreferentialSampling {
            cells: CellTargets::fit(train, METHOD)?,
            scorer: self.ranker.fit_scorer(train)?,
        })
    }
}

impl PreferentialSampling {
    /// Resamples `data`'s cells to their independent sizes, borderline rows first (rows in
    /// ascending original order, duplicates next to their original).
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        let (cells, targets) = self.cells.targets(data, METHOD)?;
        let scores = score_rows(self.scorer.as_ref(), data)?;
        let mut rows = Vec::new();
        for (g, target) in targets.iter().enumerate() {
            for (y, &t) in target.iter().enumerate() {
                let mut order = cells.rows[g][y].clone();
                // Borderline first: low-scored positives, high-scored negatives.
                if y == 1 {
                    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
                } else {
                    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                }
                rows.extend(resize_cell(&order, t));
            }
        }
        rows.sort_unstable();
        data.select(&rows)
    }
}

linfa_traits!(PreferentialSamplingValidParams => PreferentialSampling);

impl Preprocessor for PreferentialSamplingParams {
    fn name(&self) -> String {
        format!("preferential-sampling(ranker={})", self.0.ranker.name())
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{auc, biased, cell_counts, occurrences};
    use super::super::FixedRanker;
    use super::*;
    use crate::mitigation::cells::round_ratio;
    use ndarray::{Array1, ArrayView2};

    fn by_score() -> FixedRanker {
        FixedRanker::new("score", |x: ArrayView2<'_, f64>| -> Array1<f64> {
            x.column(0).to_owned()
        })
    }

    #[test]
    fn drops_and_duplicates_borderline_rows_by_rank() {
        let data = biased(&[260, 180, 120], 4);
        let params = PreferentialSampling::params().ranker(by_score());
        let out = params.fit_transform(&data).unwrap();
        let seen = occurrences(&data, &out);
        let before = cell_counts(&data);
        let after = cell_counts(&out);
        let n = data.nrows();
        let n_y = [0, 1].map(|y| before.iter().map(|c| c[y]).sum::<usize>());
        let score = data.records().column(0).to_owned();
        let labels = data.labels().unwrap();
        let (mut grown, mut shrunk) = (0, 0);
        for g in 0..3 {
            let n_s = before[g][0] + before[g][1];
            for y in 0..2 {
                assert_eq!(after[g][y], round_ratio(n_s, n_y[y], n));
                let rows: Vec<usize> = (0..n)
                    .filter(|&i| data.groups().of_row()[i] == g && usize::from(labels[i]) == y)
                    .collect();
                // "Borderline-ness": higher = closer to the boundary.
                let border = |i: usize| if y == 1 { -score[i] } else { score[i] };
                let (m, t) = (rows.len(), after[g][y]);
                if t < m {
                    shrunk += 1;
                    // Every dropped row is more borderline than every kept row.
                    let dropped: Vec<usize> =
                        rows.iter().copied().filter(|&i| seen[i] == 0).collect();
                    let kept: Vec<usize> = rows.iter().copied().filter(|&i| seen[i] == 1).collect();
                    assert_eq!(dropped.len(), m - t);
                    assert_eq!(kept.len(), t);
                    let least = dropped.iter().map(|&i| border(i)).fold(f64::MAX, f64::min);
                    assert!(
                        kept.iter().all(|&i| border(i) < least),
                        "group {g} label {y}"
                    );
                } else if t > m {
                    grown += 1;
                    // t = c * m + r: the r most borderline rows occur c + 1 times, the
                    // others c times.
                    let (c, r) = (t / m, t % m);
                    let more: Vec<usize> =
                        rows.iter().copied().filter(|&i| seen[i] == c + 1).collect();
                    let once: Vec<usize> = rows.iter().copied().filter(|&i| seen[i] == c).collect();
                    assert_eq!(more.len(), r);
                    assert_eq!(once.len(), m - r);
                    let least = more.iter().map(|&i| border(i)).fold(f64::MAX, f64::min);
                    assert!(
                        once.iter().all(|&i| border(i) < least),
                        "group {g} label {y}"
                    );
                }
            }
        }
        assert!(grown >= 2 && shrunk >= 2, "grown {grown}, shrunk {shrunk}");
    }

    #[test]
    fn default_logistic_ranker_moves_the_ranking_of_the_data() {
        // With the logistic ranker, the resampled positives of the deprived group are
        // lower-ranked on average than before (borderline positives were duplicated).
        let data = biased(&[300, 200], 8);
        let out = PreferentialSampling::params().fit_transform(&data).unwrap();
        let mean_pos_score = |d: &FairDataset, g: usize| {
            let l = d.labels().unwrap();
            let xs: Vec<f64> = (0..d.nrows())
                .filter(|&i| l[i] && d.groups().of_row()[i] == g)
                .map(|i| d.records()[[i, 0]])
                .collect();
            xs.iter().sum::<f64>() / xs.len() as f64
        };
        assert!(mean_pos_score(&out, 1) < mean_pos_score(&data, 1));
        // And the scores still separate the classes: the data is resampled, not scrambled.
        let scores = out.records().column(0).to_vec();
        assert!(auc(&scores, &out.labels().unwrap()) > 0.7);
        assert_eq!(
            PreferentialSampling::params().name(),
            "preferential-sampling(ranker=logistic)"
        );
    }
}
