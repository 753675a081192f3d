//! Fairness targets traced over bounds ε ([`Targeted`]), through fairfit-train's
//! warm-started [`TargetSteps`], optionally followed by group-specific thresholds.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use fairfit_train::postprocess::{Constraint, Randomization};
use fairfit_train::{ModelKind, Target, TargetSteps};

use super::strategy::{check_grid, fail_each, Context, Fitted, Points, Strategy};
use super::thresholds::Rules;
use crate::error::{EvalError, Result};

/// The targets a [`Targeted`] strategy sets at one bound ε.
type TargetsAt = Arc<dyn Fn(f64) -> Vec<Target> + Send + Sync>;

/// The model fitted under fairness targets at each bound ε (augmented Lagrangian), one point
/// per ε, fitted in the given order on one prepared objective, each fit warm-started in
/// parameters and multipliers from the last success (loose to tight is the natural order). An
/// ε that cannot be met is recorded and the path goes on.
///
/// ```
/// use fairfit::eval::sweep::{Strategy, Targeted};
/// use fairfit::train::{Logistic, Statistic, Target};
/// let eo = Targeted::equalized_odds(vec![0.1, 0.05]).then_thresholds(
///     fairfit::train::postprocess::Constraint::EqualizedOdds,
/// );
/// assert_eq!(Strategy::<Logistic>::grid_size(&eo), 2);
/// let fnr = Targeted::new("fnr-target", vec![0.1], |e| {
///     vec![Target::gap(Statistic::true_positive_rate(), e)]
/// });
/// assert_eq!(Strategy::<Logistic>::name(&fnr), "fnr-target");
/// ```
#[derive(Clone)]
pub struct Targeted {
    name: String,
    targets: TargetsAt,
    epsilons: Vec<f64>,
    thresholds: Option<Constraint>,
}

impl Targeted {
    /// A path over `epsilons` (finite, > 0) of the targets `targets(ε)`.
    pub fn new(
        name: impl Into<String>,
        epsilons: Vec<f64>,
        targets: impl Fn(f64) -> Vec<Target> + Send + Sync + 'static,
    ) -> Self {
        Self {
            name: name.into(),
            targets: Arc::new(targets),
            epsilons,
            thresholds: None,
        }
    }

    /// Demographic-parity targets (gap of the soft positive rate ≤ ε), named `dp-target`.
    pub fn demographic_parity(epsilons: Vec<f64>) -> Self {
        Self::new("dp-target", epsilons, |e| {
            vec![Target::demographic_parity(e)]
        })
    }

    /// Equalized-odds targets (gaps of the soft TPR and FPR ≤ ε), named `eo-target`.
    pub fn equalized_odds(epsilons: Vec<f64>) -> Self {
        Self::new("eo-target", epsilons, Target::equalized_odds)
    }

    /// Equalized-odds targets, each model followed by single equalized-odds thresholds at
    /// tolerance ε; named `eo-target+thresholds`. The targets close most of the gap at little
    /// cost; the thresholds close what the soft-rate targets leave of it on hard decisions,
    /// without randomising.
    pub fn equalized_odds_with_thresholds(epsilons: Vec<f64>) -> Self {
        Self::equalized_odds(epsilons)
            .then_thresholds(Constraint::EqualizedOdds)
            .named("eo-target+thresholds")
    }

    /// Follows each model of the path by single group-specific thresholds (deterministic
    /// rules) for `constraint` at tolerance ε, fitted on the training split: the targets bound
    /// the gap of the *soft* rates, the thresholds that of the hard decisions, at the same ε.
    /// Logistic models only.
    pub fn then_thresholds(mut self, constraint: Constraint) -> Self {
        self.thresholds = Some(constraint);
        self
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl fmt::Debug for Targeted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Targeted")
            .field("name", &self.name)
            .field("epsilons", &self.epsilons)
            .field("thresholds", &self.thresholds)
            .finish_non_exhaustive()
    }
}

impl<K: ModelKind> Strategy<K> for Targeted {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.epsilons.len()
    }

    fn check(&self) -> Result<()> {
        check_grid(&self.name, "epsilons", &self.epsilons, true)?;
        if self.epsilons.iter().any(|&e| (self.targets)(e).is_empty()) {
            return Err(EvalError::InvalidMethodParameter {
                method: self.name.clone(),
                name: "targets",
                reason: "no target to meet".into(),
            });
        }
        if self.thresholds.is_some() && !K::LOSS.is_classification() {
            return Err(EvalError::InvalidMethodParameter {
                method: self.name.clone(),
                name: "thresholds",
                reason: format!(
                    "thresholds need probabilities; a {} model has none",
                    K::NAME
                ),
            });
        }
        Ok(())
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let sets = self.epsilons.iter().map(|&e| (self.targets)(e)).collect();
        let timer = Instant::now();
        let mut steps = match TargetSteps::new(context.params(), &context.splits().train, sets) {
            Ok(steps) => steps,
            Err(e) => return fail_each(points, &self.name, "epsilon", &self.epsilons, e.into()),
        };
        // Building the objective is part of the first fit's time.
        let mut set_up = Some(timer.elapsed());
        for &epsilon in &self.epsilons {
            let timer = Instant::now();
            let Some(step) = steps.next() else { break };
            let fitted = step.map_err(EvalError::from).and_then(|fit| {
                let time = timer.elapsed() + set_up.take().unwrap_or_default();
                let predictions = context.predict(&fit.model, context.splits())?;
                match self.thresholds {
                    None => Ok(Fitted::model(predictions, time)),
                    Some(constraint) => {
                        let rules = Rules {
                            constraint,
                            randomization: Randomization::Forbidden,
                        };
                        let mut rule = rules.fit(context.splits(), &predictions, epsilon)?;
                        rule.fit_time += time;
                        Ok(rule)
                    }
                }
            });
            points.push(&[("epsilon", epsilon)], fitted);
        }
    }
}
