//! Missing values by group, counted on the raw table before any row is dropped or imputed.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::schema::{RawTable, Schema};

/// Label of rows whose sensitive value itself is missing.
pub const MISSING_GROUP: &str = "(missing)";

/// Missing values of one column, per group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnMissing {
    /// The column.
    pub column: String,
    /// Missing fields per group, in [`Missingness::groups`] order.
    pub missing: Vec<usize>,
}

/// Missingness by the levels of one sensitive column: how many rows each group has, how many of
/// them have a missing value in a column the schema uses (so would be dropped under
/// [`MissingPolicy::DropRow`](crate::schema::MissingPolicy::DropRow)), and per column.
///
/// ```
/// use fairfit::data::audit::Missingness;
/// use fairfit::data::schema::{CsvOptions, MissingPolicy, RawTable, Schema};
/// let csv = "sex,age,y\nF,?,1\nF,30,0\nM,40,1\n";
/// let table = RawTable::from_reader(csv.as_bytes(), "m.csv", &CsvOptions::default())?;
/// let schema = Schema::builder().label("y", "1").sensitive("sex").numeric(&["age"])
///     .missing("?", MissingPolicy::DropRow).build()?;
/// let m = Missingness::of(&table, &schema)?;
/// assert_eq!(m.groups, ["F", "M"]);
/// assert_eq!(m.rows_with_missing, [1, 0]);
/// assert_eq!(m.columns[0].column, "age");
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Missingness {
    /// The column the groups come from.
    pub attribute: String,
    /// Its levels (fixed by the schema, else sorted), plus [`MISSING_GROUP`] if it occurs.
    pub groups: Vec<String>,
    /// Rows per group.
    pub rows: Vec<usize>,
    /// Rows per group with at least one missing value in a used column.
    pub rows_with_missing: Vec<usize>,
    /// Used columns with at least one missing value, in schema order.
    pub columns: Vec<ColumnMissing>,
}

impl Missingness {
    /// Counts missing values of `table` by the schema's first sensitive column.
    pub fn of(table: &RawTable, schema: &Schema) -> Result<Self> {
        Self::by(table, schema, &schema.sensitive()[0].column)
    }

    /// Counts missing values of `table` by the levels of `column` (fixed levels if the schema
    /// declares them for this sensitive column, else its sorted values).
    pub fn by(table: &RawTable, schema: &Schema, column: &str) -> Result<Self> {
        let s = table.column_index(column)?;
        let fixed = schema
            .sensitive()
            .iter()
            .find(|spec| spec.column == column)
            .and_then(|spec| spec.levels.clone());
        let used = schema
            .used_columns()
            .into_iter()
            .map(|c| Ok((c, table.column_index(c)?)))
            .collect::<Result<Vec<_>>>()?;
        let mut groups: Vec<String> = match fixed {
            Some(levels) => levels,
            None => {
                let mut v: Vec<String> = table
                    .rows()
                    .iter()
                    .map(|r| r.field(s))
                    .filter(|f| !schema.is_missing(f))
                    .map(str::to_string)
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            }
        };
        let group_of = |field: &str, groups: &mut Vec<String>| {
            let label = if schema.is_missing(field) {
                MISSING_GROUP
            } else {
                field
            };
            match groups.iter().position(|g| g == label) {
                Some(g) => g,
                None => {
                    groups.push(label.to_string());
                    groups.len() - 1
                }
            }
        };
        let mut rows = Vec::new();
        let mut with_missing = Vec::new();
        let mut per_column = vec![Vec::new(); used.len()];
        for row in table.rows() {
            let g = group_of(row.field(s), &mut groups);
            for v in [&mut rows, &mut with_missing]
                .into_iter()
                .chain(per_column.iter_mut())
            {
                v.resize(groups.len(), 0);
            }
            rows[g] += 1;
            let mut any = false;
            for (k, &(_, c)) in used.iter().enumerate() {
                if schema.is_missing(row.field(c)) {
                    per_column[k][g] += 1;
                    any = true;
                }
            }
            with_missing[g] += usize::from(any);
        }
        for v in [&mut rows, &mut with_missing]
            .into_iter()
            .chain(per_column.iter_mut())
        {
            v.resize(groups.len(), 0);
        }
        let columns = used
            .iter()
            .zip(per_column)
            .filter(|(_, m)| m.iter().any(|&c| c > 0))
            .map(|(&(name, _), missing)| ColumnMissing {
                column: name.to_string(),
                missing,
            })
            .collect();
        Ok(Self {
            attribute: column.to_string(),
            groups,
            rows,
            rows_with_missing: with_missing,
            columns,
        })
    }
}
