//! Disparate-impact remover (Feldman et al. 2015): repair each chosen feature so that its
//! distribution no longer tells the groups apart, while keeping every row's rank within its
//! group.
//!
//! For a feature, let `F_s` and `Q_s` be its empirical distribution and quantile functions in
//! group `s` of the training set. The "median distribution" has, at quantile position `u`, the
//! value `t(u) = median_s Q_s(u)`. Positions are discretised into `Q` equal buckets (default:
//! the smallest group's size, Feldman's choice), bucket `q` standing for `u = (q + 1/2) / Q`. A
//! value `x` of group `s` falls in bucket `q = floor(F_s(x) * Q)` (mid-rank `F_s`, so tied values
//! share a bucket) and is repaired to
//!
//! `x' = (1 - lambda) * x + lambda * t_q`.
//!
//! At `lambda = 1` every group's values take the same `Q` values `t_q`, in shares that differ only
//! by rounding (exactly equal when every group's size is a multiple of `Q`); at `lambda = 0`
//! nothing changes; `t_q` is non-decreasing in `q`, so order within a group is kept.
//!
//! M. Feldman, S. Friedler, J. Moeller, C. Scheidegger and S. Venkatasubramanian, "Certifying
//! and removing disparate impact", KDD 2015.

use linfa::ParamGuard;
use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{
    check_features, check_unit_interval, feature_columns, match_groups, nonempty_members,
};
use super::quantile::{mid_rank, quantile, sorted};
use super::Preprocessor;

/// Checked parameters of the disparate-impact remover.
#[derive(Debug, Clone, PartialEq)]
pub struct DisparateImpactRemoverValidParams {
    level: f64,
    columns: Option<Vec<String>>,
    quantiles: Option<usize>,
}

impl DisparateImpactRemoverValidParams {
    /// The repair level lambda in [0, 1].
    pub fn level(&self) -> f64 {
        self.level
    }

    /// The repaired feature columns (`None`: all).
    pub fn columns(&self) -> Option<&[String]> {
        self.columns.as_deref()
    }

    /// The number of quantile buckets (`None`: the smallest group's size).
    pub fn quantiles(&self) -> Option<usize> {
        self.quantiles
    }
}

/// Parameters of the disparate-impact remover (builder): [`Fit`](linfa::traits::Fit) them to get a
/// [`DisparateImpactRemover`].
#[derive(Debug, Clone, PartialEq)]
pub struct DisparateImpactRemoverParams(DisparateImpactRemoverValidParams);

impl Default for DisparateImpactRemoverParams {
    fn default() -> Self {
        Self(DisparateImpactRemoverValidParams {
            level: 1.0,
            columns: None,
            quantiles: None,
        })
    }
}

impl DisparateImpactRemoverParams {
    /// Sets the repair level lambda in [0, 1] (default 1: full repair).
    pub fn level(mut self, level: f64) -> Self {
        self.0.level = level;
        self
    }

    /// Repairs only these feature columns (default: all; one-hot columns are better left out).
    pub fn columns<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.0.columns = Some(names.into_iter().map(Into::into).collect());
        self
    }

    /// Sets the number of quantile buckets (default: the smallest group's size).
    pub fn quantiles(mut self, quantiles: usize) -> Self {
        self.0.quantiles = Some(quantiles);
        self
    }
}

impl ParamGuard for DisparateImpactRemoverParams {
    type Checked = DisparateImpactRemoverValidParams;
    type Error = DataError;

