//! Tests of the post-processor against hand-computed answers and brute force.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::{Groups, SensitiveAttribute};
use ndarray::{array, Array1};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::*;

fn groups(of_row: &[usize]) -> Groups {
    let n = of_row.iter().max().map_or(0, |m| m + 1);
    let names = (0..n).map(|g| format!("g{g}")).collect();
    Groups::new(names, of_row.to_vec()).unwrap()
}

/// Group a: 10 rows, scores i/10, positive for i >= 5. Group b: 20 rows, scores (i+½)/20,
/// positive for i >= 14. Alone, a is best at rate ½ and b at 0.3; under parity the common rate
/// k/10 gives 30 − |k − 5| − |2k − 6| correct rows, best at k = 3 (28 of 30).
fn parity_data() -> (Array1<f64>, Vec<bool>, Groups) {
    let mut scores = Vec::new();
    let mut labels = Vec::new();
    let mut of_row = Vec::new();
    for i in 0..10 {
        scores.push(i as f64 / 10.0);
        labels.push(i >= 5);
        of_row.push(0);
    }
    for i in 0..20 {
        scores.push((i as f64 + 0.5) / 20.0);
        labels.push(i >= 14);
        of_row.push(1);
    }
    (Array1::from(scores), labels, groups(&of_row))
}

#[test]
fn demographic_parity_known_answer_single_thresholds() {
    let (scores, labels, groups) = parity_data();
    for randomization in [Randomization::Forbidden, Randomization::Allowed] {
        let fitted = ThresholdOptimizer::params()
            .randomization(randomization)
            .fit(scores.view(), &labels, &groups, None)
            .unwrap();
        // The hull needs no randomisation here: the optimum is a threshold point of both groups.
        assert!(fitted.is_deterministic(), "{randomization:?}");
        assert_eq!(
            fitted.rule("g0").unwrap(),
            &ThresholdRule::deterministic(Cutoff::AtLeast(0.7))
        );
        assert_eq!(
            fitted.rule("g1").unwrap(),
            &ThresholdRule::deterministic(Cutoff::AtLeast(14.5 / 20.0))
        );
        let rates = fitted.training_rates();
        assert_eq!(rates[0].selection_rate, 0.3);
        assert_eq!(rates[1].selection_rate, 0.3);
        assert_eq!(fitted.training_gap(), 0.0);
        assert!((fitted.training_objective() - 28.0 / 30.0).abs() < 1e-15);
    }
}

#[test]
fn equal_opportunity_known_answer() {
    // Same data: TPR k/5 in a (5 positives) and j/6 in b (6 positives). Equal TPRs with single
    // thresholds: 0 or 1 only (5 and 6 are coprime) — at TPR 1, a selects its top 5 (10 correct)
    // and b its top 6 (20 correct): accuracy 1.
    let (scores, labels, groups) = parity_data();
    let fitted = ThresholdOptimizer::params()
        .constraint(Constraint::EqualOpportunity)
        .randomization(Randomization::Forbidden)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    let rates = fitted.training_rates();
    assert_eq!(rates[0].true_positive_rate, Some(1.0));
    assert_eq!(rates[1].true_positive_rate, Some(1.0));
    assert_eq!(fitted.training_objective(), 1.0);
    assert_eq!(rates[0].selection_rate, 0.5);
    assert_eq!(rates[1].selection_rate, 0.3);
}

#[test]
fn deterministic_parity_within_one_row_of_granularity() {
    // Groups of 3 and 4 rows cannot share a selection rate other than 0 and 1; with a tolerance of
    // one row of the smaller group, the best rule is within it and beats the trivial ones.
    let scores = array![0.9, 0.6, 0.2, 0.8, 0.7, 0.4, 0.1];
    let labels = [true, true, false, true, true, false, false];
    let groups = groups(&[0, 0, 0, 1, 1, 1, 1]);
    let fitted = ThresholdOptimizer::params()
        .randomization(Randomization::Forbidden)
        .tolerance(1.0 / 3.0)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    assert!(fitted.training_gap() <= 1.0 / 3.0 + 1e-12);
    let rates = fitted.training_rates();
    assert_eq!(rates[0].selection_rate, 2.0 / 3.0);
    assert_eq!(rates[1].selection_rate, 0.5);
    assert_eq!(fitted.training_objective(), 1.0);
    // Exact parity leaves only "everybody" or "nobody": 4 of 7 correct by selecting all.
    let exact = ThresholdOptimizer::params()
        .randomization(Randomization::Forbidden)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    assert_eq!(exact.training_gap(), 0.0);
    assert_eq!(exact.training_objective(), 4.0 / 7.0);
}

/// Group a: ROC points (0,0), (0,½), (1,1). Group b: (0,0), (½,1), (1,1). The hulls' upper
/// boundaries cross at (⅓, ⅔), which maximises accuracy (P = N) over their intersection.
fn odds_data() -> (Array1<f64>, Vec<bool>, Groups) {
    (
        array![0.9, 0.5, 0.5, 0.5, 0.8, 0.8, 0.8, 0.2],
        vec![true, true, false, false, true, true, false, false],
        groups(&[0, 0, 0, 0, 1, 1, 1, 1]),
    )
}

