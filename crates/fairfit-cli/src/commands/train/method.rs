//! What `fairfit train` fits, read from its options ([`Plan`]), and the fit itself.

use std::sync::Arc;

use fairfit_data::fairness::Notion;
use fairfit_data::mitigation::{
    FairOversampling, Massaging, PreferentialSampling, Preprocessor, Reweighing, UniformSampling,
};
use fairfit_data::FairDataset;
use fairfit_eval::guarantee::{HighConfidence, Outcome};
use fairfit_eval::report::Method;
use fairfit_train::postprocess::ThresholdOptimizerParams;
use fairfit_train::postprocess::{Constraint, Randomization, ThresholdOptimizer};
use fairfit_train::reductions::{ExponentiatedGradient, GridSearch};
use fairfit_train::{
    FairLogisticRegression, FairParams, FittedLogistic, Logistic, ParamGuard, Penalty, Target,
    TargetBound, TargetedFit,
};

use super::certified::KeptPenaltyCandidates;
use crate::cli::TrainArgs;
use crate::error::{CliError, Result};
use crate::notion::{notion, notion_value};

/// Default tolerance of `--thresholds` when none is given.
pub const DEFAULT_TOLERANCE: f64 = 0.02;

/// The in-training method: at most one of these.
#[derive(Debug, Clone)]
pub enum Fit {
    /// Penalised (or plain) logistic regression.
    Plain,
    /// ε-targets on the training decisions.
    Targets(Vec<(Notion, f64)>),
    /// A model certified on safety rows.
    HighConfidence(Notion, f64),
    /// Exponentiated gradient (its best feasible predictor) or grid search.
    Reduction {
        /// `eg` or `grid`.
        kind: String,
        /// The notion bounded.
        notion: Notion,
        /// Its bound.
        epsilon: f64,
    },
}

/// Everything `fairfit train` was asked to do.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Pre-processing of the training rows, by name.
    pub preprocess: Option<String>,
    /// Penalties and their weights.
    pub penalties: Vec<(Notion, f64)>,
    /// The in-training method.
    pub fit: Fit,
    /// Thresholds after training: the notion and tolerance.
    pub thresholds: Option<(Notion, f64)>,
    /// L2 strength.
    pub l2: f64,
    /// δ of a high-confidence fit.
    pub delta: f64,
    /// Seed of random steps.
    pub seed: u64,
}

/// The fitted model and how to describe it.
#[derive(Debug)]
pub struct Trained {
    /// The model the pipeline holds.
    pub model: FittedLogistic,
    /// The method for the report.
    pub method: Method,
    /// What the fit said that the user should read (targets met or not, the certificate).
    pub notes: Vec<String>,
}

impl Plan {
    /// Reads the options.
    pub fn from_args(args: &TrainArgs) -> Result<Self> {
        let penalties = args
            .penalty
            .iter()
            .map(|p| notion_value(p, "LAMBDA", None))
            .collect::<Result<Vec<_>>>()?;
        let fit = if !args.target.is_empty() {
            Fit::Targets(
                args.target
                    .iter()
                    .map(|t| notion_value(t, "EPSILON", None))
                    .collect::<Result<Vec<_>>>()?,
            )
        } else if let Some(hc) = &args.high_confidence {
            if !penalties.is_empty() {
                return Err(CliError::Usage(
                    "--high-confidence chooses its own penalty weights; leave out --penalty".into(),
                ));
            }
            let (n, eps) = notion_value(hc, "EPSILON", None)?;
            Fit::HighConfidence(n, eps)
        } else if let Some(r) = &args.reduction {
            let (kind, rest) = r.split_once(':').ok_or_else(|| {
                CliError::Usage(format!(
                    "--reduction `{r}`: write KIND:NOTION=EPSILON, e.g. eg:dp=0.02"
                ))
            })?;
            if kind != "eg" && kind != "grid" {
                return Err(CliError::Usage(format!(
                    "--reduction `{r}`: KIND is `eg` (exponentiated gradient) or `grid` (grid search)"
                )));
            }
            let (notion, epsilon) = notion_value(rest, "EPSILON", None)?;
            Fit::Reduction {
                kind: kind.to_string(),
                notion,
                epsilon,
            }
        } else {
            Fit::Plain
        };
        let thresholds = args
            .thresholds
            .as_deref()
            .map(|t| notion_value(t, "TOLERANCE", Some(DEFAULT_TOLERANCE)))
            .transpose()?;
        if let Some((n, _)) = &thresholds {
            if Constraint::for_notion(n).is_none() {
                return Err(CliError::Usage(format!(
                    "--thresholds: group-specific thresholds can equalise demographic parity (dp), equal opportunity (tpr) or equalized odds (eo), not the {}",
                    n.label()
                )));
            }
        }
        if let Some(p) = &args.preprocess {
            preprocessor(p, args.data.seed)?;
        }
        Ok(Self {
            preprocess: args.preprocess.clone(),
            penalties,
            fit,
            thresholds,
            l2: args.l2,
            delta: args.delta,
            seed: args.data.seed,
        })
    }

