//! Tests of the high-confidence fit across its parts: the `1 − δ` promise on a population whose
//! true gaps are known, and the target generator on ratio notions.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use std::sync::Arc;

use fairfit_data::fairness::{Aggregate, Notion};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::{FairLogisticRegression, ParamGuard};
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use statrs::distribution::{Binomial, DiscreteCDF};

use super::*;
use crate::metrics::{notion_disparity, Outcomes};

/// The notion's value on hard decisions, by fairfit's evaluation.
fn decision_gap(notion: &Notion, data: &FairDataset, decisions: &[bool]) -> f64 {
    let outcomes = Outcomes::classification(&data.labels().unwrap(), decisions).unwrap();
    notion_disparity(notion, &outcomes, data.groups())
        .unwrap()
        .value
}

/// The bound ε on the demographic-parity difference in the known-gap study.
const EPSILON: f64 = 0.1;
/// The risk δ the study's violation rate must respect.
const DELTA: f64 = 0.1;
/// The candidates' true demographic-parity gaps; past 0.1 they violate ε, and the closer to
/// 0.15 the more accurate they are, so an unguarded choice is drawn over the bound.
const GAPS: [f64; 13] = [
    0.0, 0.02, 0.04, 0.06, 0.07, 0.08, 0.09, 0.1, 0.105, 0.11, 0.12, 0.15, 0.2,
];

/// Approves a row of group `a` when its score `u ~ U(0, 1)` is at least `0.45 − d/2`, of group
/// `b` at least `0.45 + d/2`: selection rates `0.55 ± d/2`, a true gap of exactly `d`.
#[derive(Debug)]
struct Cuts(f64);

impl Cuts {
    fn cut(&self, group: usize) -> f64 {
        if group == 0 {
            0.45 - self.0 / 2.0
        } else {
            0.45 + self.0 / 2.0
        }
    }
}

impl DecisionRule for Cuts {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        let scores = data.records();
        Ok(data
            .groups()
            .of_row()
            .iter()
            .enumerate()
            .map(|(i, &g)| scores[[i, 0]] >= self.cut(g))
            .collect())
    }
}

/// One candidate per true gap of [`GAPS`].
#[derive(Debug)]
struct KnownGaps;

impl CandidateGenerator for KnownGaps {
    fn name(&self) -> &str {
        "known-gaps"
    }

    fn generate(&self, _: &Notion, _: &FairDataset) -> Result<Vec<Attempt>> {
        Ok(GAPS
            .iter()
            .map(|&d| Attempt::fitted(&[("gap", d)], Arc::new(Cuts(d))))
            .collect())
    }
}

/// `n` people, half in each group, score `u ~ U(0, 1)`; the favourable label is `u ≥ 0.3` in
/// group `a` and `u ≥ 0.6` in group `b`, so a candidate's error rate is `|0.15 − d/2|`.
fn population(n: usize, seed: u64) -> FairDataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut u, mut y, mut g) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let group = usize::from(rng.gen_bool(0.5));
        let score: f64 = rng.gen();
        u.push(score);
        y.push(f64::from(u8::from(score >= [0.3, 0.6][group])));
        g.push(group);
    }
    let group = SensitiveAttribute::new("group", vec!["a".into(), "b".into()], g).unwrap();
    FairDataset::new(
        Array2::from_shape_vec((n, 1), u).unwrap(),
        Array1::from(y),
        vec![group],
    )
    .unwrap()
}

/// The smallest count a `Binomial(trials, p)` exceeds with probability at most `alpha`.
fn binomial_upper(trials: u64, p: f64, alpha: f64) -> u64 {
    let binomial = Binomial::new(p, trials).unwrap();
    (0..=trials)
        .find(|&k| 1.0 - binomial.cdf(k) <= alpha)
        .unwrap()
}

/// The most accurate candidate whose gap measured on all of `data` is within ε: the choice the
/// high-confidence mode guards against.
fn unguarded_choice(data: &FairDataset) -> f64 {
    let labels = data.labels().unwrap();
    let dp = Notion::demographic_parity();
    let mut best = (f64::NEG_INFINITY, f64::NAN);
    for &d in &GAPS {
        let decisions = Cuts(d).decide(data).unwrap();
        let gap = decision_gap(&dp, data, &decisions);
        let hits = decisions
            .iter()
            .zip(&labels)
            .filter(|(a, b)| a == b)
            .count();
        let accuracy = hits as f64 / labels.len() as f64;
        if gap <= EPSILON && accuracy > best.0 {
            best = (accuracy, d);
        }
    }
    best.1
}

