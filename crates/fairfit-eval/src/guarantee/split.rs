//! The candidate-selection / safety split: the training rows cut once, seeded and stratified by
//! group × label, before anything is fitted, so the safety rows never inform the candidate.

use fairfit_data::split::train_test;
use fairfit_data::FairDataset;
use serde::{Deserialize, Serialize};

use super::error::Result;

/// The two parts of the training rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// The rows candidates are fitted and selected on.
    Candidate,
    /// The rows only the safety test reads.
    Safety,
}

impl std::fmt::Display for Part {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Part::Candidate => "candidate-selection",
            Part::Safety => "safety",
        })
    }
}

/// The training rows cut into a candidate-selection part and a safety part.
#[derive(Debug, Clone)]
pub struct SafetySplit {
    /// Rows for fitting and selecting candidates.
    pub candidate: FairDataset,
    /// Rows for the safety test only.
    pub safety: FairDataset,
}

impl SafetySplit {
    /// `data` cut with `safety_fraction` of each group × label stratum in the safety part
    /// (seeded; the same seed gives the same cut).
    pub fn new(data: &FairDataset, safety_fraction: f64, seed: u64) -> Result<Self> {
        let parts = train_test(data, safety_fraction, seed)?;
        Ok(Self {
            candidate: parts.train,
            safety: parts.test,
        })
    }

    /// The part named.
    pub fn part(&self, part: Part) -> &FairDataset {
        match part {
            Part::Candidate => &self.candidate,
            Part::Safety => &self.safety,
        }
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::synthetic::BiasedParams;

    use super::*;

    #[test]
    fn the_split_is_stratified_and_seeded() {
        let data = BiasedParams::new(1_000, 2)
            .label_bias("b", 0.5)
            .seed(3)
            .generate()
            .unwrap()
            .data;
        let split = SafetySplit::new(&data, 0.6, 7).unwrap();
        assert_eq!(split.candidate.nrows() + split.safety.nrows(), 1_000);
        assert_eq!(split.safety.nrows(), 600);
        let again = SafetySplit::new(&data, 0.6, 7).unwrap();
        assert_eq!(split.safety.records(), again.safety.records());
        // Each group × label stratum keeps its share to within a row.
        let count = |d: &FairDataset, g: usize, y: f64| {
            d.groups()
                .of_row()
                .iter()
                .zip(d.targets())
                .filter(|(&h, &t)| h == g && t == y)
                .count() as f64
        };
        for g in 0..2 {
            for y in [0.0, 1.0] {
                let all = count(&data, g, y);
                assert!((count(&split.safety, g, y) - 0.6 * all).abs() <= 1.0);
            }
        }
        assert!(SafetySplit::new(&data, 1.5, 7).is_err());
    }
}