#[test]
fn equalized_odds_known_answer_randomises() {
    let (scores, labels, groups) = odds_data();
    let fitted = ThresholdOptimizer::params()
        .constraint(Constraint::EqualizedOdds)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    let a = fitted.rule("g0").unwrap().components();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].cutoff, Cutoff::AtLeast(0.9));
    assert!((a[0].probability - 2.0 / 3.0).abs() < 1e-12);
    assert_eq!(a[1].cutoff, Cutoff::SelectAll);
    let b = fitted.rule("g1").unwrap().components();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0].cutoff, Cutoff::SelectNone);
    assert!((b[0].probability - 1.0 / 3.0).abs() < 1e-12);
    assert_eq!(b[1].cutoff, Cutoff::AtLeast(0.8));
    for r in fitted.training_rates() {
        assert!((r.true_positive_rate.unwrap() - 2.0 / 3.0).abs() < 1e-12);
        assert!((r.false_positive_rate.unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }
    assert!((fitted.training_objective() - 2.0 / 3.0).abs() < 1e-12);
}

#[test]
fn predict_draws_with_the_decision_probability_and_is_reproducible() {
    let (scores, labels, groups) = odds_data();
    let fitted = ThresholdOptimizer::params()
        .constraint(Constraint::EqualizedOdds)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    let n = 20_000;
    let many = Array1::from_elem(n, 0.5);
    let in_a = Groups::new(vec!["g0".into()], vec![0; n]).unwrap();
    let p = fitted.decision_probability(many.view(), &in_a).unwrap();
    assert!((p[0] - 1.0 / 3.0).abs() < 1e-12);
    let draw = fitted
        .predict(many.view(), &in_a, &mut StdRng::seed_from_u64(7))
        .unwrap();
    let share = draw.iter().filter(|&&d| d).count() as f64 / n as f64;
    assert!((share - 1.0 / 3.0).abs() < 0.015, "{share}");
    let again = fitted
        .predict(many.view(), &in_a, &mut StdRng::seed_from_u64(7))
        .unwrap();
    assert_eq!(draw, again);
    // Rows decided with probability 1 are always favourable.
    let top = fitted
        .predict(
            array![0.95].view(),
            &in_a.select(&[0]),
            &mut StdRng::seed_from_u64(1),
        )
        .unwrap();
    assert!(top[0]);
}

#[test]
fn groups_are_matched_by_name_and_unknown_ones_rejected() {
    let (scores, labels, fit_groups) = parity_data();
    let fitted = ThresholdOptimizer::params()
        .fit(scores.view(), &labels, &fit_groups, None)
        .unwrap();
    let swapped = Groups::new(vec!["g1".into(), "g0".into()], vec![1, 0]).unwrap();
    let p = fitted
        .decision_probability(array![0.75, 0.75].view(), &swapped)
        .unwrap();
    // 0.75 passes g0's threshold 0.7 and g1's 0.725.
    assert_eq!(p, array![1.0, 1.0]);
    let p = fitted
        .decision_probability(array![0.71, 0.71].view(), &swapped)
        .unwrap();
    assert_eq!(p, array![1.0, 0.0]);
    let other = Groups::new(vec!["g0".into(), "zz".into()], vec![0, 1]).unwrap();
    let err = fitted
        .decision_probability(array![0.5, 0.5].view(), &other)
        .unwrap_err();
    assert!(
        matches!(&err, PostprocessError::UnknownGroup { row: 1, group, .. } if group == "zz"),
        "{err}"
    );
}

#[test]
fn typed_errors_for_bad_input() {
    let (scores, labels, groups) = odds_data();
    let params = ThresholdOptimizer::params();
    let eo = params.constraint(Constraint::EqualOpportunity);
    let odds = params.constraint(Constraint::EqualizedOdds);

    // A group without positives: fine for parity, an error for TPR-based constraints.
    let no_pos = [true, true, false, false, false, false, false, false];
    assert!(params.fit(scores.view(), &no_pos, &groups, None).is_ok());
    for p in [eo, odds] {
        let err = p.fit(scores.view(), &no_pos, &groups, None).unwrap_err();
        assert!(
            matches!(&err, PostprocessError::EmptyGroup { group, what: "positive labels" } if group == "g1"),
            "{err}"
        );
    }
    // A group without negatives: an error for equalized odds only.
    let no_neg = [true, true, true, true, true, true, false, false];
    assert!(eo.fit(scores.view(), &no_neg, &groups, None).is_ok());
    let err = odds.fit(scores.view(), &no_neg, &groups, None).unwrap_err();
    assert!(
        matches!(&err, PostprocessError::EmptyGroup { group, what: "negative labels" } if group == "g0"),
        "{err}"
    );
    // A group whose rows all have zero weight.
    let w = array![1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    let err = params
        .fit(scores.view(), &labels, &groups, Some(w.view()))
        .unwrap_err();
    assert!(matches!(err, PostprocessError::EmptyGroup { .. }), "{err}");

    let mut nan = scores.clone();
    nan[3] = f64::NAN;
    let err = params.fit(nan.view(), &labels, &groups, None).unwrap_err();
    assert!(
        matches!(
            err,
            PostprocessError::NonFinite {
                what: "scores",
                row: 3,
                ..
            }
        ),
        "{err}"
    );
    let fitted = params.fit(scores.view(), &labels, &groups, None).unwrap();
    let err = fitted
        .decision_probability(nan.view(), &groups)
        .unwrap_err();
    assert!(
        matches!(err, PostprocessError::NonFinite { row: 3, .. }),
        "{err}"
    );

    let err = params
        .fit(scores.view(), &labels[..7], &groups, None)
        .unwrap_err();
    assert!(
        matches!(
            err,
            PostprocessError::LengthMismatch {
                what: "labels",
                expected: 8,
                found: 7
            }
        ),
        "{err}"
    );
    let short = array![1.0, 1.0];
    let err = params
        .fit(scores.view(), &labels, &groups, Some(short.view()))
        .unwrap_err();
    assert!(matches!(
        err,
        PostprocessError::LengthMismatch {
            what: "weights",
            ..
        }
    ));
    let err = fitted
        .decision_probability(array![0.5].view(), &groups)
        .unwrap_err();
    assert!(matches!(
        err,
        PostprocessError::LengthMismatch { what: "groups", .. }
    ));
    let neg = array![1.0, 1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let err = params
        .fit(scores.view(), &labels, &groups, Some(neg.view()))
        .unwrap_err();
    assert!(matches!(
        err,
        PostprocessError::NegativeWeight { row: 2, .. }
    ));
    let err = params
        .fit(
            array![].view(),
            &[],
            &Groups::new(vec![], vec![]).unwrap(),
            None,
        )
        .unwrap_err();
    assert!(matches!(err, PostprocessError::Empty));

    for bad in [
        params.tolerance(-0.1),
        params.tolerance(f64::NAN),
        params.objective(Objective::Cost {
            false_positive: -1.0,
            false_negative: 1.0,
        }),
    ] {
        let err = bad.fit(scores.view(), &labels, &groups, None).unwrap_err();
        assert!(
            matches!(err, PostprocessError::InvalidParameter { .. }),
            "{err}"
        );
    }
    let all_pos = [true; 8];
    let err = params
        .objective(Objective::BalancedAccuracy)
        .fit(scores.view(), &all_pos, &groups, None)
        .unwrap_err();
    assert!(matches!(
        err,
        PostprocessError::SingleClass { missing: false }
    ));
}

#[test]
fn fitted_thresholds_round_trip_through_json() {
    let (scores, labels, groups) = odds_data();
    let fitted = ThresholdOptimizer::params()
        .constraint(Constraint::EqualizedOdds)
        .objective(Objective::BalancedAccuracy)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    let json = serde_json::to_string(&fitted).unwrap();
    let back: FittedThresholds = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fitted);
    assert_eq!(
        back.decision_probability(scores.view(), &groups).unwrap(),
        fitted.decision_probability(scores.view(), &groups).unwrap()
    );
}

/// Issue 13: fewer saved rules than groups panicked when applied; saved rates and parameters were
/// trusted. Each edit of a saved file is refused on load with what is wrong.
#[test]
fn saved_thresholds_are_checked_on_load() {
    let (scores, labels, groups) = odds_data();
    let fitted = ThresholdOptimizer::params()
        .constraint(Constraint::EqualizedOdds)
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    let saved = serde_json::to_value(&fitted).unwrap();
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 8] = [
        (
            |v| {
                v["rules"].as_array_mut().unwrap().pop();
            },
            "rules (one per group) has 1 entries, expected 2",
        ),
        (
            |v| {
                let r = v["rules"][0].clone();
                v["rules"].as_array_mut().unwrap().push(r);
            },
            "rules (one per group) has 3 entries, expected 2",
        ),
        (
            |v| {
                v["training_rates"].as_array_mut().unwrap().pop();
            },
            "training rates (one per group)",
        ),
        (
            |v| v["rules"][0]["components"][0]["probability"] = (-5.0).into(),
            "probability -5",
        ),
        (
            |v| v["training_rates"][1]["selection_rate"] = 1.5.into(),
            "rate 1.5, outside [0, 1]",
        ),
        (|v| v["groups"][1] = v["groups"][0].clone(), "listed twice"),
        (|v| v["params"]["tolerance"] = (-0.1).into(), "tolerance"),
        (|v| v["version"] = 2.into(), "unknown field `version`"),
    ];
    for (edit, expected) in cases {
        let mut v = saved.clone();
        edit(&mut v);
        let err = serde_json::from_value::<FittedThresholds>(v)
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{expected}: {err}");
    }
}

#[test]
fn intersectional_groups_get_equal_rates() {
    let sex = ["M", "M", "F", "F", "M", "M", "F", "F", "M", "F", "M", "F"];
    let race = ["A", "B", "A", "B", "A", "B", "A", "B", "A", "B", "B", "A"];
    let sex = SensitiveAttribute::from_values("sex", &sex, None).unwrap();
    let race = SensitiveAttribute::from_values("race", &race, None).unwrap();
    let groups = Groups::intersection(&[&sex, &race]).unwrap();
    let scores = array![0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.65, 0.35];
    let labels = [
        true, false, true, false, true, true, false, false, false, true, true, false,
    ];
    let fitted = ThresholdOptimizer::params()
        .fit(scores.view(), &labels, &groups, None)
        .unwrap();
    assert_eq!(fitted.group_names().len(), 4);
    let p = fitted.decision_probability(scores.view(), &groups).unwrap();
    for members in groups.members() {
        let rate = members.iter().map(|&i| p[i]).sum::<f64>() / members.len() as f64;
        assert!((rate - fitted.training_rates()[0].selection_rate).abs() < 1e-12);
    }
}

// ---------------------------------------------------------------------------------------------
// Brute force on small random data.

struct Case {
    scores: Array1<f64>,
    labels: Vec<bool>,
    groups: Groups,
    weights: Array1<f64>,
}

fn random_case(rng: &mut StdRng, n_groups: usize) -> Case {
    loop {
        let mut of_row = Vec::new();
        for g in 0..n_groups {
            of_row.extend(std::iter::repeat(g).take(rng.gen_range(3..=6)));
        }
        let n = of_row.len();
        let scores = Array1::from_shape_fn(n, |_| rng.gen_range(0..8) as f64 / 8.0);
        let labels: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.5)).collect();
        let weights = Array1::from_shape_fn(n, |_| rng.gen_range(1..=3) as f64);
        let ok = (0..n_groups).all(|g| {
            let pos = (0..n).filter(|&i| of_row[i] == g && labels[i]).count();
            let size = of_row.iter().filter(|&&x| x == g).count();
            pos > 0 && pos < size
        });
        if ok {
            let groups = groups(&of_row);
            return Case {
                scores,
                labels,
                groups,
                weights,
            };
        }
    }
}

