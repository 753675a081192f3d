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
//!
//! Up to [`Solver::NEWTON_MAX_DIM`](crate::Solver::NEWTON_MAX_DIM) parameters the Hessian is built dense and each inverse step
//! is a Cholesky solve. Wider designs (one-hot columns of high-cardinality categoricals, where
//! a level whose rows all share a label is exactly such a direction) never form it: each step
//! is a conjugate-gradient solve on Hessian-vector products, one pass over the rows each, and
//! the final direction is the rough one projected onto the Hessian's null space far out along
//! it (CG from zero on the consistent system `H y = H v` converges to the projection of `v` on
//! the Hessian's range, so `v − y` is the null-space part). In both, every direction is first
//! stripped of its part in the design's own null space (collinear columns, such as a full
//! one-hot block beside the intercept): it is null for the Hessian too, but moves no margin.

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
/// Conjugate-gradient steps per solve on wide designs (each one pass over the rows).
const CG_STEPS: usize = 500;
/// Residual, relative to the right-hand side, at which a conjugate-gradient solve stops.
const CG_TOLERANCE: f64 = 1e-12;

/// How the Hessian's curvature is read: a dense matrix, or products with vectors only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curvature {
    /// The `dim × dim` Hessian, factored by Cholesky.
    Dense,
    /// Hessian-vector products (one pass each), solved by conjugate gradients.
    Products,
}

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
/// shows quasi-complete separation; `None` when it does not. The curvature is read as
/// `curvature` says (the solver chooses it by width, as it chooses Newton's method).
pub(crate) fn quasi_separated_rows(
    objective: &Objective<'_>,
    scaling: &Scaling,
    theta: &Array1<f64>,
    at_theta: &[f64],
    curvature: Curvature,
) -> Result<Option<usize>> {
    if !at_theta.iter().any(|&m| m > SATURATED_MARGIN) {
        return Ok(None);
    }
    // At the stopping point the saturated rows still carry a little curvature (about
    // e^(−margin)), so the nearly-null direction is only close to the separating one.
    let start = scaling.to_standardised(theta);
    let Some(rough) = nearly_null_direction(objective, scaling, theta, start, curvature)? else {
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
    let exact = match curvature {
        Curvature::Dense => {
            match nearly_null_direction(objective, scaling, &far, rough, curvature)? {
                Some(exact) => exact,
                None => return Ok(None),
            }
        }
        Curvature::Products => {
            let range_part = conjugate_gradient(
                |p| standardised_product(objective, scaling, &far, p),
                &standardised_product(objective, scaling, &far, &rough)?,
            )?;
            unit(moving_part(objective, scaling, &(&rough - &range_part))?)
        }
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
    curvature: Curvature,
) -> Result<Option<Array1<f64>>> {
    let mut v = unit(start);
    match curvature {
        Curvature::Dense => {
            let hessian = scaling.hessian(objective.hessian_at(theta)?);
            for _ in 0..INVERSE_STEPS {
                // newton_direction solves H x = −g: pass −v to get H⁻¹ v.
                match newton_direction(&hessian, &v.mapv(|x| -x)) {
                    Some(next) if next.iter().all(|x| x.is_finite()) => {
                        v = unit(moving_part(objective, scaling, &next)?)
                    }
                    _ => return Ok(None),
                }
            }
        }
        Curvature::Products => {
            for _ in 0..INVERSE_STEPS {
                let next =
                    conjugate_gradient(|p| standardised_product(objective, scaling, theta, p), &v)?;
                if !next.iter().all(|x| x.is_finite()) {
                    return Ok(None);
                }
                v = unit(moving_part(objective, scaling, &next)?);
                if v.iter().all(|&x| x == 0.0) {
                    return Ok(None);
                }
            }
        }
    }
    Ok(Some(v))
}

/// The part of a standardised direction that moves some row's score: `v` without its
/// component in the design's null space (collinear columns, such as a full one-hot block beside
/// the intercept), which the Hessian cannot tell from a separating direction since it changes
/// no margin. CG from zero on `G y = G v` with the standardised Gram matrix `G` converges to
/// the projection of `v` on `G`'s range.
fn moving_part(
    objective: &Objective<'_>,
    scaling: &Scaling,
    v: &Array1<f64>,
) -> Result<Array1<f64>> {
    let gram = |p: &Array1<f64>| -> Result<Array1<f64>> {
        Ok(scaling.gradient(&objective.gram_times(&scaling.to_raw(p))?))
    };
    conjugate_gradient(gram, &gram(v)?)
}

/// `Aᵀ H A p`: the standardised Hessian of the loss at `theta` times `p`, in one pass.
fn standardised_product(
    objective: &Objective<'_>,
    scaling: &Scaling,
    theta: &Array1<f64>,
    p: &Array1<f64>,
) -> Result<Array1<f64>> {
    let raw = objective.loss_hessian_times(theta, &scaling.to_raw(p))?;
    Ok(scaling.gradient(&raw))
}

/// Conjugate gradients for `H x = rhs` from `x = 0`, `H` positive semi-definite given by its
/// products: at most [`CG_STEPS`] steps, stopping at a residual of [`CG_TOLERANCE`] times the
/// right-hand side's or where `H` shows no positive curvature along the search direction.
fn conjugate_gradient(
    apply: impl Fn(&Array1<f64>) -> Result<Array1<f64>>,
    rhs: &Array1<f64>,
) -> Result<Array1<f64>> {
    let mut x = Array1::zeros(rhs.len());
    let mut r = rhs.clone();
    let mut p = r.clone();
    let mut rr = r.dot(&r);
    let enough = rr * CG_TOLERANCE * CG_TOLERANCE;
    for _ in 0..CG_STEPS {
        if rr <= enough {
            break;
        }
        let hp = apply(&p)?;
        let curvature = p.dot(&hp);
        if !(curvature > 0.0 && curvature.is_finite()) {
            break;
        }
        let alpha = rr / curvature;
        x.scaled_add(alpha, &p);
        r.scaled_add(-alpha, &hp);
        let next = r.dot(&r);
        p = &r + &(p * (next / rr));
        rr = next;
    }
    Ok(x)
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
