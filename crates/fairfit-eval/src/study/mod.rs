//! Studies: what a comparison of mitigation strategies does around its sweep, so that an
//! example only describes its experiment.
//!
//! - [`Benchmark`]: the reference data sets of a comparison (Adult, COMPAS, German credit),
//!   their keys, titles and loaders;
//! - [`Carved`]: a validation split carved out of a protocol's training rows (stratified by
//!   group × label), with all training rows kept for cross-validation;
//! - [`readings`]: the ways of choosing a sweep's points — on its validation split, and on
//!   cross-validated metrics ([`Pooling`]), each by the gap's estimate and, where the metrics
//!   carry intervals, with a margin ([`SelectionRule`]);
//! - [`BarCheck`]: whether each reading clears a bar (performance at least x under gap ≤ b),
//!   whether the test frontier does, and whether any honest reading does;
//! - [`worst_corner`]: the hypervolume reference point every point of a curve dominates;
//! - [`heldout`]: whether a method's `gap ≤ ε` holds on rows held out from all fitting, over
//!   many re-splits of pooled rows.
//!
//! ```
//! use fairfit::data::{synthetic::BiasedParams, TrainTest};
//! use fairfit::eval::study::Carved;
//! let data = BiasedParams::new(800, 2).groups(&[("a", 0.5), ("b", 0.5)]).seed(1).generate()?.data;
//! let protocol = TrainTest { train: data.select(&(0..600).collect::<Vec<_>>())?, test: data.select(&(600..800).collect::<Vec<_>>())? };
//! let carved = Carved::new(protocol, 0.25, 7)?;
//! assert_eq!(carved.splits.train.nrows() + carved.splits.validation.nrows(), 600);
//! assert_eq!(carved.pool.nrows(), 600);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bar;
pub mod heldout;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use fairfit_data::split::{strata, StratifiedSplit, TrainValTest};
use fairfit_data::{reference, FairDataset, TrainTest};

use crate::curve::{Axis, Direction, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::pareto::{Reference, SelectionRule};
use crate::sweep::{CrossValidation, Pooling};

pub use bar::{Bar, BarCheck, BarOutcome, Verdict};

/// A reference data set of fairfit's comparisons, with its protected attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Benchmark {
    /// Adult census income, by sex.
    Adult,
    /// COMPAS two-year recidivism, by race.
    Compas,
    /// German credit, by sex.
    German,
}

impl Benchmark {
    /// Every benchmark, in the order comparisons report them.
    pub const ALL: [Benchmark; 3] = [Benchmark::Adult, Benchmark::Compas, Benchmark::German];

    /// A short key for file and directory names: `adult`, `compas`, `german`.
    pub fn key(self) -> &'static str {
        match self {
            Benchmark::Adult => "adult",
            Benchmark::Compas => "compas",
            Benchmark::German => "german",
        }
    }

    /// The title with the protected attribute, e.g. `Adult (sex)`.
    pub fn title(self) -> &'static str {
        match self {
            Benchmark::Adult => "Adult (sex)",
            Benchmark::Compas => "COMPAS (race)",
            Benchmark::German => "German credit (sex)",
        }
    }

    /// Loads the protocol's train / test splits from the data-set directory `dir` (see
    /// [`reference::datasets_dir`]).
    pub fn load(self, dir: &Path) -> Result<TrainTest> {
        Ok(match self {
            Benchmark::Adult => reference::adult(dir)?,
            Benchmark::Compas => reference::compas(dir)?,
            Benchmark::German => reference::german(dir)?,
        })
    }
}

impl fmt::Display for Benchmark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

/// A protocol's splits for a study: a validation split carved out of its training rows, the
/// protocol's test split untouched.
#[derive(Debug, Clone)]
pub struct Carved {
    /// Train, validation and test: what a sweep fits on, chooses on and reports on.
    pub splits: TrainValTest,
    /// Every training row of the protocol (train and validation together): where
    /// cross-validation runs, never touching test.
    pub pool: FairDataset,
}

