//! [`AdmissionEnv`]: college admissions with strategic manipulation of test scores (the gym's
//! `CollegeAdmissionsEnv`).

use fairfit_data::fairness::{ratio, Statistic};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal};

use crate::confusion::Confusion;
use crate::distribution::sample_index;
use crate::environment::{Environment, Transition};
use crate::error::{Result, SimError};

use super::params::ValidAdmissionParams;

/// The jury's published decision rule: a threshold per group on the observed score, and the
/// probability ε with which any applicant is admitted regardless (exploration).
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// One threshold per group.
    pub thresholds: Vec<f64>,
    /// Probability of admitting an applicant at random, in [0, 1].
    pub epsilon: f64,
}

/// What the jury learns from a round: every applicant's observed (possibly manipulated) score and
/// group, whether they were admitted, and eligibility for the admitted only.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Observed scores.
    pub scores: Vec<f64>,
    /// Groups.
    pub groups: Vec<usize>,
    /// Admission decisions.
    pub admitted: Vec<bool>,
    /// Eligibility of admitted applicants (`None` for the others: never observed).
    pub eligible: Vec<Option<bool>>,
}

/// The current round's applicants before manipulation (hidden from the jury).
#[derive(Debug, Clone, PartialEq)]
pub struct Applicants {
    /// True test scores.
    pub scores: Vec<f64>,
    /// The scores the applicants start from and the jury sees without manipulation: the true
    /// scores, plus noise clipped to [0, 1] when the parameters ask for noisy features.
    pub features: Vec<f64>,
    /// Groups.
    pub groups: Vec<usize>,
    /// Whether each is eligible (true score at least the group's true threshold).
    pub eligible: Vec<bool>,
}

/// Per-group metric names.
const METRICS: [&str; 10] = [
    "applicants",
    "admitted",
    "admission_rate",
    "recall",
    "precision",
    "accuracy",
    "manipulated",
    "manipulation_cost",
    "social_burden",
    "threshold",
];

/// The admissions environment: a Stackelberg game in which the jury publishes thresholds, the
/// applicants raise their scores where it pays, and the jury admits on the observed scores.
///
/// Recorded per group, cumulatively: `applicants`, `admitted`, the `admission_rate`, `recall`
/// (admitted among eligible), `precision` and `accuracy` of the decisions against eligibility,
/// the number `manipulated` and the `manipulation_cost` they paid, the `social_burden` (mean
/// cost an eligible applicant must pay to reach the threshold from the score it starts from, 0
/// above it; Milli et al. 2019),
/// and the group's last published `threshold`.
#[derive(Debug, Clone)]
pub struct AdmissionEnv {
    params: ValidAdmissionParams,
    rng: StdRng,
    normals: Vec<Normal<f64>>,
    applicants: Applicants,
    confusion: Vec<Confusion>,
    manipulated: Vec<f64>,
    manipulation_cost: Vec<f64>,
    burden: Vec<(f64, f64)>,
    thresholds: Vec<f64>,
    metric_names: Vec<String>,
}