#[test]
fn over_200_trials_the_violation_rate_stays_within_delta() {
    const TRIALS: u64 = 200;
    let (mut certified, mut violations, mut unguarded_violations) = (0, 0, 0);
    for trial in 0..TRIALS {
        let data = population(4_000, trial);
        if unguarded_choice(&data) > EPSILON {
            unguarded_violations += 1;
        }
        let params = HighConfidence::params(Notion::demographic_parity(), EPSILON, DELTA)
            .candidates(KnownGaps)
            .seed(trial);
        match params.fit(&data).unwrap() {
            Outcome::Certified(model) => {
                certified += 1;
                let (_, d) = model.tried[model.chosen].params[0];
                // The rule's gap on the population is exactly its `d`.
                if d > EPSILON {
                    violations += 1;
                }
                assert!(
                    model.safety.bound <= EPSILON,
                    "only a passing model is returned"
                );
            }
            Outcome::NoSolution(none) => assert!(none.safety.bound > EPSILON),
        }
    }
    let slack = binomial_upper(TRIALS, DELTA, 1e-4);
    assert!(
        violations <= slack,
        "{violations} of {TRIALS} returned models violate ε, more than δ allows ({slack})"
    );
    // The study is sharp: choosing on the measured gap alone violates ε far more often than δ,
    // and the mode is useful: it certifies a model in most trials.
    assert!(
        unguarded_violations > slack,
        "the unguarded choice violated ε only {unguarded_violations} times"
    );
    assert!(certified >= TRIALS / 2, "only {certified} certified models");
}

#[test]
fn target_candidates_target_a_ratio_notion_as_a_ratio() {
    let data = BiasedParams::new(2_000, 3)
        .groups(&[("a", 0.6), ("b", 0.4)])
        .label_bias("b", 0.5)
        .proxy("b", 0.7)
        .seed(5)
        .generate()
        .unwrap()
        .data;
    let ratio = Notion::demographic_parity().with_aggregate(Aggregate::Ratio);
    let params = FairLogisticRegression::params().check().unwrap();
    let limits = vec![0.8, 0.9];
    let attempts = TargetCandidates::new(params, limits.clone())
        .unwrap()
        .generate(&ratio, &data)
        .unwrap();
    assert_eq!(attempts.len(), limits.len());
    for (attempt, limit) in attempts.iter().zip(limits) {
        let rule = attempt.rule.as_ref().expect("the ratio target is met");
        let decisions = rule.decide(&data).unwrap();
        let reached = decision_gap(&ratio, &data, &decisions);
        assert!(
            reached >= limit,
            "the DP ratio target {limit} reached only {reached} on the fitting rows"
        );
    }
}

/// Approves no one: a gap of 0, and useless.
#[derive(Debug)]
struct Nobody;

impl DecisionRule for Nobody {
    fn decide(&self, data: &FairDataset) -> Result<Vec<bool>> {
        Ok(vec![false; data.nrows()])
    }
}

/// The constant rule, then candidates of the given true gaps.
#[derive(Debug)]
struct NobodyAnd(Vec<f64>);

impl CandidateGenerator for NobodyAnd {
    fn name(&self) -> &str {
        "nobody-and"
    }

    fn generate(&self, _: &Notion, _: &FairDataset) -> Result<Vec<Attempt>> {
        let mut attempts = vec![Attempt::fitted(&[("gap", -1.0)], Arc::new(Nobody))];
        attempts.extend(
            self.0
                .iter()
                .map(|&d| Attempt::fitted(&[("gap", d)], Arc::new(Cuts(d)))),
        );
        Ok(attempts)
    }
}

/// Found by comparing with seldonian-engine on COMPAS: a threshold rule approving no one passed
/// every safety test and was returned as certified. A degenerate candidate is never chosen.
#[test]
fn a_constant_rule_is_never_certified() {
    let data = population(4_000, 7);
    let fit = |gaps: Vec<f64>| {
        HighConfidence::params(Notion::demographic_parity(), EPSILON, DELTA)
            .candidates(NobodyAnd(gaps))
            .fit(&data)
    };
    // Only unfair informative candidates: the constant rule would pass, but is not tested.
    match fit(vec![0.3, 0.4]).unwrap() {
        Outcome::NoSolution(none) => {
            assert_ne!(none.chosen, 0, "the constant rule was tested");
            assert!(none.tried[0].screened.as_ref().unwrap().degenerate);
        }
        Outcome::Certified(model) => panic!("certified {}", model.label()),
    }
    // A fair informative candidate is certified instead of the constant rule.
    let model = fit(vec![0.0, 0.3]).unwrap().into_result().unwrap();
    assert_eq!(model.tried[model.chosen].params[0].1, 0.0);
    assert!(!model.decisions.is_degenerate());
    // Nothing but the constant rule: no candidate to test, and the error says why.
    let err = fit(Vec::new()).unwrap_err().to_string();
    assert!(err.contains("degenerate"), "{err}");
}
