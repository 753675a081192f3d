//! The lending experiment of D'Amour et al., "Fairness is not static" (FAT* 2020), on the
//! ml-fairness-gym's delayed-impact environment (after Liu et al. 2018).
//!
//! Two lenders meet the same population for 20,000 steps over 100 seeds: the maximum-utility
//! oracle (the most profitable thresholds on the population's true credit distributions) and the
//! equal-opportunity oracle (thresholds with equal true-positive rates, i.e. recall, across
//! groups). Both approve everyone for the first 50 steps (the gym's burn-in) and refit their
//! thresholds with fairfit's post-processing after every approved loan. Each runs in the dynamic
//! environment (a repaid loan raises the group's credit, a default lowers it) and in the static
//! one (credit frozen), where a one-step fairness analysis would put it.
//!
//! Written to `results/lending_dynamics/`: `long.csv` (every metric of every group every 500
//! steps of every run), `summary.csv`/`summary.json` (final values, mean and 5–95 % of seeds),
//! `credit_distribution_group_1.svg`/`_group_2.svg` (initial and final credit distributions),
//! `cumulative_loans.svg`, `group_credit.svg` and `recall_gap.svg` (over time, bands: 5–95 % of
//! seeds).
//!
//! ```sh
//! cargo run --release --example lending_dynamics             # 20,000 steps × 100 seeds
//! cargo run --release --example lending_dynamics -- --fast   # 2,000 steps × 10 seeds (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fairfit::sim::lending::{
    Evidence, LendingParams, Refit, ThresholdAgent, ThresholdPolicy, ValidLendingParams,
};
use fairfit::sim::plot::{Bars, DistributionPlot, Series, TimelinePlot};
use fairfit::sim::{run, write_long_csv, BurnIn, RunSpec, Runs};
use serde::Serialize;

/// The gym's burn-in of the lending experiment.
const BURN_IN: usize = 50;
/// The band drawn and reported: 5–95 % of seeds.
const BAND: (f64, f64) = (0.05, 0.95);

/// One agent in one environment.
struct Arm {
    policy: ThresholdPolicy,
    environment: &'static str,
    runs: Runs,
}

#[derive(Serialize)]
struct SummaryRow {
    agent: String,
    environment: &'static str,
    quantity: String,
    mean: f64,
    p05: f64,
    p95: f64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let (steps, seeds, every) = if fast {
        (2_000, 10, 50)
    } else {
        (20_000, 100, 500)
    };
    let out = Path::new("results/lending_dynamics");
    let spec = RunSpec::new(steps, seeds)?.record_every(every)?;
    let dynamic = LendingParams::default().check()?;
    let frozen = LendingParams::default().frozen().check()?;
    println!("lending with delayed impact: {steps} steps × {seeds} seeds, burn-in {BURN_IN}");

    let start = Instant::now();
    let mut arms = Vec::new();
    for policy in [
        ThresholdPolicy::MaxUtility,
        ThresholdPolicy::EqualOpportunity,
    ] {
        for (environment, params) in [("dynamic", &dynamic), ("static", &frozen)] {
            let runs = run_arm(&spec, params, policy)?;
            let label = format!("{}, {environment}", runs.label);
            arms.push(Arm {
                policy,
                environment,
                runs: runs.labelled(label),
            });
        }
    }
    println!("simulated in {:.2} s", start.elapsed().as_secs_f64());

