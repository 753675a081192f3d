//! [`Cutoff`] and [`ThresholdRule`]: how one group's scores become (possibly randomised) decisions.

use serde::{Deserialize, Serialize};

use super::error::{PostprocessError, Result};

/// A deterministic decision rule on a score: select nobody, everybody, or the rows scoring at least
/// a threshold. Kept as an enum (not ±∞ thresholds) so that it round-trips through JSON.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Cutoff {
    /// Select no row.
    SelectNone,
    /// Select the rows whose score is at least this finite threshold.
    AtLeast(f64),
    /// Select every row.
    SelectAll,
}

impl Cutoff {
    /// Whether a row with this score is selected.
    pub fn selects(&self, score: f64) -> bool {
        match *self {
            Cutoff::SelectNone => false,
            Cutoff::AtLeast(t) => score >= t,
            Cutoff::SelectAll => true,
        }
    }
}

/// One cut-off of a randomised rule and the probability with which it is applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The deterministic rule.
    pub cutoff: Cutoff,
    /// The probability of applying it, in (0, 1].
    pub probability: f64,
}

/// A group's decision rule: a mixture of cut-offs. A row with score `s` is selected with
/// probability `Σ probability_j · [cutoff_j selects s]`, so the rule's operating point is the same
/// mixture of the cut-offs' operating points (Hardt et al. 2016). One component = deterministic.
///
/// ```
/// use fairfit::train::postprocess::{Cutoff, ThresholdRule};
/// let rule = ThresholdRule::deterministic(Cutoff::AtLeast(0.5));
/// assert_eq!(rule.probability(0.7), 1.0);
/// assert_eq!(rule.probability(0.2), 0.0);
/// assert!(rule.is_deterministic());
/// ```
///
/// Loaded from JSON it is checked by [`ThresholdRule::new`] (unknown fields are refused), so a
/// saved probability outside [0, 1] cannot turn into a decision "probability" outside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RuleFile")]
pub struct ThresholdRule {
    components: Vec<Component>,
}

/// A [`ThresholdRule`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    components: Vec<Component>,
}

impl TryFrom<RuleFile> for ThresholdRule {
    type Error = PostprocessError;

    fn try_from(file: RuleFile) -> Result<Self> {
        Self::new(file.components)
    }
}

/// How far the component probabilities may sum from 1 (rounding in the fitted mixture).
const PROBABILITY_SLACK: f64 = 1e-9;

impl ThresholdRule {
    /// A rule from its components: at least one, each probability in (0, 1], summing to 1 (up to
    /// 1e-9), each threshold finite.
    pub fn new(components: Vec<Component>) -> Result<Self> {
        let invalid = |reason: String| PostprocessError::InvalidParameter {
            name: "components",
            reason,
        };
        if components.is_empty() {
            return Err(invalid("a rule needs at least one cut-off".into()));
        }
        for (i, c) in components.iter().enumerate() {
            if !(c.probability > 0.0 && c.probability <= 1.0) {
                return Err(invalid(format!(
                    "component {i} has probability {}, outside (0, 1]",
                    c.probability
                )));
            }
            if let Cutoff::AtLeast(t) = c.cutoff {
                if !t.is_finite() {
                    return Err(invalid(format!("component {i} has threshold {t}")));
                }
            }
        }
        let total: f64 = components.iter().map(|c| c.probability).sum();
        if (total - 1.0).abs() > PROBABILITY_SLACK {
            return Err(invalid(format!(
                "the component probabilities sum to {total}, not 1"
            )));
        }
        Ok(Self { components })
    }

    /// A rule that always applies one cut-off.
    pub fn deterministic(cutoff: Cutoff) -> Self {
        Self {
            components: vec![Component {
                cutoff,
                probability: 1.0,
            }],
        }
    }

    /// A mixture of cut-offs with the given weights (non-negative, summing to one up to
    /// rounding); components with zero weight are dropped and equal cut-offs merged.
    pub(crate) fn mixture(parts: impl IntoIterator<Item = (Cutoff, f64)>) -> Self {
        let mut rule = Self {
            components: Vec::new(),
        };
        rule.refill_mixture(parts);
        rule
    }

    /// Makes this rule [`ThresholdRule::mixture`] of `parts`, reusing its buffer.
    pub(crate) fn refill_mixture(&mut self, parts: impl IntoIterator<Item = (Cutoff, f64)>) {
        let components = &mut self.components;
        components.clear();
        for (cutoff, probability) in parts {
            if probability <= 0.0 {
                continue;
            }
            match components.iter_mut().find(|c| c.cutoff == cutoff) {
                Some(c) => c.probability += probability,
                None => components.push(Component {
                    cutoff,
                    probability,
                }),
            }
        }
        let total: f64 = components.iter().map(|c| c.probability).sum();
        for c in components.iter_mut() {
            c.probability /= total;
        }
        if components.len() == 1 {
            components[0].probability = 1.0;
        }
    }

    /// The cut-offs and their probabilities.
    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// Whether the rule applies a single cut-off (no randomisation).
    pub fn is_deterministic(&self) -> bool {
        self.components.len() == 1
    }

    /// The probability that a row with this score is selected.
    pub fn probability(&self, score: f64) -> f64 {
        let p = self
            .components
            .iter()
            .filter(|c| c.cutoff.selects(score))
            .fold(0.0, |p, c| p + c.probability);
        p.min(1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixture_merges_drops_and_normalises() {
        let rule = ThresholdRule::mixture([
            (Cutoff::AtLeast(0.3), 0.25),
            (Cutoff::AtLeast(0.7), 0.5),
            (Cutoff::AtLeast(0.3), 0.25),
            (Cutoff::SelectAll, 0.0),
        ]);
        assert_eq!(rule.components().len(), 2);
        assert!(!rule.is_deterministic());
        assert_eq!(rule.probability(0.8), 1.0);
        assert_eq!(rule.probability(0.5), 0.5);
        assert_eq!(rule.probability(0.1), 0.0);
        let single = ThresholdRule::mixture([(Cutoff::SelectNone, 0.5), (Cutoff::SelectNone, 0.5)]);
        assert!(single.is_deterministic());
        assert_eq!(single.probability(1e9), 0.0);
    }

    /// Issue 13: a saved probability of −5 gave decision "probabilities" of −4.08.
    #[test]
    fn saved_rules_are_checked_on_load() {
        let good =
            ThresholdRule::mixture([(Cutoff::AtLeast(0.3), 0.25), (Cutoff::SelectAll, 0.75)]);
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<ThresholdRule>(&json).unwrap(), good);
        let cases = [
            (
                r#"{"components":[{"cutoff":{"AtLeast":0.5},"probability":-5.0}]}"#,
                "probability -5",
            ),
            (
                r#"{"components":[{"cutoff":"SelectAll","probability":1.5}]}"#,
                "outside (0, 1]",
            ),
            (
                r#"{"components":[{"cutoff":"SelectAll","probability":0.5}]}"#,
                "sum to 0.5",
            ),
            (r#"{"components":[]}"#, "at least one cut-off"),
            (
                r#"{"components":[{"cutoff":"SelectAll","probability":1.0,"weight":1}]}"#,
                "unknown field `weight`",
            ),
            (r#"{"components":[],"seed":1}"#, "unknown field `seed`"),
        ];
        for (json, expected) in cases {
            let err = serde_json::from_str::<ThresholdRule>(json)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{json}: {err}");
        }
    }
}
