//! Stratified splitting of raw rows, before any encoder is fitted: the strata are the first
//! sensitive column's value × whether the label is the favourable value, read as text, so that
//! nothing about the held-out rows informs the encoding fitted afterwards.

use std::collections::HashMap;
use std::path::Path;

use super::encoder::Encoder;
use super::spec::Schema;
use super::table::{CsvOptions, RawTable};
use crate::error::{DataError, Result};
use crate::split::{StratifiedSplit, TrainTest};

/// The stratum of every raw row: the first sensitive column's text × (label = favourable),
/// numbered in order of first appearance. A missing marker is a value like any other here (the
/// schema's missing-value policy applies when encoding).
///
/// ```
/// use fairfit::data::schema::{raw_strata, CsvOptions, RawTable, Schema};
/// let csv = "x,sex,y\n1,F,1\n2,M,0\n3,F,0\n4,M,0\n5,F,1\n";
/// let table = RawTable::from_reader(csv.as_bytes(), "people.csv", &CsvOptions::default())?;
/// let schema = Schema::builder().label("y", "1").sensitive("sex").numeric(&["x"]).build()?;
/// assert_eq!(raw_strata(&schema, &table)?, [0, 1, 2, 1, 0]);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
pub fn raw_strata(schema: &Schema, table: &RawTable) -> Result<Vec<usize>> {
    let label = table.column_index(schema.label())?;
    let first = schema.sensitive().first().ok_or_else(|| {
        DataError::Empty(format!(
            "the schema for {} names no sensitive column to stratify by",
            table.path().display()
        ))
    })?;
    let group = table.column_index(&first.column)?;
    let mut numbers: HashMap<(&str, bool), usize> = HashMap::new();
    Ok(table
        .rows()
        .iter()
        .map(|row| {
            let key = (row.field(group), row.field(label) == schema.favourable());
            let next = numbers.len();
            *numbers.entry(key).or_insert(next)
        })
        .collect())
}

/// Splits raw rows into a training and a test table, stratified by [`raw_strata`] and seeded
/// (see [`StratifiedSplit`] for how shares are rounded). Each row keeps its line number.
pub fn split_raw(
    schema: &Schema,
    table: &RawTable,
    test_fraction: f64,
    seed: u64,
) -> Result<(RawTable, RawTable)> {
    let parts = StratifiedSplit::new(&[test_fraction], seed)?.indices(&raw_strata(schema, table)?);
    Ok((table.select(&parts[0])?, table.select(&parts[1])?))
}

