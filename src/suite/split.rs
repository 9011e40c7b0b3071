//! The shard planner: split a suite's items (test files or single test ids,
//! each with an expected duration) into `N` shards of near-equal duration, and
//! choose `N` for a GitHub Actions matrix ([`auto`]).
//!
//! # Algorithm
//!
//! Minimising the longest shard (the *makespan*) is the NP-hard multiprocessor
//! scheduling problem, so [`split`] uses a heuristic in two phases:
//!
//! 1. **LPT** (longest processing time first): items are taken longest first
//!    and each goes onto the currently least-loaded shard (ties: lowest shard
//!    index), found with a binary min-heap, so this costs `O(n log N)` after
//!    the `O(n log n)` sort. LPT is never worse than `4/3 − 1/(3N)` times the
//!    optimum, and with many small items at the tail (the usual test suite) it
//!    lands within about 1% of the lower bound, usually far closer. This phase is the
//!    same algorithm as pytest-split's `least_duration` and produces the same
//!    assignment (the tests check this against a re-implementation).
//! 2. **Improvement pass** (local search): LPT can be beaten on instances with
//!    few, similar items — `3,3,2,2,2` on 2 shards gives `7` where `6` is
//!    optimal. Each step takes the most-loaded shard `A` (ties: lowest index)
//!    and looks, over every other shard `B`, for the exchange that leaves the
//!    larger of the two new loads smallest: first a *move* (one item of `A`
//!    to `B`) or *swap* (one item of `A` for a smaller one of `B`); only if
//!    none helps, and both shards have at most 64 items, one or two items of
//!    `A` for zero, one or two of `B` (needed for `10,6,6,3,3,2,2` on 2
//!    shards, where LPT's `{10,3,2,2} | {6,6,3}` must trade `2+2` for `3`).
//!    An exchange is applied only if it lowers `A` by more than 1 ms and by
//!    more than a relative `1e-9`: durations are estimates recorded to the
//!    millisecond at best, and the relative margin keeps float noise from
//!    cycling. `B` never reaches `A`'s old level, so the makespan never rises,
//!    and the sorted vector of loads strictly decreases, which guarantees
//!    termination. When several shards tie at the maximum, each step lowers
//!    one of them; the makespan itself drops once all have.
//!
//!    The pass stops when no exchange helps, when the makespan is within
//!    1 ms of a lower bound (so within 1 ms of optimal), or after
//!    [`MAX_IMPROVEMENT_STEPS`] steps or [`IMPROVEMENT_WORK_BUDGET`] units of
//!    work, whichever comes first. The limits count work, not wall-clock
//!    time, so where the pass stops is the same on every machine. A step of
//!    single exchanges costs `O(n + N·|A|)`: for each `B` the best move is a
//!    binary search and the best swap a two-pointer walk of two lists kept in
//!    duration order; `B`s are visited lightest first and the search ends at
//!    the first one that cannot beat the best exchange found. On 100,000
//!    items the pass takes 0.2–2 ms (1 to 130 steps) for 8 to 256 shards.
//!
//! # Determinism
//!
//! The same items in any order give the same plan, bit for bit, on every
//! machine: items are ranked by `(seconds desc, id asc)` (ids are unique, so
//! the ranking is total), every tie between shards goes to the lowest index,
//! no hash-map order is ever observed, and every floating-point sum (a shard's
//! load, the suite total) is taken in rank order, so its rounding does not
//! depend on input order. Rust performs IEEE-754 `f64` arithmetic without
//! implicit fused multiply-add, so the sums are identical across platforms.
//! Items inside a shard are listed in ascending id order (byte-wise), which
//! keeps plans diff-friendly and independent of how the caller listed them.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

/// At most this many shards: GitHub Actions runs at most 256 jobs from one
/// matrix, so a larger plan could not be run as a single matrix anyway.
pub const MAX_SHARDS: usize = 256;

/// The improvement pass stops after this many applied exchanges. It is a
/// safety net: measured runs converge in at most a few hundred steps.
pub const MAX_IMPROVEMENT_STEPS: usize = 10_000;

/// The improvement pass stops once it has done this much work, counted in
/// item slots examined (a single-exchange step examines each item of the
/// heaviest shard once per partner shard, and each partner's items once; a
/// pair bundle counts 8 slots). It bounds the pass to tens of milliseconds
/// whatever the input, yet leaves a 2,000-item suite thousands of full steps.
pub const IMPROVEMENT_WORK_BUDGET: usize = 20_000_000;

/// An exchange must lower the heaviest shard by more than this fraction of its
/// load to be applied: an "improvement" below it could be rounding noise
/// (recomputed sums differ from predicted ones by far less, about `n × 1e-16`).
const RELATIVE_TOLERANCE: f64 = 1e-9;

/// ... and by more than this many seconds. Durations are estimates recorded
/// to the millisecond at best, so smaller gains are not real; on large suites
/// LPT lands within milliseconds of the bound, and chasing sub-millisecond
/// gains there cost more time than the whole LPT phase.
const MIN_GAIN_SECONDS: f64 = 1e-3;

/// Slack applied to bounds derived from the floating-point suite total before
/// they are used to *skip* work in [`auto`], so rounding can never prune a
/// shard count that would actually have been chosen.
const BOUND_SLACK: f64 = 1e-9;

/// One thing to schedule: a test file or a single test id, and its expected
/// duration in seconds (already estimated by the caller).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    pub seconds: f64,
}

impl Item {
    /// An item with this id and expected duration (validated by [`split`]).
    pub fn new(id: impl Into<String>, seconds: f64) -> Self {
        Self {
            id: id.into(),
            seconds,
        }
    }
}

/// One matrix job's share of the suite.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shard {
    /// 1-based, as in `--shard=3/8` and in matrix values.
    pub index: usize,
    /// Item ids in ascending (byte-wise) order. May be empty when there are
    /// fewer items than shards.
    pub items: Vec<String>,
    /// Sum of the items' expected seconds (0 for an empty shard).
    pub estimated_seconds: f64,
}

/// The result of [`split`]: exactly `N` shards, indexed `1..=N`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub shards: Vec<Shard>,
    /// `max(total / N, longest item)`: no plan can finish faster, so
    /// `makespan / lower_bound_seconds` measures how close to optimal it is.
    pub lower_bound_seconds: f64,
}

impl Plan {
    /// The longest shard's estimated seconds (the plan's predicted wall time
    /// before per-job overhead); 0 for a plan without items.
    pub fn makespan_seconds(&self) -> f64 {
        self.shards
            .iter()
            .map(|s| s.estimated_seconds)
            .fold(0.0, f64::max)
    }
}

/// The result of [`auto`]: the chosen shard count, its plan and its cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AutoChoice {
    pub shards: usize,
    pub plan: Plan,
    /// Sum over jobs of `ceil((estimated_seconds + overhead) / 60)`.
    pub billed_minutes: u64,
    /// Max over jobs of `estimated_seconds + overhead`.
    pub predicted_wall_seconds: f64,
    /// Whether `predicted_wall_seconds <= target_minutes × 60`.
    pub target_met: bool,
}

/// Why a suite cannot be planned. Item errors name the offending id so the
/// caller can point at the timing record or test that produced it.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SplitError {
    #[error("the shard count must be at least 1")]
    ZeroShards,
    #[error(
        "{requested} shards requested, but at most {MAX_SHARDS} are supported \
         (a GitHub Actions matrix runs at most {MAX_SHARDS} jobs)"
    )]
    TooManyShards { requested: usize },
    #[error(
        "item `{id}`: expected duration {seconds} is not a finite, non-negative number of seconds"
    )]
    InvalidSeconds { id: String, seconds: f64 },
    #[error("item `{id}` is listed more than once")]
    DuplicateId { id: String },
    #[error("{name} = {value} is not valid: {reason}")]
    InvalidParameter {
        name: &'static str,
        value: f64,
        reason: &'static str,
    },
}

/// Splits `items` into exactly `shards` shards, minimising the longest one.
///
/// See the module docs for the algorithm. With fewer items than shards (or
/// no items at all) the plan still has exactly `shards` shards, and the
/// surplus ones are empty with `estimated_seconds == 0`: the caller's matrix
/// is sized before the plan is read, so a missing index would be worse than
/// an idle job.
///
/// # Errors
///
/// `shards` is 0 or above [`MAX_SHARDS`]; an item's seconds are NaN,
/// infinite or negative (reported for the smallest such id); an id occurs
/// twice (reported for the smallest such id). Checked in that order, so the
/// error, like the plan, does not depend on the order of `items`.
pub fn split(items: &[Item], shards: usize) -> Result<Plan, SplitError> {
    check_shard_count(shards)?;
    let suite = Prepared::new(items)?;
    Ok(suite.plan(&suite.assign(shards)))
}

