//! [`Moments`]: a [`Notion`] bounded by ε, written as linear constraints `γ_j(h) ≤ β_j` on the
//! group means of its statistics, and the objective (error rate, or mean loss for a regression)
//! that the reductions trade against them.
//!
//! Every group mean is read through the shared engine ([`GroupCells`] and [`Statistic::row`]),
//! so a reduction's constraint values are the metrics of the same names. What the reductions add
//! is the linear structure: a statistic whose condition reads only the label is a mean of a
//! quantity `a_i + b_i·h(x_i)`, so the Lagrangian's cost of deciding 1 rather than 0 on row `i`
//! is a number per row ([`Moments::costs`]), the cost-sensitive problem a best response solves.
//!
//! How the notion's [`Aggregate`] becomes constraints (`μ_g` a group mean, `μ` the overall one,
//! `ρ = 1 − ε`):
//!
//! | aggregate | constraints |
//! |---|---|
//! | difference | `μ_g − μ_g' ≤ ε` for every ordered pair of groups |
//! | difference to overall (Fairlearn's `difference_bound`) | `μ_g − μ ≤ ε`, `μ − μ_g ≤ ε` |
//! | ratio | `ρ μ_g' − μ_g ≤ 0` for every ordered pair (the ratio is at least `1 − ε`) |
//! | ratio to overall (Fairlearn's `ratio_bound = 1 − ε`) | `ρ μ − μ_g ≤ 0`, `ρ μ_g − μ ≤ 0` |
//! | group maximum (bounded group loss) | `μ_g ≤ ε` |
//! | group minimum | `−μ_g ≤ −ε` |

use fairfit_data::fairness::{decide, Aggregate, GroupCells, Notion, Quantity, Statistic};
use fairfit_data::FairDataset;

use crate::error::{Result, TrainError};
use crate::loss::Loss;
use crate::statistic::empty_cell;

mod constraints;

use constraints::constraints_of;

/// Which mean a constraint term reads: statistic `stat`'s mean in group `group`, or over all rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mean {
    pub(crate) stat: usize,
    pub(crate) group: Option<usize>,
}

/// One linear constraint `Σ_k c_k μ_k ≤ bound`.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// A readable form, e.g. `positive rate: b − a ≤ 0.05`.
    pub name: String,
    pub(crate) terms: Vec<(Mean, f64)>,
    /// The right-hand side `β`.
    pub bound: f64,
    /// The constraint with the opposite terms and the same bound, if any (λ on both is netted).
    pub(crate) mirror: Option<usize>,
}

/// A statistic's per-row slope `w_i m_i (q_i(1) − q_i(0))` (for a loss, `w_i m_i`) and its cell
/// weights `W_g = Σ_{i∈g} w_i m_i`.
#[derive(Debug, Clone)]
struct Terms {
    statistic: Statistic,
    slope: Vec<f64>,
    cell_weight: Vec<f64>,
    total_weight: f64,
    /// `Σ_{i∈g} |slope_i|` per group: how much the costs move per unit of the group's
    /// multiplier (the weights of [`Moments::signature`]).
    cell_reach: Vec<f64>,
}

/// A notion's constraints at a bound ε on one data set, and the objective of the reduction.
#[derive(Debug, Clone)]
pub struct Moments<'a> {
    data: &'a FairDataset,
    cells: GroupCells<'a>,
    loss: Loss,
    notion: Notion,
    epsilon: f64,
    terms: Vec<Terms>,
    objective_slope: Vec<f64>,
    constraints: Vec<Constraint>,
    basis: Vec<(usize, Option<usize>)>,
}

