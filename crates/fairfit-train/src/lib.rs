//! # fairfit-train
//!
//! How a model is fitted with fairness terms, and adjusted after: logistic and linear models
//! optimised through argmin with fairness penalties or targets, warm-started trade-off paths and
//! group-specific thresholds.
//!
//! The mechanism (see `ARCHITECTURE.md` in the repository): a [`Statistic`] of the shared
//! vocabulary (`fairfit_data::fairness`) is a weighted mean of a per-row quantity over each group
//! (and label condition); a [`SmoothAggregate`] turns its soft group values into
//! one number; a [`Penalty`] is a smooth aggregate of statistics (derived from a [`Notion`]), added to the [`Objective`] with a
//! weight λ. Its gradient is taken with respect to the scores and chained through the model in
//! the same single pass over the data that computes the loss.
//!
//! ```
//! use fairfit::data::{FairDataset, SensitiveAttribute};
//! use fairfit::train::{EvaluateOnScores, FairLogisticRegression, Penalty, Statistic};
//! use ndarray::array;
//! let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "F", "F", "F"], None)?;
//! let data = FairDataset::new(
//!     array![[2.0], [1.0], [-1.0], [0.5], [-1.5], [-2.0]],
//!     array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
//!     vec![sex],
//! )?;
//! let plain = FairLogisticRegression::params().fit(&data)?;
//! let fair = FairLogisticRegression::params()
//!     .penalty(Penalty::demographic_parity(), 10.0)
//!     .fit(&data)?;
//! let gap = |m: &fairfit::train::FittedLogistic| {
//!     let scores = m.decision_function(data.records())?;
//!     Statistic::positive_rate().evaluate(m.loss(), &data, scores.view()).map(|v| v.soft_gap())
//! };
//! assert!(gap(&fair)? < gap(&plain)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod decoupled;
mod design;
mod error;
mod fit_report;
mod lagrangian;
mod loss;
mod model;
mod newton;
mod objective;
mod params;
mod path;
mod penalty;
mod ranker;
mod scaling;
mod separation;
mod smooth_aggregate;
mod solver;
mod statistic;
mod target;

#[cfg(test)]
mod gather_tests;
pub mod pipeline;
pub mod postprocess;
pub mod reductions;
pub mod streaming;
#[cfg(test)]
mod streaming_tests;

/// linfa's parameter check (`.check()`), re-exported for convenience.
pub use linfa::ParamGuard;
pub use pipeline::{FittedPipeline, PipelineModel};
pub use postprocess::{FittedThresholds, ThresholdOptimizer};

pub use decoupled::DecoupledModel;
pub use design::Layout;
pub use error::{Result, TrainError};
pub use fairfit_data::fairness::{Condition, Notion, Quantity, Statistic};
pub use fit_report::{FitReport, Termination};
pub use lagrangian::TargetBound;
pub use loss::{Linear, Logistic, Loss, ModelKind};
pub use model::{FittedLinear, FittedLogistic, FittedModel};
pub use objective::{ChunkSource, DatasetChunks, Objective, ObjectiveParams, Problem};
pub use params::{FairLinearRegression, FairLogisticRegression, FairParams, ValidFairParams};
pub use path::{PathPoint, PenaltyPath, PenaltySteps, TargetSteps, TrainingStats};
pub use penalty::Penalty;
pub use smooth_aggregate::SmoothAggregate;
pub use solver::Solver;
pub use statistic::{EvaluateOnScores, GroupValues};
pub use target::{Binding, Target, TargetOutcome, TargetPath, TargetedFit, TargetedModel};