/// For each group, every threshold rule (score ≥ t for each distinct score, or nobody): its
/// weighted (selected, tp, fp) and the group's (total, positives, negatives) weights.
fn brute_points(case: &Case) -> Vec<(Vec<[f64; 3]>, [f64; 3])> {
    let mut out = Vec::new();
    for members in case.groups.members() {
        let mut ts: Vec<f64> = members.iter().map(|&i| case.scores[i]).collect();
        ts.push(f64::INFINITY);
        ts.sort_by(f64::total_cmp);
        ts.dedup();
        let points = ts
            .iter()
            .map(|&t| {
                let mut s = [0.0; 3];
                for &i in &members {
                    if case.scores[i] >= t {
                        let w = case.weights[i];
                        s[0] += w;
                        if case.labels[i] {
                            s[1] += w;
                        } else {
                            s[2] += w;
                        }
                    }
                }
                s
            })
            .collect();
        let mut tot = [0.0; 3];
        for &i in &members {
            let w = case.weights[i];
            tot[0] += w;
            if case.labels[i] {
                tot[1] += w;
            } else {
                tot[2] += w;
            }
        }
        out.push((points, tot));
    }
    out
}

/// Accuracy of a group's (tp, fp) counts, as a share of the total weight `w`.
fn group_accuracy(tp: f64, fp: f64, tot: &[f64; 3], w: f64) -> f64 {
    (tp + tot[2] - fp) / w
}

