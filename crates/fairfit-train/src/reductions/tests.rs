//! Tests of the reductions. Compiled only under `#[cfg(test)]`.
