//! Exponentiated gradient and grid search on Adult (the protocol's 30,162 × 80 encoding, groups
//! by sex), with the matrices written out so that `benches/python/fairlearn_reductions.py` can run
//! Fairlearn 0.15 on exactly the same numbers and print both side by side.
//!
//! The constraints are Fairlearn's: demographic parity and equalized odds as differences *to
//! the overall rate* bounded by ε (`DemographicParity(difference_bound=ε)`), for six ε; grid
//! search over 21 multipliers for demographic parity. The learner is fairfit's logistic
//! regression with `l2 = 1e-4` on the mean loss (scikit-learn's `C = 1 / (n · l2)`). Reported
//! per run: the training gap between the groups (the expected rates of the randomised model,
//! whose every component decides hard), the expected test accuracy, the number of best
//! responses and the wall time; for exponentiated gradient also the best single feasible
//! predictor of the support.
//!
//! Written to `results/reductions_adult/`: `{x,y,group}_{train,test}.csv` (the matrices) and
//! `fairfit.json` (every figure printed).
//!
//! ```sh
//! cargo run --release --example reductions_adult              # 6 ε × 2 notions, 21 grid points
//! cargo run --release --example reductions_adult -- --fast    # 2 ε, 5 grid points (or FAIRFIT_FAST=1)
//! ```

use std::error::Error;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::time::Instant;

use fairfit::data::fairness::{Aggregate, GroupCells, Notion};
use fairfit::data::reference;
use fairfit::data::FairDataset;
use fairfit::train::reductions::{ExponentiatedGradient, GridSearch};
use fairfit::train::{FairLogisticRegression, Logistic, ParamGuard};
use ndarray::{Array1, ArrayView1};

/// L2 strength on the mean loss.
const L2: f64 = 1e-4;
/// The bounds ε of exponentiated gradient.
const EPSILONS: [f64; 6] = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1];
/// The bounds with `--fast`.
const FAST_EPSILONS: [f64; 2] = [0.01, 0.05];
/// Grid search's number of multiplier vectors (and with `--fast`).
const GRID: usize = 21;
const FAST_GRID: usize = 5;

fn main() -> Result<(), Box<dyn Error>> {
    let fast = std::env::args().any(|a| a == "--fast")
        || std::env::var("FAIRFIT_FAST").is_ok_and(|v| v == "1");
    let out = Path::new("results/reductions_adult");
    fs::create_dir_all(out)?;
    let data = reference::adult(reference::datasets_dir())?;
    let (train, test) = (&data.train, &data.test);
    for (name, d) in [("train", train), ("test", test)] {
        write_matrices(d, name, out)?;
    }
    println!(
        "Adult: {} train × {} features, {} test rows; matrices in {}",
        train.nrows(),
        train.nfeatures(),
        test.nrows(),
        out.display()
    );
    let learner = FairLogisticRegression::params().l2(L2).check()?;
    let epsilons: &[f64] = if fast { &FAST_EPSILONS } else { &EPSILONS };
    let mut json = String::from("{\n  \"l2\": 0.0001,\n  \"exponentiated_gradient\": [\n");
    println!(
        "\n{:<20} {:>6} {:>10} {:>10} {:>9} {:>7} {:>6} {:>8} {:>8} {:>10}",
        "exponentiated grad.",
        "ε",
        "train gap",
        "test acc",
        "ν",
        "rounds",
        "calls",
        "wall s",
        "CPU s",
        "feasible"
    );
    let mut rows = Vec::new();
    for (key, notion) in notions() {
        let between = notion.clone().with_aggregate(Aggregate::Difference);
        let timer = Instant::now();
        for &epsilon in epsilons {
            let (started, cpu) = (Instant::now(), cpu_seconds());
            let fit = ExponentiatedGradient::params::<Logistic>(notion.clone(), epsilon)
                .learner(learner.clone())
                .fit(train)?;
            let seconds = started.elapsed().as_secs_f64();
            let cpu = cpu_seconds() - cpu;
            let model = fit.model();
            let p_train = model.decision_probabilities(train.records())?;
            let p_test = model.decision_probabilities(test.records())?;
            let gap = notion_value(&between, train, p_train.view())?;
            let accuracy = expected_accuracy(test.targets(), p_test.view());
            let feasible = match model.best_feasible() {
                Ok(m) => {
                    let d = m
                        .decision_function(test.records())?
                        .mapv(|s| f64::from(u8::from(s >= 0.0)));
                    format!("{:.4}", expected_accuracy(test.targets(), d.view()))
                }
                Err(_) => "none".into(),
            };
            let report = fit.report();
            println!(
                "{key:<20} {epsilon:>6} {gap:>10.4} {accuracy:>10.4} {:>9.5} {:>7} {:>6} {seconds:>8.3} {cpu:>8.3} {feasible:>10}",
                report.nu,
                report.iterations.len(),
                report.oracle_calls,
            );
            rows.push(format!(
                "    {{\"notion\": \"{key}\", \"epsilon\": {epsilon}, \"train_gap\": {gap}, \
                 \"test_accuracy\": {accuracy}, \"nu\": {}, \"best_gap\": {}, \"rounds\": {}, \
                 \"oracle_calls\": {}, \"seconds\": {seconds}, \"cpu_seconds\": {cpu}}}",
                report.nu,
                report.best_gap,
                report.iterations.len(),
                report.oracle_calls
            ));
        }
        println!(
            "{key}: {} ε in {:.3} s",
            epsilons.len(),
            timer.elapsed().as_secs_f64()
        );
    }
    json.push_str(&rows.join(",\n"));
    json.push_str("\n  ],\n  \"grid_search\": ");
    let size = if fast { FAST_GRID } else { GRID };
    let dp = Notion::demographic_parity().with_aggregate(Aggregate::DifferenceToOverall);
    let (started, cpu) = (Instant::now(), cpu_seconds());
    let grid = GridSearch::params::<Logistic>(dp.clone())
        .grid_size(size)
        .learner(learner)
        .fit(train)?;
    let seconds = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let best = grid.best();
    let decisions = |d: &FairDataset| -> Result<Array1<f64>, Box<dyn Error>> {
        Ok(best
            .decision_function(d.records())?
            .mapv(|s| f64::from(u8::from(s >= 0.0))))
    };
    let between = Notion::demographic_parity();
    let gap = notion_value(&between, train, decisions(train)?.view())?;
    let accuracy = expected_accuracy(test.targets(), decisions(test)?.view());
    println!(
        "\ngrid search (DP, {size} points): best point {} (λ coefficient {:.2}): train gap {gap:.4}, \
         test accuracy {accuracy:.4}, {seconds:.3} s ({cpu:.3} s CPU)",
        grid.best_index(),
        grid.points()[grid.best_index()].coefficients[0]
    );
    let _ = write!(
        json,
        "{{\"grid_size\": {size}, \"best_index\": {}, \"train_gap\": {gap}, \
         \"test_accuracy\": {accuracy}, \"seconds\": {seconds}, \"cpu_seconds\": {cpu}}}\n}}\n",
        grid.best_index()
    );
    fs::write(out.join("fairfit.json"), json)?;
    println!("figures in {}", out.join("fairfit.json").display());
    Ok(())
}

