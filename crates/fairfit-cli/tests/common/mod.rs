//! Shared fixtures of the command-line tests: a small cut of the shipped Adult data with a
//! header line, a schema for it, and the `fairfit` binary in a temporary directory.
//! Compiled only under `#[cfg(test)]` (integration tests).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use std::io::Write;

use assert_cmd::Command;
use fairfit_data::schema::{CsvOptions, ParquetColumn, ParquetKind, ParquetWriter, RawTable};
use flate2::write::GzEncoder;
use flate2::Compression;

/// Rows of Adult's training file in the cut (enough for every group × label cell).
pub const ROWS: usize = 1200;

/// Adult's column names (the shipped file has no header line).
pub const ADULT_COLUMNS: &str = "age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income";

/// The schema the tests train with (what `schema infer` drafts, with sex first).
pub const SCHEMA: &str = r#"label = "income"
favourable = ">50K"
unfavourable = "<=50K"
sensitive = ["sex", "race"]
numeric = ["age", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
categorical = ["workclass", "education", "marital-status", "occupation", "relationship", "native-country"]
ignore = ["fnlwgt"]
missing = ["?"]
missing_policy = "drop_row"
"#;

/// A temporary directory holding `adult.csv` (the first [`ROWS`] rows of `datasets/adult.data`
/// with a header) and `schema.toml`.
pub struct Workspace {
    /// The directory (removed when dropped).
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// Writes the cut and the schema.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let text =
            std::fs::read_to_string(datasets().join("adult.data")).expect("datasets/adult.data");
        let mut csv = format!("{ADULT_COLUMNS}\n");
        for line in text.lines().filter(|l| !l.trim().is_empty()).take(ROWS) {
            csv += &line.replace(", ", ",");
            csv.push('\n');
        }
        std::fs::write(dir.path().join("adult.csv"), csv).expect("write the cut");
        std::fs::write(dir.path().join("schema.toml"), SCHEMA).expect("write the schema");
        Self { dir }
    }

    /// A path inside the workspace.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file into the workspace.
    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write a test file");
        path
    }

    /// Reads a file of the workspace.
    pub fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// `fairfit` run in the workspace.
    pub fn fairfit(&self) -> Command {
        let mut cmd = Command::cargo_bin("fairfit").expect("the fairfit binary");
        cmd.current_dir(self.dir.path());
        cmd
    }

    /// The cut's text, for tests that alter it.
    pub fn adult(&self) -> String {
        self.read("adult.csv")
    }

    /// `fairfit train ARGS --json` run to success: its JSON summary.
    pub fn train(&self, args: &[&str]) -> serde_json::Value {
        self.json("train", args)
    }

    /// `fairfit COMMAND ARGS --json` run to success: its JSON output.
    pub fn json(&self, command: &str, args: &[&str]) -> serde_json::Value {
        let out = self
            .fairfit()
            .arg(command)
            .args(args)
            .arg("--json")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{command}'s stdout is not JSON: {e}"))
    }

    /// The saved `DIR/pipeline.json`, but for the solver's time.
    pub fn pipeline(&self, dir: &str) -> serde_json::Value {
        let mut pipeline: serde_json::Value =
            serde_json::from_str(&self.read(&format!("{dir}/pipeline.json"))).expect("JSON");
        pipeline["model"]["report"]["elapsed"] = serde_json::Value::Null;
        pipeline
    }

    /// Splits the cut into `train.csv` (the first two thirds of its rows) and `test.csv`.
    pub fn split_files(&self) {
        let text = self.adult();
        let (header, rows) = text.split_once('\n').expect("a header line");
        let rows: Vec<&str> = rows.lines().collect();
        let cut = rows.len() * 2 / 3;
        self.write(
            "train.csv",
            &format!("{header}\n{}\n", rows[..cut].join("\n")),
        );
        self.write(
            "test.csv",
            &format!("{header}\n{}\n", rows[cut..].join("\n")),
        );
    }

    /// Writes the workspace's CSV file `from` gzip-compressed as `to`.
    pub fn write_gzip(&self, from: &str, to: &str) {
        let file = std::fs::File::create(self.path(to)).expect("create the gzip file");
        let mut gz = GzEncoder::new(file, Compression::default());
        gz.write_all(self.read(from).as_bytes()).expect("compress");
        gz.finish().expect("finish the gzip stream");
    }

    /// Writes the workspace's CSV file `from` as the Parquet file `to`, the cut's numeric
    /// columns as doubles (the rest as text), in row groups of `group_rows` rows.
    pub fn write_parquet(&self, from: &str, to: &str, group_rows: usize) {
        let table = RawTable::read(self.path(from), &CsvOptions::default()).expect("read a cut");
        let kinds: Vec<(&str, ParquetKind)> = table
            .columns()
            .iter()
            .map(|c| {
                let kind = if NUMERIC.contains(&c.as_str()) {
                    ParquetKind::Double
                } else {
                    ParquetKind::Text
                };
                (c.as_str(), kind)
            })
            .collect();
        let mut writer = ParquetWriter::create(self.path(to), &kinds).expect("create");
        for rows in table.rows().chunks(group_rows) {
            let columns: Vec<ParquetColumn> = kinds
                .iter()
                .enumerate()
                .map(|(j, (_, kind))| {
                    let cells = rows.iter().map(|r| r.field(j));
                    match kind {
                        ParquetKind::Double => ParquetColumn::Double(
                            cells.map(|c| c.parse().expect("a number")).collect(),
                        ),
                        _ => ParquetColumn::Text(cells.map(|c| Some(c.to_string())).collect()),
                    }
                })
                .collect();
            writer.write(&columns).expect("one row group");
        }
        writer.finish().expect("finish the Parquet file");
    }
}

/// The cut's numeric columns (written to Parquet as doubles).
pub const NUMERIC: [&str; 6] = [
    "age",
    "fnlwgt",
    "education-num",
    "capital-gain",
    "capital-loss",
    "hours-per-week",
];

/// The repository's `datasets/` directory.
pub fn datasets() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets")
}

/// The golden file `name` of `tests/golden/`; with `FAIRFIT_BLESS=1` it is rewritten with
/// `actual` instead of compared.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("FAIRFIT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("bless a golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with FAIRFIT_BLESS=1 to create it)",
            path.display()
        )
    });
    assert_eq!(actual, expected, "output differs from {}", path.display());
}
