//! Splits that keep every group × label cell in proportion: train/test, train/validation/test
//! and k-fold, seeded and deterministic.
//!
//! Every splitter works on row indices and a *stratum* per row ([`strata`]: active group × label
//! for a [`FairDataset`]), so the same indices can split a [`RawTable`](crate::schema::RawTable)
//! before an encoder is fitted (then nothing about the test rows leaks into the encoding).
//! Within each stratum the rows are shuffled with a seeded `StdRng`; part sizes are shared among
//! strata by largest remainder, so each stratum's count in every part is within one row of exact
//! and the part's total is the rounded exact total.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

/// A training split and a test split of one data set, encoded alike.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainTest {
    /// The rows models are fitted on (and encoders fitted from).
    pub train: FairDataset,
    /// The held-out rows metrics are reported on.
    pub test: FairDataset,
}

/// Training, validation (for choosing hyper-parameters or thresholds) and test splits.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainValTest {
    /// The rows models are fitted on.
    pub train: FairDataset,
    /// The rows choices are tuned on.
    pub validation: FairDataset,
    /// The held-out rows metrics are reported on.
    pub test: FairDataset,
}

/// The stratum of every row: `group * 2 + label` over the active groups (labels must be 0/1).
pub fn strata(data: &FairDataset) -> Result<Vec<usize>> {
    Ok(data
        .groups()
        .of_row()
        .iter()
        .zip(data.labels()?)
        .map(|(&g, y)| 2 * g + usize::from(y))
        .collect())
}

/// A stratified split into parts with given fractions (the rest is the first part), seeded.
///
/// ```
/// use fairfit::data::split::StratifiedSplit;
/// let strata = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
/// let parts = StratifiedSplit::new(&[0.25], 7)?.indices(&strata);
/// assert_eq!((parts[0].len(), parts[1].len()), (9, 3)); // 1 of stratum 0, 2 of stratum 1
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StratifiedSplit {
    fractions: Vec<f64>,
    seed: u64,
}

impl StratifiedSplit {
    /// Parts after the first get these fractions of each stratum (each in (0, 1), sum < 1).
    pub fn new(fractions: &[f64], seed: u64) -> Result<Self> {
        if fractions.is_empty() {
            return Err(DataError::InvalidParameter {
                name: "fractions",
                reason: "no held-out fraction given".into(),
            });
        }
        if let Some(f) = fractions.iter().find(|f| !(**f > 0.0 && **f < 1.0)) {
            return Err(DataError::InvalidParameter {
                name: "fractions",
                reason: format!("{f} is not in (0, 1)"),
            });
        }
        let total: f64 = fractions.iter().sum();
        if total >= 1.0 {
            return Err(DataError::InvalidParameter {
                name: "fractions",
                reason: format!("held-out fractions sum to {total}, leaving no training rows"),
            });
        }
        Ok(Self {
            fractions: fractions.to_vec(),
            seed,
        })
    }

    /// Row indices of every part (first: the remainder), each sorted. Part k takes
    /// `round(n * fraction_k)` rows in total, shared among strata by largest remainder, so each
    /// stratum gives `floor` or `ceil` of its exact share (strictly within one row of it).
    pub fn indices(&self, strata: &[usize]) -> Vec<Vec<usize>> {
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut members = members_of(strata);
        for m in &mut members {
            m.shuffle(&mut rng);
        }
        let sizes: Vec<usize> = members.iter().map(Vec::len).collect();
        let takes: Vec<Vec<usize>> = self
            .fractions
            .iter()
            .map(|&f| largest_remainder(&sizes, f))
            .collect();
        let mut parts = vec![Vec::new(); self.fractions.len() + 1];
        for (s, m) in members.iter().enumerate() {
            let mut start = 0;
            for (k, take) in takes.iter().enumerate() {
                let take = take[s].min(m.len() - start);
                parts[k + 1].extend_from_slice(&m[start..start + take]);
                start += take;
            }
            parts[0].extend_from_slice(&m[start..]);
        }
        for part in &mut parts {
            part.sort_unstable();
        }
        parts
    }
}

/// Integer shares of `round(total * f)` among strata of these sizes: each the floor of its
/// exact share, plus one for the largest fractional parts (ties: earlier stratum).
fn largest_remainder(sizes: &[usize], f: f64) -> Vec<usize> {
    let exact: Vec<f64> = sizes.iter().map(|&n| n as f64 * f).collect();
    let mut take: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let total = (sizes.iter().sum::<usize>() as f64 * f).round() as usize;
    let short = total.saturating_sub(take.iter().sum());
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &s in order.iter().take(short) {
        take[s] += 1;
    }
    take
}