/// max − min of some rates.
fn spread(rates: impl Iterator<Item = f64> + Clone) -> f64 {
    rates.clone().fold(f64::NEG_INFINITY, f64::max) - rates.fold(f64::INFINITY, f64::min)
}

/// The best accuracy over every combination of one threshold point per group that `feasible`
/// accepts (given each group's chosen point and totals).
fn best_single_thresholds(
    pts: &[(Vec<[f64; 3]>, [f64; 3])],
    w: f64,
    feasible: impl Fn(&[(&[f64; 3], &[f64; 3])]) -> bool,
) -> f64 {
    let mut best = f64::NEG_INFINITY;
    let mut idx = vec![0usize; pts.len()];
    'combos: loop {
        let chosen: Vec<(&[f64; 3], &[f64; 3])> = idx
            .iter()
            .zip(pts)
            .map(|(&k, (points, tot))| (&points[k], tot))
            .collect();
        if feasible(&chosen) {
            let acc: f64 = chosen
                .iter()
                .map(|(p, tot)| group_accuracy(p[1], p[2], tot, w))
                .sum();
            best = best.max(acc);
        }
        for g in 0..idx.len() {
            idx[g] += 1;
            if idx[g] < pts[g].0.len() {
                continue 'combos;
            }
            idx[g] = 0;
        }
        return best;
    }
}

fn rate_of(constraint: Constraint, p: &[f64; 3], tot: &[f64; 3]) -> f64 {
    match constraint {
        Constraint::DemographicParity => p[0] / tot[0],
        _ => p[1] / tot[1],
    }
}

/// Best accuracy of one group at a rate exactly `r`, mixing any two of its threshold rules.
fn best_at_rate(
    constraint: Constraint,
    points: &[[f64; 3]],
    tot: &[f64; 3],
    w: f64,
    r: f64,
) -> Option<f64> {
    let mut best: Option<f64> = None;
    for a in points {
        for b in points {
            let (ra, rb) = (rate_of(constraint, a, tot), rate_of(constraint, b, tot));
            let lam = if (ra - rb).abs() < 1e-15 {
                if (ra - r).abs() > 1e-12 {
                    continue;
                }
                1.0
            } else {
                (rb - r) / (rb - ra)
            };
            if !(-1e-12..=1.0 + 1e-12).contains(&lam) {
                continue;
            }
            let acc = lam * group_accuracy(a[1], a[2], tot, w)
                + (1.0 - lam) * group_accuracy(b[1], b[2], tot, w);
            best = Some(best.map_or(acc, |x: f64| x.max(acc)));
        }
    }
    best
}

