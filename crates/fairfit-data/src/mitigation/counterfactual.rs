//! Counterfactual augmentation: add, for every row, copies that differ only in the sensitive
//! group (and, optionally, in declared proxy features), keeping the label, so that a model
//! trained on the result sees each outcome under every group.
//!
//! Each row of group `s` gets one copy per target group `s'` (every other group, or a given
//! mapping). In a copy:
//! - the sensitive attributes that define the active groups (those constant within every
//!   group of the training set) take the levels of `s'`; other attributes are kept;
//! - each declared proxy feature is moved by quantile mapping: a value at mid-rank `u` within
//!   `s` in the training set becomes the training value of `s'` at the same position
//!   (`x' = Q_{s'}(F_s(x))`), so a 0/1 proxy of the group flips and a continuous proxy keeps
//!   its rank; all other features, the label and the weight are copied.
//!
//! With every other group as targets, each group ends up with all `n` rows' labels, so every
//! group's positive rate equals the overall one exactly.
//!
//! Related: counterfactual data augmentation (Lu et al., "Gender bias in neural natural
//! language processing", 2020), and counterfactual fairness (Kusner et al., NeurIPS 2017).

use linfa::ParamGuard;

use crate::dataset::FairDataset;
use crate::error::{DataError, Result};
use crate::groups::{Groups, SensitiveAttribute};

use super::cells::{check_features, match_groups};
use super::quantile::{mid_rank, quantile, sorted};
use super::Preprocessor;

/// Which groups each row is copied into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CounterfactualTargets {
    /// Every group other than the row's own.
    #[default]
    AllOthers,
    /// Explicit `(from, to)` pairs of group names; rows of groups without a pair get no copy.
    Mapping(Vec<(String, String)>),
}

/// Checked parameters of counterfactual augmentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterfactualValidParams {
    targets: CounterfactualTargets,
    proxies: Vec<String>,
}

impl CounterfactualValidParams {
    /// Which groups rows are copied into.
    pub fn targets(&self) -> &CounterfactualTargets {
        &self.targets
    }

    /// The proxy feature columns moved along with the group.
    pub fn proxies(&self) -> &[String] {
        &self.proxies
    }
}

/// Parameters of counterfactual augmentation (builder): [`Fit`](linfa::traits::Fit) them to get a
/// [`Counterfactual`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CounterfactualParams(CounterfactualValidParams);

impl CounterfactualParams {
    /// Copies rows of group `from` into group `to` for each pair (default: all other groups).
    pub fn mapping<S: Into<String>>(mut self, pairs: impl IntoIterator<Item = (S, S)>) -> Self {
        self.0.targets = CounterfactualTargets::Mapping(
            pairs
                .into_iter()
                .map(|(a, b)| (a.into(), b.into()))
                .collect(),
        );
        self
    }

    /// Declares feature columns (by name) that stand in for the group and move with it.
    pub fn proxies<S: Into<String>>(mut self, names: impl IntoIterator<Item = S>) -> Self {
        self.0.proxies = names.into_iter().map(Into::into).collect();
        self
    }
}

impl ParamGuard for CounterfactualParams {
    type Checked = CounterfactualValidParams;
    type Error = DataError;

    /// Rejects a pair that maps a group to itself, or the same pair twice.
    fn check_ref(&self) -> Result<&Self::Checked> {
        if let CounterfactualTargets::Mapping(pairs) = &self.0.targets {
            for (i, (from, to)) in pairs.iter().enumerate() {
                if from == to {
                    return Err(DataError::InvalidParameter {
                        name: "mapping",
                        reason: format!("group `{from}` is mapped to itself"),
                    });
                }
                if pairs[..i].contains(&(from.clone(), to.clone())) {
                    return Err(DataError::InvalidParameter {
                        name: "mapping",
                        reason: format!("pair `{from}` -> `{to}` is listed twice"),
                    });
                }
            }
        }
        Ok(&self.0)
    }

