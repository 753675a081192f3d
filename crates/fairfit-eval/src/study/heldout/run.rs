//! [`HeldoutStudy`]: one re-split's fits — plain targets, validation and margin selection over a
//! penalty path — each read on the held-out rows ([`Record`]).

use std::fmt;
use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::FairDataset;
use fairfit_train::{
    Logistic, Penalty, PenaltyPath, Target, TargetedFit, TrainError, ValidFairParams,
};
use ndarray::Array1;

use super::held_out::HeldOut;
use super::resplit::Resplit;
use super::reused::ReusedCandidates;
use crate::bootstrap::BootstrapParams;
use crate::curve::{names, Axis, CurvePoint, Split, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::guarantee::{HighConfidence, Outcome, PenaltyCandidates};
use crate::pareto::{best_at_gap_by, SelectionRule};
use crate::sweep::{decision_metrics, with_intervals, SplitReplicates};

/// A way of returning a model under `gap ≤ ε` that a held-out study compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// An ε-target ([`TargetedFit`]) fitted on all development rows; no choice on held-out
    /// rows.
    Target,
    /// A penalty path fitted on the fitting rows; the most accurate point whose validation gap
    /// is within ε ([`SelectionRule::Plain`]).
    Validation,
    /// The same path; the most accurate point whose validation gap's one-sided `1 − δ` upper
    /// bound (the upper end of a `1 − 2δ` bootstrap interval) is within ε
    /// ([`SelectionRule::Margin`]).
    Margin,
    /// The high-confidence mode ([`HighConfidence`]) on all development rows, its candidates
    /// the same penalty path ([`PenaltyCandidates`]): a model certified at `(ε, δ)` by a
    /// Student-t safety test, or no solution.
    HighConfidence,
}

impl Method {
    /// A short key for files and tables.
    pub fn key(self) -> &'static str {
        match self {
            Method::Target => "target",
            Method::Validation => "validation",
            Method::Margin => "margin",
            Method::HighConfidence => "high-confidence",
        }
    }

    /// Whether the method reads δ (the others return the same model at every δ).
    pub fn uses_delta(self) -> bool {
        matches!(self, Method::Margin | Method::HighConfidence)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What a method returned on one re-split.
#[derive(Debug, Clone, PartialEq)]
pub enum Returned {
    /// A model, read on the held-out rows.
    Model(HeldOut),
    /// No model: the target was infeasible, or no point passed the selection rule.
    NoSolution,
    /// The fit failed for another reason (e.g. the solver did not converge).
    Failed(String),
}

/// One method at one (ε, δ) on one re-split.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The re-split's seed.
    pub seed: u64,
    /// The method.
    pub method: Method,
    /// The bound on the gap.
    pub epsilon: f64,
    /// The confidence parameter, for the methods that read it.
    pub delta: Option<f64>,
    /// What the method returned.
    pub returned: Returned,
}

/// A held-out study of one notion: for each re-split of pooled rows, every [`Method`] at every
/// ε (and δ), each returned model read on rows held out from all fitting and choosing.
#[derive(Debug, Clone)]
pub struct HeldoutStudy {
    notion: Notion,
    model: ValidFairParams<Logistic>,
    lambdas: Vec<f64>,
    epsilons: Vec<f64>,
    deltas: Vec<f64>,
    resamples: usize,
    validation: f64,
    held_out: f64,
}

impl HeldoutStudy {
    /// A study of `notion` (demographic parity, equal opportunity or equalized odds, the
    /// notions a sweep's intervals cover) for the logistic `model`, with the penalty path over
    /// `lambdas` and the grids of ε (> 0) and δ (in (0, ½)). Defaults: 300 bootstrap resamples,
    /// 30 % of the rows held out, 30 % of the development rows for validation.
    pub fn new(
        notion: Notion,
        model: ValidFairParams<Logistic>,
        lambdas: Vec<f64>,
        epsilons: Vec<f64>,
        deltas: Vec<f64>,
    ) -> Result<Self> {
        let invalid = |name, reason: String| Err(EvalError::InvalidParameter { name, reason });
        let column = notion.column();
        if ![
            names::DP_DIFFERENCE,
            names::EO_DIFFERENCE,
            names::TPR_DIFFERENCE,
        ]
        .contains(&column.as_str())
        {
            return invalid(
                "notion",
                format!(
                    "{column}: margin selection reads the intervals of DP, EO or TPR differences"
                ),
            );
        }
        if epsilons.is_empty() || epsilons.iter().any(|e| !(e.is_finite() && *e > 0.0)) {
            return invalid(
                "epsilons",
                format!("need finite values > 0, got {epsilons:?}"),
            );
        }
        if deltas.is_empty() || deltas.iter().any(|d| !(*d > 0.0 && *d < 0.5)) {
            return invalid("deltas", format!("need values in (0, 0.5), got {deltas:?}"));
        }
        PenaltyPath::new(
            model.clone(),
            Penalty::for_notion(&notion)?,
            lambdas.clone(),
        )?;
        Ok(Self {
            notion,
            model,
            lambdas,
            epsilons,
            deltas,
            resamples: 300,
            validation: 0.3,
            held_out: 0.3,
        })
    }

