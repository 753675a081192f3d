//! Correlation remover (as Fairlearn's `CorrelationRemover`): remove from each chosen feature
//! its linear dependence on the sensitive group.
//!
//! Fairlearn regresses the features `X` on the centred sensitive columns `S - mean(S)` by least
//! squares and keeps the residual, blended with the original by `alpha`:
//! `X' = alpha * (X - (S - mean(S)) B) + (1 - alpha) * X`.
//! With `S` the one-hot encoding of the active groups, the least-squares fit is the group
//! mean, so `(S - mean(S)) B` is `mean_s(x) - mean(x)` for a row of group `s`, and the repair is
//!
//! `x' = x - alpha * (mean_s(x) - mean(x))`,
//!
//! computed exactly, without a linear solve. At `alpha = 1` every group has the same mean of
//! every repaired feature, so each feature is uncorrelated with every group indicator; at
//! `alpha = 0` nothing changes. Means are unweighted, as in Fairlearn.
//!
//! Fairlearn: `fairlearn.preprocessing.CorrelationRemover` (Bird et al., "Fairlearn: a toolkit
//! for assessing and improving fairness in AI", Microsoft, 2020).

use linfa::ParamGuard;
use serde::{Deserialize, Serialize};

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};

use super::cells::{
    check_features, check_unit_interval, feature_columns, match_groups, nonempty_members,
};
use super::Preprocessor;

/// Checked parameters of the correlation remover.
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationRemoverValidParams {
    alpha: f64,
    columns: Option<Vec<String>>,
}

impl CorrelationRemoverValidParams {
    /// How much of the dependence is removed, in [0, 1].
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// The repaired feature columns (`None`: all).
    pub fn columns(&self) -> Option<&[String]> {
        self.columns.as_deref()
    }
}

/// Parameters of the correlation remover (builder): [`Fit`](linfa::traits::Fit) them to get a
/// [`CorrelationRemover`].
#[derive(Debug, Clone, PartialEq)]
pub struct CorrelationRemoverParams(CorrelationRemoverValidParams);

impl Default for CorrelationRemoverParams {
    fn default() -> Self {
        Self(CorrelationRemoverValidParams {
            alpha: 1.0,
            columns: None,
        })
    }
}

impl CorrelationRemoverParams {
    /// Sets alpha in [0, 1] (default 1: remove all linear dependence).
    pub fn alpha(mut self, alpha: f64) -> Self {
        self.0.alpha = alpha;
        self
    }

    /// Repairs only these feature columns (default: all).
    pub fn columns<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.0.columns = Some(names.into_iter().map(Into::into).collect());
        self
    }
}

impl ParamGuard for CorrelationRemoverParams {
    type Checked = CorrelationRemoverValidParams;
    type Error = DataError;

    /// Rejects an alpha outside [0, 1].
    fn check_ref(&self) -> Result<&Self::Checked> {
        check_unit_interval("alpha", self.0.alpha)?;
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A fitted correlation remover: per repaired column, each group's training mean minus the
/// overall training mean. It saves as JSON, so a repair fitted once applies to test rows later;
/// loaded, it is checked (alpha in [0, 1], columns inside the feature count, one finite shift
/// per group and column).
///
/// ```
/// use fairfit::data::mitigation::CorrelationRemover;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
/// let x = array![[10.0], [14.0], [2.0], [6.0]];
/// let train = FairDataset::new(x, array![1.0, 0.0, 1.0, 0.0], vec![sex])?;
/// // Group means 12 and 4, overall 8: M shifts by -4, F by +4.
/// let out = CorrelationRemover::params().fit(&train.as_linfa())?.transform(&train)?;
/// assert_eq!(out.records().column(0).to_vec(), vec![6.0, 10.0, 6.0, 10.0]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RemoverFile")]
pub struct CorrelationRemover {
    groups: Vec<String>,
    alpha: f64,
    columns: Vec<usize>,
    /// `shift[g][c]`: mean of column `columns[c]` in group g minus its overall mean.
    shift: Vec<Vec<f64>>,
    nfeatures: usize,
}

/// A [`CorrelationRemover`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RemoverFile {
    groups: Vec<String>,
    alpha: f64,
    columns: Vec<usize>,
    shift: Vec<Vec<f64>>,
    nfeatures: usize,
}

impl TryFrom<RemoverFile> for CorrelationRemover {
    type Error = DataError;

