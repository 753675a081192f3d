//! Test fixtures shared by the crate's tests: points measured on validation and test, and the
//! text a writer puts in a file.

use std::path::Path;

use super::{names, CurvePoint, Split};
use crate::error::Result;

/// A point of method `m` with (demographic-parity difference, accuracy) on validation and on
/// test.
pub(crate) fn validated_point(validation: (f64, f64), test: (f64, f64)) -> CurvePoint {
    CurvePoint::new("m")
        .with_metric(Split::Validation, names::DP_DIFFERENCE, validation.0)
        .with_metric(Split::Validation, names::ACCURACY, validation.1)
        .with_metric(Split::Test, names::DP_DIFFERENCE, test.0)
        .with_metric(Split::Test, names::ACCURACY, test.1)
}

/// What `write` puts in a file: a fresh one in the temporary directory named after `name` and
/// this process, removed once read.
pub(crate) fn written_text(name: &str, write: impl FnOnce(&Path) -> Result<()>) -> String {
    let path = std::env::temp_dir().join(format!("fairfit-{name}-{}.csv", std::process::id()));
    write(&path).expect("the writer succeeds");
    let text = std::fs::read_to_string(&path).expect("the written file is readable");
    std::fs::remove_file(&path).expect("the temporary file can be removed");
    text
}
