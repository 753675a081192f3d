//! `fairfit train --stream`: a penalised logistic regression fitted on a training file read in
//! chunks, never whole. The encoder is fitted over the chunks in two passes
//! ([`Encoder::fit_chunks`]), then every solver evaluation is one pass
//! ([`ValidFairParams::fit_streaming`](fairfit_train::ValidFairParams::fit_streaming) over
//! [`WeightedChunks`], what [`fairfit_train::streaming::fit_table`] does, with the schema's
//! weights), so memory holds one chunk. The model equals the in-memory fit on the same rows up
//! to the order of floating-point sums. With `--gather` the encoded chunks are read once and
//! kept as sparse rows ([`ValidFairParams::fit_gathered`](fairfit_train::ValidFairParams::fit_gathered)),
//! for designs too wide to hold dense. After the fit, one more pass decides the training rows
//! chunk by chunk ([`HeldOutRows::streamed`]: five numbers per row, no features) for the
//! training gaps and the audit of representation and base rates.

use std::path::Path;

use fairfit_data::audit::DataAudit;
use fairfit_data::fairness::Notion;
use fairfit_data::schema::{ChunkedTable, Encoder};
use fairfit_eval::report::Method;
use fairfit_train::{FittedPipeline, ParamGuard};

use super::method::{Fit, Plan};
use super::{Fitted, PIPELINE_FILE};
use crate::cli::TrainArgs;
use crate::error::{CliError, Result};
use crate::heldout::HeldOut;
use crate::input::{csv_options, LoadedSchema};
use crate::output::Output;
use crate::streamed::{HeldOutRows, WeightedChunks};

/// Fits on `--train` read in chunks, and decides `--test` (if given) in chunks.
pub(super) fn fit(
    args: &TrainArgs,
    plan: &Plan,
    notions: &[Notion],
    out: Output,
) -> Result<Fitted> {
    let train = refuse_in_memory_only(args, plan)?;
    let schema = LoadedSchema::read(&args.data.schema)?;
    let options = csv_options(args.data.delimiter)?;
    let open = |path: &Path| -> Result<ChunkedTable> {
        let table = ChunkedTable::open(path, &options, args.chunk_rows)?;
        schema.check_columns(table.path(), table.columns(), &schema.labelled_columns())?;
        Ok(table)
    };
    let table = open(train)?;
    let test = args.data.test.as_deref().map(open).transpose()?;

    let spinner = out.spinner(format!(
        "fitting the encoder over {} in chunks of {} rows",
        train.display(),
        args.chunk_rows
    ));
    let encoder = Encoder::fit_chunks(&schema.schema, &table);
    spinner.finish_and_clear();
    let encoder = encoder?;
    let params = plan.params()?.check()?;
    let source = WeightedChunks::new(&table, &schema, &encoder);
    let (model, notes) = if args.gather {
        let spinner = out.spinner(format!(
            "gathering {} into sparse rows in memory, then training",
            train.display()
        ));
        let model = params.fit_gathered(&source);
        spinner.finish_and_clear();
        let note = format!(
            "gathered in chunks of at most {} rows into sparse rows held in memory: {} passes over the training file (2 for the encoder, {} to gather)",
            args.chunk_rows,
            source.passes() + 2,
            source.passes()
        );
        (model, note)
    } else {
        let spinner = out.spinner(format!(
            "training streamed: one pass over {} per solver evaluation",
            train.display()
        ));
        let model = params.fit_streaming(&source);
        spinner.finish_and_clear();
        let note = format!(
            "streamed in chunks of at most {} rows: {} passes over the training file (2 for the encoder, 1 to prepare, {} solver evaluations)",
            args.chunk_rows,
            source.passes() + 2,
            source.passes().saturating_sub(1)
        );
        (model, note)
    };
    let model = model?;
    let mut notes = vec![notes];
    let train_rows = source.rows();
    let pipeline = FittedPipeline::new(encoder, model)
        .map_err(CliError::pipeline(args.output.join(PIPELINE_FILE)))?;
    let spinner = out.spinner(format!(
        "deciding the training rows of {} in chunks",
        train.display()
    ));
    let on_train = HeldOutRows::streamed(&table, &schema, &pipeline);
    spinner.finish_and_clear();
    let on_train = on_train?;
    let test = match &test {
        Some(table) => {
            let spinner = out.spinner(format!("deciding {} in chunks", table.path().display()));
            let rows = HeldOutRows::streamed(table, &schema, &pipeline);
            spinner.finish_and_clear();
            Some(rows?)
        }
        None => None,
    };
    notes.push(
        "the training rows were decided in one more pass (five numbers per row kept, no features); the audit has no proxy scores, which need every row's features"
            .into(),
    );
    let method = plan
        .with_penalties(Method::new("logistic"))
        .describe(plan.describe());
    Ok(Fitted {
        pipeline,
        method,
        notes,
        train_rows,
        audit: DataAudit::of("training rows", &on_train.data)?,
        on_train: HeldOut::of(&on_train.data, &on_train.decisions, notions)?,
        test,
    })
}

/// The training file of a streamed fit, or why the options need every row in memory (exit
/// code 2).
fn refuse_in_memory_only<'a>(args: &'a TrainArgs, plan: &Plan) -> Result<&'a Path> {
    let refuse = |why: &str| Err(CliError::Usage(format!("--stream: {why}")));
    let reason = match &plan.fit {
        Fit::Plain => None,
        Fit::Targets(_) => Some(
            "--target needs every training row's decision at once (its outer loop shifts per-group thresholds on them); a streamed fit takes --penalty NOTION=λ",
        ),
        Fit::HighConfidence(..) => Some(
            "--high-confidence splits the training rows into candidate and safety rows in memory; a streamed fit takes --penalty NOTION=λ",
        ),
        Fit::Reduction { .. } => Some(
            "--reduction reweighs every training row in every round of its game, in memory; a streamed fit takes --penalty NOTION=λ",
        ),
    };
    if let Some(why) = reason {
        return refuse(why);
    }
    if plan.thresholds.is_some() {
        return refuse(
            "--thresholds fits group thresholds on every training row's score at once; fit them in memory",
        );
    }
    if plan.preprocess.is_some() {
        return refuse(
            "--preprocess reweighs, resamples or relabels the training rows from counts over all of them, in memory",
        );
    }
    match (&args.data.data, &args.data.train) {
        (None, Some(train)) => Ok(train),
        _ => refuse(
            "a streamed fit has no in-memory split: give the training file as --train FILE (and held-out rows as --test FILE for the report)",
        ),
    }
}
