//! The schema file: a [`Schema`] as TOML, with the two things the command line adds to it (the
//! label's unfavourable value, so every other value is an error naming its line, and a weight
//! column).
//!
//! ```toml
//! label = "income"
//! favourable = ">50K"
//! unfavourable = "<=50K"
//! sensitive = ["sex"]
//! numeric = ["age", "hours-per-week"]
//! categorical = ["workclass", "sex"]
//! missing = ["?"]
//! missing_policy = "drop_row"
//! ```
//!
//! Features are encoded in the order numeric, categorical, indicator; [`SchemaFile::from_schema`]
//! writes a [`Schema`] back in that layout (a schema that interleaves kinds is reordered).

use std::collections::BTreeMap;
use std::path::Path;

use fairfit_data::schema::{FeatureKind, MissingPolicy, Schema, UnseenCategory};
use serde::{Deserialize, Serialize};

use crate::error::{CliError, Result};

/// The TOML form of a schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaFile {
    /// The label column.
    pub label: String,
    /// The label value that is the favourable outcome (encoded as 1).
    pub favourable: String,
    /// The other label value; when given, any third value is an error with its position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unfavourable: Option<String>,
    /// The sensitive columns; the first one forms the groups.
    pub sensitive: Vec<String>,
    /// Fixed levels of sensitive columns, in the order groups are listed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub levels: BTreeMap<String, Vec<String>>,
    /// Numeric feature columns (standardised).
    #[serde(default)]
    pub numeric: Vec<String>,
    /// Categorical feature columns (one-hot).
    #[serde(default)]
    pub categorical: Vec<String>,
    /// 0/1 features: column → the level that encodes as 1.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub indicator: BTreeMap<String, String>,
    /// A column of non-negative row weights (not a feature).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<String>,
    /// Columns left out.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Whether columns named nowhere are left out too (otherwise they are an error).
    #[serde(default)]
    pub ignore_others: bool,
    /// The strings that mean "missing".
    #[serde(default = "default_missing")]
    pub missing: Vec<String>,
    /// What rows with a missing value become.
    #[serde(default = "default_policy")]
    pub missing_policy: Policy,
    /// What a category unseen in training becomes.
    #[serde(default = "default_unseen")]
    pub unseen: Unseen,
}

/// [`MissingPolicy`] in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Policy {
    /// Leave the row out.
    DropRow,
    /// Fail, naming file, line and column.
    Error,
    /// Fill with the training mean or most frequent category.
    Impute,
}

/// [`UnseenCategory`] in snake case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unseen {
    /// All zeros in the column's one-hot block.
    Zeros,
    /// Fail.
    Error,
}

fn default_missing() -> Vec<String> {
    vec![String::new()]
}

fn default_policy() -> Policy {
    Policy::Error
}

fn default_unseen() -> Unseen {
    Unseen::Zeros
}

impl SchemaFile {
    /// Reads and validates a schema file; errors name the file, line and column.
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(CliError::io(path))?;
        Self::parse(&text, path)
    }

    /// Parses schema TOML (`path` names it in errors) and checks that it makes a valid
    /// [`Schema`].
    pub fn parse(text: &str, path: &Path) -> Result<Self> {
        let file: SchemaFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e
                .span()
                .map_or((1, 1), |span| line_and_column(text, span.start));
            CliError::SchemaFile {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().to_string(),
            }
        })?;
        file.to_schema().map_err(|e| {
            let (line, column) = locate_key(text, &e);
            CliError::SchemaFile {
                path: path.to_path_buf(),
                line,
                column,
                message: e,
            }
        })?;
        Ok(file)
    }

    /// The data crate's [`Schema`] (the weight column is ignored there: it is read apart).
    pub fn to_schema(&self) -> std::result::Result<Schema, String> {
        let mut builder = Schema::builder().label(&self.label, &self.favourable);
        for column in &self.sensitive {
            builder = match self.levels.get(column) {
                Some(levels) => builder.sensitive_levels(column, levels),
                None => builder.sensitive(column),
            };
        }
        if let Some(unknown) = self.levels.keys().find(|c| !self.sensitive.contains(c)) {
            return Err(format!(
                "`levels.{unknown}`: `{unknown}` is not a sensitive column"
            ));
        }
        builder = builder
            .numeric(&self.numeric)
            .categorical(&self.categorical);
        for (column, level) in &self.indicator {
            builder = builder.indicator(column, level);
        }
        let mut ignored = self.ignore.clone();
        if let Some(weight) = &self.weight {
            ignored.push(weight.clone());
        }
        builder = builder.ignore(&ignored);
        if self.ignore_others {
            builder = builder.ignore_others();
        }
        let mut markers = self.missing.iter();
        let first = markers.next().ok_or_else(|| {
            "`missing` must list at least one marker (\"\" is an empty field)".to_string()
        })?;
        builder = builder.missing(first, self.missing_policy.into());
        for marker in markers {
            builder = builder.also_missing(marker);
        }
        if let Some(other) = &self.unfavourable {
            if *other == self.favourable {
                return Err(format!(
                    "`unfavourable` is `{other}`, the same as `favourable`"
                ));
            }
        }
        builder
            .unseen(self.unseen.into())
            .build()
            .map_err(|e| e.to_string())
    }

    /// The file form of a [`Schema`], with the command line's extras.
    pub fn from_schema(
        schema: &Schema,
        unfavourable: Option<String>,
        weight: Option<String>,
    ) -> Self {
        let mut file = SchemaFile {
            label: schema.label().to_string(),
            favourable: schema.favourable().to_string(),
            unfavourable,
            sensitive: schema
                .sensitive()
                .iter()
                .map(|s| s.column.clone())
                .collect(),
            levels: schema
                .sensitive()
                .iter()
                .filter_map(|s| s.levels.clone().map(|l| (s.column.clone(), l)))
                .collect(),
            numeric: Vec::new(),
            categorical: Vec::new(),
            indicator: BTreeMap::new(),
            ignore: schema
                .ignored()
                .iter()
                .filter(|c| Some(*c) != weight.as_ref())
                .cloned()
                .collect(),
            weight,
            ignore_others: schema.ignores_others(),
            missing: schema.missing_markers().to_vec(),
            missing_policy: schema.missing_policy().into(),
            unseen: schema.unseen().into(),
        };
        for feature in schema.features() {
            match &feature.kind {
                FeatureKind::Numeric => file.numeric.push(feature.column.clone()),
                FeatureKind::Categorical => file.categorical.push(feature.column.clone()),
                FeatureKind::Indicator { level } => {
                    file.indicator.insert(feature.column.clone(), level.clone());
                }
            }
        }
        file
    }

    /// The schema as TOML (no comments; `schema infer` writes a commented draft).
    pub fn to_toml(&self) -> Result<String> {
        toml::to_string(self)
            .map_err(|e| CliError::Usage(format!("writing the schema as TOML: {e}")))
    }
}

