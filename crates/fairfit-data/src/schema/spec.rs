//! [`Schema`]: what each column of a user's file means, built and validated by [`SchemaBuilder`].

use serde::{Deserialize, Serialize};

use crate::error::{DataError, Result};

/// How a feature column is turned into numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum FeatureKind {
    /// A number, standardised with the training mean and (population) standard deviation.
    Numeric,
    /// A category, one-hot encoded over the training categories (sorted); a category not seen
    /// in training follows the schema's [`UnseenCategory`] rule.
    Categorical,
    /// One 0/1 column: 1 where the field equals `level`, else 0 (e.g. `sex` as a 0/1 feature).
    Indicator {
        /// The level that encodes as 1.
        level: String,
    },
}

/// One feature column and its encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSpec {
    /// The column name in the file.
    pub column: String,
    /// How it is encoded.
    pub kind: FeatureKind,
}

/// One sensitive column; its levels are fixed here or taken (sorted) from training data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensitiveSpec {
    /// The column name in the file.
    pub column: String,
    /// The levels in the order groups should be listed; `None` takes the sorted training values.
    pub levels: Option<Vec<String>>,
}

/// What to do with a row that has a missing value in a column the schema uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MissingPolicy {
    /// Leave the row out (in training and in every later transform).
    DropRow,
    /// Fail with [`DataError::Missing`] naming file, line and column.
    Error,
    /// Fill features with the training statistic: the mean for numeric columns, the most
    /// frequent category for categorical ones. A missing label or sensitive value stays an error.
    Impute,
}

/// What a categorical feature does with a category not seen in training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnseenCategory {
    /// Encode as all zeros in the column's one-hot block (the reference protocols' rule).
    Zeros,
    /// Fail with [`DataError::UnknownLevel`].
    Error,
}

/// The meaning of every column of a file: label and favourable value, sensitive columns,
/// features (numeric, categorical, indicator), ignored columns, and the missing-value rule.
///
/// A validated schema is what [`Encoder::fit`](super::Encoder::fit) needs; build one with
/// [`Schema::builder`].
///
/// ```
/// use fairfit::data::schema::{MissingPolicy, Schema};
/// let schema = Schema::builder()
///     .label("income", ">50K")
///     .sensitive("sex")
///     .numeric(&["age", "hours"])
///     .categorical(&["job"])
///     .ignore(&["id"])
///     .missing("?", MissingPolicy::DropRow)
///     .build()?;
/// assert_eq!(schema.features().len(), 3);
/// assert!(Schema::builder().sensitive("sex").numeric(&["age"]).build().is_err()); // no label
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
///
/// Loaded from JSON it is checked as [`SchemaBuilder::build`] checks it (unknown fields are
/// refused), so a saved schema without a label, a sensitive column or a feature is an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SchemaFile")]
pub struct Schema {
    label: String,
    favourable: String,
    sensitive: Vec<SensitiveSpec>,
    features: Vec<FeatureSpec>,
    ignored: Vec<String>,
    ignore_others: bool,
    missing_markers: Vec<String>,
    missing_policy: MissingPolicy,
    unseen: UnseenCategory,
}

/// A [`Schema`] as saved, validated into one on load by [`SchemaBuilder::build`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    label: String,
    favourable: String,
    sensitive: Vec<SensitiveSpec>,
    features: Vec<FeatureSpec>,
    ignored: Vec<String>,
    ignore_others: bool,
    missing_markers: Vec<String>,
    missing_policy: MissingPolicy,
    unseen: UnseenCategory,
}

impl TryFrom<SchemaFile> for Schema {
    type Error = DataError;

    fn try_from(file: SchemaFile) -> Result<Self> {
        SchemaBuilder {
            label: Some((file.label, file.favourable)),
            sensitive: file.sensitive,
            features: file.features,
            ignored: file.ignored,
            ignore_others: file.ignore_others,
            missing_markers: file.missing_markers,
            missing_policy: file.missing_policy,
            unseen: file.unseen,
        }
        .build()
    }
}

