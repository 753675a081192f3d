//! [`Allocator`]: attention allocation agents — uniform, proportional to what was discovered
//! (the gym's naive probability matching, whose feedback loop Ensign et al. 2018 describe), or
//! greedy, each with optional ε-exploration.

use rand::rngs::StdRng;
use rand::Rng;
use rand_distr::{Binomial, Distribution};
use serde::{Deserialize, Serialize};

use crate::agent::{Agent, Turn};
use crate::distribution::sample_index;
use crate::error::{Result, SimError};

use super::env::{AttentionEnv, Discovered};
use super::params::ValidAttentionParams;

/// How an allocator turns its beliefs (discovered counts) into attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Allocation {
    /// Every unit to a site drawn uniformly at random (the gym's random agent).
    Uniform,
    /// Every unit to a site drawn with probability proportional to its belief (uniformly while
    /// all beliefs are 0): the gym's `NaiveProbabilityMatchingAgent`.
    Proportional,
    /// Every unit to the site of highest belief (the first on ties).
    Greedy,
}

/// An attention allocator whose belief about each site is the count of incidents it discovered
/// there, each count decaying by a binomial draw with probability `decay` per step; with
/// probability `epsilon` a step's units are spread uniformly at random instead.
///
/// ```
/// use fairfit::sim::attention::{Allocation, Allocator, AttentionParams};
/// use fairfit::sim::{run, RunSpec};
/// let params = AttentionParams::five_sites(0.0).check()?;
/// let spec = RunSpec::new(200, 2)?.record_every(100)?;
/// let runs = run(&spec, |s| Ok(params.build(s)), |_| Allocator::new(&params, Allocation::Proportional, 0.01, 0.0))?;
/// assert_eq!(runs.label, "proportional");
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Allocator {
    rule: Allocation,
    units: u32,
    decay: f64,
    epsilon: f64,
    beliefs: Vec<u64>,
    pending: Vec<u64>,
}

impl Allocator {
    /// An allocator for environments with `params`.
    ///
    /// Errors: `decay` or `epsilon` outside [0, 1].
    pub fn new(
        params: &ValidAttentionParams,
        rule: Allocation,
        decay: f64,
        epsilon: f64,
    ) -> Result<Self> {
        for (name, value) in [("decay", decay), ("epsilon", epsilon)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(SimError::InvalidParameter {
                    name: name.into(),
                    reason: format!("a probability must be in [0, 1], got {value}"),
                });
            }
        }
        Ok(Self {
            rule,
            units: params.params().attention_units,
            decay,
            epsilon,
            beliefs: vec![0; params.n_sites()],
            pending: vec![0; params.n_sites()],
        })
    }

    /// The current beliefs.
    pub fn beliefs(&self) -> &[u64] {
        &self.beliefs
    }
}

impl Agent<AttentionEnv> for Allocator {
    fn name(&self) -> String {
        let rule = match self.rule {
            Allocation::Uniform => "uniform",
            Allocation::Proportional => "proportional",
            Allocation::Greedy => "greedy",
        };
        if self.epsilon > 0.0 {
            format!("{rule}, ε = {}", self.epsilon)
        } else {
            rule.to_string()
        }
    }

    fn act(&mut self, _: &Turn<'_, AttentionEnv>, rng: &mut StdRng) -> Result<Vec<u32>> {
        // The gym's update: beliefs + last discoveries − Binomial(beliefs, decay).
        for (belief, pending) in self.beliefs.iter_mut().zip(&mut self.pending) {
            let decayed = match Binomial::new(*belief, self.decay) {
                Ok(b) if *belief > 0 && self.decay > 0.0 => b.sample(rng),
                _ => 0,
            };
            *belief = *belief + *pending - decayed;
            *pending = 0;
        }
        let sites = self.beliefs.len();
        let mut allocation = vec![0u32; sites];
        let total: u64 = self.beliefs.iter().sum();
        let explore = self.epsilon > 0.0 && rng.gen::<f64>() < self.epsilon;
        let uniform = vec![1.0 / sites as f64; sites];
        match self.rule {
            _ if explore || total == 0 => {
                for _ in 0..self.units {
                    allocation[sample_index(rng, &uniform)] += 1;
                }
            }
            Allocation::Uniform => {
                for _ in 0..self.units {
                    allocation[sample_index(rng, &uniform)] += 1;
                }
            }
            Allocation::Proportional => {
                let p: Vec<f64> = self
                    .beliefs
                    .iter()
                    .map(|&b| b as f64 / total as f64)
                    .collect();
                for _ in 0..self.units {
                    allocation[sample_index(rng, &p)] += 1;
                }
            }
            Allocation::Greedy => {
                let best = (0..sites).fold(0, |best, s| {
                    if self.beliefs[s] > self.beliefs[best] {
                        s
                    } else {
                        best
                    }
                });
                allocation[best] = self.units;
            }
        }
        Ok(allocation)
    }

    fn learn(&mut self, _: usize, _: &(), _: &Vec<u32>, discovered: &Discovered) -> Result<()> {
        // Added at the next decision, after that step's decay is drawn (act has the generator).
        self.pending.clone_from(discovered);
        Ok(())
    }
}