/// Chooses the shard count for a matrix: the `N` in `1..=min(max_shards, 256)`
/// that minimises billed minutes among those whose predicted wall time meets
/// `target_minutes`, ties going to fewer shards.
///
/// A job is billed in whole minutes, overhead (checkout, toolchain, cache
/// restore: `shard_overhead_s`) included, so job `i` costs
/// `ceil((estimated_i + overhead) / 60)` and an empty shard still costs its
/// overhead. The predicted wall time is the longest job's
/// `estimated + overhead`. If no `N` meets the target, the `N` with the
/// smallest wall time is chosen (ties to fewer shards; since each `N` is
/// distinct, that settles every tie) with `target_met == false`.
/// `target_minutes` may be `f64::INFINITY` for "cheapest, however slow".
///
/// The returned plan is exactly `split(items, choice.shards)`.
///
/// # Speed
///
/// The items are validated and sorted once, and each candidate `N` costs one
/// LPT run plus the improvement pass on rank indices, without building a
/// plan (only the chosen `N`'s plan is built). Candidates are also skipped by
/// lower bounds, which are sound (never skip the `N` that would win):
/// - wall(N) ≥ `max(total/N, longest, pair) + overhead`, where `pair` is the
///   sum of the `N`-th and `(N+1)`-th longest items (two of the `N+1` longest
///   must share a shard), so an `N` whose bound exceeds the target cannot
///   meet it;
/// - billed(N) ≥ `max(N·ceil(overhead/60), ceil((total + N·overhead)/60))`,
///   which never decreases with `N`, so the scan for the cheapest feasible `N`
///   (in increasing `N`) stops once this reaches the best found;
/// - when nothing meets the target, shard counts are tried best wall-bound
///   first and the search stops once the bound exceeds the best wall found,
///   usually after one or two candidates.
///
/// # Errors
///
/// `max_shards == 0`, `target_minutes` NaN or negative, `shard_overhead_s`
/// not finite or negative, or any item error of [`split`]. A `max_shards`
/// above [`MAX_SHARDS`] is clamped, not rejected: it is an upper limit.
pub fn auto(
    items: &[Item],
    target_minutes: f64,
    shard_overhead_s: f64,
    max_shards: usize,
) -> Result<AutoChoice, SplitError> {
    if max_shards == 0 {
        return Err(SplitError::ZeroShards);
    }
    if target_minutes.is_nan() || target_minutes < 0.0 {
        return Err(SplitError::InvalidParameter {
            name: "target_minutes",
            value: target_minutes,
            reason: "it must be a non-negative number of minutes",
        });
    }
    if !shard_overhead_s.is_finite() || shard_overhead_s < 0.0 {
        return Err(SplitError::InvalidParameter {
            name: "shard_overhead_s",
            value: shard_overhead_s,
            reason: "it must be a finite, non-negative number of seconds",
        });
    }
    let suite = Prepared::new(items)?;
    Ok(choose(&suite, target_minutes, shard_overhead_s, max_shards).0)
}

/// How shards running at once share this machine, for choosing how many
/// to run here ([`worthwhile`]). Item seconds are what each item takes in a
/// shard that has a core to itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Machine {
    /// At most this many shards run at once.
    pub jobs: usize,
    /// The cores pitcrew may use.
    pub cores: f64,
    /// The fraction of its time a shard keeps a core busy when it has one
    /// (1 for CPU-bound tests, less for tests that wait).
    pub busy: f64,
    /// Other work ready to run meanwhile, in processes that each want a
    /// core (0 on a quiet machine).
    pub waiting: f64,
    /// Seconds one runner process costs before its first test.
    pub startup: f64,
}

impl Machine {
    /// The share of a core each of `n` shards running at once gets while
    /// it wants one: the cores go round the other work and the shards,
    /// each of which wants one `busy` of the time.
    pub fn share(&self, n: usize) -> f64 {
        let n = n.clamp(1, self.jobs.max(1)) as f64;
        let cores = positive(self.cores, 1.0);
        let waiting = if self.waiting.is_finite() {
            self.waiting.max(0.0)
        } else {
            0.0
        };
        (cores / (waiting + n * self.busy())).min(1.0)
    }

    /// How many times longer each of `n` shards running at once takes than
    /// with a core to itself: its busy part runs at [`Machine::share`], the
    /// time it waits for other things does not change. Two CPU-bound
    /// shards on two quiet cores: 1; on one: 2, and splitting can only
    /// lose; on two cores busy with other work, each shard has its turn
    /// as a process among them, and two shards get twice the turns.
    pub fn slowdown(&self, n: usize) -> f64 {
        let busy = self.busy();
        1.0 - busy + busy / self.share(n)
    }

    /// The predicted wall time of `n` shards whose longest holds `makespan`
    /// seconds of items: each shard also pays a runner start-up, and all of
    /// it runs [`Machine::slowdown`] times slower for sharing the cores.
    pub fn wall(&self, makespan: f64, n: usize) -> f64 {
        let startup = if self.startup.is_finite() {
            self.startup.max(0.0)
        } else {
            0.0
        };
        self.slowdown(n) * (makespan + startup)
    }

    fn busy(&self) -> f64 {
        positive(self.busy, 1.0).clamp(MIN_BUSY, 1.0)
    }
}

/// A shard is taken to want a core at least this fraction of its time.
pub const MIN_BUSY: f64 = 0.05;

fn positive(x: f64, default: f64) -> f64 {
    if x.is_finite() && x > 0.0 { x } else { default }
}

/// The shard count, at most `machine.jobs`, chosen so that every shard
/// beyond the first shortens the predicted wall time ([`Machine::wall`])
/// by more than a runner start-up: a short suite, or a machine without
/// cores to spare, runs in one shard, or few, rather than paying start-ups
/// or competing for cores it cannot win back.
pub fn worthwhile(items: &[Item], machine: &Machine) -> Result<usize, SplitError> {
    check_shard_count(machine.jobs.max(1))?;
    let suite = Prepared::new(items)?;
    let margin = if machine.startup.is_finite() {
        machine.startup.max(MIN_GAIN_SECONDS)
    } else {
        MIN_GAIN_SECONDS
    };
    // Other work on the machine makes more shards look better (they take
    // more turns at the cores), but what it will do during the run is a
    // guess from a moment before it: measured on a busy 2-core machine, a
    // second shard chosen that way made python-dateutil twice as slow as
    // one. So a shard must also pay on the same machine without that work.
    let quiet = Machine {
        waiting: 0.0,
        ..*machine
    };
    let makespans: Vec<f64> = (1..=machine.jobs.min(items.len()).max(1))
        .map(|n| suite.plan(&suite.assign(n)).makespan_seconds())
        .collect();
    let walls = |n: usize| {
        let makespan = makespans[n - 1];
        (machine.wall(makespan, n), quiet.wall(makespan, n))
    };
    let (mut best, mut best_walls) = (1, walls(1));
    for n in 2..=makespans.len() {
        let this = walls(n);
        // Each shard beyond the best so far must win back its start-up.
        let needed = margin * (n - best) as f64;
        if best_walls.0 - this.0 > needed && best_walls.1 - this.1 > needed {
            (best, best_walls) = (n, this);
        }
    }
    Ok(best)
}

/// [`auto`] after validation; also returns how many shard counts it had to
/// evaluate (for tests and the timing harness).
fn choose(
    suite: &Prepared<'_>,
    target_minutes: f64,
    shard_overhead_s: f64,
    max_shards: usize,
) -> (AutoChoice, usize) {
    let max_n = max_shards.min(MAX_SHARDS);
    let overhead = shard_overhead_s;
    let target_s = target_minutes * 60.0;

    let relaxed_total = suite.total * (1.0 - BOUND_SLACK);
    let wall_bound = |n: usize| {
        (relaxed_total / n as f64)
            .max(suite.longest())
            .max(suite.pair_bound(n))
            + overhead
    };
    let billed_bound = |n: usize| {
        let per_job = (overhead / 60.0).ceil() as u64 * n as u64;
        let spread = ((relaxed_total + n as f64 * overhead) / 60.0 * (1.0 - BOUND_SLACK)).ceil();
        per_job.max(spread as u64)
    };
    let mut cache: Vec<Option<JobCost>> = vec![None; max_n + 1];
    let mut evaluated = 0;
    let mut cost_of = |n: usize| {
        *cache[n].get_or_insert_with(|| {
            evaluated += 1;
            JobCost::of(&suite.assign(n).loads, overhead)
        })
    };

    // Cheapest N that meets the target, scanning N upwards (ties → fewer).
    let mut feasible: Option<(usize, JobCost)> = None;
    for n in 1..=max_n {
        if feasible.is_some_and(|(_, best)| billed_bound(n) >= best.billed) {
            break;
        }
        if wall_bound(n) > target_s {
            continue;
        }
        let cost = cost_of(n);
        if cost.wall <= target_s && feasible.is_none_or(|(_, best)| cost.billed < best.billed) {
            feasible = Some((n, cost));
        }
    }

    let (n, cost, target_met) = match feasible {
        Some((n, cost)) => (n, cost, true),
        None => {
            // Fastest N (ties → fewer), best bound first; wall(N) ≥ bound(N).
            let mut order: Vec<usize> = (1..=max_n).collect();
            order.sort_by(|&x, &y| wall_bound(x).total_cmp(&wall_bound(y)).then(x.cmp(&y)));
            let mut fastest: Option<(usize, JobCost)> = None;
            for n in order {
                let bound = wall_bound(n);
                if let Some((best_n, best)) = fastest {
                    if bound > best.wall {
                        break;
                    }
                    if bound == best.wall && n > best_n {
                        continue;
                    }
                }
                let cost = cost_of(n);
                let better = fastest.is_none_or(|(best_n, best)| {
                    cost.wall < best.wall || (cost.wall == best.wall && n < best_n)
                });
                if better {
                    fastest = Some((n, cost));
                }
            }
            let (n, cost) = fastest.expect("max_n >= 1, and the first candidate is always tried");
            (n, cost, false)
        }
    };
    let choice = AutoChoice {
        shards: n,
        plan: suite.plan(&suite.assign(n)),
        billed_minutes: cost.billed,
        predicted_wall_seconds: cost.wall,
        target_met,
    };
    (choice, evaluated)
}

fn check_shard_count(shards: usize) -> Result<(), SplitError> {
    match shards {
        0 => Err(SplitError::ZeroShards),
        n if n > MAX_SHARDS => Err(SplitError::TooManyShards { requested: n }),
        _ => Ok(()),
    }
}

