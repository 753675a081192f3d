//! Reading `NOTION=VALUE` arguments: a notion of fairfit's vocabulary by its short name (`dp`,
//! `eo`, `tpr`), its name (`demographic_parity`) or its column (`dp_difference`, `dp_ratio`).

use fairfit_data::fairness::Notion;

use crate::error::{CliError, Result};

/// The notion called `name`.
///
/// ```
/// use fairfit_cli::notion::notion;
/// assert_eq!(notion("dp").unwrap().column(), "dp_difference");
/// assert_eq!(notion("equalized_odds").unwrap().column(), "eo_difference");
/// assert_eq!(notion("dp_ratio").unwrap().column(), "dp_ratio");
/// assert!(notion("fairness").is_err());
/// ```
pub fn notion(name: &str) -> Result<Notion> {
    let name = name.trim().replace('-', "_");
    if let Some(n) = Notion::from_column(&name) {
        return Ok(n);
    }
    Notion::vocabulary()
        .into_iter()
        .find(|n| n.short() == name || n.name() == name)
        .ok_or_else(|| {
            let known: Vec<String> = Notion::vocabulary()
                .iter()
                .map(|n| format!("{} ({})", n.short(), n.name()))
                .collect();
            CliError::Usage(format!(
                "unknown notion `{name}`; known: {} (append _ratio for a ratio)",
                known.join(", ")
            ))
        })
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
