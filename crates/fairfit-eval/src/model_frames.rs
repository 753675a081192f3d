//! [`ModelFrames`]: the metric frames of several models over the same groups and metrics, keyed
//! by model — the before / after table of a mitigation, and the input of a grouped bar plot with
//! one series per model ([`crate::plot::GroupBarPlot::render_models`]).

use std::path::Path;

use crate::curve::{number, write_rows};
use crate::error::{EvalError, Result};
use crate::estimate::Estimate;
use crate::frame::{Entry, FrameRecord, MetricFrame};
use crate::metrics::Value;

/// Metric frames of several models, keyed by model name, all over the same groups (same names,
/// same order) and the same metrics; [`ModelFrames::push`] checks both.
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::frame::{Entry, MetricFrame};
/// use fairfit::eval::metrics::{Measure, Outcomes};
/// use fairfit::eval::model_frames::ModelFrames;
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1])?;
/// let frame = |pred: &[bool]| {
///     MetricFrame::new(&Outcomes::predictions_only(pred)?, &groups, &[&Measure::SelectionRate])
/// };
/// let mut both = ModelFrames::new();
/// both.push("before", frame(&[true, true, false, true])?)?
///     .push("after", frame(&[true, false, false, true])?)?;
/// assert_eq!(both.models(), ["before", "after"]);
/// let b = both.estimate("after", "selection_rate", Entry::Group(0))?;
/// assert_eq!(b.value, Ok(0.5));
/// assert_eq!(both.records().len(), 2 * 9); // 2 models × (overall, 2 groups, 6 summaries)
/// // Another partition is a typed error.
/// let other = Groups::new(vec!["x".into()], vec![0; 4])?;
/// let f = MetricFrame::new(&Outcomes::predictions_only(&[true; 4])?, &other, &[&Measure::SelectionRate])?;
/// assert!(both.push("other", f).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ModelFrames {
    models: Vec<String>,
    frames: Vec<MetricFrame>,
}

/// One row of the long table of [`ModelFrames`]: the model and one record of its frame.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ModelRecord {
    /// The model's name.
    pub model: String,
    /// The record of its frame.
    #[serde(flatten)]
    pub record: FrameRecord,
}

impl ModelFrames {
    /// No models yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The frames of `models`, in order (see [`ModelFrames::push`]).
    pub fn from_frames<S: Into<String>>(
        models: impl IntoIterator<Item = (S, MetricFrame)>,
    ) -> Result<Self> {
        let mut all = Self::new();
        for (model, frame) in models {
            all.push(model, frame)?;
        }
        Ok(all)
    }

    /// Adds the frame of one model. Errors: a model name already present or not a usable name
    /// ([`EvalError::InvalidName`]), groups other than the first frame's
    /// ([`EvalError::GroupMismatch`]), another set of metrics ([`EvalError::MetricMismatch`]).
    pub fn push(&mut self, model: impl Into<String>, frame: MetricFrame) -> Result<&mut Self> {
        let model = model.into();
        if model.trim().is_empty() || model.contains(['\n', '\r']) {
            return Err(EvalError::InvalidName {
                name: model,
                reason: "a model name must be non-empty and on one line",
            });
        }
        if self.models.contains(&model) {
            return Err(EvalError::InvalidName {
                name: model,
                reason: "two frames carry this model name",
            });
        }
        if let (Some(first), Some(first_model)) = (self.frames.first(), self.models.first()) {
            let what = || format!("model `{first_model}` and model `{model}`");
            if first.groups() != frame.groups() {
                return Err(EvalError::GroupMismatch {
                    what: what(),
                    expected: first.groups().to_vec(),
                    found: frame.groups().to_vec(),
                });
            }
            let sorted = |f: &MetricFrame| {
                let mut m: Vec<String> = f.metrics().iter().map(|m| m.to_string()).collect();
                m.sort();
                m
            };
            if sorted(first) != sorted(&frame) {
                return Err(EvalError::MetricMismatch {
                    what: what(),
                    expected: first.metrics().iter().map(|m| m.to_string()).collect(),
                    found: frame.metrics().iter().map(|m| m.to_string()).collect(),
                });
            }
        }
        self.models.push(model);
        self.frames.push(frame);
        Ok(self)
    }

    /// The model names, in the order added.
    pub fn models(&self) -> &[String] {
        &self.models
    }

    /// The frames, in the order of [`ModelFrames::models`].
    pub fn frames(&self) -> &[MetricFrame] {
        &self.frames
    }

    /// The frame of one model.
    pub fn frame(&self, model: &str) -> Option<&MetricFrame> {
        self.models
            .iter()
            .position(|m| m == model)
            .map(|i| &self.frames[i])
    }

    /// The common group names (empty without frames).
    pub fn groups(&self) -> &[String] {
        self.frames.first().map_or(&[], |f| f.groups())
    }

    /// The common metric names, in the first frame's order (empty without frames).
    pub fn metrics(&self) -> Vec<&str> {
        self.frames.first().map_or_else(Vec::new, |f| f.metrics())
    }

    /// One entry of one metric of one model, with its interval when that frame was bootstrapped.
    pub fn estimate(&self, model: &str, metric: &str, entry: Entry) -> Result<Estimate<Value>> {
        self.frame(model)
            .ok_or_else(|| EvalError::InvalidParameter {
                name: "model",
                reason: format!("no model `{model}`; models are {:?}", self.models),
            })?
            .estimate(metric, entry)
    }