/// What one shard count costs on GitHub Actions.
#[derive(Clone, Copy, Debug)]
struct JobCost {
    billed: u64,
    wall: f64,
}

impl JobCost {
    fn of(loads: &[f64], overhead: f64) -> Self {
        let mut billed = 0u64;
        let mut wall = 0.0f64;
        for &load in loads {
            let job = load + overhead;
            billed = billed.saturating_add((job / 60.0).ceil() as u64);
            wall = wall.max(job);
        }
        Self { billed, wall }
    }
}

/// Validated items in canonical order. Items are referred to by *rank*: the
/// position in `(seconds desc, id asc)` order, so rank order is the order in
/// which LPT places them and in which every sum is taken.
struct Prepared<'a> {
    items: &'a [Item],
    /// `input[rank]`: the item's index in the caller's slice.
    input: Vec<usize>,
    /// `seconds[rank]`, with `-0.0` normalised to `0.0` (so an empty sum and a
    /// sum of zeros print the same).
    seconds: Vec<f64>,
    /// `id_pos[rank]`: the item's position in ascending id order, so a shard
    /// is listed in id order by sorting integers, not strings.
    id_pos: Vec<usize>,
    /// Sum of all seconds, in rank order.
    total: f64,
}

impl<'a> Prepared<'a> {
    fn new(items: &'a [Item]) -> Result<Self, SplitError> {
        let bad = items
            .iter()
            .filter(|it| !(it.seconds.is_finite() && it.seconds >= 0.0))
            .min_by(|x, y| x.id.cmp(&y.id).then(x.seconds.total_cmp(&y.seconds)));
        if let Some(it) = bad {
            return Err(SplitError::InvalidSeconds {
                id: it.id.clone(),
                seconds: it.seconds,
            });
        }

        let mut by_id: Vec<usize> = (0..items.len()).collect();
        by_id.sort_unstable_by(|&x, &y| items[x].id.cmp(&items[y].id));
        if let Some(pair) = by_id.windows(2).find(|p| items[p[0]].id == items[p[1]].id) {
            return Err(SplitError::DuplicateId {
                id: items[pair[0]].id.clone(),
            });
        }
        let mut id_pos_of_input = vec![0; items.len()];
        for (pos, &i) in by_id.iter().enumerate() {
            id_pos_of_input[i] = pos;
        }

        let secs = |i: usize| {
            let s = items[i].seconds;
            if s == 0.0 { 0.0 } else { s }
        };
        // Ids are unique, so id order is total; a *stable* sort by seconds
        // descending then yields (seconds desc, id asc) without comparing
        // strings again.
        let mut input = by_id;
        input.sort_by(|&x, &y| secs(y).total_cmp(&secs(x)));
        let seconds: Vec<f64> = input.iter().map(|&i| secs(i)).collect();
        let id_pos = input.iter().map(|&i| id_pos_of_input[i]).collect();
        let total = seconds.iter().fold(0.0, |acc, &s| acc + s);
        Ok(Self {
            items,
            input,
            seconds,
            id_pos,
            total,
        })
    }

    fn longest(&self) -> f64 {
        self.seconds.first().copied().unwrap_or(0.0)
    }

    /// The documented bound, `max(total / N, longest)`.
    fn lower_bound(&self, shards: usize) -> f64 {
        (self.total / shards as f64).max(self.longest())
    }

    /// With more items than shards, two of the `N + 1` longest items share a
    /// shard, so the makespan is at least the sum of the `N`-th and
    /// `(N + 1)`-th longest (0 otherwise). Exact in floating point too: sums
    /// of non-negative numbers round monotonically, so a shard holding both
    /// items sums to at least their rounded sum. Never increases with `N`.
    fn pair_bound(&self, shards: usize) -> f64 {
        match (self.seconds.get(shards - 1), self.seconds.get(shards)) {
            (Some(a), Some(b)) => a + b,
            _ => 0.0,
        }
    }

    /// A bound at least as strong as the documented one, used internally to
    /// stop the improvement pass early and to prune [`auto`]'s candidates.
    fn sharper_lower_bound(&self, shards: usize) -> f64 {
        self.lower_bound(shards).max(self.pair_bound(shards))
    }

    /// LPT, then the improvement pass.
    fn assign(&self, shards: usize) -> Assignment {
        let mut assignment = lpt(&self.seconds, shards);
        improve(
            &self.seconds,
            &mut assignment,
            self.sharper_lower_bound(shards),
        );
        assignment
    }

    fn plan(&self, assignment: &Assignment) -> Plan {
        let shards = assignment
            .members
            .iter()
            .zip(&assignment.loads)
            .enumerate()
            .map(|(s, (ranks, &load))| {
                let mut ranks = ranks.clone();
                ranks.sort_unstable_by_key(|&r| self.id_pos[r]);
                Shard {
                    index: s + 1,
                    items: ranks
                        .iter()
                        .map(|&r| self.items[self.input[r]].id.clone())
                        .collect(),
                    estimated_seconds: load,
                }
            })
            .collect();
        Plan {
            shards,
            lower_bound_seconds: self.lower_bound(assignment.loads.len()),
        }
    }
}

/// Shard contents as ranks, each list kept in ascending rank order (that is,
/// longest item first), and each shard's load summed in that order.
#[derive(Clone, Debug)]
struct Assignment {
    members: Vec<Vec<usize>>,
    loads: Vec<f64>,
}

/// Longest processing time first. `seconds` must be in rank order (longest
/// first); every load is accumulated in rank order.
///
/// The heap holds `(load bits, shard index)`: for non-negative finite `f64`s
/// (all loads are) the IEEE bit patterns order exactly like the numbers, so
/// comparisons are plain integer ones — about twice as fast as `total_cmp`
/// on a struct — and `Reverse` makes the top the least-loaded shard with the
/// lowest index among equals.
fn lpt(seconds: &[f64], shards: usize) -> Assignment {
    let mut members = vec![Vec::with_capacity(seconds.len() / shards + 1); shards];
    let mut loads = vec![0.0f64; shards];
    let mut heap: BinaryHeap<Reverse<(u64, usize)>> = (0..shards)
        .map(|index| Reverse((0.0f64.to_bits(), index)))
        .collect();
    for (rank, &s) in seconds.iter().enumerate() {
        // Update the top in place: one sift-down instead of a pop and a push.
        let mut top = heap.peek_mut().expect("at least one shard");
        let shard = top.0.1;
        loads[shard] += s;
        top.0.0 = loads[shard].to_bits();
        members[shard].push(rank);
    }
    Assignment { members, loads }
}

/// At most one or two items on each side of an exchange.
type Bundle = [Option<usize>; 2];

/// An exchange out of the heaviest shard: the `give` ranks go to shard `to`,
/// and the `take` ranks (of `to`'s) come back.
#[derive(Clone, Copy, Debug)]
struct Exchange {
    to: usize,
    give: Bundle,
    take: Bundle,
}

/// The best exchange found so far in one step of the improvement pass.
struct Search {
    /// The heaviest shard's load.
    a: f64,
    /// An exchange is kept only if the larger of the two new loads is below
    /// this: strictly better than every exchange seen so far, and than `a` by
    /// more than the tolerance.
    best_value: f64,
    best: Option<Exchange>,
}

impl Search {
    /// Considers moving `d` seconds net from the heaviest shard to `to`
    /// (whose load is `b`).
    fn consider(&mut self, b: f64, d: f64, to: usize, give: Bundle, take: Bundle) {
        if d > 0.0 {
            let value = (self.a - d).max(b + d);
            if value < self.best_value {
                self.best_value = value;
                self.best = Some(Exchange { to, give, take });
            }
        }
    }

    /// Whether an exchange with a shard of load `b` could still beat the
    /// best: at most it levels the pair at `(a + b) / 2`.
    fn can_improve_with(&self, b: f64) -> bool {
        (self.a + b) / 2.0 < self.best_value
    }
}

/// Pair exchanges are tried only between shards of at most this many items:
/// they matter when items are few and coarse (`10,6,6,3,3,2,2` on 2 shards
/// needs `2+2` traded for `3`), while with many items per shard single moves
/// already have the granularity, and the quadratic cost would not pay.
const PAIR_EXCHANGE_MAX_ITEMS: usize = 64;

/// A bundle counts as this many item slots against the work budget: bundle
/// lists are built and sorted (up to 2,080 entries, log₂ ≈ 11) per partner.
const PAIR_WORK_WEIGHT: usize = 8;

