//! Work spread over the cores, for triage's per-failure work (fingerprints,
//! classifier batches), which is independent from one failure to the next;
//! and over a given number of workers, for fix verification (one group per
//! worker, each in its own copy of the tree).
//!
//! Plain `std::thread::scope` rather than a thread-pool crate: two call
//! sites, each a single map over a slice, do not need one. The slice is cut
//! into pieces that the threads take in order from a shared counter, so a
//! thread that shares its core with another process takes fewer pieces
//! instead of holding the rest back; results come back in the input's order.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// `work(index, piece)` for each piece of `piece_len` items of `items` (the
/// last may be shorter), in the input's order. Runs on the calling thread
/// alone when there is a single piece or a single core. A panic in `work`
/// is raised again on the calling thread.
pub fn map_pieces<T: Sync, R: Send>(
    items: &[T],
    piece_len: usize,
    work: impl Fn(usize, &[T]) -> R + Sync,
) -> Vec<R> {
    let pieces: Vec<&[T]> = items.chunks(piece_len.max(1)).collect();
    map_bounded(&pieces, cores(), |i, piece| work(i, piece))
}

/// `work(index, item)` for each item, on at most `workers` threads (the
/// calling thread one of them), in the input's order. Runs on the calling
/// thread alone when there is a single item or a single worker. A panic in
/// `work` is raised again on the calling thread.
pub fn map_bounded<T: Sync, R: Send>(
    items: &[T],
    workers: usize,
    work: impl Fn(usize, &T) -> R + Sync,
) -> Vec<R> {
    let threads = workers.min(items.len());
    if threads <= 1 {
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| work(i, item))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let take_items = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, work(i, item)));
        }
    };
    let mut done = thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(take_items)).collect();
        let mut done = take_items();
        for helper in helpers {
            match helper.join() {
                Ok(theirs) => done.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, result)| result).collect()
}

/// The cores this process may use (1 when unknown).
pub(crate) fn cores() -> usize {
    thread::available_parallelism().map_or(1, NonZeroUsize::get)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whatever_the_piece_size() {
        let items: Vec<usize> = (0..10_007).collect();
        for piece_len in [0, 1, 7, 512, 10_007, 20_000] {
            let sums = map_pieces(&items, piece_len, |i, piece| (i, piece.to_vec()));
            let indices: Vec<usize> = sums.iter().map(|(i, _)| *i).collect();
            assert_eq!(indices, (0..sums.len()).collect::<Vec<_>>(), "{piece_len}");
            let flat: Vec<usize> = sums.into_iter().flat_map(|(_, p)| p).collect();
            assert_eq!(flat, items, "{piece_len}");
        }
        assert!(map_pieces(&[] as &[u8], 4, |_, p| p.len()).is_empty());
    }

    #[test]
    fn at_most_the_bound_runs_at_once_and_results_keep_their_order() {
        use std::sync::atomic::AtomicUsize;
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let items: Vec<usize> = (0..40).collect();
        let out = map_bounded(&items, 3, |i, item| {
            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(now, Ordering::SeqCst);
            thread::yield_now();
            running.fetch_sub(1, Ordering::SeqCst);
            (i, *item * 2)
        });
        assert_eq!(out, (0..40).map(|i| (i, i * 2)).collect::<Vec<_>>());
        assert!(most.load(Ordering::SeqCst) <= 3);
        assert!(map_bounded(&[] as &[u8], 4, |_, b| *b).is_empty());
        assert_eq!(map_bounded(&[7u8], 0, |_, b| *b), [7]);
    }

    #[test]
    fn a_panic_in_a_piece_reaches_the_caller() {
        let items: Vec<usize> = (0..64).collect();
        let caught = std::panic::catch_unwind(|| {
            map_pieces(&items, 1, |i, _| {
                assert!(i != 40, "piece 40");
                i
            })
        });
        assert!(caught.is_err());
    }
}
