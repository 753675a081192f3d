//! How a notion's aggregate becomes linear constraints on group means (the table in
//! [`Moments`](super::Moments)' module documentation), with the basis of constraints the
//! Lagrangian's multipliers are read in and each constraint's mirror.

use fairfit_data::fairness::{Aggregate, Notion};

use super::{Constraint, Mean};

/// A constraint's statistic and the groups of its first and second term (`None`: overall).
type PairKey = (usize, Option<usize>, Option<usize>);

/// The constraints of the notion's aggregate over `groups` (see the module's table).
pub(super) fn constraints_of(
    notion: &Notion,
    epsilon: f64,
    groups: &[String],
) -> (Vec<Constraint>, Vec<(usize, Option<usize>)>) {
    let k = groups.len();
    let rho = 1.0 - epsilon;
    let mut out: Vec<Constraint> = Vec::new();
    // Per statistic, each constraint's (first, second) group (None: overall) → index.
    let mut index: Vec<(PairKey, usize)> = Vec::new();
    for (s, statistic) in notion.statistics().iter().enumerate() {
        let stat = statistic.name();
        let g = |group: usize| Mean {
            stat: s,
            group: Some(group),
        };
        let all = Mean {
            stat: s,
            group: None,
        };
        let mut push = |name: String, terms: Vec<(Mean, f64)>, bound: f64| {
            let key = |m: Mean| m.group;
            let pair = (s, key(terms[0].0), terms.get(1).and_then(|t| key(t.0)));
            index.push((pair, out.len()));
            out.push(Constraint {
                name: format!("{stat}: {name}"),
                terms,
                bound,
                mirror: None,
            })
        };
        match notion.aggregate() {
            Aggregate::Difference => {
                for a in 0..k {
                    for b in (0..k).filter(|&b| b != a) {
                        let name = format!("{} − {} ≤ {epsilon}", groups[a], groups[b]);
                        push(name, vec![(g(a), 1.0), (g(b), -1.0)], epsilon);
                    }
                }
            }
            Aggregate::DifferenceToOverall => {
                for (a, ga) in groups.iter().enumerate() {
                    let name = format!("{ga} − overall ≤ {epsilon}");
                    push(name, vec![(g(a), 1.0), (all, -1.0)], epsilon);
                    let name = format!("overall − {ga} ≤ {epsilon}");
                    push(name, vec![(all, 1.0), (g(a), -1.0)], epsilon);
                }
            }
            Aggregate::Ratio => {
                for a in 0..k {
                    for b in (0..k).filter(|&b| b != a) {
                        let name = format!("{} ≥ {rho} · {}", groups[a], groups[b]);
                        push(name, vec![(g(b), rho), (g(a), -1.0)], 0.0);
                    }
                }
            }
            Aggregate::RatioToOverall => {
                for (a, ga) in groups.iter().enumerate() {
                    let name = format!("{ga} ≥ {rho} · overall");
                    push(name, vec![(all, rho), (g(a), -1.0)], 0.0);
                    let name = format!("overall ≥ {rho} · {ga}");
                    push(name, vec![(g(a), rho), (all, -1.0)], 0.0);
                }
            }
            Aggregate::Max => {
                for (a, ga) in groups.iter().enumerate() {
                    push(format!("{ga} ≤ {epsilon}"), vec![(g(a), 1.0)], epsilon);
                }
            }
            Aggregate::Min => {
                for (a, ga) in groups.iter().enumerate() {
                    push(format!("{ga} ≥ {epsilon}"), vec![(g(a), -1.0)], -epsilon);
                }
            }
        }
    }
    let find = |key: PairKey| index.iter().find(|(k, _)| *k == key).map(|(_, j)| *j);
    let mut basis = Vec::new();
    let k_stats = notion.statistics().len();
    for s in 0..k_stats {
        for a in 0..k {
            let (pos, neg) = match notion.aggregate() {
                // `a − first ≤ ε` / `first − a ≤ ε`.
                Aggregate::Difference if a > 0 => {
                    (find((s, Some(a), Some(0))), find((s, Some(0), Some(a))))
                }
                // `a − overall ≤ ε` / `overall − a ≤ ε`, the last group left out.
                Aggregate::DifferenceToOverall if a + 1 < k => {
                    (find((s, Some(a), None)), find((s, None, Some(a))))
                }
                // `ρ μ_a − μ_first ≤ 0` / `ρ μ_first − μ_a ≤ 0`.
                Aggregate::Ratio if a > 0 => {
                    (find((s, Some(a), Some(0))), find((s, Some(0), Some(a))))
                }
                // `ρ μ_a − μ ≤ 0` / `ρ μ − μ_a ≤ 0`.
                Aggregate::RatioToOverall if a + 1 < k => {
                    (find((s, Some(a), None)), find((s, None, Some(a))))
                }
                Aggregate::Max | Aggregate::Min => (find((s, Some(a), None)), None),
                _ => (None, None),
            };
            if let Some(pos) = pos {
                basis.push((pos, neg));
            }
        }
    }
    for j in 0..out.len() {
        out[j].mirror = (0..out.len()).find(|&m| {
            m != j
                && out[m].bound == out[j].bound
                && out[m].terms.len() == out[j].terms.len()
                && out[m].terms.iter().all(|(mean, c)| {
                    out[j]
                        .terms
                        .iter()
                        .any(|(other, d)| other == mean && *d == -*c)
                })
        });
    }
    (out, basis)
}
