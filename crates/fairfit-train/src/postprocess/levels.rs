//! [`ScoreLevels`] and [`LevelFitter`]: the threshold fit on rows aggregated by distinct score,
//! exact and cheap to repeat. A scorer with `k` score levels gives each group an ROC of `k + 1`
//! points, so a refit after a few weights changed (a simulated lender refitting after every loan)
//! costs a few hundred flops and, once the buffers have grown, no allocation for the one-rate
//! constraints with randomisation.

use super::error::{PostprocessError, Result};
use super::params::ThresholdOptimizerValidParams;
use super::rate::Scratch;
use super::roc::GroupRoc;
use super::rule::ThresholdRule;

/// Weighted labelled rows with few distinct scores, aggregated: for each group and each score
/// level, the total weight of its positive rows and of its negative rows.
///
/// A level without weight in a group holds no row of that group, exactly as if the rows were
/// listed one by one ([`ThresholdOptimizerValidParams::fit`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreLevels {
    scores: Vec<f64>,
    n_groups: usize,
    /// `[positive weight, negative weight]` of group `g`, level `l` at `g * levels + l`.
    weights: Vec<[f64; 2]>,
}

impl ScoreLevels {
    /// No rows yet, for `n_groups` groups and the distinct `scores` (finite, strictly
    /// increasing, at least one).
    pub fn new(scores: Vec<f64>, n_groups: usize) -> Result<Self> {
        let invalid = |name, reason: String| PostprocessError::InvalidParameter { name, reason };
        if scores.is_empty() {
            return Err(invalid("scores", "no score level".into()));
        }
        if let Some((row, &value)) = scores.iter().enumerate().find(|(_, s)| !s.is_finite()) {
            return Err(PostprocessError::NonFinite {
                what: "score levels",
                row,
                value,
            });
        }
        if let Some(i) = scores.windows(2).position(|w| w[0] >= w[1]) {
            return Err(invalid(
                "scores",
                format!(
                    "score levels must be strictly increasing: level {i} is {}, level {} is {}",
                    scores[i],
                    i + 1,
                    scores[i + 1]
                ),
            ));
        }
        if n_groups == 0 {
            return Err(invalid("groups", "no group".into()));
        }
        Ok(Self {
            weights: vec![[0.0; 2]; scores.len() * n_groups],
            scores,
            n_groups,
        })
    }

    /// The score levels, increasing.
    pub fn scores(&self) -> &[f64] {
        &self.scores
    }

    /// The number of groups.
    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// The weights of `group`'s positive and negative rows at `level`.
    #[inline]
    pub fn weights(&self, group: usize, level: usize) -> Result<(f64, f64)> {
        let [p, n] = self.weights[self.index(group, level)?];
        Ok((p, n))
    }

    /// Sets the weights of `group`'s positive and negative rows at `level` (finite, >= 0).
    #[inline]
    pub fn set(
        &mut self,
        group: usize,
        level: usize,
        positives: f64,
        negatives: f64,
    ) -> Result<()> {
        let i = self.index(group, level)?;
        for value in [positives, negatives] {
            if !value.is_finite() {
                return Err(PostprocessError::NonFinite {
                    what: "level weights",
                    row: i,
                    value,
                });
            }
            if value < 0.0 {
                return Err(PostprocessError::NegativeWeight { row: i, value });
            }
        }
        self.weights[i] = [positives, negatives];
        Ok(())
    }

    /// Adds a row of `group` at `level` with this label and weight (finite, >= 0).
    pub fn add(&mut self, group: usize, level: usize, label: bool, weight: f64) -> Result<()> {
        let (p, n) = self.weights(group, level)?;
        if label {
            self.set(group, level, p + weight, n)
        } else {
            self.set(group, level, p, n + weight)
        }
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.weights.fill([0.0; 2]);
    }

    #[inline]
    fn index(&self, group: usize, level: usize) -> Result<usize> {
        if group >= self.n_groups || level >= self.scores.len() {
            return Err(PostprocessError::InvalidParameter {
                name: "level",
                reason: format!(
                    "group {group}, level {level} is outside {} groups × {} levels",
                    self.n_groups,
                    self.scores.len()
                ),
            });
        }
        Ok(group * self.scores.len() + level)
    }

    /// Group `g`'s levels as `(score, positive weight, negative weight)`, highest score first.
    fn descending(&self, g: usize) -> impl Iterator<Item = (f64, f64, f64)> + '_ {
        let k = self.scores.len();
        self.scores
            .iter()
            .zip(&self.weights[g * k..(g + 1) * k])
            .rev()
            .map(|(&s, &[p, n])| (s, p, n))
    }
}

