//! [`Outcome`]: what a high-confidence fit returns — a [`Certified`] model that passed the
//! safety test, or [`NoSolution`]; never a model that failed the test.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use fairfit_data::FairDataset;

use super::candidates::DecisionRule;
use super::error::{GuaranteeError, Result};
use super::safety::NotionBound;
use fairfit_data::fairness::DecisionProfile;

/// One candidate as candidate selection saw it on the candidate rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tried {
    /// The generator's name.
    pub generator: String,
    /// Its grid parameters.
    pub params: Vec<(String, f64)>,
    /// What selection measured, or why the candidate could not be fitted or measured.
    pub screened: std::result::Result<Screened, String>,
}

impl Tried {
    /// `generator(k=v, ...)`.
    pub fn label(&self) -> String {
        super::candidates::describe(&self.generator, &self.params)
    }
}

/// A candidate's figures on the candidate-selection rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screened {
    /// Accuracy of its hard decisions.
    pub accuracy: f64,
    /// The notion's value on its hard decisions.
    pub gap: f64,
    /// The bound the safety test is predicted to give.
    pub predicted_bound: f64,
    /// Whether the predicted bound certifies ε.
    pub predicted_pass: bool,
    /// Whether its decisions are constant on the candidate rows.
    pub constant: bool,
    /// Whether its decisions are degenerate on the candidate rows (constant for everyone or
    /// within a group, or no more accurate than the majority class): such a candidate is never
    /// chosen, however fair.
    #[serde(default)]
    pub degenerate: bool,
}

/// A model that passed the safety test: with probability at least `1 − δ` over the draw of the
/// safety rows, its hard-decision gap on the population they were drawn from is within ε.
#[derive(Debug, Clone)]
pub struct Certified {
    /// The decision rule.
    pub rule: Arc<dyn DecisionRule>,
    /// Which of [`Certified::tried`] it is.
    pub chosen: usize,
    /// Every candidate screened, in generation order.
    pub tried: Vec<Tried>,
    /// The bound candidate selection predicted for it.
    pub predicted: NotionBound,
    /// The safety test's bound.
    pub safety: NotionBound,
    /// Its accuracy on the safety rows (held out from its fit).
    pub safety_accuracy: f64,
    /// The majority-class rule's accuracy on the safety rows, the bar a useful model beats.
    pub majority_accuracy: f64,
    /// How its decisions on all training rows spread over groups: whether they are constant
    /// (overall or within a group) and whether they beat the majority-class rule.
    pub decisions: DecisionProfile,
    /// The ε certified.
    pub epsilon: f64,
}

impl Certified {
    /// The decisions of the certified rule on `data`.
    pub fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        self.rule.decide(data)
    }

    /// The chosen candidate's name, e.g. `penalty(lambda=10)`.
    pub fn label(&self) -> String {
        self.tried[self.chosen].label()
    }

    /// Whether the certified rule gives everyone the same decision (a constant rule: it meets
    /// parity trivially and is no success).
    pub fn is_constant_rule(&self) -> bool {
        self.decisions.constant().is_some()
    }
}

/// No model passed: the candidate tested failed the safety test, or none could be tested.
#[derive(Debug, Clone)]
pub struct NoSolution {
    /// Which of [`NoSolution::tried`] was tested.
    pub chosen: usize,
    /// Every candidate screened.
    pub tried: Vec<Tried>,
    /// The bound candidate selection predicted for the tested candidate.
    pub predicted: NotionBound,
    /// The safety test's bound, which did not certify ε.
    pub safety: NotionBound,
    /// The ε asked for.
    pub epsilon: f64,
}

impl NoSolution {
    /// The tested candidate's name.
    pub fn label(&self) -> String {
        self.tried[self.chosen].label()
    }
}

/// The result of a high-confidence fit.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// A model that passed the safety test.
    Certified(Certified),
    /// No solution found: no model is returned.
    NoSolution(NoSolution),
}

impl Outcome {
    /// The certified model, if any.
    pub fn certified(&self) -> Option<&Certified> {
        match self {
            Outcome::Certified(c) => Some(c),
            Outcome::NoSolution(_) => None,
        }
    }

    /// Whether no solution was found.
    pub fn is_no_solution(&self) -> bool {
        matches!(self, Outcome::NoSolution(_))
    }

    /// The candidates screened.
    pub fn tried(&self) -> &[Tried] {
        match self {
            Outcome::Certified(c) => &c.tried,
            Outcome::NoSolution(n) => &n.tried,
        }
    }

    /// The safety test's bound on the tested candidate.
    pub fn safety(&self) -> &NotionBound {
        match self {
            Outcome::Certified(c) => &c.safety,
            Outcome::NoSolution(n) => &n.safety,
        }
    }

    /// The certified model, or [`GuaranteeError::NoSolutionFound`] (for `?`).
    pub fn into_result(self) -> Result<Certified> {
        match self {
            Outcome::Certified(c) => Ok(c),
            Outcome::NoSolution(n) => Err(GuaranteeError::NoSolutionFound {
                notion: n.safety.notion.label(),
                bound: n.safety.bound,
                epsilon: n.epsilon,
                delta: n.safety.delta,
                candidate: n.label(),
            }),
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let s = self.safety();
        let bound = format!(
            "{} bound {:.4} at 1 − δ = {} ({}; gap on safety rows {:.4})",
            s.notion,
            s.bound,
            1.0 - s.delta,
            s.method,
            s.estimate
        );
        match self {
            Outcome::Certified(c) => write!(
                f,
                "certified `{}`: {bound}; safety accuracy {:.4} (majority class {:.4}); {}",
                c.label(),
                c.safety_accuracy,
                c.majority_accuracy,
                c.decisions
            ),
            Outcome::NoSolution(n) => {
                write!(f, "no solution found: `{}` failed, {bound}", n.label())
            }
        }
    }
}
