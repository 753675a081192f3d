//! Drafting a schema from a data file: which column is the label and which value favourable,
//! which columns are sensitive, numeric or categorical, which strings mean "missing". The draft
//! is TOML with comments that tell the user what to check and edit.

use fairfit_data::schema::RawTable;

use crate::error::{CliError, Result};
use crate::schema_file::{Policy, SchemaFile, Unseen};

/// Strings read as "missing" when they occur in a column.
pub const MISSING_MARKERS: [&str; 9] = ["", "?", "NA", "N/A", "NaN", "nan", "null", "NULL", "None"];
/// Parts of column names that suggest a label.
const LABEL_NAMES: [&str; 12] = [
    "label",
    "target",
    "y",
    "class",
    "outcome",
    "income",
    "two_year_recid",
    "credit",
    "decision",
    "approved",
    "hired",
    "default",
];
/// Label values read as the favourable outcome.
const FAVOURABLE: [&str; 12] = [
    "1", "yes", "y", "true", "good", ">50k", ">50k.", "approved", "hired", "granted", "positive",
    "accept",
];
/// Parts of column names that suggest a protected attribute.
const SENSITIVE_NAMES: [&str; 8] = [
    "sex", "gender", "race", "ethnic", "religion", "nation", "native", "disab",
];
/// Parts of column names that suggest row weights.
const WEIGHT_NAMES: [&str; 3] = ["weight", "fnlwgt", "wgt"];
/// A categorical column with more levels than this is drafted as ignored (an identifier, a
/// date, free text, or a category too fine to one-hot encode unchecked).
const MAX_LEVELS: usize = 50;
/// A feature missing in more than this share of rows is drafted as ignored: dropping every row
/// where it is missing would lose too much.
const MAX_MISSING_SHARE: f64 = 0.2;

/// What one column holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnProfile {
    /// The column name.
    pub name: String,
    /// Distinct non-missing values with their counts, most frequent first (ties by value).
    pub values: Vec<(String, usize)>,
    /// Missing-value markers met, with counts.
    pub missing: Vec<(String, usize)>,
    /// Whether every non-missing value is a finite number.
    pub numeric: bool,
}

impl ColumnProfile {
    /// Profiles every column of `table`.
    pub fn of_table(table: &RawTable) -> Vec<Self> {
        (0..table.columns().len())
            .map(|c| {
                let mut counts: std::collections::HashMap<&str, usize> = Default::default();
                for row in table.rows() {
                    *counts.entry(row.field(c)).or_default() += 1;
                }
                let mut values: Vec<(String, usize)> = Vec::new();
                let mut missing = Vec::new();
                for (value, n) in counts {
                    if MISSING_MARKERS.contains(&value) {
                        missing.push((value.to_string(), n));
                    } else {
                        values.push((value.to_string(), n));
                    }
                }
                values.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                missing.sort();
                let numeric = !values.is_empty()
                    && values
                        .iter()
                        .all(|(v, _)| v.parse::<f64>().is_ok_and(f64::is_finite));
                Self {
                    name: table.columns()[c].clone(),
                    values,
                    missing,
                    numeric,
                }
            })
            .collect()
    }

    /// Named `id`, `..._id` or `id_...` with every value distinct.
    fn is_identifier(&self) -> bool {
        let name = self.name.to_lowercase();
        (name == "id" || name.ends_with("_id") || name.starts_with("id_"))
            && self.values.iter().all(|(_, n)| *n == 1)
    }

    fn name_has(&self, parts: &[&str]) -> bool {
        let name = self.name.to_lowercase();
        parts.iter().any(|p| name.contains(p))
    }
}

/// The share of `rows` in which column `p` holds a missing marker.
fn missing_share(p: &ColumnProfile, rows: usize) -> f64 {
    p.missing.iter().map(|(_, n)| n).sum::<usize>() as f64 / rows.max(1) as f64
}

/// The user's choices that override the guesses.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// The label column.
    pub label: Option<String>,
    /// The favourable label value.
    pub favourable: Option<String>,
    /// The sensitive columns.
    pub sensitive: Vec<String>,
}

/// A drafted schema and the comments that explain it.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The schema as drafted.
    pub file: SchemaFile,
    /// A column that looks like row weights (left in `ignore`, suggested in a comment).
    pub weight_hint: Option<String>,
    /// One comment per decision worth checking.
    pub notes: Vec<String>,
    /// Rows read.
    pub rows: usize,
    /// The file the draft is of.
    pub source: String,
}

