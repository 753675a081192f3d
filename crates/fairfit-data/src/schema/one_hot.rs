//! [`OneHot`]: one 0/1 column per training category of a categorical column.

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// One-hot encoding over the categories seen in training, in sorted order, so that the encoding
/// does not depend on row order. A category not seen in training encodes as all zeros (the
/// reference protocols' rule); [`OneHot::index_of`] tells the caller whether a value is known,
/// so a stricter rule can reject it instead. The most frequent training category (ties: the
/// first in sorted order) is kept as the imputation value.
///
/// ```
/// use fairfit::data::schema::OneHot;
/// let enc = OneHot::fit("colour", &["red", "blue", "red"])?;
/// assert_eq!(enc.feature_names(), ["colour=blue", "colour=red"]);
/// let mut row = [9.0; 2];
/// enc.encode("red", &mut row);
/// assert_eq!(row, [0.0, 1.0]);
/// enc.encode("green", &mut row); // unseen: all zeros
/// assert_eq!(row, [0.0, 0.0]);
/// assert_eq!(enc.mode(), "red");
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
///
/// Loaded from JSON it is checked as [`OneHot::new`] checks it (unknown fields are refused).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "OneHotFile")]
pub struct OneHot {
    column: String,
    categories: Vec<String>,
    mode: String,
}

/// A [`OneHot`] as saved, validated into one on load: lookups binary-search the categories, so
/// unsorted or repeated categories would silently encode the wrong column.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OneHotFile {
    column: String,
    categories: Vec<String>,
    mode: String,
}

impl TryFrom<OneHotFile> for OneHot {
    type Error = DataError;

    fn try_from(file: OneHotFile) -> Result<Self> {
        Self::new(file.column, file.categories, file.mode)
    }
}

impl OneHot {
    /// An encoding from its categories (e.g. fitted elsewhere): at least one, strictly increasing
    /// (sorted, no repeats), with the imputation value `mode` among them.
    pub fn new(column: impl Into<String>, categories: Vec<String>, mode: String) -> Result<Self> {
        let column = column.into();
        let invalid = |name, reason| DataError::InvalidParameter { name, reason };
        if categories.is_empty() {
            return Err(invalid(
                "categories",
                format!("categorical column `{column}` has no categories"),
            ));
        }
        if let Some(pair) = categories.windows(2).find(|p| p[0] >= p[1]) {
            let what = if pair[0] == pair[1] {
                "repeats"
            } else {
                "is not sorted at"
            };
            return Err(invalid(
                "categories",
                format!(
                    "categorical column `{column}`: the category list {what} `{}`, `{}`",
                    pair[0], pair[1]
                ),
            ));
        }
        if categories.binary_search(&mode).is_err() {
            return Err(invalid(
                "mode",
                format!("categorical column `{column}`: the mode `{mode}` is not a category"),
            ));
        }
        Ok(Self {
            column,
            categories,
            mode,
        })
    }

    /// Fits the sorted set of categories and the most frequent one; fails on no values.
    pub fn fit<S: AsRef<str>>(column: impl Into<String>, values: &[S]) -> Result<Self> {
        let mut sorted: Vec<&str> = values.iter().map(AsRef::as_ref).collect();
        sorted.sort_unstable();
        let runs = sorted
            .chunk_by(|a, b| a == b)
            .map(|run| (run[0], run.len()));
        Self::from_sorted_counts(column, runs)
    }

    /// From each category's count, in increasing order of category (as a fit over chunks of
    /// rows gathers them), with the same mode rule as [`OneHot::fit`].
    pub(crate) fn from_sorted_counts<'v>(
        column: impl Into<String>,
        counts: impl IntoIterator<Item = (&'v str, usize)>,
    ) -> Result<Self> {
        let column = column.into();
        let mut categories: Vec<String> = Vec::new();
        let mut best: Option<(&str, usize)> = None;
        for (value, count) in counts {
            if best.map_or(true, |(_, n)| count > n) {
                best = Some((value, count));
            }
            categories.push(value.to_string());
        }
        let (mode, _) = best.ok_or_else(|| {
            DataError::Empty(format!(
                "categorical column `{column}` has no values to fit"
            ))
        })?;
        Ok(Self {
            mode: mode.to_string(),
            column,
            categories,
        })
    }

    /// The column this encoder belongs to.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// The training categories, sorted; one output column each.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// The most frequent training category (the imputation value).
    pub fn mode(&self) -> &str {
        &self.mode
    }

    /// Number of output columns.
    pub fn width(&self) -> usize {
        self.categories.len()
    }

    /// Output column names, `column=category`.
    pub fn feature_names(&self) -> Vec<String> {
        self.categories
            .iter()
            .map(|c| format!("{}={c}", self.column))
            .collect()
    }

    /// The output column of a category, or `None` if it was not seen in training.
    pub fn index_of(&self, value: &str) -> Option<usize> {
        self.categories
            .binary_search_by(|c| c.as_str().cmp(value))
            .ok()
    }

    /// Writes the encoding of `value` into `out` (length [`OneHot::width`]); an unseen value
    /// writes all zeros.
    pub fn encode(&self, value: &str, out: &mut [f64]) {
        out.fill(0.0);
        if let Some(j) = self.index_of(value) {
            out[j] = 1.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_categories_mode_with_ties_and_empty_input() {
        let e = OneHot::fit("c", &["b", "a", "b", "a", "c"]).unwrap();
        assert_eq!(e.categories(), ["a", "b", "c"]);
        assert_eq!(e.mode(), "a"); // a and b tie at 2: first in sorted order
        assert_eq!(e.index_of("c"), Some(2));
        assert_eq!(e.index_of("d"), None);
        assert!(OneHot::fit::<&str>("c", &[]).is_err());
    }

    #[test]
    fn saved_categories_are_checked_on_load() {
        let good = OneHot::fit("job", &["b", "a"]).unwrap();
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<OneHot>(&json).unwrap(), good);
        for (json, what) in [
            (
                r#"{"column":"job","categories":["b","a"],"mode":"a"}"#,
                "not sorted",
            ),
            (
                r#"{"column":"job","categories":["a","a"],"mode":"a"}"#,
                "repeats",
            ),
            (
                r#"{"column":"job","categories":[],"mode":"a"}"#,
                "no categories",
            ),
            (
                r#"{"column":"job","categories":["a","b"],"mode":"c"}"#,
                "mode `c`",
            ),
            (
                r#"{"column":"job","categories":["a"],"mode":"a","x":1}"#,
                "unknown field",
            ),
        ] {
            let err = serde_json::from_str::<OneHot>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(what), "{json}: {err}");
        }
    }
}
