//! [`AttentionEnv`]: attention allocation with feedback (the gym's `LocationAllocationEnv`).

use fairfit_data::fairness::ratio;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Binomial, Distribution, Poisson};

use crate::environment::{Environment, Transition};
use crate::error::{Result, SimError};

use super::params::ValidAttentionParams;

/// What the agent learns each step: the incidents discovered at each site (never those missed).
pub type Discovered = Vec<u64>;

/// Per-site metric names.
const METRICS: [&str; 6] = [
    "occurred",
    "discovered",
    "discovery_rate",
    "attention",
    "attention_share",
    "incident_rate",
];

/// The attention-allocation environment.
///
/// Recorded per site, cumulatively: incidents `occurred` and `discovered`, the `discovery_rate`
/// (discovered among occurred), the units of `attention` given and their `attention_share`, and
/// the site's current `incident_rate`.
#[derive(Debug, Clone)]
pub struct AttentionEnv {
    params: ValidAttentionParams,
    rng: StdRng,
    rates: Vec<f64>,
    occurred: Vec<f64>,
    discovered: Vec<f64>,
    attention: Vec<f64>,
    metric_names: Vec<String>,
}

impl AttentionEnv {
    pub(crate) fn new(params: ValidAttentionParams, seed: u64) -> Self {
        let sites = params.n_sites();
        Self {
            rates: params.params().incident_rates.clone(),
            rng: StdRng::seed_from_u64(seed),
            occurred: vec![0.0; sites],
            discovered: vec![0.0; sites],
            attention: vec![0.0; sites],
            metric_names: METRICS.iter().map(|m| m.to_string()).collect(),
            params,
        }
    }

    /// The parameters.
    pub fn params(&self) -> &ValidAttentionParams {
        &self.params
    }

    fn poisson(&mut self, rate: f64) -> u64 {
        if rate <= 0.0 {
            return 0;
        }
        Poisson::new(rate).map_or(0, |p| p.sample(&mut self.rng) as u64)
    }

    fn binomial(&mut self, n: u64, p: f64) -> u64 {
        Binomial::new(n, p.clamp(0.0, 1.0)).map_or(0, |b| b.sample(&mut self.rng))
    }

    /// Incidents discovered at a site with `occurred` incidents and `units` of attention.
    fn discover(&mut self, site: usize, occurred: u64, units: u32) -> u64 {
        let p = self.params.params();
        let (miss, extra) = (p.miss_probabilities[site], p.extra_probabilities[site]);
        if p.attention_replacement {
            return self.binomial(occurred, 1.0 - miss.powi(units as i32));
        }
        // Without replacement each discovery uses up a unit: an incident is found with
        // probability 1 − miss^(units left).
        let mut left = units;
        let mut seen = 0;
        for _ in 0..occurred {
            if left == 0 {
                break;
            }
            if self.rng.gen::<f64>() < 1.0 - miss.powi(left as i32) {
                seen += 1;
                left -= 1;
            }
        }
        seen + self.binomial(u64::from(left), extra)
    }
}

impl Environment for AttentionEnv {
    /// The agent decides on what it has discovered so far.
    type Observation = ();
    /// Units of attention per site, summing to the environment's units.
    type Action = Vec<u32>;
    type Feedback = Discovered;
    /// The sites' current incident rates.
    type Truth = Vec<f64>;

    fn groups(&self) -> &[String] {
        &self.params.params().site_names
    }

    fn metric_names(&self) -> &[String] {
        &self.metric_names
    }

    fn observation(&self) -> &() {
        &()
    }

    fn truth(&self) -> &Vec<f64> {
        &self.rates
    }

    /// Attention spread as evenly as the units allow (the first sites get the remainder).
    fn permissive_action(&self) -> Vec<u32> {
        let (n, units) = (
            self.params.n_sites() as u32,
            self.params.params().attention_units,
        );
        (0..n)
            .map(|i| units / n + u32::from(i < units % n))
            .collect()
    }

    fn step(&mut self, step: usize, allocation: &Vec<u32>) -> Result<Transition<Discovered>> {
        let sites = self.params.n_sites();
        let units = self.params.params().attention_units;
        if allocation.len() != sites
            || allocation.iter().map(|&a| u64::from(a)).sum::<u64>() != u64::from(units)
        {
            return Err(SimError::InvalidAction {
                step,
                reason: format!(
                    "an allocation needs one count per site ({sites}) summing to {units}, got {allocation:?}"
                ),
            });
        }
        let mut seen = Vec::with_capacity(sites);
        for (site, &units) in allocation.iter().enumerate() {
            let occurred = self.poisson(self.rates[site]);
            let found = self.discover(site, occurred, units);
            self.occurred[site] += occurred as f64;
            self.discovered[site] += found as f64;
            self.attention[site] += f64::from(units);
            seen.push(found);
        }
        let dynamic = self.params.params().dynamic_rate;
        for (rate, &units) in self.rates.iter_mut().zip(allocation) {
            *rate = if units == 0 {
                *rate + dynamic
            } else {
                (*rate - dynamic * f64::from(units)).max(0.0)
            };
        }
        let reward = seen.iter().sum::<u64>() as f64;
        Ok(Transition {
            feedback: seen,
            reward,
            done: false,
        })
    }

    fn measure(&self, out: &mut [f64]) {
        let width = self.metric_names.len();
        let total_attention: f64 = self.attention.iter().sum();
        for (s, row) in out.chunks_mut(width).enumerate() {
            row[0] = self.occurred[s];
            row[1] = self.discovered[s];
            row[2] = ratio(
                self.discovered[s],
                self.occurred[s],
                "no incidents occurred",
            )
            .unwrap_or(f64::NAN);
            row[3] = self.attention[s];
            row[4] = ratio(self.attention[s], total_attention, "no attention given yet")
                .unwrap_or(f64::NAN);
            row[5] = self.rates[s];
        }
    }
}
