//! [`Cutoff`] and [`ThresholdRule`]: how one group's scores become (possibly randomised) decisions.

use serde::{Deserialize, Serialize};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThresholdRule {
    components: Vec<Component>,
}

impl ThresholdRule {
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
        let mut components: Vec<Component> = Vec::new();
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
        for c in &mut components {
            c.probability /= total;
        }
        if components.len() == 1 {
            components[0].probability = 1.0;
        }
        Self { components }
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
}