/// Splits a data set into train and test, stratified by active group × label.
///
/// ```
/// use fairfit::data::{split, FairDataset, SensitiveAttribute};
/// use ndarray::Array2;
/// let sex = SensitiveAttribute::from_values("sex", &["M"; 5].iter().chain(&["F"; 5]).collect::<Vec<_>>(), None)?;
/// let y = ndarray::Array1::from(vec![1.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0]);
/// let data = FairDataset::new(Array2::zeros((10, 1)), y, vec![sex])?;
/// let tt = split::train_test(&data, 0.4, 1)?;
/// assert_eq!((tt.train.nrows(), tt.test.nrows()), (6, 4));
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
pub fn train_test(data: &FairDataset, test_fraction: f64, seed: u64) -> Result<TrainTest> {
    let parts = StratifiedSplit::new(&[test_fraction], seed)?.indices(&strata(data)?);
    Ok(TrainTest {
        train: data.select(&parts[0])?,
        test: data.select(&parts[1])?,
    })
}

/// Splits into train, validation and test, stratified by active group × label.
pub fn train_validation_test(
    data: &FairDataset,
    validation_fraction: f64,
    test_fraction: f64,
    seed: u64,
) -> Result<TrainValTest> {
    let parts =
        StratifiedSplit::new(&[validation_fraction, test_fraction], seed)?.indices(&strata(data)?);
    Ok(TrainValTest {
        train: data.select(&parts[0])?,
        validation: data.select(&parts[1])?,
        test: data.select(&parts[2])?,
    })
}

/// Stratified k-fold cross-validation, seeded.
///
/// Rows of each stratum are shuffled and dealt to the folds in turn, continuing where the
/// previous stratum stopped, so every fold holds each stratum's share to within one row and
/// fold sizes differ by at most one.
///
/// ```
/// use fairfit::data::split::KFold;
/// let folds = KFold::new(3, 0)?.folds(&[0, 0, 0, 1, 1, 1, 1, 1, 1])?;
/// assert!(folds.iter().all(|f| f.len() == 3));
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KFold {
    k: usize,
    seed: u64,
}

impl KFold {
    /// `k` folds (at least 2).
    pub fn new(k: usize, seed: u64) -> Result<Self> {
        if k < 2 {
            return Err(DataError::InvalidParameter {
                name: "k",
                reason: format!("k-fold needs k >= 2, got {k}"),
            });
        }
        Ok(Self { k, seed })
    }

    /// The held-out row indices of each fold (sorted); together they partition the rows.
    pub fn folds(&self, strata: &[usize]) -> Result<Vec<Vec<usize>>> {
        if strata.len() < self.k {
            return Err(DataError::InvalidParameter {
                name: "k",
                reason: format!(
                    "{} folds need at least {} rows, got {}",
                    self.k,
                    self.k,
                    strata.len()
                ),
            });
        }
        let mut rng = StdRng::seed_from_u64(self.seed);
        let mut folds = vec![Vec::new(); self.k];
        let mut next = 0;
        for mut members in members_of(strata) {
            members.shuffle(&mut rng);
            for row in members {
                folds[next].push(row);
                next = (next + 1) % self.k;
            }
        }
        for fold in &mut folds {
            fold.sort_unstable();
        }
        Ok(folds)
    }

    /// The k train/test pairs of a data set, stratified by active group × label.
    pub fn split(&self, data: &FairDataset) -> Result<Vec<TrainTest>> {
        let folds = self.folds(&strata(data)?)?;
        let n = data.nrows();
        folds
            .iter()
            .map(|held_out| {
                let mut is_test = vec![false; n];
                for &r in held_out {
                    is_test[r] = true;
                }
                let train: Vec<usize> = (0..n).filter(|&r| !is_test[r]).collect();
                Ok(TrainTest {
                    train: data.select(&train)?,
                    test: data.select(held_out)?,
                })
            })
            .collect()
    }
}

