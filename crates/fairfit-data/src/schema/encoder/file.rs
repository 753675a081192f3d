//! The [`Encoder`] as saved: the file's fields, checked against each other and the schema
//! before they become an encoder (`#[serde(try_from)]`), so a hand-edited or corrupted file is a
//! typed error on load, not a wrong encoding later.

use serde::Deserialize;

use super::super::spec::{FeatureKind, Schema};
use super::{Encoder, FeatureEncoder};
use crate::error::{DataError, Result};

/// An [`Encoder`] as saved, validated into one on load.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EncoderFile {
    schema: Schema,
    label_values: [String; 2],
    sensitive_levels: Vec<Vec<String>>,
    features: Vec<FeatureEncoder>,
}

impl TryFrom<EncoderFile> for Encoder {
    type Error = DataError;

    fn try_from(file: EncoderFile) -> Result<Self> {
        let invalid = |name, reason| DataError::InvalidParameter { name, reason };
        let schema = &file.schema;
        if file.label_values[0] == file.label_values[1] {
            return Err(invalid(
                "label_values",
                format!(
                    "label `{}`: both values are `{}`",
                    schema.label(),
                    file.label_values[0]
                ),
            ));
        }
        if file.label_values[1] != schema.favourable() {
            return Err(invalid(
                "label_values",
                format!(
                    "label `{}`: the values must be [unfavourable, favourable = `{}`], got {:?}",
                    schema.label(),
                    schema.favourable(),
                    file.label_values
                ),
            ));
        }
        if file.sensitive_levels.len() != schema.sensitive().len() {
            return Err(DataError::LengthMismatch {
                what: "sensitive levels (one list per sensitive column)".into(),
                expected: schema.sensitive().len(),
                found: file.sensitive_levels.len(),
            });
        }
        for (spec, levels) in schema.sensitive().iter().zip(&file.sensitive_levels) {
            let column = &spec.column;
            if levels.is_empty() {
                return Err(invalid(
                    "sensitive_levels",
                    format!("`{column}` has no levels"),
                ));
            }
            if let Some(level) = levels
                .iter()
                .enumerate()
                .find_map(|(i, l)| levels[..i].contains(l).then_some(l))
            {
                return Err(invalid(
                    "sensitive_levels",
                    format!("`{column}` lists level `{level}` twice"),
                ));
            }
            if spec.levels.as_ref().is_some_and(|fixed| fixed != levels) {
                return Err(invalid(
                    "sensitive_levels",
                    format!(
                        "`{column}`: {levels:?} are not the schema's fixed levels {:?}",
                        spec.levels
                    ),
                ));
            }
        }
        if file.features.len() != schema.features().len() {
            return Err(DataError::LengthMismatch {
                what: "fitted feature encoders (one per schema feature)".into(),
                expected: schema.features().len(),
                found: file.features.len(),
            });
        }
        for (i, (spec, fitted)) in schema.features().iter().zip(&file.features).enumerate() {
            let agrees = spec.column == fitted.column()
                && match (&spec.kind, fitted) {
                    (FeatureKind::Numeric, FeatureEncoder::Numeric(_)) => true,
                    (FeatureKind::Categorical, FeatureEncoder::Categorical(_)) => true,
                    (
                        FeatureKind::Indicator { level },
                        FeatureEncoder::Indicator { level: l, .. },
                    ) => level == l,
                    _ => false,
                };
            if !agrees {
                return Err(invalid(
                    "features",
                    format!(
                        "fitted feature {i} (`{}`) does not match the schema's feature `{}` ({:?})",
                        fitted.column(),
                        spec.column,
                        spec.kind
                    ),
                ));
            }
        }
        Ok(Self {
            schema: file.schema,
            label_values: file.label_values,
            sensitive_levels: file.sensitive_levels,
            features: file.features,
        })
    }
}
