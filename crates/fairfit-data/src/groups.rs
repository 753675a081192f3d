//! Sensitive attributes and the partition of rows into groups that fairness is measured over.
//!
//! A [`SensitiveAttribute`] is one protected characteristic (sex, race, age band) with its levels.
//! [`Groups`] is the partition used by metrics and penalties: one attribute's levels, or the
//! intersections of several attributes (e.g. `Female & Black`). Every other crate reads groups
//! through [`Groups`], so binary, multi-valued and intersectional groups are one mechanism.

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// One sensitive attribute: its name, its levels and the level of every row. Loaded from JSON
/// it is checked as [`SensitiveAttribute::new`] checks it (unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "AttributeFile")]
pub struct SensitiveAttribute {
    name: String,
    levels: Vec<String>,
    codes: Vec<usize>,
}

impl SensitiveAttribute {
    /// Builds an attribute from level names and a level index per row.
    ///
    /// Fails when a code does not index a level, or when two levels share a name.
    pub fn new(name: impl Into<String>, levels: Vec<String>, codes: Vec<usize>) -> Result<Self> {
        let name = name.into();
        if let Some((row, &code)) = codes.iter().enumerate().find(|(_, &c)| c >= levels.len()) {
            return Err(DataError::InvalidParameter {
                name: "codes",
                reason: format!(
                    "attribute `{name}`: row {row} has level {code}, but only {} levels exist",
                    levels.len()
                ),
            });
        }
        for (i, level) in levels.iter().enumerate() {
            if levels[..i].contains(level) {
                return Err(DataError::InvalidParameter {
                    name: "levels",
                    reason: format!("attribute `{name}` lists level `{level}` twice"),
                });
            }
        }
        Ok(Self {
            name,
            levels,
            codes,
        })
    }

    /// Builds an attribute from one string value per row; levels are taken in order of first
    /// appearance unless `levels` fixes them (then an unlisted value is an error).
    pub fn from_values<S: AsRef<str>>(
        name: impl Into<String>,
        values: &[S],
        levels: Option<&[&str]>,
    ) -> Result<Self> {
        let name = name.into();
        let mut known: Vec<String> = levels
            .map(|l| l.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        let fixed = levels.is_some();
        let mut codes = Vec::with_capacity(values.len());
        for (row, value) in values.iter().enumerate() {
            let value = value.as_ref();
            let code = match known.iter().position(|l| l == value) {
                Some(code) => code,
                None if fixed => {
                    return Err(DataError::InvalidParameter {
                        name: "values",
                        reason: format!(
                        "attribute `{name}`: row {row} has level `{value}`, not one of {known:?}"
                    ),
                    })
                }
                None => {
                    known.push(value.to_string());
                    known.len() - 1
                }
            };
            codes.push(code);
        }
        Self::new(name, known, codes)
    }

    /// The attribute's name, e.g. `sex`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The level names, indexed by code.
    pub fn levels(&self) -> &[String] {
        &self.levels
    }

    /// The level code of every row.
    pub fn codes(&self) -> &[usize] {
        &self.codes
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the attribute has no rows.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// The same attribute restricted to the given rows (in that order); levels are kept.
    pub fn select(&self, rows: &[usize]) -> Self {
        Self {
            name: self.name.clone(),
            levels: self.levels.clone(),
            codes: rows.iter().map(|&r| self.codes[r]).collect(),
        }
    }
}

/// A partition of rows into named groups: the unit every fairness metric and penalty compares.
///
/// ```
/// use fairfit::data::{Groups, SensitiveAttribute};
/// let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F", "M"], None)?;
/// let race = SensitiveAttribute::from_values("race", &["A", "A", "B", "B"], None)?;
/// let groups = Groups::intersection(&[&sex, &race])?;
/// assert_eq!(groups.names(), ["M & A", "M & B", "F & A", "F & B"]);
/// assert_eq!(groups.counts(), vec![1, 1, 1, 1]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GroupsFile")]
pub struct Groups {
    names: Vec<String>,
    of_row: Vec<usize>,
}

/// A [`SensitiveAttribute`] as saved, validated into one on load: a saved file is input like
/// any other, never trusted.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttributeFile {
    name: String,
    levels: Vec<String>,
    codes: Vec<usize>,
}

impl TryFrom<AttributeFile> for SensitiveAttribute {
    type Error = DataError;

