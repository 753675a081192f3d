//! [`FairDataset`]: features, targets and sensitive attributes kept together and validated.

use linfa::dataset::Records;
use linfa::DatasetBase;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};
use crate::groups::{Groups, SensitiveAttribute};

/// A data set for fairness work: a feature matrix, one target per row (0/1 labels for
/// classification, real values for regression), the sensitive attributes, the active group
/// partition, optional sample weights and feature names.
///
/// Sensitive attributes are kept apart from the features: whether a model may see them is the
/// loader's choice (the reference protocols exclude them). The *active* [`Groups`] are what
/// metrics and penalties compare; [`FairDataset::with_groups_from`] switches between an attribute
/// and intersections of several.
///
/// ```
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F"], None)?;
/// let data = FairDataset::new(array![[1.0], [2.0], [3.0]], array![1.0, 0.0, 1.0], vec![sex])?;
/// assert_eq!(data.groups().counts(), vec![1, 2]);
/// assert_eq!(data.labels()?, vec![true, false, true]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
///
/// Loaded from JSON it is checked as when built (lengths, finite values, weights; unknown fields
/// are refused), so a saved data set with inconsistent lengths is an error, not a later panic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "FairDatasetFile")]
pub struct FairDataset {
    records: Array2<f64>,
    targets: Array1<f64>,
    attributes: Vec<SensitiveAttribute>,
    groups: Groups,
    weights: Option<Array1<f64>>,
    feature_names: Vec<String>,
}

/// A [`FairDataset`] as saved, validated into one on load through the checked constructors.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FairDatasetFile {
    records: Array2<f64>,
    targets: Array1<f64>,
    attributes: Vec<SensitiveAttribute>,
    groups: Groups,
    weights: Option<Array1<f64>>,
    feature_names: Vec<String>,
}

impl TryFrom<FairDatasetFile> for FairDataset {
    type Error = DataError;

    fn try_from(file: FairDatasetFile) -> Result<Self> {
        let data = Self::new(file.records, file.targets, file.attributes)?
            .with_feature_names(file.feature_names)?;
        let data = match file.weights {
            Some(weights) => data.with_weights(weights)?,
            None => data,
        };
        check_len("groups", data.nrows(), file.groups.len())?;
        Ok(Self {
            groups: file.groups,
            ..data
        })
    }
}

impl FairDataset {
    /// Builds a data set whose active groups are the levels of the first attribute.
    ///
    /// Checks that every value is finite and every length matches the number of rows.
    pub fn new(
        records: Array2<f64>,
        targets: Array1<f64>,
        attributes: Vec<SensitiveAttribute>,
    ) -> Result<Self> {
        let n = records.nrows();
        if n == 0 {
            return Err(DataError::Empty("the feature matrix has no rows".into()));
        }
        check_len("targets", n, targets.len())?;
        let first = attributes
            .first()
            .ok_or_else(|| DataError::Empty("no sensitive attribute given".into()))?;
        for a in &attributes {
            check_len(&format!("attribute `{}`", a.name()), n, a.len())?;
        }
        let groups = Groups::from_attribute(first)?;
        let feature_names = (0..records.ncols()).map(|j| format!("x{j}")).collect();
        let data = Self {
            records,
            targets,
            attributes,
            groups,
            weights: None,
            feature_names,
        };
        data.check_finite()?;
        Ok(data)
    }

    /// Names the feature columns (one name per column).
    pub fn with_feature_names(mut self, names: Vec<String>) -> Result<Self> {
        check_len("feature names", self.records.ncols(), names.len())?;
        self.feature_names = names;
        Ok(self)
    }

    /// Attaches sample weights (finite, non-negative, not all zero).
    pub fn with_weights(mut self, weights: Array1<f64>) -> Result<Self> {
        check_len("weights", self.nrows(), weights.len())?;
        for (row, &w) in weights.iter().enumerate() {
            if !w.is_finite() {
                return Err(DataError::NonFinite {
                    what: "weights",
                    row,
                    column: None,
                    value: w,
                });
            }
            if w < 0.0 {
                return Err(DataError::InvalidParameter {
                    name: "weights",
                    reason: format!("row {row} has negative weight {w}"),
                });
            }
        }
        if weights.sum() <= 0.0 {
            return Err(DataError::InvalidParameter {
                name: "weights",
                reason: "all weights are zero".into(),
            });
        }
        self.weights = Some(weights);
        Ok(self)
    }

