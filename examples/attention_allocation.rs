//! Attention allocation with feedback (the ml-fairness-gym's `attention_allocation`, after Ensign
//! et al. 2018, "Runaway feedback loops in predictive policing").
//!
//! The gym's FAT* 2020 setting: five sites with incident rates 8, 6, 4, 3 and 1.5 per step, six
//! units of attention, every incident at an attended site found while units last, none found
//! elsewhere. Four allocators: uniform at random, proportional to the incidents each site has
//! yielded (with decay 0.01, the gym's naive probability matching), the same with ε = 0.1
//! uniform exploration, and greedy (all attention where most was found). Each runs with static
//! rates and with rates that respond to attention (dynamic rate 0.05: a site's rate falls by 0.05
//! per unit of attention and rises by 0.05 per step without).
//!
//! Written to `results/attention_allocation/`: `long.csv`, `summary.csv`/`summary.json`
//! (per allocator, environment and site: share of attention, incidents occurred and discovered,
//! discovery rate; mean and 5–95 % of seeds), `attention_share.svg` and `discovery_rate.svg`
//! (proportional allocator, static rates, per site over time).
//!
//! ```sh
//! cargo run --release --example attention_allocation             # 1,000 steps × 50 seeds
//! cargo run --release --example attention_allocation -- --fast   # 200 steps × 10 seeds (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::path::Path;

use fairfit::sim::attention::{Allocation, Allocator, AttentionParams, ValidAttentionParams};
use fairfit::sim::plot::{Series, TimelinePlot};
use fairfit::sim::{quantile, run, write_long_csv, RunSpec, Runs};
use serde::Serialize;

#[derive(Serialize)]
struct SummaryRow {
    allocator: String,
    rates: &'static str,
    site: String,
    quantity: &'static str,
    mean: f64,
    p05: f64,
    p95: f64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let (steps, seeds, every) = if fast { (200, 10, 10) } else { (1_000, 50, 10) };
    let out = Path::new("results/attention_allocation");
    let spec = RunSpec::new(steps, seeds)?.record_every(every)?;
    println!("attention allocation: 5 sites, 6 units, {steps} steps × {seeds} seeds");

    let allocators = [
        (Allocation::Uniform, 0.0),
        (Allocation::Proportional, 0.0),
        (Allocation::Proportional, 0.1),
        (Allocation::Greedy, 0.0),
    ];
    let mut all: Vec<(&'static str, Runs)> = Vec::new();
    for (rates, dynamic) in [("static", 0.0), ("dynamic 0.05", 0.05)] {
        let params = AttentionParams::five_sites(dynamic).check()?;
        for (rule, epsilon) in allocators {
            let runs = run_allocator(&spec, &params, rule, epsilon)?;
            let label = format!("{}, {rates}", runs.label);
            all.push((rates, runs.labelled(label)));
        }
    }
    let refs: Vec<&Runs> = all.iter().map(|(_, r)| r).collect();
    write_long_csv(&refs, out.join("long.csv"))?;

    let mut summary = Vec::new();
    for (rates, runs) in &all {
        let allocator = runs
            .label
            .rsplit_once(", ")
            .map_or(runs.label.clone(), |(a, _)| a.to_string());
        for (g, site) in runs.groups.iter().enumerate() {
            for quantity in [
                "attention_share",
                "occurred",
                "discovered",
                "discovery_rate",
            ] {
                let mut v: Vec<f64> = runs
                    .final_values(g, runs.metric_index(quantity)?)
                    .into_iter()
                    .filter(|x| !x.is_nan())
                    .collect();
                v.sort_by(f64::total_cmp);
                summary.push(SummaryRow {
                    allocator: allocator.clone(),
                    rates,
                    site: site.clone(),
                    quantity,
                    mean: v.iter().sum::<f64>() / v.len() as f64,
                    p05: quantile(&v, 0.05),
                    p95: quantile(&v, 0.95),
                });
            }
        }
    }
    println!("\nper site at the end: attention share and discovery rate (discovered / occurred), mean over seeds");
    println!(
        "{:<22} {:<13} {:>44} {:>44}",
        "allocator", "rates", "attention share, sites 1–5", "discovery rate, sites 1–5"
    );
    for chunk in summary.chunks(20) {
        let pick = |q: &str| {
            chunk
                .iter()
                .filter(|r| r.quantity == q)
                .map(|r| format!("{:.3}", r.mean))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let total = |q: &str| {
            chunk
                .iter()
                .filter(|r| r.quantity == q)
                .map(|r| r.mean)
                .sum::<f64>()
        };
        println!(
            "{:<22} {:<13} {:>44} {:>44}   found {:.0} of {:.0}",
            chunk[0].allocator,
            chunk[0].rates,
            pick("attention_share"),
            pick("discovery_rate"),
            total("discovered"),
            total("occurred")
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

    let proportional = &all[1].1;
    let note = format!("bands: 5–95 % of {seeds} seeds");
    for (metric, title, y, file) in [
        (
            "attention_share",
            "Share of attention per site, proportional allocator (static rates)",
            "share of all attention so far",
            "attention_share.svg",
        ),
        (
            "discovery_rate",
            "Incidents discovered / occurred per site, proportional allocator (static rates)",
            "discovery rate",
            "discovery_rate.svg",
        ),
    ] {
        let series = proportional
            .groups
            .iter()
            .enumerate()
            .map(|(i, site)| {
                Ok(Series {
                    label: site.clone(),
                    bands: proportional.bands(site, metric, 0.05, 0.95)?,
                    dashed: false,
                    colour: i,
                })
            })
            .collect::<fairfit::sim::Result<Vec<_>>>()?;
        TimelinePlot::new(title, y)
            .band_note(note.as_str())
            .write_svg(&series, out.join(file))?;
    }
    println!("wrote {}", out.display());
    Ok(())
}

fn run_allocator(
    spec: &RunSpec,
    params: &ValidAttentionParams,
    rule: Allocation,
    epsilon: f64,
) -> fairfit::sim::Result<Runs> {
    run(
        spec,
        |seed| Ok(params.build(seed)),
        |_| Allocator::new(params, rule, 0.01, epsilon),
    )
}
