//! [`AttentionParams`]: the attention-allocation environment's parameters, with the gym's
//! defaults (`environments/attention_allocation.py`) and the five-site setting of its FAT* 2020
//! experiment, and their checks.

use serde::{Deserialize, Serialize};

use crate::distribution::{check_len, check_probabilities};
use crate::error::{Result, SimError};

use super::env::AttentionEnv;

/// The parameters of [`AttentionEnv`] (the gym's `LocationAllocationEnv`, after Ensign et al.
/// 2018, "Runaway feedback loops in predictive policing"): each step, incidents occur at each
/// site from a Poisson distribution with the site's rate; the agent spreads `attention_units`
/// over the sites, and incidents are discovered only where attention goes.
///
/// ```
/// use fairfit::sim::attention::AttentionParams;
/// let p = AttentionParams::five_sites(0.05);
/// assert_eq!((p.incident_rates.len(), p.attention_units), (5, 6));
/// assert!(p.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttentionParams {
    /// Site names.
    pub site_names: Vec<String>,
    /// The mean number of incidents per step at each site.
    pub incident_rates: Vec<f64>,
    /// Units of attention to allocate each step.
    pub attention_units: u32,
    /// Whether a unit can discover several incidents (`true`: each incident is discovered with
    /// probability `1 − miss^attention`) or at most one (`false`: units are used up one by one).
    pub attention_replacement: bool,
    /// Probability that one unit of attention misses an incident, per site.
    pub miss_probabilities: Vec<f64>,
    /// Probability that an unused unit of attention reports a spurious incident, per site.
    pub extra_probabilities: Vec<f64>,
    /// Change of a site's rate per step: it rises by this where no attention went and falls by it
    /// per unit of attention elsewhere (never below 0).
    pub dynamic_rate: f64,
}

impl Default for AttentionParams {
    /// The gym's defaults: two sites with rates 4 and 3, one unit of attention without
    /// replacement, miss probability 0.2, no spurious reports, static rates.
    fn default() -> Self {
        Self {
            site_names: vec!["site 1".into(), "site 2".into()],
            incident_rates: vec![4.0, 3.0],
            attention_units: 1,
            attention_replacement: false,
            miss_probabilities: vec![0.2, 0.2],
            extra_probabilities: vec![0.0, 0.0],
            dynamic_rate: 0.0,
        }
    }
}

impl AttentionParams {
    /// The gym's FAT* 2020 experiment: five sites with rates 8, 6, 4, 3, 1.5, six units of
    /// attention, no misses, and the given dynamic rate (the paper sweeps 0 to 0.15).
    pub fn five_sites(dynamic_rate: f64) -> Self {
        Self {
            site_names: (1..=5).map(|i| format!("site {i}")).collect(),
            incident_rates: vec![8.0, 6.0, 4.0, 3.0, 1.5],
            attention_units: 6,
            attention_replacement: false,
            miss_probabilities: vec![0.0; 5],
            extra_probabilities: vec![0.0; 5],
            dynamic_rate,
        }
    }

    /// Checks every parameter.
    ///
    /// Errors: no sites; per-site lists of another length than the names; rates that are
    /// negative or not finite; miss or extra probabilities outside [0, 1]; no attention units;
    /// a negative dynamic rate.
    pub fn check(self) -> Result<ValidAttentionParams> {
        let sites = self.site_names.len();
        let invalid = |name: String, reason: String| SimError::InvalidParameter { name, reason };
        if sites == 0 {
            return Err(invalid(
                "site_names".into(),
                "at least one site is needed".into(),
            ));
        }
        for (name, values) in [
            ("incident_rates", &self.incident_rates),
            ("miss_probabilities", &self.miss_probabilities),
            ("extra_probabilities", &self.extra_probabilities),
        ] {
            check_len(name, values.len(), sites, "one per site")?;
        }
        if let Some((i, r)) = self
            .incident_rates
            .iter()
            .enumerate()
            .find(|(_, r)| !(r.is_finite() && **r >= 0.0))
        {
            return Err(invalid(
                format!("incident_rates[{i}]"),
                format!("must be finite and >= 0, got {r}"),
            ));
        }
        check_probabilities("miss_probabilities", &self.miss_probabilities)?;
        check_probabilities("extra_probabilities", &self.extra_probabilities)?;
        if self.attention_units == 0 {
            return Err(invalid(
                "attention_units".into(),
                "at least one unit is needed".into(),
            ));
        }
        if !(self.dynamic_rate.is_finite() && self.dynamic_rate >= 0.0) {
            return Err(invalid(
                "dynamic_rate".into(),
                format!("must be finite and >= 0, got {}", self.dynamic_rate),
            ));
        }
        Ok(ValidAttentionParams(self))
    }
}

/// Checked attention parameters: what [`AttentionEnv`]s are built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidAttentionParams(AttentionParams);

impl ValidAttentionParams {
    /// The parameters.
    pub fn params(&self) -> &AttentionParams {
        &self.0
    }

    /// A fresh environment whose random draws are seeded with `seed`.
    pub fn build(&self, seed: u64) -> AttentionEnv {
        AttentionEnv::new(self.clone(), seed)
    }

    /// The number of sites.
    pub fn n_sites(&self) -> usize {
        self.0.site_names.len()
    }
}
