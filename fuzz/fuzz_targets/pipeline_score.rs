//! cargo-fuzz target: [`pipeline_score`](../../tests/fuzz/harness.rs) on libFuzzer's inputs.
#![no_main]

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::pipeline_score(data));