    /// The notions the plan trains for (for the held-out report).
    pub fn notions(&self) -> Vec<Notion> {
        let mut notions: Vec<Notion> = self.penalties.iter().map(|(n, _)| n.clone()).collect();
        match &self.fit {
            Fit::Targets(t) => notions.extend(t.iter().map(|(n, _)| n.clone())),
            Fit::HighConfidence(n, _) | Fit::Reduction { notion: n, .. } => notions.push(n.clone()),
            Fit::Plain => {}
        }
        if let Some((n, _)) = &self.thresholds {
            notions.push(n.clone());
        }
        notions
    }

    /// The threshold optimiser of `--thresholds` (one deterministic threshold per group).
    pub fn threshold_params(&self) -> Option<ThresholdOptimizerParams> {
        self.thresholds.as_ref().map(|(n, tolerance)| {
            ThresholdOptimizer::params()
                .constraint(Constraint::for_notion(n).expect("checked when the options were read"))
                .tolerance(*tolerance)
                .randomization(Randomization::Forbidden)
        })
    }

    /// `method` with the L2 strength and the penalty weights as parameters.
    pub(super) fn with_penalties(&self, mut method: Method) -> Method {
        method = method.param("l2", self.l2);
        for (notion, lambda) in &self.penalties {
            method = method.param(format!("lambda_{}", notion.short()), *lambda);
        }
        method
    }

    /// The base logistic regression with the penalties.
    pub(super) fn params(&self) -> Result<FairParams<Logistic>> {
        let mut params = FairLogisticRegression::params().l2(self.l2);
        for (notion, lambda) in &self.penalties {
            params = params.penalty(Penalty::for_notion(notion)?, *lambda);
        }
        Ok(params)
    }

    /// Pre-processes the training rows and fits.
    pub fn fit(&self, train: &FairDataset) -> Result<Trained> {
        let mut notes = Vec::new();
        let (train, mut method) = match &self.preprocess {
            Some(name) => {
                let pre = preprocessor(name, self.seed)?;
                let fairer = pre.fit_transform(train)?;
                notes.push(format!(
                    "pre-processing {}: {} training rows became {}",
                    pre.name(),
                    train.nrows(),
                    fairer.nrows()
                ));
                (fairer, Method::new(format!("{}+logistic", pre.name())))
            }
            None => (train.clone(), Method::new("logistic")),
        };
        method = self.with_penalties(method);
        let params = self.params()?;
        let model = match &self.fit {
            Fit::Plain => params.fit(&train)?,
            Fit::Targets(targets) => {
                let mut all = Vec::new();
                for (notion, epsilon) in targets {
                    all.extend(Target::for_notion(notion, *epsilon)?);
                    method = method.param(format!("epsilon_{}", notion.short()), *epsilon);
                }
                let fitted = TargetedFit::new(params.check()?, all)?.fit(&train)?;
                for outcome in &fitted.outcomes {
                    let kind = match outcome.target.bound {
                        TargetBound::Gap(_) => "gap",
                        TargetBound::Max(_) => "group maximum",
                        TargetBound::Ratio(_) => "ratio",
                    };
                    notes.push(format!(
                        "target on the {} {kind}: training hard value {:.4} against limit {} ({})",
                        outcome.target.statistic.name(),
                        outcome.achieved_hard,
                        outcome.target.limit(),
                        if outcome.met_on_decisions() {
                            "met"
                        } else {
                            "not met"
                        }
                    ));
                }
                fitted.model
            }
            Fit::HighConfidence(notion, epsilon) => {
                let generator = Arc::new(KeptPenaltyCandidates::new(params.check()?));
                let outcome = HighConfidence::params(notion.clone(), *epsilon, self.delta)
                    .candidates_shared(generator.clone())
                    .seed(self.seed)
                    .fit(&train)?;
                method = method
                    .param(format!("epsilon_{}", notion.short()), *epsilon)
                    .param("delta", self.delta);
                match outcome {
                    Outcome::NoSolution(none) => {
                        return Err(CliError::NoModel(format!(
                            "no solution: no candidate passed the safety test for the {} ≤ {epsilon} at confidence 1 − {}; the candidate tested, {}, has a safety bound above ε. No model was saved.",
                            notion.label(),
                            self.delta,
                            none.label()
                        )))
                    }
                    Outcome::Certified(certified) => {
                        notes.push(format!(
                            "certified {}: with probability ≥ 1 − {} the population {} is within {epsilon}; safety-row accuracy {:.4} (majority-class rule {:.4}){}",
                            certified.label(),
                            self.delta,
                            notion.label(),
                            certified.safety_accuracy,
                            certified.majority_accuracy,
                            if certified.is_constant_rule() { "; a constant rule, not a useful model" } else { "" }
                        ));
                        if let Some(lambda) = certified.tried[certified.chosen]
                            .params
                            .iter()
                            .find(|(k, _)| k == "lambda")
                        {
                            method = method.param(format!("lambda_{}", notion.short()), lambda.1);
                        }
                        generator.model(certified.chosen).ok_or_else(|| {
                            CliError::NoModel("the certified candidate's model was not kept".into())
                        })?
                    }
                }
            }
            Fit::Reduction {
                kind,
                notion,
                epsilon,
            } => {
                method = Method::new(format!("{kind}-reduction"))
                    .param("l2", self.l2)
                    .param(format!("epsilon_{}", notion.short()), *epsilon);
                if kind == "eg" {
                    let fit = ExponentiatedGradient::params::<Logistic>(notion.clone(), *epsilon)
                        .learner(params.check()?)
                        .fit(&train)?;
                    notes.push(format!(
                        "exponentiated gradient: {} hypotheses in the support; its best feasible deterministic predictor is saved (the randomised mixture is not a pipeline model)",
                        fit.model().support().len()
                    ));
                    fit.model().best_feasible()?.clone()
                } else {
                    let fit = GridSearch::params::<Logistic>(notion.clone())
                        .epsilon(*epsilon)
                        .learner(params.check()?)
                        .fit(&train)?;
                    notes.push(format!(
                        "grid search: {} grid points; the selected one is saved",
                        fit.points().len()
                    ));
                    fit.best().clone()
                }
            }
        };
        if let Some((notion, tolerance)) = &self.thresholds {
            method = method.param(
                format!("threshold_tolerance_{}", notion.short()),
                *tolerance,
            );
        }
        Ok(Trained {
            model,
            method: method.describe(self.describe()),
            notes,
        })
    }

