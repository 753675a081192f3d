//! [`Decision`]: how a pipeline turns scores into decisions, and the groups its rule reads.

use fairfit_data::schema::RawTable;
use fairfit_data::Groups;
use serde::{Deserialize, Serialize};

use super::Result;
use crate::postprocess::FittedThresholds;

/// How scores become decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Decision {
    /// Favourable when the score is at least this (finite) threshold, for every row.
    Threshold(f64),
    /// Group-specific (possibly randomised) thresholds; a row's group is the intersection of its
    /// values in these sensitive columns, named `value & value` as [`Groups::intersection`] does.
    Groups {
        /// The sensitive columns whose intersection forms the groups.
        columns: Vec<String>,
        /// The fitted rules.
        thresholds: FittedThresholds,
    },
}

/// The groups formed by the intersection of `columns` in `records`, named like
/// [`Groups::intersection`] names them (`value & value`), in order of first appearance.
pub(super) fn groups_of(columns: &[String], records: &RawTable) -> Result<Groups> {
    let indices = columns
        .iter()
        .map(|c| records.column_index(c))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut names: Vec<String> = Vec::new();
    let mut of_row = Vec::with_capacity(records.len());
    for row in records.rows() {
        let name = indices
            .iter()
            .map(|&c| row.field(c))
            .collect::<Vec<_>>()
            .join(" & ");
        let g = match names.iter().position(|n| *n == name) {
            Some(g) => g,
            None => {
                names.push(name);
                names.len() - 1
            }
        };
        of_row.push(g);
    }
    Ok(Groups::new(names, of_row)?)
}