    /// Rejects a level outside [0, 1] and zero quantiles.
    fn check_ref(&self) -> Result<&Self::Checked> {
        check_unit_interval("level", self.0.level)?;
        if self.0.quantiles == Some(0) {
            return Err(DataError::InvalidParameter {
                name: "quantiles",
                reason: "needs at least one quantile bucket".into(),
            });
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted disparate-impact remover: per repaired column, each group's training values and
/// the median distribution's bucket values. It saves as JSON, so a repair fitted once applies
/// to test rows later; loaded, it is checked (level in [0, 1], every column inside the feature
/// count with one non-empty sorted sample per group and at least one bucket).
///
/// ```
/// use fairfit::data::mitigation::DisparateImpactRemover;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
/// let x = array![[10.0], [30.0], [0.0], [10.0]];
/// let train = FairDataset::new(x, array![1.0, 0.0, 1.0, 0.0], vec![sex])?;
/// let repaired = DisparateImpactRemover::params().fit(&train.as_linfa())?.transform(&train)?;
/// // Two buckets; medians across groups: (10 + 0) / 2 = 5 and (30 + 10) / 2 = 20.
/// assert_eq!(repaired.records().column(0).to_vec(), vec![5.0, 20.0, 5.0, 20.0]);
/// let half = DisparateImpactRemover::params().level(0.5).fit(&train.as_linfa())?.transform(&train)?;
/// assert_eq!(half.records().column(0).to_vec(), vec![7.5, 25.0, 2.5, 15.0]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RemoverFile")]
pub struct DisparateImpactRemover {
    groups: Vec<String>,
    level: f64,
    /// Per repaired column: its index, each group's sorted training values, the bucket values.
    columns: Vec<RepairedColumn>,
    nfeatures: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RepairedColumn {
    index: usize,
    by_group: Vec<Vec<f64>>,
    targets: Vec<f64>,
}

/// A [`DisparateImpactRemover`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoverFile {
    groups: Vec<String>,
    level: f64,
    columns: Vec<RepairedColumn>,
    nfeatures: usize,
}

impl TryFrom<RemoverFile> for DisparateImpactRemover {
    type Error = DataError;

    fn try_from(file: RemoverFile) -> Result<Self> {
        check_unit_interval("level", file.level)?;
        let invalid = |reason: String| DataError::InvalidParameter {
            name: "columns",
            reason,
        };
        for col in &file.columns {
            let sorted_samples = col.by_group.iter().all(|s| {
                !s.is_empty()
                    && s.iter().all(|v| v.is_finite())
                    && s.windows(2).all(|w| w[0] <= w[1])
            });
            if col.index >= file.nfeatures {
                return Err(invalid(format!(
                    "column {} is outside the {} features",
                    col.index, file.nfeatures
                )));
            }
            if col.by_group.len() != file.groups.len() || !sorted_samples {
                return Err(invalid(format!(
                    "column {} needs one non-empty sorted sample per group",
                    col.index
                )));
            }
            if col.targets.is_empty() || !col.targets.iter().all(|v| v.is_finite()) {
                return Err(invalid(format!(
                    "column {} needs finite bucket values",
                    col.index
                )));
            }
        }
        Ok(Self {
            groups: file.groups,
            level: file.level,
            columns: file.columns,
            nfeatures: file.nfeatures,
        })
    }
}

impl DisparateImpactRemover {
    /// The parameters: full repair of all columns, one bucket per row of the smallest group.
    pub fn params() -> DisparateImpactRemoverParams {
        DisparateImpactRemoverParams::default()
    }

    /// The median distribution's values `t_q` of a repaired column, by bucket.
    pub fn bucket_values(&self, column: usize) -> Option<&[f64]> {
        self.columns
            .iter()
            .find(|c| c.index == column)
            .map(|c| c.targets.as_slice())
    }
}

/// The median of a non-empty slice (mean of the two middle values when even).
fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let m = values.len();
    if m % 2 == 1 {
        values[m / 2]
    } else {
        (values[m / 2 - 1] + values[m / 2]) / 2.0
    }
}

impl DisparateImpactRemoverValidParams {
    /// Learns each group's distribution of each repaired column and the median distribution;
    /// fails on an unknown column, an empty group or a group smaller than the bucket count.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<DisparateImpactRemover> {
        let members = nonempty_members(train)?;
        let names = train.groups().names();
        let (smallest, min_size) = members
            .iter()
            .enumerate()
            .map(|(g, rows)| (g, rows.len()))
            .min_by_key(|&(_, m)| m)
            .ok_or_else(|| DataError::Empty("no groups".into()))?;
        let q = self.quantiles.unwrap_or(min_size);
        if q > min_size {
            return Err(DataError::InvalidParameter {
                name: "quantiles",
                reason: format!(
                    "group `{}` has {min_size} rows, fewer than {q} quantile buckets",
                    names[smallest]
                ),
            });
        }
        let x = train.records();
        let columns = feature_columns(self.columns.as_deref(), train)?
            .into_iter()
            .map(|index| {
                let column = x.column(index);
                let by_group: Vec<Vec<f64>> = members
                    .iter()
                    .map(|rows| sorted(rows.iter().map(|&r| column[r])))
                    .collect();
                let targets = (0..q)
                    .map(|b| {
                        let u = (b as f64 + 0.5) / q as f64;
                        let mut at_u: Vec<f64> = by_group.iter().map(|s| quantile(s, u)).collect();
                        median(&mut at_u)
                    })
                    .collect();
                RepairedColumn {
                    index,
                    by_group,
                    targets,
                }
            })
            .collect();
        Ok(DisparateImpactRemover {
            groups: names.to_vec(),
            level: self.level,
            columns,
            nfeatures: train.nfeatures(),
        })
    }
}

impl DisparateImpactRemover {
    /// Repairs the chosen columns of `data`, placing each value by its group's training
    /// distribution.
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        check_features(self.nfeatures, data)?;
        let to_fitted = match_groups(&self.groups, data)?;
        let mut records = data.records().to_owned();
        for col in &self.columns {
            let q = col.targets.len();
            for (r, &g) in data.groups().of_row().iter().enumerate() {
                let x = records[[r, col.index]];
                let u = mid_rank(&col.by_group[to_fitted[g]], x);
                let bucket = ((u * q as f64).floor() as usize).min(q - 1);
                records[[r, col.index]] = (1.0 - self.level) * x + self.level * col.targets[bucket];
            }
        }
        data.clone().with_records(records)
    }
}

