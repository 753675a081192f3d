//! [`Agent`]: a decision maker in an environment, and [`Turn`], what it is shown before deciding.

use rand::rngs::StdRng;

use crate::environment::Environment;
use crate::error::Result;

/// What an agent is given at each step: the step number, the observation, and (for oracle agents
/// only) the environment's hidden truth.
pub struct Turn<'a, E: Environment> {
    step: usize,
    env: &'a E,
}

impl<'a, E: Environment> Turn<'a, E> {
    /// The turn of step `step` in `env`.
    pub fn new(step: usize, env: &'a E) -> Self {
        Self { step, env }
    }

    /// The 0-based step.
    pub fn step(&self) -> usize {
        self.step
    }

    /// What the agent sees.
    pub fn observation(&self) -> &'a E::Observation {
        self.env.observation()
    }

    /// The environment's hidden state. Only an oracle agent reads it; an honest agent decides on
    /// [`Turn::observation`] and what it has learnt.
    pub fn oracle_truth(&self) -> &'a E::Truth {
        self.env.truth()
    }

    /// The environment's permissive action (what a burn-in takes).
    pub fn permissive_action(&self) -> E::Action {
        self.env.permissive_action()
    }
}

/// A decision maker: it acts on what it is shown, then learns from the feedback.
///
/// Randomised decisions draw from the `rng` the runner passes in, which is seeded per run and
/// separate from the environment's, so a seeded run is reproducible whatever the agent does.
pub trait Agent<E: Environment> {
    /// A short name for tables and legends, e.g. `max-utility`.
    fn name(&self) -> String;

    /// Chooses the action of this turn.
    fn act(&mut self, turn: &Turn<'_, E>, rng: &mut StdRng) -> Result<E::Action>;

    /// Learns from the outcome of the action it chose at `step` on `observation`.
    fn learn(
        &mut self,
        step: usize,
        observation: &E::Observation,
        action: &E::Action,
        feedback: &E::Feedback,
    ) -> Result<()>;
}

/// Any agent with a burn-in: for the first `steps` steps it takes the environment's permissive
/// action (approve everyone) while the inner agent learns from what happens, as the gym's agents
/// do; then the inner agent decides.
#[derive(Debug, Clone)]
pub struct BurnIn<A> {
    steps: usize,
    inner: A,
}

impl<A> BurnIn<A> {
    /// `inner` preceded by `steps` permissive steps.
    pub fn new(steps: usize, inner: A) -> Self {
        Self { steps, inner }
    }

    /// The inner agent.
    pub fn inner(&self) -> &A {
        &self.inner
    }
}

impl<E: Environment, A: Agent<E>> Agent<E> for BurnIn<A> {
    fn name(&self) -> String {
        self.inner.name()
    }

    fn act(&mut self, turn: &Turn<'_, E>, rng: &mut StdRng) -> Result<E::Action> {
        if turn.step() < self.steps {
            Ok(turn.permissive_action())
        } else {
            self.inner.act(turn, rng)
        }
    }

    fn learn(
        &mut self,
        step: usize,
        observation: &E::Observation,
        action: &E::Action,
        feedback: &E::Feedback,
    ) -> Result<()> {
        self.inner.learn(step, observation, action, feedback)
    }
}
