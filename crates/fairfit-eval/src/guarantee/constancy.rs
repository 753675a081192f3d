//! [`Constancy`]: whether a rule's decisions are the same for everyone, or within some groups.
//! A rule that approves (or refuses) everybody meets every parity notion and is useless; a
//! certified model that is one is named as a constant rule, never reported as plain success.

use fairfit_data::Groups;
use serde::{Deserialize, Serialize};

/// How constant a rule's decisions are on some rows.
///
/// ```
/// use fairfit::data::Groups;
/// use fairfit::eval::guarantee::Constancy;
/// let groups = Groups::new(vec!["a".into(), "b".into()], vec![0, 0, 1, 1])?;
/// assert_eq!(Constancy::of(&[true; 4], &groups), Constancy::Constant(true));
/// let partly = Constancy::of(&[true, false, false, false], &groups);
/// assert_eq!(partly, Constancy::ConstantInGroups(vec![("b".into(), false)]));
/// assert!(partly.is_degenerate() && !partly.is_constant_rule());
/// assert_eq!(Constancy::of(&[true, false, true, false], &groups), Constancy::Varied);
/// # Ok::<(), fairfit::data::DataError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constancy {
    /// Decisions vary within every group.
    Varied,
    /// Every row gets the same decision in these groups (name, decision), not in the others.
    ConstantInGroups(Vec<(String, bool)>),
    /// Every row gets this decision: the constant rule.
    Constant(bool),
}

impl Constancy {
    /// The constancy of `decisions` (one per row of `groups`); groups without rows are left
    /// out.
    pub fn of(decisions: &[bool], groups: &Groups) -> Self {
        let mut seen: Vec<(bool, bool)> = vec![(false, false); groups.n_groups()];
        for (&d, &g) in decisions.iter().zip(groups.of_row()) {
            if d {
                seen[g].0 = true;
            } else {
                seen[g].1 = true;
            }
        }
        if let Some(&d) = decisions.first() {
            if decisions.iter().all(|&x| x == d) {
                return Constancy::Constant(d);
            }
        }
        let constant: Vec<(String, bool)> = seen
            .iter()
            .zip(groups.names())
            .filter(|((yes, no), _)| yes != no)
            .map(|((yes, _), name)| (name.clone(), *yes))
            .collect();
        if constant.is_empty() {
            Constancy::Varied
        } else {
            Constancy::ConstantInGroups(constant)
        }
    }

    /// Whether every row gets the same decision.
    pub fn is_constant_rule(&self) -> bool {
        matches!(self, Constancy::Constant(_))
    }

    /// Whether the decisions are constant for everyone or for some group.
    pub fn is_degenerate(&self) -> bool {
        !matches!(self, Constancy::Varied)
    }
}

impl std::fmt::Display for Constancy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = |d: bool| if d { "approves" } else { "refuses" };
        match self {
            Constancy::Varied => f.write_str("decisions vary in every group"),
            Constancy::Constant(d) => write!(f, "a constant rule: {} everyone", word(*d)),
            Constancy::ConstantInGroups(groups) => {
                let parts: Vec<String> = groups
                    .iter()
                    .map(|(g, d)| format!("{} all of `{g}`", word(*d)))
                    .collect();
                write!(f, "constant within groups: {}", parts.join(", "))
            }
        }
    }
}
