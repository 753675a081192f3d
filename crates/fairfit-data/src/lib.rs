//! # fairfit-data
//!
//! What the data is, and how it is made fairer before training: data sets that carry sensitive
//! attributes ([`FairDataset`], [`SensitiveAttribute`], [`Groups`]), the reference data sets,
//! audits of representation, base rates and proxies, and bias-aware resampling.

#![warn(missing_docs)]

pub mod audit;
mod dataset;
mod error;
pub mod fairness;
mod groups;
pub mod reference;
pub mod schema;
mod scorer;
pub mod split;
pub mod synthetic;

pub use dataset::FairDataset;
pub use error::{DataError, Position, Result};
pub use groups::{Groups, SensitiveAttribute};
pub use scorer::Scorer;
pub use split::TrainTest;

pub mod mitigation;
