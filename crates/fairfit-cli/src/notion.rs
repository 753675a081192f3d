//! Reading `NOTION=VALUE` arguments: a notion of fairfit's vocabulary by its short name (`dp`,
//! `eo`, `tpr`), its name (`demographic_parity`) or its column (`dp_difference`, `dp_ratio`).

use fairfit_data::fairness::Notion;

use crate::error::{CliError, Result};

/// The notion called `name`.
///
/// ```
/// use fairfit_cli::error::CliError;
/// use fairfit_cli::notion::notion;
/// assert_eq!(notion("dp").unwrap().column(), "dp_difference");
/// assert_eq!(notion("equalized_odds").unwrap().column(), "eo_difference");
/// assert_eq!(notion("predictive-parity").unwrap().column(), "ppv_difference");
/// assert_eq!(notion("dp_ratio").unwrap().column(), "dp_ratio");
/// match notion("fairness") {
///     Err(CliError::UnknownNotion { name, known }) => {
///         assert_eq!(name, "fairness");
///         assert!(known.contains(&"eo (equalized_odds)".to_string()));
///     }
///     other => panic!("{other:?}"),
/// }
/// ```
///
/// Errors: [`CliError::UnknownNotion`], naming `name` as given and every known notion.
pub fn notion(name: &str) -> Result<Notion> {
    let normalised = name.trim().replace('-', "_");
    if let Some(n) = Notion::from_column(&normalised) {
        return Ok(n);
    }
    Notion::vocabulary()
        .into_iter()
        .find(|n| n.short() == normalised || n.name() == normalised)
        .ok_or_else(|| CliError::UnknownNotion {
            name: name.to_string(),
            known: Notion::vocabulary()
                .iter()
                .map(|n| format!("{} ({})", n.short(), n.name()))
                .collect(),
        })
}

/// The notions called `names`, in order, each once: two names of one notion (`dp` and
/// `demographic_parity`) give it once, where it first appears.
///
/// ```
/// use fairfit_cli::notion::notions;
/// let names = ["dp", "eo", "demographic_parity", "dp_ratio"].map(String::from);
/// let columns: Vec<String> = notions(&names).unwrap().iter().map(|n| n.column()).collect();
/// assert_eq!(columns, ["dp_difference", "eo_difference", "dp_ratio"]);
/// ```
///
/// Errors: an unknown name ([`CliError::UnknownNotion`]).
pub fn notions(names: &[String]) -> Result<Vec<Notion>> {
    let mut out: Vec<Notion> = Vec::with_capacity(names.len());
    for name in names {
        let n = notion(name)?;
        if !out.iter().any(|seen| seen.column() == n.column()) {
            out.push(n);
        }
    }
    Ok(out)
}

/// `NOTION=VALUE` → the notion and the number; `default` when `=VALUE` is left out (or an error
/// naming `what` when there is no default).
pub fn notion_value(arg: &str, what: &str, default: Option<f64>) -> Result<(Notion, f64)> {
    let (name, value) = match arg.split_once('=') {
        Some((name, value)) => {
            let v: f64 = value.trim().parse().map_err(|_| {
                CliError::Usage(format!("`{arg}`: `{value}` is not a number ({what})"))
            })?;
            if !v.is_finite() || v < 0.0 {
                return Err(CliError::Usage(format!(
                    "`{arg}`: {what} must be a finite number ≥ 0"
                )));
            }
            (name, v)
        }
        None => (
            arg,
            default.ok_or_else(|| CliError::Usage(format!("`{arg}`: give NOTION={what}")))?,
        ),
    };
    Ok((notion(name)?, value))
}
