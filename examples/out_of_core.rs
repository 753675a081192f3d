//! A fit larger than memory: a synthetic Parquet file (by default 10⁷ rows × 100 features,
//! 8 GB as f64) fitted streaming in chunks, with peak memory bounded by the chunk size.
//!
//! The file is generated once (kept between runs): features standard normal, a binary
//! sensitive attribute `group` (`a`/`b`, half each) that shifts the first ten features by 0.5,
//! and the label drawn from a logistic model of the features and the group. The fit then runs
//! as `fairfit train` runs it on such a file: the encoder fitted over the chunks (two passes),
//! then fair logistic regression with a demographic-parity penalty, each solver evaluation one
//! pass over the file. Reported: wall time of each step, passes, seconds per pass, rows per
//! second, the peak resident memory of the process (`VmHWM`), and the hard-decision
//! demographic-parity gap of the fitted model on the first chunk.
//!
//! In `--fast` mode (or `FAIRFIT_FAST=1`: 20,000 rows × 20 features, for CI) it also fits the
//! same rows in memory and checks that the coefficients agree to 1e-8.
//!
//! ```sh
//! cargo run --release --example out_of_core                      # 10^7 x 100, about 8 GB on disk
//! cargo run --release --example out_of_core -- --rows 1000000    # 10^6 x 100
//! cargo run --release --example out_of_core -- --fast            # CI: 20,000 x 20, checked in memory
//! cargo run --release --example out_of_core -- --data /big/disk/x.parquet --chunk-rows 50000
//! ```
//!
//! Written to `results/out_of_core/`: the data file (unless `--data` puts it elsewhere) and
//! `summary.json`.

use std::error::Error;
use std::path::{Path, PathBuf};
use std::time::Instant;

use fairfit::data::schema::{
    ChunkedTable, CsvOptions, Encoder, ParquetColumn, ParquetKind, ParquetWriter, RawTable, Schema,
};
use fairfit::eval::metrics::demographic_parity_difference;
use fairfit::train::streaming::EncodedChunks;
use fairfit::train::{FairLogisticRegression, ParamGuard, Penalty};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

/// Rows per Parquet row group written.
const ROW_GROUP: usize = 100_000;
/// Features the group shifts.
const PROXIES: usize = 10;
/// Seed of the data.
const SEED: u64 = 16;

struct Options {
    rows: usize,
    cols: usize,
    chunk_rows: usize,
    data: PathBuf,
    lambda: f64,
    fast: bool,
}

fn options() -> Result<Options, Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fast = args.iter().any(|a| a == "--fast") || std::env::var("FAIRFIT_FAST").is_ok();
    let value = |name: &str| -> Option<&String> {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let (rows, cols) = if fast {
        (20_000, 20)
    } else {
        (10_000_000, 100)
    };
    let rows: usize = value("--rows").map_or(Ok(rows), |v| v.parse())?;
    let cols: usize = value("--cols").map_or(Ok(cols), |v| v.parse())?;
    let chunk_rows: usize =
        value("--chunk-rows").map_or(Ok(if fast { 3_000 } else { 50_000 }), |v| v.parse())?;
    let lambda: f64 = value("--lambda").map_or(Ok(1.0), |v| v.parse())?;
    let data = value("--data").map_or_else(
        || {
            PathBuf::from(format!(
                "results/out_of_core/synthetic_{rows}x{cols}.parquet"
            ))
        },
        PathBuf::from,
    );
    Ok(Options {
        rows,
        cols,
        chunk_rows,
        data,
        lambda,
        fast,
    })
}

