//! Conventional metric names, so that curves built in different places line up on one axis.

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

/// A readable label for a metric name: the known names spelled out, others with `_` → space.
pub fn label(metric: &str) -> String {
    match metric {
        ACCURACY => "Accuracy".into(),
        BALANCED_ACCURACY => "Balanced accuracy".into(),
        ROC_AUC => "ROC AUC".into(),
        DP_DIFFERENCE => "Demographic-parity difference".into(),
        DP_RATIO => "Demographic-parity ratio".into(),
        EO_DIFFERENCE => "Equalized-odds difference".into(),
        TPR_DIFFERENCE => "Equal-opportunity difference".into(),
        other => {
            let spaced = other.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => spaced,
            }
        }
    }
}
