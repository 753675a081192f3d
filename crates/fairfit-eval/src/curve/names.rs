//! Conventional metric names, so that curves built in different places line up on one axis.
//! A fairness column is the column of its notion ([`fairfit_data::fairness::Notion::column`]);
//! the constants below name the common ones.

use fairfit_data::fairness::Notion;

/// Accuracy: share of correct hard predictions.
pub const ACCURACY: &str = "accuracy";
/// Balanced accuracy: mean of TPR and TNR.
pub const BALANCED_ACCURACY: &str = "balanced_accuracy";
/// Area under the ROC curve.
pub const ROC_AUC: &str = "roc_auc";
/// Demographic-parity difference: max − min of per-group selection rates.
pub const DP_DIFFERENCE: &str = "dp_difference";
/// Demographic-parity ratio: min / max of per-group selection rates.
pub const DP_RATIO: &str = "dp_ratio";
/// Equalized-odds difference: the larger of the TPR and FPR differences.
pub const EO_DIFFERENCE: &str = "eo_difference";
/// Equal-opportunity difference: max − min of per-group TPR.
pub const TPR_DIFFERENCE: &str = "tpr_difference";

/// A readable label for a metric name: the performance names spelled out, every notion's column
/// by its notion's label (e.g. `eo_difference` → `Equalized-odds difference`), others with
/// `_` → space.
pub fn label(metric: &str) -> String {
    match metric {
        ACCURACY => "Accuracy".into(),
        BALANCED_ACCURACY => "Balanced accuracy".into(),
        ROC_AUC => "ROC AUC".into(),
        other => {
            if let Some(notion) = Notion::from_column(other) {
                return capitalised(&notion.label());
            }
            capitalised(&other.replace('_', " "))
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fairness_names_are_their_notions_columns() {
        assert_eq!(DP_DIFFERENCE, Notion::demographic_parity().column());
        assert_eq!(DP_RATIO, Notion::demographic_parity().ratio().column());
        assert_eq!(EO_DIFFERENCE, Notion::equalized_odds().column());
        assert_eq!(TPR_DIFFERENCE, Notion::equal_opportunity().column());
        assert_eq!(label(DP_DIFFERENCE), "Demographic-parity difference");
        assert_eq!(label(TPR_DIFFERENCE), "Equal-opportunity difference");
        assert_eq!(label("fpr_ratio"), "False-positive-rate ratio");
        assert_eq!(label("log_loss"), "Log loss");
    }
}
