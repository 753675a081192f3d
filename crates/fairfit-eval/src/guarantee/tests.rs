//! Tests of the high-confidence fit across its parts. Compiled only under `#[cfg(test)]`.