impl Carved {
    /// Holds out the share `validation` (in (0, 1)) of `protocol`'s training rows, stratified
    /// by group × label and seeded by `seed`.
    pub fn new(protocol: TrainTest, validation: f64, seed: u64) -> Result<Self> {
        let parts = StratifiedSplit::new(&[validation], seed)?.indices(&strata(&protocol.train)?);
        let [fit, held_out] = parts.as_slice() else {
            return Err(EvalError::InvalidParameter {
                name: "validation",
                reason: format!("one share gives two parts, got {}", parts.len()),
            });
        };
        let splits = TrainValTest {
            train: protocol.train.select(fit)?,
            validation: protocol.train.select(held_out)?,
            test: protocol.test,
        };
        Ok(Self {
            splits,
            pool: protocol.train,
        })
    }
}

/// One way of choosing among a sweep's points: its name, the curve whose validation metrics
/// the choice is made on (test metrics are the sweep's own) and the rule a point's gap must
/// pass there.
#[derive(Debug, Clone)]
pub struct Reading {
    /// What the choice is made on, e.g. `validation split` or `5-fold CV, pooled decisions`.
    pub name: String,
    /// The curve as chosen on.
    pub curve: TradeoffCurve,
    /// The points left out for lack of cross-validated metrics (`method params`).
    pub left_out: Vec<String>,
    /// Whether a point is admitted by its gap's estimate or by its interval's far end.
    pub rule: SelectionRule,
}

/// The readings of a sweep's `curve`, in this order: chosen on its own validation split
/// (plain, then with a margin), on `cv`'s pooled out-of-fold decisions (plain, then with a
/// margin) and on the mean of the folds' metrics (plain only: a mean of folds has no interval).
/// The margin readings need the intervals a sweep computes unless run with `resamples(0)`.
pub fn readings(curve: &TradeoffCurve, cv: &CrossValidation) -> Result<Vec<Reading>> {
    let both = |name: String, curve: TradeoffCurve, left_out: Vec<String>| {
        [SelectionRule::Plain, SelectionRule::Margin].map(|rule| Reading {
            name: match rule {
                SelectionRule::Plain => name.clone(),
                SelectionRule::Margin => format!("{name}, margin"),
            },
            curve: curve.clone(),
            left_out: left_out.clone(),
            rule,
        })
    };
    let mut found: Vec<Reading> = both("validation split".into(), curve.clone(), Vec::new()).into();
    let (pooled, left_out) = cv.selection_curve(curve, Pooling::Decisions)?;
    let name = format!("{}-fold CV, {}", cv.folds, Pooling::Decisions);
    found.extend(both(name, pooled, left_out));
    let (mean, left_out) = cv.selection_curve(curve, Pooling::FoldMean)?;
    found.push(Reading {
        name: format!("{}-fold CV, {}", cv.folds, Pooling::FoldMean),
        curve: mean,
        left_out,
        rule: SelectionRule::Plain,
    });
    Ok(found)
}

/// The worst value on each axis over the points of `curve`: every point dominates this corner,
/// the usual reference point of a hypervolume that no method's front should be cut by.
pub fn worst_corner(curve: &TradeoffCurve, x: &Axis, y: &Axis) -> Result<Reference> {
    let coords = curve.coordinates(x, y)?;
    if coords.is_empty() {
        return Err(EvalError::Empty("no point to bound".into()));
    }
    let worst = |values: Vec<f64>, maximise: bool| {
        let pick = if maximise { f64::min } else { f64::max };
        let start = if maximise {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        };
        values.into_iter().fold(start, pick)
    };
    Ok(Reference::new(
        worst(
            coords.iter().map(|c| c.0).collect(),
            x.direction == Direction::Maximise,
        ),
        worst(
            coords.iter().map(|c| c.1).collect(),
            y.direction == Direction::Maximise,
        ),
    ))
}
