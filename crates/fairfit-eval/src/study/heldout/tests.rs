//! Tests of the held-out study: pooling, re-splits, constancy, the reading of returned models,
//! the methods on synthetic data, and the tally.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::fairness::Notion;
use fairfit_data::split::strata;
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::{FairDataset, TrainTest};
use fairfit_train::{FairLogisticRegression, ParamGuard};

use super::*;

fn data(n: usize, seed: u64) -> FairDataset {
    BiasedParams::new(n, 2)
        .groups(&[("a", 0.6), ("b", 0.4)])
        .label_bias("b", 0.5)
        .proxy("b", 0.7)
        .seed(seed)
        .generate()
        .unwrap()
        .data
}

#[test]
fn pooling_puts_train_then_test_rows_together() {
    let all = data(500, 1);
    let rows = |r: std::ops::Range<usize>| all.select(&r.collect::<Vec<_>>()).unwrap();
    let protocol = TrainTest {
        train: rows(0..350),
        test: rows(350..500),
    };
    let pooled = pool(&protocol).unwrap();
    assert_eq!(pooled.records(), all.records());
    assert_eq!(pooled.targets(), all.targets());
    assert_eq!(pooled.groups(), all.groups());
    assert_eq!(pooled.feature_names(), all.feature_names());
    // Splits from different encodings cannot be pooled.
    let other = TrainTest {
        train: protocol.train.clone(),
        test: protocol
            .test
            .clone()
            .with_feature_names((0..all.nfeatures()).map(|j| format!("other{j}")).collect())
            .unwrap(),
    };
    assert!(pool(&other).is_err());
}

#[test]
fn a_resplit_partitions_the_rows_by_cell_and_depends_on_its_seed() {
    let all = data(1_000, 2);
    let r = Resplit::new(&all, 0.3, 0.3, 9).unwrap();
    assert_eq!(r.held_out.nrows(), 300);
    assert_eq!(r.development.nrows(), 700);
    assert_eq!(r.fit.nrows() + r.validation.nrows(), 700);
    assert_eq!(r.validation.nrows(), 210);
    // Every group × label cell keeps its share of held-out rows (to one row).
    let count =
        |d: &FairDataset, cell: usize| strata(d).unwrap().iter().filter(|&&c| c == cell).count();
    for cell in 0..4 {
        let (n, held) = (count(&all, cell), count(&r.held_out, cell));
        assert!(
            (held as f64 - 0.3 * n as f64).abs() <= 1.0,
            "cell {cell}: {held} of {n}"
        );
    }
    let again = Resplit::new(&all, 0.3, 0.3, 9).unwrap();
    assert_eq!(again.held_out.records(), r.held_out.records());
    let other = Resplit::new(&all, 0.3, 0.3, 10).unwrap();
    assert_ne!(other.held_out.records(), r.held_out.records());
}

#[test]
fn a_held_out_reading_is_the_notions_gap_on_decisions() {
    let all = data(400, 3);
    let labels = all.labels().unwrap();
    // Decide by group: everyone in `a`, nobody in `b` — a DP gap of exactly 1.
    let by_group: Vec<bool> = all.groups().of_row().iter().map(|&g| g == 0).collect();
    let read = HeldOut::of(&by_group, &all, &Notion::demographic_parity()).unwrap();
    assert_eq!(read.gap, 1.0);
    assert_eq!(
        read.decisions.constant_groups(),
        [("a", Some(true)), ("b", Some(false))]
    );
    assert!(read.decisions.constant_in_a_group() && read.decisions.is_degenerate());
    assert!(read.violates(&Notion::demographic_parity(), 0.5));
    // The labels themselves: accuracy 1, every TPR 1 and FPR 0, an equalized-odds gap of 0.
    let perfect = HeldOut::of(&labels, &all, &Notion::equalized_odds()).unwrap();
    assert_eq!((perfect.accuracy, perfect.gap), (1.0, 0.0));
    assert!(!perfect.violates(&Notion::equalized_odds(), 0.0));
}

/// On synthetic data with a large DP gap: every method returns a record per ε (and δ); margin
/// selection returns a model less often than plain selection and never a more accurate one on
/// validation, so its held-out gaps are no larger on average; the tally counts it all.
#[test]
fn the_methods_run_on_a_resplit_and_are_tallied() {
    let all = data(3_000, 4);
    let model = FairLogisticRegression::params().l2(1e-3).check().unwrap();
    let lambdas = vec![0.0, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0];
    let study = HeldoutStudy::new(
        Notion::demographic_parity(),
        model,
        lambdas,
        vec![0.02, 0.1],
        vec![0.05, 0.2],
    )
    .unwrap()
    .resamples(100);
    let records: Vec<Record> = (0..6).flat_map(|s| study.run(&all, s).unwrap()).collect();
    // Per re-split: 2 targets, 2 validation choices, 2 × 2 margin and high-confidence fits.
    assert_eq!(records.len(), 6 * 12);
    let tally = Tally::new("synthetic", Notion::demographic_parity(), &records);
    assert_eq!(tally.rows().len(), 12);
    for row in tally.rows() {
        assert_eq!(row.runs, 6);
        assert_eq!(row.returned + row.no_solution + row.failed, 6, "{row:?}");
        assert!(row.violations <= row.returned);
    }
    let row = |m: Method, e: f64, d: Option<f64>| {
        tally
            .rows()
            .iter()
            .find(|r| r.method == m && r.epsilon == e && r.delta == d)
            .unwrap()
    };
    for e in [0.02, 0.1] {
        let plain = row(Method::Validation, e, None);
        let strict = row(Method::Margin, e, Some(0.05));
        let loose = row(Method::Margin, e, Some(0.2));
        // A tighter confidence admits fewer points: more runs without a solution.
        assert!(strict.no_solution >= loose.no_solution && loose.no_solution >= plain.no_solution);
    }
    // The unmitigated gap of this data is far above 0.1: a loose bound is met by some point.
    assert!(row(Method::Validation, 0.1, None).returned > 0);
    let text = tally.to_string();
    assert!(text.starts_with("method"), "{text}");
    assert!(text.contains("margin"), "{text}");
    let path = std::env::temp_dir().join(format!("fairfit-heldout-{}.csv", std::process::id()));
    Tally::write_csv(&[tally], &path).unwrap();
    let csv = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(csv.lines().count(), 13);
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("synthetic,dp_difference,target,0.02,,6,"),
        "{csv}"
    );
}

