//! Which root cause to look at first.
//!
//! Groups are ordered by, in turn:
//! 1. **blocking**: `compile` and `dependency` failures first: while the code
//!    does not build or a package is missing, nothing else can be trusted;
//! 2. **touched by the change**: a group whose failing test files, or the
//!    in-project files of its stacks, the change under test touched
//!    (`--changed-files FILE`, `--base REF`; the matching rules are
//!    [`crate::suite::changed`]'s): the change most likely broke it;
//! 3. **reach**: more failing tests first;
//! 4. **category**: `config`, `resource`, `runtime`, `network`, `timeout`,
//!    `assertion`, `snapshot`, `selector`, `lint`, then `unknown` and
//!    anything else (what breaks an environment before what breaks a test);
//! 5. the fingerprint, so equal groups keep one order on every run.
//!
//! The result is a rank, 1 = fix first, and the reasons in words. The same
//! groups always get the same ranks, whatever order they came in.

use std::cmp::{Ordering, Reverse};

/// What the order is decided from, for one group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts<'a> {
    pub fingerprint: &'a str,
    pub category: &'a str,
    /// Failing tests in the group.
    pub reach: usize,
    /// Whether the change under test touched the group's files.
    pub touched: bool,
}

/// Categories that block everything else.
pub fn blocks_everything(category: &str) -> bool {
    matches!(category, "compile" | "dependency")
}

/// Position of a category in rule 4 (lower first).
fn severity(category: &str) -> usize {
    const ORDER: [&str; 9] = [
        "config",
        "resource",
        "runtime",
        "network",
        "timeout",
        "assertion",
        "snapshot",
        "selector",
        "lint",
    ];
    ORDER
        .iter()
        .position(|c| *c == category)
        .unwrap_or(ORDER.len())
}

/// Compares two groups by the rules above: `Less` is fixed first.
pub fn compare(a: &Facts<'_>, b: &Facts<'_>) -> Ordering {
    let key = |f: &Facts<'_>| {
        (
            !blocks_everything(f.category),
            !f.touched,
            Reverse(f.reach),
            severity(f.category),
        )
    };
    key(a)
        .cmp(&key(b))
        .then_with(|| a.fingerprint.cmp(b.fingerprint))
}

/// The rank of each group (1 = first), in the order the facts were given.
pub fn ranks(facts: &[Facts<'_>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..facts.len()).collect();
    order.sort_by(|&a, &b| compare(&facts[a], &facts[b]));
    let mut ranks = vec![0; facts.len()];
    for (rank, index) in order.into_iter().enumerate() {
        ranks[index] = rank + 1;
    }
    ranks
}

/// Why a group is where it is, in words.
pub fn reasons(facts: &Facts<'_>) -> Vec<String> {
    let mut reasons = Vec::new();
    if blocks_everything(facts.category) {
        reasons.push(format!("{} failures block everything", facts.category));
    }
    if facts.touched {
        reasons.push("the change touched its files".to_string());
    }
    reasons.push(match facts.reach {
        1 => "breaks 1 test".to_string(),
        n => format!("breaks {n} tests"),
    });
    reasons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(
        fingerprint: &'a str,
        category: &'a str,
        reach: usize,
        touched: bool,
    ) -> Facts<'a> {
        Facts {
            fingerprint,
            category,
            reach,
            touched,
        }
    }

    #[test]
    fn blocking_then_touched_then_reach_then_category() {
        let groups = [
            facts("a", "assertion", 30, false),
            facts("b", "compile", 1, false),
            facts("c", "assertion", 2, true),
            facts("d", "runtime", 30, false),
            facts("e", "dependency", 5, false),
        ];
        // e and b block (e reaches more), c was touched, then by reach 30 =
        // 30: runtime before assertion.
        assert_eq!(ranks(&groups), [5, 2, 3, 4, 1]);
        assert_eq!(
            reasons(&groups[1]),
            ["compile failures block everything", "breaks 1 test"]
        );
        assert_eq!(
            reasons(&groups[2]),
            ["the change touched its files", "breaks 2 tests"]
        );
    }

    #[test]
    fn ties_are_broken_by_fingerprint_whatever_the_input_order() {
        let one = [
            facts("ff01", "assertion", 3, false),
            facts("0a02", "assertion", 3, false),
            facts("77aa", "unknown", 3, false),
        ];
        let two = [one[2].clone(), one[0].clone(), one[1].clone()];
        assert_eq!(ranks(&one), [2, 1, 3]);
        assert_eq!(ranks(&two), [3, 2, 1]);
    }
}
