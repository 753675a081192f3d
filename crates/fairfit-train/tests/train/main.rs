//! Integration tests of fairfit-train (one binary, to keep linking cheap).

mod catalogue;
mod common;
mod convergence;
mod linear;
mod logistic;
mod targets;