    fn check(self) -> Result<Self::Checked> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// Fitted counterfactual augmentation: target groups, each group's attribute levels and the
/// training distribution of every proxy within every group.
///
/// ```
/// use fairfit::data::mitigation::Counterfactual;
/// use linfa::traits::{Fit, Transformer};
/// use fairfit::data::{FairDataset, SensitiveAttribute};
/// use ndarray::array;
/// let sex = SensitiveAttribute::from_values("sex", &["M", "M", "F", "F"], None)?;
/// // Feature 0 is a proxy of sex (height), feature 1 is not.
/// let x = array![[180.0, 1.0], [170.0, 2.0], [160.0, 3.0], [165.0, 4.0]];
/// let train = FairDataset::new(x, array![1.0, 1.0, 0.0, 1.0], vec![sex])?
///     .with_feature_names(vec!["height".into(), "tenure".into()])?;
/// let out = Counterfactual::params().proxies(["height"]).fit(&train.as_linfa())?.transform(&train)?;
/// assert_eq!(out.nrows(), 8);
/// // Row 0 (M, tallest M) becomes an F copy with the tallest F height, same tenure and label.
/// assert_eq!(out.records().row(4).to_vec(), vec![165.0, 1.0]);
/// assert_eq!(out.groups().names()[out.groups().of_row()[4]], "F");
/// assert_eq!(out.targets()[4], 1.0);
/// // Every group now has the overall positive rate, 3/4.
/// assert_eq!(out.groups().counts(), vec![4, 4]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Counterfactual {
    groups: Vec<String>,
    /// Target groups (fitted indices) of each fitted group.
    targets: Vec<Vec<usize>>,
    /// Per attribute name: the level name of every fitted group, when the attribute is
    /// constant within every group (it defines the groups).
    levels: Vec<(String, Vec<String>)>,
    /// Proxy columns and, per proxy, the sorted training values of every fitted group.
    proxies: Vec<(usize, Vec<Vec<f64>>)>,
    nfeatures: usize,
}

impl Counterfactual {
    /// The parameters: copies into every other group, no proxies.
    pub fn params() -> CounterfactualParams {
        CounterfactualParams::default()
    }
}

impl CounterfactualValidParams {
    /// Resolves the target groups and proxy columns and learns the proxies' distributions;
    /// fails on an unknown group or column.
    pub(super) fn learn(&self, train: &FairDataset) -> Result<Counterfactual> {
        let groups = train.groups();
        let names = groups.names().to_vec();
        let members = groups.members();
        if let Some(g) = members.iter().position(Vec::is_empty) {
            return Err(DataError::EmptyGroup {
                group: names[g].clone(),
                what: "members".into(),
            });
        }
        let index = |name: &str| {
            names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| DataError::UnknownGroup {
                    name: name.to_string(),
                    known: names.clone(),
                })
        };
        let mut targets = vec![Vec::new(); names.len()];
        match &self.targets {
            CounterfactualTargets::AllOthers => {
                for (g, t) in targets.iter_mut().enumerate() {
                    t.extend((0..names.len()).filter(|&h| h != g));
                }
            }
            CounterfactualTargets::Mapping(pairs) => {
                for (from, to) in pairs {
                    targets[index(from)?].push(index(to)?);
                }
            }
        }
        let levels = train
            .attributes()
            .iter()
            .filter_map(|a| {
                let per_group: Option<Vec<String>> = members
                    .iter()
                    .map(|rows| {
                        let code = a.codes()[rows[0]];
                        rows.iter()
                            .all(|&r| a.codes()[r] == code)
                            .then(|| a.levels()[code].clone())
                    })
                    .collect();
                per_group.map(|l| (a.name().to_string(), l))
            })
            .collect();
        let proxies = self
            .proxies
            .iter()
            .map(|name| {
                let j = train
                    .feature_names()
                    .iter()
                    .position(|f| f == name)
                    .ok_or_else(|| DataError::UnknownColumn {
                        name: name.clone(),
                        context: "feature names".into(),
                    })?;
                let column = train.records().column(j).to_owned();
                let per_group = members
                    .iter()
                    .map(|rows| sorted(rows.iter().map(|&r| column[r])))
                    .collect();
                Ok((j, per_group))
            })
            .collect::<Result<_>>()?;
        Ok(Counterfactual {
            groups: names,
            targets,
            levels,
            proxies,
            nfeatures: train.nfeatures(),
        })
    }
}

