//! The types of the common flow, in one import: `use fairfit::prelude::*;`.
//!
//! Load data ([`load_split`] with a [`Schema`], or a [`FairDataset`] built by hand), make it
//! fairer ([`Preprocessor`] and the pre-processing methods), name a fairness [`Notion`], fit a
//! model with its [`Penalty`] or [`Target`] ([`FairLogisticRegression`], [`FairLinearRegression`], paths over
//! the penalty weight or the bound), adjust it with group-specific thresholds
//! ([`ThresholdOptimizer`]), predict ([`Predict`]), evaluate by group with bootstrap intervals
//! ([`Outcomes`], [`MetricFrame`], [`BootstrapParams`], [`notion_disparity`]), sweep methods ([`Sweep`]) and plot the
//! trade-off ([`TradeoffCurve`], [`TradeoffPlot`]). linfa's traits ([`Fit`], [`FitWith`],
//! [`Predict`], [`Transformer`], [`ParamGuard`]) come along, since fairfit's estimators implement
//! them. Names are unique here; anything else is under [`crate::data`], [`crate::train`] and
//! [`crate::eval`].
//!
//! ```
//! use fairfit::prelude::*;
//! let sex = SensitiveAttribute::from_values("sex", &["M", "M", "M", "F", "F", "F"], None)?;
//! let data = FairDataset::new(
//!     ndarray::array![[2.0], [1.0], [-1.0], [0.5], [-1.5], [-2.0]],
//!     ndarray::array![1.0, 1.0, 0.0, 1.0, 0.0, 0.0],
//!     vec![sex],
//! )?;
//! let model = FairLogisticRegression::params()
//!     .penalty(Penalty::demographic_parity(), 1.0)
//!     .fit(&data)?;
//! let y_hat: Vec<bool> = model.predict_labels(data.records())?.to_vec();
//! let outcomes = Outcomes::classification(&data.labels()?, &y_hat)?;
//! let frame = MetricFrame::new(&outcomes, data.groups(), &[&Measure::Accuracy])?;
//! assert_eq!(frame.groups(), ["M", "F"]); // in order of first appearance
//! # Ok::<(), fairfit::Error>(())
//! ```

pub use crate::error::{Error, Result};

pub use linfa::traits::{Fit, FitWith, Predict, Transformer};
pub use linfa::ParamGuard;

pub use fairfit_data::fairness::Notion;
pub use fairfit_data::mitigation::{
    CorrelationRemover, Counterfactual, DisparateImpactRemover, FairOversampling, Massaging,
    PreferentialSampling, Preprocessor, Reweighing, UniformSampling,
};
pub use fairfit_data::schema::{load_split, CsvOptions, Encoder, MissingPolicy, Schema};
pub use fairfit_data::split::TrainValTest;
pub use fairfit_data::{FairDataset, Groups, SensitiveAttribute, TrainTest};

pub use fairfit_train::postprocess::ThresholdOptimizer;
pub use fairfit_train::{
    DecoupledModel, FairLinearRegression, FairLogisticRegression, FittedLinear, FittedLogistic,
    FittedModel, Penalty, PenaltyPath, Statistic, Target, TargetPath,
};

pub use fairfit_eval::bootstrap::BootstrapParams;
pub use fairfit_eval::curve::{Split, TradeoffCurve};
pub use fairfit_eval::frame::{Entry, MetricFrame};
pub use fairfit_eval::guarantee::{BoundMethod, HighConfidence, Outcome};
pub use fairfit_eval::metrics::{notion_disparity, Aggregate, Measure, Outcomes};
pub use fairfit_eval::plot::TradeoffPlot;
pub use fairfit_eval::sweep::Sweep;
pub use fairfit_eval::{Estimate, Interval};