impl<'a> Moments<'a> {
    /// The constraints of `notion` at `epsilon` on `data`, for a model trained with `loss`.
    ///
    /// Errors: ε negative or not finite, or above 1 for a ratio ([`TrainError::InvalidParameter`]);
    /// a statistic the reduction cannot express linearly in the decisions — a condition on the
    /// model's own decisions, a score-based quantity, a loss bound for a classifier, a rate for a
    /// regression ([`TrainError::Unsupported`]); a single group ([`TrainError::SingleGroup`]); a
    /// group without rows in a statistic's cell, e.g. no positives for equal opportunity
    /// ([`TrainError::EmptyCell`]).
    pub fn new(data: &'a FairDataset, notion: &Notion, epsilon: f64, loss: Loss) -> Result<Self> {
        check_epsilon(notion, epsilon)?;
        let model = if loss.is_classification() {
            "logistic"
        } else {
            "linear"
        };
        let groups = data.groups();
        let labels = data.targets();
        let cells = GroupCells::of(data);
        let mut terms = Vec::with_capacity(notion.statistics().len());
        for statistic in notion.statistics() {
            check_linear(statistic, notion.aggregate(), loss, model)?;
            if groups.n_groups() < 2 {
                return Err(TrainError::SingleGroup {
                    group: groups.names().first().cloned().unwrap_or_default(),
                    statistic: statistic.name(),
                });
            }
            let slope: Vec<f64> = (0..data.nrows())
                .map(|i| {
                    let y = labels[i];
                    let m = statistic.condition.membership(y, 0.0);
                    let b = match statistic.quantity {
                        Quantity::Loss => 1.0,
                        q => {
                            q.of_prediction(y, 1.0).unwrap_or(0.0)
                                - q.of_prediction(y, 0.0).unwrap_or(0.0)
                        }
                    };
                    cells.weight(i) * m * b
                })
                .collect();
            let (_, cell_weight) =
                cells.sums(|i| (statistic.condition.membership(labels[i], 0.0), 0.0));
            if let Some(g) = cell_weight.iter().position(|w| *w <= 0.0) {
                return Err(empty_cell(statistic, &groups.names()[g]));
            }
            let mut cell_reach = vec![0.0; groups.n_groups()];
            for (&s, &g) in slope.iter().zip(groups.of_row()) {
                cell_reach[g] += s.abs();
            }
            terms.push(Terms {
                statistic: *statistic,
                total_weight: cell_weight.iter().sum(),
                slope,
                cell_weight,
                cell_reach,
            });
        }
        let total: f64 = (0..data.nrows()).map(|i| cells.weight(i)).sum();
        let objective_slope = (0..data.nrows())
            .map(|i| {
                let w = cells.weight(i) / total;
                if loss.is_classification() {
                    w * (1.0 - 2.0 * labels[i])
                } else {
                    w
                }
            })
            .collect();
        let (constraints, basis) = constraints_of(notion, epsilon, groups.names());
        Ok(Self {
            data,
            cells,
            loss,
            notion: notion.clone(),
            epsilon,
            terms,
            objective_slope,
            constraints,
            basis,
        })
    }

    /// The data set the moments are read on.
    pub(crate) fn data(&self) -> &'a FairDataset {
        self.data
    }

    /// The constraints, in the order of the multipliers.
    pub fn constraints(&self) -> &[Constraint] {
        &self.constraints
    }

    /// The directions of grid search's multiplier grid: per direction, the constraint that a
    /// positive coefficient puts weight on and (for two-sided families) the one a negative
    /// coefficient does. Redundant directions are left out (the last group against the
    /// overall mean; pairs not involving the first group).
    pub(crate) fn basis(&self) -> &[(usize, Option<usize>)] {
        &self.basis
    }

    /// The notion.
    pub fn notion(&self) -> &Notion {
        &self.notion
    }

    /// The bound ε.
    pub fn epsilon(&self) -> f64 {
        self.epsilon
    }

    /// The bounds `β_j`.
    pub fn bounds(&self) -> Vec<f64> {
        self.constraints.iter().map(|c| c.bound).collect()
    }

    /// The objective (weighted error rate, or weighted mean loss for a regression) and the
    /// constraint values `γ_j` of one hypothesis, from its training scores (decided at
    /// [`decide`] for a classifier).
    pub fn evaluate(&self, scores: &[f64]) -> (f64, Vec<f64>) {
        let labels = self.data.targets();
        let prediction = |i: usize| {
            if self.loss.is_classification() {
                f64::from(u8::from(decide(scores[i])))
            } else {
                scores[i]
            }
        };
        let row_loss = |i: usize| self.loss.eval(scores[i], labels[i]).0;
        let objective = if self.loss.is_classification() {
            let (num, den) = self.cells.sums(|i| {
                Statistic::error_rate()
                    .row(labels[i], prediction(i))
                    .expect("the error rate reads decisions only")
            });
            num.iter().sum::<f64>() / den.iter().sum::<f64>()
        } else {
            let (num, den) = self.cells.sums(|i| (1.0, row_loss(i)));
            num.iter().sum::<f64>() / den.iter().sum::<f64>()
        };
        let means: Vec<(Vec<f64>, f64)> = self
            .terms
            .iter()
            .map(|t| {
                let s = t.statistic;
                let (num, den) = self.cells.sums(|i| {
                    let y = labels[i];
                    match s.quantity {
                        Quantity::Loss => (s.condition.membership(y, 0.0), row_loss(i)),
                        _ => s
                            .row(y, prediction(i))
                            .expect("score quantities were refused when the moments were built"),
                    }
                });
                let means = self.cells.means_from_sums(s, &num, &den);
                let group = means.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect();
                (group, means.overall.unwrap_or(f64::NAN))
            })
            .collect();
        let gamma = self
            .constraints
            .iter()
            .map(|c| {
                c.terms
                    .iter()
                    .map(|(m, coef)| {
                        let (group, overall) = &means[m.stat];
                        coef * m.group.map_or(*overall, |g| group[g])
                    })
                    .sum()
            })
            .collect();
        (objective, gamma)
    }

    /// The Lagrangian's per-row costs at multipliers `lambda` (one per constraint): for a
    /// classifier, the cost of deciding 1 minus that of deciding 0 (`err(h) + λ·γ(h)` is a
    /// constant plus `Σ_i c_i h(x_i)`); for a regression, the weight of the row's loss.
    pub fn costs(&self, lambda: &[f64], out: &mut Vec<f64>) {
        let per_cell = self.cell_multipliers(lambda);
        out.clear();
        out.extend_from_slice(&self.objective_slope);
        let of_row = self.data.groups().of_row();
        for (t, cell) in self.terms.iter().zip(&per_cell) {
            for ((o, &s), &g) in out.iter_mut().zip(&t.slope).zip(of_row) {
                *o += s * cell[g];
            }
        }
    }

    /// Where `lambda` puts the costs, as a short vector: per statistic and group, the multiplier
    /// the group's rows receive times how much those rows' costs move with it. Two multiplier
    /// vectors with equal signatures give equal costs (e.g. a mirrored pair with equal
    /// multipliers, or `λ = 0`), and the L1 distance between signatures bounds the L1 distance
    /// between the costs: what the learner's warm starts are chosen by.
    pub(crate) fn signature(&self, lambda: &[f64]) -> Vec<f64> {
        self.cell_multipliers(lambda)
            .iter()
            .zip(&self.terms)
            .flat_map(|(cell, t)| cell.iter().zip(&t.cell_reach).map(|(c, r)| c * r))
            .collect()
    }

    /// Per statistic and group, the multiplier on a row's slope in the costs at `lambda`.
    fn cell_multipliers(&self, lambda: &[f64]) -> Vec<Vec<f64>> {
        let n_groups = self.data.groups().n_groups();
        // Λ: the multiplier on each mean, per statistic (groups, then overall).
        let mut on_mean = vec![vec![0.0; n_groups + 1]; self.terms.len()];
        for (c, &l) in self.constraints.iter().zip(lambda) {
            if l != 0.0 {
                for (m, coef) in &c.terms {
                    on_mean[m.stat][m.group.unwrap_or(n_groups)] += l * coef;
                }
            }
        }
        self.terms
            .iter()
            .zip(&on_mean)
            .map(|(t, lam)| {
                let overall = lam[n_groups] / t.total_weight;
                (0..n_groups)
                    .map(|g| lam[g] / t.cell_weight[g] + overall)
                    .collect()
            })
            .collect()
    }

    /// `λ` with the multipliers of each mirrored pair netted (`λ_j − λ_j'` on the larger one,
    /// 0 on the other): never lowers the Lagrangian, whatever the hypothesis (Fairlearn's
    /// `project_lambda`).
    pub fn project(&self, lambda: &[f64]) -> Vec<f64> {
        let mut out = lambda.to_vec();
        for (j, c) in self.constraints.iter().enumerate() {
            if let Some(k) = c.mirror {
                if j < k {
                    let net = lambda[j] - lambda[k];
                    out[j] = net.max(0.0);
                    out[k] = (-net).max(0.0);
                }
            }
        }
        out
    }
}