fn lcm(a: u64, b: u64) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    a / gcd(a, b) * b
}

/// Brute-force optima of the one-rate constraints on random data: randomised rules over a grid
/// of rates that contains every threshold point's rate (so the grid optimum is exact), single
/// thresholds over every combination.
#[test]
fn rate_constraints_match_brute_force() {
    let mut rng = StdRng::seed_from_u64(2016);
    for trial in 0..40 {
        let n_groups = 2 + trial % 2;
        let case = random_case(&mut rng, n_groups);
        let pts = brute_points(&case);
        let w: f64 = case.weights.sum();
        for constraint in [Constraint::DemographicParity, Constraint::EqualOpportunity] {
            // Integer weights: every rate is a multiple of 1/denominator.
            let denominator = pts.iter().fold(1u64, |acc, (_, tot)| {
                let den = if constraint == Constraint::DemographicParity {
                    tot[0]
                } else {
                    tot[1]
                };
                lcm(acc, den as u64)
            });
            // A tolerance on the grid keeps every kink of the objective (v and v − ε) on it.
            let quarter = (denominator as f64 / 4.0).round() / denominator as f64;
            for tolerance in [0.0, quarter] {
                let params = ThresholdOptimizer::params()
                    .constraint(constraint)
                    .tolerance(tolerance);
                // Randomised.
                let fitted = params
                    .fit(
                        case.scores.view(),
                        &case.labels,
                        &case.groups,
                        Some(case.weights.view()),
                    )
                    .unwrap();
                let grid: Vec<f64> = (0..=denominator)
                    .map(|i| i as f64 / denominator as f64)
                    .collect();
                let mut brute = f64::NEG_INFINITY;
                for &c in &grid {
                    let total: f64 = pts
                        .iter()
                        .map(|(points, tot)| {
                            grid.iter()
                                .filter(|&&r| r >= c - 1e-12 && r <= c + tolerance + 1e-12)
                                .filter_map(|&r| best_at_rate(constraint, points, tot, w, r))
                                .fold(f64::NEG_INFINITY, f64::max)
                        })
                        .sum();
                    brute = brute.max(total);
                }
                assert!(
                    (fitted.training_objective() - brute).abs() < 1e-9,
                    "trial {trial} {constraint:?} ε={tolerance}: fitted {} vs brute {brute}",
                    fitted.training_objective()
                );
                assert!(
                    fitted.training_gap() <= tolerance + 1e-9,
                    "trial {trial}: gap {}",
                    fitted.training_gap()
                );

                // Single thresholds: every combination.
                let fitted = params
                    .randomization(Randomization::Forbidden)
                    .fit(
                        case.scores.view(),
                        &case.labels,
                        &case.groups,
                        Some(case.weights.view()),
                    )
                    .unwrap();
                assert!(fitted.is_deterministic());
                let brute = best_single_thresholds(&pts, w, |points| {
                    spread(points.iter().map(|(p, tot)| rate_of(constraint, p, tot)))
                        <= tolerance + 1e-12
                });
                assert!(
                    (fitted.training_objective() - brute).abs() < 1e-12,
                    "trial {trial} {constraint:?} ε={tolerance} deterministic: fitted {} vs brute {brute}",
                    fitted.training_objective()
                );
                assert!(fitted.training_gap() <= tolerance + 1e-12);
            }
        }
    }
}

/// Whether `q` lies in the convex hull of `points` (some triangle, segment or point of them
/// contains it).
fn in_hull(points: &[(f64, f64)], q: (f64, f64)) -> bool {
    let cross = |o: (f64, f64), a: (f64, f64), b: (f64, f64)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let tol = 1e-12;
    for i in 0..points.len() {
        for j in i..points.len() {
            for k in j..points.len() {
                let (a, b, c) = (points[i], points[j], points[k]);
                let area = cross(a, b, c);
                if area.abs() > tol {
                    let s = [cross(a, b, q), cross(b, c, q), cross(c, a, q)];
                    if s.iter().all(|&v| v * area.signum() >= -tol) {
                        return true;
                    }
                } else {
                    // Degenerate: check the segments.
                    for (p, r) in [(a, b), (b, c), (a, c)] {
                        let len2 = (r.0 - p.0).powi(2) + (r.1 - p.1).powi(2);
                        if len2 == 0.0 {
                            if (q.0 - p.0).abs() <= tol && (q.1 - p.1).abs() <= tol {
                                return true;
                            }
                            continue;
                        }
                        let t = ((q.0 - p.0) * (r.0 - p.0) + (q.1 - p.1) * (r.1 - p.1)) / len2;
                        if (-tol..=1.0 + tol).contains(&t) && cross(p, r, q).abs() <= tol {
                            return true;
                        }
                    }
                }
            }
        }
    }
    false
}

/// A segment between two ROC points.
type Segment = ((f64, f64), (f64, f64));