    fn try_from(file: AttributeFile) -> Result<Self> {
        Self::new(file.name, file.levels, file.codes)
    }
}

/// [`Groups`] as saved, validated into them on load (an index out of range, a name given twice or
/// an unknown field is an error, not a later panic). A group without members loads, as
/// [`Groups::select`] makes them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupsFile {
    names: Vec<String>,
    of_row: Vec<usize>,
}

impl TryFrom<GroupsFile> for Groups {
    type Error = DataError;

    fn try_from(file: GroupsFile) -> Result<Self> {
        Self::of_selected_rows(file.names, file.of_row)
    }
}

impl Groups {
    /// Builds groups from names and a group index per row. Every group must have a member.
    pub fn new(names: Vec<String>, of_row: Vec<usize>) -> Result<Self> {
        let groups = Self::of_selected_rows(names, of_row)?;
        if let Some(g) = groups.counts().iter().position(|&c| c == 0) {
            return Err(DataError::EmptyGroup {
                group: groups.names[g].clone(),
                what: "members".into(),
            });
        }
        Ok(groups)
    }

    /// Builds the groups of a selection of rows, as [`Groups::select`] leaves them: names
    /// distinct and every index naming a group, but a group may have no member among these rows
    /// (metrics then report it as undefined). Saved groups load through this check.
    pub fn of_selected_rows(names: Vec<String>, of_row: Vec<usize>) -> Result<Self> {
        for (i, name) in names.iter().enumerate() {
            if let Some(first) = names[..i].iter().position(|n| n == name) {
                return Err(DataError::InvalidParameter {
                    name: "names",
                    reason: format!("group `{name}` is named twice (groups {first} and {i})"),
                });
            }
        }
        if let Some((row, &g)) = of_row.iter().enumerate().find(|(_, &g)| g >= names.len()) {
            return Err(DataError::InvalidParameter {
                name: "of_row",
                reason: format!(
                    "row {row} is in group {g}, but only {} groups exist",
                    names.len()
                ),
            });
        }
        Ok(Self { names, of_row })
    }

    /// The groups of one attribute: one group per level that has members.
    pub fn from_attribute(attribute: &SensitiveAttribute) -> Result<Self> {
        Self::intersection(&[attribute])
    }

    /// The intersection groups of several attributes, named `level & level`, in lexicographic
    /// order of the attributes' level codes; combinations without members are left out.
    pub fn intersection(attributes: &[&SensitiveAttribute]) -> Result<Self> {
        let first = attributes
            .first()
            .ok_or_else(|| DataError::Empty("no sensitive attribute given".into()))?;
        let n = first.len();
        if n == 0 {
            return Err(DataError::Empty(format!(
                "attribute `{}` has no rows",
                first.name()
            )));
        }
        for a in attributes {
            if a.len() != n {
                return Err(DataError::LengthMismatch {
                    what: format!("attribute `{}`", a.name()),
                    expected: n,
                    found: a.len(),
                });
            }
        }
        // Mixed-radix key of each row's level combination.
        let key_of = |row: usize| {
            attributes
                .iter()
                .fold(0usize, |k, a| k * a.levels().len() + a.codes()[row])
        };
        let mut keys: Vec<usize> = (0..n).map(key_of).collect();
        let mut present = keys.clone();
        present.sort_unstable();
        present.dedup();
        let names = present
            .iter()
            .map(|&key| {
                let mut rest = key;
                let mut parts: Vec<&str> = attributes
                    .iter()
                    .rev()
                    .map(|a| {
                        let level = rest % a.levels().len();
                        rest /= a.levels().len();
                        a.levels()[level].as_str()
                    })
                    .collect();
                parts.reverse();
                parts.join(" & ")
            })
            .collect();
        for k in keys.iter_mut() {
            *k = present.binary_search(k).unwrap_or_default();
        }
        Ok(Self {
            names,
            of_row: keys,
        })
    }

    /// Number of groups.
    pub fn n_groups(&self) -> usize {
        self.names.len()
    }

    /// Group names, indexed by group.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The group of every row.
    pub fn of_row(&self) -> &[usize] {
        &self.of_row
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.of_row.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.of_row.is_empty()
    }