    /// Bootstrap resamples of the validation gap's intervals (at least 1).
    pub fn resamples(mut self, resamples: usize) -> Self {
        self.resamples = resamples;
        self
    }

    /// The shares held out (of the pooled rows) and for validation (of the development rows).
    pub fn shares(mut self, validation: f64, held_out: f64) -> Self {
        self.validation = validation;
        self.held_out = held_out;
        self
    }

    /// The notion studied.
    pub fn notion(&self) -> &Notion {
        &self.notion
    }

    /// Re-splits `pool` with `seed` and runs every method at every ε (and δ) on it.
    pub fn run(&self, pool: &FairDataset, seed: u64) -> Result<Vec<Record>> {
        let parts = Resplit::new(pool, self.validation, self.held_out, seed)?;
        let mut records = self.targets(&parts, seed)?;
        records.extend(self.selections(&parts, seed)?);
        records.extend(self.high_confidence(&parts, seed)?);
        Ok(records)
    }

    /// The high-confidence mode on the development rows, at every ε and δ.
    fn high_confidence(&self, parts: &Resplit, seed: u64) -> Result<Vec<Record>> {
        // One penalty path on the candidate part, shared by every (ε, δ): the part depends
        // on the seed only.
        let candidates = Arc::new(ReusedCandidates::new(PenaltyCandidates::new(
            self.model.clone(),
            self.lambdas.clone(),
        )?));
        let mut records = Vec::new();
        for &epsilon in &self.epsilons {
            for &delta in &self.deltas {
                let fitted = HighConfidence::params(self.notion.clone(), epsilon, delta)
                    .candidates_shared(candidates.clone())
                    .seed(seed)
                    .fit(&parts.development);
                let returned = match fitted {
                    Ok(Outcome::Certified(model)) => {
                        let decisions = model.decide(&parts.held_out)?;
                        Returned::Model(HeldOut::of(&decisions, &parts.held_out, &self.notion)?)
                    }
                    Ok(Outcome::NoSolution(_)) => Returned::NoSolution,
                    Err(e) => Returned::Failed(e.to_string()),
                };
                records.push(Record {
                    seed,
                    method: Method::HighConfidence,
                    epsilon,
                    delta: Some(delta),
                    returned,
                });
            }
        }
        Ok(records)
    }

    /// Plain ε-targets on the development rows.
    fn targets(&self, parts: &Resplit, seed: u64) -> Result<Vec<Record>> {
        self.epsilons
            .iter()
            .map(|&epsilon| {
                let targets = Target::for_notion(&self.notion, epsilon)?;
                let fitted = TargetedFit::new(self.model.clone(), targets)?.fit(&parts.development);
                let returned = match fitted {
                    Ok(fit) => Returned::Model(self.read(&fit.model, &parts.held_out)?),
                    Err(TrainError::Infeasible { .. }) => Returned::NoSolution,
                    Err(e) => Returned::Failed(e.to_string()),
                };
                Ok(Record {
                    seed,
                    method: Method::Target,
                    epsilon,
                    delta: None,
                    returned,
                })
            })
            .collect()
    }

