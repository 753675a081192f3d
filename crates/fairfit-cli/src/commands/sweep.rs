//! `fairfit sweep`: fairfit's methods over their grids on one train / validation / test split;
//! the trade-off curve (CSV, JSON), its plot, the Pareto comparison and the selection table
//! (chosen on validation, reported on test).

use fairfit_data::fairness::Notion;
use fairfit_data::schema::{split_raw, Encoder};
use fairfit_data::split::TrainValTest;
use fairfit_eval::curve::{names, Axis, Split, TradeoffCurve};
use fairfit_eval::pareto::Comparison;
use fairfit_eval::plot::{ReferenceLine, TradeoffPlot};
use fairfit_eval::study;
use fairfit_eval::sweep::{every_strategy, Grids, Progress, SelectionTable, Strategy, Sweep};
use fairfit_train::FairLogisticRegression;

use crate::cli::SweepArgs;
use crate::error::{CliError, Result};
use crate::input::{csv_options, read_table, LoadedSchema, Source};
use crate::notion::notion;
use crate::output::{create_dir, write_file, Output};

/// L2 strength of every model of the sweep.
pub const L2: f64 = 1e-4;

/// The fairness columns every sweep point records: the notions `--notion` can pick.
pub const RECORDED: [&str; 4] = [
    names::DP_DIFFERENCE,
    names::DP_RATIO,
    names::EO_DIFFERENCE,
    names::TPR_DIFFERENCE,
];

/// A notion the comparison reads, as an axis of the curve.
struct Gap {
    notion: Notion,
    axis: Axis,
}

/// The `--notion` axes with their bounds: a difference at most each of `--bounds`, a ratio at
/// least each of `--ratio-bounds`.
fn gap_axes(args: &SweepArgs) -> Result<Vec<(Gap, Vec<f64>)>> {
    let mut gaps: Vec<(Gap, Vec<f64>)> = Vec::new();
    for name in &args.notions {
        let notion = notion(name)?;
        let column = notion.column();
        if !RECORDED.contains(&column.as_str()) {
            return Err(CliError::Usage(format!(
                "--notion {name}: a sweep point records {} of its test decisions, not {column}",
                RECORDED.join(", ")
            )));
        }
        if gaps.iter().any(|(g, _)| g.notion.column() == column) {
            continue;
        }
        let (axis, bounds) = if notion.aggregate().larger_is_worse() {
            (Axis::minimise(column), &args.bounds)
        } else {
            (Axis::maximise(column), &args.ratio_bounds)
        };
        if bounds.is_empty() {
            return Err(CliError::Usage(format!(
                "--notion {name}: give at least one bound for it"
            )));
        }
        gaps.push((Gap { notion, axis }, bounds.clone()));
    }
    if gaps.is_empty() {
        return Err(CliError::Usage("--notion: name at least one notion".into()));
    }
    Ok(gaps)
}