    /// Number of rows in each group.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.names.len()];
        for &g in &self.of_row {
            counts[g] += 1;
        }
        counts
    }

    /// Row indices of each group.
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.names.len()];
        for (row, &g) in self.of_row.iter().enumerate() {
            members[g].push(row);
        }
        members
    }

    /// The index of the group with this name.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The same partition restricted to the given rows; group names and indices are kept,
    /// even for groups that end up without members (metrics then report them as undefined).
    pub fn select(&self, rows: &[usize]) -> Self {
        Self {
            names: self.names.clone(),
            of_row: rows.iter().map(|&r| self.of_row[r]).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: saved groups and attributes are validated on load. An index out of range
    /// used to panic later (`groups.rs:265`); an out-of-range level code made a duplicate group.
    #[test]
    fn saved_groups_and_attributes_are_checked_on_load() {
        let good: Groups = serde_json::from_str(r#"{"names":["a","b"],"of_row":[0,1,1]}"#).unwrap();
        assert_eq!(good.counts(), vec![1, 2]);
        for bad in [
            r#"{"names":["a","b"],"of_row":[0,2]}"#,
            r#"{"names":["a","a"],"of_row":[0,1]}"#,
            r#"{"names":["a"],"of_row":[0],"extra":1}"#,
        ] {
            let err = serde_json::from_str::<Groups>(bad).unwrap_err();
            assert!(err.is_data(), "{bad}: {err}");
        }
        let err = serde_json::from_str::<Groups>(r#"{"names":["a","b"],"of_row":[0,2]}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("row 1 is in group 2"), "{err}");
        let attribute = r#"{"name":"sex","levels":["F","M"],"codes":[0,1,2]}"#;
        let err = serde_json::from_str::<SensitiveAttribute>(attribute).unwrap_err();
        assert!(err.to_string().contains("row 2 has level 2"), "{err}");
        let twice = r#"{"name":"sex","levels":["F","F"],"codes":[0,1]}"#;
        assert!(serde_json::from_str::<SensitiveAttribute>(twice).is_err());
    }

    /// Issue 13: a selection of rows that leaves a group empty (a split, a bootstrap sample) is
    /// saved and loaded back unchanged; it used to be refused on load.
    #[test]
    fn a_selection_with_an_empty_group_round_trips() {
        let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 1, 1, 0]).unwrap();
        let only_b = groups.select(&[1, 2]);
        assert_eq!(only_b.counts(), vec![0, 2]);
        let saved = serde_json::to_string(&only_b).unwrap();
        let loaded: Groups = serde_json::from_str(&saved).unwrap();
        assert_eq!(loaded, only_b);
        // A group without members is still refused where groups are built from scratch.
        assert!(Groups::new(vec!["a".into(), "b".into()], vec![1, 1]).is_err());
    }

    #[test]
    fn intersection_names_and_drops_empty_combinations() {
        let sex = SensitiveAttribute::from_values("sex", &["M", "F", "F", "M", "M"], None).unwrap();
        let race =
            SensitiveAttribute::from_values("race", &["W", "W", "B", "W", "B"], None).unwrap();
        let g = Groups::intersection(&[&sex, &race]).unwrap();
        assert_eq!(g.names(), ["M & W", "M & B", "F & W", "F & B"]);
        assert_eq!(g.of_row(), [0, 2, 3, 0, 1]);
        let only_w =
            SensitiveAttribute::from_values("race", &["W", "W", "W", "W", "B"], None).unwrap();
        let g = Groups::intersection(&[&sex, &only_w]).unwrap();
        assert_eq!(g.names(), ["M & W", "M & B", "F & W"]);
        assert_eq!(g.counts(), vec![2, 1, 2]);
    }

    #[test]
    fn rejects_bad_codes_and_empty_groups() {
        assert!(SensitiveAttribute::new("a", vec!["x".into()], vec![0, 1]).is_err());
        assert!(matches!(
            Groups::new(vec!["a".into(), "b".into()], vec![0, 0]),
            Err(DataError::EmptyGroup { .. })
        ));
        assert!(SensitiveAttribute::from_values("s", &["x", "y"], Some(&["x"])).is_err());
    }
}