/// Equalized odds on random data: the expected TPR and FPR are equal across groups (1e-9, via
/// the decision probabilities), and the objective equals the exact optimum found by brute force:
/// a linear objective over the intersection of the groups' ROC hulls is maximal at a vertex of
/// it, which is a threshold point or the crossing of two segments between threshold points (of
/// different groups) — so every such candidate lying in every hull is tried.
#[test]
fn equalized_odds_is_exact_and_optimal_against_brute_force() {
    let mut rng = StdRng::seed_from_u64(2017);
    let mut randomised = 0;
    for trial in 0..30 {
        let case = random_case(&mut rng, 2 + trial % 2);
        let fitted = ThresholdOptimizer::params()
            .constraint(Constraint::EqualizedOdds)
            .fit(
                case.scores.view(),
                &case.labels,
                &case.groups,
                Some(case.weights.view()),
            )
            .unwrap();
        randomised += usize::from(!fitted.is_deterministic());
        let p = fitted
            .decision_probability(case.scores.view(), &case.groups)
            .unwrap();
        let pts = brute_points(&case);
        let mut rates = Vec::new();
        for (members, (_, tot)) in case.groups.members().iter().zip(&pts) {
            let (mut tp, mut fp) = (0.0, 0.0);
            for &i in members {
                if case.labels[i] {
                    tp += case.weights[i] * p[i];
                } else {
                    fp += case.weights[i] * p[i];
                }
            }
            rates.push((fp / tot[2], tp / tot[1]));
        }
        for r in &rates[1..] {
            assert!(
                (r.0 - rates[0].0).abs() < 1e-9,
                "trial {trial}: FPR {rates:?}"
            );
            assert!(
                (r.1 - rates[0].1).abs() < 1e-9,
                "trial {trial}: TPR {rates:?}"
            );
        }
        // Accuracy of a common point (x, y).
        let w: f64 = case.weights.sum();
        let acc = |(x, y): (f64, f64)| -> f64 {
            pts.iter()
                .map(|(_, tot)| (tot[1] * y + tot[2] * (1.0 - x)) / w)
                .sum()
        };
        assert!((fitted.training_objective() - acc(rates[0])).abs() < 1e-9);

        let hulls: Vec<Vec<(f64, f64)>> = pts
            .iter()
            .map(|(points, tot)| {
                points
                    .iter()
                    .map(|q| (q[2] / tot[2], q[1] / tot[1]))
                    .collect()
            })
            .collect();
        let segments: Vec<Vec<Segment>> = hulls
            .iter()
            .map(|h| {
                let mut s = Vec::new();
                for i in 0..h.len() {
                    for j in i + 1..h.len() {
                        s.push((h[i], h[j]));
                    }
                }
                s
            })
            .collect();
        let mut candidates: Vec<(f64, f64)> = hulls.iter().flatten().copied().collect();
        for g in 0..segments.len() {
            for h in g + 1..segments.len() {
                for &(a, b) in &segments[g] {
                    for &(c, d) in &segments[h] {
                        let den = (b.0 - a.0) * (d.1 - c.1) - (b.1 - a.1) * (d.0 - c.0);
                        if den.abs() < 1e-15 {
                            continue;
                        }
                        let t = ((c.0 - a.0) * (d.1 - c.1) - (c.1 - a.1) * (d.0 - c.0)) / den;
                        candidates.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                    }
                }
            }
        }
        let brute = candidates
            .into_iter()
            .filter(|&q| hulls.iter().all(|h| in_hull(h, q)))
            .map(acc)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(
            (fitted.training_objective() - brute).abs() < 1e-9,
            "trial {trial}: fitted {} vs brute force {brute}",
            fitted.training_objective()
        );
    }
    assert!(
        randomised > 5,
        "only {randomised} randomised fits: the data are too easy"
    );
}

/// Equalized odds within a tolerance, by the simplex method, checked against independent answers:
/// at ε = 0 it must match the exact hull intersection, the gaps stay within ε, the optimum grows
/// with ε, and at ε = 1 every group takes its own best threshold point (brute force).
#[test]
fn equalized_odds_within_a_tolerance() {
    let mut rng = StdRng::seed_from_u64(2018);
    for trial in 0..25 {
        let case = random_case(&mut rng, 2 + trial % 2);
        let fit = |tolerance: f64| {
            ThresholdOptimizer::params()
                .constraint(Constraint::EqualizedOdds)
                .tolerance(tolerance)
                .fit(
                    case.scores.view(),
                    &case.labels,
                    &case.groups,
                    Some(case.weights.view()),
                )
                .unwrap()
        };
        let exact = fit(0.0);
        // The LP with a zero-width box, through the same entry point as ε > 0.
        let rocs: Vec<_> = case
            .groups
            .members()
            .iter()
            .map(|m| {
                super::roc::GroupRoc::new(
                    m.iter()
                        .map(|&i| (case.scores[i], case.labels[i], case.weights[i]))
                        .collect(),
                )
            })
            .collect();
        let w = case.weights.sum();
        let lp_rules = super::odds::randomized_within(&rocs, 1.0 / w, 1.0 / w, 0.0).unwrap();
        let lp_value: f64 = lp_rules
            .iter()
            .zip(case.groups.members())
            .map(|(rule, m)| {
                m.iter()
                    .map(|&i| {
                        let p = rule.probability(case.scores[i]);
                        case.weights[i] * if case.labels[i] { p } else { 1.0 - p }
                    })
                    .sum::<f64>()
            })
            .sum::<f64>()
            / w;
        assert!(
            (lp_value - exact.training_objective()).abs() < 1e-9,
            "trial {trial}: simplex {lp_value} vs hull intersection {}",
            exact.training_objective()
        );
        let mut previous = exact.training_objective();
        for tolerance in [0.05, 0.2, 0.5] {
            let fitted = fit(tolerance);
            assert!(fitted.training_gap() <= tolerance + 1e-9, "trial {trial}");
            assert!(
                fitted.training_objective() >= previous - 1e-9,
                "trial {trial}"
            );
            previous = fitted.training_objective();
        }
        let free = fit(1.0);
        let best_alone: f64 = brute_points(&case)
            .iter()
            .map(|(points, tot)| {
                points
                    .iter()
                    .map(|p| group_accuracy(p[1], p[2], tot, w))
                    .fold(f64::NEG_INFINITY, f64::max)
            })
            .sum();
        assert!(
            (free.training_objective() - best_alone).abs() < 1e-9,
            "trial {trial}: {} vs {best_alone}",
            free.training_objective()
        );
    }
}

