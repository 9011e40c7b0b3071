//! Byzantine-robust aggregation of worker updates (gradients, or the
//! outputs a consistency check compares), and the rule `plan` recommends
//! for a given number of workers.
//!
//! Plain averaging lets a single faulty or malicious worker move the result
//! arbitrarily far. The rules here bound that influence when at most `f` of
//! the `n` workers are faulty:
//!
//! * Krum (Blanchard et al., NeurIPS 2017) picks the one vector whose
//!   `n − f − 2` nearest neighbours are closest; it needs `n ≥ 2f + 3` so
//!   that every honest vector has more honest neighbours than faulty ones.
//! * Multi-Krum averages the `m` best-scored vectors, trading some
//!   robustness for less variance than a single pick.
//! * The coordinate-wise trimmed mean (Yin et al., ICML 2018) drops the `f`
//!   smallest and `f` largest values of every coordinate; it needs only
//!   `n ≥ 2f + 1`, so it is the fallback when Krum's bound is not met.
//!
//! Every function validates its input first (non-empty, equal non-zero
//! lengths, finite values) so that a NaN from one worker is reported rather
//! than silently poisoning every score.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an aggregation could not be computed. Each message is one line.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AggError {
    /// No vectors at all: there is nothing to aggregate.
    #[error("no vectors to aggregate")]
    Empty,
    /// The vectors have no coordinates.
    #[error("vectors have no coordinates (length 0)")]
    ZeroLength,
    /// Vectors of different lengths cannot be compared coordinate-wise.
    #[error("vector {index} has length {found}, but vector 0 has length {expected}")]
    LengthMismatch {
        index: usize,
        expected: usize,
        found: usize,
    },
    /// A NaN or infinity would make every distance or sort meaningless.
    #[error("vector {index}, coordinate {coordinate}: {value} is not a finite number")]
    NonFinite {
        index: usize,
        coordinate: usize,
        value: f64,
    },
    /// Too few vectors for the rule to tolerate `f` faulty ones.
    #[error("{rule} with f={f} needs n >= {required} vectors, got n={n}")]
    TooFew {
        rule: &'static str,
        n: usize,
        f: usize,
        required: u128,
    },
    /// Multi-Krum's `m` must select at least one vector and no more than
    /// the `n − f` that can be trusted.
    #[error("multi-krum: m={m} must be between 1 and n-f={max}")]
    InvalidM { m: usize, max: usize },
}

/// Checks the shape and values shared by every rule; returns the length.
fn validate(vectors: &[Vec<f64>]) -> Result<usize, AggError> {
    let first = vectors.first().ok_or(AggError::Empty)?;
    let len = first.len();
    if len == 0 {
        return Err(AggError::ZeroLength);
    }
    for (index, vector) in vectors.iter().enumerate() {
        if vector.len() != len {
            return Err(AggError::LengthMismatch {
                index,
                expected: len,
                found: vector.len(),
            });
        }
        if let Some((coordinate, &value)) = vector.iter().enumerate().find(|(_, v)| !v.is_finite())
        {
            return Err(AggError::NonFinite {
                index,
                coordinate,
                value,
            });
        }
    }
    Ok(len)
}

/// `2f + k`, in a type wide enough that an absurd `f` gives "too few"
/// rather than overflowing (or saturating into a bound `n` could meet).
fn bound(f: usize, k: u128) -> u128 {
    2 * f as u128 + k
}

/// Fails unless `n >= 2f + k`.
fn require(rule: &'static str, n: usize, f: usize, k: u128) -> Result<(), AggError> {
    let required = bound(f, k);
    if (n as u128) < required {
        return Err(AggError::TooFew {
            rule,
            n,
            f,
            required,
        });
    }
    Ok(())
}

