//! Group-specific thresholds (Hardt et al.) on the unmitigated model's scores
//! ([`Thresholded`]) or on decoupled classifiers' ([`Decoupled`]), one point per tolerance.

use std::time::{Duration, Instant};

use fairfit_data::split::TrainValTest;
use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
use fairfit_train::Logistic;
use ndarray::Array1;

use super::strategy::{check_grid, fail_each, parts, Context, Fitted, Points, Strategy};
use crate::error::Result;

/// Group-specific thresholds on the unmitigated model's probabilities, fitted on the training
/// split, one point per tolerance on the constrained rates (logistic models only).
///
/// ```
/// use fairfit::eval::sweep::{Strategy, Thresholded};
/// use fairfit::train::postprocess::Constraint;
/// let single = Thresholded::new(Constraint::EqualizedOdds, vec![0.0, 0.02]);
/// assert_eq!(single.name(), "thresholds-eodds");
/// let coin = Thresholded::randomised(Constraint::EqualizedOdds, vec![0.0]);
/// assert_eq!(coin.name(), "thresholds-eodds (randomised)");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Thresholded {
    name: String,
    constraint: Constraint,
    randomization: Randomization,
    tolerances: Vec<f64>,
}

impl Thresholded {
    /// Single group-specific thresholds (deterministic rules) for `constraint` over
    /// `tolerances` (≥ 0), named `thresholds-dp`, `thresholds-eop` or `thresholds-eodds`.
    pub fn new(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        Self {
            name: threshold_name(constraint).into(),
            constraint,
            randomization: Randomization::Forbidden,
            tolerances,
        }
    }

    /// Randomised group-specific thresholds (Hardt et al.'s derived predictor), named as
    /// [`Thresholded::new`] with ` (randomised)` appended; their metrics are expectations over
    /// the rules' coin flips.
    pub fn randomised(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        Self {
            name: format!("{} (randomised)", threshold_name(constraint)),
            randomization: Randomization::Allowed,
            ..Self::new(constraint, tolerances)
        }
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl Strategy for Thresholded {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.tolerances.len()
    }

    fn check(&self) -> Result<()> {
        check_grid(&self.name, "tolerances", &self.tolerances, false)
    }

    fn run(&self, context: &Context<'_>, points: &mut Points<'_>) {
        // The unmitigated model is the sweep's own: its fit time is its point's, not the rules'.
        let (scores, _) = context.baseline_predictions();
        let rules = Rules {
            constraint: self.constraint,
            randomization: self.randomization,
        };
        rules.run(
            context.splits(),
            scores,
            Duration::ZERO,
            &self.tolerances,
            points,
        );
    }
}

/// Decoupled classifiers (Dwork et al. 2018): one unmitigated model per group, then single
/// group-specific thresholds chosen jointly for a constraint, one point per tolerance. The
/// per-group models are fitted once per sweep, whichever decoupled strategies ask for them.
///
/// ```
/// use fairfit::eval::sweep::{Decoupled, Strategy};
/// use fairfit::train::postprocess::Constraint;
/// assert_eq!(Decoupled::new(Constraint::DemographicParity, vec![0.0]).name(), "decoupled-dp");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Decoupled {
    name: String,
    constraint: Constraint,
    tolerances: Vec<f64>,
}

impl Decoupled {
    /// Decoupled classifiers with thresholds for `constraint` over `tolerances` (≥ 0), named
    /// `decoupled-dp`, `decoupled-eop` or `decoupled-eodds`.
    pub fn new(constraint: Constraint, tolerances: Vec<f64>) -> Self {
        Self {
            name: threshold_name(constraint).replace("thresholds", "decoupled"),
            constraint,
            tolerances,
        }
    }

    /// The same strategy under another name.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }
}

impl Strategy for Decoupled {
    fn name(&self) -> &str {
        &self.name
    }

    fn grid_size(&self) -> usize {
        self.tolerances.len()
    }

    fn check(&self) -> Result<()> {
        check_grid(&self.name, "tolerances", &self.tolerances, false)
    }

    fn run(&self, context: &Context<'_, Logistic>, points: &mut Points<'_>) {
        let (scores, time) = match context.decoupled_predictions() {
            Ok(found) => found,
            Err(e) => return fail_each(points, &self.name, "tolerance", &self.tolerances, e),
        };
        let rules = Rules {
            constraint: self.constraint,
            randomization: Randomization::Forbidden,
        };
        rules.run(context.splits(), scores, time, &self.tolerances, points);
    }
}

/// Threshold rules of one kind, fitted on the training split's scores.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    pub(crate) constraint: Constraint,
    pub(crate) randomization: Randomization,
}

impl Rules {
    /// One point per tolerance, each rule's fit time added to `base_time` (the time of the
    /// model that made the scores).
    fn run(
        self,
        splits: &TrainValTest,
        scores: &[Array1<f64>; 3],
        base_time: Duration,
        tolerances: &[f64],
        points: &mut Points<'_>,
    ) {
        for &tolerance in tolerances {
            let fitted = self.fit(splits, scores, tolerance).map(|mut f| {
                f.fit_time += base_time;
                f
            });
            points.push(&[("tolerance", tolerance)], fitted);
        }
    }

    /// The rule at `tolerance`, fitted on `scores[0]` (timed), deciding every split.
    pub(crate) fn fit(
        self,
        splits: &TrainValTest,
        scores: &[Array1<f64>; 3],
        tolerance: f64,
    ) -> Result<Fitted> {
        let timer = Instant::now();
        let train = &splits.train;
        let rule = ThresholdOptimizer::params()
            .constraint(self.constraint)
            .randomization(self.randomization)
            .tolerance(tolerance)
            .fit(
                scores[0].view(),
                &train.labels()?,
                train.groups(),
                train.weights(),
            )?;
        let time = timer.elapsed();
        let [a, b, c] = parts(splits);
        let decide = |k: usize, d: &fairfit_data::FairDataset| {
            rule.decision_probability(scores[k].view(), d.groups())
        };
        let probabilities = [decide(0, a)?, decide(1, b)?, decide(2, c)?];
        let randomised = self.randomization == Randomization::Allowed;
        Ok(Fitted::rule(probabilities, randomised, time))
    }
}

/// The name of a threshold strategy for `constraint`.
fn threshold_name(constraint: Constraint) -> &'static str {
    match constraint {
        Constraint::DemographicParity => "thresholds-dp",
        Constraint::EqualOpportunity => "thresholds-eop",
        Constraint::EqualizedOdds => "thresholds-eodds",
    }
}