impl From<Policy> for MissingPolicy {
    fn from(policy: Policy) -> Self {
        match policy {
            Policy::DropRow => MissingPolicy::DropRow,
            Policy::Error => MissingPolicy::Error,
            Policy::Impute => MissingPolicy::Impute,
        }
    }
}

impl From<MissingPolicy> for Policy {
    fn from(policy: MissingPolicy) -> Self {
        match policy {
            MissingPolicy::DropRow => Policy::DropRow,
            MissingPolicy::Error => Policy::Error,
            MissingPolicy::Impute => Policy::Impute,
        }
    }
}

impl From<Unseen> for UnseenCategory {
    fn from(unseen: Unseen) -> Self {
        match unseen {
            Unseen::Zeros => UnseenCategory::Zeros,
            Unseen::Error => UnseenCategory::Error,
        }
    }
}

impl From<UnseenCategory> for Unseen {
    fn from(unseen: UnseenCategory) -> Self {
        match unseen {
            UnseenCategory::Zeros => Unseen::Zeros,
            UnseenCategory::Error => Unseen::Error,
        }
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The line of the first key a validation message names in backquotes (`sensitive`, a column,
/// ...), so a schema error points into the file; line 1 when none is found.
fn locate_key(text: &str, message: &str) -> (usize, usize) {
    let quoted = message.split('`').skip(1).step_by(2);
    for name in quoted {
        let name = name.rsplit('.').next().unwrap_or(name);
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with('#') {
                continue;
            }
            if let Some(col) = line.find(&format!("\"{name}\"")).or_else(|| {
                line.trim_start()
                    .starts_with(name)
                    .then(|| line.len() - line.trim_start().len())
            }) {
                return (i + 1, line[..col].chars().count() + 1);
            }
        }
    }
    (1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_data_crate_schema() {
        let schema = Schema::builder()
            .label("y", "good")
            .sensitive_levels("sex", &["M", "F"])
            .sensitive("race")
            .numeric(&["age"])
            .categorical(&["job"])
            .indicator("sex", "F")
            .ignore(&["id", "w"])
            .missing("?", MissingPolicy::DropRow)
            .also_missing("")
            .build()
            .unwrap();
        let file = SchemaFile::from_schema(&schema, Some("bad".into()), Some("w".into()));
        assert_eq!(file.ignore, ["id"]);
        let text = file.to_toml().unwrap();
        let back = SchemaFile::parse(&text, Path::new("s.toml")).unwrap();
        assert_eq!(back, file);
        assert_eq!(back.to_schema().unwrap(), schema);
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "label = \"y\"\nfavourable = \"1\"\nsensitive = [\"s\"]\nnumeric = [\"x\"]\ncolour = 3\n";
        match SchemaFile::parse(text, Path::new("s.toml")) {
            Err(CliError::SchemaFile {
                line,
                column,
                message,
                ..
            }) => {
                assert_eq!((line, column), (5, 1), "{message}");
                assert!(message.contains("colour"), "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
        let text = "label = \"y\"\nfavourable = \"1\"\nsensitive = []\nnumeric = [\"x\"]\n";
        match SchemaFile::parse(text, Path::new("s.toml")) {
            Err(CliError::SchemaFile { line, message, .. }) => {
                assert_eq!(line, 3, "{message}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
