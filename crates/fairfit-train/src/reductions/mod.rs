//! Reductions to cost-sensitive learning (Agarwal et al. 2018 for classification, 2019 for
//! bounded group loss in regression): exponentiated gradient and grid search, with fairfit's
//! weighted logistic and linear models as best responses.
//!
//! A [`Notion`](crate::Notion) bounded by ε becomes linear [`Moments`] on the group means of its
//! statistics (read through the shared engine); the Lagrangian `err(Q) + λ·(γ(Q) − β)` is a
//! game between a distribution `Q` over models and multipliers `λ ≥ 0`, `‖λ‖₁ ≤ B`.
//! [`ExponentiatedGradient`] plays it to a ν-approximate saddle point and returns a
//! [`RandomizedModel`] (seeded randomised decisions, or a deterministic choice among its
//! support) with the per-round record ([`EgReport`]); [`GridSearch`] answers a fixed grid of
//! multipliers and keeps one model.
//!
//! The files: `moments` (constraints from a notion), `best_response` (the cost-sensitive
//! learner), `lagrangian` (values, gaps, the saddle point over the hypotheses found),
//! `exponentiated_gradient` (and `eg_path`, its runs over ε sharing one learner), `grid` and
//! `grid_search`, `randomized` (the returned model),
//! `report` (what each round did).

mod best_response;
mod eg_path;
mod exponentiated_gradient;
mod grid;
mod grid_search;
mod lagrangian;
mod moments;
mod randomized;
mod report;

#[cfg(test)]
mod tests;

pub use eg_path::EgPath;
pub use exponentiated_gradient::{EgFit, EgParams, ExponentiatedGradient, ValidEgParams};
pub use grid_search::{GridFit, GridParams, GridPoint, GridSearch, ValidGridParams};
pub use lagrangian::Hypothesis;
pub use moments::{Constraint, Moments};
pub use randomized::RandomizedModel;
pub use report::{EgReport, Iteration};
