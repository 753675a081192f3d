//! A metric frame's fairness notions for Python: each notion the frame was asked for
//! (fairfit-eval's `MetricFrame::with_notions`, `Bootstrap::frame_with_notions`) as a dict of
//! plain values — its column, name and aggregate, its value or why it is undefined, the groups
//! each of its statistics compared, the groups it skipped and why, and its bootstrap interval
//! with how many replicates were defined.

use fairfit_eval::frame::{MetricFrame, NotionEstimate};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::names;

/// The notions of `frame`, in the order asked, each as a dict.
pub fn notion_dicts<'py>(
    py: Python<'py>,
    frame: &MetricFrame,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    frame
        .notions()
        .iter()
        .map(|estimate| notion_dict(py, estimate))
        .collect()
}

/// One notion's estimate as a dict.
fn notion_dict<'py>(py: Python<'py>, estimate: &NotionEstimate) -> PyResult<Bound<'py, PyDict>> {
    let notion = &estimate.notion;
    let out = PyDict::new(py);
    out.set_item("column", notion.column())?;
    out.set_item("name", notion.name())?;
    out.set_item("short", notion.short())?;
    out.set_item("aggregate", notion.aggregate().to_string())?;
    out.set_item("value", estimate.value.ok())?;
    out.set_item("undefined", estimate.value.err().map(|u| u.reason))?;
    let compared: Vec<(String, Vec<String>)> = notion
        .statistics()
        .iter()
        .zip(&estimate.compared)
        .map(|(statistic, groups)| (statistic.column(), groups.clone()))
        .collect();
    out.set_item("compared", compared)?;
    let skipped: Vec<(String, &str)> = estimate
        .skipped
        .iter()
        .map(|(g, why)| (g.clone(), why.reason))
        .collect();
    out.set_item("skipped", skipped)?;
    let interval = estimate.interval;
    out.set_item("lower", interval.map(|i| i.lower))?;
    out.set_item("upper", interval.map(|i| i.upper))?;
    out.set_item("level", interval.map(|i| i.level))?;
    out.set_item(
        "replicates",
        interval
            .and_then(|i| i.replicates)
            .map(|r| (r.defined, r.undefined)),
    )?;
    Ok(out)
}

/// The column of the notion named `name` (its name, short name or column, as everywhere in the
/// package), e.g. `"equalized_odds"` → `"eo_difference"`; an unknown name is a `ValueError`
/// naming the known ones.
#[pyfunction]
pub fn notion_column(name: &str) -> PyResult<String> {
    Ok(names::notion(name)?.column())
}
