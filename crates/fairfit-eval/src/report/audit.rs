//! [`AuditSummary`]: the data audit as the report shows it.

use fairfit_data::audit::{DataAudit, GroupBaseRate, ProxyScore};
use serde::{Deserialize, Serialize};

/// The data audit as the report shows it: group sizes and base rates, the base-rate disparity
/// and 80% rule, and the strongest proxies of the groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditSummary {
    /// What was audited, e.g. `adult (train)`.
    pub name: String,
    /// Number of rows.
    pub rows: usize,
    /// Rows, share, positives and base rate per group.
    pub groups: Vec<GroupBaseRate>,
    /// max − min base rate.
    pub base_rate_difference: f64,
    /// min / max base rate (`None` when no group has a positive label).
    pub base_rate_ratio: Option<f64>,
    /// Whether the base-rate ratio is at least 0.8.
    pub passes_80_percent_rule: bool,
    /// Number of features the audit scored as proxies.
    pub features: usize,
    /// The strongest proxies, strongest first.
    pub top_proxies: Vec<ProxyScore>,
}

impl AuditSummary {
    pub(super) fn of(audit: &DataAudit, top: usize) -> Self {
        let br = &audit.base_rates;
        Self {
            name: audit.name.clone(),
            rows: audit.rows,
            groups: br.groups.clone(),
            base_rate_difference: br.difference,
            base_rate_ratio: br.ratio,
            passes_80_percent_rule: br.passes_80_percent_rule(),
            features: audit.proxies.len(),
            top_proxies: audit.proxies.iter().take(top).cloned().collect(),
        }
    }
}