/// Writes the synthetic file a row group at a time (never more than one row group in memory).
fn generate(path: &Path, rows: usize, cols: usize) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let names: Vec<String> = (0..cols).map(|j| format!("x{j}")).collect();
    let mut kinds: Vec<(&str, ParquetKind)> = names
        .iter()
        .map(|n| (n.as_str(), ParquetKind::Double))
        .collect();
    kinds.push(("group", ParquetKind::Text));
    kinds.push(("y", ParquetKind::Int64));
    // Coefficients of the label model: decaying, alternating in sign.
    let beta: Vec<f64> = (0..cols)
        .map(|j| if j % 2 == 0 { 1.0 } else { -1.0 } / (1.0 + j as f64).sqrt())
        .collect();
    let mut rng = StdRng::seed_from_u64(SEED);
    let tmp = path.with_extension("parquet.partial");
    let mut writer = ParquetWriter::create(&tmp, &kinds)?;
    let mut start = 0;
    while start < rows {
        let n = ROW_GROUP.min(rows - start);
        let group: Vec<bool> = (0..n).map(|_| rng.gen_bool(0.5)).collect();
        let mut columns: Vec<Vec<f64>> = (0..cols)
            .map(|j| {
                (0..n)
                    .map(|i| {
                        let z: f64 = rng.sample(StandardNormal);
                        z + if j < PROXIES && group[i] { 0.5 } else { 0.0 }
                    })
                    .collect()
            })
            .collect();
        let labels: Vec<i64> = (0..n)
            .map(|i| {
                let score: f64 = columns
                    .iter()
                    .zip(&beta)
                    .map(|(c, b)| c[i] * b)
                    .sum::<f64>()
                    + if group[i] { 0.8 } else { -0.2 };
                i64::from(rng.gen::<f64>() < 1.0 / (1.0 + (-score).exp()))
            })
            .collect();
        let mut out: Vec<ParquetColumn> = columns.drain(..).map(ParquetColumn::Double).collect();
        out.push(ParquetColumn::Text(
            group
                .iter()
                .map(|&b| Some(if b { "b" } else { "a" }.to_string()))
                .collect(),
        ));
        out.push(ParquetColumn::Int64(labels));
        writer.write(&out)?;
        start += n;
    }
    writer.finish()?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// The peak resident set size of this process so far, in MiB (`VmHWM`; Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn main() -> Result<(), Box<dyn Error>> {
    let opts = options()?;
    let started = Instant::now();
    if !opts.data.exists() {
        println!(
            "generating {} rows x {} features -> {}",
            opts.rows,
            opts.cols,
            opts.data.display()
        );
        generate(&opts.data, opts.rows, opts.cols)?;
    }
    let generated = started.elapsed().as_secs_f64();
    let bytes = std::fs::metadata(&opts.data)?.len();
    println!(
        "data: {} ({:.2} GB on disk), generated in {generated:.1} s",
        opts.data.display(),
        bytes as f64 / 1e9
    );

    let features: Vec<String> = (0..opts.cols).map(|j| format!("x{j}")).collect();
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("group")
        .numeric(&features)
        .build()?;
    let csv = CsvOptions::default();
    let table = ChunkedTable::open(&opts.data, &csv, opts.chunk_rows)?;

    let t = Instant::now();
    let encoder = Encoder::fit_chunks(&schema, &table)?;
    let encoder_seconds = t.elapsed().as_secs_f64();
    println!(
        "encoder fitted over chunks of {} rows in {encoder_seconds:.1} s (2 passes)",
        opts.chunk_rows
    );

    let params = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), opts.lambda)
        .check()?;
    let source = EncodedChunks::new(&table, &encoder);
    let t = Instant::now();
    let model = params.fit_streaming(&source)?;
    let fit_seconds = t.elapsed().as_secs_f64();
    let report = model.report().ok_or("a fitted model carries its report")?;
    // One pass prepares the objective; every evaluation is another.
    let passes = report.evaluations + 1;
    let per_pass = fit_seconds / passes as f64;
    let peak = peak_rss_mib();
    println!(
        "streamed fit (demographic parity, lambda {}): {fit_seconds:.1} s, {} iterations, {passes} passes, {per_pass:.2} s/pass, {:.0} rows/s, converged: {}",
        opts.lambda,
        report.iterations,
        opts.rows as f64 / per_pass,
        report.converged()
    );

    // The hard-decision gap on the first chunk (a sample of the rows).
    let first = table.chunks()?.next().ok_or("the file has rows")??;
    let sample = encoder.transform(&first)?;
    let scores = model.decision_function(sample.records())?;
    let decisions: Vec<bool> = scores.iter().map(|&s| s > 0.0).collect();
    let gap = demographic_parity_difference(&decisions, sample.groups(), None)?.value;
    let constant = decisions.iter().all(|&d| d == decisions[0]);
    println!(
        "hard-decision demographic-parity gap on the first {} rows: {gap:.4}{}",
        first.len(),
        if constant {
            " (a constant rule: every row decided alike)"
        } else {
            ""
        }
    );

    let mut checked = None;
    if opts.fast {
        let whole = RawTable::open(&opts.data, &csv)?;
        let held = params.fit(&encoder.transform(&whole)?)?;
        let gap = held
            .coefficients()
            .iter()
            .zip(model.coefficients())
            .map(|(a, b)| (a - b).abs())
            .fold((held.intercept() - model.intercept()).abs(), f64::max);
        println!("in-memory fit of the same rows: largest coefficient difference {gap:.1e}");
        if gap > 1e-8 {
            return Err(format!("streamed and in-memory fits differ by {gap:e}").into());
        }
        checked = Some(gap);
    }
    let peak = peak.unwrap_or(f64::NAN);
    println!("peak resident memory (VmHWM): {peak:.0} MiB");
    let summary = serde_json::json!({
        "rows": opts.rows,
        "features": opts.cols,
        "chunk_rows": opts.chunk_rows,
        "file_bytes": bytes,
        "encoder_seconds": encoder_seconds,
        "fit_seconds": fit_seconds,
        "iterations": report.iterations,
        "passes": passes,
        "seconds_per_pass": per_pass,
        "rows_per_second": opts.rows as f64 / per_pass,
        "converged": report.converged(),
        "peak_rss_mib": peak,
        "in_memory_max_difference": checked,
        "dp_gap_first_chunk": gap,
        "constant_rule": constant,
    });
    std::fs::create_dir_all("results/out_of_core")?;
    std::fs::write(
        "results/out_of_core/summary.json",
        serde_json::to_string_pretty(&summary)?,
    )?;
    Ok(())
}
