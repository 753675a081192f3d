//! A bounded, seeded mutation fuzzer on stable Rust, run by `cargo test` in CI: thousands of
//! mutated inputs per target through the CSV loader, fitting, a fixed pipeline's scoring and the
//! pipeline loader (the harnesses in `tests/fuzz/harness.rs`, which the cargo-fuzz targets in
//! `fuzz/` also run). The seed corpora hold the inputs of issue 13 that crashed fairfit.
//!
//! A mutation applies one to four edits to a corpus input: bit flips, byte replacements,
//! insertions of tokens that have broken parsers before (huge, tiny and non-finite numbers,
//! quotes, line ends, the missing marker), deletions, duplications and splices; saved
//! pipelines are also edited as JSON (a number, string, array or object replaced by one of the
//! same tokens). Every input that panics is reported with its target, index and bytes.

#[path = "fuzz/harness.rs"]
mod harness;

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::Value;

/// Tokens inserted by the mutator.
const TOKENS: &[&str] = &[
    "1e308",
    ".7e308",
    "-1e308",
    "1.8e308",
    "1e-320",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "-0",
    "0",
    "-5",
    "99999999999999999999",
    "",
    ",",
    ",,",
    "\n",
    "\r",
    "\r\n",
    "\"",
    "\"\"",
    "?",
    "\u{feff}",
    "é",
    "null",
    "[]",
    "{}",
    "true",
    "F",
    "M",
    "yes",
    "no",
    "a",
    "z",
];

thread_local! {
    /// Whether this thread is running a target (its panics are recorded, not printed).
    static IN_TARGET: Cell<bool> = const { Cell::new(false) };
    /// The message of the last panic of a target on this thread.
    static LAST_PANIC: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Records the panics of targets quietly (thousands of inputs may panic); any other panic, such
/// as a test's failed assertion, goes to the default hook.
fn quiet_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_TARGET.with(Cell::get) {
                LAST_PANIC.with(|m| *m.borrow_mut() = info.to_string());
            } else {
                default(info);
            }
        }));
    });
}

/// One to four byte-level edits of `input`, with material spliced from `corpus`.
fn mutate_bytes(rng: &mut StdRng, input: &[u8], corpus: &[Vec<u8>]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..rng.gen_range(1..=4) {
        let len = out.len();
        let at = rng.gen_range(0..=len);
        match rng.gen_range(0..6) {
            0 if len > 0 => {
                let i = rng.gen_range(0..len);
                out[i] ^= 1 << rng.gen_range(0..8);
            }
            1 if len > 0 => {
                let bytes = b",\n\r\"?-.e09\xff\0 ";
                let i = rng.gen_range(0..len);
                out[i] = bytes[rng.gen_range(0..bytes.len())];
            }
            2 => {
                let token = TOKENS[rng.gen_range(0..TOKENS.len())];
                out.splice(at..at, token.bytes());
            }
            3 if len > 0 => {
                let start = rng.gen_range(0..len);
                let end = (start + rng.gen_range(1..=16)).min(len);
                out.drain(start..end);
            }
            4 if len > 0 => {
                let start = rng.gen_range(0..len);
                let end = (start + rng.gen_range(1..=64)).min(len);
                let piece = out[start..end].to_vec();
                out.splice(at..at, piece);
            }
            _ => {
                let other = &corpus[rng.gen_range(0..corpus.len())];
                if !other.is_empty() {
                    let start = rng.gen_range(0..other.len());
                    let end = (start + rng.gen_range(1..=64)).min(other.len());
                    out.splice(at..at, other[start..end].iter().copied());
                }
            }
        }
    }
    out
}

/// A token as a JSON value: numbers as numbers, the rest as strings, `[]`/`{}`/`null` as such.
fn token_value(rng: &mut StdRng) -> Value {
    let token = TOKENS[rng.gen_range(0..TOKENS.len())];
    serde_json::from_str(token).unwrap_or_else(|_| Value::String(token.to_string()))
}

/// Edits one node of the document, reached by a random walk from the root.
fn mutate_json(rng: &mut StdRng, node: &mut Value) {
    let descend = rng.gen_bool(0.8);
    match &mut *node {
        Value::Array(items) if !items.is_empty() && descend => {
            let i = rng.gen_range(0..items.len());
            return mutate_json(rng, &mut items[i]);
        }
        Value::Object(map) if !map.is_empty() && descend => {
            let i = rng.gen_range(0..map.len());
            if let Some((_, child)) = map.iter_mut().nth(i) {
                return mutate_json(rng, child);
            }
        }
        _ => {}
    }
    edit_json(rng, node);
}

