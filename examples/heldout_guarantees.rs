//! Does `gap ≤ ε` hold on people no fit and no choice has seen? Issue 12's proof on data.
//!
//! For Adult (sex), COMPAS (race) and German credit (sex), the protocol's training and test rows
//! are pooled and re-split at random many times (seeded, stratified by group × label): 30 % held
//! out from all fitting and choosing, the rest the development rows (70 % of them for fitting,
//! 30 % for validation, for the methods that choose). On every re-split, for demographic parity
//! and equalized odds, each ε and each δ:
//!
//! - **target**: the ε-target (`TargetedFit`) fitted on all development rows;
//! - **validation**: a penalty path fitted on the fitting rows, the most accurate point whose
//!   validation gap is within ε;
//! - **margin**: the same path, the most accurate point whose validation gap's one-sided
//!   `1 − δ` upper bound (the upper end of a `1 − 2δ` bootstrap interval) is within ε;
//! - **high-confidence**: the Seldonian mode on all development rows (candidates: the same
//!   penalty path on its candidate part; Student-t safety test on its safety part).
//!
//! Every returned model is read on the held-out rows: its hard-decision gap (a violation when
//! above ε), its accuracy, whether its decisions are constant. The table gives, per method, ε
//! and δ, the no-solution rate, the violation rate among returned models, the unsafe rate among
//! all runs (what a `1 − δ` guarantee bounds) with its exact 95 % binomial interval, mean
//! accuracy and gap, and the constant rules returned. Written to `results/heldout_guarantees/`:
//! `summary.csv` (every row of every table), and per data set and notion
//! `<data>_<notion>_violations.svg` (violation rate against δ, a panel per ε) and
//! `<data>_<notion>_accuracy.svg` (accuracy against ε, with the majority-class rule's accuracy
//! for reference). Re-splits run in parallel (rayon).
//!
//! ```sh
//! cargo run --release --example heldout_guarantees            # 100 re-splits of each data set
//! cargo run --release --example heldout_guarantees -- --fast  # 4 re-splits of COMPAS (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::path::Path;
use std::time::Instant;

use fairfit::data::fairness::Notion;
use fairfit::data::reference;
use fairfit::eval::plot::HeldoutPlot;
use fairfit::eval::study::heldout::{pool, HeldoutStudy, Record, Returned, Tally};
use fairfit::eval::study::Benchmark;
use fairfit::train::{FairLogisticRegression, Logistic, ParamGuard, PenaltyPath};
use rayon::prelude::*;

/// L2 strength on the mean loss, the same for every model.
const L2: f64 = 1e-4;
/// Seed of the first re-split; re-split `r` uses `SEED + r`.
const SEED: u64 = 20_261_201;
/// Re-splits per data set.
const RESPLITS: u64 = 100;
/// Re-splits with `--fast`.
const FAST_RESPLITS: u64 = 4;
/// The bounds ε on the gap.
const EPSILONS: [f64; 3] = [0.02, 0.05, 0.1];
/// The confidence parameters δ.
const DELTAS: [f64; 3] = [0.05, 0.1, 0.2];
/// Penalty weights of the path (λ = 0, then log-spaced): the candidates of every method that
/// chooses.
const LAMBDA_RANGE: (f64, f64, usize) = (0.1, 300.0, 10);
/// Bootstrap resamples of the validation gap's interval.
const RESAMPLES: usize = 300;

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let (benchmarks, resplits): (&[Benchmark], u64) = if fast {
        (&[Benchmark::Compas], FAST_RESPLITS)
    } else {
        (&Benchmark::ALL, RESPLITS)
    };
    let out = Path::new("results/heldout_guarantees");
    std::fs::create_dir_all(out)?;
    let model = FairLogisticRegression::params().l2(L2).check()?;
    let (lo, hi, steps) = LAMBDA_RANGE;
    let lambdas = PenaltyPath::<Logistic>::log_spaced(lo, hi, steps);
    let started = Instant::now();
    let mut tallies = Vec::new();
    for &benchmark in benchmarks {
        let rows = pool(&benchmark.load(&reference::datasets_dir())?)?;
        println!(
            "\n=== {benchmark}: {} pooled rows, {resplits} re-splits (30 % held out) ===",
            rows.nrows()
        );
        // The majority-class rule's accuracy (stratified re-splits keep the base rate).
        let positive = rows.targets().mean().unwrap_or(0.5);
        let majority = positive.max(1.0 - positive);
        for notion in [Notion::demographic_parity(), Notion::equalized_odds()] {
            let timer = Instant::now();
            let study = HeldoutStudy::new(
                notion.clone(),
                model.clone(),
                lambdas.clone(),
                EPSILONS.to_vec(),
                DELTAS.to_vec(),
            )?
            .resamples(RESAMPLES);
            let records: Vec<Record> = (0..resplits)
                .into_par_iter()
                .map(|r| study.run(&rows, SEED + r))
                .collect::<Result<Vec<_>, _>>()?
                .concat();
            if let Some(Returned::Failed(reason)) = records
                .iter()
                .map(|r| &r.returned)
                .find(|r| matches!(r, Returned::Failed(_)))
            {
                println!("some fits failed, e.g.: {reason}");
            }
            let tally = Tally::new(benchmark.key(), notion.clone(), &records);
            println!(
                "\n{} ({:.0} s)",
                notion.label(),
                timer.elapsed().as_secs_f64()
            );
            print!("{tally}");
            let stem = format!("{}_{}", benchmark.key(), notion.column());
            let plot = HeldoutPlot::default();
            plot.clone()
                .title(format!(
                    "{benchmark}, {}: held-out violation rate",
                    notion.label()
                ))
                .write_violations(&tally, out.join(format!("{stem}_violations.svg")))?;
            plot.size(1150, 640)
                .majority(majority)
                .title(format!(
                    "{benchmark}, {}: held-out accuracy",
                    notion.label()
                ))
                .write_accuracy(&tally, out.join(format!("{stem}_accuracy.svg")))?;
            tallies.push(tally);
        }
    }
    Tally::write_csv(&tallies, out.join("summary.csv"))?;
    println!(
        "\nwrote {} in {:.0} s{}",
        out.display(),
        started.elapsed().as_secs_f64(),
        if fast {
            " (fast: COMPAS only, 4 re-splits)"
        } else {
            ""
        }
    );
    Ok(())
}