/// Single-threshold equalized odds within a tolerance against every combination of thresholds:
/// the box search finds the best combination whose TPR and FPR gaps are both within ε.
#[test]
fn deterministic_equalized_odds_matches_brute_force() {
    let mut rng = StdRng::seed_from_u64(2019);
    for trial in 0..40 {
        let case = random_case(&mut rng, 2 + trial % 2);
        let pts = brute_points(&case);
        let w: f64 = case.weights.sum();
        for tolerance in [0.0, 0.1, 0.25, 0.5, 1.0] {
            let fitted = ThresholdOptimizer::params()
                .constraint(Constraint::EqualizedOdds)
                .randomization(Randomization::Forbidden)
                .tolerance(tolerance)
                .fit(
                    case.scores.view(),
                    &case.labels,
                    &case.groups,
                    Some(case.weights.view()),
                )
                .unwrap();
            assert!(fitted.is_deterministic());
            let brute = best_single_thresholds(&pts, w, |points| {
                let tpr = spread(points.iter().map(|(p, tot)| p[1] / tot[1]));
                let fpr = spread(points.iter().map(|(p, tot)| p[2] / tot[2]));
                tpr <= tolerance + 1e-12 && fpr <= tolerance + 1e-12
            });
            assert!(
                (fitted.training_objective() - brute).abs() < 1e-12,
                "trial {trial} ε={tolerance}: fitted {} vs brute {brute}",
                fitted.training_objective()
            );
            assert!(
                fitted.training_gap() <= tolerance + 1e-12,
                "trial {trial} ε={tolerance}"
            );
            // Randomised rules can only do better.
            let randomised = ThresholdOptimizer::params()
                .constraint(Constraint::EqualizedOdds)
                .tolerance(tolerance)
                .fit(
                    case.scores.view(),
                    &case.labels,
                    &case.groups,
                    Some(case.weights.view()),
                )
                .unwrap();
            assert!(
                randomised.training_objective() >= brute - 1e-9,
                "trial {trial}"
            );
        }
    }
}

/// At the size of the Adult training set (30,000 rows, continuous scores, four groups of unequal
/// size and base rate), every constraint holds on the training data and beats no-op rules.
#[test]
fn constraints_hold_at_adult_scale() {
    let mut rng = StdRng::seed_from_u64(30_162);
    let n = 30_000;
    let of_row: Vec<usize> = (0..n)
        .map(|_| match rng.gen_range(0..10) {
            0..=5 => 0,
            6..=7 => 1,
            8 => 2,
            _ => 3,
        })
        .collect();
    let base = [0.3, 0.15, 0.25, 0.1];
    let labels: Vec<bool> = of_row.iter().map(|&g| rng.gen_bool(base[g])).collect();
    let scores: Array1<f64> = labels
        .iter()
        .zip(&of_row)
        .map(|(&y, &g)| {
            let z = if y { 1.0 } else { -1.0 } + 0.3 * g as f64 + 1.2 * rng.gen::<f64>();
            (1000.0 / (1.0 + (-z).exp())).round() / 1000.0
        })
        .collect();
    let groups = groups(&of_row);
    let majority = labels.iter().filter(|&&y| !y).count() as f64 / n as f64;
    for (constraint, randomization, tolerance) in [
        (Constraint::DemographicParity, Randomization::Allowed, 0.0),
        (
            Constraint::DemographicParity,
            Randomization::Forbidden,
            0.01,
        ),
        (Constraint::EqualOpportunity, Randomization::Allowed, 0.0),
        (Constraint::EqualOpportunity, Randomization::Forbidden, 0.01),
        (Constraint::EqualizedOdds, Randomization::Allowed, 0.0),
        (Constraint::EqualizedOdds, Randomization::Allowed, 0.02),
        (Constraint::EqualizedOdds, Randomization::Forbidden, 0.02),
    ] {
        let fitted = ThresholdOptimizer::params()
            .constraint(constraint)
            .randomization(randomization)
            .tolerance(tolerance)
            .fit(scores.view(), &labels, &groups, None)
            .unwrap();
        let what = format!("{constraint:?} {randomization:?} ε={tolerance}");
        assert!(
            fitted.training_gap() <= tolerance + 1e-9,
            "{what}: {}",
            fitted.training_gap()
        );
        assert!(fitted.training_objective() > majority + 0.05, "{what}");
    }
}