    /// One sentence on the method, for the report.
    pub(super) fn describe(&self) -> String {
        let mut parts = vec!["Logistic regression (mean log-loss + l2·‖w‖²)".to_string()];
        if let Some(p) = &self.preprocess {
            parts.push(format!("on training rows pre-processed by {p}"));
        }
        for (n, l) in &self.penalties {
            parts.push(format!("+ {l}·(smooth {})", n.label()));
        }
        match &self.fit {
            Fit::Plain => {}
            Fit::Targets(t) => {
                for (n, e) in t {
                    parts.push(format!("with the {} of its decisions ≤ {e} on training rows", n.label()));
                }
            }
            Fit::HighConfidence(n, e) => parts.push(format!(
                "chosen among penalty weights and certified on held-out safety rows: {} ≤ {e} with probability ≥ 1 − {}",
                n.label(),
                self.delta
            )),
            Fit::Reduction { kind, notion, epsilon } => parts.push(format!(
                "through the {} reduction with the {} ≤ {epsilon}",
                if kind == "eg" { "exponentiated-gradient" } else { "grid-search" },
                notion.label()
            )),
        }
        if let Some((n, t)) = &self.thresholds {
            parts.push(format!(
                "then group-specific thresholds equalising the {} within {t} on training rows",
                n.label()
            ));
        } else {
            parts.push("decisions at p ≥ 0.5".into());
        }
        parts.join(" ") + "."
    }
}

/// The pre-processing method called `name`. Feature repairs (disparate-impact and correlation
/// removers) change features at scoring time too, which a saved pipeline cannot hold, so they
/// are refused here (the sweep runs them).
pub fn preprocessor(name: &str, seed: u64) -> Result<Box<dyn Preprocessor>> {
    let ranker = || FairLogisticRegression::params();
    Ok(match name {
        "reweighing" => Box::new(Reweighing::params()),
        "uniform-sampling" => Box::new(UniformSampling::params().seed(seed)),
        "preferential-sampling" => Box::new(PreferentialSampling::params().ranker(ranker())),
        "massaging" => Box::new(Massaging::params().ranker(ranker())),
        "oversampling" => Box::new(FairOversampling::params().seed(seed)),
        "di-remover" | "correlation-remover" => {
            return Err(CliError::Usage(format!(
                "--preprocess {name}: a feature repair changes features when scoring too, which a saved pipeline cannot hold; `fairfit sweep` runs it"
            )))
        }
        other => {
            return Err(CliError::Usage(format!(
                "--preprocess `{other}`: one of reweighing, uniform-sampling, preferential-sampling, massaging, oversampling"
            )))
        }
    })
}

/// The notions named by `--report-notion`, or the plan's and demographic parity and equalized
/// odds.
pub fn report_notions(args: &TrainArgs, plan: &Plan) -> Result<Vec<Notion>> {
    let mut notions = if args.report_notion.is_empty() {
        let mut n = plan.notions();
        n.push(Notion::demographic_parity());
        n.push(Notion::equalized_odds());
        n
    } else {
        args.report_notion
            .iter()
            .map(|n| notion(n))
            .collect::<Result<Vec<_>>>()?
    };
    let mut seen = Vec::new();
    notions.retain(|n| {
        let c = n.column();
        let new = !seen.contains(&c);
        seen.push(c);
        new
    });
    Ok(notions)
}
