//! College admissions with strategic manipulation: the gym's `college_admission` (after Hu,
//! Immorlica & Vaughan 2019, "The disparate effects of strategic manipulation", and Milli et al.
//! 2019, "The social cost of strategic classification").
//!
//! Applicants of a disadvantaged group pay more to raise their observed scores; a jury that
//! anticipates manipulation raises its thresholds, and eligible applicants of the group that pays
//! more bear the burden. [`AdmissionParams`] holds the gym's defaults (with its optional
//! [`Noise`] on scores or reached thresholds), [`AdmissionEnv`] the
//! dynamics, [`Jury`] the decision makers.

mod env;
mod jury;
mod noise;
mod params;

pub use env::{AdmissionEnv, Applicants, Policy, Round};
pub use jury::{Jury, JuryRule};
pub use noise::Noise;
pub use params::{AdmissionParams, ValidAdmissionParams};

#[cfg(test)]
mod tests;
