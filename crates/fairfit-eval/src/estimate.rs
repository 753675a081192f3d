//! [`Estimate`] and [`Interval`]: a measured value with its confidence interval — the one pair
//! used by the bootstrap, metric frames, trade-off curves, sweeps and reports.
//!
//! An [`Estimate`] is generic over its value: `Estimate<f64>` (the default) is a number, as on a
//! trade-off curve; `Estimate<Value>` is a frame entry, which may be undefined (a group without
//! positives has no TPR) and says why. [`Estimate::defined`] turns the second into the first.
//!
//! ```
//! use fairfit::eval::{Estimate, Interval};
//! let acc = Estimate::with_interval(0.85, Interval::new(0.84, 0.86, 0.95));
//! assert!(acc.interval.unwrap().contains(acc.value));
//! assert_eq!(serde_json::to_string(&acc)?,
//!     r#"{"value":0.85,"interval":{"lower":0.84,"upper":0.86,"level":0.95}}"#);
//! let plain: Estimate = 0.7.into();
//! assert!(plain.interval.is_none());
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// How many bootstrap replicates an interval was computed from, and how many were left out
/// because the quantity was undefined in them (e.g. a group drew no positives).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replicates {
    /// Replicates in which the quantity was defined (the interval is computed from these).
    pub defined: usize,
    /// Replicates in which the quantity was undefined (left out).
    pub undefined: usize,
}

impl Replicates {
    /// All replicates drawn: `defined + undefined`.
    pub fn total(&self) -> usize {
        self.defined + self.undefined
    }
}

/// A confidence interval `[lower, upper]` at level `1 − α`, e.g. a bootstrap percentile
/// interval ([`crate::bootstrap`]), which also records its [`Replicates`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end (for a percentile interval the `α/2` quantile of the replicates).
    pub lower: f64,
    /// Upper end (for a percentile interval the `1 − α/2` quantile of the replicates).
    pub upper: f64,
    /// The confidence level `1 − α`.
    pub level: f64,
    /// The bootstrap replicates behind the interval, when it came from a bootstrap in this run
    /// (not kept by the CSV form of curves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replicates: Option<Replicates>,
}

impl Interval {
    /// An interval from its ends and level (checked where it enters a curve: finite ends,
    /// `lower ≤ upper`, level in (0, 1)).
    pub fn new(lower: f64, upper: f64, level: f64) -> Self {
        Self {
            lower,
            upper,
            level,
            replicates: None,
        }
    }

    /// Whether `x` lies in `[lower, upper]`.
    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    /// `upper − lower`.
    pub fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// Why this is not a valid confidence interval, if it is not: an end that is not finite,
    /// `lower > upper`, or a level outside (0, 1).
    pub(crate) fn problem(&self) -> Option<&'static str> {
        if !(self.lower.is_finite() && self.upper.is_finite()) {
            Some("the ends must be finite")
        } else if self.lower > self.upper {
            Some("the lower end lies above the upper end")
        } else if !(self.level > 0.0 && self.level < 1.0) {
            Some("the level must be in (0, 1)")
        } else {
            None
        }
    }
}

/// A measured value with, when it was estimated, its confidence interval.
///
/// `V` is `f64` for a number (curves, sweeps, report positions) or
/// [`Value`](crate::metrics::Value) for an entry of a
/// [`crate::frame::MetricFrame`], which may be undefined.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate<V = f64> {
    /// The point estimate.
    pub value: V,
    /// The confidence interval, when one was computed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
}

impl<V> Estimate<V> {
    /// A point estimate without an interval.
    pub fn point(value: V) -> Self {
        Self {
            value,
            interval: None,
        }
    }

    /// An estimate with an interval.
    pub fn with_interval(value: V, interval: Interval) -> Self {
        Self {
            value,
            interval: Some(interval),
        }
    }
}

impl<E> Estimate<Result<f64, E>> {
    /// The estimate of a defined entry as a number, or why the entry is undefined (for a frame
    /// entry, an `Estimate<`[`Value`](crate::metrics::Value)`>`, the reason is an
    /// [`Undefined`](crate::metrics::Undefined)).
    pub fn defined(self) -> Result<Estimate, E> {
        Ok(Estimate {
            value: self.value?,
            interval: self.interval,
        })
    }
}

impl From<f64> for Estimate {
    fn from(value: f64) -> Self {
        Self::point(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{Undefined, Value};

    #[test]
    fn problems_are_named_and_valid_intervals_have_none() {
        assert_eq!(Interval::new(0.1, 0.2, 0.9).problem(), None);
        assert!(Interval::new(0.2, 0.1, 0.9).problem().is_some());
        assert!(Interval::new(f64::NAN, 0.1, 0.9).problem().is_some());
        for level in [0.0, 1.0, f64::NAN] {
            assert!(Interval::new(0.1, 0.2, level).problem().is_some());
        }
        let i = Interval::new(0.1, 0.3, 0.9);
        assert!(i.contains(0.1) && i.contains(0.3) && !i.contains(0.31));
        assert!((i.width() - 0.2).abs() < 1e-15);
    }

    #[test]
    fn undefined_entries_stay_undefined() {
        let u = Undefined { reason: "no rows" };
        let e: Estimate<Value> = Estimate::point(Err(u));
        assert_eq!(e.defined(), Err(u));
        let d: Estimate<Value> = Estimate::with_interval(Ok(0.5), Interval::new(0.4, 0.6, 0.9));
        assert_eq!(d.defined().unwrap().interval.unwrap().lower, 0.4);
    }

    #[test]
    fn json_keeps_replicates_only_when_known() {
        let mut i = Interval::new(0.1, 0.2, 0.9);
        assert!(!serde_json::to_string(&i).unwrap().contains("replicates"));
        i.replicates = Some(Replicates {
            defined: 9,
            undefined: 1,
        });
        let text = serde_json::to_string(&i).unwrap();
        assert!(
            text.contains(r#""replicates":{"defined":9,"undefined":1}"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<Interval>(&text).unwrap(), i);
    }
}
