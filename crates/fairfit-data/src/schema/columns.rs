//! The columns of a table that a [`Schema`] gives a role, the rows its missing-value policy
//! keeps, and the label's two values: what fitting and encoding both read before any number is
//! computed.

use super::spec::{MissingPolicy, Schema};
use super::table::{RawRow, RawTable};
use crate::error::{DataError, Result};

/// Column indices of the schema's roles in one table.
pub(super) struct Columns {
    pub(super) label: Option<usize>,
    pub(super) sensitive: Vec<usize>,
    pub(super) features: Vec<usize>,
    /// Every column whose missing values the policy applies to.
    pub(super) used: Vec<usize>,
}

impl Columns {
    /// Finds the schema's columns in `table`; with `strict`, a column the schema does not
    /// mention is an error unless the schema ignores others.
    pub(super) fn resolve(schema: &Schema, table: &RawTable, strict: bool) -> Result<Self> {
        let label = table.column_index(schema.label())?;
        let sensitive = schema
            .sensitive()
            .iter()
            .map(|s| table.column_index(&s.column))
            .collect::<Result<Vec<_>>>()?;
        let features = schema
            .features()
            .iter()
            .map(|f| table.column_index(&f.column))
            .collect::<Result<Vec<_>>>()?;
        for ignored in schema.ignored() {
            table.column_index(ignored)?;
        }
        if strict && !schema.ignores_others() {
            let used = schema.used_columns();
            if let Some(other) = table
                .columns()
                .iter()
                .find(|c| !used.contains(&c.as_str()) && !schema.ignored().contains(c))
            {
                return Err(DataError::InvalidParameter {
                    name: "schema",
                    reason: format!(
                        "column `{other}` of {} has no role; list it as ignored or call \
                         `ignore_others`",
                        table.path().display()
                    ),
                });
            }
        }
        let mut used = vec![label];
        for &c in sensitive.iter().chain(&features) {
            if !used.contains(&c) {
                used.push(c);
            }
        }
        Ok(Self {
            label: Some(label),
            sensitive,
            features,
            used,
        })
    }
}

/// The rows that survive the missing-value policy. Under [`MissingPolicy::Impute`] a missing
/// label or sensitive value is still an error (neither can be imputed).
pub(super) fn kept_rows<'t>(
    schema: &Schema,
    table: &'t RawTable,
    columns: &Columns,
    policy: MissingPolicy,
) -> Result<Vec<&'t RawRow>> {
    let not_imputable: Vec<usize> = columns
        .label
        .iter()
        .chain(&columns.sensitive)
        .copied()
        .collect();
    let mut kept = Vec::with_capacity(table.len());
    'rows: for row in table.rows() {
        for &c in &columns.used {
            let field = match table.text(row, c) {
                Some(field) if schema.is_missing(field) => field,
                _ => continue,
            };
            let imputable = !not_imputable.contains(&c);
            match policy {
                MissingPolicy::DropRow => continue 'rows,
                MissingPolicy::Impute if imputable => {}
                _ => {
                    return Err(DataError::Missing {
                        position: table.position(row, Some(c)),
                        marker: field.to_string(),
                    })
                }
            }
        }
        kept.push(row);
    }
    Ok(kept)
}

/// Whether a field is one of the schema's missing markers (a cell read as a number is not).
pub(super) fn is_missing(schema: &Schema, table: &RawTable, row: &RawRow, column: usize) -> bool {
    table
        .text(row, column)
        .is_some_and(|f| schema.is_missing(f))
}

/// The label's two values `[unfavourable, favourable]`; anything else is an error.
pub(super) fn label_values(
    schema: &Schema,
    table: &RawTable,
    rows: &[&RawRow],
    label: usize,
) -> Result<[String; 2]> {
    let mut values: Vec<&str> = rows.iter().map(|r| r.field(label)).collect();
    values.sort_unstable();
    values.dedup();
    label_values_of(schema, table.path(), &values)
}

/// The label's two values from its distinct values, sorted.
pub(super) fn label_values_of(
    schema: &Schema,
    path: &std::path::Path,
    values: &[&str],
) -> Result<[String; 2]> {
    let error = |reason: String| DataError::LabelValues {
        column: schema.label().to_string(),
        path: path.to_path_buf(),
        reason,
    };
    if values.len() != 2 {
        let shown: Vec<&str> = values.iter().take(10).copied().collect();
        return Err(error(format!(
            "needs exactly two values, found {}: {shown:?}",
            values.len()
        )));
    }
    let favourable = schema.favourable();
    match values.iter().position(|v| *v == favourable) {
        Some(f) => Ok([values[1 - f].to_string(), favourable.to_string()]),
        None => Err(error(format!(
            "favourable value `{favourable}` not among {values:?}"
        ))),
    }
}