/// The improvement pass described in the module docs. `bound` is a lower
/// bound on the makespan: reaching it means no further step can help.
/// Returns the number of exchanges applied.
///
/// Each step first looks for the best single exchange (one item for zero or
/// one); only if there is none, and the heaviest shard is small, for the
/// best exchange of up to two items for up to two.
fn improve(seconds: &[f64], asg: &mut Assignment, bound: f64) -> usize {
    let shards = asg.loads.len();
    if shards < 2 {
        return 0;
    }
    let mut by_load: Vec<usize> = (0..shards).collect();
    let mut work = 0usize;
    let mut steps = 0;
    while steps < MAX_IMPROVEMENT_STEPS {
        if work >= IMPROVEMENT_WORK_BUDGET {
            break;
        }
        let heavy = (0..shards)
            .reduce(|best, s| {
                if asg.loads[s] > asg.loads[best] {
                    s
                } else {
                    best
                }
            })
            .expect("at least two shards");
        let a = asg.loads[heavy];
        let tol = (a * RELATIVE_TOLERANCE).max(MIN_GAIN_SECONDS);
        if a - bound <= tol {
            break;
        }
        // Lightest partners first, so the search can stop at the first one
        // that cannot beat the best exchange found.
        by_load.sort_unstable_by(|&x, &y| asg.loads[x].total_cmp(&asg.loads[y]).then(x.cmp(&y)));
        let partners = by_load.iter().copied().filter(|&s| s != heavy);
        let mut search = Search {
            a,
            best_value: a - tol,
            best: None,
        };
        work += single_exchanges(seconds, asg, heavy, partners.clone(), &mut search);
        if search.best.is_none() && asg.members[heavy].len() <= PAIR_EXCHANGE_MAX_ITEMS {
            work += pair_exchanges(seconds, asg, heavy, partners, &mut search);
        }

        let Some(exchange) = search.best else { break };
        for give in exchange.give.into_iter().flatten() {
            transfer(&mut asg.members, heavy, exchange.to, give);
        }
        for take in exchange.take.into_iter().flatten() {
            transfer(&mut asg.members, exchange.to, heavy, take);
        }
        for s in [heavy, exchange.to] {
            asg.loads[s] = asg.members[s].iter().fold(0.0, |acc, &r| acc + seconds[r]);
        }
        steps += 1;
    }
    steps
}

/// Best move (one item of `heavy` to a partner) and best swap (one item for
/// a smaller one). Returns the work done, in item slots examined.
fn single_exchanges(
    seconds: &[f64],
    asg: &Assignment,
    heavy: usize,
    partners: impl Iterator<Item = usize>,
    search: &mut Search,
) -> usize {
    let from = &asg.members[heavy];
    let mut work = 0;
    for to in partners {
        let b = asg.loads[to];
        if !search.can_improve_with(b) {
            break;
        }
        let into = &asg.members[to];
        work += from.len() + into.len();
        let half = (search.a - b) / 2.0;

        // Move: the item of `from` nearest half the gap, from either side.
        let i = from.partition_point(|&r| seconds[r] > half);
        for k in [i.wrapping_sub(1), i] {
            if let Some(&give) = from.get(k) {
                search.consider(b, seconds[give], to, [Some(give), None], [None, None]);
            }
        }

        // Swap: for each x in `from` (descending), the y in `into` nearest
        // x − half; that target descends too, so one pointer walks `into`
        // once, and the two items around it are the candidates.
        let mut j = 0;
        for &give in from {
            let x = seconds[give];
            let target = x - half;
            while j < into.len() && seconds[into[j]] > target {
                j += 1;
            }
            for k in [j.wrapping_sub(1), j] {
                if let Some(&take) = into.get(k) {
                    let d = x - seconds[take];
                    search.consider(b, d, to, [Some(give), None], [Some(take), None]);
                }
            }
        }
    }
    work
}

/// Best exchange of one or two items of `heavy` for zero, one or two items of
/// a partner with at most [`PAIR_EXCHANGE_MAX_ITEMS`] items. Returns the work
/// done, in bundles examined.
fn pair_exchanges(
    seconds: &[f64],
    asg: &Assignment,
    heavy: usize,
    partners: impl Iterator<Item = usize>,
    search: &mut Search,
) -> usize {
    let gives = bundles(seconds, &asg.members[heavy], false);
    let mut work = PAIR_WORK_WEIGHT * gives.len();
    for to in partners {
        let b = asg.loads[to];
        if !search.can_improve_with(b) {
            break;
        }
        if asg.members[to].len() > PAIR_EXCHANGE_MAX_ITEMS {
            continue;
        }
        let takes = bundles(seconds, &asg.members[to], true);
        work += gives.len() + PAIR_WORK_WEIGHT * takes.len();
        let half = (search.a - b) / 2.0;
        // Both lists ascend by sum, so the target `give − half` ascends and
        // one pointer walks `takes` once.
        let mut j = 0;
        for &(give_sum, give) in &gives {
            let target = give_sum - half;
            while j < takes.len() && takes[j].0 < target {
                j += 1;
            }
            for k in [j.wrapping_sub(1), j] {
                if let Some(&(take_sum, take)) = takes.get(k) {
                    search.consider(b, give_sum - take_sum, to, give, take);
                }
            }
        }
    }
    work
}

/// Every subset of one or two of `ranks` (and the empty one, if asked), with
/// its sum, sorted by (sum, ranks) so the order is fully determined.
fn bundles(seconds: &[f64], ranks: &[usize], with_empty: bool) -> Vec<(f64, Bundle)> {
    let mut out = Vec::with_capacity(1 + ranks.len() * (ranks.len() + 1) / 2);
    if with_empty {
        out.push((0.0, [None, None]));
    }
    for (i, &r) in ranks.iter().enumerate() {
        out.push((seconds[r], [Some(r), None]));
        for &q in &ranks[i + 1..] {
            out.push((seconds[r] + seconds[q], [Some(r), Some(q)]));
        }
    }
    out.sort_unstable_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
    out
}

