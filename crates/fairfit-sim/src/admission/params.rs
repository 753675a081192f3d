//! [`AdmissionParams`]: the college-admissions environment's parameters, with the gym's defaults
//! (`environments/college_admission.py`), and their checks.

use serde::{Deserialize, Serialize};

use crate::distribution::{check_distribution, check_len};
use crate::error::{Result, SimError};

use super::env::AdmissionEnv;
use super::noise::Noise;

/// The parameters of [`AdmissionEnv`] (the gym's `CollegeAdmissionsEnv`, after Hu, Immorlica &
/// Vaughan 2019 and Milli et al. 2019): each round, `applicants` applicants arrive, their groups
/// drawn from `group_probabilities` and their test scores from a normal distribution per group
/// (clipped to [0, 1]); an applicant is eligible when the score reaches the group's true
/// threshold `(1 + true_threshold_factor) × mean`. The jury publishes one threshold per group;
/// an applicant below it raises the observed score to it when the cost
/// `(threshold − score) × cost × subsidy` is at most `1 − ε` (the value of admission less the
/// jury's exploration probability) and the raise is at most `gaming_control`.
///
/// ```
/// use fairfit::sim::admission::AdmissionParams;
/// let p = AdmissionParams::default();
/// assert_eq!((p.applicants, p.costs.clone()), (20, vec![0.8, 1.2]));
/// assert!(p.check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdmissionParams {
    /// Group names (the gym's group 0 is advantaged, group 1 disadvantaged).
    pub group_names: Vec<String>,
    /// Applicants per round.
    pub applicants: usize,
    /// Probability that an applicant comes from each group.
    pub group_probabilities: Vec<f64>,
    /// Mean test score of each group.
    pub score_means: Vec<f64>,
    /// Standard deviation of the test score of each group.
    pub score_sds: Vec<f64>,
    /// An applicant is eligible when the true score reaches `(1 + factor) × group mean`.
    pub true_threshold_factor: f64,
    /// Cost per unit of score raised, per group.
    pub costs: Vec<f64>,
    /// A multiplier on each group's cost (below 1: a subsidy; the gym subsidises the second group
    /// by 0.8 when asked).
    pub subsidies: Vec<f64>,
    /// Whether applicants manipulate their scores at all.
    pub gaming: bool,
    /// The largest raise of a score an applicant can make (`f64::INFINITY`: no limit).
    pub gaming_control: f64,
    /// The noise added where `noisy_features` or `noisy_threshold` asks for it (the gym's
    /// `noise_dist` and `noise_params`).
    #[serde(default)]
    pub noise: Noise,
    /// Whether the scores applicants start from (and the jury sees unless they manipulate) are
    /// the true scores plus noise, clipped to [0, 1]; eligibility stays with the true scores.
    #[serde(default)]
    pub noisy_features: bool,
    /// Whether a manipulating applicant reaches the threshold plus noise (clipped to [0, 1])
    /// rather than the threshold itself, manipulating only when that still reaches it.
    #[serde(default)]
    pub noisy_threshold: bool,
}

impl Default for AdmissionParams {
    /// The gym's defaults: 20 applicants per round; groups drawn 0.6 / 0.4 with mean scores 0.8
    /// and 0.6 and standard deviations 0.1 and 0.3; true-threshold factor 0.1; costs 0.8 and 1.2;
    /// no subsidy; gaming without limit; noise clip(N(0.1, 0.01²), −0.3, 0.3), added to neither
    /// features nor thresholds.
    fn default() -> Self {
        Self {
            group_names: vec!["advantaged".into(), "disadvantaged".into()],
            applicants: 20,
            group_probabilities: vec![0.6, 0.4],
            score_means: vec![0.8, 0.6],
            score_sds: vec![0.1, 0.3],
            true_threshold_factor: 0.1,
            costs: vec![0.8, 1.2],
            subsidies: vec![1.0, 1.0],
            gaming: true,
            gaming_control: f64::INFINITY,
            noise: Noise::default(),
            noisy_features: false,
            noisy_threshold: false,
        }
    }
}

