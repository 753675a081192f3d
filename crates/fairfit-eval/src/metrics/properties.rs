//! Property tests: identities every correct implementation satisfies, on random inputs.
//! Compiled only under `#[cfg(test)]` (see the parent module).

use fairfit_data::Groups;
use proptest::prelude::*;

use crate::frame::MetricFrame;
use crate::metrics::{evaluate, Aggregate, Measure, Metric, Outcomes};

fn rows() -> impl Strategy<Value = Vec<(bool, bool, f64, f64, usize)>> {
    prop::collection::vec(
        (
            any::<bool>(),
            any::<bool>(),
            0.0..=1.0f64,
            0.1..3.0f64,
            0..3usize,
        ),
        6..60,
    )
}

fn build(rows: &[(bool, bool, f64, f64, usize)]) -> Option<(Outcomes, Groups)> {
    let y: Vec<bool> = rows.iter().map(|r| r.0).collect();
    let p: Vec<bool> = rows.iter().map(|r| r.1).collect();
    let s: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let w: Vec<f64> = rows.iter().map(|r| r.3).collect();
    let g: Vec<usize> = rows.iter().map(|r| r.4).collect();
    let groups = Groups::new(vec!["a".into(), "b".into(), "c".into()], g).ok()?;
    let out = Outcomes::classification(&y, &p)
        .ok()?
        .with_scores(&s)
        .ok()?
        .with_weights(&w)
        .ok()?;
    Some((out, groups))
}

proptest! {
    #[test]
    fn complementary_rates_sum_to_one(rows in rows()) {
        let Some((out, _)) = build(&rows) else { return Ok(()) };
        let v = |m: Measure| evaluate(&m, &out).ok();
        prop_assert!((v(Measure::Accuracy).unwrap() + v(Measure::ErrorRate).unwrap() - 1.0).abs() < 1e-12);
        if let (Some(a), Some(b)) = (v(Measure::Tpr), v(Measure::Fnr)) {
            prop_assert!((a + b - 1.0).abs() < 1e-12);
        }
        if let (Some(a), Some(b)) = (v(Measure::Fpr), v(Measure::Tnr)) {
            prop_assert!((a + b - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn auc_flips_under_negation_and_ignores_monotone_maps(rows in rows()) {
        let Some((out, _)) = build(&rows) else { return Ok(()) };
        let Ok(auc) = evaluate(&Measure::RocAuc, &out) else { return Ok(()) };
        let s = out.scores().unwrap();
        let neg: Vec<f64> = s.iter().map(|x| -x).collect();
        let cubed: Vec<f64> = s.iter().map(|x| 3.0 * x.powi(3) - 7.0).collect();
        let flipped = evaluate(&Measure::RocAuc, &out.clone().with_scores(&neg).unwrap()).unwrap();
        let mapped = evaluate(&Measure::RocAuc, &out.clone().with_scores(&cubed).unwrap()).unwrap();
        prop_assert!((auc + flipped - 1.0).abs() < 1e-12);
        prop_assert!((auc - mapped).abs() < 1e-12);
    }

    #[test]
    fn frame_is_invariant_to_weight_scale_and_consistent_across_groups(rows in rows(), c in 0.01..100.0f64) {
        let Some((out, groups)) = build(&rows) else { return Ok(()) };
        let metrics: [&dyn Metric; 5] = [&Measure::SelectionRate, &Measure::Tpr, &Measure::RocAuc, &Measure::Brier, &Measure::THEIL];
        let a = MetricFrame::new(&out, &groups, &metrics).unwrap();
        let scaled: Vec<f64> = out.weights().iter().map(|w| w * c).collect();
        let b = MetricFrame::new(&out.clone().with_weights(&scaled).unwrap(), &groups, &metrics).unwrap();
        for (x, y) in a.records().iter().zip(b.records()) {
            match (x.value, y.value) {
                (Some(u), Some(v)) => prop_assert!((u - v).abs() < 1e-9 * (1.0 + u.abs())),
                (None, None) => {}
                _ => prop_assert!(false, "{:?} vs {:?}", x, y),
            }
        }
        // The overall selection rate is the weight-averaged group rate (total probability).
        let sr = a.column("selection_rate").unwrap();
        let members = groups.members();
        let wg: Vec<f64> = members.iter().map(|m| m.iter().map(|&i| out.weights()[i]).sum()).collect();
        let pooled: f64 = sr.values().iter().zip(&wg).map(|(v, w)| v.unwrap() * w).sum::<f64>() / wg.iter().sum::<f64>();
        prop_assert!((pooled - sr.overall().unwrap()).abs() < 1e-12);
        // Summaries are ordered as their definitions imply.
        let d = |k| sr.disparity(k).unwrap().value;
        prop_assert!(d(Aggregate::Difference) >= 0.0);
        prop_assert!(d(Aggregate::DifferenceToOverall) <= d(Aggregate::Difference) + 1e-15);
        prop_assert!(d(Aggregate::Min) <= sr.overall().unwrap() + 1e-15 && sr.overall().unwrap() <= d(Aggregate::Max) + 1e-15);
        if let Ok(r) = sr.disparity(Aggregate::Ratio) {
            prop_assert!((0.0..=1.0).contains(&r.value));
        }
    }
}
