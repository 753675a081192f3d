//! Decoupled classifiers (Dwork, Immorlica, Kalai & Leiserson 2018, "Decoupled Classifiers for
//! Group-Fair and Efficient Machine Learning"): one model per group, each fitted on its group's
//! rows only.
//!
//! A pooled model that may not use the sensitive attribute as a feature scores every group with
//! the same coefficients; a decoupled model lets each group's features weigh differently, so its
//! scores rank each group's rows better. Fairness then comes from choosing the groups'
//! thresholds jointly ([`crate::postprocess::ThresholdOptimizer`] on these scores), which is the
//! paper's recipe. Like any group-specific threshold rule, it uses the group at decision time.
//!
//! ```
//! use fairfit::data::{FairDataset, SensitiveAttribute};
//! use fairfit::train::FairLogisticRegression;
//! use ndarray::array;
//!
//! // In group a the label follows the feature, in group b it goes against it.
//! let g = SensitiveAttribute::from_values("g", &["a", "a", "a", "a", "b", "b", "b", "b"], None)?;
//! let data = FairDataset::new(
//!     array![[2.0], [1.0], [-1.0], [-2.0], [2.0], [1.0], [-1.0], [-2.0]],
//!     array![1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0],
//!     vec![g],
//! )?;
//! let model = FairLogisticRegression::params().l2(1e-2).fit_decoupled(&data)?;
//! let p = model.predict_proba(data.records(), data.groups())?;
//! assert!(p[0] > 0.5 && p[3] < 0.5 && p[4] < 0.5 && p[7] > 0.5);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use fairfit_data::{FairDataset, Groups};
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use crate::error::{Result, TrainError};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::params::ValidFairParams;

/// One fitted model per group, matched to rows by group name. Loaded from JSON it is checked:
/// one model per group, no group named twice, every model of the same width (and each model as
/// [`FittedModel`] is checked); unknown fields are refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "", try_from = "DecoupledFile<K>")]
pub struct DecoupledModel<K: ModelKind> {
    groups: Vec<String>,
    models: Vec<FittedModel<K>>,
}

/// A [`DecoupledModel`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(bound = "", deny_unknown_fields)]
struct DecoupledFile<K: ModelKind> {
    groups: Vec<String>,
    models: Vec<FittedModel<K>>,
}

impl<K: ModelKind> TryFrom<DecoupledFile<K>> for DecoupledModel<K> {
    type Error = TrainError;

    fn try_from(file: DecoupledFile<K>) -> Result<Self> {
        let invalid = |reason: String| TrainError::InvalidParameter {
            name: "groups",
            reason,
        };
        if file.groups.is_empty() {
            return Err(invalid("a decoupled model needs at least one group".into()));
        }
        if file.groups.len() != file.models.len() {
            return Err(TrainError::LengthMismatch {
                what: "models (one per group)".into(),
                expected: file.groups.len(),
                found: file.models.len(),
            });
        }
        if let Some(name) = file
            .groups
            .iter()
            .enumerate()
            .find_map(|(i, g)| file.groups[..i].contains(g).then_some(g))
        {
            return Err(invalid(format!("group `{name}` is listed twice")));
        }
        let width = file.models[0].coefficients().len();
        if let Some((group, model)) = file
            .groups
            .iter()
            .zip(&file.models)
            .find(|(_, m)| m.coefficients().len() != width)
        {
            return Err(TrainError::InGroup {
                group: group.clone(),
                source: Box::new(TrainError::LengthMismatch {
                    what: "coefficients".into(),
                    expected: width,
                    found: model.coefficients().len(),
                }),
            });
        }
        Ok(Self {
            groups: file.groups,
            models: file.models,
        })
    }
}

