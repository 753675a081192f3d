//! Catching drift in a deployed model's fairness: a synthetic stream of 20,000 scored decisions
//! over 40 days whose bias against group B appears on day 20 (B's scores shrink by 30 %).
//! The monitor slides 4-day windows in 2-day steps, bounds the demographic-parity and TPR
//! differences at 0.1, prints the windows and the alerts, and writes
//! `results/monitoring/{stream,windows,alerts}.csv`, `report.json` and `disparity.svg`.
//!
//! Run with `cargo run --release --example monitoring`.

use fairfit::data::fairness::Notion;
use fairfit::eval::monitor::{read_stream, Monitor, StreamRecord, WindowSpec};
use fairfit::eval::plot::DisparityTimeline;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const DAYS: f64 = 40.0;
const SHIFT_DAY: f64 = 20.0;
const RECORDS: usize = 20_000;

/// The stream: times uniform over the days, 60 % group A; the true propensity `u` is uniform and
/// the label (known for 70 % of records) is drawn from it, the same in both groups. The model
/// scores A by `u` throughout, and B by `u` before the shift and `0.7 · u` after it.
fn synthetic_stream(seed: u64) -> Vec<StreamRecord> {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut times: Vec<f64> = (0..RECORDS).map(|_| rng.gen::<f64>() * DAYS).collect();
    times.sort_by(f64::total_cmp);
    times
        .into_iter()
        .map(|time| {
            let b = rng.gen::<f64>() < 0.4;
            let u: f64 = rng.gen();
            let label = rng.gen::<f64>() < u;
            let known = rng.gen::<f64>() < 0.7;
            let score = if b && time >= SHIFT_DAY { 0.7 * u } else { u };
            StreamRecord {
                time,
                score,
                label: known.then_some(label),
                group: if b { "B" } else { "A" }.into(),
            }
        })
        .collect()
}

/// Writes the stream as CSV (`time,score,label,group`; empty label when unknown). The fields
/// need no quoting, so plain formatting suffices.
fn write_stream(records: &[StreamRecord], path: &std::path::Path) -> std::io::Result<()> {
    let mut text = String::from("time,score,label,group\n");
    for r in records {
        let label = r.label.map_or(String::new(), |l| u8::from(l).to_string());
        text.push_str(&format!(
            "{:.4},{:.4},{label},{}\n",
            r.time, r.score, r.group
        ));
    }
    std::fs::write(path, text)
}

fn main() -> fairfit::Result<()> {
    let out = std::path::Path::new("results/monitoring");
    std::fs::create_dir_all(out)?;
    let stream_path = out.join("stream.csv");
    write_stream(&synthetic_stream(7), &stream_path)?;
    // Read it back as a monitoring job would.
    let records = read_stream(&stream_path)?;

    let monitor = Monitor::new(WindowSpec::Time {
        size: 4.0,
        step: 2.0,
    })
    .threshold(0.5)
    .bound(Notion::demographic_parity(), 0.1)?
    .bound(Notion::equal_opportunity(), 0.1)?;
    let report = monitor.run(&records)?;

    println!(
        "{} records over {DAYS} days; bias against B starts on day {SHIFT_DAY}\n",
        records.len()
    );
    println!("{report}");
    println!("alerts (bound 0.1):");
    for a in &report.alerts {
        println!(
            "  window {:>2} [day {:>4}, {:>4}): {} = {:.3}",
            a.window,
            a.start,
            a.end,
            a.disparity.column(),
            a.value
        );
    }
    let before = report.alerts.iter().filter(|a| a.end <= SHIFT_DAY).count();
    let first = report
        .alerts
        .iter()
        .map(|a| a.start)
        .fold(f64::INFINITY, f64::min);
    println!(
        "\n{} alerts, {before} in windows that end before the shift; first alerting window starts on day {first}",
        report.alerts.len()
    );

    report.write_windows_csv(out.join("windows.csv"))?;
    report.write_alerts_csv(out.join("alerts.csv"))?;
    std::fs::write(out.join("report.json"), report.to_json()?)?;
    DisparityTimeline::default()
        .title("Fairness drift: disparity by 4-day window")
        .x_label("Day (window midpoint)")
        .write_svg(&report, out.join("disparity.svg"))?;
    println!(
        "wrote {}/{{stream,windows,alerts}}.csv, report.json, disparity.svg",
        out.display()
    );
    Ok(())
}
