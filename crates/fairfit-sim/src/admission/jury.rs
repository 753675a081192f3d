//! [`Jury`]: the admissions decision maker — fixed thresholds, or thresholds fitted with
//! fairfit's post-processing on the applicants it admitted, naive or robust to manipulation.

use fairfit_data::Groups;
use fairfit_train::postprocess::{
    Constraint, Cutoff, Objective, PostprocessError, Randomization, ThresholdOptimizer,
};
use fairfit_train::ParamGuard;
use ndarray::Array1;
use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::agent::{Agent, Turn};
use crate::error::{Result, SimError};

use super::env::{AdmissionEnv, Policy, Round};
use super::params::ValidAdmissionParams;

/// What a learning jury's thresholds maximise accuracy under.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum JuryRule {
    /// No constraint: each group's most accurate threshold on what the jury observed.
    Accuracy,
    /// Recall (admitted among eligible) equal across groups within `tolerance`.
    EqualOpportunity {
        /// The largest allowed recall gap on the jury's data.
        tolerance: f64,
    },
}

/// How a jury sets its thresholds.
#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Fixed(Vec<f64>),
    Learning {
        rule: JuryRule,
        robust: bool,
        freeze: bool,
    },
}

/// A jury publishing one threshold per group.
///
/// A learning jury keeps every admitted applicant's observed score, group and eligibility, and
/// fits deterministic group thresholds with fairfit's [`ThresholdOptimizer`] (maximal accuracy,
/// possibly under equal opportunity). A *naive* jury fits on the observed scores, which may be
/// manipulated; a *robust* one (the gym's `RobustJury`, after Hardt et al. 2016, "Strategic
/// classification") first raises every score by the most its group would manipulate, so that its
/// thresholds anticipate gaming. Before its first fit it admits everyone (thresholds 0); a
/// freezing jury fits once (after a [`BurnIn`](crate::BurnIn), on the unmanipulated burn-in data)
/// and keeps those thresholds, as the gym's static and robust juries do.
///
/// ```
/// use fairfit::sim::admission::{AdmissionParams, Jury, JuryRule};
/// use fairfit::sim::{run, BurnIn, RunSpec};
/// let params = AdmissionParams::default().check()?;
/// let spec = RunSpec::new(60, 3)?.record_every(20)?;
/// let jury = |_: &_| Ok(BurnIn::new(20, Jury::learning(&params, JuryRule::Accuracy, true, true)));
/// let runs = run(&spec, |s| params.build(s), jury)?;
/// assert_eq!(runs.label, "robust jury, accuracy");
/// # Ok::<(), fairfit::sim::SimError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Jury {
    params: ValidAdmissionParams,
    mode: Mode,
    scores: Vec<f64>,
    labels: Vec<bool>,
    groups: Vec<usize>,
    thresholds: Vec<f64>,
    fitted: bool,
    new_data: bool,
}

impl Jury {
    fn with_mode(params: &ValidAdmissionParams, mode: Mode) -> Self {
        Self {
            params: params.clone(),
            mode,
            scores: Vec::new(),
            labels: Vec::new(),
            groups: Vec::new(),
            thresholds: vec![0.0; params.n_groups()],
            fitted: false,
            new_data: false,
        }
    }

    /// A jury that always publishes `thresholds` (one per group, each in [0, 1]).
    pub fn fixed(params: &ValidAdmissionParams, thresholds: Vec<f64>) -> Result<Self> {
        crate::distribution::check_len(
            "thresholds",
            thresholds.len(),
            params.n_groups(),
            "one per group",
        )?;
        crate::distribution::check_probabilities("thresholds", &thresholds)?;
        Ok(Self::with_mode(params, Mode::Fixed(thresholds)))
    }

    /// A jury that learns thresholds under `rule`, robust to manipulation or naive, fitting
    /// once (`freeze`) or after every round.
    pub fn learning(
        params: &ValidAdmissionParams,
        rule: JuryRule,
        robust: bool,
        freeze: bool,
    ) -> Self {
        Self::with_mode(
            params,
            Mode::Learning {
                rule,
                robust,
                freeze,
            },
        )
    }

    /// The thresholds it publishes now.
    pub fn thresholds(&self) -> &[f64] {
        &self.thresholds
    }

    fn fit(&mut self, rule: JuryRule, robust: bool) -> Result<()> {
        let (constraint, tolerance) = match rule {
            JuryRule::Accuracy => (Constraint::DemographicParity, 1.0),
            JuryRule::EqualOpportunity { tolerance } => (Constraint::EqualOpportunity, tolerance),
        };
        let optimizer = ThresholdOptimizer::params()
            .constraint(constraint)
            .tolerance(tolerance)
            .randomization(Randomization::Forbidden)
            .objective(Objective::Accuracy)
            .check()?;
        let scores = Array1::from_iter(self.scores.iter().zip(&self.groups).map(|(&s, &g)| {
            if robust {
                (s + self.params.max_raise(g, 0.0)).min(1.0)
            } else {
                s
            }
        }));
        let groups = Groups::new(
            self.params.params().group_names.clone(),
            self.groups.clone(),
        )?;
        let fitted = match optimizer.fit(scores.view(), &self.labels, &groups, None) {
            Ok(fitted) => fitted,
            Err(PostprocessError::EmptyGroup { .. }) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        for (threshold, rule) in self.thresholds.iter_mut().zip(fitted.rules()) {
            let cutoff = rule.components().first().map(|c| c.cutoff);
            *threshold = match cutoff {
                Some(Cutoff::AtLeast(t)) => t.clamp(0.0, 1.0),
                Some(Cutoff::SelectAll) => 0.0,
                Some(Cutoff::SelectNone) | None => 1.0,
            };
        }
        self.fitted = true;
        Ok(())
    }
}

impl Agent<AdmissionEnv> for Jury {
    fn name(&self) -> String {
        match &self.mode {
            Mode::Fixed(t) => format!("fixed jury {t:?}"),
            Mode::Learning { rule, robust, .. } => {
                let kind = if *robust { "robust" } else { "naive" };
                match rule {
                    JuryRule::Accuracy => format!("{kind} jury, accuracy"),
                    JuryRule::EqualOpportunity { tolerance } => {
                        format!("{kind} jury, equal opportunity ≤ {tolerance}")
                    }
                }
            }
        }
    }

    fn act(&mut self, turn: &Turn<'_, AdmissionEnv>, _: &mut StdRng) -> Result<Policy> {
        match self.mode.clone() {
            Mode::Fixed(thresholds) => self.thresholds = thresholds,
            Mode::Learning {
                rule,
                robust,
                freeze,
            } => {
                let locked = freeze && self.fitted;
                if !locked && self.new_data {
                    self.fit(rule, robust).map_err(|e| match e {
                        SimError::Postprocess(p) => SimError::InvalidAction {
                            step: turn.step(),
                            reason: format!("the jury's thresholds could not be fitted: {p}"),
                        },
                        other => other,
                    })?;
                    self.new_data = false;
                }
            }
        }
        Ok(Policy {
            thresholds: self.thresholds.clone(),
            epsilon: 0.0,
        })
    }

    fn learn(&mut self, _: usize, _: &(), _: &Policy, round: &Round) -> Result<()> {
        if matches!(self.mode, Mode::Learning { freeze: true, .. }) && self.fitted {
            return Ok(());
        }
        for i in 0..round.scores.len() {
            if let Some(eligible) = round.eligible[i] {
                self.scores.push(round.scores[i]);
                self.labels.push(eligible);
                self.groups.push(round.groups[i]);
                self.new_data = true;
            }
        }
        Ok(())
    }
}