impl<K: ModelKind> ValidFairParams<K> {
    /// Fits one model per active group of `data`, on that group's rows only, with these
    /// parameters (penalties included, though a group-level penalty has one group to compare
    /// and is usually left out). Fails with [`TrainError::InGroup`] naming the group whose fit
    /// failed (e.g. a group with a single class).
    pub fn fit_decoupled(&self, data: &FairDataset) -> Result<DecoupledModel<K>> {
        let groups = data.groups();
        let models = groups
            .members()
            .iter()
            .zip(groups.names())
            .map(|(rows, name)| {
                let in_group = |source: TrainError| TrainError::InGroup {
                    group: name.clone(),
                    source: Box::new(source),
                };
                let subset = data.select(rows).map_err(|e| in_group(e.into()))?;
                self.fit(&subset).map_err(in_group)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(DecoupledModel {
            groups: groups.names().to_vec(),
            models,
        })
    }
}

impl<K: ModelKind> crate::params::FairParams<K> {
    /// Checks the parameters, then fits one model per group (see
    /// [`ValidFairParams::fit_decoupled`]).
    pub fn fit_decoupled(&self, data: &FairDataset) -> Result<DecoupledModel<K>> {
        linfa::ParamGuard::check_ref(self)?.fit_decoupled(data)
    }
}

impl<K: ModelKind> DecoupledModel<K> {
    /// The groups, in the order of [`DecoupledModel::models`].
    pub fn groups(&self) -> &[String] {
        &self.groups
    }

    /// The per-group models.
    pub fn models(&self) -> &[FittedModel<K>] {
        &self.models
    }

    /// The model of group `name`, if it was fitted.
    pub fn model(&self, name: &str) -> Option<&FittedModel<K>> {
        self.groups
            .iter()
            .position(|g| g == name)
            .map(|k| &self.models[k])
    }

    /// Each row scored by its group's model: P(y = 1 | x, group) for a logistic model, the
    /// prediction for a linear one. Fails on a length mismatch between rows and groups, or a
    /// group no model was fitted for.
    pub fn predict_proba(
        &self,
        records: ArrayView2<'_, f64>,
        groups: &Groups,
    ) -> Result<Array1<f64>> {
        if groups.len() != records.nrows() {
            return Err(TrainError::LengthMismatch {
                what: "groups".into(),
                expected: records.nrows(),
                found: groups.len(),
            });
        }
        let mut out = Array1::zeros(records.nrows());
        for (rows, name) in groups.members().iter().zip(groups.names()) {
            if rows.is_empty() {
                continue;
            }
            let model = self.model(name).ok_or_else(|| TrainError::InGroup {
                group: name.clone(),
                source: Box::new(TrainError::InvalidParameter {
                    name: "groups",
                    reason: format!(
                        "no model was fitted for this group (fitted: {})",
                        self.groups.join(", ")
                    ),
                }),
            })?;
            let subset = records.select(ndarray::Axis(0), rows);
            let scores = model
                .decision_function(subset.view())?
                .mapv(|s| K::LOSS.predict(s));
            for (&i, &s) in rows.iter().zip(&scores) {
                out[i] = s;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FairLogisticRegression;
    use fairfit_data::SensitiveAttribute;
    use ndarray::array;

    fn data() -> FairDataset {
        let g = SensitiveAttribute::from_values(
            "g",
            &["a", "b", "a", "b", "a", "b", "a", "b", "a", "b"],
            None,
        )
        .unwrap();
        FairDataset::new(
            array![
                [2.0, 0.1],
                [2.0, 1.0],
                [1.0, -0.3],
                [1.0, 0.5],
                [-1.0, 0.2],
                [-1.0, -0.5],
                [-2.0, 0.0],
                [-2.0, -1.0],
                [0.5, 0.4],
                [0.2, 0.3]
            ],
            array![1.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0],
            vec![g],
        )
        .unwrap()
    }

    #[test]
    fn each_row_is_scored_by_its_own_groups_model() {
        let data = data();
        let params = FairLogisticRegression::params().l2(0.1);
        let decoupled = params.fit_decoupled(&data).unwrap();
        assert_eq!(decoupled.groups(), ["a", "b"]);
        let scores = decoupled
            .predict_proba(data.records(), data.groups())
            .unwrap();
        for (g, name) in ["a", "b"].iter().enumerate() {
            let rows = &data.groups().members()[g];
            let alone = params.fit(&data.select(rows).unwrap()).unwrap();
            let own = alone
                .predict_proba(data.select(rows).unwrap().records())
                .unwrap();
            for (k, &i) in rows.iter().enumerate() {
                assert!((scores[i] - own[k]).abs() < 1e-12, "group {name} row {i}");
            }
        }
        let json = serde_json::to_string(&decoupled).unwrap();
        let back: DecoupledModel<crate::Logistic> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, decoupled);
        // A saved model is checked on load (issue 13).
        let load = |edit: fn(&mut serde_json::Value)| {
            let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
            edit(&mut v);
            serde_json::from_value::<DecoupledModel<crate::Logistic>>(v)
                .unwrap_err()
                .to_string()
        };
        let err = load(|v| {
            v["models"].as_array_mut().unwrap().pop();
        });
        assert!(
            err.contains("models (one per group) has 1 entries, expected 2"),
            "{err}"
        );
        let err = load(|v| v["groups"][1] = "a".into());
        assert!(err.contains("group `a` is listed twice"), "{err}");
        let err = load(|v| v["models"][1]["kind"] = "linear".into());
        assert!(err.contains("cannot be read from a `linear` one"), "{err}");
        let err = serde_json::from_str::<DecoupledModel<crate::Linear>>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("a linear model cannot be read"), "{err}");
    }

    #[test]
    fn a_group_with_one_class_or_no_model_is_a_typed_error_naming_it() {
        let g = SensitiveAttribute::from_values("g", &["a", "a", "b", "b"], None).unwrap();
        let data = FairDataset::new(
            array![[1.0], [-1.0], [1.0], [-1.0]],
            array![1.0, 0.0, 1.0, 1.0],
            vec![g],
        )
        .unwrap();
        let err = FairLogisticRegression::params()
            .fit_decoupled(&data)
            .unwrap_err();
        assert!(
            matches!(&err, TrainError::InGroup { group, source }
                if group == "b" && matches!(**source, TrainError::SingleClass { .. })),
            "{err}"
        );
        let model = FairLogisticRegression::params()
            .fit_decoupled(&data_with_groups(&["a", "b"]))
            .unwrap();
        let other = Groups::new(vec!["a".into(), "c".into()], vec![0, 1, 0, 1]).unwrap();
        let err = model
            .predict_proba(array![[1.0], [1.0], [0.0], [0.0]].view(), &other)
            .unwrap_err();
        assert!(matches!(&err, TrainError::InGroup { group, .. } if group == "c"));
        let short = Groups::new(vec!["a".into()], vec![0]).unwrap();
        assert!(matches!(
            model.predict_proba(array![[1.0], [0.0]].view(), &short),
            Err(TrainError::LengthMismatch { .. })
        ));
    }

    fn data_with_groups(names: &[&str]) -> FairDataset {
        let values: Vec<&str> = (0..8).map(|i| names[i % names.len()]).collect();
        let g = SensitiveAttribute::from_values("g", &values, None).unwrap();
        FairDataset::new(
            array![[2.0], [1.5], [1.0], [0.5], [-0.5], [-1.0], [-1.5], [-2.0]],
            array![1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 0.0],
            vec![g],
        )
        .unwrap()
    }
}
