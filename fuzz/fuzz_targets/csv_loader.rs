//! cargo-fuzz target: [`csv_loader`](../../tests/fuzz/harness.rs) on libFuzzer's inputs.
#![no_main]

#[path = "../../tests/fuzz/harness.rs"]
mod harness;

libfuzzer_sys::fuzz_target!(|data: &[u8]| harness::csv_loader(data));