    /// The penalty path on the fitting rows, chosen on validation by each rule.
    fn selections(&self, parts: &Resplit, seed: u64) -> Result<Vec<Record>> {
        let penalty = Penalty::for_notion(&self.notion)?;
        let path = PenaltyPath::new(self.model.clone(), penalty, self.lambdas.clone())?;
        let mut fitted = Vec::new();
        // A λ whose fit fails is left off the path, as a sweep does.
        for point in path.steps(&parts.fit)?.flatten() {
            let scores = point.model.decision_function(parts.validation.records())?;
            fitted.push(PathModel {
                lambda: point.lambda,
                decisions: scores.mapv(|s| if s >= 0.0 { 1.0 } else { 0.0 }),
                scores,
                held_out: self.read(&point.model, &parts.held_out)?,
            });
        }
        if fitted.is_empty() {
            let failed = Returned::Failed("no λ of the path could be fitted".into());
            return self.every_selection(seed, |_, _| Ok(failed.clone()));
        }
        let gap = Axis::minimise(self.notion.column());
        let accuracy = Axis::maximise(names::ACCURACY);
        let plain = self.curve(&fitted, &parts.validation, None, seed)?;
        let margins = self
            .deltas
            .iter()
            .map(|&delta| self.curve(&fitted, &parts.validation, Some(1.0 - 2.0 * delta), seed))
            .collect::<Result<Vec<_>>>()?;
        self.every_selection(seed, |epsilon, delta| {
            let (curve, rule) = match delta {
                None => (&plain, SelectionRule::Plain),
                Some(k) => (&margins[k], SelectionRule::Margin),
            };
            Ok(
                match best_at_gap_by(curve, &accuracy, &gap, epsilon, rule)? {
                    Some(choice) => Returned::Model(fitted[choice.index].held_out.clone()),
                    None => Returned::NoSolution,
                },
            )
        })
    }

    /// A record of plain validation selection at each ε and of margin selection at each ε and
    /// δ, returning `returned(ε, None)` and `returned(ε, Some(index of δ))`.
    fn every_selection(
        &self,
        seed: u64,
        mut returned: impl FnMut(f64, Option<usize>) -> Result<Returned>,
    ) -> Result<Vec<Record>> {
        let mut records = Vec::new();
        for &epsilon in &self.epsilons {
            records.push(Record {
                seed,
                method: Method::Validation,
                epsilon,
                delta: None,
                returned: returned(epsilon, None)?,
            });
            for (k, &delta) in self.deltas.iter().enumerate() {
                records.push(Record {
                    seed,
                    method: Method::Margin,
                    epsilon,
                    delta: Some(delta),
                    returned: returned(epsilon, Some(k))?,
                });
            }
        }
        Ok(records)
    }

    /// The path as a curve: validation accuracy and gap (with bootstrap intervals at `level`,
    /// seeded by `seed`, when given) and held-out accuracy and gap as the reported split.
    fn curve(
        &self,
        fitted: &[PathModel],
        validation: &FairDataset,
        level: Option<f64>,
        seed: u64,
    ) -> Result<TradeoffCurve> {
        let boot = match level {
            Some(level) => Some(
                BootstrapParams::default()
                    .resamples(self.resamples)
                    .level(level)
                    .seed(seed)
                    .check()?,
            ),
            None => None,
        };
        let replicates = match &boot {
            Some(b) => Some(SplitReplicates::new(b, validation)?),
            None => None,
        };
        let gap_name = self.notion.column();
        let points = fitted
            .iter()
            .map(|m| {
                let (decision, held_out) = (m.decisions.view(), &m.held_out);
                let metrics = decision_metrics(decision, m.scores.view(), validation)?;
                let metrics = with_intervals(replicates.as_ref(), metrics, decision, validation)?;
                let mut point = CurvePoint::new("penalty").with_param("lambda", m.lambda);
                for (name, estimate) in metrics {
                    if name == names::ACCURACY || name == gap_name {
                        point = point.with_metric(Split::Validation, name, estimate);
                    }
                }
                Ok(point
                    .with_metric(Split::Test, names::ACCURACY, held_out.accuracy)
                    .with_metric(Split::Test, gap_name.clone(), held_out.gap))
            })
            .collect::<Result<Vec<_>>>()?;
        TradeoffCurve::from_points(points)
    }

    /// A fitted model's decisions read on the held-out rows.
    fn read(
        &self,
        model: &fairfit_train::FittedModel<Logistic>,
        held_out: &FairDataset,
    ) -> Result<HeldOut> {
        let decisions = model.predict_labels(held_out.records())?.to_vec();
        HeldOut::of(&decisions, held_out, &self.notion)
    }
}

/// One model of the penalty path: its weight, its scores and 0/1 decisions on the validation
/// rows, and its reading on the held-out rows.
#[derive(Debug)]
struct PathModel {
    lambda: f64,
    scores: Array1<f64>,
    decisions: Array1<f64>,
    held_out: HeldOut,
}