/// Moves `rank` from shard `from` to shard `to`, keeping both in rank order.
fn transfer(members: &mut [Vec<usize>], from: usize, to: usize, rank: usize) {
    let list = &mut members[from];
    let at = list.binary_search(&rank).expect("rank is in its shard");
    list.remove(at);
    let list = &mut members[to];
    let at = list
        .binary_search(&rank)
        .expect_err("rank is in one shard only");
    list.insert(at, rank);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(spec: &[(&str, f64)]) -> Vec<Item> {
        spec.iter().map(|&(id, s)| Item::new(id, s)).collect()
    }

    /// Each shard's contents as a sorted list of durations, shards sorted:
    /// compares partitions without caring about ids or shard numbering.
    fn partition(plan: &Plan, all: &[Item]) -> Vec<Vec<f64>> {
        let secs = |id: &str| all.iter().find(|it| it.id == id).unwrap().seconds;
        let mut out: Vec<Vec<f64>> = plan
            .shards
            .iter()
            .map(|s| {
                let mut v: Vec<f64> = s.items.iter().map(|id| secs(id)).collect();
                v.sort_by(|a, b| b.total_cmp(a));
                v
            })
            .collect();
        out.sort_by(|a, b| b.partial_cmp(a).unwrap());
        out
    }

    fn lpt_only(all: &[Item], shards: usize) -> Assignment {
        let p = Prepared::new(all).unwrap();
        lpt(&p.seconds, shards)
    }

    fn max(loads: &[f64]) -> f64 {
        loads.iter().copied().fold(0.0, f64::max)
    }

    /// Checks the invariants every plan must satisfy.
    fn check_plan(plan: &Plan, all: &[Item], shards: usize) {
        assert_eq!(plan.shards.len(), shards);
        let mut seen: Vec<&str> = Vec::new();
        for (i, shard) in plan.shards.iter().enumerate() {
            assert_eq!(shard.index, i + 1);
            assert!(
                shard.items.windows(2).all(|w| w[0] < w[1]),
                "items in id order"
            );
            let secs: f64 = shard
                .items
                .iter()
                .map(|id| all.iter().find(|it| &it.id == id).unwrap().seconds)
                .sum();
            assert!((secs - shard.estimated_seconds).abs() <= 1e-9 * secs.max(1.0));
            seen.extend(shard.items.iter().map(String::as_str));
        }
        seen.sort_unstable();
        let mut want: Vec<&str> = all.iter().map(|it| it.id.as_str()).collect();
        want.sort_unstable();
        assert_eq!(seen, want, "every item exactly once");
        assert!(plan.makespan_seconds() >= plan.lower_bound_seconds * (1.0 - 1e-12));
    }

    /// SplitMix64: a tiny, well-mixed PRNG so tests need no `rand`.
    pub(super) struct SplitMix64(pub u64);

    impl SplitMix64 {
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        pub fn below(&mut self, n: usize) -> usize {
            (self.next_u64() % n as u64) as usize
        }

        pub fn shuffle<T>(&mut self, v: &mut [T]) {
            for i in (1..v.len()).rev() {
                v.swap(i, self.below(i + 1));
            }
        }
    }

    /// Durations from a coarse grid, so many items tie on seconds.
    fn tied_suite(rng: &mut SplitMix64, n: usize) -> Vec<Item> {
        (0..n)
            .map(|i| {
                Item::new(
                    format!("t/{:03}.rs", (i * 7919) % 1000),
                    rng.below(40) as f64 * 0.25,
                )
            })
            .collect()
    }

    #[test]
    fn lpt_on_grahams_instance_then_improved_to_optimal() {
        // Graham's tight example for 3 machines: LPT gives 11, optimum is 9.
        let all = items(&[
            ("a", 5.0),
            ("b", 5.0),
            ("c", 4.0),
            ("d", 4.0),
            ("e", 3.0),
            ("f", 3.0),
            ("g", 3.0),
        ]);
        // By hand: a→1, b→2, c→3, d→3 (4 < 5), e→1, f→2 (8,8,8 after), g→1.
        let lpt = lpt_only(&all, 3);
        assert_eq!(lpt.members, vec![vec![0, 4, 6], vec![1, 5], vec![2, 3]]);
        assert_eq!(lpt.loads, vec![11.0, 8.0, 8.0]);

        let plan = split(&all, 3).unwrap();
        check_plan(&plan, &all, 3);
        assert_eq!(plan.makespan_seconds(), 9.0);
        assert_eq!(
            partition(&plan, &all),
            vec![vec![5.0, 4.0], vec![5.0, 4.0], vec![3.0, 3.0, 3.0]]
        );
        assert_eq!(plan.lower_bound_seconds, 9.0); // 27 / 3
    }

    #[test]
    fn improvement_pass_fixes_3_3_2_2_2() {
        let all = items(&[("a", 3.0), ("b", 3.0), ("c", 2.0), ("d", 2.0), ("e", 2.0)]);
        // LPT: a→1, b→2, c→1 (tie → lowest index), d→2, e→1: {3,2,2} | {3,2}.
        let lpt = lpt_only(&all, 2);
        assert_eq!(lpt.loads, vec![7.0, 5.0]);

        let plan = split(&all, 2).unwrap();
        check_plan(&plan, &all, 2);
        assert_eq!(plan.makespan_seconds(), 6.0);
        assert_eq!(plan.shards[0].estimated_seconds, 6.0);
        assert_eq!(plan.shards[1].estimated_seconds, 6.0);
        assert_eq!(
            partition(&plan, &all),
            vec![vec![3.0, 3.0], vec![2.0, 2.0, 2.0]]
        );
    }

    #[test]
    fn improvement_takes_one_swap_on_3_3_2_2_2() {
        let all = items(&[("a", 3.0), ("b", 3.0), ("c", 2.0), ("d", 2.0), ("e", 2.0)]);
        let suite = Prepared::new(&all).unwrap();
        let mut asg = lpt(&suite.seconds, 2);
        assert_eq!(
            improve(&suite.seconds, &mut asg, suite.sharper_lower_bound(2)),
            1
        );
        // A 3 of shard 1 swapped for a 2 of shard 2: ranks 0=a 1=b 2=c 3=d 4=e.
        assert_eq!(asg.members, vec![vec![2, 3, 4], vec![0, 1]]);
    }

    #[test]
    fn improvement_uses_pair_exchanges_when_single_ones_fail() {
        // LPT: {10,3,2,2} = 17 | {6,6,3} = 15. A gain needs a net 1 s, and no
        // single move (< 2 s) or swap (difference 1) exists; the pair tier
        // trades 2+2 for 3: {10,3,3} = 16 | {6,6,2,2} = 16, the optimum.
        let all = items(&[
            ("a", 10.0),
            ("b", 6.0),
            ("c", 6.0),
            ("d", 3.0),
            ("e", 3.0),
            ("f", 2.0),
            ("g", 2.0),
        ]);
        assert_eq!(max(&lpt_only(&all, 2).loads), 17.0);
        let plan = split(&all, 2).unwrap();
        assert_eq!(plan.makespan_seconds(), 16.0);
        check_plan(&plan, &all, 2);
    }

    #[test]
    fn lpt_is_already_optimal_on_a_classic_instance() {
        // 7,6,5,4,3,2 on 3 shards: LPT pairs longest with shortest → 9,9,9.
        let all = items(&[
            ("a", 7.0),
            ("b", 6.0),
            ("c", 5.0),
            ("d", 4.0),
            ("e", 3.0),
            ("f", 2.0),
        ]);
        let lpt = lpt_only(&all, 3);
        assert_eq!(lpt.loads, vec![9.0, 9.0, 9.0]);
        let plan = split(&all, 3).unwrap();
        assert_eq!(plan.shards[0].items, vec!["a", "f"]);
        assert_eq!(plan.shards[1].items, vec!["b", "e"]);
        assert_eq!(plan.shards[2].items, vec!["c", "d"]);
    }

    #[test]
    fn lower_bound_is_max_of_mean_and_longest() {
        let longest = items(&[("a", 10.0), ("b", 1.0), ("c", 1.0)]);
        let plan = split(&longest, 2).unwrap();
        assert_eq!(plan.lower_bound_seconds, 10.0);
        assert_eq!(plan.makespan_seconds(), 10.0);

        let mean = items(&[("a", 3.0), ("b", 3.0), ("c", 3.0), ("d", 3.0)]);
        let plan = split(&mean, 3).unwrap();
        assert_eq!(plan.lower_bound_seconds, 4.0); // 12/3 > 3
        assert_eq!(plan.makespan_seconds(), 6.0); // 4 items on 3 shards

        assert_eq!(split(&[], 4).unwrap().lower_bound_seconds, 0.0);
    }

    #[test]
    fn fewer_items_than_shards_gives_exactly_n_shards_some_empty() {
        let all = items(&[("b", 2.0), ("a", 1.0)]);
        let plan = split(&all, 5).unwrap();
        check_plan(&plan, &all, 5);
        assert_eq!(plan.shards[0].items, vec!["b"]);
        assert_eq!(plan.shards[1].items, vec!["a"]);
        for shard in &plan.shards[2..] {
            assert!(shard.items.is_empty());
            assert_eq!(shard.estimated_seconds, 0.0);
            assert!(shard.estimated_seconds.is_sign_positive());
        }

        let plan = split(&[], 3).unwrap();
        assert_eq!(plan.shards.len(), 3);
        assert!(plan.shards.iter().all(|s| s.items.is_empty()));
        // An empty sum prints as 0.0, not -0.0.
        assert!(!serde_json::to_string(&plan).unwrap().contains("-0"));
    }

    #[test]
    fn plan_json_shape() {
        let all = items(&[("x.rs", 1.5), ("y.rs", 1.0), ("w.rs", 0.5)]);
        let plan = split(&all, 2).unwrap();
        let json = serde_json::to_string(&plan).unwrap();
        assert_eq!(
            json,
            r#"{"shards":[{"index":1,"items":["x.rs"],"estimated_seconds":1.5},{"index":2,"items":["w.rs","y.rs"],"estimated_seconds":1.5}],"lower_bound_seconds":1.5}"#
        );
        assert_eq!(serde_json::from_str::<Plan>(&json).unwrap(), plan);
    }

    #[test]
    fn same_plan_for_any_input_order() {
        let mut rng = SplitMix64(7);
        let mut all = tied_suite(&mut rng, 300);
        all.sort_by(|a, b| a.id.cmp(&b.id));
        all.dedup_by(|a, b| a.id == b.id);
        for shards in [1, 2, 7, 16, 64, 256] {
            let reference = split(&all, shards).unwrap();
            check_plan(&reference, &all, shards);
            let json = serde_json::to_string(&reference).unwrap();
            let mut shuffled = all.clone();
            for _ in 0..5 {
                rng.shuffle(&mut shuffled);
                let plan = split(&shuffled, shards).unwrap();
                assert_eq!(plan, reference);
                assert_eq!(serde_json::to_string(&plan).unwrap(), json);
            }
            let mut reversed = all.clone();
            reversed.reverse();
            assert_eq!(split(&reversed, shards).unwrap(), reference);
        }
    }

    #[test]
    fn negative_zero_is_zero() {
        let a = items(&[("a", -0.0), ("b", 1.0)]);
        let b = items(&[("a", 0.0), ("b", 1.0)]);
        assert_eq!(split(&a, 2).unwrap(), split(&b, 2).unwrap());
        assert!(
            !serde_json::to_string(&split(&a, 1).unwrap())
                .unwrap()
                .contains("-0")
        );
    }

    #[test]
    fn shard_count_errors() {
        assert!(matches!(split(&[], 0), Err(SplitError::ZeroShards)));
        assert!(matches!(
            split(&[], 257),
            Err(SplitError::TooManyShards { requested: 257 })
        ));
        assert!(split(&[], 256).is_ok());
        assert!(
            split(&[], 0)
                .unwrap_err()
                .to_string()
                .contains("at least 1")
        );
        assert!(
            split(&[], 300)
                .unwrap_err()
                .to_string()
                .contains("at most 256")
        );
    }

    #[test]
    fn duration_errors_name_the_smallest_bad_id_whatever_the_order() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, -1e-300] {
            let mut all = items(&[("ok", 1.0), ("zz", bad), ("mm", bad), ("aa", 2.0)]);
            for _ in 0..2 {
                match split(&all, 2) {
                    Err(SplitError::InvalidSeconds { id, seconds }) => {
                        assert_eq!(id, "mm");
                        assert_eq!(seconds.to_bits(), bad.to_bits());
                    }
                    other => panic!("expected InvalidSeconds, got {other:?}"),
                }
                all.reverse();
            }
        }
        let err = split(&items(&[("a", f64::NAN)]), 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "item `a`: expected duration NaN is not a finite, non-negative number of seconds"
        );
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let mut all = items(&[("b", 1.0), ("c", 1.0), ("b", 2.0), ("c", 3.0), ("a", 1.0)]);
        for _ in 0..2 {
            match split(&all, 2) {
                Err(SplitError::DuplicateId { id }) => assert_eq!(id, "b"),
                other => panic!("expected DuplicateId, got {other:?}"),
            }
            all.reverse();
        }
        // Shard count is checked first, then durations, then ids.
        assert!(matches!(split(&all, 0), Err(SplitError::ZeroShards)));
        all.push(Item::new("z", f64::NAN));
        assert!(matches!(
            split(&all, 2),
            Err(SplitError::InvalidSeconds { .. })
        ));
    }

    #[test]
    fn improvement_never_worse_than_lpt_and_respects_invariants() {
        let mut rng = SplitMix64(42);
        for round in 0..200 {
            let n = 1 + rng.below(40);
            let all: Vec<Item> = (0..n)
                .map(|i| Item::new(format!("i{i:02}"), (1 + rng.below(20)) as f64))
                .collect();
            let shards = 1 + round % 6;
            let plan = split(&all, shards).unwrap();
            check_plan(&plan, &all, shards);
            let lpt = lpt_only(&all, shards);
            assert!(plan.makespan_seconds() <= max(&lpt.loads));
        }
    }

    #[test]
    fn improvement_reaches_the_optimum_on_small_instances() {
        // Brute force the optimum for tiny instances; the pass is a heuristic,
        // so count how often it misses rather than demand it never does, but
        // the two textbook failures of LPT must be fixed (tests above).
        fn optimum(secs: &[f64], shards: usize) -> f64 {
            fn go(secs: &[f64], loads: &mut [f64], best: &mut f64) {
                let Some((&x, rest)) = secs.split_first() else {
                    *best = best.min(max(loads));
                    return;
                };
                for s in 0..loads.len() {
                    if loads[s] + x < *best {
                        loads[s] += x;
                        go(rest, loads, best);
                        loads[s] -= x;
                    }
                    if loads[s] == 0.0 {
                        break; // empty shards are interchangeable
                    }
                }
            }
            let mut best = f64::INFINITY;
            go(secs, &mut vec![0.0; shards], &mut best);
            best
        }
        let mut rng = SplitMix64(3);
        let (mut lpt_misses, mut misses, trials) = (0, 0, 300);
        for round in 0..trials {
            let n = 4 + rng.below(7);
            let shards = 2 + round % 3;
            let all: Vec<Item> = (0..n)
                .map(|i| Item::new(format!("i{i}"), (1 + rng.below(12)) as f64))
                .collect();
            let mut secs: Vec<f64> = all.iter().map(|it| it.seconds).collect();
            secs.sort_by(|a, b| b.total_cmp(a));
            let opt = optimum(&secs, shards);
            let got = split(&all, shards).unwrap().makespan_seconds();
            assert!(got >= opt);
            misses += usize::from(got > opt);
            lpt_misses += usize::from(max(&lpt_only(&all, shards).loads) > opt);
        }
        eprintln!("suboptimal: LPT {lpt_misses}/{trials}, pitcrew {misses}/{trials}");
        // At the time of writing: LPT 57/300, pitcrew 9/300. The misses left
        // need three shards to move at once (e.g. 12,12,8,7,6,4,3 on 4).
        assert!(
            misses * 5 <= lpt_misses,
            "the pass should fix most LPT misses"
        );
    }

    #[test]
    fn lpt_phase_matches_pytest_split_least_duration() {
        let mut rng = SplitMix64(11);
        for _ in 0..50 {
            let mut all = tied_suite(&mut rng, 120);
            all.sort_by(|a, b| a.id.cmp(&b.id));
            all.dedup_by(|a, b| a.id == b.id);
            rng.shuffle(&mut all);
            for shards in [2, 5, 13] {
                let ours = lpt_only(&all, shards).loads;
                let theirs = super::comparison::pytest_split_least_duration(&all, shards);
                let theirs: Vec<f64> = theirs
                    .iter()
                    .map(|g| g.iter().map(|&i| all[i].seconds).sum())
                    .collect();
                assert_eq!(ours, theirs);
            }
        }
    }

    // ---- auto ----

    /// What `auto` must return, by trying every N without any pruning.
    fn brute_force_auto(
        all: &[Item],
        target_min: f64,
        overhead: f64,
        max_n: usize,
    ) -> (usize, u64, f64, bool) {
        let mut rows = Vec::new();
        for n in 1..=max_n.min(MAX_SHARDS) {
            let plan = split(all, n).unwrap();
            let billed: u64 = plan
                .shards
                .iter()
                .map(|s| ((s.estimated_seconds + overhead) / 60.0).ceil() as u64)
                .sum();
            let wall = plan.makespan_seconds() + overhead;
            rows.push((n, billed, wall));
        }
        let feasible = rows
            .iter()
            .filter(|r| r.2 <= target_min * 60.0)
            .min_by_key(|r| (r.1, r.0));
        match feasible {
            Some(&(n, b, w)) => (n, b, w, true),
            None => {
                let &(n, b, w) = rows
                    .iter()
                    .min_by(|x, y| x.2.total_cmp(&y.2).then(x.0.cmp(&y.0)))
                    .unwrap();
                (n, b, w, false)
            }
        }
    }

    fn summary(c: &AutoChoice) -> (usize, u64, f64, bool) {
        (
            c.shards,
            c.billed_minutes,
            c.predicted_wall_seconds,
            c.target_met,
        )
    }

    #[test]
    fn auto_per_job_minute_rounding_changes_the_choice() {
        // Overhead 10 s, target 90 s. N=1: 110+10=120 s, too slow.
        // N=2: {50+5, 50+5}+10 = 65, 65 s → 2+2 = 4 billed minutes (130 s).
        // N=3: {50, 50, 5+5}+10 = 60, 60, 20 s → 1+1+1 = 3 minutes (140 s).
        // N=4: 60, 60, 15, 15 s → 4 minutes.
        // Billing by seconds would pick N=2 (130 s < 140 s); whole minutes per
        // job make N=3 cheaper.
        let all = items(&[("a", 50.0), ("b", 50.0), ("c", 5.0), ("d", 5.0)]);
        let choice = auto(&all, 1.5, 10.0, 8).unwrap();
        assert_eq!(summary(&choice), (3, 3, 60.0, true));
        assert_eq!(choice.plan, split(&all, 3).unwrap());
        assert_eq!(summary(&choice), brute_force_auto(&all, 1.5, 10.0, 8));
    }

    #[test]
    fn auto_ties_go_to_fewer_shards() {
        // N=1: 110 s → 2 minutes. N=2: 55 + 55 s → 1 + 1 = 2 minutes. Tie.
        let all = items(&[("a", 55.0), ("b", 55.0)]);
        let choice = auto(&all, 10.0, 0.0, 4).unwrap();
        assert_eq!(summary(&choice), (1, 2, 110.0, true));
        // Unbounded target: the cheapest, however slow.
        assert_eq!(auto(&all, f64::INFINITY, 0.0, 4).unwrap().shards, 1);
    }

    #[test]
    fn auto_target_not_met_picks_the_fastest() {
        // Target 60 s is out of reach (each item is 100 s). N=2 and N=3 both
        // take 105 s; N=3 pays for an idle job too, and ties go to fewer.
        let all = items(&[("a", 100.0), ("b", 100.0)]);
        let choice = auto(&all, 1.0, 5.0, 3).unwrap();
        assert_eq!(summary(&choice), (2, 4, 105.0, false));
        assert_eq!(summary(&choice), brute_force_auto(&all, 1.0, 5.0, 3));
        assert_eq!(choice.plan, split(&all, 2).unwrap());
    }

    #[test]
    fn auto_empty_shard_costs_its_overhead() {
        // 1 item, max 3 shards, target unreachable: every N takes 70 s, so
        // N=1; at N=3 the two idle jobs would still be billed a minute each.
        let all = items(&[("a", 40.0)]);
        let choice = auto(&all, 0.5, 30.0, 3).unwrap();
        assert_eq!(summary(&choice), (1, 2, 70.0, false));
        assert_eq!(
            summary(&auto(&[], 1.0, 30.0, 5).unwrap()),
            (1, 1, 30.0, true)
        );
    }

    #[test]
    fn auto_matches_brute_force_on_random_suites() {
        let mut rng = SplitMix64(99);
        for round in 0..60 {
            let n = rng.below(120);
            let all: Vec<Item> = (0..n)
                .map(|i| {
                    // Mostly short, a few long: a crude heavy tail.
                    let s = if rng.below(10) == 0 {
                        60 + rng.below(600)
                    } else {
                        rng.below(90)
                    };
                    Item::new(
                        format!("suite/{i:03}"),
                        s as f64 + rng.below(4) as f64 * 0.25,
                    )
                })
                .collect();
            let overhead = [0.0, 15.0, 45.0, 90.0][round % 4];
            let target = [0.5, 2.0, 5.0, 12.0, 60.0, f64::INFINITY][round % 6];
            let max_n = [1, 4, 16, 40][round % 4];
            let choice = auto(&all, target, overhead, max_n).unwrap();
            let expected = brute_force_auto(&all, target, overhead, max_n);
            assert_eq!(summary(&choice), expected, "round {round}");
            assert_eq!(choice.plan, split(&all, choice.shards).unwrap());
        }
    }

    #[test]
    fn auto_prunes_shard_counts_by_lower_bounds() {
        // 400 items of 30 s = 12,000 s; target 10 min, overhead 60 s. Every
        // N below 22 has a wall bound over 600 s and is never evaluated; the
        // billed bound grows by a minute per shard, so the scan upwards stops
        // soon after the first feasible N.
        let all: Vec<Item> = (0..400)
            .map(|i| Item::new(format!("{i:03}"), 30.0))
            .collect();
        let suite = Prepared::new(&all).unwrap();
        let (choice, evaluated) = choose(&suite, 10.0, 60.0, 256);
        assert_eq!(summary(&choice), brute_force_auto(&all, 10.0, 60.0, 256));
        assert!(choice.target_met);
        assert!(evaluated <= 5, "evaluated {evaluated} shard counts");
        // Unreachable target: best wall bound first. For N in 200..=256 the
        // pair bound (two 30 s items on one shard) equals the wall that N=200
        // achieves, so the larger N lose the tie unevaluated.
        let (choice, evaluated) = choose(&suite, 0.1, 60.0, 256);
        assert_eq!(summary(&choice), brute_force_auto(&all, 0.1, 60.0, 256));
        assert_eq!(evaluated, 1);
    }

    #[test]
    fn auto_errors_and_clamping() {
        let all = items(&[("a", 1.0)]);
        assert!(matches!(
            auto(&all, 1.0, 0.0, 0),
            Err(SplitError::ZeroShards)
        ));
        assert!(matches!(
            auto(&all, f64::NAN, 0.0, 4),
            Err(SplitError::InvalidParameter {
                name: "target_minutes",
                ..
            })
        ));
        assert!(matches!(
            auto(&all, -1.0, 0.0, 4),
            Err(SplitError::InvalidParameter {
                name: "target_minutes",
                ..
            })
        ));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                auto(&all, 1.0, bad, 4),
                Err(SplitError::InvalidParameter {
                    name: "shard_overhead_s",
                    ..
                })
            ));
        }
        assert!(matches!(
            auto(&items(&[("a", -2.0)]), 1.0, 0.0, 4),
            Err(SplitError::InvalidSeconds { .. })
        ));
        // Above 256 is a limit, not an error: clamped.
        let many: Vec<Item> = (0..512)
            .map(|i| Item::new(format!("{i:03}"), 60.0))
            .collect();
        let choice = auto(&many, 1.0, 0.0, 10_000).unwrap();
        assert_eq!(choice.shards, 256);
        assert!(!choice.target_met);
    }
}

