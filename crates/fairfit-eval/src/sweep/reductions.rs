//! The reductions of Agarwal et al. as sweep strategies: exponentiated gradient, one point per
//! bound ε ([`ExpGradient`]), and grid search, one point per multiplier vector
//! ([`GridSearched`]), both with the sweep's model as the cost-sensitive learner.

use std::time::{Duration, Instant};

use fairfit_data::fairness::Notion;
use fairfit_train::reductions::{ExponentiatedGradient, GridSearch, RandomizedModel};
use fairfit_train::{FittedModel, Linear, Logistic, ModelKind};

use super::strategy::{check_grid, fail_each, Context, Fitted, Points, Strategy};
use crate::error::{EvalError, Result};

/// Which predictor an exponentiated-gradient point stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Choice {
    /// The randomised model itself: its expected decisions (a randomised rule).
    Randomised,
    /// The best single predictor of its support that meets ε on the training split (a point
    /// fails when none does).
    BestFeasible,
    /// The predictor of its support with the largest weight.
    HighestWeight,
}

/// Exponentiated gradient for a notion, one point per bound ε, run in the given order on one
/// [`EgPath`](fairfit_train::reductions::EgPath): every run's best responses are answered by
/// the same learner, warm-started from the nearest answer of this run or an earlier one, so each
/// point is the independent run's at its ε up to the learner's tolerance. An ε whose run fails
/// is recorded and the path goes on. For a linear model
/// (bounded group loss) the randomised model's predictions are drawn per row with a fixed seed
/// ([`ExpGradient::seed`]).
///
/// ```
/// use fairfit::eval::sweep::{Choice, ExpGradient, Strategy};
/// use fairfit::train::Logistic;
/// let eg = ExpGradient::demographic_parity(vec![0.01, 0.05]).choose(Choice::BestFeasible);
/// assert_eq!(Strategy::<Logistic>::name(&eg), "expgrad-dp-feasible");
/// assert_eq!(Strategy::<Logistic>::grid_size(&eg), 2);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ExpGradient {
    name: String,
    notion: Notion,
    epsilons: Vec<f64>,
    choice: Choice,
    seed: u64,
}

impl ExpGradient {
    /// Exponentiated gradient for `notion` at each of `epsilons` (finite, > 0), returning the
    /// randomised model.
    pub fn new(name: impl Into<String>, notion: Notion, epsilons: Vec<f64>) -> Self {
        Self {
            name: name.into(),
            notion,
            epsilons,
            choice: Choice::Randomised,
            seed: 0,
        }
    }

    /// Bounded group loss of a linear model (each group's mean squared error at most ε),
    /// named `expgrad-bgl`.
    pub fn bounded_group_loss(epsilons: Vec<f64>) -> Self {
        Self::new("expgrad-bgl", Notion::bounded_group_loss(), epsilons)
    }

