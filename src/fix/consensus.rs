//! Consensus: candidates that propose the same edits, once trailing
//! whitespace and line endings are set aside, are one suggestion with one
//! vote per candidate. More votes are verified first: models that agree are
//! more often right, and verification is the expensive part.

use super::edit::Edit;
use super::reject::normalise;

/// One model answer's edits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub edits: Vec<Edit>,
    /// The model that answered.
    pub model: String,
}

/// What makes candidates identical ([`key`]): (file, search, replace) per
/// edit, normalised and sorted.
pub type Key = Vec<(String, String, String)>;

/// Identical candidates merged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Voted {
    /// The first candidate's edits, as written.
    pub edits: Vec<Edit>,
    pub votes: u32,
    /// The models that proposed them, each once, in order of appearance.
    pub models: Vec<String>,
}

/// Merges identical candidates; the result is ordered by votes, most
/// first, ties in order of first appearance.
pub fn merge(candidates: Vec<Candidate>) -> Vec<Voted> {
    let mut merged: Vec<(Key, Voted)> = Vec::new();
    for candidate in candidates {
        let key = key(&candidate.edits);
        match merged.iter_mut().find(|(k, _)| *k == key) {
            Some((_, voted)) => {
                voted.votes += 1;
                if !voted.models.contains(&candidate.model) {
                    voted.models.push(candidate.model);
                }
            }
            None => merged.push((
                key,
                Voted {
                    edits: candidate.edits,
                    votes: 1,
                    models: vec![candidate.model],
                },
            )),
        }
    }
    let mut voted: Vec<Voted> = merged.into_iter().map(|(_, v)| v).collect();
    // Stable: ties keep their order of appearance.
    voted.sort_by_key(|v| std::cmp::Reverse(v.votes));
    voted
}

/// What makes two candidates the same: each edit's normalised path and
/// texts, in a fixed order (the order edits to different places are
/// written in does not change what they do).
pub fn key(edits: &[Edit]) -> Key {
    let mut key: Key = edits
        .iter()
        .map(|e| {
            let file = normalise(&e.file).unwrap_or_else(|_| e.file.clone());
            (file, normal_text(&e.search), normal_text(&e.replace))
        })
        .collect();
    key.sort();
    key
}

/// Lines without trailing whitespace or `\r`, each ending in `\n`.
fn normal_text(text: &str) -> String {
    text.lines()
        .map(|l| format!("{}\n", l.trim_end()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(model: &str, edits: &[(&str, &str, &str)]) -> Candidate {
        Candidate {
            edits: edits
                .iter()
                .map(|(f, s, r)| Edit::new(*f, *s, *r))
                .collect(),
            model: model.into(),
        }
    }

    #[test]
    fn identical_edits_after_normalisation_merge_and_are_ordered_by_votes() {
        let fix = ("calc.py", "    return a - b\n", "    return a + b\n");
        let wrong = ("calc.py", "    return a - b\n", "    return a * b\n");
        let merged = merge(vec![
            candidate("m1", &[wrong]),
            candidate("m1", &[fix]),
            candidate(
                "m2",
                &[(
                    "./calc.py",
                    "    return a - b  \r\n",
                    "    return a + b\r\n",
                )],
            ),
            candidate("m1", &[fix]),
        ]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].votes, 3);
        assert_eq!(merged[0].models, ["m1", "m2"]);
        assert_eq!(
            merged[0].edits,
            [Edit::new(fix.0, fix.1, fix.2)],
            "the first as written"
        );
        assert_eq!(
            (merged[1].votes, merged[1].edits[0].replace.as_str()),
            (1, wrong.2)
        );
    }

    #[test]
    fn edit_order_does_not_matter_but_content_does() {
        let a = ("a.py", "x\n", "y\n");
        let b = ("b.py", "x\n", "y\n");
        let merged = merge(vec![
            candidate("m", &[a, b]),
            candidate("m", &[b, a]),
            candidate("m", &[a]),
            candidate("m", &[("a.py", "x\n", "  y\n")]),
        ]);
        let votes: Vec<u32> = merged.iter().map(|v| v.votes).collect();
        assert_eq!(votes, [2, 1, 1], "leading whitespace is meaningful");
    }
}