linfa_traits!(DisparateImpactRemoverValidParams => DisparateImpactRemover);

impl Preprocessor for DisparateImpactRemoverParams {
    fn name(&self) -> String {
        format!("di-remover(level={})", self.0.level)
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::biased;
    use super::*;
    use linfa::traits::{Fit, Transformer};
    use std::collections::BTreeMap;

    fn column_by_group(data: &FairDataset, j: usize) -> Vec<Vec<f64>> {
        data.groups()
            .members()
            .iter()
            .map(|rows| sorted(rows.iter().map(|&r| data.records()[[r, j]])))
            .collect()
    }

    /// sup over t of |F_a(t) - F_b(t)| for two sorted samples.
    fn ks(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .chain(b)
            .map(|&t| {
                let fa = a.partition_point(|&v| v <= t) as f64 / a.len() as f64;
                let fb = b.partition_point(|&v| v <= t) as f64 / b.len() as f64;
                (fa - fb).abs()
            })
            .fold(0.0, f64::max)
    }

    #[test]
    fn full_repair_makes_group_distributions_identical() {
        // Sizes are multiples of the 50 buckets: the repaired distributions coincide exactly.
        let data = biased(&[200, 100, 50], 17);
        let before = column_by_group(&data, 0);
        assert!(
            ks(&before[0], &before[2]) > 0.2,
            "fixture: score should differ by group"
        );
        let out = DisparateImpactRemover::params()
            .columns(["score", "noise"])
            .fit_transform(&data)
            .unwrap();
        for j in 0..2 {
            let shares: Vec<BTreeMap<u64, f64>> = column_by_group(&out, j)
                .iter()
                .map(|values| {
                    let mut m = BTreeMap::new();
                    for v in values {
                        *m.entry(v.to_bits()).or_insert(0.0) += 1.0 / values.len() as f64;
                    }
                    m
                })
                .collect();
            for s in &shares[1..] {
                assert_eq!(s.len(), shares[0].len());
                for (v, p) in s {
                    assert!((p - shares[0][v]).abs() < 1e-12, "column {j}");
                }
            }
        }
        // The one-hot columns were not asked for and are unchanged.
        assert_eq!(out.records().column(3), data.records().column(3));
    }

    #[test]
    fn full_repair_equalises_cdfs_up_to_rounding_on_uneven_groups() {
        let data = biased(&[230, 170, 90], 2);
        let out = DisparateImpactRemover::params()
            .columns(["score"])
            .fit_transform(&data)
            .unwrap();
        let by_group = column_by_group(&out, 0);
        for a in 0..3 {
            for b in 0..3 {
                // Each group's CDF is within 1/(2 n_g) of (q+1)/Q at every bucket value.
                let bound = 0.5 / by_group[a].len() as f64 + 0.5 / by_group[b].len() as f64;
                assert!(ks(&by_group[a], &by_group[b]) <= bound + 1e-12);
            }
        }
    }

    #[test]
    fn level_zero_is_identity_and_order_within_groups_is_kept() {
        let data = biased(&[120, 80], 4);
        let same = DisparateImpactRemover::params()
            .level(0.0)
            .fit_transform(&data)
            .unwrap();
        assert_eq!(same, data);
        for level in [0.5, 1.0] {
            let out = DisparateImpactRemover::params()
                .level(level)
                .columns(["score"])
                .fit_transform(&data)
                .unwrap();
            for rows in data.groups().members() {
                for &a in &rows {
                    for &b in &rows {
                        let (xa, xb) = (data.records()[[a, 0]], data.records()[[b, 0]]);
                        let (ya, yb) = (out.records()[[a, 0]], out.records()[[b, 0]]);
                        if xa < xb {
                            // Weakly at full repair (a bucket shares one value), strictly below.
                            assert!(if level < 1.0 { ya < yb } else { ya <= yb });
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn saved_and_loaded_it_repairs_new_rows_alike_and_bad_files_are_refused() {
        let (train, test) = (biased(&[120, 80], 4), biased(&[50, 30], 9));
        let fitted = DisparateImpactRemover::params()
            .level(0.7)
            .columns(["score"])
            .fit(&train.as_linfa())
            .unwrap();
        let json = serde_json::to_string(&fitted).unwrap();
        let loaded: DisparateImpactRemover = serde_json::from_str(&json).unwrap();
        assert_eq!(loaded, fitted);
        let repaired = loaded.transform(&test).unwrap();
        assert_eq!(repaired, fitted.transform(&test).unwrap());
        assert_ne!(repaired.records(), test.records());
        let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        doc["columns"][0]["index"] = 99.into();
        let err = serde_json::from_value::<DisparateImpactRemover>(doc.clone()).unwrap_err();
        assert!(err.to_string().contains("outside"), "{err}");
        doc["columns"][0]["index"] = 0.into();
        doc["columns"][0]["targets"] = serde_json::json!([]);
        assert!(serde_json::from_value::<DisparateImpactRemover>(doc.clone()).is_err());
        doc["level"] = 2.0.into();
        assert!(serde_json::from_value::<DisparateImpactRemover>(doc).is_err());
    }

    #[test]
    fn rejects_bad_levels_quantiles_and_columns() {
        let data = biased(&[30, 20], 1);
        for level in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                DisparateImpactRemover::params()
                    .level(level)
                    .fit(&data.as_linfa()),
                Err(DataError::InvalidParameter { name: "level", .. })
            ));
        }
        let err = DisparateImpactRemover::params()
            .quantiles(25)
            .fit(&data.as_linfa())
            .unwrap_err();
        assert!(
            matches!(&err, DataError::InvalidParameter { name: "quantiles", reason } if reason.contains("g1")),
            "{err}"
        );
        assert!(matches!(
            DisparateImpactRemover::params()
                .columns(["age"])
                .fit(&data.as_linfa()),
            Err(DataError::UnknownColumn { .. })
        ));
        let fitted = DisparateImpactRemover::params()
            .fit(&data.as_linfa())
            .unwrap();
        let other = biased(&[10, 10, 10], 2);
        assert!(
            matches!(fitted.transform(&other), Err(DataError::UnknownGroup { name, .. }) if name == "g2")
        );
    }
}