/// Replaces a node by a token, removes or repeats an array element, adds an unknown key, or
/// scales a number to an extreme.
fn edit_json(rng: &mut StdRng, node: &mut Value) {
    match node {
        Value::Array(items) if !items.is_empty() && rng.gen_bool(0.5) => {
            let i = rng.gen_range(0..items.len());
            if rng.gen_bool(0.5) {
                items.remove(i);
            } else {
                let copy = items[i].clone();
                items.push(copy);
            }
        }
        Value::Object(map) if rng.gen_bool(0.3) => {
            map.insert("unknown".into(), token_value(rng));
        }
        Value::Number(n) if rng.gen_bool(0.5) => {
            let x = n.as_f64().unwrap_or(0.0);
            let scaled = x * [-1.0, 0.0, 1e300, -1e-300, 2.0][rng.gen_range(0..5)];
            *node = serde_json::Number::from_f64(scaled).map_or(Value::Null, Value::Number);
        }
        _ => *node = token_value(rng),
    }
}

/// Runs `target` on `count` mutations of `corpus` (seeded), and fails listing every input that
/// panicked.
fn campaign(
    name: &str,
    target: fn(&[u8]),
    corpus: Vec<Vec<u8>>,
    count: usize,
    seed: u64,
    structured: bool,
) {
    quiet_panics();
    let mut rng = StdRng::seed_from_u64(seed);
    let mut crashes = Vec::new();
    let inputs = corpus.iter().cloned().chain((0..count).map(|_| {
        let base = &corpus[rng.gen_range(0..corpus.len())];
        let edited_json = structured && rng.gen_bool(0.5);
        match serde_json::from_slice::<Value>(base) {
            Ok(mut value) if edited_json => {
                for _ in 0..rng.gen_range(1..=3) {
                    mutate_json(&mut rng, &mut value);
                }
                value.to_string().into_bytes()
            }
            _ => mutate_bytes(&mut rng, base, &corpus),
        }
    }));
    for (i, input) in inputs.enumerate() {
        IN_TARGET.with(|t| t.set(true));
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
        IN_TARGET.with(|t| t.set(false));
        if outcome.is_err() {
            let message = LAST_PANIC.with(|m| m.borrow().clone());
            crashes.push(format!(
                "input {i}: {message}\n  bytes: {:?}",
                String::from_utf8_lossy(&input)
            ));
        }
    }
    assert!(
        crashes.is_empty(),
        "{name}: {} of {} inputs panicked (seed {seed}):\n{}",
        crashes.len(),
        count + corpus.len(),
        crashes
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// CSV inputs: the training file, issue 13's crashing cell, CR-only line ends, missing and
/// quoted fields, a ragged row.
fn csv_corpus() -> Vec<Vec<u8>> {
    [
        harness::TRAIN.to_string(),
        "age,income,,,job\n0,.7e308,,,0\n".to_string(),
        harness::TRAIN.replace('\n', "\r"),
        "age,income,sex,job,y\n?,1,F,?,yes\n30,?,M,b,no\n41,2,F,a,no\n".to_string(),
        "age,income,sex,job,y\n\"1\",\"2,5\",F,\"a\"\"b\",yes\n3,4,M,c\n".to_string(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

#[test]
fn the_csv_loader_survives_twenty_thousand_mutations() {
    campaign(
        "csv_loader",
        harness::csv_loader,
        csv_corpus(),
        20_000,
        1,
        false,
    );
}

#[test]
fn scoring_survives_twenty_thousand_mutations() {
    campaign(
        "pipeline_score",
        harness::pipeline_score,
        csv_corpus(),
        20_000,
        2,
        false,
    );
}

#[test]
fn the_pipeline_loader_survives_twenty_thousand_mutations() {
    let corpus = vec![harness::saved_pipeline().into_bytes()];
    campaign(
        "pipeline_load",
        harness::pipeline_load,
        corpus,
        20_000,
        3,
        true,
    );
}

#[test]
fn fitting_survives_five_thousand_mutations() {
    campaign("fit", harness::fit, csv_corpus(), 5_000, 4, false);
}
