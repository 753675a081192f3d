//! [`FairnessReportBuilder`]: collects the parts of a report and checks that they fit together.

use fairfit_data::audit::DataAudit;
use fairfit_data::Groups;

use super::disparities::named_disparities;
use super::evaluation::{evaluate, evaluation_of};
use super::method::check_method;
use super::{AuditSummary, Cell, FairnessReport, Method, TradeoffPosition};
use crate::bootstrap::Bootstrap;
use crate::curve::{Axis, Split, TradeoffCurve};
use crate::error::{EvalError, Result};
use crate::frame::MetricFrame;
use crate::metrics::Outcomes;

/// Number of proxies shown unless [`FairnessReportBuilder::top_proxies`] says otherwise.
pub const DEFAULT_TOP_PROXIES: usize = 5;

/// Collects the parts of a [`FairnessReport`]; [`FairnessReportBuilder::build`] checks them.
///
/// Required: [`audit`](Self::audit), metrics by group ([`frame`](Self::frame) or
/// [`evaluate`](Self::evaluate)), and the method ([`method`](Self::method), or taken from the
/// trade-off point when [`tradeoff`](Self::tradeoff) is given).
#[derive(Debug, Default)]
pub struct FairnessReportBuilder {
    title: Option<String>,
    audit: Option<DataAudit>,
    top_proxies: Option<usize>,
    method: Option<Method>,
    frame: Option<(Split, MetricFrame)>,
    equalized_odds: Option<Cell>,
    tradeoff: Option<(TradeoffCurve, usize, Axis, Axis)>,
    failed: Option<EvalError>,
}

impl FairnessReportBuilder {
    /// The title (default: the method's name and the audited data set's).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = Some(title.into());
        self
    }

    /// The audit of the data the model was trained on (required).
    pub fn audit(mut self, audit: DataAudit) -> Self {
        self.audit = Some(audit);
        self
    }

    /// How many of the strongest proxies to show (default [`DEFAULT_TOP_PROXIES`]; at least 1).
    pub fn top_proxies(mut self, n: usize) -> Self {
        self.top_proxies = Some(n);
        self
    }

    /// The method and its parameters.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// A bootstrapped frame of the model's metrics by group on `split` (from
    /// [`Bootstrap::frame`]). Named disparities are read from its difference and ratio entries;
    /// the equalized-odds difference (a maximum over two metrics) then has no interval — use
    /// [`evaluate`](Self::evaluate) for one.
    pub fn frame(mut self, split: Split, frame: MetricFrame) -> Self {
        self.frame = Some((split, frame));
        self.equalized_odds = None;
        self
    }

    /// Computes the frame of [`STANDARD_METRICS`](crate::report::STANDARD_METRICS) on `outcomes` by `groups` with `bootstrap`, and
    /// the equalized-odds difference with its interval from the same replicates (the same seed
    /// gives the same resamples). Errors surface in [`build`](Self::build).
    pub fn evaluate(
        mut self,
        split: Split,
        bootstrap: &Bootstrap,
        outcomes: &Outcomes,
        groups: &Groups,
    ) -> Self {
        match evaluate(bootstrap, outcomes, groups) {
            Ok((frame, eo)) => {
                self.frame = Some((split, frame));
                self.equalized_odds = Some(eo);
            }
            Err(e) => self.failed = Some(e),
        }
        self
    }

    /// Places the model on `curve` as point `index`, on the axes `performance` × `gap`.
    pub fn tradeoff(
        mut self,
        curve: &TradeoffCurve,
        index: usize,
        performance: Axis,
        gap: Axis,
    ) -> Self {
        self.tradeoff = Some((curve.clone(), index, performance, gap));
        self
    }

    /// Checks the parts and assembles the report.
    ///
    /// Errors: [`EvalError::MissingPart`] for an absent part, [`EvalError::NoIntervals`] for a
    /// frame that was not bootstrapped, [`EvalError::GroupMismatch`] when the frame's groups
    /// are not the audit's, [`EvalError::PointOutOfRange`] and [`EvalError::MissingMetric`]
    /// for the trade-off, [`EvalError::MethodMismatch`] / [`EvalError::ParamMismatch`] when
    /// the method disagrees with the trade-off point, and errors of the evaluation.
    pub fn build(self) -> Result<FairnessReport> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        let audit = self.audit.ok_or(EvalError::MissingPart {
            part: "a data audit",
            call: "audit",
        })?;
        let (split, frame) = self.frame.ok_or(EvalError::MissingPart {
            part: "metrics by group",
            call: "frame` or `evaluate",
        })?;
        let top = self.top_proxies.unwrap_or(DEFAULT_TOP_PROXIES);
        if top == 0 {
            return Err(EvalError::InvalidParameter {
                name: "top_proxies",
                reason: "show at least one proxy".into(),
            });
        }
        let evaluation = evaluation_of(split, &frame)?;
        let audit_groups: Vec<String> = audit
            .base_rates
            .groups
            .iter()
            .map(|g| g.group.clone())
            .collect();
        if audit_groups != evaluation.groups {
            return Err(EvalError::GroupMismatch {
                what: "the data audit and the metric frame".into(),
                expected: audit_groups,
                found: evaluation.groups,
            });
        }
        let tradeoff = match &self.tradeoff {
            Some((curve, index, performance, gap)) => {
                Some(TradeoffPosition::of(curve, *index, performance, gap)?)
            }
            None => None,
        };
        let method = match (self.method, &self.tradeoff) {
            (Some(m), Some((curve, index, _, _))) => {
                check_method(&m, curve, *index)?;
                m
            }
            (Some(m), None) => m,
            (None, Some((curve, index, _, _))) => {
                let p = &curve.points()[*index];
                Method {
                    name: p.method().to_string(),
                    params: p.params().to_vec(),
                    description: None,
                }
            }
            (None, None) => {
                return Err(EvalError::MissingPart {
                    part: "the method",
                    call: "method",
                })
            }
        };
        let disparities = named_disparities(&frame, self.equalized_odds)?;
        let title = self
            .title
            .unwrap_or_else(|| format!("{} on {}", method.name, audit.name));
        Ok(FairnessReport {
            title,
            data: AuditSummary::of(&audit, top),
            method,
            evaluation,
            disparities,
            tradeoff,
        })
    }
}