/// Runs the sweep and writes its files.
pub fn run(args: &SweepArgs, out: Output) -> Result<bool> {
    let gaps = gap_axes(args)?;
    let schema = LoadedSchema::read(&args.data.schema)?;
    let options = csv_options(args.data.delimiter)?;
    let seed = args.data.seed;
    let (pool, test_raw) = match args.data.source()? {
        Source::Split {
            path,
            test_fraction,
            seed,
        } => {
            let table = schema.prepare(read_table(&path, &options)?, true)?;
            split_raw(&schema.schema, &table, test_fraction, seed)?
        }
        Source::Files { train, test } => (
            schema.prepare(read_table(&train, &options)?, true)?,
            schema.prepare(read_table(&test, &options)?, true)?,
        ),
    };
    // Validation rows are carved from the training rows, before the encoder is fitted.
    let (train_raw, validation_raw) = split_raw(&schema.schema, &pool, args.validation, seed)?;
    let encoder = Encoder::fit(&schema.schema, &train_raw)?;
    let data = TrainValTest {
        train: schema.encode(&encoder, &train_raw)?,
        validation: schema.encode(&encoder, &validation_raw)?,
        test: schema.encode(&encoder, &test_raw)?,
    };
    let grids = if args.fast {
        Grids::fast()
    } else {
        Grids::full()
    }
    .seed(seed);
    let strategies: Vec<Box<dyn Strategy>> = every_strategy(&grids)
        .into_iter()
        .filter(|s| {
            args.methods.is_empty()
                || args
                    .methods
                    .iter()
                    .any(|m| s.name().starts_with(m.as_str()))
        })
        .collect();
    if strategies.is_empty() {
        let known: Vec<String> = every_strategy(&grids)
            .iter()
            .map(|s| s.name().to_string())
            .collect();
        return Err(CliError::Usage(format!(
            "--methods {:?} matches no method; known: {}",
            args.methods,
            known.join(", ")
        )));
    }
    let sweep = Sweep::new(strategies)
        .model(FairLogisticRegression::params().l2(L2))
        .resamples(args.resamples)
        .seed(seed)
        .progress(if out.quiet {
            Progress::Hidden
        } else {
            Progress::Auto
        });
    let outcome = sweep.run(&data)?;
    for f in &outcome.failures {
        out.note(format!(
            "not on the curve: {} {}: {}",
            f.method, f.params, f.error
        ));
    }
    let curve = &outcome.curve;
    let dir = &args.output;
    create_dir(dir)?;
    curve.write_csv(dir.join("curve.csv"))?;
    curve.write_json(dir.join("curve.json"))?;
    // Constant rules (every test row decided alike) meet any gap bound trivially: they stay in
    // the curve files and are left out of every comparison, table and plot.
    let shown: TradeoffCurve = outcome.without_constant_rules(curve)?;
    let constant = curve.len() - shown.len();
    if constant > 0 {
        out.note(format!(
            "{constant} point(s) are constant rules (every test row decided alike); they stay in curve.csv and are left out of the comparison, the selection table and the plot"
        ));
    }
    let acc = Axis::maximise(names::ACCURACY);
    let (first, first_bounds) = &gaps[0];
    let (gap, bound) = (first.axis.clone(), first_bounds[0]);
    let reference = study::worst_corner(&shown, &gap, &acc)?;
    let comparison = Comparison::new(&shown, &acc, &gap, reference, bound)?;
    comparison.write_csv(dir.join("comparison.csv"))?;
    write_file(&dir.join("comparison.json"), comparison.to_json()?)?;
    let bounds: Vec<(Axis, f64)> = gaps
        .iter()
        .flat_map(|(g, bounds)| bounds.iter().map(move |&b| (g.axis.clone(), b)))
        .collect();
    let table = SelectionTable::new(&shown, &acc, &bounds)?;
    table.write_csv(dir.join("selection.csv"))?;
    table.write_json(dir.join("selection.json"))?;
    // The plot draws the majority-class rule's accuracy as a line instead of constant rules.
    let positive = data.test.targets().mean().unwrap_or(0.5);
    TradeoffPlot::default()
        .axes(gap.clone().on(Split::Test), acc.clone())
        .title(format!("Accuracy vs {} (test)", first.notion.label()))
        .front(true)
        .reference(ReferenceLine::constant_rule(positive)?)
        .write_svg(&shown, dir.join("tradeoff.svg"))?;
    if out.json {
        let selection: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("selection.json"))
                .map_err(CliError::io(dir.join("selection.json")))?,
        )?;
        let comparison: serde_json::Value = serde_json::from_str(&comparison.to_json()?)?;
        out.print_json(&serde_json::json!({
            "points": curve.len(),
            "constant_rules": constant,
            "failures": outcome.failures.iter().map(|f| format!("{} {}: {}", f.method, f.params, f.error)).collect::<Vec<_>>(),
            "comparison": comparison,
            "selection": selection,
            "output": dir.display().to_string(),
        }))?;
    } else {
        out.line(format!(
            "{} points ({} train / {} validation / {} test rows); chosen on validation, reported on test",
            curve.len(),
            data.train.nrows(),
            data.validation.nrows(),
            data.test.nrows()
        ))?;
        out.text(comparison.to_string())?;
        out.text(table.to_string())?;
    }
    out.note(format!(
        "wrote {} (curve.csv/json, tradeoff.svg, comparison.csv/json, selection.csv/json)",
        dir.display()
    ));
    Ok(false)
}