    /// Removes the sample weights.
    pub fn without_weights(mut self) -> Self {
        self.weights = None;
        self
    }

    /// Makes the intersection of the named attributes the active groups
    /// (one name: that attribute's levels).
    pub fn with_groups_from(mut self, names: &[&str]) -> Result<Self> {
        let chosen = names
            .iter()
            .map(|name| {
                self.attribute(name)
                    .ok_or_else(|| DataError::UnknownColumn {
                        name: name.to_string(),
                        context: "sensitive attributes".into(),
                    })
            })
            .collect::<Result<Vec<_>>>()?;
        self.groups = Groups::intersection(&chosen)?;
        Ok(self)
    }

    /// Replaces the targets (e.g. relabelled data), keeping everything else.
    pub fn with_targets(mut self, targets: Array1<f64>) -> Result<Self> {
        check_len("targets", self.nrows(), targets.len())?;
        if let Some((row, &value)) = targets.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(DataError::NonFinite {
                what: "targets",
                row,
                column: None,
                value,
            });
        }
        self.targets = targets;
        Ok(self)
    }

    /// Replaces the feature matrix (same shape, finite values), keeping targets, attributes,
    /// groups and weights: the output of a feature-repairing transformation.
    pub fn with_records(mut self, records: Array2<f64>) -> Result<Self> {
        check_len("feature matrix rows", self.nrows(), records.nrows())?;
        check_len("feature matrix columns", self.nfeatures(), records.ncols())?;
        self.records = records;
        self.check_finite()?;
        Ok(self)
    }

    /// Replaces the sensitive attributes and the active groups together (one entry per row
    /// each), for transformations that move rows between groups.
    pub(crate) fn with_attributes_and_groups(
        mut self,
        attributes: Vec<SensitiveAttribute>,
        groups: Groups,
    ) -> Result<Self> {
        for a in &attributes {
            check_len(&format!("attribute `{}`", a.name()), self.nrows(), a.len())?;
        }
        check_len("groups", self.nrows(), groups.len())?;
        self.attributes = attributes;
        self.groups = groups;
        Ok(self)
    }

    /// The feature matrix, one row per example.
    pub fn records(&self) -> ArrayView2<'_, f64> {
        self.records.view()
    }

    /// The targets: 0/1 labels for classification, real values for regression.
    pub fn targets(&self) -> ArrayView1<'_, f64> {
        self.targets.view()
    }

    /// The targets as booleans (1 = favourable), failing unless every target is 0 or 1.
    pub fn labels(&self) -> Result<Vec<bool>> {
        self.targets
            .iter()
            .enumerate()
            .map(|(row, &y)| match y {
                1.0 => Ok(true),
                0.0 => Ok(false),
                value => Err(DataError::NotBinary { row, value }),
            })
            .collect()
    }

    /// All sensitive attributes.
    pub fn attributes(&self) -> &[SensitiveAttribute] {
        &self.attributes
    }

    /// The sensitive attribute with this name.
    pub fn attribute(&self, name: &str) -> Option<&SensitiveAttribute> {
        self.attributes.iter().find(|a| a.name() == name)
    }

    /// The active groups.
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// The sample weights, if any.
    pub fn weights(&self) -> Option<ArrayView1<'_, f64>> {
        self.weights.as_ref().map(|w| w.view())
    }

    /// The sample weights, or ones when there are none.
    pub fn weights_or_ones(&self) -> Array1<f64> {
        self.weights
            .clone()
            .unwrap_or_else(|| Array1::ones(self.nrows()))
    }

    /// The feature names, one per column.
    pub fn feature_names(&self) -> &[String] {
        &self.feature_names
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.records.nrows()
    }

    /// Number of feature columns.
    pub fn nfeatures(&self) -> usize {
        self.records.ncols()
    }

    /// The rows at these indices (in this order, repeats allowed), with their attributes,
    /// groups and weights. Group names are kept even if a group ends up empty.
    pub fn select(&self, rows: &[usize]) -> Result<Self> {
        if let Some(&bad) = rows.iter().find(|&&r| r >= self.nrows()) {
            return Err(DataError::InvalidParameter {
                name: "rows",
                reason: format!("row {bad} is out of range for {} rows", self.nrows()),
            });
        }
        Ok(Self {
            records: self.records.select(Axis(0), rows),
            targets: self.targets.select(Axis(0), rows),
            attributes: self.attributes.iter().map(|a| a.select(rows)).collect(),
            groups: self.groups.select(rows),
            weights: self.weights.as_ref().map(|w| w.select(Axis(0), rows)),
            feature_names: self.feature_names.clone(),
        })
    }

    /// Borrows the data set as a linfa [`DatasetBase`] whose records are this [`FairDataset`]
    /// (and whose targets are `()`, since the labels travel inside the records): the input of
    /// linfa's [`Fit`](linfa::traits::Fit) for fairfit's pre-processors and models. No copy.
    ///
    /// Why records and not targets: features, labels, sensitive attributes, active groups and
    /// `f64` sample weights must stay row-aligned through every resampling, and are validated
    /// together once, when the data set is built. A `DatasetBase` keeps its fields public and its
    /// weights in `f32`, so splitting a [`FairDataset`] across them would either copy or give up
    /// those guarantees (see `ARCHITECTURE.md`).
    pub fn as_linfa(&self) -> DatasetBase<&Self, ()> {
        DatasetBase::new(self, ())
    }

    /// Converts to a linfa classification data set (labels as `usize` 0/1, weights carried over),
    /// for use with linfa's algorithms.
    pub fn to_linfa_classification(&self) -> Result<DatasetBase<Array2<f64>, Array1<usize>>> {
        let labels: Array1<usize> = self.labels()?.into_iter().map(usize::from).collect();
        Ok(self.with_linfa_extras(DatasetBase::new(self.records.clone(), labels)))
    }

    /// Converts to a linfa regression data set (real targets, weights carried over).
    pub fn to_linfa_regression(&self) -> DatasetBase<Array2<f64>, Array1<f64>> {
        self.with_linfa_extras(DatasetBase::new(self.records.clone(), self.targets.clone()))
    }

    fn with_linfa_extras<T>(
        &self,
        base: DatasetBase<Array2<f64>, T>,
    ) -> DatasetBase<Array2<f64>, T> {
        let base = base.with_feature_names(self.feature_names.clone());
        match &self.weights {
            Some(w) => base.with_weights(w.mapv(|v| v as f32)),
            None => base,
        }
    }

    fn check_finite(&self) -> Result<()> {
        for ((row, col), &value) in self.records.indexed_iter() {
            if !value.is_finite() {
                return Err(DataError::NonFinite {
                    what: "features",
                    row,
                    column: Some(self.feature_names[col].clone()),
                    value,
                });
            }
        }
        if let Some((row, &value)) = self
            .targets
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite())
        {
            return Err(DataError::NonFinite {
                what: "targets",
                row,
                column: None,
                value,
            });
        }
        Ok(())
    }
}