impl Draft {
    /// Drafts a schema for `table`.
    pub fn of(table: &RawTable, overrides: &Overrides) -> Result<Self> {
        let profiles = ColumnProfile::of_table(table);
        let mut notes = Vec::new();
        let find = |name: &str| {
            profiles.iter().find(|p| p.name == name).ok_or_else(|| {
                CliError::Usage(format!(
                    "`{name}` is not a column of {} (columns: {})",
                    table.path().display(),
                    table.columns().join(", ")
                ))
            })
        };
        let label = match &overrides.label {
            Some(name) => find(name)?,
            None => profiles
                .iter()
                .filter(|p| p.values.len() == 2)
                .find(|p| LABEL_NAMES.contains(&p.name.to_lowercase().as_str()) || p.name_has(&LABEL_NAMES[..1]))
                .or_else(|| profiles.iter().rev().find(|p| p.values.len() == 2))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "{}: no column has exactly two values to serve as the label; name it with --label",
                        table.path().display()
                    ))
                })?,
        };
        if label.values.len() != 2 {
            return Err(CliError::Usage(format!(
                "the label `{}` has {} distinct values; a binary label has two",
                label.name,
                label.values.len()
            )));
        }
        let favourable = match &overrides.favourable {
            Some(value) => {
                if !label.values.iter().any(|(v, _)| v == value) {
                    return Err(CliError::Usage(format!(
                        "`{value}` is not a value of `{}` (values: {} and {})",
                        label.name, label.values[0].0, label.values[1].0
                    )));
                }
                value.clone()
            }
            None => match label
                .values
                .iter()
                .find(|(v, _)| FAVOURABLE.contains(&v.to_lowercase().as_str()))
            {
                Some((v, _)) => {
                    notes.push(format!(
                        "favourable: `{v}` of `{}` is read as the outcome people want; if `{}` means e.g. re-arrest or default, the favourable value is the other one",
                        label.name, label.name
                    ));
                    v.clone()
                }
                None => {
                    notes.push(format!(
                        "favourable: `{}` is the rarer value of `{}`; check that it is the outcome people want",
                        label.values[1].0, label.name
                    ));
                    label.values[1].0.clone()
                }
            },
        };
        let unfavourable = label
            .values
            .iter()
            .find(|(v, _)| *v != favourable)
            .map(|(v, _)| v.clone())
            .expect("a label with two values has a second");
        let sensitive: Vec<String> = if overrides.sensitive.is_empty() {
            // Ordered as SENSITIVE_NAMES lists them (sex before race), so the first, which forms
            // the groups, is the most common choice.
            let rank = |p: &ColumnProfile| {
                let name = p.name.to_lowercase();
                SENSITIVE_NAMES.iter().position(|s| name.contains(s))
            };
            let mut found: Vec<(usize, String)> = profiles
                .iter()
                .filter(|p| p.name != label.name && !p.numeric)
                .filter(|p| (2..=20).contains(&p.values.len()))
                .filter_map(|p| rank(p).map(|r| (r, p.name.clone())))
                .collect();
            found.sort_by_key(|(r, _)| *r);
            found.into_iter().map(|(_, name)| name).collect()
        } else {
            for name in &overrides.sensitive {
                find(name)?;
            }
            overrides.sensitive.clone()
        };
        if sensitive.is_empty() {
            notes.push(
                "sensitive: no column looks protected; name at least one (e.g. sex, race) before using this schema"
                    .into(),
            );
        }
        let weight_hint = profiles
            .iter()
            .find(|p| p.numeric && p.name != label.name && p.name_has(&WEIGHT_NAMES))
            .map(|p| p.name.clone());
        let (mut numeric, mut categorical, mut ignore) = (Vec::new(), Vec::new(), Vec::new());
        let mut markers: Vec<String> = Vec::new();
        for p in &profiles {
            let used = p.name == label.name || sensitive.contains(&p.name);
            if used || missing_share(p, table.len()) <= MAX_MISSING_SHARE {
                for (marker, n) in &p.missing {
                    if !markers.contains(marker) {
                        markers.push(marker.clone());
                    }
                    notes.push(format!("missing: `{}` has {n} fields `{marker}`", p.name));
                }
            }
            if used {
                continue;
            }
            if Some(&p.name) == weight_hint.as_ref() {
                ignore.push(p.name.clone());
                notes.push(format!(
                    "weight: `{}` looks like row weights; it is ignored here, set `weight = \"{}\"` to use it",
                    p.name, p.name
                ));
            } else if p.values.is_empty() {
                ignore.push(p.name.clone());
                notes.push(format!("ignore: `{}` has no values", p.name));
            } else if p.is_identifier() {
                ignore.push(p.name.clone());
                notes.push(format!("ignore: `{}` looks like a row identifier", p.name));
            } else if missing_share(p, table.len()) > MAX_MISSING_SHARE {
                ignore.push(p.name.clone());
                notes.push(format!(
                    "ignore: `{}` is missing in {:.0}% of rows",
                    p.name,
                    100.0 * missing_share(p, table.len())
                ));
            } else if p.numeric {
                numeric.push(p.name.clone());
            } else if p.values.len() > MAX_LEVELS {
                ignore.push(p.name.clone());
                notes.push(format!(
                    "ignore: `{}` has {} distinct values (an identifier, a date or free text?)",
                    p.name,
                    p.values.len()
                ));
            } else {
                categorical.push(p.name.clone());
            }
        }
        markers.sort();
        let policy = if markers.is_empty() {
            markers.push(String::new());
            Policy::Error
        } else {
            Policy::DropRow
        };
        Ok(Self {
            file: SchemaFile {
                label: label.name.clone(),
                favourable,
                unfavourable: Some(unfavourable),
                sensitive,
                levels: Default::default(),
                numeric,
                categorical,
                indicator: Default::default(),
                weight: None,
                ignore,
                ignore_others: false,
                missing: markers,
                missing_policy: policy,
                unseen: Unseen::Zeros,
            },
            weight_hint,
            notes,
            rows: table.len(),
            source: table.path().display().to_string(),
        })
    }

    /// The draft as commented TOML.
    pub fn to_toml(&self) -> String {
        let f = &self.file;
        let s = |v: &str| toml::Value::String(v.to_string()).to_string();
        let list = |vs: &[String]| {
            let items: Vec<String> = vs.iter().map(|v| s(v)).collect();
            format!("[{}]", items.join(", "))
        };
        let mut out = format!(
            "# fairfit schema drafted from {} ({} rows) by `fairfit schema infer`.\n\
             # Check every line, edit what is wrong, then pass it with `--schema`.\n",
            self.source, self.rows
        );
        if !self.notes.is_empty() {
            out += "#\n# To check:\n";
            for note in &self.notes {
                out += &format!("#   - {note}\n");
            }
        }
        out +=
            "\n# The label column and its favourable value (encoded as 1); any value other than\n\
                # these two is an error naming its line.\n";
        out += &format!(
            "label = {}\nfavourable = {}\n",
            s(&f.label),
            s(&f.favourable)
        );
        if let Some(u) = &f.unfavourable {
            out += &format!("unfavourable = {}\n", s(u));
        }
        out += "\n# Protected attributes; the first forms the groups every figure is about. They are\n\
                # not features here: add a column to `categorical` to let the model read it too.\n";
        out += &format!("sensitive = {}\n", list(&f.sensitive));
        out +=
            "\n# Features: numbers are standardised, categories one-hot encoded. Move a column\n\
                # between the lists, or to `ignore`, to change how it is used.\n";
        out += &format!(
            "numeric = {}\ncategorical = {}\n",
            list(&f.numeric),
            list(&f.categorical)
        );
        out += "\n# Columns left out.\n";
        out += &format!("ignore = {}\n", list(&f.ignore));
        out += "\n# Row weights (a column of non-negative numbers), if the data has them.\n";
        match &self.weight_hint {
            Some(w) => out += &format!("# weight = {}\n", s(w)),
            None => out += "# weight = \"column\"\n",
        }
        out += "\n# Strings that mean \"missing\", and what a row with one becomes:\n\
                # \"drop_row\" (left out), \"error\" (stop, naming file, line and column) or \"impute\"\n\
                # (training mean or most frequent category).\n";
        let policy = match f.missing_policy {
            Policy::DropRow => "drop_row",
            Policy::Error => "error",
            Policy::Impute => "impute",
        };
        out += &format!(
            "missing = {}\nmissing_policy = {}\n",
            list(&f.missing),
            s(policy)
        );
        out += "\n# A category not seen in training: \"zeros\" (all-zero one-hot block) or \"error\".\n";
        out += "unseen = \"zeros\"\n";
        out
    }
}
