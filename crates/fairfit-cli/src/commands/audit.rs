//! `fairfit audit`: what the data says before any model (the data crate's `DataAudit` over the
//! whole file, with missingness by group from the raw rows).

use fairfit_data::audit::{DataAudit, Missingness};
use fairfit_data::schema::Encoder;

use crate::cli::AuditArgs;
use crate::error::Result;
use crate::input::{csv_options, read_table, LoadedSchema};
use crate::output::Output;

/// Audits the file; prints the table or JSON.
pub fn run(args: &AuditArgs, out: Output) -> Result<bool> {
    let schema = LoadedSchema::read(&args.schema)?;
    let raw = read_table(&args.data, &csv_options(args.delimiter)?)?;
    // Missingness is read on every raw row, before the policy drops any.
    let prepared = schema.prepare(raw.clone(), true)?;
    let missingness = Missingness::of(&raw, &schema.schema)?;
    let encoder = Encoder::fit(&schema.schema, &prepared)?;
    let data = schema.encode(&encoder, &prepared)?;
    let audit =
        DataAudit::of(args.data.display().to_string(), &data)?.with_missingness(missingness);
    if out.json {
        out.print_json(&audit)?;
    } else {
        out.text(audit.to_string())?;
    }
    Ok(false)
}