/// A [`FairDataset`] is a set of records for linfa: one sample per row, `nfeatures` columns.
impl Records for FairDataset {
    type Elem = f64;

    fn nsamples(&self) -> usize {
        self.nrows()
    }

    fn nfeatures(&self) -> usize {
        self.records.ncols()
    }
}

fn check_len(what: &str, expected: usize, found: usize) -> Result<()> {
    if expected == found {
        Ok(())
    } else {
        Err(DataError::LengthMismatch {
            what: what.to_string(),
            expected,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn small() -> FairDataset {
        let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F", "M"], None).unwrap();
        let race = SensitiveAttribute::from_values("race", &["W", "W", "B", "B"], None).unwrap();
        FairDataset::new(
            array![[1.0, 0.0], [2.0, 1.0], [3.0, 0.0], [4.0, 1.0]],
            array![1.0, 0.0, 1.0, 0.0],
            vec![sex, race],
        )
        .unwrap()
    }

    #[test]
    fn rejects_non_finite_and_mismatched_inputs() {
        let sex = SensitiveAttribute::from_values("sex", &["M", "F"], None).unwrap();
        let err = FairDataset::new(
            array![[1.0], [f64::NAN]],
            array![0.0, 1.0],
            vec![sex.clone()],
        )
        .unwrap_err();
        assert!(matches!(err, DataError::NonFinite { row: 1, .. }), "{err}");
        let err =
            FairDataset::new(array![[1.0], [2.0]], array![0.0], vec![sex.clone()]).unwrap_err();
        assert!(matches!(
            err,
            DataError::LengthMismatch {
                expected: 2,
                found: 1,
                ..
            }
        ));
        let err = FairDataset::new(array![[1.0], [2.0]], array![0.0, 2.0], vec![sex])
            .unwrap()
            .labels()
            .unwrap_err();
        assert!(matches!(err, DataError::NotBinary { row: 1, .. }));
    }

    /// Issue 13: a saved data set with inconsistent lengths panicked later, in the objective.
    #[test]
    fn saved_data_sets_are_checked_on_load() {
        let good = small()
            .with_groups_from(&["sex", "race"])
            .unwrap()
            .with_weights(array![1.0, 2.0, 1.0, 1.0])
            .unwrap();
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<FairDataset>(&json).unwrap(), good);
        let edited = |from: &str, to: &str| {
            assert!(json.contains(from), "{json} lacks {from}");
            serde_json::from_str::<FairDataset>(&json.replacen(from, to, 1))
                .unwrap_err()
                .to_string()
        };
        let cases = [
            (
                r#""targets":{"v":1,"dim":[4],"data":[1.0,0.0,1.0,0.0]}"#,
                r#""targets":{"v":1,"dim":[3],"data":[1.0,0.0,1.0]}"#,
                "targets has 3 entries, expected 4",
            ),
            (
                r#""codes":[0,1,1,0]"#,
                r#""codes":[0,1,1]"#,
                "attribute `sex` has 3 entries, expected 4",
            ),
            (
                r#""of_row":[0,2,3,1]"#,
                r#""of_row":[0,2,3,1,1]"#,
                "groups has 5 entries, expected 4",
            ),
            (
                r#""data":[1.0,2.0,1.0,1.0]"#,
                r#""data":[1.0,-2.0,1.0,1.0]"#,
                "negative weight",
            ),
            (
                r#""feature_names":["x0","x1"]"#,
                r#""feature_names":["x0"]"#,
                "feature names has 1 entries, expected 2",
            ),
            (
                r#""attributes":["#,
                r#""attributes":[],"old":["#,
                "unknown field `old`",
            ),
            (
                r#""data":[1.0,0.0,2.0,1.0,"#,
                r#""data":[1.0,0.0,"#,
                "dimension",
            ),
        ];
        for (from, to, expected) in cases {
            let err = edited(from, to);
            assert!(err.contains(expected), "{from} → {to}: {err}");
        }
        let no_attribute = edited(r#""attributes":["#, r#""ignored":["#);
        assert!(no_attribute.contains("unknown field"), "{no_attribute}");
    }

    #[test]
    fn switches_to_intersectional_groups_and_selects_rows() {
        let data = small().with_groups_from(&["sex", "race"]).unwrap();
        assert_eq!(data.groups().n_groups(), 4);
        let sub = data.select(&[3, 3, 0]).unwrap();
        assert_eq!(sub.nrows(), 3);
        assert_eq!(sub.records()[[0, 0]], 4.0);
        assert_eq!(sub.groups().names().len(), 4);
        assert!(small().with_groups_from(&["age"]).is_err());
    }

    #[test]
    fn converts_to_linfa_with_weights() {
        let data = small().with_weights(array![1.0, 2.0, 1.0, 2.0]).unwrap();
        let linfa = data.to_linfa_classification().unwrap();
        assert_eq!(linfa.targets, array![1usize, 0, 1, 0]);
        assert_eq!(
            linfa.weights().map(|w| w.to_vec()),
            Some(vec![1.0f32, 2.0, 1.0, 2.0])
        );
        assert!(small().with_weights(array![1.0, -1.0, 1.0, 1.0]).is_err());
    }
}