    /// The long table: every record of every frame, with its model, model by model.
    pub fn records(&self) -> Vec<ModelRecord> {
        self.models
            .iter()
            .zip(&self.frames)
            .flat_map(|(model, frame)| {
                frame.records().into_iter().map(|record| ModelRecord {
                    model: model.clone(),
                    record,
                })
            })
            .collect()
    }

    /// Writes [`ModelFrames::records`] as CSV: `model` followed by the columns of
    /// [`MetricFrame::write_csv`].
    pub fn write_csv(&self, path: impl AsRef<Path>) -> Result<()> {
        let opt = |v: Option<f64>| v.map(number).unwrap_or_default();
        let mut rows = vec![[
            "model",
            "metric",
            "entry",
            "group",
            "value",
            "undefined",
            "lower",
            "upper",
            "level",
        ]
        .map(String::from)
        .to_vec()];
        for ModelRecord { model, record: r } in self.records() {
            rows.push(vec![
                model,
                r.metric,
                r.entry,
                r.group.unwrap_or_default(),
                opt(r.value),
                r.undefined.unwrap_or_default(),
                opt(r.lower),
                opt(r.upper),
                opt(r.level),
            ]);
        }
        write_rows(path.as_ref(), &rows)
    }

    /// [`ModelFrames::records`] as a JSON array.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string_pretty(&self.records())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::curve::fixtures::written_text;
    use crate::metrics::{Measure, Outcomes};
    use fairfit_data::Groups;

    fn frame(
        names: &[&str],
        pred: &[bool],
        metrics: &[&dyn crate::metrics::Metric],
    ) -> MetricFrame {
        let groups = Groups::new(
            names.iter().map(|s| s.to_string()).collect(),
            (0..pred.len()).map(|i| i % names.len()).collect(),
        )
        .unwrap();
        let y: Vec<bool> = (0..pred.len()).map(|i| i % 3 == 0).collect();
        MetricFrame::new(
            &Outcomes::classification(&y, pred).unwrap(),
            &groups,
            metrics,
        )
        .unwrap()
    }

    #[test]
    fn mismatched_groups_metrics_and_names_are_typed_errors() {
        let p = [true, false, true, true, false, false];
        let sr: &dyn crate::metrics::Metric = &Measure::SelectionRate;
        let acc: &dyn crate::metrics::Metric = &Measure::Accuracy;
        let mut all = ModelFrames::new();
        all.push("a", frame(&["x", "y"], &p, &[sr, acc])).unwrap();
        // Same metrics in another order are accepted.
        all.push("b", frame(&["x", "y"], &p, &[acc, sr])).unwrap();
        let err = all
            .push("c", frame(&["y", "x"], &p, &[sr, acc]))
            .unwrap_err();
        assert!(
            matches!(&err, EvalError::GroupMismatch { expected, found, .. }
                if expected == &["x", "y"] && found == &["y", "x"]),
            "{err}"
        );
        let err = all.push("c", frame(&["x", "y"], &p, &[sr])).unwrap_err();
        assert!(matches!(&err, EvalError::MetricMismatch { .. }), "{err}");
        assert!(err.to_string().contains("model `a` and model `c`"), "{err}");
        assert!(matches!(
            all.push("a", frame(&["x", "y"], &p, &[sr, acc])),
            Err(EvalError::InvalidName { .. })
        ));
        assert!(matches!(
            all.push(" ", frame(&["x", "y"], &p, &[sr, acc])),
            Err(EvalError::InvalidName { .. })
        ));
        assert_eq!(all.models(), ["a", "b"]);
        assert!(all.estimate("zz", "accuracy", Entry::Overall).is_err());
    }

    #[test]
    fn records_and_csv_keep_each_models_values() {
        let sr: &dyn crate::metrics::Metric = &Measure::SelectionRate;
        // x = rows 0, 2, 4; y = rows 1, 3, 5.
        let before = frame(&["x", "y"], &[true, false, true, false, true, false], &[sr]);
        let after = frame(&["x", "y"], &[true, true, false, false, true, true], &[sr]);
        let all = ModelFrames::from_frames([("before", before), ("after", after)]).unwrap();
        let get = |m: &str, g: usize| {
            all.estimate(m, "selection_rate", Entry::Group(g))
                .unwrap()
                .value
                .unwrap()
        };
        assert_eq!((get("before", 0), get("before", 1)), (1.0, 0.0));
        assert_eq!((get("after", 0), get("after", 1)), (2.0 / 3.0, 2.0 / 3.0));
        let text = written_text("models", |path| all.write_csv(path));
        assert!(text.starts_with("model,metric,entry,group,value,undefined,lower,upper,level\n"));
        assert!(
            text.contains("before,selection_rate,group,y,0.0,,,,\n"),
            "{text}"
        );
        assert!(
            text.contains("after,selection_rate,group,y,0.6666666666666666,,,,\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1 + 2 * 9);
        let json = all.to_json().unwrap();
        assert!(json.contains("\"model\": \"after\""), "{json}");
        assert!(json.contains("\"metric\": \"selection_rate\""), "{json}");
    }
}
