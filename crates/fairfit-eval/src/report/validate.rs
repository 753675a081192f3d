//! Checks a [`FairnessReport`] read from a file: every number finite and in its range, every
//! interval well formed, every index inside what it indexes, so a hand-edited or corrupted
//! report is a typed error on load, not a wrong table later.

use super::{Cell, FairnessReport, TradeoffPosition};
use crate::error::{EvalError, Result};

fn invalid(part: impl Into<String>, reason: impl Into<String>) -> EvalError {
    EvalError::InvalidReport {
        part: part.into(),
        reason: reason.into(),
    }
}

impl Cell {
    /// A value or a reason (not both, not neither), a finite value, a well-formed interval.
    fn check(&self, part: &str) -> Result<()> {
        match (self.value, &self.undefined) {
            (Some(v), None) if !v.is_finite() => Err(invalid(part, format!("value {v}"))),
            (Some(_), None) | (None, Some(_)) => Ok(()),
            (Some(_), Some(_)) => Err(invalid(part, "both a value and a reason it is undefined")),
            (None, None) => Err(invalid(
                part,
                "neither a value nor a reason it is undefined",
            )),
        }?;
        match (&self.interval, self.value) {
            (Some(_), None) => Err(invalid(part, "an interval around an undefined value")),
            (Some(i), Some(_)) => match i.problem() {
                Some(reason) => Err(invalid(part, reason)),
                None => Ok(()),
            },
            (None, _) => Ok(()),
        }
    }
}

impl TradeoffPosition {
    fn check(&self) -> Result<()> {
        let part = "trade-off position";
        let point = |what: &str, i: usize| {
            if i < self.points {
                Ok(())
            } else {
                Err(invalid(
                    part,
                    format!("{what} {i} is not among the curve's {} points", self.points),
                ))
            }
        };
        point("the model's point", self.index)?;
        for &i in self.front.iter().chain(&self.dominated_by) {
            point("point", i)?;
        }
        if !(1..=self.layers).contains(&self.pareto_layer) {
            return Err(invalid(
                part,
                format!("layer {} of {}", self.pareto_layer, self.layers),
            ));
        }
        for (name, rank) in [
            ("performance", self.performance_rank),
            ("gap", self.gap_rank),
        ] {
            if !(1..=self.points).contains(&rank) {
                return Err(invalid(
                    part,
                    format!("{name} rank {rank} of {}", self.points),
                ));
            }
        }
        for (name, value) in [
            ("performance", self.performance_value.value),
            ("gap", self.gap_value.value),
        ] {
            if !value.is_finite() {
                return Err(invalid(part, format!("{name} value {value}")));
            }
        }
        Ok(())
    }
}

impl FairnessReport {
    /// Checks the report's parts against each other (see the module documentation).
    pub(super) fn validate(&self) -> Result<()> {
        let e = &self.evaluation;
        if !(e.level > 0.0 && e.level < 1.0) {
            return Err(invalid(
                "evaluation",
                format!("level {} is not in (0, 1)", e.level),
            ));
        }
        if e.groups.is_empty() {
            return Err(invalid("evaluation", "no groups"));
        }
        for (i, g) in e.groups.iter().enumerate() {
            if e.groups[..i].contains(g) {
                return Err(invalid(
                    "evaluation",
                    format!("group `{g}` is listed twice"),
                ));
            }
        }
        for row in &e.metrics {
            let part = |what: &str| format!("evaluation, metric {}, {what}", row.metric);
            if row.groups.len() != e.groups.len() {
                return Err(invalid(
                    part("groups"),
                    format!("{} cells for {} groups", row.groups.len(), e.groups.len()),
                ));
            }
            row.overall.check(&part("overall"))?;
            row.difference.check(&part("difference"))?;
            row.ratio.check(&part("ratio"))?;
            for (cell, group) in row.groups.iter().zip(&e.groups) {
                cell.check(&part(&format!("group {group}")))?;
            }
        }
        for d in &self.disparities {
            d.estimate.check(&format!("disparity {}", d.name))?;
        }
        let audit = &self.data;
        for g in &audit.groups {
            let part = format!("data audit, group {}", g.group);
            if g.positives > g.rows {
                return Err(invalid(
                    part,
                    format!("{} positives in {} rows", g.positives, g.rows),
                ));
            }
            for (name, value) in [("share", g.share), ("base rate", g.base_rate)] {
                if !(0.0..=1.0).contains(&value) {
                    return Err(invalid(part, format!("{name} {value} is not in [0, 1]")));
                }
            }
        }
        if let Some(position) = &self.tradeoff {
            position.check()?;
        }
        Ok(())
    }
}