/// Row indices of each stratum, in row order, strata in increasing order.
fn members_of(strata: &[usize]) -> Vec<Vec<usize>> {
    let n_strata = strata.iter().max().map_or(0, |&m| m + 1);
    let mut members = vec![Vec::new(); n_strata];
    for (row, &s) in strata.iter().enumerate() {
        members[s].push(row);
    }
    members.retain(|m| !m.is_empty());
    members
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SensitiveAttribute;
    use ndarray::{Array1, Array2};

    /// 3 groups of sizes 50, 30, 20 with positives 10, 15, 4.
    fn data() -> FairDataset {
        let sizes = [(50, 10), (30, 15), (20, 4)];
        let mut groups = Vec::new();
        let mut y = Vec::new();
        for (g, &(n, pos)) in sizes.iter().enumerate() {
            for i in 0..n {
                groups.push(["a", "b", "c"][g]);
                y.push(f64::from(u8::from(i < pos)));
            }
        }
        let attr = SensitiveAttribute::from_values("g", &groups, None).unwrap();
        let x = Array2::from_shape_fn((100, 1), |(i, _)| i as f64);
        FairDataset::new(x, Array1::from(y), vec![attr]).unwrap()
    }

    fn count(strata: &[usize], rows: &[usize], s: usize) -> usize {
        rows.iter().filter(|&&r| strata[r] == s).count()
    }

    fn assert_partition(parts: &[Vec<usize>], n: usize) {
        let mut all: Vec<usize> = parts.concat();
        all.sort_unstable();
        assert_eq!(all, (0..n).collect::<Vec<_>>(), "disjoint and covering");
    }

    #[test]
    fn stratified_split_preserves_each_cell_and_partitions() {
        let d = data();
        let s = strata(&d).unwrap();
        let parts = StratifiedSplit::new(&[0.2, 0.3], 42).unwrap().indices(&s);
        assert_partition(&parts, 100);
        for stratum in 0..6 {
            let size = count(&s, &(0..100).collect::<Vec<_>>(), stratum) as f64;
            for (k, f) in [(1, 0.2), (2, 0.3)] {
                let got = count(&s, &parts[k], stratum) as f64;
                assert!(
                    (got - size * f).abs() <= 0.5 + 1e-9,
                    "stratum {stratum} part {k}"
                );
            }
        }
        assert_eq!((parts[1].len(), parts[2].len()), (20, 30));
        // Cells of size 10 (group a, y=1) give exactly 2 and 3 rows.
        assert_eq!(count(&s, &parts[1], 1), 2);
        assert_eq!(count(&s, &parts[2], 1), 3);
        // Same seed, same split; another seed, another split.
        assert_eq!(
            parts,
            StratifiedSplit::new(&[0.2, 0.3], 42).unwrap().indices(&s)
        );
        assert_ne!(
            parts,
            StratifiedSplit::new(&[0.2, 0.3], 43).unwrap().indices(&s)
        );
    }

    #[test]
    fn train_validation_test_sizes_and_base_rates() {
        let d = data();
        let tvt = train_validation_test(&d, 0.2, 0.2, 3).unwrap();
        assert_eq!(
            (tvt.train.nrows(), tvt.validation.nrows(), tvt.test.nrows()),
            (60, 20, 20)
        );
        // group a: 50 rows, 10 positive -> test holds 10 rows with 2 positives
        let a_test: Vec<f64> = (0..20)
            .filter(|&r| tvt.test.groups().of_row()[r] == 0)
            .map(|r| tvt.test.targets()[r])
            .collect();
        assert_eq!(a_test.len(), 10);
        assert_eq!(a_test.iter().sum::<f64>(), 2.0);
        let tt = train_test(&d, 0.25, 9).unwrap();
        assert_eq!((tt.train.nrows(), tt.test.nrows()), (75, 25));
    }

    #[test]
    fn k_fold_balances_strata_and_partitions() {
        let d = data();
        let s = strata(&d).unwrap();
        let folds = KFold::new(4, 1).unwrap().folds(&s).unwrap();
        assert_partition(&folds, 100);
        assert!(folds.iter().all(|f| f.len() == 25));
        for stratum in 0..6 {
            let counts: Vec<usize> = folds.iter().map(|f| count(&s, f, stratum)).collect();
            let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(hi - lo <= 1, "stratum {stratum}: {counts:?}");
        }
        let pairs = KFold::new(4, 1).unwrap().split(&d).unwrap();
        assert_eq!(pairs.len(), 4);
        assert!(pairs
            .iter()
            .all(|p| p.train.nrows() == 75 && p.test.nrows() == 25));
        // train and test of one fold are disjoint: feature x is the original row index
        let train: Vec<f64> = pairs[0].train.records().column(0).to_vec();
        assert!(pairs[0]
            .test
            .records()
            .column(0)
            .iter()
            .all(|v| !train.contains(v)));
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        assert!(StratifiedSplit::new(&[0.0], 0).is_err());
        assert!(StratifiedSplit::new(&[1.0], 0).is_err());
        assert!(StratifiedSplit::new(&[0.6, 0.4], 0).is_err());
        assert!(StratifiedSplit::new(&[f64::NAN], 0).is_err());
        assert!(StratifiedSplit::new(&[], 0).is_err());
        assert!(KFold::new(1, 0).is_err());
        assert!(KFold::new(5, 0).unwrap().folds(&[0, 1, 0]).is_err());
    }
}