/// Baselines and the comparison/timing harness. Run with
/// `cargo test --release -- --ignored --nocapture`.
#[cfg(test)]
mod comparison {
    use std::cmp::{Ordering, Reverse};
    use std::collections::BinaryHeap;
    use std::time::{Duration, Instant};

    use super::tests::SplitMix64;
    use super::*;
    use crate::hash::hex;

    /// A faithful re-implementation of pytest-split's `least_duration`
    /// (`src/pytest_split/algorithms.py`): `sorted()` by nodeid, then a stable
    /// `sorted(reverse=True)` by duration (equal durations keep id order,
    /// Python strings compare by code point = Rust's UTF-8 byte order), then
    /// `heapq` of `(summed_duration, group_index)` tuples: pop the least,
    /// add, push back. Returns the input indices per group, in original order
    /// (as pytest-split lists a group). Its `durations` lookup and
    /// average-fill for unknown tests is the caller's job here.
    pub(super) fn pytest_split_least_duration(items: &[Item], splits: usize) -> Vec<Vec<usize>> {
        /// Python's `(summed_durations, group_idx)` tuple: float first,
        /// then index (sums are finite here, so `total_cmp` agrees with `<`).
        #[derive(PartialEq)]
        struct Entry(f64, usize);
        impl Eq for Entry {}
        impl Ord for Entry {
            fn cmp(&self, other: &Self) -> Ordering {
                self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
            }
        }
        impl PartialOrd for Entry {
            fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
                Some(self.cmp(other))
            }
        }
        let mut indexed: Vec<usize> = (0..items.len()).collect();
        indexed.sort_by(|&a, &b| items[a].id.cmp(&items[b].id));
        indexed.sort_by(|&a, &b| items[b].seconds.partial_cmp(&items[a].seconds).unwrap());
        let mut selected = vec![Vec::new(); splits];
        let mut heap: BinaryHeap<Reverse<Entry>> =
            (0..splits).map(|i| Reverse(Entry(0.0, i))).collect();
        for i in indexed {
            let Reverse(Entry(summed, group)) = heap.pop().unwrap();
            selected[group].push(i);
            heap.push(Reverse(Entry(summed + items[i].seconds, group)));
        }
        for group in &mut selected {
            group.sort_unstable();
        }
        selected
    }

    /// jest's and vitest's default `--shard=i/N`: sort files by the SHA-1 hex
    /// of their (root-relative) path, cut into slices of `ceil(n / N)` files.
    /// Durations are ignored by design; the trailing slices can come out short
    /// or empty.
    fn sha1_slices(items: &[Item], shards: usize) -> Vec<Vec<usize>> {
        let mut hashed: Vec<([u8; 20], usize)> = items
            .iter()
            .enumerate()
            .map(|(i, it)| (sha1(it.id.as_bytes()), i))
            .collect();
        hashed.sort_unstable();
        let size = items.len().div_ceil(shards);
        (0..shards)
            .map(|k| {
                let lo = (k * size).min(items.len());
                let hi = ((k + 1) * size).min(items.len());
                hashed[lo..hi].iter().map(|&(_, i)| i).collect()
            })
            .collect()
    }

    /// Item `i` of the path-sorted list goes to shard `i mod N`.
    fn round_robin(items: &[Item], shards: usize) -> Vec<Vec<usize>> {
        let mut sorted: Vec<usize> = (0..items.len()).collect();
        sorted.sort_by(|&a, &b| items[a].id.cmp(&items[b].id));
        let mut out = vec![Vec::new(); shards];
        for (k, i) in sorted.into_iter().enumerate() {
            out[k % shards].push(i);
        }
        out
    }

    fn makespan(items: &[Item], groups: &[Vec<usize>]) -> f64 {
        groups
            .iter()
            .map(|g| g.iter().map(|&i| items[i].seconds).sum::<f64>())
            .fold(0.0, f64::max)
    }

    /// SHA-1 (FIPS 180-4), written out here rather than pulling in the `sha1`
    /// crate for one test baseline; checked against the standard vectors.
    fn sha1(message: &[u8]) -> [u8; 20] {
        let mut h: [u32; 5] = [
            0x6745_2301,
            0xEFCD_AB89,
            0x98BA_DCFE,
            0x1032_5476,
            0xC3D2_E1F0,
        ];
        let mut data = message.to_vec();
        data.push(0x80);
        while data.len() % 64 != 56 {
            data.push(0);
        }
        data.extend_from_slice(&((message.len() as u64) * 8).to_be_bytes());
        for block in data.chunks_exact(64) {
            let mut w = [0u32; 80];
            for (t, word) in block.chunks_exact(4).enumerate() {
                w[t] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
            }
            for t in 16..80 {
                w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
            }
            let [mut a, mut b, mut c, mut d, mut e] = h;
            for (t, &wt) in w.iter().enumerate() {
                let (f, k) = match t {
                    0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                    20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                    40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                    _ => (b ^ c ^ d, 0xCA62_C1D6),
                };
                let temp = a
                    .rotate_left(5)
                    .wrapping_add(f)
                    .wrapping_add(e)
                    .wrapping_add(k)
                    .wrapping_add(wt);
                e = d;
                d = c;
                c = b.rotate_left(30);
                b = a;
                a = temp;
            }
            for (hi, v) in h.iter_mut().zip([a, b, c, d, e]) {
                *hi = hi.wrapping_add(v);
            }
        }
        let mut out = [0u8; 20];
        for (chunk, v) in out.chunks_exact_mut(4).zip(h) {
            chunk.copy_from_slice(&v.to_be_bytes());
        }
        out
    }

    #[test]
    fn sha1_matches_standard_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    /// Log-normal test durations (median `median` s, shape `sigma`) via
    /// Box–Muller, with path-like ids. `ln`/`cos` come from the platform's
    /// libm, so the data may differ in the last bits across machines; the
    /// planner's determinism does not depend on it.
    pub(super) fn lognormal_suite(seed: u64, n: usize, median: f64, sigma: f64) -> Vec<Item> {
        let mut rng = SplitMix64(seed);
        let mut unit = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
        (0..n)
            .map(|i| {
                let z = (-2.0 * unit().ln()).sqrt() * (std::f64::consts::TAU * unit()).cos();
                Item::new(
                    format!("tests/pkg_{:03}/test_{:06}.py", i / 40, i),
                    median * (sigma * z).exp(),
                )
            })
            .collect()
    }

    #[test]
    #[ignore = "comparison harness: run in release with --ignored --nocapture"]
    fn compare_with_other_splitters() {
        const N_ITEMS: usize = 2_000;
        const SEEDS: u64 = 10;
        println!("{N_ITEMS} log-normal items (median 2 s), {SEEDS} seeds per row.");
        println!(
            "makespan / lower bound: mean over seeds (worst); LB=max: seeds whose bound is the longest item"
        );
        println!(
            "| sigma | shards | items/shard | LB=max | pitcrew | pytest-split least_duration | jest/vitest sha1 slices | round-robin |"
        );
        println!("|---|---|---|---|---|---|---|---|");
        let mut worst_pitcrew = 0.0f64;
        for sigma in [0.5, 1.0, 1.5, 2.0] {
            for shards in [8, 32, 128] {
                let mut sums = [0.0f64; 4];
                let mut worst = [0.0f64; 4];
                let mut longest_bound = 0;
                for seed in 1..=SEEDS {
                    let items = lognormal_suite(seed * 1000 + shards as u64, N_ITEMS, 2.0, sigma);
                    let plan = split(&items, shards).unwrap();
                    let lb = plan.lower_bound_seconds;
                    let longest = items.iter().map(|it| it.seconds).fold(0.0, f64::max);
                    longest_bound += usize::from(lb == longest);
                    let ratios = [
                        plan.makespan_seconds() / lb,
                        makespan(&items, &pytest_split_least_duration(&items, shards)) / lb,
                        makespan(&items, &sha1_slices(&items, shards)) / lb,
                        makespan(&items, &round_robin(&items, shards)) / lb,
                    ];
                    for k in 0..4 {
                        sums[k] += ratios[k];
                        worst[k] = worst[k].max(ratios[k]);
                        assert!(
                            ratios[0] <= ratios[k] + 1e-12,
                            "pitcrew worse than baseline {k}"
                        );
                    }
                    worst_pitcrew = worst_pitcrew.max(ratios[0]);
                }
                let cells: Vec<String> = (0..4)
                    .map(|k| {
                        let digits = if k < 2 { 6 } else { 3 };
                        format!(
                            "{:.digits$} ({:.digits$})",
                            sums[k] / SEEDS as f64,
                            worst[k]
                        )
                    })
                    .collect();
                println!(
                    "| {sigma} | {shards} | {:.1} | {longest_bound}/{SEEDS} | {} |",
                    N_ITEMS as f64 / shards as f64,
                    cells.join(" | ")
                );
            }
        }
        assert!(worst_pitcrew <= 1.02, "worst pitcrew ratio {worst_pitcrew}");
    }

    fn median_time(runs: usize, mut f: impl FnMut()) -> (Duration, Duration) {
        let mut times: Vec<Duration> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect();
        times.sort();
        (times[0], times[runs / 2])
    }

    #[test]
    #[ignore = "timing harness: run in release with --ignored --nocapture"]
    fn timing_100k() {
        let items = lognormal_suite(2024, 100_000, 2.0, 1.5);
        let total: f64 = items.iter().map(|it| it.seconds).sum();
        println!(
            "100,000 items, total {:.0} s ({:.1} h)",
            total,
            total / 3600.0
        );
        for shards in [1, 8, 64, 256] {
            let mut plan = None;
            let (min, med) = median_time(7, || plan = Some(split(&items, shards).unwrap()));
            let plan = plan.unwrap();
            let suite = Prepared::new(&items).unwrap();
            let lpt_ms = max_load(&lpt(&suite.seconds, shards).loads);
            println!(
                "split N={shards:>3}: min {:>6.1} ms, median {:>6.1} ms; makespan/LB {:.6} (LPT alone {:.6})",
                min.as_secs_f64() * 1e3,
                med.as_secs_f64() * 1e3,
                plan.makespan_seconds() / plan.lower_bound_seconds,
                lpt_ms / plan.lower_bound_seconds,
            );
            assert!(med < Duration::from_millis(200));
        }

        // auto: the pruned search against the naive one (256 full splits).
        for (target_min, overhead) in [
            (60.0, 30.0),
            (600.0, 30.0),
            (1.0, 30.0),
            (f64::INFINITY, 30.0),
        ] {
            let mut choice = None;
            let (_, fast) = median_time(3, || {
                choice = Some(auto(&items, target_min, overhead, 256).unwrap())
            });
            let choice = choice.unwrap();
            let (_, evaluated) = choose(&Prepared::new(&items).unwrap(), target_min, overhead, 256);
            let t = Instant::now();
            let naive = naive_auto(&items, target_min, overhead);
            let slow = t.elapsed();
            assert_eq!(
                (choice.shards, choice.billed_minutes, choice.target_met),
                (naive.0, naive.1, naive.2)
            );
            println!(
                "auto target {target_min} min, overhead {overhead} s: N={} billed {} min wall {:.0} s met {} — {:.1} ms, {evaluated} N evaluated (naive 256 splits: {:.1} ms)",
                choice.shards,
                choice.billed_minutes,
                choice.predicted_wall_seconds,
                choice.target_met,
                fast.as_secs_f64() * 1e3,
                slow.as_secs_f64() * 1e3,
            );
        }
    }

    #[test]
    #[ignore = "timing harness: run in release with --ignored --nocapture"]
    fn phase_breakdown_100k() {
        fn best_of<T>(f: impl Fn() -> T) -> (f64, T) {
            let mut best = f64::INFINITY;
            let mut out = None;
            for _ in 0..9 {
                let t = Instant::now();
                let v = f();
                best = best.min(t.elapsed().as_secs_f64() * 1e3);
                out = Some(v);
            }
            (best, out.expect("ran at least once"))
        }
        let items = lognormal_suite(2024, 100_000, 2.0, 1.5);
        let (t, suite) = best_of(|| Prepared::new(&items).unwrap());
        println!("100,000 items, best of 9: validate + sort {t:.1} ms");
        for n in [8, 64, 180, 256] {
            let (t_lpt, lpt_asg) = best_of(|| lpt(&suite.seconds, n));
            let (t_improve, (steps, asg)) = best_of(|| {
                let mut asg = lpt_asg.clone();
                (
                    improve(&suite.seconds, &mut asg, suite.sharper_lower_bound(n)),
                    asg,
                )
            });
            let (t_plan, _) = best_of(|| suite.plan(&asg));
            let bound = suite.lower_bound(n);
            println!(
                "N={n:>3}: LPT {t_lpt:.2} ms, improve {t_improve:.2} ms ({steps} steps), build plan {t_plan:.2} ms; \
                 makespan − bound: LPT {:.4} s, improved {:.4} s",
                max_load(&lpt_asg.loads) - bound,
                max_load(&asg.loads) - bound,
            );
        }
    }

    fn max_load(loads: &[f64]) -> f64 {
        loads.iter().copied().fold(0.0, f64::max)
    }

    fn naive_auto(items: &[Item], target_min: f64, overhead: f64) -> (usize, u64, bool) {
        let rows: Vec<(usize, u64, f64)> = (1..=MAX_SHARDS)
            .map(|n| {
                let plan = split(items, n).unwrap();
                let billed = plan
                    .shards
                    .iter()
                    .map(|s| ((s.estimated_seconds + overhead) / 60.0).ceil() as u64)
                    .sum();
                (n, billed, plan.makespan_seconds() + overhead)
            })
            .collect();
        match rows
            .iter()
            .filter(|r| r.2 <= target_min * 60.0)
            .min_by_key(|r| (r.1, r.0))
        {
            Some(&(n, b, _)) => (n, b, true),
            None => {
                let r = rows
                    .iter()
                    .min_by(|x, y| x.2.total_cmp(&y.2).then(x.0.cmp(&y.0)))
                    .unwrap();
                (r.0, r.1, false)
            }
        }
    }
}

