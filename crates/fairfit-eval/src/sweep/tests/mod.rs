//! Tests of the sweep runner, compiled only under `#[cfg(test)]`.

mod cross_validation;
mod intervals;
mod reductions;
mod run;
mod selection;
mod strategies;

use fairfit_data::split::{self, TrainValTest};
use fairfit_data::synthetic::BiasedParams;

use super::*;
use crate::curve::{names, TradeoffCurve};

/// The metrics of every point of a logistic sweep, in order.
const METRICS: [&str; 7] = [
    names::ACCURACY,
    names::BALANCED_ACCURACY,
    names::ROC_AUC,
    names::DP_DIFFERENCE,
    names::DP_RATIO,
    names::EO_DIFFERENCE,
    names::TPR_DIFFERENCE,
];

/// 2,000 rows, two groups, favourable labels of `b` flipped with probability 0.6 and a proxy of
/// `b`: the unmitigated model selects `b` far less often.
fn biased() -> TrainValTest {
    let data = BiasedParams::new(2_000, 3)
        .groups(&[("a", 0.5), ("b", 0.5)])
        .base_rate(0.5)
        .separation(2.0)
        .label_bias("b", 0.6)
        .proxy("b", 0.8)
        .seed(11)
        .generate()
        .unwrap()
        .data;
    split::train_validation_test(&data, 0.25, 0.25, 5).unwrap()
}

/// A sweep without a progress bar.
fn quiet(strategies: Vec<Box<dyn Strategy>>) -> Sweep {
    Sweep::new(strategies).progress(Progress::Hidden)
}

/// Penalty weights of the tests' paths.
const LAMBDAS: [f64; 4] = [0.1, 1.0, 10.0, 100.0];
