//! The front door: the prelude's common flow, `?` on `fairfit::Error` across every crate, and
//! linfa's traits used through generic bounds alone.

use fairfit::prelude::*;
use fairfit::train::pipeline::FittedPipeline;
use ndarray::{array, Array1};

/// Eight rows, two groups; the feature ranks the rows, group F has fewer positives.
fn small() -> FairDataset {
    let sex =
        SensitiveAttribute::from_values("sex", &["M", "M", "M", "M", "F", "F", "F", "F"], None)
            .expect("two levels");
    FairDataset::new(
        array![[0.9], [0.2], [0.6], [0.5], [0.3], [0.8], [0.1], [0.4]],
        array![1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        vec![sex],
    )
    .expect("valid data")
}

/// Fits any linfa estimator on a data set: this code knows nothing but linfa's `Fit`.
fn fit_generic<P, O, E>(params: &P, data: &FairDataset) -> Result<O, E>
where
    P: for<'a> Fit<&'a FairDataset, (), E, Object = O>,
    E: std::error::Error + From<linfa::Error>,
{
    params.fit(&data.as_linfa())
}

#[test]
fn pre_processors_and_models_fit_through_linfas_traits() -> fairfit::Result<()> {
    let data = small();
    let reweighing = fit_generic(&Reweighing::params(), &data)?;
    let weighted = reweighing.transform(&data)?;
    let weights = weighted.weights().expect("reweighing sets weights");
    // Group M: 3 of 4 positive, overall 4 of 8: a positive M row gets (4/8)/(3/4) = 2/3.
    assert!((weights[0] - 2.0 / 3.0).abs() < 1e-12, "{weights}");
    let repair = fit_generic(&DisparateImpactRemover::params().level(1.0), &data)?;
    assert_eq!(repair.transform(&data)?.nrows(), data.nrows());
    let model: FittedLogistic = fit_generic(&FairLogisticRegression::params().l2(1e-2), &weighted)?;
    let warm = FairLogisticRegression::params()
        .l2(1e-2)
        .fit_with(Some(&model), &weighted.as_linfa())?;
    assert_eq!(warm.coefficients().len(), 1);
    let probabilities: Array1<f64> = model.predict(&data.records());
    assert!(probabilities.iter().all(|p| (0.0..=1.0).contains(p)));
    Ok(())
}

#[test]
fn every_crates_error_converts_with_the_question_mark() {
    let data = small();
    let data_error = || -> fairfit::Result<()> {
        FairDataset::new(ndarray::Array2::zeros((0, 1)), Array1::zeros(0), vec![])?;
        Ok(())
    };
    assert!(matches!(data_error(), Err(fairfit::Error::Data(_))));

    let train_error = || -> fairfit::Result<()> {
        FairLogisticRegression::params().l2(-1.0).fit(&data)?;
        Ok(())
    };
    assert!(matches!(train_error(), Err(fairfit::Error::Train(_))));

    let postprocess_error = || -> fairfit::Result<()> {
        let scores = array![0.1, 0.2];
        ThresholdOptimizer::params().fit(scores.view(), &[true, false], data.groups(), None)?;
        Ok(())
    };
    assert!(matches!(
        postprocess_error(),
        Err(fairfit::Error::Postprocess(_))
    ));

    let pipeline_error = || -> fairfit::Result<()> {
        let csv = "x,y,sex\n1,1,M\n2,0,F\n3,1,F\n";
        let table = fairfit::data::schema::RawTable::from_reader(
            csv.as_bytes(),
            "t.csv",
            &CsvOptions::default(),
        )?;
        let schema = Schema::builder()
            .label("y", "1")
            .sensitive("sex")
            .numeric(&["x"])
            .build()?;
        let encoder = Encoder::fit(&schema, &table)?;
        let two_features = FairLogisticRegression::params().fit(&FairDataset::new(
            array![[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]],
            array![1.0, 0.0, 1.0, 0.0],
            vec![SensitiveAttribute::from_values(
                "sex",
                &["M", "F", "M", "F"],
                None,
            )?],
        )?)?;
        FittedPipeline::new(encoder, two_features)?;
        Ok(())
    };
    assert!(matches!(pipeline_error(), Err(fairfit::Error::Pipeline(_))));

    let eval_error = || -> fairfit::Result<()> {
        BootstrapParams::default().resamples(0).check()?;
        Ok(())
    };
    assert!(matches!(eval_error(), Err(fairfit::Error::Eval(_))));

    let undefined = || -> fairfit::Result<f64> {
        // Group F has no positive label among these rows: its TPR is undefined.
        let outcomes = Outcomes::classification(&[true, false, false], &[true, true, false])?;
        let groups = Groups::new(vec!["M".into(), "F".into()], vec![0, 1, 1])?;
        let frame = MetricFrame::new(&outcomes, &groups, &[&Measure::Tpr])?;
        Ok(frame
            .estimate("true_positive_rate", Entry::Group(1))?
            .value?)
    };
    let result = undefined();
    assert!(
        matches!(result, Err(fairfit::Error::Undefined(_))),
        "{result:?}"
    );

    let io_error = || -> fairfit::Result<()> {
        std::fs::read("no/such/file.csv")?;
        Ok(())
    };
    assert!(matches!(io_error(), Err(fairfit::Error::Io(_))));
}