/// Reads one CSV file, splits its raw rows into train and test (stratified by the first
/// sensitive column × label, seeded), fits the schema's [`Encoder`] on the training rows only,
/// and encodes both: the whole path from one's own file to a [`TrainTest`] in one call.
///
/// Errors: everything [`RawTable::read`] and [`Encoder::fit`] report, with file, line and column
/// (a field that is not a number, a label with other than two values, a missing value the
/// policy forbids, a ragged row, ...); an unknown column; a test fraction outside (0, 1); a
/// test row whose label or sensitive value never occurs in the training rows.
///
/// ```
/// use fairfit::data::schema::{load_split, CsvOptions, Schema};
/// let dir = std::env::temp_dir().join(format!("fairfit-doc-load-split-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).expect("temp dir");
/// let path = dir.join("people.csv");
/// let mut csv = String::from("age,sex,hired\n");
/// for i in 0..40 {
///     let sex = if i % 2 == 0 { "F" } else { "M" };
///     csv += &format!("{},{sex},{}\n", 20 + i, if i % 3 == 0 { "yes" } else { "no" });
/// }
/// std::fs::write(&path, csv).expect("temp file");
/// let schema = Schema::builder().label("hired", "yes").sensitive("sex").numeric(&["age"]).build()?;
/// let (encoder, data) = load_split(&schema, &path, &CsvOptions::default(), 0.25, 7)?;
/// assert_eq!((data.train.nrows(), data.test.nrows()), (30, 10));
/// assert_eq!(encoder.feature_names(), ["age"]);
/// # std::fs::remove_dir_all(&dir).ok();
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
pub fn load_split(
    schema: &Schema,
    path: impl AsRef<Path>,
    options: &CsvOptions,
    test_fraction: f64,
    seed: u64,
) -> Result<(Encoder, TrainTest)> {
    let table = RawTable::read(path, options)?;
    let (train, test) = split_raw(schema, &table, test_fraction, seed)?;
    super::encode_split(schema, &train, &test)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FeatureEncoder, MissingPolicy};
    use std::path::PathBuf;

    /// A file with 3 groups of 60, 30 and 10 rows, positives 30, 6 and 5; `x` is the row number.
    fn write_people(name: &str, extra: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("fairfit-stratify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut csv = String::from("x,job,group,y\n");
        let mut i = 0;
        for (group, n, positives) in [("a", 60, 30), ("b", 30, 6), ("c", 10, 5)] {
            for k in 0..n {
                let y = if k < positives { "good" } else { "bad" };
                let job = ["clerk", "cook", "nurse"][i % 3];
                csv += &format!("{i},{job},{group},{y}\n");
                i += 1;
            }
        }
        csv += extra;
        let path = dir.join(name);
        std::fs::write(&path, csv).unwrap();
        path
    }

    fn schema() -> Schema {
        Schema::builder()
            .label("y", "good")
            .sensitive("group")
            .numeric(&["x"])
            .categorical(&["job"])
            .missing("?", MissingPolicy::Error)
            .build()
            .unwrap()
    }

    /// (group, label) counts of a data set, by group index then label.
    fn cells(data: &crate::FairDataset) -> Vec<[usize; 2]> {
        let mut out = vec![[0, 0]; data.groups().n_groups()];
        for (&g, y) in data.groups().of_row().iter().zip(data.labels().unwrap()) {
            out[g][usize::from(y)] += 1;
        }
        out
    }

    #[test]
    fn split_keeps_every_group_label_cell_in_proportion() {
        let path = write_people("cells.csv", "");
        let (_, data) = load_split(&schema(), &path, &CsvOptions::default(), 0.2, 3).unwrap();
        assert_eq!((data.train.nrows(), data.test.nrows()), (80, 20));
        assert_eq!(data.train.groups().names(), data.test.groups().names());
        // cells (a,bad) 30, (a,good) 30, (b,bad) 24, (b,good) 6, (c,bad) 5, (c,good) 5: a fifth
        // of each, shared by largest remainder (6, 6, 4.8, 1.2, 1, 1 → 6, 6, 5, 1, 1, 1).
        assert_eq!(cells(&data.test), [[6, 6], [5, 1], [1, 1]]);
        assert_eq!(cells(&data.train), [[24, 24], [19, 5], [4, 4]]);
    }

    #[test]
    fn same_seed_same_split_other_seed_other_split() {
        let path = write_people("seeds.csv", "");
        let load = |seed| load_split(&schema(), &path, &CsvOptions::default(), 0.3, seed).unwrap();
        let (first, second, other) = (load(11).1, load(11).1, load(12).1);
        assert_eq!(first, second);
        assert_ne!(first.test.records(), other.test.records());
    }

    #[test]
    fn encoder_is_fitted_on_training_rows_only() {
        let path = write_people("leak.csv", "");
        let (encoder, data) =
            load_split(&schema(), &path, &CsvOptions::default(), 0.25, 5).unwrap();
        let FeatureEncoder::Numeric(x) = &encoder.features()[0] else {
            panic!("x is numeric")
        };
        // Undo the standardisation: the raw row numbers of train and test.
        let raw = |d: &crate::FairDataset| -> Vec<f64> {
            d.records()
                .column(0)
                .iter()
                .map(|v| (v * x.sd() + x.mean()).round())
                .collect()
        };
        let (train, test) = (raw(&data.train), raw(&data.test));
        let mean = train.iter().sum::<f64>() / train.len() as f64;
        let sd =
            (train.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / train.len() as f64).sqrt();
        assert!(
            (x.mean() - mean).abs() < 1e-9,
            "{} vs train mean {mean}",
            x.mean()
        );
        assert!((x.sd() - sd).abs() < 1e-9, "{} vs train sd {sd}", x.sd());
        // ... which differ from the statistics of all 100 rows (mean 49.5).
        assert!((x.mean() - 49.5).abs() > 1e-6);
        let mut all: Vec<f64> = train.iter().chain(&test).copied().collect();
        all.sort_by(f64::total_cmp);
        assert_eq!(all, (0..100).map(f64::from).collect::<Vec<_>>());
    }

    #[test]
    fn bad_input_is_a_typed_error_with_its_place() {
        let options = CsvOptions::default();
        let path = write_people("bad-number.csv", "x9,cook,a,good\n");
        let err = load_split(&schema(), &path, &options, 0.5, 1).unwrap_err();
        // The bad row (line 102) lands in train or test; either way its place is named.
        match &err {
            DataError::Parse { position, .. } => {
                assert_eq!(position.path, path);
                assert_eq!(position.line, 102);
                assert_eq!(position.column.as_deref(), Some("x"));
            }
            other => panic!("unexpected {other}"),
        }
        let path = write_people("missing.csv", "?,cook,a,good\n");
        let err = load_split(&schema(), &path, &options, 0.5, 1).unwrap_err();
        assert!(
            matches!(&err, DataError::Missing { position, .. } if position.line == 102),
            "{err}"
        );
        let path = write_people("ragged.csv", "1,cook\n");
        let err = load_split(&schema(), &path, &options, 0.5, 1).unwrap_err();
        assert!(
            matches!(&err, DataError::Ragged { position, found: 2, .. } if position.line == 102),
            "{err}"
        );
        let path = write_people("fine.csv", "");
        for fraction in [0.0, 1.0, f64::NAN] {
            let err = load_split(&schema(), &path, &options, fraction, 1).unwrap_err();
            assert!(matches!(
                err,
                DataError::InvalidParameter {
                    name: "fractions",
                    ..
                }
            ));
        }
        let wrong = Schema::builder()
            .label("outcome", "good")
            .sensitive("group")
            .numeric(&["x"])
            .ignore_others()
            .build()
            .unwrap();
        assert!(matches!(
            load_split(&wrong, &path, &options, 0.5, 1),
            Err(DataError::UnknownColumn { ref name, .. }) if name == "outcome"
        ));
        let missing_file = path.with_file_name("nope.csv");
        assert!(matches!(
            load_split(&schema(), &missing_file, &options, 0.5, 1),
            Err(DataError::Io { .. })
        ));
    }
}
