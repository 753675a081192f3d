//! Throughput of one streamed pass (rows per second): the cost and gradient of a
//! demographic-parity-penalised logistic objective whose rows are read from a file in chunks
//! of 20,000, decoded, encoded and summed, against the same pass over the rows held in memory.
//!
//! `cargo bench --bench streaming` (add `-- --quick` for rough figures). The file is synthetic,
//! 200,000 rows × 20 standard-normal features, a binary group that shifts five of them, and a
//! label from a logistic model; it is written once per run to the system's temporary
//! directory as Parquet and as gzip CSV. Every iteration evaluates at a new point, so the
//! objective's cache never answers. `examples/out_of_core.rs` runs the whole fit at 10⁷ rows.

use std::hint::black_box;
use std::io::Write;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use fairfit_data::schema::{
    ChunkedTable, CsvOptions, Encoder, ParquetColumn, ParquetKind, ParquetWriter, RawTable, Schema,
};
use fairfit_train::streaming::EncodedChunks;
use fairfit_train::{FairLogisticRegression, Objective, ParamGuard, Penalty};
use ndarray::Array1;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::StandardNormal;

const ROWS: usize = 200_000;
const COLS: usize = 20;
const CHUNK_ROWS: usize = 20_000;

/// Writes the data as Parquet (row groups of 50,000) and gzip CSV; returns both paths.
fn write_files() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("fairfit-bench-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let mut rng = StdRng::seed_from_u64(7);
    let group: Vec<bool> = (0..ROWS).map(|_| rng.gen_bool(0.5)).collect();
    let x: Vec<Vec<f64>> = (0..COLS)
        .map(|j| {
            (0..ROWS)
                .map(|i| {
                    let z: f64 = rng.sample(StandardNormal);
                    z + if j < 5 && group[i] { 0.5 } else { 0.0 }
                })
                .collect()
        })
        .collect();
    let y: Vec<i64> = (0..ROWS)
        .map(|i| {
            let s: f64 = (0..COLS).map(|j| x[j][i] / (1.0 + j as f64)).sum();
            i64::from(rng.gen::<f64>() < 1.0 / (1.0 + (-s).exp()))
        })
        .collect();
    let names: Vec<String> = (0..COLS).map(|j| format!("x{j}")).collect();
    let parquet = dir.join("bench.parquet");
    let mut kinds: Vec<(&str, ParquetKind)> = names
        .iter()
        .map(|n| (n.as_str(), ParquetKind::Double))
        .collect();
    kinds.push(("group", ParquetKind::Text));
    kinds.push(("y", ParquetKind::Int64));
    let mut writer = ParquetWriter::create(&parquet, &kinds).expect("a writable file");
    for start in (0..ROWS).step_by(50_000) {
        let rows = start..(start + 50_000).min(ROWS);
        let mut columns: Vec<ParquetColumn> = x
            .iter()
            .map(|c| ParquetColumn::Double(c[rows.clone()].to_vec()))
            .collect();
        columns.push(ParquetColumn::Text(
            rows.clone()
                .map(|i| Some(if group[i] { "b" } else { "a" }.to_string()))
                .collect(),
        ));
        columns.push(ParquetColumn::Int64(y[rows].to_vec()));
        writer.write(&columns).expect("a row group");
    }
    writer.finish().expect("the footer");
    let gzip = dir.join("bench.csv.gz");
    let file = std::fs::File::create(&gzip).expect("a writable file");
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    writeln!(gz, "{},group,y", names.join(",")).expect("a write");
    for i in 0..ROWS {
        let row: Vec<String> = x.iter().map(|c| c[i].to_string()).collect();
        let g = if group[i] { "b" } else { "a" };
        writeln!(gz, "{},{g},{}", row.join(","), y[i]).expect("a write");
    }
    gz.finish().expect("the gzip trailer");
    (parquet, gzip)
}

fn streamed_pass(c: &mut Criterion) {
    let (parquet, gzip) = write_files();
    let names: Vec<String> = (0..COLS).map(|j| format!("x{j}")).collect();
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("group")
        .numeric(&names)
        .build()
        .expect("a valid schema");
    let params = FairLogisticRegression::params()
        .penalty(Penalty::demographic_parity(), 1.0)
        .check()
        .expect("valid parameters");
    let options = CsvOptions::default();
    let mut group = c.benchmark_group("streamed_pass");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROWS as u64));
    let mut step = 0.0;
    let mut next_theta = |dim: usize| {
        step += 1e-3;
        Array1::from_elem(dim, step)
    };
    for (name, path) in [("parquet", &parquet), ("gzip_csv", &gzip)] {
        let table = ChunkedTable::open(path, &options, CHUNK_ROWS).expect("a readable file");
        let encoder = Encoder::fit_chunks(&schema, &table).expect("an encoder");
        let source = EncodedChunks::new(&table, &encoder);
        let objective = Objective::from_chunks(&source, &params).expect("an objective");
        group.bench_function(name, |b| {
            b.iter(|| {
                let theta = next_theta(objective.dim());
                black_box(objective.value_and_gradient(&theta).expect("a pass"))
            })
        });
    }
    let whole = RawTable::open(&parquet, &options).expect("a readable file");
    let data = Encoder::fit(&schema, &whole)
        .and_then(|e| e.transform(&whole))
        .expect("encoded rows");
    let objective = Objective::new(&data, &params).expect("an objective");
    group.bench_function("in_memory", |b| {
        b.iter(|| {
            let theta = next_theta(objective.dim());
            black_box(objective.value_and_gradient(&theta).expect("a pass"))
        })
    });
    group.finish();
}

criterion_group!(benches, streamed_pass);
criterion_main!(benches);