#[cfg(test)]
mod worthwhile_tests {
    use super::*;

    fn machine(jobs: usize, cores: f64, waiting: f64, startup: f64) -> Machine {
        Machine {
            jobs,
            cores,
            busy: 1.0,
            waiting,
            startup,
        }
    }

    #[test]
    fn a_shard_is_added_only_when_it_saves_more_than_a_start_up() {
        let free = |startup| machine(4, 4.0, 0.0, startup);
        let short: Vec<Item> = (0..8).map(|i| Item::new(format!("f{i}"), 0.1)).collect();
        assert_eq!(
            worthwhile(&short, &free(0.5)).unwrap(),
            1,
            "0.8 s of tests: one shard"
        );
        assert_eq!(
            worthwhile(&short, &free(0.0)).unwrap(),
            4,
            "free start-ups: all"
        );
        let long: Vec<Item> = (0..8).map(|i| Item::new(format!("f{i}"), 10.0)).collect();
        assert_eq!(worthwhile(&long, &free(0.5)).unwrap(), 4);
        // 3 shards save nothing over 2 with 4 equal files.
        let four: Vec<Item> = (0..4).map(|i| Item::new(format!("f{i}"), 10.0)).collect();
        assert_eq!(worthwhile(&four, &machine(3, 3.0, 0.0, 0.5)).unwrap(), 2);
        assert_eq!(worthwhile(&[], &free(0.5)).unwrap(), 1);
    }

