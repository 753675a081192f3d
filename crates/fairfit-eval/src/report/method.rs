//! [`Method`]: the method that produced the reported model, checked against its trade-off point.

use serde::{Deserialize, Serialize};

use crate::curve::{Param, TradeoffCurve};
use crate::error::{EvalError, Result};

/// The method that produced the model, with its parameters (penalty weight λ, target ε, L2, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    /// The method's name, as on the trade-off curve (e.g. `dp-penalty`).
    pub name: String,
    /// Its numeric parameters, in the order given.
    pub params: Vec<Param>,
    /// A sentence on what the method does, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Method {
    /// A method without parameters.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            params: Vec::new(),
            description: None,
        }
    }

    /// Adds (or replaces) a parameter.
    pub fn param(mut self, name: impl Into<String>, value: f64) -> Self {
        Param::set(&mut self.params, name.into(), value);
        self
    }

    /// Adds a one-sentence description.
    pub fn describe(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// The method given must be the trade-off point's, and parameters both name must agree.
pub(super) fn check_method(method: &Method, curve: &TradeoffCurve, index: usize) -> Result<()> {
    let point = &curve.points()[index];
    if point.method() != method.name {
        return Err(EvalError::MethodMismatch {
            report: method.name.clone(),
            point: index,
            point_method: point.method().to_string(),
        });
    }
    for p in &method.params {
        if let Some(v) = point.param(&p.name) {
            if v != p.value {
                return Err(EvalError::ParamMismatch {
                    name: p.name.clone(),
                    report: p.value,
                    point: index,
                    on_point: v,
                });
            }
        }
    }
    Ok(())
}