/// The threshold optimiser for [`ScoreLevels`], keeping its buffers between fits: the same
/// rules as [`ThresholdOptimizerValidParams::fit`] on the rows the levels aggregate, without
/// listing, sorting or measuring those rows (it yields the rules, not the training rates).
///
/// ```
/// use fairfit::train::postprocess::{Constraint, ScoreLevels, ThresholdOptimizer};
/// use fairfit::train::ParamGuard;
///
/// // Two groups scored on three levels 0, 1, 2.
/// let mut levels = ScoreLevels::new(vec![0.0, 1.0, 2.0], 2)?;
/// for (g, l, positives, negatives) in [(0, 0, 1.0, 3.0), (0, 2, 3.0, 1.0), (1, 1, 2.0, 2.0)] {
///     levels.set(g, l, positives, negatives)?;
/// }
/// let params = ThresholdOptimizer::params().constraint(Constraint::EqualOpportunity).check()?;
/// let mut fitter = params.level_fitter(vec!["a".into(), "b".into()])?;
/// let rules = fitter.fit(&levels)?;
/// // Group b's positives all sit at level 1, so its true-positive rate is its chance at level 1.
/// let tpr_a = (1.0 * rules[0].probability(0.0) + 3.0 * rules[0].probability(2.0)) / 4.0;
/// assert!((tpr_a - rules[1].probability(1.0)).abs() < 1e-12);
/// levels.add(1, 2, true, 1.0)?; // one more row, then refit in place
/// assert_eq!(fitter.fit(&levels)?.len(), 2);
/// # Ok::<(), fairfit::train::postprocess::PostprocessError>(())
/// ```
#[derive(Debug, Clone)]
pub struct LevelFitter {
    params: ThresholdOptimizerValidParams,
    groups: Vec<String>,
    rocs: Vec<GroupRoc>,
    scratch: Scratch,
    rules: Vec<ThresholdRule>,
}

impl ThresholdOptimizerValidParams {
    /// A [`LevelFitter`] with these parameters for groups with these names (at least two).
    pub fn level_fitter(&self, groups: Vec<String>) -> Result<LevelFitter> {
        match groups.as_slice() {
            [] => Err(PostprocessError::InvalidParameter {
                name: "groups",
                reason: "no group".into(),
            }),
            [only] => Err(PostprocessError::SingleGroup {
                group: only.clone(),
                notion: self.constraint().notion().label(),
            }),
            _ => Ok(LevelFitter {
                params: *self,
                rocs: vec![GroupRoc::empty(); groups.len()],
                groups,
                scratch: Scratch::default(),
                rules: Vec::new(),
            }),
        }
    }
}

impl LevelFitter {
    /// The parameters.
    pub fn params(&self) -> &ThresholdOptimizerValidParams {
        &self.params
    }

    /// The names of the groups, in the order of the rules.
    pub fn group_names(&self) -> &[String] {
        &self.groups
    }

