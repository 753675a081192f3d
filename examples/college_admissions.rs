//! College admissions with strategic manipulation (the ml-fairness-gym's `college_admission`,
//! after Hu, Immorlica & Vaughan 2019 and Milli et al. 2019).
//!
//! The setting of the gym's FAT* 2020 experiment: twenty applicants a round from two equally
//! likely groups with the same scores, N(0.5, 0.1), eligible from 0.55; raising a score costs
//! group A 5 per unit and group B 10, so A can raise by up to 0.2 and B by 0.1. Four juries
//! publish one threshold per group, fitted with fairfit's post-processing on the applicants they
//! admitted after a 10-round burn-in that admits everyone: a naive jury fitted once on the burn-in, a naive
//! jury refitted every round (on scores that may be manipulated), a robust jury that anticipates
//! the most each group would manipulate (fitted once), and a naive jury refitted every round
//! whose thresholds equalise recall (within 0.02) on its data. Two more runs give the robust
//! jury the gym's noise, clip(N(0.1, 0.01²), −0.3, 0.3): once on the scores it observes
//! (`noisy_features`), once on where manipulating applicants land (`noisy_threshold`).
//!
//! Written to `results/college_admissions/`: `long.csv`, `summary.csv`/`summary.json` (final
//! values per jury and group, mean and 5–95 % of seeds), `social_burden.svg`, `thresholds.svg`
//! and `accuracy.svg` (over time, bands across seeds).
//!
//! ```sh
//! cargo run --release --example college_admissions             # 500 rounds × 50 seeds
//! cargo run --release --example college_admissions -- --fast   # 60 rounds × 10 seeds (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::path::Path;

use fairfit::sim::admission::{AdmissionParams, Jury, JuryRule, Noise, ValidAdmissionParams};
use fairfit::sim::plot::{Series, TimelinePlot};
use fairfit::sim::{quantile, run, write_long_csv, BurnIn, RunSpec, Runs};
use serde::Serialize;

/// The gym's burn-in of the admissions experiment.
const BURN_IN: usize = 10;

#[derive(Serialize)]
struct SummaryRow {
    jury: String,
    group: String,
    quantity: String,
    mean: f64,
    p05: f64,
    p95: f64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let (steps, seeds, every) = if fast { (60, 10, 5) } else { (500, 50, 10) };
    let out = Path::new("results/college_admissions");
    let params = AdmissionParams::fat_2020().check()?;
    let noisy_features = AdmissionParams {
        noise: Noise::default(),
        noisy_features: true,
        ..AdmissionParams::fat_2020()
    }
    .check()?;
    let noisy_threshold = AdmissionParams {
        noise: Noise::default(),
        noisy_threshold: true,
        ..AdmissionParams::fat_2020()
    }
    .check()?;
    let spec = RunSpec::new(steps, seeds)?.record_every(every)?;
    println!(
        "college admissions: {steps} rounds × {seeds} seeds of 20 applicants, burn-in {BURN_IN}"
    );

    let juries = [
        (
            &params,
            JuryRule::Accuracy,
            false,
            true,
            "naive, fitted once",
        ),
        (
            &params,
            JuryRule::Accuracy,
            false,
            false,
            "naive, refitted every round",
        ),
        (&params, JuryRule::Accuracy, true, true, "robust"),
        (
            &params,
            JuryRule::EqualOpportunity { tolerance: 0.02 },
            false,
            false,
            "naive, equal opportunity, refitted",
        ),
        (
            &noisy_features,
            JuryRule::Accuracy,
            true,
            true,
            "robust, noisy features",
        ),
        (
            &noisy_threshold,
            JuryRule::Accuracy,
            true,
            true,
            "robust, noisy thresholds",
        ),
    ];
    let mut all = Vec::new();
    for (params, rule, robust, freeze, label) in juries {
        let runs = run_jury(&spec, params, rule, robust, freeze)?.labelled(label);
        all.push(runs);
    }
    let refs: Vec<&Runs> = all.iter().collect();
    write_long_csv(&refs, out.join("long.csv"))?;

    let quantities = [
        "admission_rate",
        "recall",
        "precision",
        "accuracy",
        "social_burden",
        "manipulation_cost",
        "threshold",
    ];
    let mut summary = Vec::new();
    for runs in &all {
        for (g, group) in runs.groups.iter().enumerate() {
            for q in quantities {
                let mut v: Vec<f64> = runs
                    .final_values(g, runs.metric_index(q)?)
                    .into_iter()
                    .filter(|x| !x.is_nan())
                    .collect();
                v.sort_by(f64::total_cmp);
                summary.push(SummaryRow {
                    jury: runs.label.clone(),
                    group: group.clone(),
                    quantity: q.into(),
                    mean: v.iter().sum::<f64>() / v.len() as f64,
                    p05: quantile(&v, 0.05),
                    p95: quantile(&v, 0.95),
                });
            }
            let applicants: f64 = runs
                .final_values(g, runs.metric_index("applicants")?)
                .iter()
                .sum();
            let manipulated: f64 = runs
                .final_values(g, runs.metric_index("manipulated")?)
                .iter()
                .sum();
            let share = manipulated / applicants;
            summary.push(SummaryRow {
                jury: runs.label.clone(),
                group: group.clone(),
                quantity: "share manipulating".into(),
                mean: share,
                p05: f64::NAN,
                p95: f64::NAN,
            });
        }
    }
    println!("\nfinal values, mean [5 %, 95 %] over seeds (cumulative over the run)");
    println!(
        "{:<36} {:<18} {:<20} {:>8} {:>18}",
        "jury", "group", "quantity", "mean", "5–95 %"
    );
    for r in &summary {
        let band = if r.p05.is_nan() {
            String::new()
        } else {
            format!("[{:.3}, {:.3}]", r.p05, r.p95)
        };
        println!(
            "{:<36} {:<18} {:<20} {:>8.3} {:>18}",
            r.jury, r.group, r.quantity, r.mean, band
        );
    }
    let mut writer = csv::Writer::from_path(out.join("summary.csv"))?;
    for row in &summary {
        writer.serialize(row)?;
    }
    writer.flush()?;
    std::fs::write(
        out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;

    let note = format!("bands: 5–95 % of {seeds} seeds");
    for (metric, title, y, file) in [
        (
            "social_burden",
            "Social burden: mean cost an eligible applicant pays to be admitted",
            "cost",
            "social_burden.svg",
        ),
        (
            "threshold",
            "Published thresholds",
            "threshold on the observed score",
            "thresholds.svg",
        ),
        (
            "accuracy",
            "Accuracy of admissions against eligibility (cumulative)",
            "accuracy",
            "accuracy.svg",
        ),
    ] {
        let mut series = Vec::new();
        for (j, runs) in all.iter().enumerate() {
            for (g, group) in runs.groups.iter().enumerate() {
                series.push(Series {
                    label: format!("{}, {group}", runs.label),
                    bands: runs.bands(group, metric, 0.05, 0.95)?,
                    dashed: g == 1,
                    colour: j,
                });
            }
        }
        TimelinePlot::new(title, y)
            .band_note(note.as_str())
            .write_svg(&series, out.join(file))?;
    }
    println!("wrote {}", out.display());
    Ok(())
}

fn run_jury(
    spec: &RunSpec,
    params: &ValidAdmissionParams,
    rule: JuryRule,
    robust: bool,
    freeze: bool,
) -> fairfit::sim::Result<Runs> {
    run(
        spec,
        |seed| params.build(seed),
        |_| {
            Ok(BurnIn::new(
                BURN_IN,
                Jury::learning(params, rule, robust, freeze),
            ))
        },
    )
}
