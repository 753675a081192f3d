//! What runs record: [`Trajectory`] (one seed's metrics at the recorded steps), [`Runs`] (one
//! agent's runs over many seeds), the long table they write as CSV or JSON, and [`Band`]s across
//! seeds.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::Serialize;

use crate::error::{Result, SimError};

/// One run's recorded metrics: at each recorded step, every metric of every group (group-major,
/// NaN where undefined).
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The run's seed.
    pub seed: u64,
    /// The sum of the environment's rewards over the run.
    pub reward: f64,
    width: usize,
    steps: Vec<usize>,
    values: Vec<f64>,
}

impl Trajectory {
    /// An empty trajectory of a run with `width` = groups × metrics values per snapshot.
    pub(crate) fn with_capacity(seed: u64, width: usize, snapshots: usize) -> Self {
        Self {
            seed,
            reward: 0.0,
            width,
            steps: Vec::with_capacity(snapshots),
            values: Vec::with_capacity(snapshots * width),
        }
    }

    /// Records the values measured after `step` steps.
    pub(crate) fn push(&mut self, step: usize, values: &[f64]) {
        self.steps.push(step);
        self.values.extend_from_slice(values);
    }

    /// The recorded steps (number of steps taken when measured; 0 is the initial state).
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// The number of steps the run took (fewer than asked if the environment was done early).
    pub fn last_step(&self) -> usize {
        self.steps.last().copied().unwrap_or(0)
    }

    /// The values of snapshot `snapshot` (group-major).
    pub fn snapshot(&self, snapshot: usize) -> &[f64] {
        &self.values[snapshot * self.width..(snapshot + 1) * self.width]
    }

    /// All recorded values, snapshot-major then group-major (for bit-for-bit comparisons).
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// One agent's runs in one environment over many seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Runs {
    /// The agent's name (or a label set with [`Runs::labelled`]).
    pub label: String,
    /// The environment's group names.
    pub groups: Vec<String>,
    /// The environment's metric names.
    pub metrics: Vec<String>,
    /// One trajectory per seed, in seed order.
    pub runs: Vec<Trajectory>,
}

/// One row of the long table: one value of one metric of one group at one step of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LongRow<'a> {
    /// The agent (or run label).
    pub label: &'a str,
    /// The run's seed.
    pub seed: u64,
    /// Steps taken when measured.
    pub step: usize,
    /// The group.
    pub group: &'a str,
    /// The metric.
    pub metric: &'a str,
    /// The value; `None` where undefined (an empty cell in CSV, `null` in JSON).
    pub value: Option<f64>,
}

/// A metric's spread across seeds at one recorded step: mean and a central percentile band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    /// Steps taken.
    pub step: usize,
    /// Number of runs with a defined value at this step.
    pub runs: usize,
    /// Mean over those runs.
    pub mean: f64,
    /// Lower percentile.
    pub lower: f64,
    /// Upper percentile.
    pub upper: f64,
}

impl Runs {
    /// The same runs under another label (e.g. `equal-opportunity, static`).
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// The index of a metric.
    pub fn metric_index(&self, metric: &str) -> Result<usize> {
        self.metrics
            .iter()
            .position(|m| m == metric)
            .ok_or_else(|| SimError::Record(format!("no metric `{metric}` in {:?}", self.metrics)))
    }

    /// The index of a group.
    pub fn group_index(&self, group: &str) -> Result<usize> {
        self.groups
            .iter()
            .position(|g| g == group)
            .ok_or_else(|| SimError::Record(format!("no group `{group}` in {:?}", self.groups)))
    }

    /// Metric `metric` of group `group` in every run at its last recorded step.
    pub fn final_values(&self, group: usize, metric: usize) -> Vec<f64> {
        let width = self.metrics.len();
        self.runs
            .iter()
            .map(|r| r.snapshot(r.steps().len() - 1)[group * width + metric])
            .collect()
    }

