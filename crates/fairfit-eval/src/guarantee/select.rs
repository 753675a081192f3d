//! Candidate selection (Thomas et al. 2019): every candidate is screened on the candidate rows —
//! accuracy, gap, and the bound the safety test is predicted to give — and the most accurate
//! one predicted to pass is the one tested. When none is predicted to pass, the one with the
//! best predicted bound is tested (the paper's barrier objective does the same), which then
//! usually fails the test. A degenerate candidate (a constant rule, decisions constant within a
//! group, or no more accurate than the majority class) is never chosen: it would pass a gap
//! test trivially and be useless (on COMPAS, a threshold rule approving no one was certified in
//! every run before); when every candidate is degenerate there is no candidate to test.

use std::sync::Arc;

use fairfit_data::fairness::DecisionProfile;
use fairfit_data::FairDataset;

use super::candidates::{describe, Attempt, CandidateGenerator, DecisionRule};
use super::error::{GuaranteeError, Result};
use super::outcome::{Screened, Tried};
use super::params::HighConfidenceValidParams;
use super::safety::NotionBound;

/// The screened candidates, and the rule and predicted bound of the one chosen.
pub(crate) struct Selection {
    pub(crate) tried: Vec<Tried>,
    pub(crate) chosen: usize,
    pub(crate) rule: Arc<dyn DecisionRule>,
    pub(crate) predicted: NotionBound,
}

/// Generates every generator's candidates on `candidate`, screens them and chooses one.
pub(crate) fn select(
    params: &HighConfidenceValidParams,
    candidate: &FairDataset,
    safety: &FairDataset,
) -> Result<Selection> {
    let labels = candidate.labels()?;
    let mut tried = Vec::new();
    let mut kept: Vec<(usize, Arc<dyn DecisionRule>, NotionBound)> = Vec::new();
    let mut generator_errors = Vec::new();
    for generator in params.generators() {
        let attempts = match generator.generate(params.notion(), candidate) {
            Ok(a) => a,
            Err(e) => {
                generator_errors.push(format!("{}: {e}", generator.name()));
                continue;
            }
        };
        for attempt in attempts {
            let screened = screen(
                params,
                generator.as_ref(),
                &attempt,
                candidate,
                safety,
                &labels,
            );
            let entry = Tried {
                generator: generator.name().to_string(),
                params: attempt.params,
                screened: screened
                    .as_ref()
                    .map(|(s, _)| s.clone())
                    .map_err(|e| e.to_string()),
            };
            if let (Ok((_, bound)), Ok(rule)) = (screened, attempt.rule) {
                kept.push((tried.len(), rule, bound));
            }
            tried.push(entry);
        }
    }
    let Some(best) = choose(&tried, &kept, params) else {
        let mut reasons = generator_errors;
        reasons.extend(tried.iter().filter_map(|t| {
            t.screened
                .as_ref()
                .err()
                .map(|e| format!("{}: {e}", t.label()))
        }));
        if reasons.is_empty() && !tried.is_empty() {
            reasons.push(format!(
                "all {} candidates are degenerate (constant, constant within a group, or no \
                 more accurate than the majority class)",
                tried.len()
            ));
        }
        if reasons.is_empty() {
            reasons.push("the generators produced no candidate".into());
        }
        return Err(GuaranteeError::NoCandidates(reasons.join("; ")));
    };
    let (chosen, rule, predicted) = kept.swap_remove(best);
    Ok(Selection {
        tried,
        chosen,
        rule,
        predicted,
    })
}

/// A candidate's figures on the candidate rows, with its predicted bound.
fn screen(
    params: &HighConfidenceValidParams,
    generator: &dyn CandidateGenerator,
    attempt: &Attempt,
    candidate: &FairDataset,
    safety: &FairDataset,
    labels: &[bool],
) -> Result<(Screened, NotionBound)> {
    let rule = attempt.rule.as_ref().map_err(|e| {
        GuaranteeError::NoCandidates(format!(
            "{} was not fitted: {e}",
            describe(generator.name(), &attempt.params)
        ))
    })?;
    let decisions = rule.decide(candidate)?;
    let predicted = NotionBound::predicted(
        params.notion(),
        candidate,
        &decisions,
        safety,
        params.bound_method(),
        params.delta(),
        params.inflation(),
    )?;
    let correct = decisions.iter().zip(labels).filter(|(d, y)| d == y).count();
    let profile = DecisionProfile::of(candidate, &decisions)?;
    Ok((
        Screened {
            accuracy: correct as f64 / decisions.len().max(1) as f64,
            gap: predicted.estimate,
            predicted_bound: predicted.bound,
            predicted_pass: predicted.within(params.epsilon()),
            constant: profile.constant().is_some(),
            degenerate: profile.is_degenerate(),
        },
        predicted,
    ))
}

/// The index into `kept` of the candidate to test: the most accurate predicted to pass (the
/// first of equals), else the one with the best predicted bound.
fn choose(
    tried: &[Tried],
    kept: &[(usize, Arc<dyn DecisionRule>, NotionBound)],
    params: &HighConfidenceValidParams,
) -> Option<usize> {
    let screened = |k: usize| {
        tried[kept[k].0]
            .screened
            .as_ref()
            .expect("kept candidates were screened")
    };
    let informative: Vec<usize> = (0..kept.len())
        .filter(|&k| !screened(k).degenerate)
        .collect();
    let passing = informative
        .iter()
        .copied()
        .filter(|&k| screened(k).predicted_pass);
    let best_passing = passing.fold(None, |best: Option<usize>, k| match best {
        Some(b) if screened(b).accuracy >= screened(k).accuracy => Some(b),
        _ => Some(k),
    });
    best_passing.or_else(|| {
        let larger_is_worse = params.notion().aggregate().larger_is_worse();
        informative
            .iter()
            .fold(None, |best: Option<usize>, &k| match best {
                Some(b) => {
                    let (bb, kb) = (screened(b).predicted_bound, screened(k).predicted_bound);
                    let better = if larger_is_worse { kb < bb } else { kb > bb };
                    Some(if better { k } else { b })
                }
                None => Some(k),
            })
    })
}
