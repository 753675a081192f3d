//! What a targeted fit returns: the model, how each target ended on soft values and on hard
//! decisions, and whether the decisions are degenerate.

use std::time::Duration;

use fairfit_data::fairness::DecisionProfile;
use serde::{Deserialize, Serialize};

use super::{Target, RATE_SLACK};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::statistic::GroupValues;

/// How one target ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetOutcome {
    /// The target as the user stated it.
    pub target: Target,
    /// Per group, the offset `d_g` between the smooth and the hard-decision value that the
    /// smooth constraint corrected for (it bounds `v_g − d_g`): empty where none was needed
    /// (a statistic that is not a rate of decisions, or [`super::Binding::Scores`]).
    pub shifts: Vec<f64>,
    /// The sharpness `c` of the surrogate `σ(c·s)` the rates were taken at (1: the model's
    /// probabilities).
    pub sharpness: f64,
    /// The Lagrange multipliers of its constraints (ordered pairs `(g, h)`, `g ≠ h`, row-major,
    /// for a gap or a ratio; one per group for a bound): the marginal objective cost of
    /// tightening each.
    pub multipliers: Vec<f64>,
    /// The statistic per group on the training data, soft and on hard decisions.
    pub values: GroupValues,
    /// The achieved soft value (gap, ratio or maximum).
    pub achieved: f64,
    /// The same on hard decisions: what the target binds (under [`super::Binding::Decisions`])
    /// and what the corresponding metric reports.
    pub achieved_hard: f64,
}

impl TargetOutcome {
    /// Whether the hard decisions meet the user's limit (up to floating-point rounding of the
    /// rates, 1e-12).
    pub fn met_on_decisions(&self) -> bool {
        self.target.bound.excess(self.achieved_hard) <= RATE_SLACK
    }
}

/// A model that meets its targets on the training data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct TargetedModel<K: ModelKind> {
    /// The fitted model (its report is the last inner solve's).
    pub model: FittedModel<K>,
    /// One outcome per target.
    pub outcomes: Vec<TargetOutcome>,
    /// How the decisions on the training data are spread (`None` for a regression): a model
    /// whose decisions are constant within a group, or that is no more accurate than the
    /// majority-class rule, says so here ([`TargetedModel::degenerate`]). One constant for
    /// everyone is never returned: the fit fails with
    /// [`TrainError::ConstantRule`](crate::TrainError::ConstantRule).
    pub decisions: Option<DecisionProfile>,
    /// Augmented-Lagrangian rounds over all solves.
    pub outer_iterations: usize,
    /// Solver iterations over all rounds.
    pub inner_iterations: u64,
    /// Wall-clock time of all rounds.
    pub elapsed: Duration,
}

impl<K: ModelKind> TargetedModel<K> {
    /// The decision profile when the decisions are degenerate (constant within a group, or no
    /// more accurate than the majority-class rule on the training data).
    pub fn degenerate(&self) -> Option<&DecisionProfile> {
        self.decisions.as_ref().filter(|p| p.is_degenerate())
    }
}
