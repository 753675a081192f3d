//! Held-out guarantees: does a method's `gap ≤ ε` hold on people no fit and no choice has
//! seen? The rows of a protocol are pooled ([`pool`]) and re-split many times, seeded and
//! stratified ([`Resplit`]); on each re-split a [`HeldoutStudy`] runs every [`Method`] at every
//! ε (and δ) and reads each returned model on the held-out rows ([`HeldOut`]: accuracy, the
//! notion's hard-decision gap, constant decisions); a [`Tally`] counts the violation rate, the
//! no-solution rate and the accuracy over the re-splits.
//!
//! ```
//! use fairfit::data::{fairness::Notion, synthetic::BiasedParams};
//! use fairfit::eval::study::heldout::{HeldoutStudy, Method, Tally};
//! use fairfit::train::{FairLogisticRegression, ParamGuard};
//! let data = BiasedParams::new(1_500, 2)
//!     .groups(&[("a", 0.6), ("b", 0.4)])
//!     .label_bias("b", 0.4)
//!     .seed(5)
//!     .generate()?
//!     .data;
//! let model = FairLogisticRegression::params().l2(1e-3).check()?;
//! let study = HeldoutStudy::new(Notion::demographic_parity(), model, vec![0.0, 1.0, 10.0, 100.0], vec![0.05], vec![0.1])?
//!     .resamples(100);
//! let records = [study.run(&data, 1)?, study.run(&data, 2)?].concat();
//! let tally = Tally::new("synthetic", Notion::demographic_parity(), &records);
//! let margin = tally.rows().iter().find(|r| r.method == Method::Margin).unwrap();
//! assert_eq!(margin.runs, 2);
//! assert_eq!(margin.returned + margin.no_solution + margin.failed, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod held_out;
mod resplit;
mod reused;
mod run;
mod tally;
#[cfg(test)]
mod tests;

pub use held_out::HeldOut;
pub use resplit::{pool, Resplit};
pub use reused::ReusedCandidates;
pub use run::{HeldoutStudy, Method, Record, Returned};
pub use tally::{Tally, TallyRow};
