//! Separation: when an unregularised logistic loss has no finite minimiser.
//!
//! By Albert and Anderson (1984) the minimiser exists exactly when no direction `v ≠ 0` puts
//! every training row weakly on its label's side, `(2y_i − 1)(x_i·v_w + v_b) ≥ 0`, with at least
//! one row strictly: along such a `v` the loss keeps falling, so the coefficients grow without
//! bound and only the solver's tolerance decides where they stop. *Complete* separation (every
//! row strictly, by the fitted model itself) is checked directly. *Quasi-complete* separation
//! (some rows strictly, every other row on the boundary) shows at the solver's stopping point as
//! fitted probabilities within 10⁻³ of 0 or 1, and a Hessian that is nearly singular along
//! `v` (the saturated rows carry no curvature and the boundary rows are orthogonal to `v`); its
//! smallest-eigenvalue direction, found by inverse iteration in standardised coordinates, is then
//! checked against the definition above on every row.

use ndarray::Array1;

use crate::error::Result;
use crate::newton::newton_direction;
use crate::objective::Objective;
use crate::scaling::Scaling;

/// A signed margin above this is a fitted probability within 10⁻³ of the row's label: where the
/// solver stops under separation (its gradient tolerance bounds `e^{-margin}`), well before 10⁻⁶.
const SATURATED_MARGIN: f64 = 6.9;
/// Inverse-iteration steps: the gap between the near-zero eigenvalue and the next is many orders
/// of magnitude under separation, so a few steps resolve the direction.
const INVERSE_STEPS: usize = 6;
/// How far below zero a margin along the final direction may sit, relative to the largest
/// margin, and still count as on the boundary (rounding in the direction and the scores).
const BOUNDARY: f64 = 1e-7;
/// The same for the first, rough direction, which leans off the boundary by about e^(−margin).
const LOOSE_BOUNDARY: f64 = 1e-3;
/// How far out along the rough direction the Hessian is taken: every strictly separated row at
/// least this margin, where its probability rounds to its label and its curvature to 0.
const FAR_MARGIN: f64 = 1_000.0;
/// A margin above this fraction of the largest is strictly separated.
const STRICT: f64 = 1e-4;

/// Whether `theta` separates every training row of positive weight strictly: complete
/// separation.
pub(crate) fn completely_separates(objective: &Objective<'_>, theta: &Array1<f64>) -> Result<bool> {
    Ok(strictly_separated(&objective.signed_margins(theta)?))
}

/// Whether every signed margin is positive (complete separation at the point they were read).
pub(crate) fn strictly_separated(margins: &[f64]) -> bool {
    margins.iter().all(|&m| m > 0.0)
}

/// The number of training rows strictly separated by a direction that leaves every other row on
/// its boundary, when the solver's stopping point `theta` (with signed margins `at_theta`)
/// shows quasi-complete separation; `None` when it does not. Builds the dense Hessian: the
/// caller skips designs too wide for it.
pub(crate) fn quasi_separated_rows(
    objective: &Objective<'_>,
    scaling: &Scaling,
    theta: &Array1<f64>,
    at_theta: &[f64],
) -> Result<Option<usize>> {
    if !at_theta.iter().any(|&m| m > SATURATED_MARGIN) {
        return Ok(None);
    }
    // At the stopping point the saturated rows still carry a little curvature (about
    // e^(−margin)), so the nearly-null direction is only close to the separating one.
    let Some(rough) =
        nearly_null_direction(objective, scaling, theta, scaling.to_standardised(theta))?
    else {
        return Ok(None);
    };
    let (rough, margins) = match signed_direction(objective, scaling, &rough, LOOSE_BOUNDARY)? {
        Some(found) => found,
        None => return Ok(None),
    };
    // Far out along it the strictly separated rows carry no curvature at all (their
    // probabilities round to 0 or 1), and the Hessian there is singular along the separating
    // direction exactly: one more inverse iteration from there resolves it.
    let largest = margins.iter().fold(0.0f64, |a, &m| a.max(m));
    let smallest_strict = margins
        .iter()
        .filter(|&&m| m > STRICT * largest)
        .fold(f64::INFINITY, |a, &m| a.min(m));
    let far = theta + &(scaling.to_raw(&rough) * (FAR_MARGIN / smallest_strict));
    let Some(exact) = nearly_null_direction(objective, scaling, &far, rough)? else {
        return Ok(None);
    };
    Ok(signed_direction(objective, scaling, &exact, BOUNDARY)?
        .map(|(_, margins)| count_strict(&margins)))
}

/// Inverse iteration for the eigenvector of the smallest eigenvalue of the standardised Hessian
/// at `theta`, from `start` (standardised coordinates).
fn nearly_null_direction(
    objective: &Objective<'_>,
    scaling: &Scaling,
    theta: &Array1<f64>,
    start: Array1<f64>,
) -> Result<Option<Array1<f64>>> {
    let hessian = scaling.hessian(objective.hessian_at(theta)?);
    let mut v = unit(start);
    for _ in 0..INVERSE_STEPS {
        // newton_direction solves H x = −g: pass −v to get H⁻¹ v.
        match newton_direction(&hessian, &v.mapv(|x| -x)) {
            Some(next) if next.iter().all(|x| x.is_finite()) => v = unit(next),
            _ => return Ok(None),
        }
    }
    Ok(Some(v))
}

/// `v` or `−v` (standardised), whichever weakly separates the rows to within `boundary` of the
/// largest margin, with its margins; `None` when neither does.
fn signed_direction(
    objective: &Objective<'_>,
    scaling: &Scaling,
    v: &Array1<f64>,
    boundary: f64,
) -> Result<Option<(Array1<f64>, Vec<f64>)>> {
    let margins = objective.signed_margins(&scaling.to_raw(v))?;
    if weakly_separates(&margins, boundary) {
        return Ok(Some((v.clone(), margins)));
    }
    let flipped: Vec<f64> = margins.iter().map(|m| -m).collect();
    Ok(weakly_separates(&flipped, boundary).then(|| (v.mapv(|x| -x), flipped)))
}

/// Whether no margin is below zero by more than `boundary` times the largest, and some margin
/// is strictly positive.
fn weakly_separates(margins: &[f64], boundary: f64) -> bool {
    let largest = margins.iter().fold(0.0f64, |a, &m| a.max(m.abs()));
    largest > 0.0
        && largest.is_finite()
        && margins.iter().all(|&m| m >= -boundary * largest)
        && count_strict(margins) > 0
}

/// Margins above [`STRICT`] times the largest.
fn count_strict(margins: &[f64]) -> usize {
    let largest = margins.iter().fold(0.0f64, |a, &m| a.max(m));
    margins.iter().filter(|&&m| m > STRICT * largest).count()
}

fn unit(v: Array1<f64>) -> Array1<f64> {
    let norm = v.dot(&v).sqrt();
    if norm > 0.0 && norm.is_finite() {
        v / norm
    } else {
        v
    }
}
