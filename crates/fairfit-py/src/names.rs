//! fairfit's vocabulary by the names Python users pass: notions (`"demographic_parity"`,
//! `"equalized_odds"`, columns such as `"dp_ratio"`), penalties, threshold constraints and
//! objectives, and metrics.

use fairfit_data::fairness::Notion;
use fairfit_eval::metrics::Measure;
use fairfit_train::postprocess::{Constraint, Objective};
use fairfit_train::Penalty;

use crate::error::{Error, Result};

/// The notion named `name`: its snake-case name (a difference, or a group maximum for bounded
/// group loss), its short name (`dp`, `eo`) or its column (`dp_difference`, `dp_ratio`).
pub fn notion(name: &str) -> Result<Notion> {
    Notion::vocabulary()
        .into_iter()
        .find(|n| n.name() == name || n.short() == name)
        .or_else(|| Notion::from_column(name))
        .ok_or_else(|| {
            let known: Vec<String> = Notion::vocabulary().iter().map(Notion::name).collect();
            Error::input(format!(
                "unknown fairness notion `{name}`; known: {} (or a column such as `dp_ratio`)",
                known.join(", ")
            ))
        })
}

/// The penalty named `name`: a notion's ([`Penalty::for_notion`]) or one of the penalties
/// that are not a notion's gap (`disparate_impact_covariance`, `mistreatment_covariance`,
/// `prejudice_remover`).
pub fn penalty(name: &str) -> Result<Penalty> {
    match name {
        "disparate_impact_covariance" => Ok(Penalty::disparate_impact_covariance()),
        "mistreatment_covariance" => Ok(Penalty::mistreatment_covariance()),
        "prejudice_remover" => Ok(Penalty::prejudice_remover()),
        _ => Ok(Penalty::for_notion(&notion(name)?)?),
    }
}

/// The threshold constraint enforcing the notion `name`.
pub fn constraint(name: &str) -> Result<Constraint> {
    Constraint::for_notion(&notion(name)?).ok_or_else(|| {
        Error::input(format!(
            "group-specific thresholds cannot enforce `{name}`; use demographic_parity, \
             equal_opportunity or equalized_odds"
        ))
    })
}

/// The threshold objective named `name` (`accuracy`, `balanced_accuracy`, `cost` with the two
/// costs).
pub fn objective(name: &str, false_positive: f64, false_negative: f64) -> Result<Objective> {
    match name {
        "accuracy" => Ok(Objective::Accuracy),
        "balanced_accuracy" => Ok(Objective::BalancedAccuracy),
        "cost" => Ok(Objective::Cost {
            false_positive,
            false_negative,
        }),
        _ => Err(Error::input(format!(
            "unknown objective `{name}`; known: accuracy, balanced_accuracy, cost"
        ))),
    }
}

/// The measure named `name` as frames name it (`selection_rate`, `true_positive_rate`, ...;
/// fairfit-eval's [`Measure::from_name`]).
pub fn measure(name: &str) -> Result<Measure> {
    Measure::from_name(name).ok_or_else(|| {
        let known: Vec<String> = Measure::catalogue()
            .iter()
            .map(Measure::to_string)
            .collect();
        Error::input(format!(
            "unknown metric `{name}`; known: {}",
            known.join(", ")
        ))
    })
}