impl AdmissionParams {
    /// The setting of the gym's FAT* 2020 admissions experiment
    /// (`experiments/acm_fat_2020/college_admission_main.py`): two equally likely groups with
    /// the same score distribution N(0.5, 0.1), manipulation costing 5 per unit for the first
    /// group and 10 for the second (the largest raises are 0.2 and 0.1).
    pub fn fat_2020() -> Self {
        Self {
            group_names: vec!["group A (cost 5)".into(), "group B (cost 10)".into()],
            group_probabilities: vec![0.5, 0.5],
            score_means: vec![0.5, 0.5],
            score_sds: vec![0.1, 0.1],
            costs: vec![5.0, 10.0],
            ..Self::default()
        }
    }

    /// Checks every parameter.
    ///
    /// Errors: no groups or no applicants; group probabilities that are not a distribution;
    /// per-group lists (probabilities, means, deviations, costs, subsidies) of another length
    /// than the group names; means outside [0, 1]; deviations, costs or subsidies that are not
    /// positive and finite; a negative threshold factor; a gaming control that is not positive.
    pub fn check(self) -> Result<ValidAdmissionParams> {
        let groups = self.group_names.len();
        let invalid = |name: &str, reason: String| SimError::InvalidParameter {
            name: name.into(),
            reason,
        };
        if groups == 0 {
            return Err(invalid(
                "group_names",
                "at least one group is needed".into(),
            ));
        }
        if self.applicants == 0 {
            return Err(invalid(
                "applicants",
                "at least one applicant per round is needed".into(),
            ));
        }
        for (name, values) in [
            ("group_probabilities", &self.group_probabilities),
            ("score_means", &self.score_means),
            ("score_sds", &self.score_sds),
            ("costs", &self.costs),
            ("subsidies", &self.subsidies),
        ] {
            check_len(name, values.len(), groups, "one per group")?;
        }
        check_distribution("group_probabilities", &self.group_probabilities)?;
        if let Some((g, m)) = self
            .score_means
            .iter()
            .enumerate()
            .find(|(_, m)| !(0.0..=1.0).contains(*m))
        {
            return Err(invalid(
                &format!("score_means[{g}]"),
                format!("a mean score must be in [0, 1], got {m}"),
            ));
        }
        for (name, values) in [
            ("score_sds", &self.score_sds),
            ("costs", &self.costs),
            ("subsidies", &self.subsidies),
        ] {
            if let Some((g, v)) = values
                .iter()
                .enumerate()
                .find(|(_, v)| !(v.is_finite() && **v > 0.0))
            {
                return Err(invalid(
                    &format!("{name}[{g}]"),
                    format!("must be finite and > 0, got {v}"),
                ));
            }
        }
        if !(self.true_threshold_factor.is_finite() && self.true_threshold_factor >= 0.0) {
            return Err(invalid(
                "true_threshold_factor",
                format!(
                    "must be finite and >= 0, got {}",
                    self.true_threshold_factor
                ),
            ));
        }
        if self.gaming_control.is_nan() || self.gaming_control <= 0.0 {
            return Err(invalid(
                "gaming_control",
                format!(
                    "must be > 0 (infinite: no limit), got {}",
                    self.gaming_control
                ),
            ));
        }
        self.noise.check()?;
        Ok(ValidAdmissionParams(self))
    }
}

/// Checked admission parameters: what [`AdmissionEnv`]s are built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidAdmissionParams(AdmissionParams);

impl ValidAdmissionParams {
    /// The parameters.
    pub fn params(&self) -> &AdmissionParams {
        &self.0
    }

    /// A fresh environment whose random draws are seeded with `seed`.
    pub fn build(&self, seed: u64) -> Result<AdmissionEnv> {
        AdmissionEnv::new(self.clone(), seed)
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.0.group_names.len()
    }

    /// The true eligibility threshold of group `g`.
    pub fn true_threshold(&self, g: usize) -> f64 {
        self.0.score_means[g] * (1.0 + self.0.true_threshold_factor)
    }

    /// What it costs an applicant of group `g` to raise a score by `raise`.
    pub fn cost(&self, g: usize, raise: f64) -> f64 {
        raise * self.0.costs[g] * self.0.subsidies[g]
    }

    /// The largest raise an applicant of group `g` makes when admission is worth `1 − epsilon`:
    /// `(1 − ε) / (cost × subsidy)`, capped by the gaming control.
    pub fn max_raise(&self, g: usize, epsilon: f64) -> f64 {
        ((1.0 - epsilon) / (self.0.costs[g] * self.0.subsidies[g])).min(self.0.gaming_control)
    }
}
