//! `fairfit score`: a saved pipeline's decisions and scores for every row of a file, as CSV
//! (`line,time,group,label,probability,prediction`), ready for `fairfit monitor`.

use std::io::Write;

use crate::cli::ScoreArgs;
use crate::error::{CliError, Result};
use crate::input::csv_options;
use crate::output::{write_file, Output};
use crate::pipeline_file::{load, records};

/// Scores the file; writes the CSV to the output file or standard output.
pub fn run(args: &ScoreArgs, out: Output) -> Result<bool> {
    let pipeline = load(&args.pipeline)?;
    let (loaded, table) = records(
        &pipeline,
        &args.data,
        &csv_options(args.delimiter)?,
        false,
        None,
    )?;
    let schema = &loaded.schema;
    let scores = pipeline
        .score(&table)
        .map_err(CliError::pipeline(&args.data))?;
    let decisions = pipeline
        .decision_probability(&table)
        .map_err(CliError::pipeline(&args.data))?;
    let group = table.column_index(&schema.sensitive()[0].column)?;
    let label = table.column_index(schema.label()).ok();
    let time = args
        .time
        .as_deref()
        .map(|t| table.column_index(t))
        .transpose()?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| CliError::Usage(format!("writing CSV: {e}"));
    csv.write_record([
        "line",
        "time",
        "group",
        "label",
        "probability",
        "prediction",
    ])
    .map_err(io)?;
    for (i, row) in table.rows().iter().enumerate() {
        let time = match time {
            Some(c) => table.number(row, c)?.to_string(),
            None => i.to_string(),
        };
        let label = label.map_or(String::new(), |c| {
            let v = row.field(c);
            if schema.is_missing(v) {
                String::new()
            } else {
                u8::from(v == schema.favourable()).to_string()
            }
        });
        let decision = decisions[i];
        let prediction = if decision == 0.0 || decision == 1.0 {
            format!("{decision}")
        } else {
            format!("{decision:.6}")
        };
        csv.write_record([
            row.line().to_string(),
            time,
            row.field(group).to_string(),
            label,
            format!("{:.6}", scores[i]),
            prediction,
        ])
        .map_err(io)?;
    }
    let bytes = csv
        .into_inner()
        .map_err(|e| CliError::Usage(format!("writing CSV: {e}")))?;
    match &args.output {
        Some(path) => {
            write_file(path, &bytes)?;
            out.note(format!(
                "scored {} rows into {}",
                table.len(),
                path.display()
            ));
        }
        // A closed pipe (`fairfit score ... | head`) is the reader's choice, not a failure.
        None => match std::io::stdout().write_all(&bytes) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(CliError::io("standard output")(e))
            }
            _ => {}
        },
    }
    Ok(false)
}
