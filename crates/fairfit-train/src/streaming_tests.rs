//! The streamed fit against the in-memory fit: Adult, generated gzip CSV and Parquet files, a
//! data set cut into chunks; unpenalised and penalised, logistic and linear.
//! Compiled only under `#[cfg(test)]` (see the crate root).

use std::io::Write;
use std::path::PathBuf;

use fairfit_data::schema::{
    ChunkedTable, CsvOptions, Encoder, ParquetColumn, ParquetKind, ParquetWriter, RawTable, Schema,
};
use fairfit_data::synthetic::BiasedParams;
use fairfit_data::FairDataset;

use crate::streaming::fit_table;
use crate::{
    DatasetChunks, FairLinearRegression, FairLogisticRegression, FittedModel, ModelKind,
    ParamGuard, Penalty, TrainError, ValidFairParams,
};

/// Coefficients and intercepts of two fits agree to 1e-8.
fn assert_same_model<K: ModelKind>(held: &FittedModel<K>, streamed: &FittedModel<K>, what: &str) {
    let gap = held
        .coefficients()
        .iter()
        .zip(streamed.coefficients())
        .map(|(a, b)| (a - b).abs())
        .fold((held.intercept() - streamed.intercept()).abs(), f64::max);
    assert!(gap < 1e-8, "{what}: coefficients differ by {gap:e}");
    let (h, s) = (held.report().unwrap(), streamed.report().unwrap());
    assert!(h.converged() && s.converged(), "{what}: {h:?} / {s:?}");
}

fn logistic_params() -> Vec<(&'static str, ValidFairParams<crate::Logistic>)> {
    vec![
        (
            "unpenalised",
            FairLogisticRegression::params().check().unwrap(),
        ),
        (
            "demographic parity",
            FairLogisticRegression::params()
                .penalty(Penalty::demographic_parity(), 2.0)
                .check()
                .unwrap(),
        ),
    ]
}

/// Fits on the file in memory (read whole, encoder fitted whole) and streaming in chunks.
fn assert_file_fits_agree(path: &PathBuf, options: &CsvOptions, schema: &Schema, chunk: usize) {
    let whole = RawTable::open(path, options).unwrap();
    let encoder = Encoder::fit(schema, &whole).unwrap();
    let data = encoder.transform(&whole).unwrap();
    let table = ChunkedTable::open(path, options, chunk).unwrap();
    for (name, params) in logistic_params() {
        let held = params.fit(&data).unwrap();
        let (streamed_encoder, streamed) = fit_table(&params, schema, &table).unwrap();
        assert_eq!(streamed_encoder, encoder);
        assert_same_model(&held, &streamed, &format!("{} {name}", path.display()));
    }
}

#[test]
fn adult_streamed_in_chunks_fits_the_in_memory_model() {
    let raw = fairfit_data::reference::adult_raw(fairfit_data::reference::datasets_dir()).unwrap();
    let path = fairfit_data::reference::datasets_dir().join("adult.data");
    let options = CsvOptions::default()
        .no_headers(raw.train.columns())
        .comment(b'|');
    assert_file_fits_agree(&path, &options, &raw.schema, 4000);
}