impl Counterfactual {
    /// Appends the counterfactual copies after the original rows (row by row, targets in
    /// group order).
    pub(super) fn apply(&self, data: &FairDataset) -> Result<FairDataset> {
        check_features(self.nfeatures, data)?;
        let to_fitted = match_groups(&self.groups, data)?;
        // Output group names: the data's, plus target groups it lacks.
        let mut names = data.groups().names().to_vec();
        let out_index: Vec<usize> = self
            .groups
            .iter()
            .map(|name| match names.iter().position(|n| n == name) {
                Some(i) => i,
                None => {
                    names.push(name.clone());
                    names.len() - 1
                }
            })
            .collect();
        // (source row, fitted source group, fitted target group) of every copy.
        let copies: Vec<(usize, usize, usize)> = data
            .groups()
            .of_row()
            .iter()
            .enumerate()
            .flat_map(|(r, &g)| {
                let f = to_fitted[g];
                self.targets[f].iter().map(move |&t| (r, f, t))
            })
            .collect();
        let mut rows: Vec<usize> = (0..data.nrows()).collect();
        rows.extend(copies.iter().map(|c| c.0));
        let n = data.nrows();
        let mut records = data.records().select(ndarray::Axis(0), &rows);
        for (j, per_group) in &self.proxies {
            for (c, &(r, f, t)) in copies.iter().enumerate() {
                let u = mid_rank(&per_group[f], data.records()[[r, *j]]);
                records[[n + c, *j]] = quantile(&per_group[t], u);
            }
        }
        let mut of_row = data.groups().of_row().to_vec();
        of_row.extend(copies.iter().map(|c| out_index[c.2]));
        let groups = Groups::new(names, of_row)?;
        let attributes = data
            .attributes()
            .iter()
            .map(|a| self.move_attribute(a, &rows, &copies, n))
            .collect::<Result<Vec<_>>>()?;
        data.select(&rows)?
            .with_records(records)?
            .with_attributes_and_groups(attributes, groups)
    }
}

impl Counterfactual {
    /// The attribute over all output rows: copies of a group-defining attribute take the
    /// target group's level (added to the levels if the data lacks it).
    fn move_attribute(
        &self,
        a: &SensitiveAttribute,
        rows: &[usize],
        copies: &[(usize, usize, usize)],
        n: usize,
    ) -> Result<SensitiveAttribute> {
        let mut codes: Vec<usize> = rows.iter().map(|&r| a.codes()[r]).collect();
        let Some((_, per_group)) = self.levels.iter().find(|(name, _)| name == a.name()) else {
            return Ok(a.select(rows));
        };
        let mut levels = a.levels().to_vec();
        for (c, &(_, _, t)) in copies.iter().enumerate() {
            let level = &per_group[t];
            codes[n + c] = match levels.iter().position(|l| l == level) {
                Some(code) => code,
                None => {
                    levels.push(level.clone());
                    levels.len() - 1
                }
            };
        }
        SensitiveAttribute::new(a.name(), levels, codes)
    }
}

linfa_traits!(CounterfactualValidParams => Counterfactual);

impl Preprocessor for CounterfactualParams {
    fn name(&self) -> String {
        let targets = match &self.0.targets {
            CounterfactualTargets::AllOthers => "all-others".to_string(),
            CounterfactualTargets::Mapping(pairs) => pairs
                .iter()
                .map(|(a, b)| format!("{a}->{b}"))
                .collect::<Vec<_>>()
                .join(","),
        };
        if self.0.proxies.is_empty() {
            format!("counterfactual({targets})")
        } else {
            format!(
                "counterfactual({targets};proxies={})",
                self.0.proxies.join(",")
            )
        }
    }

