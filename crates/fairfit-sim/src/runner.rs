//! [`RunSpec`] and [`run`]: many seeded runs of one agent in one environment, in parallel, each
//! recording every group's metrics at fixed steps.
//!
//! Every run draws from two generators of its own, seeded from the run's seed alone (one for the
//! environment, one for the agent's randomised decisions), and runs on one thread from start to
//! end; rayon only distributes whole runs and collects them in seed order. A seeded experiment is
//! therefore bit-for-bit the same at any number of threads.

use rand::rngs::StdRng;
use rand::SeedableRng;
use rayon::prelude::*;

use crate::agent::{Agent, Turn};
use crate::environment::Environment;
use crate::error::{Result, SimError};
use crate::record::{Runs, Trajectory};

/// How many steps, over which seeds, recording every how many steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    steps: usize,
    seeds: usize,
    first_seed: u64,
    record_every: usize,
}

impl RunSpec {
    /// `seeds` runs of `steps` steps each (seeds `0..seeds`), recording every step.
    ///
    /// Errors: zero steps ([`SimError::NoSteps`]) or zero seeds ([`SimError::NoSeeds`]).
    pub fn new(steps: usize, seeds: usize) -> Result<Self> {
        if steps == 0 {
            return Err(SimError::NoSteps);
        }
        if seeds == 0 {
            return Err(SimError::NoSeeds);
        }
        Ok(Self {
            steps,
            seeds,
            first_seed: 0,
            record_every: 1,
        })
    }

    /// Runs seeds `first_seed .. first_seed + seeds` instead of `0 .. seeds`.
    pub fn first_seed(mut self, first_seed: u64) -> Self {
        self.first_seed = first_seed;
        self
    }

    /// Records the metrics every `every` steps (and always at step 0 and at the last step).
    ///
    /// Errors: `every` = 0.
    pub fn record_every(mut self, every: usize) -> Result<Self> {
        if every == 0 {
            return Err(SimError::InvalidParameter {
                name: "record_every".into(),
                reason: "must be at least 1".into(),
            });
        }
        self.record_every = every;
        Ok(self)
    }

    /// Steps per run.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Number of runs.
    pub fn seeds(&self) -> usize {
        self.seeds
    }

    /// The seeds of the runs, in order.
    pub fn seed_values(&self) -> impl Iterator<Item = u64> {
        let first = self.first_seed;
        (0..self.seeds as u64).map(move |i| first.wrapping_add(i))
    }

    /// The recording interval.
    pub fn every(&self) -> usize {
        self.record_every
    }
}

/// The seed of one of a run's random streams (0: environment, 1: agent), mixed by SplitMix64 so
/// that neighbouring run seeds give unrelated streams.
pub fn stream_seed(seed: u64, stream: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(stream.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Runs `spec.seeds()` seeded runs in parallel: each builds its environment with
/// `make_env(environment seed)` and its agent with `make_agent(&environment)`, then alternates
/// act, step and learn for `spec.steps()` steps (fewer when the environment says it is done),
/// recording [`Environment::measure`] at step 0, every `spec.every()` steps and at the end.
///
/// ```
/// use fairfit::sim::lending::{LendingParams, ThresholdAgent};
/// use fairfit::sim::{run, RunSpec};
/// let params = LendingParams::default().check()?;
/// let spec = RunSpec::new(500, 4)?.record_every(100)?;
/// let runs = run(&spec, |seed| Ok(params.build(seed)), |_| Ok(ThresholdAgent::max_utility_oracle(&params)))?;
/// assert_eq!(runs.runs.len(), 4);
/// assert_eq!(runs.runs[0].steps(), &[0, 100, 200, 300, 400, 500]);
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
pub fn run<E, A, ME, MA>(spec: &RunSpec, make_env: ME, make_agent: MA) -> Result<Runs>
where
    E: Environment,
    E::Observation: Clone,
    A: Agent<E>,
    ME: Fn(u64) -> Result<E> + Sync,
    MA: Fn(&E) -> Result<A> + Sync,
{
    let seeds: Vec<u64> = spec.seed_values().collect();
    let outcomes: Vec<Result<Finished>> = seeds
        .par_iter()
        .map(|&seed| run_one(spec, seed, &make_env, &make_agent))
        .collect();
    let mut runs = Vec::with_capacity(outcomes.len());
    let mut header = None;
    for outcome in outcomes {
        let Finished {
            trajectory,
            label,
            groups,
            metrics,
        } = outcome?;
        header.get_or_insert((label, groups, metrics));
        runs.push(trajectory);
    }
    let (label, groups, metrics) = header.expect("a spec has at least one seed");
    Ok(Runs {
        label,
        groups,
        metrics,
        runs,
    })
}

/// One finished run: the trajectory, the agent's name, and the environment's groups and metric
/// names.
struct Finished {
    trajectory: Trajectory,
    label: String,
    groups: Vec<String>,
    metrics: Vec<String>,
}

/// One run of `spec` under `seed`.
fn run_one<E, A, ME, MA>(
    spec: &RunSpec,
    seed: u64,
    make_env: &ME,
    make_agent: &MA,
) -> Result<Finished>
where
    E: Environment,
    E::Observation: Clone,
    A: Agent<E>,
    ME: Fn(u64) -> Result<E>,
    MA: Fn(&E) -> Result<A>,
{
    let wrap = |step: usize| {
        move |source: SimError| SimError::Run {
            seed,
            step,
            source: Box::new(source),
        }
    };
    let mut env = make_env(stream_seed(seed, 0)).map_err(wrap(0))?;
    let mut agent = make_agent(&env).map_err(wrap(0))?;
    let mut rng = StdRng::seed_from_u64(stream_seed(seed, 1));
    let width = env.groups().len() * env.metric_names().len();
    let snapshots = spec.steps / spec.record_every + 2;
    let mut trajectory = Trajectory::with_capacity(seed, width, snapshots);
    let mut buffer = vec![0.0; width];
    env.measure(&mut buffer);
    trajectory.push(0, &buffer);
    for step in 0..spec.steps {
        let observation = env.observation().clone();
        let action = agent
            .act(&Turn::new(step, &env), &mut rng)
            .map_err(wrap(step))?;
        let transition = env.step(step, &action).map_err(wrap(step))?;
        trajectory.reward += transition.reward;
        agent
            .learn(step, &observation, &action, &transition.feedback)
            .map_err(wrap(step))?;
        let taken = step + 1;
        if taken % spec.record_every == 0 || taken == spec.steps || transition.done {
            env.measure(&mut buffer);
            trajectory.push(taken, &buffer);
        }
        if transition.done {
            break;
        }
    }
    Ok(Finished {
        trajectory,
        label: agent.name(),
        groups: env.groups().to_vec(),
        metrics: env.metric_names().to_vec(),
    })
}