    /// Every recorded value as rows of the long table, run by run.
    pub fn long_rows(&self) -> impl Iterator<Item = LongRow<'_>> {
        let width = self.metrics.len();
        self.runs.iter().flat_map(move |run| {
            run.steps().iter().enumerate().flat_map(move |(k, &step)| {
                let values = run.snapshot(k);
                self.groups.iter().enumerate().flat_map(move |(g, group)| {
                    self.metrics.iter().enumerate().map(move |(m, metric)| {
                        let v = values[g * width + m];
                        LongRow {
                            label: &self.label,
                            seed: run.seed,
                            step,
                            group,
                            metric,
                            value: (!v.is_nan()).then_some(v),
                        }
                    })
                })
            })
        })
    }

    /// The spread of `metric` in `group` across seeds at every recorded step: the mean and the
    /// `lower`–`upper` percentiles (e.g. 0.05 and 0.95) of the runs whose value is defined.
    pub fn bands(&self, group: &str, metric: &str, lower: f64, upper: f64) -> Result<Vec<Band>> {
        let at = self.group_index(group)? * self.metrics.len() + self.metric_index(metric)?;
        self.bands_of(lower, upper, |snapshot| snapshot[at])
    }

    /// The spread across seeds of `metric` in `group_a` minus the same in `group_b`, run by run
    /// (e.g. the recall gap).
    pub fn gap_bands(
        &self,
        metric: &str,
        group_a: &str,
        group_b: &str,
        lower: f64,
        upper: f64,
    ) -> Result<Vec<Band>> {
        let m = self.metric_index(metric)?;
        let width = self.metrics.len();
        let a = self.group_index(group_a)? * width + m;
        let b = self.group_index(group_b)? * width + m;
        self.bands_of(lower, upper, |snapshot| snapshot[a] - snapshot[b])
    }

    /// The spread across seeds of any quantity of a snapshot (its values group-major, NaN
    /// where undefined; a NaN result is skipped).
    pub fn bands_of(
        &self,
        lower: f64,
        upper: f64,
        value: impl Fn(&[f64]) -> f64,
    ) -> Result<Vec<Band>> {
        for (name, q) in [("lower", lower), ("upper", upper)] {
            if !(0.0..=1.0).contains(&q) {
                return Err(SimError::InvalidParameter {
                    name: name.into(),
                    reason: format!("a percentile level must be in [0, 1], got {q}"),
                });
            }
        }
        let mut by_step: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        for run in &self.runs {
            for (k, &step) in run.steps().iter().enumerate() {
                let v = value(run.snapshot(k));
                if !v.is_nan() {
                    by_step.entry(step).or_default().push(v);
                }
            }
        }
        Ok(by_step
            .into_iter()
            .map(|(step, mut values)| {
                values.sort_by(f64::total_cmp);
                Band {
                    step,
                    runs: values.len(),
                    mean: values.iter().sum::<f64>() / values.len() as f64,
                    lower: quantile(&values, lower),
                    upper: quantile(&values, upper),
                }
            })
            .collect())
    }
}

/// The `q`-quantile of sorted, non-empty values, interpolating linearly between order statistics
/// (numpy's default).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let position = q * (sorted.len() - 1) as f64;
    let (below, frac) = (position.floor() as usize, position.fract());
    match sorted.get(below + 1) {
        Some(next) if frac > 0.0 => sorted[below] + frac * (next - sorted[below]),
        _ => sorted[below],
    }
}

/// Writes the long table of several agents' runs as CSV (`label,seed,step,group,metric,value`).
pub fn write_long_csv(all: &[&Runs], path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    create_parent(path)?;
    let mut writer = csv::Writer::from_path(path)?;
    for runs in all {
        for row in runs.long_rows() {
            writer.serialize(row)?;
        }
    }
    writer.flush().map_err(|source| SimError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes the long table of several agents' runs as a JSON array of row objects.
pub fn write_long_json(all: &[&Runs], path: impl AsRef<Path>) -> Result<()> {
    let path = path.as_ref();
    create_parent(path)?;
    let rows: Vec<LongRow<'_>> = all.iter().flat_map(|r| r.long_rows()).collect();
    let file = fs::File::create(path).map_err(|source| SimError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::to_writer(std::io::BufWriter::new(file), &rows)?;
    Ok(())
}

/// Creates the parent directory of `path`.
pub(crate) fn create_parent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            fs::create_dir_all(dir).map_err(|source| SimError::Io {
                path: dir.to_path_buf(),
                source,
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 4.0);
        assert!((quantile(&v, 0.5) - 2.5).abs() < 1e-15);
        assert!((quantile(&v, 0.05) - 1.15).abs() < 1e-12);
        assert_eq!(quantile(&[7.0], 0.3), 7.0);
    }

    #[test]
    fn long_rows_and_bands_read_the_same_values() {
        let mut a = Trajectory::with_capacity(0, 2, 2);
        a.push(0, &[1.0, f64::NAN]);
        a.push(10, &[3.0, 0.5]);
        let mut b = Trajectory::with_capacity(1, 2, 2);
        b.push(0, &[2.0, 1.0]);
        b.push(10, &[5.0, 0.25]);
        let runs = Runs {
            label: "x".into(),
            groups: vec!["g".into()],
            metrics: vec!["m".into(), "r".into()],
            runs: vec![a, b],
        };
        let rows: Vec<_> = runs.long_rows().collect();
        assert_eq!(rows.len(), 8);
        assert_eq!(rows[1].value, None); // NaN is written as undefined
        let bands = runs.bands("g", "m", 0.0, 1.0).unwrap();
        assert_eq!((bands[1].step, bands[1].mean), (10, 4.0));
        assert_eq!((bands[1].lower, bands[1].upper), (3.0, 5.0));
        let r = runs.bands("g", "r", 0.0, 1.0).unwrap();
        assert_eq!(r[0].runs, 1); // the undefined value is skipped
        assert!(runs.bands("g", "nope", 0.0, 1.0).is_err());
        let gap = runs.gap_bands("m", "g", "g", 0.0, 1.0).unwrap();
        assert_eq!((gap[1].mean, gap[1].runs), (0.0, 2));
        assert!(runs.bands("g", "m", 0.5, 1.5).is_err());
    }
}
