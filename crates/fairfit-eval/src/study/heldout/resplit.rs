//! The rows of a protocol pooled ([`pool`]) and cut again, seeded and stratified ([`Resplit`]):
//! the re-splits a held-out study repeats its fits over.

use fairfit_data::split::{strata, StratifiedSplit};
use fairfit_data::{FairDataset, SensitiveAttribute, TrainTest};
use ndarray::{concatenate, Axis};

use crate::error::{EvalError, Result};

/// The training and test rows of `protocol` as one data set (training rows first), with the
/// same features, attributes, active groups and weights.
///
/// Both splits must come from one encoder (as a protocol's do): the same feature names and
/// the same levels of every attribute. Only data sets whose active groups are their first
/// attribute's levels can be pooled (those of the reference data sets); others are an error.
pub fn pool(protocol: &TrainTest) -> Result<FairDataset> {
    let (a, b) = (&protocol.train, &protocol.test);
    let mismatch = |reason: String| EvalError::InvalidParameter {
        name: "protocol",
        reason,
    };
    if a.feature_names() != b.feature_names() {
        return Err(mismatch("train and test have different features".into()));
    }
    if a.attributes().len() != b.attributes().len() {
        return Err(mismatch("train and test have different attributes".into()));
    }
    let attributes = a
        .attributes()
        .iter()
        .zip(b.attributes())
        .map(|(x, y)| {
            if x.name() != y.name() || x.levels() != y.levels() {
                return Err(mismatch(format!(
                    "attribute `{}` has levels {:?} in train and `{}` {:?} in test",
                    x.name(),
                    x.levels(),
                    y.name(),
                    y.levels()
                )));
            }
            let codes = [x.codes(), y.codes()].concat();
            Ok(SensitiveAttribute::new(
                x.name(),
                x.levels().to_vec(),
                codes,
            )?)
        })
        .collect::<Result<Vec<_>>>()?;
    let first_levels = attributes.first().map(|x| x.levels().to_vec());
    if first_levels.as_deref() != Some(a.groups().names()) {
        return Err(mismatch(format!(
            "the active groups {:?} are not the first attribute's levels",
            a.groups().names()
        )));
    }
    let records = concatenate(Axis(0), &[a.records(), b.records()])
        .expect("train and test have the same features");
    let targets =
        concatenate(Axis(0), &[a.targets(), b.targets()]).expect("targets are one-dimensional");
    let pooled = FairDataset::new(records, targets, attributes)?
        .with_feature_names(a.feature_names().to_vec())?;
    Ok(match (a.weights(), b.weights()) {
        (None, None) => pooled,
        _ => pooled.with_weights(
            concatenate(
                Axis(0),
                &[a.weights_or_ones().view(), b.weights_or_ones().view()],
            )
            .expect("weights are one-dimensional"),
        )?,
    })
}

/// One re-split of pooled rows: the held-out rows, which no fit and no choice ever sees, and the
/// development rows, themselves cut into a fitting and a validation part for methods that choose
/// on validation (methods without a choice fit on all development rows).
#[derive(Debug, Clone)]
pub struct Resplit {
    /// Every row outside `held_out`: `fit` and `validation` together.
    pub development: FairDataset,
    /// The development rows a method that chooses on validation fits on.
    pub fit: FairDataset,
    /// The development rows such a method chooses on.
    pub validation: FairDataset,
    /// Rows held out from all fitting and choosing: where the promise is checked.
    pub held_out: FairDataset,
}

impl Resplit {
    /// Holds out the share `held_out` of `pool`'s rows, then the share `validation` of the
    /// development rows, each stratified by group × label and seeded by `seed`.
    pub fn new(pool: &FairDataset, validation: f64, held_out: f64, seed: u64) -> Result<Self> {
        let parts = StratifiedSplit::new(&[held_out], seed)?.indices(&strata(pool)?);
        let [development, held] = parts.as_slice() else {
            return Err(EvalError::InvalidParameter {
                name: "held_out",
                reason: format!("one share gives two parts, got {}", parts.len()),
            });
        };
        let development = pool.select(development)?;
        let inner =
            StratifiedSplit::new(&[validation], seed ^ 0x5eed)?.indices(&strata(&development)?);
        let [fit, validation] = inner.as_slice() else {
            return Err(EvalError::InvalidParameter {
                name: "validation",
                reason: format!("one share gives two parts, got {}", inner.len()),
            });
        };
        Ok(Self {
            fit: development.select(fit)?,
            validation: development.select(validation)?,
            held_out: pool.select(held)?,
            development,
        })
    }
}