/// An objective's value from the total weighted true and false positives.
type ValueFn = Box<dyn Fn(f64, f64) -> f64>;

/// Balanced accuracy and expected cost: single-threshold demographic parity (tolerance ¼) against
/// every combination of thresholds, with each objective computed from its definition.
#[test]
fn other_objectives_match_brute_force() {
    let mut rng = StdRng::seed_from_u64(2019);
    for trial in 0..20 {
        let case = random_case(&mut rng, 2 + trial % 2);
        let pts = brute_points(&case);
        let (p_all, n_all): (f64, f64) = pts
            .iter()
            .fold((0.0, 0.0), |(p, n), (_, tot)| (p + tot[1], n + tot[2]));
        let w = p_all + n_all;
        let objectives: [(Objective, ValueFn, bool); 2] = [
            (
                Objective::BalancedAccuracy,
                Box::new(move |tp, fp| 0.5 * tp / p_all + 0.5 * (n_all - fp) / n_all),
                true,
            ),
            (
                Objective::Cost {
                    false_positive: 1.0,
                    false_negative: 3.0,
                },
                Box::new(move |tp, fp| (fp + 3.0 * (p_all - tp)) / w),
                false,
            ),
        ];
        for (objective, value, maximise) in &objectives {
            let fitted = ThresholdOptimizer::params()
                .objective(*objective)
                .randomization(Randomization::Forbidden)
                .tolerance(0.25)
                .fit(
                    case.scores.view(),
                    &case.labels,
                    &case.groups,
                    Some(case.weights.view()),
                )
                .unwrap();
            let mut best = if *maximise {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            };
            let mut idx = vec![0usize; pts.len()];
            'combos: loop {
                let rates: Vec<f64> = idx
                    .iter()
                    .zip(&pts)
                    .map(|(&k, (points, tot))| points[k][0] / tot[0])
                    .collect();
                let gap = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max)
                    - rates.iter().copied().fold(f64::INFINITY, f64::min);
                if gap <= 0.25 + 1e-12 {
                    let (tp, fp) = idx
                        .iter()
                        .zip(&pts)
                        .fold((0.0, 0.0), |(tp, fp), (&k, (points, _))| {
                            (tp + points[k][1], fp + points[k][2])
                        });
                    let v = value(tp, fp);
                    best = if *maximise { best.max(v) } else { best.min(v) };
                }
                for g in 0..idx.len() {
                    idx[g] += 1;
                    if idx[g] < pts[g].0.len() {
                        continue 'combos;
                    }
                    idx[g] = 0;
                }
                break;
            }
            assert!(
                (fitted.training_objective() - best).abs() < 1e-12,
                "trial {trial} {objective:?}: fitted {} vs brute {best}",
                fitted.training_objective()
            );
        }
    }
}

/// Any [`fairfit_data::Scorer`] plugs in through a data set: here a closure scoring by the first
/// feature, giving the same rules as its scores passed directly; non-0/1 targets are a typed error.
#[test]
fn fits_any_scorer_on_a_dataset() {
    use fairfit_data::FairDataset;
    use ndarray::{Array2, ArrayView2};
    let (scores, labels, _) = odds_data();
    let sex =
        SensitiveAttribute::from_values("sex", &["a", "a", "a", "a", "b", "b", "b", "b"], None)
            .unwrap();
    let targets: Array1<f64> = labels.iter().map(|&y| f64::from(u8::from(y))).collect();
    let records = Array2::from_shape_fn((8, 2), |(i, j)| if j == 0 { scores[i] } else { 1.0 });
    let data = FairDataset::new(records, targets, vec![sex]).unwrap();
    let scorer = |x: ArrayView2<'_, f64>| x.column(0).to_owned();
    let params = ThresholdOptimizer::params().constraint(Constraint::EqualizedOdds);
    let via_data = params.fit_dataset(&scorer, &data).unwrap();
    let direct = params
        .fit(scores.view(), &labels, data.groups(), None)
        .unwrap();
    assert_eq!(via_data, direct);
    assert_eq!(
        via_data
            .decision_probability_dataset(&scorer, &data)
            .unwrap(),
        direct
            .decision_probability(scores.view(), data.groups())
            .unwrap()
    );
    let a = via_data
        .predict_dataset(&scorer, &data, &mut StdRng::seed_from_u64(5))
        .unwrap();
    let b = direct
        .predict(scores.view(), data.groups(), &mut StdRng::seed_from_u64(5))
        .unwrap();
    assert_eq!(a, b);
    let bad = data
        .with_targets(array![1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 0.0, 0.0])
        .unwrap();
    let err = params.fit_dataset(&scorer, &bad).unwrap_err();
    assert!(
        matches!(
            err,
            PostprocessError::Data(fairfit_data::DataError::NotBinary { row: 2, .. })
        ),
        "{err}"
    );
}
