//! The 2-D hypervolume of a curve against a [`Reference`] corner.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::front_of;
use crate::curve::{Axis, TradeoffCurve};
use crate::error::{EvalError, Result};

/// The corner a hypervolume is measured from: a point worse than every point of the curve on
/// both axes (in the axes' own units, `x` first).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// Value on the first axis.
    pub x: f64,
    /// Value on the second axis.
    pub y: f64,
}

impl Reference {
    /// A reference point from its two coordinates.
    pub fn new(x: f64, y: f64) -> Self {
        Self { x, y }
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.x, self.y)
    }
}

/// The area dominated by the curve's points and bounded by `reference` (2-D hypervolume);
/// larger is better. Every point must be at least as good as the reference on both axes,
/// otherwise [`EvalError::ReferenceNotDominated`] names the first point that is not.
pub fn hypervolume(curve: &TradeoffCurve, x: &Axis, y: &Axis, reference: Reference) -> Result<f64> {
    let coords = curve.coordinates(x, y)?;
    hypervolume_of(curve, &coords, x, y, reference)
}

pub(super) fn hypervolume_of(
    curve: &TradeoffCurve,
    coords: &[(f64, f64)],
    x: &Axis,
    y: &Axis,
    reference: Reference,
) -> Result<f64> {
    if !reference.x.is_finite() || !reference.y.is_finite() {
        return Err(EvalError::InvalidParameter {
            name: "reference",
            reason: format!("reference point {reference} must be finite"),
        });
    }
    let (rx, ry) = (x.oriented(reference.x), y.oriented(reference.y));
    if let Some(i) = coords
        .iter()
        .position(|&(a, b)| x.oriented(a) < rx || y.oriented(b) < ry)
    {
        return Err(EvalError::ReferenceNotDominated {
            ref_x: reference.x,
            ref_y: reference.y,
            method: curve.points()[i].method().to_string(),
            point: i,
            x: coords[i].0,
            y: coords[i].1,
        });
    }
    // Front in decreasing oriented x (hence increasing oriented y): horizontal strips.
    let mut front: Vec<(f64, f64)> = front_of(coords, x, y)
        .into_iter()
        .map(|i| (x.oriented(coords[i].0), y.oriented(coords[i].1)))
        .collect();
    front.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.total_cmp(&b.1)));
    let mut area = 0.0;
    let mut floor = ry;
    for (px, py) in front {
        if py > floor {
            area += (px - rx) * (py - floor);
            floor = py;
        }
    }
    Ok(area)
}
