//! The inner solve of a [`TargetedFit`]: augmented-Lagrangian rounds on the smooth statistic,
//! with the targets' limits shifted by the offsets of the outer loop (see the parent module).

use fairfit_data::fairness::Statistic;
use fairfit_data::FairDataset;

use super::super::binding::sharpened;
use super::{Rounds, SoftSolve, TargetedFit, MAX_RHO};
use crate::error::{Result, TrainError};
use crate::lagrangian::{LagrangianTerm, TargetBound};
use crate::loss::ModelKind;
use crate::model::FittedModel;
use crate::objective::{penalty_terms, GroupFn, Objective, Term};
use crate::params::solve;
use crate::statistic::training_gaps;

impl<K: ModelKind> TargetedFit<K> {
    /// Augmented-Lagrangian rounds with the targets' smooth limits at `smooth` and rates on
    /// `σ(sharpness·s)`, from the carried parameters and multipliers.
    pub(super) fn soft_solve(
        &self,
        objective: &mut Objective<'_>,
        data: &FairDataset,
        rounds: &mut Rounds,
        shifts: &[Vec<f64>],
        margins: &[f64],
        sharpness: f64,
    ) -> Result<SoftSolve<K>> {
        let bounds: Vec<TargetBound> = self
            .targets
            .iter()
            .zip(margins)
            .map(|(t, &m)| self.aim(t, m))
            .collect();
        let statistics: Vec<Statistic> = self.targets.iter().map(|t| t.statistic).collect();
        let tolerance = self.inner_tolerance();
        let mut rho = self.initial_rho;
        let mut last_violation = f64::INFINITY;
        let mut round = 0;
        loop {
            round += 1;
            rounds.outer += 1;
            let mut terms = penalty_terms(self.params.penalties());
            terms.extend(
                self.targets
                    .iter()
                    .zip(&rounds.multipliers)
                    .zip(shifts)
                    .zip(&bounds)
                    .map(|(((t, mu), d), &bound)| Term {
                        weight: 1.0,
                        statistic: t.statistic,
                        function: GroupFn::Lagrangian(LagrangianTerm {
                            bound,
                            multipliers: mu.clone(),
                            rho,
                            shifts: d.clone(),
                        }),
                        sharpness,
                    }),
            );
            objective.set_terms(terms)?;
            let (model, converged) = match solve(objective, &self.params, rounds.theta.clone()) {
                Ok(model) => (model, true),
                Err(TrainError::NotConverged {
                    report,
                    coefficients,
                    intercept,
                }) => {
                    rounds.inner += report.iterations;
                    (
                        FittedModel::from_parts(coefficients, intercept, None),
                        false,
                    )
                }
                Err(other) => return Err(other),
            };
            rounds.inner += model.report().map_or(0, |r| r.iterations);
            rounds.theta = model.parameters_for(objective.dim())?;
            let values = training_gaps::<K>(objective.scores(&rounds.theta), data, &statistics)?;
            // The multiplier update and the stopping measure, on the rates the terms see.
            let seen = sharpened::<K>(objective, data, &statistics, &rounds.theta, sharpness)?
                .unwrap_or_else(|| values.clone());
            let mut measure: f64 = 0.0;
            let mut violation: f64 = 0.0;
            for (((bound, v), mu), d) in bounds
                .iter()
                .zip(&seen)
                .zip(rounds.multipliers.iter_mut())
                .zip(shifts)
            {
                let v = LagrangianTerm::shifted(&v.soft, d);
                for (m, &ck) in mu.iter_mut().zip(&LagrangianTerm::values(*bound, &v)) {
                    *m = (*m + rho * ck).max(0.0);
                    measure = measure.max((-ck).min(*m / rho).abs());
                    violation = violation.max(ck);
                }
            }
            let met = converged && measure <= tolerance;
            let stalled = violation > 0.25 * last_violation;
            if met || round >= self.max_outer_iterations || (stalled && rho >= MAX_RHO) {
                return Ok(SoftSolve {
                    model,
                    values,
                    seen,
                    met,
                });
            }
            if stalled {
                rho = (rho * 10.0).min(MAX_RHO);
            }
            last_violation = violation;
        }
    }
}
