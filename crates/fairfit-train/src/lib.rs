//! # fairfit-train
//!
//! How a model is fitted with fairness terms, and adjusted after: logistic and linear models
//! optimised through argmin with fairness penalties or targets, warm-started trade-off paths and
//! group-specific thresholds.

pub mod pipeline;
pub mod postprocess;

pub use pipeline::{FittedPipeline, PipelineModel};
pub use postprocess::{FittedThresholds, ThresholdOptimizer};