/// Fairlearn's two constraints: differences to the overall rate.
fn notions() -> [(&'static str, Notion); 2] {
    [
        (
            "demographic_parity",
            Notion::demographic_parity().with_aggregate(Aggregate::DifferenceToOverall),
        ),
        (
            "equalized_odds",
            Notion::equalized_odds().with_aggregate(Aggregate::DifferenceToOverall),
        ),
    ]
}

/// The notion's value on (expected) decisions, through the shared engine.
fn notion_value(
    notion: &Notion,
    data: &FairDataset,
    decisions: ArrayView1<'_, f64>,
) -> Result<f64, Box<dyn Error>> {
    let y = data.targets();
    let cells = GroupCells::of(data);
    let means = notion
        .statistics()
        .iter()
        .map(|s| cells.evaluate(*s, |i| (y[i], decisions[i])))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(notion.value(&means).map_err(|u| u.reason)?.value)
}

/// CPU time of the process so far (user + system, all threads), from `/proc/self/stat` in
/// clock ticks of 1/100 s; NaN where that file is absent. Wall time on a shared machine
/// depends on the other load; CPU time much less.
fn cpu_seconds() -> f64 {
    let Ok(stat) = fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which ends at the last ')'): utime and stime are the
    // 12th and 13th.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |k: usize| fields.get(k).and_then(|v| v.parse::<f64>().ok());
    match (ticks(11), ticks(12)) {
        (Some(user), Some(system)) => (user + system) / 100.0,
        _ => f64::NAN,
    }
}

/// The expected accuracy of decisions that are 1 with probability `p`.
fn expected_accuracy(y: ArrayView1<'_, f64>, p: ArrayView1<'_, f64>) -> f64 {
    let hits: f64 = y
        .iter()
        .zip(p)
        .map(|(&y, &p)| y * p + (1.0 - y) * (1.0 - p))
        .sum();
    hits / y.len() as f64
}

/// Writes `x_<name>.csv`, `y_<name>.csv` and `group_<name>.csv` (shortest round-trip decimals,
/// so that NumPy reads back the same doubles).
fn write_matrices(data: &FairDataset, name: &str, out: &Path) -> Result<(), Box<dyn Error>> {
    let mut x = String::new();
    for row in data.records().outer_iter() {
        let line: Vec<String> = row.iter().map(|v| v.to_string()).collect();
        x.push_str(&line.join(","));
        x.push('\n');
    }
    fs::write(out.join(format!("x_{name}.csv")), x)?;
    let y: Vec<String> = data.targets().iter().map(|v| v.to_string()).collect();
    fs::write(out.join(format!("y_{name}.csv")), y.join("\n") + "\n")?;
    let g: Vec<String> = data
        .groups()
        .of_row()
        .iter()
        .map(|g| g.to_string())
        .collect();
    fs::write(out.join(format!("group_{name}.csv")), g.join("\n") + "\n")?;
    Ok(())
}
