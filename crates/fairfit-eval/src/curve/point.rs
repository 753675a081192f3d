//! [`CurvePoint`]: one fitted model on the trade-off, with its parameters and named metrics.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Split;
use crate::error::{EvalError, Result};
use crate::estimate::Estimate;

/// One named metric of a point on one split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedEstimate {
    /// The metric's name, e.g. `accuracy` (see [`names`](crate::curve::names)).
    pub name: String,
    /// Its value and interval.
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// One numeric parameter of a method, e.g. `lambda = 0.1`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The parameter's name.
    pub name: String,
    /// Its value.
    pub value: f64,
}

impl Param {
    /// Sets parameter `name` of `params` to `value`: replaces its value when the list has it,
    /// appends it otherwise (so parameters keep the order they were first given in).
    pub(crate) fn set(params: &mut Vec<Param>, name: String, value: f64) {
        match params.iter_mut().find(|p| p.name == name) {
            Some(p) => p.value = value,
            None => params.push(Param { name, value }),
        }
    }
}

/// One fitted model on the trade-off: method, parameters, metrics per split, fit time.
///
/// Built with `with_*` methods; checked (finite numbers, ordered intervals, usable names) when it
/// enters a [`TradeoffCurve`](crate::curve::TradeoffCurve). Metrics keep the order they were added in; adding a metric twice
/// on one split replaces the first value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CurvePoint {
    pub(super) method: String,
    params: Vec<Param>,
    train: Vec<NamedEstimate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    validation: Vec<NamedEstimate>,
    test: Vec<NamedEstimate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fit_seconds: Option<f64>,
}

impl CurvePoint {
    /// A point of `method` without parameters or metrics yet.
    pub fn new(method: impl Into<String>) -> Self {
        Self {
            method: method.into(),
            params: Vec::new(),
            train: Vec::new(),
            validation: Vec::new(),
            test: Vec::new(),
            fit_seconds: None,
        }
    }

    /// Adds (or replaces) a parameter, e.g. `("lambda", 0.1)`.
    pub fn with_param(mut self, name: impl Into<String>, value: f64) -> Self {
        Param::set(&mut self.params, name.into(), value);
        self
    }

    /// Adds (or replaces) a metric on a split; `estimate` is a plain `f64` or an [`Estimate`].
    pub fn with_metric(
        mut self,
        split: Split,
        name: impl Into<String>,
        estimate: impl Into<Estimate>,
    ) -> Self {
        let name = name.into();
        let estimate = estimate.into();
        let metrics = self.metrics_mut(split);
        match metrics.iter_mut().find(|m| m.name == name) {
            Some(m) => m.estimate = estimate,
            None => metrics.push(NamedEstimate { name, estimate }),
        }
        self
    }

    /// Removes every metric of a split (e.g. to put metrics computed elsewhere in their place).
    pub fn without_metrics(mut self, split: Split) -> Self {
        self.metrics_mut(split).clear();
        self
    }

    /// Sets the wall time the fit took.
    pub fn with_fit_time(mut self, time: Duration) -> Self {
        self.fit_seconds = Some(time.as_secs_f64());
        self
    }

    /// Sets the fit time in seconds (as read back from a file).
    pub fn with_fit_seconds(mut self, seconds: f64) -> Self {
        self.fit_seconds = Some(seconds);
        self
    }

    /// The method's name.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The parameters, in the order they were added.
    pub fn params(&self) -> &[Param] {
        &self.params
    }

    /// The value of one parameter.
    pub fn param(&self, name: &str) -> Option<f64> {
        self.params.iter().find(|p| p.name == name).map(|p| p.value)
    }

    /// The metrics on one split, in the order they were added (empty when the split was not
    /// evaluated).
    pub fn metrics(&self, split: Split) -> &[NamedEstimate] {
        match split {
            Split::Train => &self.train,
            Split::Validation => &self.validation,
            Split::Test => &self.test,
        }
    }

    /// One metric on one split.
    pub fn metric(&self, split: Split, name: &str) -> Option<&Estimate> {
        self.metrics(split)
            .iter()
            .find(|m| m.name == name)
            .map(|m| &m.estimate)
    }

    /// The fit time in seconds, when recorded.
    pub fn fit_seconds(&self) -> Option<f64> {
        self.fit_seconds
    }

    /// A short readable description of the parameters, e.g. `lambda=0.1`; empty without any.
    pub(crate) fn param_label(&self) -> String {
        self.params
            .iter()
            .map(|p| format!("{}={}", p.name, p.value))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn metrics_mut(&mut self, split: Split) -> &mut Vec<NamedEstimate> {
        match split {
            Split::Train => &mut self.train,
            Split::Validation => &mut self.validation,
            Split::Test => &mut self.test,
        }
    }

    /// Checks names, finiteness and intervals; `index` is the point's position for messages.
    pub(super) fn validate(&self, index: usize) -> Result<()> {
        check_name(&self.method, false)?;
        let non_finite = |what: String, value: f64| EvalError::NonFinitePoint {
            method: self.method.clone(),
            point: index,
            what,
            value,
        };
        for p in &self.params {
            check_name(&p.name, true)?;
            if !p.value.is_finite() {
                return Err(non_finite(format!("parameter {}", p.name), p.value));
            }
        }
        if let Some(t) = self.fit_seconds {
            if !t.is_finite() || t < 0.0 {
                return Err(non_finite("fit time".into(), t));
            }
        }
        for split in Split::ALL {
            for m in self.metrics(split) {
                check_name(&m.name, true)?;
                let what = format!("{split} {}", m.name);
                let e = m.estimate;
                if !e.value.is_finite() {
                    return Err(non_finite(what, e.value));
                }
                if let Some(interval) = e.interval {
                    if let Some(reason) = interval.problem() {
                        return Err(EvalError::InvalidInterval {
                            method: self.method.clone(),
                            point: index,
                            what,
                            interval,
                            reason,
                        });
                    }
                }
            }
        }
        Ok(())
    }
}

/// Names must be non-empty and printable on one line; parameter and metric names also must not
/// contain `.`, which separates the parts of a CSV header (`test.accuracy.lower`).
fn check_name(name: &str, no_dot: bool) -> Result<()> {
    let reason = if name.trim().is_empty() {
        Some("names must not be empty")
    } else if name.trim() != name || name.contains(['\n', '\r']) {
        Some("names must not start or end with white space or contain line breaks")
    } else if no_dot && name.contains('.') {
        Some("parameter and metric names must not contain `.` (it separates CSV header parts)")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(EvalError::InvalidName {
            name: name.to_string(),
            reason,
        }),
        None => Ok(()),
    }
}
