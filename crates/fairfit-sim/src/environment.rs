//! [`Environment`]: a population that the agent's decisions change, one step at a time.

use crate::error::Result;

/// What one step returns besides the new state: what the agent learns from its action, the
/// reward of the decision maker, and whether the episode is over.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition<F> {
    /// What the agent is shown of the action's outcome (e.g. whether an approved loan was
    /// repaid; nothing about a rejected one).
    pub feedback: F,
    /// The decision maker's reward for this step (e.g. the bank's profit).
    pub reward: f64,
    /// Whether the episode ended (e.g. the bank ran out of cash); the runner stops there.
    pub done: bool,
}

/// A simulated population and its dynamics, with seeded state.
///
/// The environment owns its random number generator (seeded when it is built), shows the agent an
/// [`Environment::Observation`] before each decision, and keeps per-group tallies that
/// [`Environment::measure`] reads, so that the runner can record metrics at any step without
/// storing the history. What an honest agent may not see (e.g. whether an applicant would repay)
/// is the [`Environment::Truth`]; only oracle agents read it.
pub trait Environment {
    /// What the agent sees before deciding (e.g. an applicant's group and credit-score cluster).
    type Observation;
    /// The agent's decision (e.g. approve or reject).
    type Action;
    /// What the agent learns after deciding.
    type Feedback;
    /// The hidden state an oracle agent may read (e.g. the population's score distributions).
    type Truth;

    /// The group names, indexed like the groups of [`Environment::measure`].
    fn groups(&self) -> &[String];

    /// The names of the metrics recorded for every group, indexed like [`Environment::measure`].
    fn metric_names(&self) -> &[String];

    /// What the agent sees now.
    fn observation(&self) -> &Self::Observation;

    /// The hidden state (for oracle agents and for tests).
    fn truth(&self) -> &Self::Truth;

    /// The decision of an agent that does not decide yet: what a burn-in takes (approve
    /// everyone, admit everyone, spread attention evenly).
    fn permissive_action(&self) -> Self::Action;

    /// Applies `action` to the current state (the 0-based `step` only labels errors), moves the
    /// population, and draws what the agent will see next.
    fn step(&mut self, step: usize, action: &Self::Action) -> Result<Transition<Self::Feedback>>;

    /// Writes every metric of every group, group-major (`out[g · n_metrics + m]`), reading the
    /// tallies kept since the start; an undefined value (a rate with an empty denominator) is
    /// NaN. `out` has `groups().len() × metric_names().len()` entries.
    fn measure(&self, out: &mut [f64]);
}
