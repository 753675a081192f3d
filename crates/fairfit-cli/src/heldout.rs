//! What a pipeline's hard decisions do on held-out rows: the gap of each notion (decisions, not
//! probabilities) and whether the decisions are a constant rule or otherwise degenerate.

use fairfit_data::fairness::{DecisionProfile, GroupCells, Notion};
use fairfit_data::FairDataset;
use fairfit_eval::metrics::{notion_disparity, Outcomes};
use serde::{Deserialize, Serialize};

use crate::error::Result;

/// One notion's gap on the decisions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gap {
    /// The notion's column, e.g. `dp_difference`.
    pub notion: String,
    /// Its value on the hard decisions (`None` when a group lacks the rows it needs).
    pub value: Option<f64>,
    /// Why it is undefined, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// Gaps and the decision profile of decisions on labelled rows.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HeldOut {
    /// Rows the decisions were made on.
    pub rows: usize,
    /// Accuracy of the decisions (weighted when the rows are).
    pub accuracy: f64,
    /// Every notion asked for.
    pub gaps: Vec<Gap>,
    /// How decisions are spread over groups, against the majority-class rule.
    pub decisions: DecisionProfile,
    /// `constant rule: ...` when every row is decided alike, or a note when the decisions are
    /// otherwise degenerate (constant within a group, or no better than the majority class).
    pub verdict: String,
}

impl HeldOut {
    /// Reads decisions (`decisions[i]` in {0, 1}, or a probability of the favourable decision
    /// for a randomised rule, counted at its expectation) on `data`'s rows.
    pub fn of(data: &FairDataset, decisions: &[f64], notions: &[Notion]) -> Result<Self> {
        let labels = data.labels()?;
        let hard: Vec<bool> = decisions.iter().map(|&d| d >= 0.5).collect();
        let weights = data.weights().map(|w| w.to_vec());
        let outcomes = Outcomes::classification(&labels, &hard)?
            .with_scores(decisions)?
            .with_optional_weights(weights.as_deref())?;
        let gaps = notions
            .iter()
            .map(
                |notion| match notion_disparity(notion, &outcomes, data.groups()) {
                    Ok(d) => match d.strict() {
                        Ok(v) => Gap {
                            notion: notion.column(),
                            value: Some(v),
                            undefined: None,
                        },
                        Err(e) => Gap {
                            notion: notion.column(),
                            value: None,
                            undefined: Some(e.to_string()),
                        },
                    },
                    Err(e) => Gap {
                        notion: notion.column(),
                        value: None,
                        undefined: Some(e.to_string()),
                    },
                },
            )
            .collect();
        let cells = GroupCells::new(data.groups(), weights.as_deref())?;
        let y: Vec<f64> = labels.iter().map(|&l| f64::from(u8::from(l))).collect();
        let profile = DecisionProfile::new(&cells, |i| (y[i], decisions[i]));
        let verdict = if profile.constant().is_some() {
            format!("{profile} (it meets parity notions trivially: not a fair model)")
        } else if profile.is_degenerate() {
            format!("degenerate decisions: {profile}")
        } else {
            "informative decisions (not constant, more accurate than the majority-class rule)"
                .to_string()
        };
        Ok(Self {
            rows: data.nrows(),
            accuracy: profile.accuracy,
            gaps,
            decisions: profile,
            verdict,
        })
    }

    /// Whether the decisions are one constant for everyone.
    pub fn is_constant_rule(&self) -> bool {
        self.decisions.constant().is_some()
    }

    /// Plain-text lines for a terminal.
    pub fn lines(&self, what: &str) -> Vec<String> {
        let mut lines = vec![format!(
            "{what}: {} rows, accuracy {:.4} (majority-class rule {:.4})",
            self.rows, self.accuracy, self.decisions.majority_accuracy
        )];
        for gap in &self.gaps {
            lines.push(match (gap.value, &gap.undefined) {
                (Some(v), _) => format!("  {:<28} {v:.4}  (hard decisions)", gap.notion),
                (None, Some(why)) => format!("  {:<28} undefined: {why}", gap.notion),
                (None, None) => format!("  {:<28} undefined", gap.notion),
            });
        }
        for (group, rate) in self
            .decisions
            .groups
            .iter()
            .zip(&self.decisions.positive_rate)
        {
            let rate = rate.map_or("no rows".to_string(), |r| format!("{r:.4}"));
            lines.push(format!("  favourable decisions in {group:<14} {rate}"));
        }
        lines.push(format!("  {}", self.verdict));
        lines
    }
}
