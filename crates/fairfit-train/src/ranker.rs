//! fairfit's logistic regression as the ranker of preferential sampling and massaging
//! ([`fairfit_data::mitigation::Ranker`]): the same learner as the model that follows them, as
//! Kamiran & Calders rank, converged by Newton's method in a fraction of the time linfa-logistic's
//! capped L-BFGS takes on Adult.

use std::sync::Arc;

use fairfit_data::mitigation::{Ranker, SharedScorer};
use fairfit_data::{DataError, FairDataset};
use linfa::ParamGuard;

use crate::error::TrainError;
use crate::loss::Logistic;
use crate::params::FairParams;

/// Ranks rows by the fitted model's P(y = 1 | x). Penalties, weights and solver settings of the
/// parameters apply; a fit that fails becomes [`DataError::Ranker`] with the training error's
/// message.
///
/// ```
/// use fairfit::data::mitigation::Massaging;
/// use fairfit::data::synthetic::BiasedParams;
/// use fairfit::train::FairLogisticRegression;
/// use linfa::traits::{Fit, Transformer};
/// let data = BiasedParams::new(400, 2).label_bias("b", 0.5).seed(3).generate()?.data;
/// let massaging = Massaging::params().ranker(FairLogisticRegression::params().l2(1e-3));
/// let massaged = massaging.fit(&data.as_linfa())?.transform(&data)?;
/// let flipped = (&massaged.targets() - &data.targets()).iter().filter(|d| **d != 0.0).count();
/// assert!(flipped > 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Ranker for FairParams<Logistic> {
    fn name(&self) -> String {
        "fair-logistic".into()
    }

    fn fit_scorer(&self, train: &FairDataset) -> fairfit_data::Result<SharedScorer> {
        let failed = |e: TrainError| DataError::Ranker {
            ranker: self.name(),
            message: e.to_string(),
        };
        let model = self
            .check_ref()
            .map_err(failed)?
            .fit(train)
            .map_err(failed)?;
        Ok(Arc::new(model))
    }
}

#[cfg(test)]
mod tests {
    use fairfit_data::mitigation::{LogisticRanker, Ranker};
    use fairfit_data::synthetic::BiasedParams;
    use ndarray::Array1;

    use crate::FairLogisticRegression;

    /// Both rankers fit the same L2 logistic model (linfa's `alpha` is ours times n), so their
    /// 200 highest-scored rows nearly coincide.
    #[test]
    fn ranks_like_linfa_logistic_and_reports_failures_as_ranker_errors() {
        let data = BiasedParams::new(2_000, 4)
            .label_bias("b", 0.5)
            .seed(5)
            .generate()
            .unwrap()
            .data;
        let ours = FairLogisticRegression::params().l2(1e-3);
        let theirs = LogisticRanker::default().alpha(1e-3 * 2_000.0);
        let top = |r: &dyn Ranker| {
            let scores = r.fit_scorer(&data).unwrap().score(data.records());
            let mut order: Vec<usize> = (0..scores.len()).collect();
            order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
            order.truncate(200);
            order.sort_unstable();
            order
        };
        let (a, b) = (top(&ours), top(&theirs));
        let shared = a.iter().filter(|r| b.binary_search(r).is_ok()).count();
        assert!(shared >= 190, "top 200 rows shared: {shared}");
        assert_eq!(ours.name(), "fair-logistic");

        let one_class = data.clone().with_targets(Array1::ones(2_000)).unwrap();
        let err = ours
            .fit_scorer(&one_class)
            .err()
            .expect("one class cannot be ranked");
        assert!(
            matches!(&err, fairfit_data::DataError::Ranker { ranker, .. } if ranker == "fair-logistic"),
            "{err}"
        );
        let invalid = FairLogisticRegression::params().l2(-1.0);
        assert!(matches!(
            invalid.fit_scorer(&data),
            Err(fairfit_data::DataError::Ranker { .. })
        ));
    }
}