#[test]
fn a_study_refuses_what_it_cannot_read() {
    let model = || FairLogisticRegression::params().check().unwrap();
    let dp = Notion::demographic_parity;
    assert!(HeldoutStudy::new(
        Notion::predictive_parity(),
        model(),
        vec![1.0],
        vec![0.1],
        vec![0.1]
    )
    .is_err());
    assert!(HeldoutStudy::new(dp(), model(), vec![1.0], vec![], vec![0.1]).is_err());
    assert!(HeldoutStudy::new(dp(), model(), vec![1.0], vec![0.1], vec![0.5]).is_err());
    assert!(HeldoutStudy::new(dp(), model(), vec![-1.0], vec![0.1], vec![0.1]).is_err());
}

/// The unsafe rate's interval is Clopper–Pearson's (values from R's `binom.test`).
#[test]
fn the_unsafe_interval_is_exact_binomial() {
    let row = |violations: usize, runs: usize, delta: Option<f64>| TallyRow {
        method: Method::HighConfidence,
        epsilon: 0.05,
        delta,
        runs,
        returned: runs,
        no_solution: 0,
        failed: 0,
        violations,
        constant_rules: 0,
        constant_in_a_group: 0,
        accuracy: None,
        gap: None,
    };
    let (lo, hi) = row(5, 100, None).unsafe_interval(0.95);
    assert!(
        (lo - 0.01643).abs() < 1e-4 && (hi - 0.11284).abs() < 1e-4,
        "{lo} {hi}"
    );
    let (lo, hi) = row(0, 100, None).unsafe_interval(0.95);
    assert_eq!(lo, 0.0);
    assert!((hi - 0.03622).abs() < 1e-4, "{hi}");
    assert_eq!(row(100, 100, None).unsafe_interval(0.95).1, 1.0);
    // 5 of 100 is consistent with δ = 0.05; 12 of 100 is not.
    assert_eq!(row(5, 100, Some(0.05)).within_delta(), Some(true));
    assert_eq!(row(12, 100, Some(0.05)).within_delta(), Some(false));
    assert_eq!(row(12, 100, None).within_delta(), None);
}

/// A generator that counts its calls; its second grid point fails when `fail` is set.
#[derive(Debug)]
struct Counting {
    calls: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    fail: bool,
}

/// Approves every row.
#[derive(Debug)]
struct Everyone;

impl crate::guarantee::DecisionRule for Everyone {
    fn decide(&self, data: &FairDataset) -> crate::guarantee::Result<Vec<bool>> {
        Ok(vec![true; data.nrows()])
    }
}

impl crate::guarantee::CandidateGenerator for Counting {
    fn name(&self) -> &str {
        "counting"
    }

    fn generate(
        &self,
        _: &Notion,
        _: &FairDataset,
    ) -> crate::guarantee::Result<Vec<crate::guarantee::Attempt>> {
        use crate::guarantee::{Attempt, GuaranteeError};
        self.calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let second = if self.fail {
            Err(GuaranteeError::NoCandidates("a failed fit".into()))
        } else {
            Ok(std::sync::Arc::new(Everyone) as std::sync::Arc<dyn crate::guarantee::DecisionRule>)
        };
        Ok(vec![
            Attempt::fitted(&[("k", 1.0)], std::sync::Arc::new(Everyone)),
            Attempt::new(&[("k", 2.0)], second),
        ])
    }
}

#[test]
fn reused_candidates_fit_once_per_candidate_rows() {
    use crate::guarantee::CandidateGenerator;
    use std::sync::atomic::{AtomicUsize, Ordering};
    let calls = std::sync::Arc::new(AtomicUsize::new(0));
    let reused = ReusedCandidates::new(Counting {
        calls: calls.clone(),
        fail: false,
    });
    let (a, b) = (data(200, 1), data(200, 2));
    let dp = Notion::demographic_parity();
    let first = reused.generate(&dp, &a).unwrap();
    let again = reused.generate(&dp, &a).unwrap();
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the same rows are not fitted twice"
    );
    assert_eq!(first.len(), again.len());
    assert_eq!(again[1].params, [("k".to_string(), 2.0)]);
    assert!(again.iter().all(|x| x.rule.is_ok()));
    reused.generate(&dp, &b).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2, "other rows are fitted");
    reused.generate(&Notion::equalized_odds(), &b).unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 3, "another notion is fitted");
    // A generation with a failed grid point is not kept: its error is reported each time.
    let failing = ReusedCandidates::new(Counting {
        calls: calls.clone(),
        fail: true,
    });
    for _ in 0..2 {
        let attempts = failing.generate(&dp, &a).unwrap();
        assert!(attempts[1].rule.is_err());
    }
    assert_eq!(calls.load(Ordering::SeqCst), 5);
}