impl AdmissionEnv {
    pub(crate) fn new(params: ValidAdmissionParams, seed: u64) -> Result<Self> {
        let p = params.params();
        let normals = p
            .score_means
            .iter()
            .zip(&p.score_sds)
            .map(|(&m, &s)| {
                Normal::new(m, s).map_err(|e| SimError::InvalidParameter {
                    name: "score_sds".into(),
                    reason: e.to_string(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let groups = params.n_groups();
        let mut env = Self {
            rng: StdRng::seed_from_u64(seed),
            normals,
            applicants: Applicants {
                scores: Vec::new(),
                features: Vec::new(),
                groups: Vec::new(),
                eligible: Vec::new(),
            },
            confusion: vec![Confusion::default(); groups],
            manipulated: vec![0.0; groups],
            manipulation_cost: vec![0.0; groups],
            burden: vec![(0.0, 0.0); groups],
            thresholds: vec![f64::NAN; groups],
            metric_names: METRICS.iter().map(|m| m.to_string()).collect(),
            params,
        };
        env.draw_applicants();
        Ok(env)
    }

    /// The parameters.
    pub fn params(&self) -> &ValidAdmissionParams {
        &self.params
    }

    fn draw_applicants(&mut self) {
        let p = self.params.params();
        let n = p.applicants;
        let (mut scores, mut features, mut groups, mut eligible) = (
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
            Vec::with_capacity(n),
        );
        for _ in 0..n {
            let g = sample_index(&mut self.rng, &p.group_probabilities);
            let score = self.normals[g].sample(&mut self.rng).clamp(0.0, 1.0);
            let feature = if p.noisy_features {
                (score + p.noise.sample(&mut self.rng)).clamp(0.0, 1.0)
            } else {
                score
            };
            groups.push(g);
            scores.push(score);
            features.push(feature);
            eligible.push(score >= self.params.true_threshold(g));
        }
        self.applicants = Applicants {
            scores,
            features,
            groups,
            eligible,
        };
    }

    fn check_policy(&self, step: usize, policy: &Policy) -> Result<()> {
        let invalid = |reason: String| SimError::InvalidAction { step, reason };
        if policy.thresholds.len() != self.params.n_groups() {
            return Err(invalid(format!(
                "{} thresholds for {} groups",
                policy.thresholds.len(),
                self.params.n_groups()
            )));
        }
        if let Some(t) = policy.thresholds.iter().find(|t| !t.is_finite()) {
            return Err(invalid(format!("threshold {t} is not finite")));
        }
        if !(0.0..=1.0).contains(&policy.epsilon) {
            return Err(invalid(format!(
                "epsilon {} is not in [0, 1]",
                policy.epsilon
            )));
        }
        Ok(())
    }
}

impl Environment for AdmissionEnv {
    /// The jury sees nothing of a round before publishing its policy.
    type Observation = ();
    type Action = Policy;
    type Feedback = Round;
    type Truth = Applicants;

    fn groups(&self) -> &[String] {
        &self.params.params().group_names
    }

    fn metric_names(&self) -> &[String] {
        &self.metric_names
    }

    fn observation(&self) -> &() {
        &()
    }

    fn truth(&self) -> &Applicants {
        &self.applicants
    }

    /// Admit everyone: thresholds 0, no exploration.
    fn permissive_action(&self) -> Policy {
        Policy {
            thresholds: vec![0.0; self.params.n_groups()],
            epsilon: 0.0,
        }
    }

    fn step(&mut self, step: usize, policy: &Policy) -> Result<Transition<Round>> {
        self.check_policy(step, policy)?;
        let p = self.params.params();
        let (gaming, noisy_threshold, noise) = (p.gaming, p.noisy_threshold, p.noise);
        let n = self.applicants.scores.len();
        let mut round = Round {
            scores: Vec::with_capacity(n),
            groups: self.applicants.groups.clone(),
            admitted: Vec::with_capacity(n),
            eligible: Vec::with_capacity(n),
        };
        let mut correct = 0.0;
        for i in 0..n {
            let (g, score, eligible) = (
                self.applicants.groups[i],
                self.applicants.features[i],
                self.applicants.eligible[i],
            );
            let threshold = policy.thresholds[g];
            let gap = (threshold - score).max(0.0);
            let mut observed = score;
            if gaming && gap > 0.0 {
                // The score reached: the threshold, or the threshold plus noise (drawn, as in the
                // gym, for every applicant below the threshold); one above the score scale
                // cannot be reached.
                let target = if noisy_threshold {
                    (threshold + noise.sample(&mut self.rng)).clamp(0.0, 1.0)
                } else {
                    threshold.min(1.0)
                };
                let raise = target - score;
                if target >= threshold && raise <= self.params.max_raise(g, policy.epsilon) {
                    observed = target;
                    self.manipulated[g] += 1.0;
                    self.manipulation_cost[g] += self.params.cost(g, raise);
                }
            }
            if eligible {
                self.burden[g].0 += self.params.cost(g, gap);
                self.burden[g].1 += 1.0;
            }
            let admitted = self.rng.gen::<f64>() < policy.epsilon || observed >= threshold;
            self.confusion[g].add(admitted, eligible, 1.0);
            correct += f64::from(u8::from(admitted == eligible));
            round.scores.push(observed);
            round.admitted.push(admitted);
            round.eligible.push(admitted.then_some(eligible));
        }
        self.thresholds.clone_from(&policy.thresholds);
        self.draw_applicants();
        Ok(Transition {
            feedback: round,
            reward: correct / n as f64,
            done: false,
        })
    }

    fn measure(&self, out: &mut [f64]) {
        let width = self.metric_names.len();
        for (g, row) in out.chunks_mut(width).enumerate() {
            let c = &self.confusion[g];
            row[0] = c.total();
            row[1] = c.true_positives + c.false_positives;
            row[2] = c.rate(Statistic::positive_rate());
            row[3] = c.rate(Statistic::true_positive_rate());
            row[4] = c.rate(Statistic::positive_predictive_value());
            row[5] = 1.0 - c.rate(Statistic::error_rate());
            row[6] = self.manipulated[g];
            row[7] = self.manipulation_cost[g];
            let (burden, eligible) = self.burden[g];
            row[8] = ratio(burden, eligible, "no eligible applicants").unwrap_or(f64::NAN);
            row[9] = self.thresholds[g];
        }
    }
}
