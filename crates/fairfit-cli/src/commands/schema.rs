//! `fairfit schema infer`: a commented draft schema from a data file.

use crate::cli::InferArgs;
use crate::error::Result;
use crate::infer::{Draft, Overrides};
use crate::input::{csv_options, read_table};
use crate::output::{write_file, Output};

/// Drafts the schema and writes it to the output file or standard output. With `--json` the
/// draft is printed as JSON (its notes included). Never alerts.
pub fn infer(args: &InferArgs, out: Output) -> Result<bool> {
    let table = read_table(&args.data, &csv_options(args.delimiter)?)?;
    let draft = Draft::of(
        &table,
        &Overrides {
            label: args.label.clone(),
            favourable: args.favourable.clone(),
            sensitive: args.sensitive.clone(),
        },
    )?;
    let text = draft.to_toml();
    match &args.output {
        Some(path) => {
            write_file(path, &text)?;
            out.note(format!(
                "wrote {} (label `{}`, favourable `{}`, sensitive {:?}, {} numeric and {} categorical features); check the notes at its top",
                path.display(),
                draft.file.label,
                draft.file.favourable,
                draft.file.sensitive,
                draft.file.numeric.len(),
                draft.file.categorical.len()
            ));
        }
        None if !out.json => out.text(&text)?,
        None => {}
    }
    if out.json {
        out.print_json(&serde_json::json!({
            "schema": draft.file,
            "notes": draft.notes,
            "weight_hint": draft.weight_hint,
            "rows": draft.rows,
        }))?;
    }
    if draft.file.sensitive.is_empty() {
        out.note(
            "warning: no sensitive column found; add one to `sensitive` before using the schema",
        );
    }
    Ok(false)
}