/// Squared Euclidean distance. Finite inputs can still overflow to
/// infinity (e.g. 1e200); that is a valid, maximal distance, never NaN.
fn squared_distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// Krum scores (Blanchard et al. 2017): for each vector, the sum of the
/// squared distances to its `n − f − 2` nearest other vectors. A low score
/// means the vector sits inside a tight cluster, which the honest majority
/// forms when `n ≥ 2f + 3`.
pub fn krum_scores(vectors: &[Vec<f64>], f: usize) -> Result<Vec<f64>, AggError> {
    validate(vectors)?;
    let n = vectors.len();
    require("krum", n, f, 3)?;
    let neighbours = n - f - 2;
    Ok((0..n).map(|i| score_of(vectors, i, neighbours)).collect())
}

/// The Krum score of vector `i` with `neighbours` nearest neighbours.
fn score_of(vectors: &[Vec<f64>], i: usize, neighbours: usize) -> f64 {
    let mut distances: Vec<f64> = vectors
        .iter()
        .enumerate()
        .filter(|&(j, _)| j != i)
        .map(|(_, other)| squared_distance(&vectors[i], other))
        .collect();
    distances.sort_by(f64::total_cmp);
    distances.iter().take(neighbours).sum()
}

/// Indices ordered by score, ties broken by the lower index so the result
/// is deterministic whatever the input order of equal scores.
fn ranked(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| match scores[a].total_cmp(&scores[b]) {
        Ordering::Equal => a.cmp(&b),
        other => other,
    });
    order
}

/// Krum: the index of the vector with the lowest score (ties → lowest
/// index). Returning an index rather than the vector lets the caller say
/// which worker was chosen.
pub fn krum(vectors: &[Vec<f64>], f: usize) -> Result<usize, AggError> {
    let scores = krum_scores(vectors, f)?;
    Ok(ranked(&scores)[0])
}

/// Multi-Krum: the coordinate-wise mean of the `m` lowest-scored vectors
/// (ties by index). `1 ≤ m ≤ n − f`: more than `n − f` would necessarily
/// include a faulty vector.
pub fn multi_krum(vectors: &[Vec<f64>], f: usize, m: usize) -> Result<Vec<f64>, AggError> {
    let scores = krum_scores(vectors, f)?;
    let max = vectors.len() - f;
    if m == 0 || m > max {
        return Err(AggError::InvalidM { m, max });
    }
    let chosen: Vec<&[f64]> = ranked(&scores)
        .into_iter()
        .take(m)
        .map(|i| vectors[i].as_slice())
        .collect();
    Ok(mean_of(&chosen))
}

/// Coordinate-wise mean of non-empty, equal-length vectors.
fn mean_of(vectors: &[&[f64]]) -> Vec<f64> {
    let len = vectors.first().map_or(0, |v| v.len());
    let count = vectors.len() as f64;
    (0..len)
        .map(|c| vectors.iter().map(|v| v[c]).sum::<f64>() / count)
        .collect()
}

/// Coordinate-wise trimmed mean: for every coordinate, sort the values,
/// drop the `f` smallest and the `f` largest, and average the rest. Needs
/// `n ≥ 2f + 1` so that at least one value survives the trimming.
pub fn trimmed_mean(vectors: &[Vec<f64>], f: usize) -> Result<Vec<f64>, AggError> {
    let len = validate(vectors)?;
    let n = vectors.len();
    require("trimmed mean", n, f, 1)?;
    Ok((0..len)
        .map(|c| trimmed_coordinate(vectors, c, f))
        .collect())
}

/// The trimmed mean of coordinate `c`.
fn trimmed_coordinate(vectors: &[Vec<f64>], c: usize, f: usize) -> f64 {
    let mut values: Vec<f64> = vectors.iter().map(|v| v[c]).collect();
    values.sort_by(f64::total_cmp);
    let kept = &values[f..values.len() - f];
    kept.iter().sum::<f64>() / kept.len() as f64
}

