//! What one group's fixes may spend of the run's model budget, and the
//! groups run in rounds on shares of it handed out in priority order, so
//! that the groups of higher priority are covered first whichever group
//! reaches the model first, and what a group leaves goes to the next.

use super::prompt;
use super::request::{FixOptions, FixRequest};
use crate::triage::model::{Demand, ModelClient, ModelRef, Share};
use crate::triage::parallel;

/// Room for the follow-up's own words around the failure it quotes.
const FOLLOW_UP_WORDS: u64 = 64;

/// The most asking `models` for `request`'s fixes may take when every
/// question is answered at once: `candidates` first questions, and a
/// follow-up per candidate per further iteration. Tokens are estimated as
/// the client estimates them (4 bytes a token), each answer at its
/// `max_tokens`; the cost at the dearest model's price. A retry spends the
/// group's share too: it comes out of what the group was given, not of
/// another group's.
pub fn demand(
    client: &ModelClient,
    models: &[ModelRef],
    request: &FixRequest,
    options: &FixOptions,
) -> Demand {
    if models.is_empty() {
        return Demand::default();
    }
    let tokens = |bytes: usize| (bytes as u64).div_ceil(4);
    let prompt: usize = prompt::messages(request, options)
        .iter()
        .map(|m| m.content.len())
        .sum();
    let answer = u64::from(options.max_tokens);
    let first_input = tokens(prompt);
    // The first prompt, the answer that failed and the failure it caused.
    let follow_up_input = first_input + answer + tokens(options.max_file_bytes) + FOLLOW_UP_WORDS;
    let first_calls = u64::from(options.candidates.max(1));
    let follow_ups = first_calls * u64::from(options.iterations.max(1) - 1);
    let input = first_calls * first_input + follow_ups * follow_up_input;
    let output = (first_calls + follow_ups) * answer;
    let cost_usd = models
        .iter()
        .filter_map(|m| client.price(m))
        .map(|price| price.cost(input, output))
        .fold(0.0, f64::max);
    Demand {
        calls: first_calls + follow_ups,
        tokens: input + output,
        cost_usd,
    }
}

/// `work(i, share)` for every demand, on at most `workers` threads, the
/// results in the demands' order. Without a client, in one round and
/// without shares. With one, in rounds: what is left of the budget is
/// shared out among the waiting items in order ([`ModelClient::shares`]);
/// the items it covers whole run at once; when it covers none, all the
/// waiting ones run on the shares they got (the first takes what is left).
/// A round starts when the one before has ended, so what an item spends
/// depends on the items before it alone, never on which thread asks first;
/// and what an item did not use goes to the items after it.
pub fn in_priority_rounds<R: Send>(
    client: Option<&ModelClient>,
    demands: &[Demand],
    workers: usize,
    work: impl Fn(usize, Option<&Share>) -> R + Sync,
) -> Vec<R> {
    let mut results: Vec<Option<R>> = demands.iter().map(|_| None).collect();
    let mut waiting: Vec<usize> = (0..demands.len()).collect();
    while !waiting.is_empty() {
        let round: Vec<(usize, Option<Share>)> = match client {
            None => waiting.iter().map(|&i| (i, None)).collect(),
            Some(client) => {
                let wanted: Vec<Demand> = waiting.iter().map(|&i| demands[i]).collect();
                let shares = client.shares(&wanted);
                let covered: Vec<(usize, Option<Share>)> = waiting
                    .iter()
                    .zip(&shares)
                    .filter(|(i, share)| share.covers(&demands[**i]))
                    .map(|(i, share)| (*i, Some(share.clone())))
                    .collect();
                match covered.is_empty() {
                    true => waiting
                        .iter()
                        .copied()
                        .zip(shares.into_iter().map(Some))
                        .collect(),
                    false => covered,
                }
            }
        };
        tracing::debug!(
            items = ?round.iter().map(|(i, _)| i).collect::<Vec<_>>(),
            "a round on the model budget's shares"
        );
        let done = parallel::map_bounded(&round, workers, |_, (i, share)| work(*i, share.as_ref()));
        for ((i, _), result) in round.iter().zip(done) {
            results[*i] = Some(result);
        }
        waiting.retain(|i| results[*i].is_none());
    }
    // Every item ran in some round: a round runs at least one waiting item.
    results.into_iter().flatten().collect()
}