impl Schema {
    /// Starts a schema.
    pub fn builder() -> SchemaBuilder {
        SchemaBuilder::default()
    }

    /// The label column.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The label value that encodes as 1 (favourable).
    pub fn favourable(&self) -> &str {
        &self.favourable
    }

    /// The sensitive columns; the first one gives the active groups.
    pub fn sensitive(&self) -> &[SensitiveSpec] {
        &self.sensitive
    }

    /// The feature columns, in encoding order.
    pub fn features(&self) -> &[FeatureSpec] {
        &self.features
    }

    /// Columns declared as ignored.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }

    /// Whether columns the schema does not mention are ignored (otherwise they are an error).
    pub fn ignores_others(&self) -> bool {
        self.ignore_others
    }

    /// The strings that mean "missing".
    pub fn missing_markers(&self) -> &[String] {
        &self.missing_markers
    }

    /// What happens to rows with missing values.
    pub fn missing_policy(&self) -> MissingPolicy {
        self.missing_policy
    }

    /// The rule for categories not seen in training.
    pub fn unseen(&self) -> UnseenCategory {
        self.unseen
    }

    /// Whether `field` is a missing-value marker.
    pub fn is_missing(&self, field: &str) -> bool {
        self.missing_markers.iter().any(|m| m == field)
    }

    /// Every column the schema uses (label, sensitive, features), without repeats, in that order.
    pub fn used_columns(&self) -> Vec<&str> {
        let mut used: Vec<&str> = vec![self.label.as_str()];
        let rest = self
            .sensitive
            .iter()
            .map(|s| s.column.as_str())
            .chain(self.features.iter().map(|f| f.column.as_str()));
        for c in rest {
            if !used.contains(&c) {
                used.push(c);
            }
        }
        used
    }
}

/// Builder of a [`Schema`]; [`SchemaBuilder::build`] validates it.
#[derive(Debug, Clone)]
pub struct SchemaBuilder {
    label: Option<(String, String)>,
    sensitive: Vec<SensitiveSpec>,
    features: Vec<FeatureSpec>,
    ignored: Vec<String>,
    ignore_others: bool,
    missing_markers: Vec<String>,
    missing_policy: MissingPolicy,
    unseen: UnseenCategory,
}

impl Default for SchemaBuilder {
    /// No columns; missing marker `""` (an empty field) with policy [`MissingPolicy::Error`];
    /// unseen categories encode as zeros.
    fn default() -> Self {
        Self {
            label: None,
            sensitive: Vec::new(),
            features: Vec::new(),
            ignored: Vec::new(),
            ignore_others: false,
            missing_markers: vec![String::new()],
            missing_policy: MissingPolicy::Error,
            unseen: UnseenCategory::Zeros,
        }
    }
}

impl SchemaBuilder {
    /// The label column and the value that means the favourable outcome (encoded as 1).
    pub fn label(mut self, column: &str, favourable: &str) -> Self {
        self.label = Some((column.to_string(), favourable.to_string()));
        self
    }

    /// A sensitive column whose levels are its sorted training values.
    pub fn sensitive(mut self, column: &str) -> Self {
        self.sensitive.push(SensitiveSpec {
            column: column.to_string(),
            levels: None,
        });
        self
    }

    /// A sensitive column with fixed levels, in the order groups are listed; any other value
    /// is an error.
    pub fn sensitive_levels<S: AsRef<str>>(mut self, column: &str, levels: &[S]) -> Self {
        self.sensitive.push(SensitiveSpec {
            column: column.to_string(),
            levels: Some(levels.iter().map(|l| l.as_ref().to_string()).collect()),
        });
        self
    }

    /// Numeric feature columns.
    pub fn numeric<S: AsRef<str>>(self, columns: &[S]) -> Self {
        self.features_of(columns, FeatureKind::Numeric)
    }