/// An aggregation rule `plan` can recommend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Plain mean: nothing to defend against.
    Mean,
    /// Krum / Multi-Krum.
    Krum,
    /// Coordinate-wise trimmed mean.
    TrimmedMean,
    /// Too few workers to tolerate `f` faults: the run should not start.
    Block,
}

impl Rule {
    /// The name used in JSON output and messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Mean => "mean",
            Rule::Krum => "krum",
            Rule::TrimmedMean => "trimmed_mean",
            Rule::Block => "block",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The recommended rule and a one-line reason quoting the condition that
/// decided it, so the plan output explains itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recommendation {
    pub rule: Rule,
    pub reason: String,
}

/// Chooses the aggregation rule for `n` workers tolerating `f` faulty ones.
///
/// * `mean` when every worker agrees (the consistency check found no
///   outlier) or `f = 0` (no fault tolerance was asked for);
/// * otherwise Krum when `n ≥ 2f + 3`, the trimmed mean when
///   `n ≥ 2f + 1`, and `block` below that, since no rule can then outvote
///   `f` faulty workers.
pub fn recommend(n: usize, f: usize, all_agree: bool) -> Recommendation {
    if all_agree {
        return Recommendation {
            rule: Rule::Mean,
            reason: format!("all n={n} workers agree: plain mean"),
        };
    }
    if f == 0 {
        return Recommendation {
            rule: Rule::Mean,
            reason: "f=0 (no faulty workers tolerated): plain mean".to_string(),
        };
    }
    let krum_bound = bound(f, 3);
    let trim_bound = bound(f, 1);
    let n_wide = n as u128;
    if n_wide >= krum_bound {
        Recommendation {
            rule: Rule::Krum,
            reason: format!("n={n} >= 2f+3={krum_bound}: Krum (Blanchard et al. 2017)"),
        }
    } else if n_wide >= trim_bound {
        Recommendation {
            rule: Rule::TrimmedMean,
            reason: format!(
                "n={n} < 2f+3={krum_bound} but n >= 2f+1={trim_bound}: \
                 coordinate-wise trimmed mean (Yin et al. 2018)"
            ),
        }
    } else {
        Recommendation {
            rule: Rule::Block,
            reason: format!(
                "n={n} < 2f+1={trim_bound}: too few workers to tolerate f={f} faulty ones"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Equality up to rounding for hand-computed expectations.
    fn assert_close(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert!((a - e).abs() < 1e-12, "{actual:?} vs {expected:?}");
        }
    }

    /// Five 2-D vectors; v4 is the outlier.
    ///
    /// ```text
    /// v0 = (0, 0)   v1 = (1, 0)   v2 = (0, 2)   v3 = (1, 1)   v4 = (10, -10)
    /// ```
    fn five() -> Vec<Vec<f64>> {
        vec![
            vec![0.0, 0.0],
            vec![1.0, 0.0],
            vec![0.0, 2.0],
            vec![1.0, 1.0],
            vec![10.0, -10.0],
        ]
    }

    /// n = 5, f = 1: n ≥ 2f+3 = 5 holds; each score sums the
    /// n − f − 2 = 2 smallest squared distances to the other vectors.
    ///
    /// ```text
    /// squared distances (dx² + dy²):
    /// d01 = 1+0   = 1     d02 = 0+4     = 4     d03 = 1+1   = 2
    /// d04 = 100+100 = 200 d12 = 1+4     = 5     d13 = 0+1   = 1
    /// d14 = 81+100 = 181  d23 = 1+1     = 2     d24 = 100+144 = 244
    /// d34 = 81+121 = 202
    ///
    /// s0: {d01=1, d02=4, d03=2, d04=200}     → 1 + 2     = 3
    /// s1: {d01=1, d12=5, d13=1, d14=181}     → 1 + 1     = 2
    /// s2: {d02=4, d12=5, d23=2, d24=244}     → 2 + 4     = 6
    /// s3: {d03=2, d13=1, d23=2, d34=202}     → 1 + 2     = 3
    /// s4: {d04=200, d14=181, d24=244, d34=202} → 181 + 200 = 381
    /// ```
    #[test]
    fn krum_scores_by_hand() {
        let scores = krum_scores(&five(), 1).unwrap();
        assert_close(&scores, &[3.0, 2.0, 6.0, 3.0, 381.0]);
    }

    /// The lowest score is s1 = 2, so Krum picks v1, never the outlier v4.
    #[test]
    fn krum_picks_the_lowest_score() {
        assert_eq!(krum(&five(), 1).unwrap(), 1);
    }

    /// Scores ranked (ties by index): s1=2, s0=3, s3=3, s2=6, s4=381.
    ///
    /// ```text
    /// m = 3 → {v1, v0, v3}: x = (1+0+1)/3 = 2/3, y = (0+0+1)/3 = 1/3
    /// m = 2 → {v1, v0} (s0 and s3 tie at 3; index 0 wins):
    ///         x = (1+0)/2 = 0.5, y = (0+0)/2 = 0
    /// m = 4 = n − f → {v1, v0, v3, v2}: x = 2/4 = 0.5, y = 3/4 = 0.75
    /// ```
    #[test]
    fn multi_krum_by_hand() {
        let vectors = five();
        assert_close(
            &multi_krum(&vectors, 1, 3).unwrap(),
            &[2.0 / 3.0, 1.0 / 3.0],
        );
        assert_close(&multi_krum(&vectors, 1, 2).unwrap(), &[0.5, 0.0]);
        assert_close(&multi_krum(&vectors, 1, 4).unwrap(), &[0.5, 0.75]);
    }

    /// Four identical vectors and one far away: all four tie at score 0
    /// (their 2 nearest are at distance 0), and the lowest index wins.
    #[test]
    fn krum_ties_go_to_the_lowest_index() {
        let mut vectors = vec![vec![5.0]; 4];
        vectors.insert(0, vec![100.0]);
        // v0 = 100 is the outlier; v1..v4 = 5 all score 0 + 0 = 0.
        let scores = krum_scores(&vectors, 1).unwrap();
        assert_close(&scores, &[2.0 * 95.0 * 95.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(krum(&vectors, 1).unwrap(), 1);
    }

    /// f = 1 on five 2-D vectors, each coordinate trimmed separately.
    ///
    /// ```text
    /// vectors: (1, 10) (2, 20) (3, -100) (4, 40) (100, 30)
    /// x sorted: 1 2 3 4 100      → drop 1 and 100   → (2+3+4)/3    = 3
    /// y sorted: -100 10 20 30 40 → drop -100 and 40 → (10+20+30)/3 = 20
    /// ```
    #[test]
    fn trimmed_mean_by_hand() {
        let vectors = vec![
            vec![1.0, 10.0],
            vec![2.0, 20.0],
            vec![3.0, -100.0],
            vec![4.0, 40.0],
            vec![100.0, 30.0],
        ];
        assert_close(&trimmed_mean(&vectors, 1).unwrap(), &[3.0, 20.0]);
    }

    /// With f = 0 nothing is trimmed: (1+2+6)/3 = 3.
    #[test]
    fn trimmed_mean_with_f0_is_the_mean() {
        let vectors = vec![vec![1.0], vec![2.0], vec![6.0]];
        assert_close(&trimmed_mean(&vectors, 0).unwrap(), &[3.0]);
    }

    /// n = 2f + 1 = 3 with f = 1 keeps exactly the median: (5, 1, 9) → 5.
    #[test]
    fn trimmed_mean_at_its_bound_is_the_median() {
        let vectors = vec![vec![5.0], vec![1.0], vec![9.0]];
        assert_close(&trimmed_mean(&vectors, 1).unwrap(), &[5.0]);
    }

    #[test]
    fn too_few_vectors() {
        let four = five()[..4].to_vec();
        assert_eq!(
            krum_scores(&four, 1),
            Err(AggError::TooFew {
                rule: "krum",
                n: 4,
                f: 1,
                required: 5
            })
        );
        assert!(matches!(krum(&four, 1), Err(AggError::TooFew { .. })));
        assert!(matches!(
            multi_krum(&four, 1, 1),
            Err(AggError::TooFew { .. })
        ));
        let two = five()[..2].to_vec();
        assert_eq!(
            trimmed_mean(&two, 1),
            Err(AggError::TooFew {
                rule: "trimmed mean",
                n: 2,
                f: 1,
                required: 3
            })
        );
        assert_eq!(
            krum(&five(), 1).map(|_| ()),
            Ok(()),
            "the bound itself is enough"
        );
    }

    #[test]
    fn huge_f_does_not_overflow() {
        assert!(matches!(
            krum(&five(), usize::MAX),
            Err(AggError::TooFew { .. })
        ));
        assert!(matches!(
            trimmed_mean(&five(), usize::MAX / 2 + 1),
            Err(AggError::TooFew { .. })
        ));
    }

    #[test]
    fn invalid_m() {
        let vectors = five();
        assert_eq!(
            multi_krum(&vectors, 1, 0),
            Err(AggError::InvalidM { m: 0, max: 4 })
        );
        assert_eq!(
            multi_krum(&vectors, 1, 5),
            Err(AggError::InvalidM { m: 5, max: 4 })
        );
    }

    #[test]
    fn mismatched_lengths() {
        let mut vectors = five();
        vectors[3] = vec![1.0, 2.0, 3.0];
        let expected = Err(AggError::LengthMismatch {
            index: 3,
            expected: 2,
            found: 3,
        });
        assert_eq!(krum_scores(&vectors, 1), expected);
        assert_eq!(trimmed_mean(&vectors, 1), expected);
    }

    #[test]
    fn empty_input() {
        assert_eq!(krum_scores(&[], 0), Err(AggError::Empty));
        assert_eq!(krum(&[], 0), Err(AggError::Empty));
        assert_eq!(multi_krum(&[], 0, 1), Err(AggError::Empty));
        assert_eq!(trimmed_mean(&[], 0), Err(AggError::Empty));
        let no_coordinates = vec![Vec::new(); 5];
        assert_eq!(krum_scores(&no_coordinates, 1), Err(AggError::ZeroLength));
        assert_eq!(trimmed_mean(&no_coordinates, 1), Err(AggError::ZeroLength));
    }

    #[test]
    fn nan_and_infinity_are_rejected() {
        let mut vectors = five();
        vectors[2][1] = f64::NAN;
        let err = krum_scores(&vectors, 1).unwrap_err();
        assert!(
            matches!(err, AggError::NonFinite { index: 2, coordinate: 1, value } if value.is_nan()),
            "{err:?}"
        );
        vectors[2][1] = f64::INFINITY;
        assert!(matches!(
            trimmed_mean(&vectors, 1),
            Err(AggError::NonFinite {
                index: 2,
                coordinate: 1,
                ..
            })
        ));
        vectors[2][1] = f64::NEG_INFINITY;
        assert!(matches!(
            multi_krum(&vectors, 1, 2),
            Err(AggError::NonFinite { .. })
        ));
    }

    /// Finite values whose distances overflow still give an answer: the
    /// far vector's score is infinite, the others are finite.
    #[test]
    fn overflowing_distances_are_infinite_not_nan() {
        let mut vectors = vec![vec![0.0]; 4];
        vectors.push(vec![1e200]);
        let scores = krum_scores(&vectors, 1).unwrap();
        assert_eq!(scores[4], f64::INFINITY);
        assert_eq!(krum(&vectors, 1).unwrap(), 0);
    }

    #[test]
    fn errors_are_one_line() {
        let errors = [
            AggError::Empty,
            AggError::ZeroLength,
            AggError::LengthMismatch {
                index: 1,
                expected: 2,
                found: 3,
            },
            AggError::NonFinite {
                index: 0,
                coordinate: 0,
                value: f64::NAN,
            },
            AggError::TooFew {
                rule: "krum",
                n: 4,
                f: 1,
                required: 5,
            },
            AggError::InvalidM { m: 0, max: 4 },
        ];
        for err in errors {
            let text = err.to_string();
            assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
        }
        assert_eq!(
            AggError::TooFew {
                rule: "krum",
                n: 4,
                f: 1,
                required: 5
            }
            .to_string(),
            "krum with f=1 needs n >= 5 vectors, got n=4"
        );
    }

    #[test]
    fn recommend_with_f1_at_every_boundary() {
        // 2f+3 = 5, 2f+2 = 4, 2f+1 = 3, 2f = 2.
        let r = recommend(5, 1, false);
        assert_eq!(r.rule, Rule::Krum);
        assert_eq!(r.reason, "n=5 >= 2f+3=5: Krum (Blanchard et al. 2017)");
        let r = recommend(4, 1, false);
        assert_eq!(r.rule, Rule::TrimmedMean);
        assert_eq!(
            r.reason,
            "n=4 < 2f+3=5 but n >= 2f+1=3: coordinate-wise trimmed mean (Yin et al. 2018)"
        );
        assert_eq!(recommend(3, 1, false).rule, Rule::TrimmedMean);
        let r = recommend(2, 1, false);
        assert_eq!(r.rule, Rule::Block);
        assert_eq!(
            r.reason,
            "n=2 < 2f+1=3: too few workers to tolerate f=1 faulty ones"
        );
    }

    #[test]
    fn recommend_with_f2_at_every_boundary() {
        // 2f+3 = 7, 2f+2 = 6, 2f+1 = 5, 2f = 4.
        assert_eq!(recommend(7, 2, false).rule, Rule::Krum);
        assert_eq!(recommend(6, 2, false).rule, Rule::TrimmedMean);
        assert_eq!(recommend(5, 2, false).rule, Rule::TrimmedMean);
        assert_eq!(recommend(4, 2, false).rule, Rule::Block);
        assert_eq!(recommend(usize::MAX, usize::MAX, false).rule, Rule::Block);
    }

    #[test]
    fn recommend_mean_when_agreeing_or_f0() {
        let r = recommend(2, 1, true);
        assert_eq!(r.rule, Rule::Mean, "agreement overrides the bounds");
        assert_eq!(r.reason, "all n=2 workers agree: plain mean");
        let r = recommend(3, 0, false);
        assert_eq!(r.rule, Rule::Mean);
        assert_eq!(r.reason, "f=0 (no faulty workers tolerated): plain mean");
        assert_eq!(recommend(1, 0, false).rule, Rule::Mean);
    }

    #[test]
    fn reasons_are_one_line() {
        for n in 0..10 {
            for f in 0..4 {
                for agree in [false, true] {
                    let reason = recommend(n, f, agree).reason;
                    assert!(!reason.contains('\n'), "{reason:?}");
                }
            }
        }
    }

    #[test]
    fn rule_serialises_in_snake_case() {
        let names: Vec<String> = [Rule::Mean, Rule::Krum, Rule::TrimmedMean, Rule::Block]
            .into_iter()
            .map(|r| {
                let json = serde_json::to_string(&r).unwrap();
                assert_eq!(json, format!("\"{r}\""), "Display matches serde");
                json
            })
            .collect();
        assert_eq!(
            names,
            ["\"mean\"", "\"krum\"", "\"trimmed_mean\"", "\"block\""]
        );
        let rec = serde_json::to_value(recommend(5, 1, false)).unwrap();
        assert_eq!(rec["rule"], "krum");
        let back: Rule = serde_json::from_str("\"trimmed_mean\"").unwrap();
        assert_eq!(back, Rule::TrimmedMean);
    }
}