    #[test]
    fn shards_that_would_share_too_few_cores_are_not_added() {
        // 80 s of CPU-bound files, 2 jobs, a 1 s start-up.
        let long: Vec<Item> = (0..8).map(|i| Item::new(format!("f{i}"), 10.0)).collect();
        // Two quiet cores: each shard has one.
        let quiet = machine(2, 2.0, 0.0, 1.0);
        assert_eq!(quiet.slowdown(2), 1.0);
        assert_eq!(worthwhile(&long, &quiet).unwrap(), 2);
        // One core allowed (a container's quota, an affinity mask): two
        // shards each get half of it, 2 × (40 + 1) s against 81 s.
        let one = machine(2, 1.0, 0.0, 1.0);
        assert_eq!(one.slowdown(2), 2.0);
        assert_eq!(worthwhile(&long, &one).unwrap(), 1);
        // One of two cores busy with other work: 4/3 × 41 s = 54.7 s
        // against 81 s, still worth it.
        let half = machine(2, 2.0, 1.0, 1.0);
        assert!((half.slowdown(2) - 1.5).abs() < 1e-12);
        assert_eq!(worthwhile(&long, &half).unwrap(), 2);
        // Tests that mostly wait (a fifth of the time on a core) share one
        // core well.
        let waiting = Machine { busy: 0.2, ..one };
        assert_eq!(waiting.slowdown(2), 1.0);
        assert_eq!(worthwhile(&long, &waiting).unwrap(), 2);
        // Two cores crowded by 14 other processes: one shard gets 2/15 of a
        // core, two get 2/16 each, nearly twice the turns in all.
        let crowded = machine(2, 2.0, 14.0, 1.0);
        assert!((crowded.slowdown(1) - 7.5).abs() < 1e-12);
        assert_eq!(worthwhile(&long, &crowded).unwrap(), 2);
        // But a shard that pays only by taking turns from the other work,
        // not on the quiet machine (python-dateutil: about 4.6 s of tests,
        // a 2.4 s pytest start-up), is not added: what the other work does
        // during the run is a guess.
        let dateutil: Vec<Item> = (0..2).map(|i| Item::new(format!("f{i}"), 2.3)).collect();
        let busy = machine(2, 2.0, 10.8, 2.4);
        assert!(
            busy.wall(2.3, 2) + 2.4 < busy.wall(4.6, 1),
            "pays when crowded"
        );
        assert_eq!(worthwhile(&dateutil, &busy).unwrap(), 1);
        // Nonsense measurements fall back to a quiet machine and CPU-bound
        // shards.
        let odd = Machine {
            jobs: 2,
            cores: f64::NAN,
            busy: -1.0,
            waiting: f64::INFINITY,
            startup: f64::INFINITY,
        };
        assert_eq!(odd.slowdown(1), 1.0);
        assert_eq!(odd.wall(10.0, 1), 10.0);
    }
}
