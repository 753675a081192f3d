//! # fairfit-sim
//!
//! Long-term fairness: simulated populations that a decision maker's decisions change, after
//! Google's ml-fairness-gym. A rule that is fair in one step can harm a group over time (Liu et
//! al. 2018, "Delayed Impact of Fair Machine Learning"; D'Amour et al. 2020, "Fairness is not
//! static"); this crate measures that, over many seeds.
//!
//! - Core: an [`Environment`] (seeded state, `step(action)` → feedback and reward, per-group
//!   tallies), an [`Agent`] (acts on what it is shown, learns from feedback; [`BurnIn`] wraps
//!   any agent), [`run`] (many seeds in parallel, reproducible at any thread count, recording
//!   every group's metrics every k steps), [`Runs`] (the long table as CSV / JSON, [`Band`]s
//!   across seeds) and [`plot::TimelinePlot`] (metrics over time with bands, as SVG).
//! - Environments: [`lending`] (delayed impact of loans on credit scores), [`admission`]
//!   (college admissions with strategic manipulation of test scores) and [`attention`]
//!   (attention allocation where incidents are discovered only where attention goes).
//!
//! Agents are built from fairfit's own decision makers: group-specific thresholds
//! (`fairfit::train::postprocess`) and fair logistic regression with a penalty or target.

#![warn(missing_docs)]

pub mod admission;
mod agent;
pub mod attention;
mod confusion;
pub mod distribution;
mod environment;
mod error;
pub mod lending;
pub mod plot;
mod record;
mod runner;

pub use agent::{Agent, BurnIn, Turn};
pub use confusion::Confusion;
pub use environment::{Environment, Transition};
pub use error::{Result, SimError};
pub use record::{quantile, write_long_csv, write_long_json, Band, LongRow, Runs, Trajectory};
pub use runner::{run, stream_seed, RunSpec};