    /// Categorical feature columns (one-hot).
    pub fn categorical<S: AsRef<str>>(self, columns: &[S]) -> Self {
        self.features_of(columns, FeatureKind::Categorical)
    }

    /// A 0/1 feature: 1 where `column` equals `level`.
    pub fn indicator(mut self, column: &str, level: &str) -> Self {
        self.features.push(FeatureSpec {
            column: column.to_string(),
            kind: FeatureKind::Indicator {
                level: level.to_string(),
            },
        });
        self
    }

    /// Columns to leave out.
    pub fn ignore<S: AsRef<str>>(mut self, columns: &[S]) -> Self {
        self.ignored
            .extend(columns.iter().map(|c| c.as_ref().to_string()));
        self
    }

    /// Ignore every column the schema does not mention (by default they are an error, so
    /// that a forgotten column is noticed).
    pub fn ignore_others(mut self) -> Self {
        self.ignore_others = true;
        self
    }

    /// The missing-value marker (replacing the default `""`) and the policy.
    pub fn missing(mut self, marker: &str, policy: MissingPolicy) -> Self {
        self.missing_markers = vec![marker.to_string()];
        self.missing_policy = policy;
        self
    }

    /// Further strings that also mean "missing".
    pub fn also_missing(mut self, marker: &str) -> Self {
        self.missing_markers.push(marker.to_string());
        self
    }

    /// The rule for categories not seen in training.
    pub fn unseen(mut self, rule: UnseenCategory) -> Self {
        self.unseen = rule;
        self
    }

    /// Validates: a label, at least one sensitive column and one feature, no column with two
    /// roles (a sensitive column may also be a feature), a feature listed once, fixed levels
    /// with at least two entries and no repeats.
    pub fn build(self) -> Result<Schema> {
        let invalid =
            |name: &'static str, reason: String| DataError::InvalidParameter { name, reason };
        let (label, favourable) = self
            .label
            .ok_or_else(|| invalid("label", "no label column given".into()))?;
        if self.sensitive.is_empty() {
            return Err(invalid("sensitive", "no sensitive column given".into()));
        }
        if self.features.is_empty() {
            return Err(invalid("features", "no feature column given".into()));
        }
        let mut roles: Vec<(&str, &str)> = vec![(label.as_str(), "label")];
        let mut seen_sensitive: Vec<&str> = Vec::new();
        for s in &self.sensitive {
            if s.column == label {
                return Err(invalid(
                    "sensitive",
                    format!("`{}` is the label and cannot be sensitive", s.column),
                ));
            }
            if seen_sensitive.contains(&s.column.as_str()) {
                return Err(invalid(
                    "sensitive",
                    format!("`{}` is listed twice", s.column),
                ));
            }
            if let Some(levels) = &s.levels {
                if levels.len() < 2 {
                    return Err(invalid(
                        "sensitive",
                        format!("`{}` needs at least two levels", s.column),
                    ));
                }
                if let Some((i, level)) = levels
                    .iter()
                    .enumerate()
                    .find(|(i, l)| levels[..*i].contains(l))
                {
                    return Err(invalid(
                        "sensitive",
                        format!("`{}` lists level `{level}` twice (entry {i})", s.column),
                    ));
                }
            }
            seen_sensitive.push(&s.column);
        }
        for f in &self.features {
            if let Some((_, role)) = roles.iter().find(|(c, _)| *c == f.column) {
                return Err(invalid(
                    "features",
                    format!("`{}` is already the {role}", f.column),
                ));
            }
            roles.push((&f.column, "a feature"));
        }
        for c in &self.ignored {
            let clash = roles
                .iter()
                .find(|(r, _)| r == c)
                .map(|(_, role)| *role)
                .or_else(|| seen_sensitive.contains(&c.as_str()).then_some("sensitive"));
            if let Some(role) = clash {
                return Err(invalid(
                    "ignore",
                    format!("`{c}` is {role} and cannot be ignored"),
                ));
            }
        }
        if self.missing_markers.is_empty() {
            return Err(invalid("missing", "no missing-value marker".into()));
        }
        Ok(Schema {
            label,
            favourable,
            sensitive: self.sensitive,
            features: self.features,
            ignored: self.ignored,
            ignore_others: self.ignore_others,
            missing_markers: self.missing_markers,
            missing_policy: self.missing_policy,
            unseen: self.unseen,
        })
    }

