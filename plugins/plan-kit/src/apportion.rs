//! Splitting a whole number of units (examples, or the examples of one
//! global batch) across workers in proportion to their throughput.
//!
//! The method is the largest-remainder (Hamilton) method:
//!
//! 1. worker `i`'s exact quota is `total × wᵢ / Σw`;
//! 2. every worker first gets the floor of its quota;
//! 3. the units left over (fewer than the number of workers) go one each to
//!    the workers with the largest fractional parts, ties going to the lower
//!    worker index. Fractional parts are compared at a resolution of 1e-9 of
//!    a unit, so quotas that are equal in exact arithmetic tie even when
//!    floating-point rounding makes them differ in the last bits;
//! 4. when `total ≥` the number of workers, every worker gets at least one
//!    unit: a worker left at zero takes one unit from the worker with the
//!    largest share (ties: the higher index gives). The giver always has at
//!    least two units then, since `total ≥ n` units sit on at most `n − 1`
//!    workers.
//!
//! The shares always sum to exactly `total`. Equal weights give shares that
//! differ by at most one, the extra units going to the lowest indices
//! (`64` over 3 equal workers is `[22, 21, 21]`).

/// Resolution at which fractional parts are compared (step 3).
const RESOLUTION: f64 = 1e9;

/// `total` split in proportion to `weights` (each positive and finite; the
/// caller validates them). An empty `weights` gives an empty split.
pub fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let sum: f64 = weights.iter().sum();
    let quotas: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut shares: Vec<u64> = quotas
        .iter()
        .map(|q| (q.floor().max(0.0) as u64).min(total))
        .collect();
    let assigned: u64 = shares.iter().sum();
    if assigned > total {
        // Not reachable with finite positive weights of realistic size (the
        // floors of rounded quotas would have to overshoot by a whole unit);
        // kept so the sum is exact whatever the rounding did.
        for _ in 0..(assigned - total) {
            let giver = largest(&shares);
            shares[giver] -= 1;
        }
    } else {
        let mut order: Vec<usize> = (0..n).collect();
        let key = |i: usize| ((quotas[i] - quotas[i].floor()) * RESOLUTION).round() as u64;
        order.sort_by(|&a, &b| key(b).cmp(&key(a)).then(a.cmp(&b)));
        for &i in order.iter().take((total - assigned) as usize) {
            shares[i] += 1;
        }
    }
    if total >= n as u64 {
        for i in 0..n {
            if shares[i] == 0 {
                let giver = largest(&shares);
                shares[giver] -= 1;
                shares[i] = 1;
            }
        }
    }
    shares
}

/// The index of the largest share, ties going to the higher index.
fn largest(shares: &[u64]) -> usize {
    let mut best = 0;
    for (i, &share) in shares.iter().enumerate() {
        if share >= shares[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod apportion_tests {
    use super::apportion;

    #[test]
    fn shares_sum_exactly_to_the_total() {
        let weights = [1.2, 0.85, 1.0, 0.333, 2.5];
        for total in [0u64, 1, 2, 5, 7, 64, 999, 120_000, 1_000_003] {
            let shares = apportion(total, &weights);
            assert_eq!(shares.iter().sum::<u64>(), total, "total {total}");
        }
    }

    #[test]
    fn equal_weights_give_equal_shares_with_extras_to_the_lowest_indices() {
        assert_eq!(apportion(64, &[1.0, 1.0, 1.0]), [22, 21, 21]);
        assert_eq!(apportion(65, &[2.5, 2.5, 2.5]), [22, 22, 21]);
        assert_eq!(apportion(120_000, &[0.7; 3]), [40_000; 3]);
        assert_eq!(apportion(6, &[1.0; 4]), [2, 2, 1, 1]);
    }

    /// Throughputs 1.2, 0.85, 1.0 (sum 3.05) and a batch of 64: the quotas
    /// are 25.180…, 17.836…, 20.983…; the floors 25 + 17 + 20 = 62 leave 2
    /// units, which go to the largest fractions 0.983 (index 2) and 0.836
    /// (index 1).
    #[test]
    fn heterogeneous_weights_by_hand() {
        assert_eq!(apportion(64, &[1.2, 0.85, 1.0]), [25, 18, 21]);
        // Examples 120000: quotas 47213.11…, 33442.62…, 39344.26…; floors
        // sum to 119999, the one left goes to index 1 (fraction .62).
        assert_eq!(
            apportion(120_000, &[1.2, 0.85, 1.0]),
            [47_213, 33_443, 39_344]
        );
        // Weights 3:1, total 10: quotas 7.5, 2.5 tie on .5 → index 0.
        assert_eq!(apportion(10, &[3.0, 1.0]), [8, 2]);
    }

    #[test]
    fn tied_remainders_go_to_the_lower_index() {
        // Quotas 0.5, 0.5, 1.0: one unit left, tie between 0 and 1.
        assert_eq!(apportion(2, &[1.0, 1.0, 2.0]), [1, 0, 1]);
        // Quotas 1/3 each: one unit left, three-way tie.
        assert_eq!(apportion(1, &[1.0, 1.0, 1.0]), [1, 0, 0]);
        // Ties across different weights: 6 over 3:1:5:3 gives quotas 1.5,
        // 0.5, 2.5, 1.5; the floors leave 2 units and all four fractions
        // tie at .5, so indices 0 and 1 get them.
        assert_eq!(apportion(6, &[3.0, 1.0, 5.0, 3.0]), [2, 1, 2, 1]);
    }

    #[test]
    fn every_worker_gets_one_when_there_are_enough_units() {
        // Quotas 2.94…, 0.029…, 0.029…: largest remainder alone gives
        // [3, 0, 0]; the minimum moves one unit each from index 0.
        assert_eq!(apportion(3, &[100.0, 1.0, 1.0]), [1, 1, 1]);
        // Quotas 9.80…, 0.098…, 0.098…: [10, 0, 0] → [8, 1, 1].
        assert_eq!(apportion(10, &[100.0, 1.0, 1.0]), [8, 1, 1]);
        // Fewer units than workers: no minimum, zeros stay.
        assert_eq!(apportion(2, &[100.0, 1.0, 1.0]), [2, 0, 0]);
    }

    #[test]
    fn the_giver_on_equal_largest_shares_is_the_higher_index() {
        // Quotas 2.48…, 2.48…, 0.0248…, 0.0248…: floors 2, 2, 0, 0 and the
        // one unit left goes to index 0 → [3, 2, 0, 0]; index 2 takes from
        // index 0 (largest), index 3 then takes from index 1 (2 vs 2, the
        // higher index gives).
        assert_eq!(apportion(5, &[100.0, 100.0, 1.0, 1.0]), [2, 1, 1, 1]);
    }

    #[test]
    fn degenerate_inputs() {
        assert_eq!(apportion(10, &[]), Vec::<u64>::new());
        assert_eq!(apportion(0, &[1.0, 2.0]), [0, 0]);
        assert_eq!(apportion(7, &[0.001]), [7]);
    }
}