/// A synthetic data set with a group-correlated feature, as Parquet (row groups of 700) and
/// gzip CSV, and the names of its feature columns.
fn generated_files() -> (PathBuf, PathBuf, Vec<String>) {
    let data = BiasedParams::new(3000, 4)
        .label_bias("b", 0.35)
        .proxy("b", 0.6)
        .seed(11)
        .generate()
        .unwrap()
        .data;
    let dir = std::env::temp_dir().join(format!("fairfit-streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let names = data.groups().names();
    let group: Vec<String> = data
        .groups()
        .of_row()
        .iter()
        .map(|&g| names[g].clone())
        .collect();
    let parquet = dir.join("biased.parquet");
    let d = data.nfeatures();
    let features: Vec<String> = (0..d).map(|j| format!("x{j}")).collect();
    let mut kinds: Vec<(String, ParquetKind)> = features
        .iter()
        .map(|name| (name.clone(), ParquetKind::Double))
        .collect();
    kinds.push(("group".into(), ParquetKind::Text));
    kinds.push(("y".into(), ParquetKind::Int64));
    let kinds: Vec<(&str, ParquetKind)> = kinds.iter().map(|(n, k)| (n.as_str(), *k)).collect();
    let mut writer = ParquetWriter::create(&parquet, &kinds).unwrap();
    for start in (0..data.nrows()).step_by(700) {
        let rows = start..(start + 700).min(data.nrows());
        let mut columns: Vec<ParquetColumn> = (0..d)
            .map(|j| ParquetColumn::Double(rows.clone().map(|i| data.records()[[i, j]]).collect()))
            .collect();
        columns.push(ParquetColumn::Text(
            rows.clone().map(|i| Some(group[i].clone())).collect(),
        ));
        columns.push(ParquetColumn::Int64(
            rows.map(|i| data.targets()[i] as i64).collect(),
        ));
        writer.write(&columns).unwrap();
    }
    writer.finish().unwrap();
    let gzip = dir.join("biased.csv.gz");
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(&gzip).unwrap(),
        flate2::Compression::fast(),
    );
    writeln!(gz, "{},group,y", features.join(",")).unwrap();
    for (i, x) in data.records().outer_iter().enumerate() {
        let x: Vec<String> = x.iter().map(f64::to_string).collect();
        writeln!(gz, "{},{},{}", x.join(","), group[i], data.targets()[i]).unwrap();
    }
    gz.finish().unwrap();
    (parquet, gzip, features)
}

#[test]
fn generated_parquet_and_gzip_files_streamed_fit_the_in_memory_model() {
    let (parquet, gzip, features) = generated_files();
    let schema = Schema::builder()
        .label("y", "1")
        .sensitive("group")
        .numeric(&features)
        .build()
        .unwrap();
    assert_file_fits_agree(&parquet, &CsvOptions::default(), &schema, 512);
    assert_file_fits_agree(&gzip, &CsvOptions::default(), &schema, 999);
}

fn biased(n: usize) -> FairDataset {
    BiasedParams::new(n, 5)
        .label_bias("b", 0.4)
        .seed(3)
        .generate()
        .unwrap()
        .data
}

#[test]
fn chunks_of_a_data_set_fit_the_in_memory_model_for_every_kind_and_penalty() {
    let data = biased(2500);
    for chunk in [1000, 4096, 10_000] {
        let source = DatasetChunks::new(&data, chunk).unwrap();
        for (name, params) in logistic_params() {
            let held = params.fit(&data).unwrap();
            assert_same_model(&held, &params.fit_streaming(&source).unwrap(), name);
        }
        let odds = FairLogisticRegression::params()
            .penalty(Penalty::equalized_odds(), 1.0)
            .check()
            .unwrap();
        let held = odds.fit(&data).unwrap();
        assert_same_model(&held, &odds.fit_streaming(&source).unwrap(), "odds");
        let linear = FairLinearRegression::params()
            .penalty(Penalty::demographic_parity(), 1.0)
            .check()
            .unwrap();
        let held = linear.fit(&data).unwrap();
        assert_same_model(&held, &linear.fit_streaming(&source).unwrap(), "linear");
    }
}

#[test]
fn streamed_errors_name_the_row_among_all_rows() {
    let data = biased(300);
    let mut targets = data.targets().to_owned();
    targets[250] = 2.0;
    let bad = FairDataset::new(
        data.records().to_owned(),
        targets,
        data.attributes().to_vec(),
    )
    .unwrap();
    let params = FairLogisticRegression::params().check().unwrap();
    let source = DatasetChunks::new(&bad, 100).unwrap();
    match params.fit_streaming(&source) {
        Err(TrainError::NotBinary { row: 250, value }) => assert_eq!(value, 2.0),
        other => panic!("{other:?}"),
    }
    assert!(DatasetChunks::new(&data, 0).is_err());
}
