//! Integration tests of fairfit-train (one binary, to keep linking cheap).

mod common;
mod logistic;
