//! What one group's fixes may spend of the run's model budget, so the
//! budget can be shared out in priority order before groups are verified
//! at once (`triage::fixing`): the groups of higher priority are covered
//! first, whichever group reaches the model first.

use super::prompt;
use super::request::{FixOptions, FixRequest};
use crate::triage::model::{Demand, ModelClient, ModelRef};

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