    fn features_of<S: AsRef<str>>(mut self, columns: &[S], kind: FeatureKind) -> Self {
        self.features.extend(columns.iter().map(|c| FeatureSpec {
            column: c.as_ref().to_string(),
            kind: kind.clone(),
        }));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> SchemaBuilder {
        Schema::builder()
            .label("y", "1")
            .sensitive("s")
            .numeric(&["x"])
    }

    #[test]
    fn rejects_columns_with_two_roles() {
        assert!(base().build().is_ok());
        assert!(base().numeric(&["y"]).build().is_err());
        assert!(base().categorical(&["x"]).build().is_err());
        assert!(base().ignore(&["s"]).build().is_err());
        assert!(base().ignore(&["x"]).build().is_err());
        assert!(base().sensitive("s").build().is_err());
        assert!(base().sensitive("y").build().is_err());
        assert!(base().sensitive_levels("t", &["a"]).build().is_err());
        assert!(base()
            .sensitive_levels("t", &["a", "b", "a"])
            .build()
            .is_err());
        // a sensitive column may also be a feature
        assert!(base().indicator("s", "F").build().is_ok());
    }

    #[test]
    fn saved_schemas_are_checked_on_load() {
        let good = base().categorical(&["job"]).build().unwrap();
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<Schema>(&json).unwrap(), good);
        let edited = |from: &str, to: &str| {
            assert!(json.contains(from), "{json} lacks {from}");
            serde_json::from_str::<Schema>(&json.replacen(from, to, 1))
                .unwrap_err()
                .to_string()
        };
        let no_sensitive = edited(
            r#""sensitive":[{"column":"s","levels":null}]"#,
            r#""sensitive":[]"#,
        );
        assert!(
            no_sensitive.contains("no sensitive column"),
            "{no_sensitive}"
        );
        let no_feature = edited(
            r#""features":[{"column":"x","kind":"Numeric"},{"column":"job","kind":"Categorical"}]"#,
            r#""features":[]"#,
        );
        assert!(no_feature.contains("no feature column"), "{no_feature}");
        let two_roles = edited(
            r#"{"column":"x","kind":"Numeric"}"#,
            r#"{"column":"y","kind":"Numeric"}"#,
        );
        assert!(
            two_roles.contains("`y` is already the label"),
            "{two_roles}"
        );
        let one_level = edited(r#""levels":null"#, r#""levels":["F"]"#);
        assert!(one_level.contains("at least two levels"), "{one_level}");
        let no_marker = edited(r#""missing_markers":[""]"#, r#""missing_markers":[]"#);
        assert!(no_marker.contains("no missing-value marker"), "{no_marker}");
        let unknown = edited(r#""unseen":"#, r#""extra":1,"unseen":"#);
        assert!(unknown.contains("unknown field `extra`"), "{unknown}");
        let unknown_inner = edited(r#""levels":null"#, r#""levels":null,"order":2"#);
        assert!(
            unknown_inner.contains("unknown field `order`"),
            "{unknown_inner}"
        );
    }

    #[test]
    fn used_columns_lists_each_once() {
        let s = base().indicator("s", "F").build().unwrap();
        assert_eq!(s.used_columns(), ["y", "s", "x"]);
        assert!(s.is_missing(""));
        assert!(!s.is_missing("?"));
    }
}
