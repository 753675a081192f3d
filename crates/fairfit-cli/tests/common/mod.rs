//! Shared fixtures of the command-line tests: a small cut of the shipped Adult data with a
//! header line, a schema for it, and the `fairfit` binary in a temporary directory.
//! Compiled only under `#[cfg(test)]` (integration tests).

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

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
}

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
