//! Wide designs: 10⁵ rows whose features are ten numeric columns and the one-hot columns of a
//! categorical with 10⁴ or 5·10⁴ levels (issue 13). Dense, such a design is 8 GB or 40 GB;
//! gathered from chunks into sparse rows ([`ValidFairParams::fit_gathered`]) it is about 13 MB,
//! and [`Solver::Auto`] fits it by L-BFGS (a Newton Hessian would be 0.8 GB or 20 GB).
//!
//! `cargo bench --bench wide`. For each width it first prints one whole fit as a user pays for
//! it (`fit_gathered`: every chunk of 8 MB generated dense, as an encoder's one-hot output is,
//! read into sparse rows, then the demographic-parity-penalised fit), the time of gathering
//! alone, the solver's statistics and the process's peak resident memory after the fit; then
//! criterion times one solver evaluation (cost and gradient) on the gathered rows.
//!
//! [`ValidFairParams::fit_gathered`]: fairfit_train::ValidFairParams::fit_gathered
//! [`Solver::Auto`]: fairfit_train::Solver::Auto

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use fairfit_data::{FairDataset, SensitiveAttribute};
use fairfit_train::{
    ChunkSource, FairLogisticRegression, Objective, ParamGuard, Penalty, Result, ValidFairParams,
};
use ndarray::{Array1, Array2};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

const ROWS: usize = 100_000;
const NUMERIC: usize = 10;
/// Entries per generated chunk (8 MB of f64).
const CHUNK_ENTRIES: usize = 1_000_000;

/// The synthetic wide data, generated chunk by chunk (the same rows in every pass): group `b`
/// (40% of rows) prefers the upper half of the levels and gets a lower base rate.
struct WideChunks {
    levels: usize,
    effect: Vec<f64>,
}

impl WideChunks {
    fn new(levels: usize) -> Self {
        let mut rng = StdRng::seed_from_u64(13);
        let effect = (0..levels).map(|_| rng.gen_range(-1.5..1.5)).collect();
        Self { levels, effect }
    }

    fn chunk_rows(&self) -> usize {
        (CHUNK_ENTRIES / (NUMERIC + self.levels)).max(1)
    }

    fn chunk(&self, index: usize, rows: usize) -> Result<FairDataset> {
        let mut rng = StdRng::seed_from_u64(1000 + index as u64);
        let mut records = Array2::zeros((rows, NUMERIC + self.levels));
        let mut targets = Array1::zeros(rows);
        let mut group = Vec::with_capacity(rows);
        for i in 0..rows {
            let b = rng.gen_bool(0.4);
            let half = self.levels / 2;
            let level = if b {
                half + rng.gen_range(0..self.levels - half)
            } else {
                rng.gen_range(0..self.levels)
            };
            let mut score = self.effect[level] - if b { 0.8 } else { 0.0 };
            for j in 0..NUMERIC {
                let x: f64 = rng.sample(StandardNormal);
                records[[i, j]] = x;
                score += x / (1.0 + j as f64);
            }
            records[[i, NUMERIC + level]] = 1.0;
            targets[i] = f64::from(rng.gen_bool(1.0 / (1.0 + (-score).exp())));
            group.push(if b { "b" } else { "a" });
        }
        let attribute = SensitiveAttribute::from_values("group", &group, None)?;
        Ok(FairDataset::new(records, targets, vec![attribute])?)
    }
}

impl ChunkSource for WideChunks {
    fn group_names(&self) -> Vec<String> {
        vec!["a".into(), "b".into()]
    }

    fn for_each_chunk(&self, visit: &mut dyn FnMut(&FairDataset) -> Result<()>) -> Result<()> {
        let per = self.chunk_rows();
        for (index, start) in (0..ROWS).step_by(per).enumerate() {
            visit(&self.chunk(index, per.min(ROWS - start))?)?;
        }
        Ok(())
    }
}

fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// CPU seconds this process has used (user + system; Linux's clock ticks of 1/100 s), so that
/// figures taken on a shared machine can be read beside the wall times.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&k| fields.get(k).and_then(|f| f.parse::<f64>().ok()))
        .sum();
    ticks / 100.0
}

fn params() -> ValidFairParams<fairfit_train::Logistic> {
    FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .check()
        .expect("valid parameters")
}

fn wide(c: &mut Criterion) {
    let params = params();
    let mut group = c.benchmark_group("wide");
    for levels in [10_000, 50_000] {
        let source = WideChunks::new(levels);
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let model = params.fit_gathered(&source).expect("converges");
        let (whole, whole_cpu) = (start.elapsed(), cpu_seconds() - cpu);
        let report = model.report().expect("a fitted model has a report");
        let peak = peak_memory_mb().unwrap_or(f64::NAN);
        let (start, cpu) = (Instant::now(), cpu_seconds());
        let objective = Objective::gather(&source, &params).expect("valid data");
        let (gathered, gathered_cpu) = (start.elapsed(), cpu_seconds() - cpu);
        eprintln!(
            "wide/{levels}: {ROWS} × {} ({} MB dense), sparse layout: {}; fit_gathered {:.2} s \
             ({whole_cpu:.1} CPU s), gathering alone {:.2} s ({gathered_cpu:.1} CPU s); {report}; \
             peak resident memory {peak:.0} MB",
            NUMERIC + levels,
            ROWS * (NUMERIC + levels) * 8 / 1_000_000,
            objective.is_sparse(),
            whole.as_secs_f64(),
            gathered.as_secs_f64(),
        );
        assert!(report.converged(), "the wide fit must converge: {report}");
        // One solver evaluation on the gathered rows, at alternating points (no cache hits).
        let a = Array1::from_iter((0..objective.dim()).map(|j| 0.01 * (j as f64).sin()));
        let b = &a * 0.5;
        let mut flip = false;
        group.bench_function(format!("objective/{levels}"), |bench| {
            bench.iter(|| {
                flip = !flip;
                let theta = if flip { &a } else { &b };
                black_box(objective.value_and_gradient(theta).expect("finite"))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, wide);
criterion_main!(benches);