    fn try_from(file: RemoverFile) -> Result<Self> {
        check_unit_interval("alpha", file.alpha)?;
        let invalid = |reason: String| DataError::InvalidParameter {
            name: "shift",
            reason,
        };
        if let Some(j) = file.columns.iter().find(|&&j| j >= file.nfeatures) {
            return Err(invalid(format!(
                "column {j} is outside the {} features",
                file.nfeatures
            )));
        }
        let per_column =
            |row: &Vec<f64>| row.len() == file.columns.len() && row.iter().all(|v| v.is_finite());
        if file.shift.len() != file.groups.len() || !file.shift.iter().all(per_column) {
            return Err(invalid(
                "needs one finite shift per group and repaired column".into(),
            ));
        }
        Ok(Self {
            groups: file.groups,
            alpha: file.alpha,
            columns: file.columns,
            shift: file.shift,
            nfeatures: file.nfeatures,
        })
    }
}

impl CorrelationRemover {
    /// The parameters: alpha 1, all columns.
    pub fn params() -> CorrelationRemoverParams {
        CorrelationRemoverParams::default()
    }
}

impl CorrelationRemoverValidParams {
    /// Learns the group means; fails on an unknown column or a group without members.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<CorrelationRemover> {
        let members = nonempty_members(train)?;
        let columns = feature_columns(self.columns.as_deref(), train)?;
        let x = train.records();
        let n = train.nrows() as f64;
        let overall: Vec<f64> = columns.iter().map(|&j| x.column(j).sum() / n).collect();
        let shift = members
            .iter()
            .map(|rows| {
                columns
                    .iter()
                    .zip(&overall)
                    .map(|(&j, mean)| {
                        rows.iter().map(|&r| x[[r, j]]).sum::<f64>() / rows.len() as f64 - mean
                    })
                    .collect()
            })
            .collect();
        Ok(CorrelationRemover {
            groups: train.groups().names().to_vec(),
            alpha: self.alpha,
            columns,
            shift,
            nfeatures: train.nfeatures(),
        })
    }
}

impl CorrelationRemover {
    /// Subtracts `alpha` times the row's group shift from each repaired column.
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        check_features(self.nfeatures, data)?;
        let to_fitted = match_groups(&self.groups, data)?;
        let mut records = data.records().to_owned();
        for (r, &g) in data.groups().of_row().iter().enumerate() {
            for (c, &j) in self.columns.iter().enumerate() {
                records[[r, j]] -= self.alpha * self.shift[to_fitted[g]][c];
            }
        }
        data.clone().with_records(records)
    }
}

linfa_traits!(CorrelationRemoverValidParams => CorrelationRemover);