    let all: Vec<&Runs> = arms.iter().map(|a| &a.runs).collect();
    write_long_csv(&all, out.join("long.csv"))?;
    let summary = summarise(&arms)?;
    print_summary(&summary);
    let mut writer = csv::Writer::from_path(out.join("summary.csv"))?;
    for row in &summary {
        writer.serialize(row)?;
    }
    writer.flush()?;
    std::fs::write(
        out.join("summary.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;
    plots(&arms, &dynamic, seeds, out)?;
    println!("wrote {}", out.display());
    Ok(())
}

fn run_arm(
    spec: &RunSpec,
    params: &ValidLendingParams,
    policy: ThresholdPolicy,
) -> fairfit::sim::Result<Runs> {
    run(
        spec,
        |seed| Ok(params.build(seed)),
        |_| {
            Ok(BurnIn::new(
                BURN_IN,
                ThresholdAgent::new(params, policy, Evidence::Oracle, Refit::AfterApproval),
            ))
        },
    )
}

/// Final values across seeds: per group loans, credit, recall, precision, profit; the recall
/// gap; the bank's profit.
fn summarise(arms: &[Arm]) -> Result<Vec<SummaryRow>, Box<dyn Error>> {
    let mut rows = Vec::new();
    for arm in arms {
        let r = &arm.runs;
        let mut push = |quantity: String, values: Vec<f64>| {
            let mut v: Vec<f64> = values.into_iter().filter(|x| !x.is_nan()).collect();
            v.sort_by(f64::total_cmp);
            rows.push(SummaryRow {
                agent: arm.policy.name().into(),
                environment: arm.environment,
                quantity,
                mean: v.iter().sum::<f64>() / v.len() as f64,
                p05: fairfit::sim::quantile(&v, BAND.0),
                p95: fairfit::sim::quantile(&v, BAND.1),
            });
        };
        for metric in ["loans", "credit", "recall", "precision", "profit"] {
            let m = r.metric_index(metric)?;
            for (g, group) in r.groups.iter().enumerate() {
                push(format!("{metric}, {group}"), r.final_values(g, m));
            }
        }
        let recall = r.metric_index("recall")?;
        let gap = r
            .final_values(0, recall)
            .iter()
            .zip(r.final_values(1, recall))
            .map(|(a, b)| a - b)
            .collect();
        push("recall gap (group 1 − group 2)".into(), gap);
        let profit = r.metric_index("profit")?;
        let total = r
            .final_values(0, profit)
            .iter()
            .zip(r.final_values(1, profit))
            .map(|(a, b)| a + b)
            .collect();
        push("bank profit".into(), total);
    }
    Ok(rows)
}

fn print_summary(rows: &[SummaryRow]) {
    println!("\nfinal values, mean [5 %, 95 %] over seeds");
    println!(
        "{:<20} {:<9} {:<32} {:>10} {:>22}",
        "agent", "env", "quantity", "mean", "5–95 %"
    );
    for r in rows {
        println!(
            "{:<20} {:<9} {:<32} {:>10.4} {:>22}",
            r.agent,
            r.environment,
            r.quantity,
            r.mean,
            format!("[{:.4}, {:.4}]", r.p05, r.p95)
        );
    }
}

fn plots(
    arms: &[Arm],
    params: &ValidLendingParams,
    seeds: usize,
    out: &Path,
) -> Result<(), Box<dyn Error>> {
    let note = format!("bands: 5–95 % of {seeds} seeds");
    let dynamic: Vec<&Arm> = arms.iter().filter(|a| a.environment == "dynamic").collect();
    let groups = &dynamic[0].runs.groups;

    // Initial and final credit distributions, one plot per group.
    let clusters: Vec<String> = (0..params.n_clusters())
        .map(|c| format!("{c} (p = {})", params.params().success_probabilities[c]))
        .collect();
    let categories: Vec<&str> = clusters.iter().map(String::as_str).collect();
    for (g, group) in groups.iter().enumerate() {
        let mut bars = vec![Bars {
            label: "initial".into(),
            values: params.params().cluster_probabilities[g].clone(),
        }];
        for arm in &dynamic {
            let values = (0..params.n_clusters())
                .map(|c| {
                    let m = arm.runs.metric_index(&format!("cluster_{c}"))?;
                    let v = arm.runs.final_values(g, m);
                    Ok(v.iter().sum::<f64>() / v.len() as f64)
                })
                .collect::<fairfit::sim::Result<Vec<f64>>>()?;
            bars.push(Bars {
                label: format!("final, {} (mean of {seeds} seeds)", arm.policy.name()),
                values,
            });
        }
        let file = format!("credit_distribution_{}.svg", group.replace(' ', "_"));
        DistributionPlot::new(
            format!("Credit-score distribution of {group}: initial and after the run"),
            "credit-score cluster (repayment probability)",
            "share of the group",
        )
        .write_svg(&categories, &bars, out.join(file))?;
    }

    // Cumulative loans and group credit over time: both agents × both groups.
    for (metric, title, y, file) in [
        (
            "loans",
            "Cumulative loans by group (dynamic environment)",
            "loans approved",
            "cumulative_loans.svg",
        ),
        (
            "credit",
            "Group credit over time (dynamic environment)",
            "mean repayment probability",
            "group_credit.svg",
        ),
    ] {
        let mut series = Vec::new();
        for arm in &dynamic {
            for (g, group) in groups.iter().enumerate() {
                series.push(Series {
                    label: format!("{}, {group}", arm.policy.name()),
                    bands: arm.runs.bands(group, metric, BAND.0, BAND.1)?,
                    dashed: g == 1,
                    colour: series.len(),
                });
            }
        }
        TimelinePlot::new(title, y)
            .band_note(note.as_str())
            .write_svg(&series, out.join(file))?;
    }

    // Recall gap, dynamic against static.
    let series = arms
        .iter()
        .map(|arm| {
            Ok(Series {
                colour: usize::from(arm.policy == ThresholdPolicy::EqualOpportunity),
                label: format!("{}, {}", arm.policy.name(), arm.environment),
                bands: arm
                    .runs
                    .gap_bands("recall", &groups[0], &groups[1], BAND.0, BAND.1)?,
                dashed: arm.environment == "static",
            })
        })
        .collect::<fairfit::sim::Result<Vec<_>>>()?;
    TimelinePlot::new("Recall gap (group 1 − group 2), cumulative", "recall gap")
        .band_note(note.as_str())
        .write_svg(&series, out.join("recall_gap.svg"))?;
    Ok(())
}