    fn fit_transform(&self, train: &FairDataset) -> Result<FairDataset> {
        self.check_ref()?.learn(train)?.apply(train)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{biased, cell_counts};
    use super::*;
    use linfa::traits::Fit;

    #[test]
    fn every_group_gets_every_label_and_copies_differ_only_in_group() {
        let data = biased(&[90, 60, 30], 5);
        let out = Counterfactual::params().fit_transform(&data).unwrap();
        let n = data.nrows();
        assert_eq!(out.nrows(), 3 * n);
        let n_pos = data.targets().sum() as usize;
        for c in cell_counts(&out) {
            assert_eq!(c, [n - n_pos, n_pos]);
        }
        let group = out.attribute("group").unwrap();
        let band = out.attribute("band").unwrap();
        for k in 0..2 * n {
            let (copy, src) = (n + k, k / 2);
            assert_eq!(out.records().row(copy), data.records().row(src));
            assert_eq!(out.targets()[copy], data.targets()[src]);
            // The group attribute moved to one of the two other groups, band did not.
            let (g_src, g_copy) = (data.groups().of_row()[src], out.groups().of_row()[copy]);
            assert_ne!(g_src, g_copy);
            assert_eq!(
                group.levels()[group.codes()[copy]],
                out.groups().names()[g_copy]
            );
            assert_eq!(band.codes()[copy], band.codes()[src]);
        }
    }

    #[test]
    fn mapping_on_intersections_moves_only_the_differing_attribute() {
        let data = biased(&[40, 40], 3)
            .with_groups_from(&["group", "band"])
            .unwrap();
        let names = data.groups().names().to_vec();
        assert_eq!(names, ["g0 & lo", "g0 & hi", "g1 & lo", "g1 & hi"]);
        let out = Counterfactual::params()
            .mapping([("g1 & lo", "g0 & lo")])
            .fit_transform(&data)
            .unwrap();
        let sources: Vec<usize> = (0..80)
            .filter(|&r| names[data.groups().of_row()[r]] == "g1 & lo")
            .collect();
        assert_eq!(out.nrows(), 80 + sources.len());
        let group = out.attribute("group").unwrap();
        let band = out.attribute("band").unwrap();
        for (k, &src) in sources.iter().enumerate() {
            let copy = 80 + k;
            assert_eq!(out.groups().names()[out.groups().of_row()[copy]], "g0 & lo");
            assert_eq!(group.levels()[group.codes()[copy]], "g0");
            assert_eq!(band.levels()[band.codes()[copy]], "lo");
            assert_eq!(out.records().row(copy), data.records().row(src));
        }
    }

    #[test]
    fn proxies_move_by_rank_and_binary_proxies_flip() {
        // Two groups of equal size: a continuous proxy maps rank r to rank r; an indicator
        // column of the group flips to the target group's value.
        let data = biased(&[50, 50], 8);
        let is_g1: Vec<f64> = (0..100).map(|i| f64::from(u8::from(i >= 50))).collect();
        let mut x = data.records().to_owned();
        x.column_mut(1).assign(&ndarray::Array1::from(is_g1));
        let data = data.with_records(x).unwrap();
        let out = Counterfactual::params()
            .proxies(["score", "noise"])
            .fit_transform(&data)
            .unwrap();
        let score = data.records().column(0).to_owned();
        let rank =
            |i: usize, rows: std::ops::Range<usize>| rows.filter(|&j| score[j] < score[i]).count();
        for src in 0..100 {
            let copy = 100 + src;
            let (own, other) = if src < 50 {
                (0..50, 50..100)
            } else {
                (50..100, 0..50)
            };
            let moved = out.records()[[copy, 0]];
            let at = other
                .clone()
                .find(|&j| score[j] == moved)
                .expect("a value of the other group");
            assert_eq!(rank(at, other), rank(src, own));
            assert_eq!(out.records()[[copy, 1]], if src < 50 { 1.0 } else { 0.0 });
            // Non-proxy columns are copied.
            assert_eq!(out.records()[[copy, 2]], data.records()[[src, 2]]);
        }
    }

    #[test]
    fn rejects_unknown_groups_columns_and_self_maps() {
        let data = biased(&[20, 20], 1);
        assert!(matches!(
            Counterfactual::params().mapping([("g0", "g9")]).fit(&data.as_linfa()),
            Err(DataError::UnknownGroup { name, .. }) if name == "g9"
        ));
        assert!(matches!(
            Counterfactual::params()
                .mapping([("g0", "g0")])
                .fit(&data.as_linfa()),
            Err(DataError::InvalidParameter {
                name: "mapping",
                ..
            })
        ));
        assert!(matches!(
            Counterfactual::params().proxies(["height"]).fit(&data.as_linfa()),
            Err(DataError::UnknownColumn { name, .. }) if name == "height"
        ));
        assert_eq!(
            Counterfactual::params().proxies(["score"]).name(),
            "counterfactual(all-others;proxies=score)"
        );
    }
}