impl Preprocessor for CorrelationRemoverParams {
    fn name(&self) -> String {
        format!("correlation-remover(alpha={})", self.0.alpha)
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
    use ndarray::{Array1, ArrayView1};

    fn correlation(a: ArrayView1<'_, f64>, b: &Array1<f64>) -> f64 {
        let (ma, mb) = (a.mean().unwrap(), b.mean().unwrap());
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma) * (x - ma)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb) * (y - mb)).sum();
        cov / (va * vb).sqrt()
    }

    fn indicator(data: &FairDataset, g: usize) -> Array1<f64> {
        data.groups()
            .of_row()
            .iter()
            .map(|&h| f64::from(u8::from(h == g)))
            .collect()
    }

    #[test]
    fn alpha_one_leaves_no_correlation_with_any_group() {
        let data = biased(&[300, 200, 100], 12)
            .with_groups_from(&["group", "band"])
            .unwrap();
        let k = data.groups().n_groups();
        assert!(correlation(data.records().column(0), &indicator(&data, 0)).abs() > 0.1);
        let out = CorrelationRemover::params().fit_transform(&data).unwrap();
        for j in 0..data.nfeatures() {
            for g in 0..k {
                let r = correlation(out.records().column(j), &indicator(&data, g));
                assert!(r.abs() < 1e-10, "feature {j}, group {g}: {r}");
            }
        }
        // Overall means are unchanged.
        for j in 0..data.nfeatures() {
            assert!(
                (out.records().column(j).mean().unwrap()
                    - data.records().column(j).mean().unwrap())
                .abs()
                    < 1e-12
            );
        }
    }

    #[test]
    fn matches_fairlearns_least_squares_form_and_interpolates_in_alpha() {
        // Two groups: S centred is one column s_c; B = s_c'X / s_c's_c.
        let data = biased(&[150, 90], 3);
        let s: Array1<f64> = indicator(&data, 1);
        let s_c = &s - s.mean().unwrap();
        let x = data.records();
        let out = CorrelationRemover::params().fit_transform(&data).unwrap();
        for j in 0..data.nfeatures() {
            let beta = s_c.dot(&x.column(j)) / s_c.dot(&s_c);
            for r in 0..data.nrows() {
                let fairlearn = x[[r, j]] - s_c[r] * beta;
                assert!((out.records()[[r, j]] - fairlearn).abs() < 1e-12);
            }
        }
        let zero = CorrelationRemover::params()
            .alpha(0.0)
            .fit_transform(&data)
            .unwrap();
        assert_eq!(zero, data);
        let half = CorrelationRemover::params()
            .alpha(0.5)
            .columns(["score"])
            .fit_transform(&data)
            .unwrap();
        for r in 0..data.nrows() {
            let mid = 0.5 * (x[[r, 0]] + out.records()[[r, 0]]);
            assert!((half.records()[[r, 0]] - mid).abs() < 1e-12);
            assert_eq!(half.records()[[r, 1]], x[[r, 1]]);
        }
    }

    #[test]
    fn saved_and_loaded_it_repairs_new_rows_alike_and_bad_files_are_refused() {
        let (train, test) = (biased(&[150, 90], 3), biased(&[40, 60], 8));
        let fitted = CorrelationRemover::params()
            .alpha(0.8)
            .fit(&train.as_linfa())
            .unwrap();
        let json = serde_json::to_string(&fitted).unwrap();
        let loaded: CorrelationRemover = serde_json::from_str(&json).unwrap();
        assert_eq!(loaded, fitted);
        let repaired = loaded.transform(&test).unwrap();
        assert_eq!(repaired, fitted.transform(&test).unwrap());
        // Test rows move by the training shifts, not by their own group means.
        let own = CorrelationRemover::params()
            .alpha(0.8)
            .fit_transform(&test)
            .unwrap();
        assert_ne!(repaired.records(), own.records());
        let mut doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        doc["shift"][0] = serde_json::json!([0.0]);
        let err = serde_json::from_value::<CorrelationRemover>(doc.clone()).unwrap_err();
        assert!(err.to_string().contains("one finite shift"), "{err}");
        doc["columns"][0] = 99.into();
        assert!(serde_json::from_value::<CorrelationRemover>(doc).is_err());
    }

    #[test]
    fn rejects_bad_alpha_and_columns() {
        let data = biased(&[20, 20], 1);
        for alpha in [-1.0, 2.0, f64::NAN] {
            assert!(matches!(
                CorrelationRemover::params()
                    .alpha(alpha)
                    .fit(&data.as_linfa()),
                Err(DataError::InvalidParameter { name: "alpha", .. })
            ));
        }
        assert!(matches!(
            CorrelationRemover::params()
                .columns(["nope"])
                .fit(&data.as_linfa()),
            Err(DataError::UnknownColumn { .. })
        ));
        let fitted = CorrelationRemover::params().fit(&data.as_linfa()).unwrap();
        let narrow = FairDataset::new(
            data.records().slice(ndarray::s![.., ..2]).to_owned(),
            data.targets().to_owned(),
            data.attributes().to_vec(),
        )
        .unwrap();
        assert!(matches!(
            fitted.transform(&narrow),
            Err(DataError::LengthMismatch {
                expected: 5,
                found: 2,
                ..
            })
        ));
    }
}
