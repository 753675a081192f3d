//! # fairfit-eval
//!
//! What a model gives and costs, group by group, along the trade-off: performance and fairness
//! metrics by group with uncertainty, trade-off curves, Pareto fronts, comparisons, reports, plots.
//!
//! - [`metrics`]: the metric catalogue ([`metrics::Measure`]) with Fairlearn's, scikit-learn's
//!   and AIF360's definitions, values by group, disparities, individual fairness;
//! - [`estimate`]: [`Estimate`] and [`Interval`], a value with its confidence interval, used by
//!   every module below;
//! - [`frame`]: [`frame::MetricFrame`], many metrics × groups with summaries;
//! - [`model_frames`]: [`model_frames::ModelFrames`], the frames of several models keyed by
//!   model (before / after a mitigation);
//! - [`bootstrap`]: stratified percentile intervals for every frame entry;
//! - [`curve`]: trade-off curves (one point per fitted model: method, parameters, metrics with
//!   intervals per split, fit time), written and read as CSV and JSON.
//! - [`pareto`]: non-dominated points, hypervolume, best performance under a gap bound.
//! - [`plot`]: paper-ready SVG plots of trade-offs.
//! - [`sweep`]: run many mitigation strategies on one train / validation / test split into one
//!   trade-off curve, and choose on validation ("best accuracy at gap ≤ x").
//! - [`study`]: what a comparison does around its sweeps: benchmark data sets, a carved
//!   validation split, readings of the choice and the bars they must clear.
//! - [`report`]: the fairness report of one fitted model, as Markdown and JSON.
//! - [`guarantee`]: high-confidence fairness (Seldonian): a model whose hard-decision gap is
//!   within ε with probability 1 − δ, certified on held-out safety rows, or no solution.
//!
//! ```
//! use fairfit::data::Groups;
//! use fairfit::eval::bootstrap::BootstrapParams;
//! use fairfit::eval::frame::Entry;
//! use fairfit::eval::metrics::{Aggregate, Measure, Outcomes};
//! let groups = Groups::new(vec!["a".into(), "b".into()], (0..100).map(|i| i % 2).collect())?;
//! let y_true: Vec<bool> = (0..100).map(|i| i % 3 == 0).collect();
//! let y_pred: Vec<bool> = (0..100).map(|i| i % 3 == 0 || i % 4 == 0).collect();
//! let outcomes = Outcomes::classification(&y_true, &y_pred)?;
//! let boot = BootstrapParams::default().resamples(200).seed(1).check()?;
//! let frame = boot.frame(&outcomes, &groups, &[&Measure::Accuracy, &Measure::SelectionRate])?;
//! let dp = frame.estimate("selection_rate", Entry::Summary(Aggregate::Difference))?;
//! println!("DP difference {:.3} in {:?}", dp.value?, dp.interval);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

pub mod bootstrap;
mod error;
pub mod estimate;
pub mod frame;
pub mod metrics;
pub mod model_frames;

pub mod curve;
pub mod guarantee;
pub mod monitor;
pub mod pareto;
pub mod plot;
pub mod report;
pub mod study;
pub mod sweep;

mod split;

pub use error::{EvalError, Result};
pub use estimate::{Estimate, Interval, Replicates};