    /// The seed of a linear model's randomised predictions (default 0).
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Demographic parity as a between-group difference (the `dp_difference` the sweep
    /// reports), named `expgrad-dp`.
    pub fn demographic_parity(epsilons: Vec<f64>) -> Self {
        Self::new("expgrad-dp", Notion::demographic_parity(), epsilons)
    }

    /// Equalized odds as between-group differences of TPR and FPR, named `expgrad-eo`.
    pub fn equalized_odds(epsilons: Vec<f64>) -> Self {
        Self::new("expgrad-eo", Notion::equalized_odds(), epsilons)
    }

    /// Which predictor each point stands for; the name gains `-feasible` or `-heaviest`.
    pub fn choose(mut self, choice: Choice) -> Self {
        let base = self
            .name
            .trim_end_matches("-feasible")
            .trim_end_matches("-heaviest")
            .to_string();
        self.name = match choice {
            Choice::Randomised => base,
            Choice::BestFeasible => format!("{base}-feasible"),
            Choice::HighestWeight => format!("{base}-heaviest"),
        };
        self.choice = choice;
        self
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// One point: the randomised model (see [`RandomisedPoint`]), or one of its predictors.
    fn point<K: RandomisedPoint>(
        &self,
        context: &Context<'_, K>,
        model: &RandomizedModel<K>,
        time: Duration,
    ) -> Result<Fitted> {
        let single = |m: &FittedModel<K>| -> Result<Fitted> {
            Ok(Fitted::model(context.predict(m, context.splits())?, time))
        };
        match self.choice {
            Choice::Randomised => K::randomised(context, model, self.seed, time),
            Choice::BestFeasible => single(model.best_feasible()?),
            Choice::HighestWeight => single(model.highest_weight()),
        }
    }
}

/// How a randomised model becomes a sweep point, which depends on the model kind.
pub trait RandomisedPoint: ModelKind {
    /// The randomised model's point on every split.
    fn randomised(
        context: &Context<'_, Self>,
        model: &RandomizedModel<Self>,
        seed: u64,
        time: Duration,
    ) -> Result<Fitted>;
}

/// A classifier's randomised model is a rule: its expected decisions.
impl RandomisedPoint for Logistic {
    fn randomised(
        context: &Context<'_, Self>,
        model: &RandomizedModel<Self>,
        _seed: u64,
        time: Duration,
    ) -> Result<Fitted> {
        let [train, validation, test] =
            context.splits_each(|d| model.decision_probabilities(d.records()));
        Ok(Fitted::rule([train?, validation?, test?], true, time))
    }
}

/// A regression's randomised model predicts with a predictor drawn per row (seeded).
impl RandomisedPoint for Linear {
    fn randomised(
        context: &Context<'_, Self>,
        model: &RandomizedModel<Self>,
        seed: u64,
        time: Duration,
    ) -> Result<Fitted> {
        let [train, validation, test] = context.splits_each(|d| model.predict(d.records(), seed));
        Ok(Fitted::model([train?, validation?, test?], time))
    }
}

impl<K: RandomisedPoint> Strategy<K> for ExpGradient {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.epsilons.len()
    }

    fn check(&self) -> Result<()> {
        check_grid(&self.name, "epsilons", &self.epsilons, true)
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let Some(&first) = self.epsilons.first() else {
            return;
        };
        let timer = Instant::now();
        // Each run sets its own ε; the one given here is not used.
        let path = ExponentiatedGradient::params(self.notion.clone(), first)
            .learner(context.params().clone())
            .path(&context.splits().train);
        let mut path = match path {
            Ok(path) => path,
            Err(e) => return fail_each(points, &self.name, "epsilon", &self.epsilons, e.into()),
        };
        // Building the learner's design is part of the first fit's time.
        let mut set_up = Some(timer.elapsed());
        for &epsilon in &self.epsilons {
            let timer = Instant::now();
            let fitted = path.fit(epsilon).map_err(EvalError::from).and_then(|fit| {
                let time = timer.elapsed() + set_up.take().unwrap_or_default();
                self.point(context, fit.model(), time)
            });
            points.push(&[("epsilon", epsilon)], fitted);
        }
    }
}

/// Grid search for a notion: every multiplier vector of the grid is one point (the model
/// answering it); grid search's own choice is marked by the parameter `selected` = 1.
///
/// ```
/// use fairfit::eval::sweep::{GridSearched, Strategy};
/// use fairfit::train::Logistic;
/// let grid = GridSearched::demographic_parity(21);
/// assert_eq!(Strategy::<Logistic>::grid_size(&grid), 21);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct GridSearched {
    name: String,
    notion: Notion,
    size: usize,
    limit: f64,
}

impl GridSearched {
    /// Grid search for `notion` over `size` multiplier vectors of L1 norm at most 2.
    pub fn new(name: impl Into<String>, notion: Notion, size: usize) -> Self {
        Self {
            name: name.into(),
            notion,
            size,
            limit: 2.0,
        }
    }

    /// Demographic parity (between-group difference), named `gridsearch-dp`.
    pub fn demographic_parity(size: usize) -> Self {
        Self::new("gridsearch-dp", Notion::demographic_parity(), size)
    }

    /// Equalized odds (between-group differences), named `gridsearch-eo`.
    pub fn equalized_odds(size: usize) -> Self {
        Self::new("gridsearch-eo", Notion::equalized_odds(), size)
    }

    /// The L1 radius of the grid (default 2, as Fairlearn).
    pub fn limit(mut self, limit: f64) -> Self {
        self.limit = limit;
        self
    }
}

impl<K: ModelKind> Strategy<K> for GridSearched {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.size
    }

    fn check(&self) -> Result<()> {
        let invalid = |reason: String| EvalError::InvalidMethodParameter {
            method: self.name.clone(),
            name: "grid",
            reason,
        };
        if self.size == 0 {
            return Err(invalid("the grid needs at least one point".into()));
        }
        if !(self.limit.is_finite() && self.limit >= 0.0) {
            return Err(invalid(format!(
                "limit {} is not finite and ≥ 0",
                self.limit
            )));
        }
        Ok(())
    }

    fn run(&self, context: &Context<'_, K>, points: &mut Points<'_>) {
        let timer = Instant::now();
        let fit = GridSearch::params::<K>(self.notion.clone())
            .grid_size(self.size)
            .grid_limit(self.limit)
            .learner(context.params().clone())
            .fit(&context.splits().train);
        let indices: Vec<f64> = (0..self.size).map(|i| i as f64).collect();
        let fit = match fit {
            Ok(fit) => fit,
            Err(e) => return fail_each(points, &self.name, "grid_point", &indices, e.into()),
        };
        // The whole search's time, shared evenly by its points.
        let time = timer.elapsed() / self.size as u32;
        for (i, point) in fit.points().iter().enumerate() {
            let fitted = context
                .predict(&point.hypothesis.model, context.splits())
                .map(|p| Fitted::model(p, time));
            let selected = f64::from(u8::from(i == fit.best_index()));
            let mut params = vec![("grid_point", i as f64), ("selected", selected)];
            if let [c] = point.coefficients[..] {
                params.push(("lambda", c));
            }
            points.push(&params, fitted);
        }
    }
}