    /// One rule per group, fitted on `levels`. Fails on a group count other than the fitter's,
    /// or as [`ThresholdOptimizerValidParams::fit`] does on a group without the members,
    /// positives or negatives its constraint needs.
    pub fn fit(&mut self, levels: &ScoreLevels) -> Result<&[ThresholdRule]> {
        if levels.n_groups() != self.groups.len() {
            return Err(PostprocessError::LengthMismatch {
                what: "groups of the score levels",
                expected: self.groups.len(),
                found: levels.n_groups(),
            });
        }
        for (g, roc) in self.rocs.iter_mut().enumerate() {
            roc.refill_from_levels(levels.descending(g));
        }
        self.params
            .solve(&self.rocs, &self.groups, &mut self.scratch, &mut self.rules)?;
        Ok(&self.rules)
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::Groups;
    use ndarray::Array1;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    use linfa::ParamGuard;

    use super::super::{Constraint, Objective, Randomization, ThresholdOptimizer};
    use super::*;

    /// The rows a level table aggregates: one per non-empty (group, level, label).
    fn rows(levels: &ScoreLevels) -> (Array1<f64>, Vec<bool>, Groups, Array1<f64>) {
        let (mut scores, mut labels, mut of_row, mut weights) = (vec![], vec![], vec![], vec![]);
        for g in 0..levels.n_groups() {
            for (l, &s) in levels.scores().iter().enumerate() {
                let (p, n) = levels.weights(g, l).unwrap();
                for (label, w) in [(false, n), (true, p)] {
                    if w > 0.0 {
                        scores.push(s);
                        labels.push(label);
                        of_row.push(g);
                        weights.push(w);
                    }
                }
            }
        }
        let names = (0..levels.n_groups()).map(|g| format!("g{g}")).collect();
        (
            Array1::from(scores),
            labels,
            Groups::new(names, of_row).unwrap(),
            Array1::from(weights),
        )
    }

    /// On random tables (with empty levels, and refitted in place), every constraint, both kinds
    /// of rules and several objectives and tolerances give the rules of the row-by-row fit.
    #[test]
    fn level_fits_equal_row_fits() {
        let mut rng = StdRng::seed_from_u64(14);
        let objectives = [
            Objective::Accuracy,
            Objective::BalancedAccuracy,
            Objective::Cost {
                false_positive: 1.0,
                false_negative: 1.0,
            },
            Objective::Cost {
                false_positive: 1.0,
                false_negative: 0.3,
            },
        ];
        let mut compared = 0;
        for constraint in [
            Constraint::DemographicParity,
            Constraint::EqualOpportunity,
            Constraint::EqualizedOdds,
        ] {
            for randomization in [Randomization::Allowed, Randomization::Forbidden] {
                for tolerance in [0.0, 0.05, 1.0] {
                    for objective in objectives {
                        let params = ThresholdOptimizer::params()
                            .constraint(constraint)
                            .randomization(randomization)
                            .tolerance(tolerance)
                            .objective(objective)
                            .check()
                            .unwrap();
                        let groups = 2 + rng.gen_range(0..2);
                        let names = (0..groups).map(|g| format!("g{g}")).collect();
                        let mut fitter = params.level_fitter(names).unwrap();
                        let scores = vec![0.0, 1.0, 2.0, 3.5, 4.0, 6.0, 7.0];
                        let mut levels = ScoreLevels::new(scores, groups).unwrap();
                        for _ in 0..8 {
                            for g in 0..groups {
                                for l in 0..7 {
                                    let mut w = || {
                                        if rng.gen_bool(0.2) {
                                            0.0
                                        } else {
                                            rng.gen_range(0.0..1.0)
                                        }
                                    };
                                    let (p, n) = (w(), w());
                                    levels.set(g, l, p, n).unwrap();
                                }
                            }
                            let (s, y, gr, w) = rows(&levels);
                            let expected = params.fit(s.view(), &y, &gr, Some(w.view()));
                            match (fitter.fit(&levels), expected) {
                                (Ok(rules), Ok(fitted)) => {
                                    assert_eq!(rules, fitted.rules(), "{params:?}");
                                    compared += 1;
                                }
                                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                                (a, b) => panic!("{params:?}: {a:?} against {b:?}"),
                            }
                        }
                    }
                }
            }
        }
        assert!(compared > 500, "only {compared} fits compared");
    }

    #[test]
    fn invalid_levels_and_weights_are_refused() {
        let err = |r: Result<ScoreLevels>| r.unwrap_err().to_string();
        assert!(err(ScoreLevels::new(vec![], 2)).contains("no score level"));
        assert!(err(ScoreLevels::new(vec![1.0, 1.0], 2)).contains("strictly increasing"));
        assert!(err(ScoreLevels::new(vec![f64::NAN], 2)).contains("NaN"));
        assert!(err(ScoreLevels::new(vec![0.0], 0)).contains("no group"));
        let mut levels = ScoreLevels::new(vec![0.0, 1.0], 2).unwrap();
        assert!(levels.set(2, 0, 1.0, 1.0).is_err());
        assert!(levels.set(0, 2, 1.0, 1.0).is_err());
        assert!(matches!(
            levels.set(0, 1, -1.0, 1.0),
            Err(PostprocessError::NegativeWeight { .. })
        ));
        assert!(levels.add(0, 1, true, f64::INFINITY).is_err());
        assert_eq!(levels.weights(0, 1).unwrap(), (0.0, 0.0));
        let params = ThresholdOptimizer::params().check().unwrap();
        assert!(matches!(
            params.level_fitter(vec!["a".into()]),
            Err(PostprocessError::SingleGroup { .. })
        ));
        let mut fitter = params
            .level_fitter(vec!["a".into(), "b".into(), "c".into()])
            .unwrap();
        assert!(matches!(
            fitter.fit(&levels),
            Err(PostprocessError::LengthMismatch { .. })
        ));
    }
}