/// ε must be finite and ≥ 0, and at most 1 for a ratio (a ratio of at least `1 − ε`).
pub(crate) fn check_epsilon(notion: &Notion, epsilon: f64) -> Result<()> {
    let ratio = matches!(
        notion.aggregate(),
        Aggregate::Ratio | Aggregate::RatioToOverall
    );
    if !epsilon.is_finite() || epsilon < 0.0 || (ratio && epsilon > 1.0) {
        return Err(TrainError::InvalidParameter {
            name: "epsilon",
            reason: if ratio {
                format!(
                    "must be in [0, 1] for a ratio (the ratio is at least 1 − ε), got {epsilon}"
                )
            } else {
                format!("must be finite and non-negative, got {epsilon}")
            },
        });
    }
    Ok(())
}

/// Refuses a statistic that is not linear in the decisions (or, for a regression, not a group
/// loss under a maximum).
fn check_linear(
    statistic: &Statistic,
    aggregate: Aggregate,
    loss: Loss,
    model: &'static str,
) -> Result<()> {
    let unsupported = |reason: &'static str| {
        Err(TrainError::Unsupported {
            statistic: statistic.name(),
            model,
            reason,
        })
    };
    if statistic.condition.reads_prediction() {
        return unsupported(
            "it conditions on the model's own decisions, so the reduction's constraint is not \
             linear in them",
        );
    }
    if loss.is_classification() {
        match statistic.quantity {
            Quantity::Prediction | Quantity::Error => Ok(()),
            Quantity::Label => unsupported("it reads only labels: no model can change it"),
            Quantity::Loss => unsupported(
                "the classification reduction trades the error rate against decision rates; \
                 bound a group loss with a linear model",
            ),
            Quantity::Score | Quantity::Margin => {
                unsupported("it reads the model's scores, not its decisions")
            }
        }
    } else if statistic.quantity == Quantity::Loss
        && !statistic.condition.reads_label()
        && aggregate == Aggregate::Max
    {
        Ok(())
    } else {
        unsupported(
            "the regression reduction bounds each group's mean loss (bounded group loss, a \
             group maximum of the mean loss)",
        )
    }
}
