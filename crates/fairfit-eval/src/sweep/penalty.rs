//! The unmitigated model ([`Unmitigated`]) and penalty paths ([`Penalised`]), run through
//! fairfit-train's warm-started [`PenaltyPath`].

use std::time::Instant;

use fairfit_train::{ModelKind, Penalty, PenaltyPath};

use super::strategy::{check_grid, fail_each, Context, Fitted, Points, Strategy};
use crate::error::{EvalError, Result};

/// The model without any mitigation: one point, the sweep's unmitigated model itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmitigated {
    name: String,
}

impl Default for Unmitigated {
    fn default() -> Self {
        Self {
            name: "unmitigated".into(),
        }
    }
}

impl Unmitigated {
    /// The unmitigated model, named `unmitigated`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl<K: ModelKind> Strategy<K> for Unmitigated {
    fn name(&self) -> &str {
        &self.name
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let (predictions, time) = context.baseline_predictions();
        points.push(&[], Ok(Fitted::model(predictions.clone(), time)));
    }
}

/// The model with a fairness penalty, one point per weight λ, fitted in the given order on one
/// prepared objective: the first fit starts from the unmitigated model, each later one from the
/// previous optima (moved along their secant, see [`PenaltyPath::steps`]). A weight whose fit
/// fails is recorded and the path goes on from its last success.
///
/// ```
/// use fairfit::eval::sweep::{Penalised, Strategy};
/// let dp = Penalised::demographic_parity(vec![0.1, 1.0, 10.0]);
/// assert_eq!(Strategy::<fairfit::train::Logistic>::grid_size(&dp), 3);
/// assert_eq!(Strategy::<fairfit::train::Logistic>::name(&dp), "dp-penalty");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Penalised {
    name: String,
    penalty: Penalty,
    lambdas: Vec<f64>,
}

impl Penalised {
    /// A path of `penalty` over `lambdas` (finite, ≥ 0; log-spaced and increasing suits the
    /// warm starts best).
    pub fn new(name: impl Into<String>, penalty: Penalty, lambdas: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            penalty,
            lambdas,
        }
    }

    /// The demographic-parity penalty path, named `dp-penalty`.
    pub fn demographic_parity(lambdas: Vec<f64>) -> Self {
        Self::new("dp-penalty", Penalty::demographic_parity(), lambdas)
    }

    /// The equalized-odds penalty path, named `eo-penalty`.
    pub fn equalized_odds(lambdas: Vec<f64>) -> Self {
        Self::new("eo-penalty", Penalty::equalized_odds(), lambdas)
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl<K: ModelKind> Strategy<K> for Penalised {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.lambdas.len()
    }

    fn check(&self) -> Result<()> {
        check_grid(&self.name, "lambdas", &self.lambdas, false)
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let mut grid = |e| fail_each(points, &self.name, "lambda", &self.lambdas, e);
        let timer = Instant::now();
        let path = match PenaltyPath::new(
            context.params().clone(),
            self.penalty.clone(),
            self.lambdas.clone(),
        ) {
            Ok(path) => path.warm_start(context.baseline().clone()),
            Err(e) => return grid(e.into()),
        };
        let mut steps = match path.steps(&context.splits().train) {
            Ok(steps) => steps,
            Err(e) => return grid(e.into()),
        };
        // Building the objective is part of the first fit's time.
        let mut set_up = Some(timer.elapsed());
        for &lambda in &self.lambdas {
            let timer = Instant::now();
            let Some(step) = steps.next() else { break };
            let fitted = step.map_err(EvalError::from).and_then(|point| {
                let time = timer.elapsed() + set_up.take().unwrap_or_default();
                let predictions = context.predict(&point.model, context.splits())?;
                Ok(Fitted::model(predictions, time))
            });
            points.push(&[("lambda", lambda)], fitted);
        }
    }
}
