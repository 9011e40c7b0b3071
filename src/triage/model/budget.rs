//! Per-run limits on model use: calls, tokens and an estimated cost, checked
//! before each call.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

/// The limits of one run; `None` is unlimited.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Chat-completion requests, retries included (model listings are free).
    pub max_calls: Option<u64>,
    /// Input plus output tokens, as the endpoints report them in `usage`.
    pub max_tokens: Option<u64>,
    /// The estimated cost in US dollars, from the price table.
    pub max_cost_usd: Option<f64>,
}

/// US dollars per million tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

impl Price {
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input_per_million
            + output_tokens as f64 * self.output_per_million)
            / 1_000_000.0
    }
}

/// Prices by model name (as sent in requests, e.g. `openai/gpt-4.1-mini`).
pub type PriceTable = HashMap<String, Price>;

/// Token counts of one response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// The endpoint sent no `usage`: counted from the text (4 bytes a token).
    pub estimated: bool,
}

/// What this run has used so far.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spent {
    pub calls: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cost_usd: f64,
    /// Successful calls to a paid endpoint whose model has no price: their
    /// cost is missing from `cost_usd`.
    pub unpriced_calls: u64,
}

impl Spent {
    pub fn tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

/// Which limit ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    Calls,
    Tokens,
    Cost,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::Calls => "calls",
            Limit::Tokens => "tokens",
            Limit::Cost => "cost",
        })
    }
}

/// The run's budget and what it has spent; shared by concurrent calls.
#[derive(Debug, Default)]
pub(crate) struct Ledger {
    budget: Budget,
    spent: Mutex<Spent>,
}

impl Ledger {
    pub fn new(budget: Budget) -> Self {
        Self {
            budget,
            spent: Mutex::default(),
        }
    }

    /// Takes one call from the budget, or says which limit is used up. Calls
    /// are counted here, before the request, so concurrent calls never exceed
    /// `max_calls`; tokens and cost are known only after a response, so they
    /// can overshoot by what the calls in flight use.
    pub fn reserve_call(&self) -> Result<(), (Limit, Spent)> {
        let mut spent = self.lock();
        let out = if self
            .budget
            .max_tokens
            .is_some_and(|max| spent.tokens() >= max)
        {
            Some(Limit::Tokens)
        } else if self
            .budget
            .max_cost_usd
            .is_some_and(|max| spent.cost_usd >= max)
        {
            Some(Limit::Cost)
        } else if self.budget.max_calls.is_some_and(|max| spent.calls >= max) {
            Some(Limit::Calls)
        } else {
            None
        };
        match out {
            Some(limit) => Err((limit, spent.clone())),
            None => {
                spent.calls += 1;
                Ok(())
            }
        }
    }

    /// Adds a response's usage; `price` is `None` for an unpriced paid model.
    pub fn record(&self, usage: Usage, price: Option<Price>) {
        let mut spent = self.lock();
        // The endpoint reports usage: a hostile one may report 2^63 twice.
        // Saturating keeps a spent budget spent instead of wrapping to 0.
        spent.input_tokens = spent.input_tokens.saturating_add(usage.input_tokens);
        spent.output_tokens = spent.output_tokens.saturating_add(usage.output_tokens);
        match price {
            Some(price) => spent.cost_usd += price.cost(usage.input_tokens, usage.output_tokens),
            None => spent.unpriced_calls += 1,
        }
    }

    pub fn spent(&self) -> Spent {
        self.lock().clone()
    }

    /// Counts a call that a [`Share`] of this budget let through: the
    /// share, cut from what was left here, is what limits it.
    pub fn count_call(&self) {
        self.lock().calls += 1;
    }

    /// What is left of the budget, cut into one budget per demand, in the
    /// demands' order: each takes what it may need of every limit the run
    /// sets, or what is left of it. So the first demands are covered whole
    /// before a later one gets anything, whatever order they then spend in.
    /// A limit the run does not set is not set in any share.
    pub fn shares(&self, demands: &[Demand]) -> Vec<Budget> {
        let spent = self.spent();
        let mut calls = self
            .budget
            .max_calls
            .map(|max| max.saturating_sub(spent.calls));
        let mut tokens = self
            .budget
            .max_tokens
            .map(|max| max.saturating_sub(spent.tokens()));
        let mut cost = self
            .budget
            .max_cost_usd
            .map(|max| (max - spent.cost_usd).max(0.0));
        demands
            .iter()
            .map(|demand| Budget {
                max_calls: calls.as_mut().map(|left| take(left, demand.calls)),
                max_tokens: tokens.as_mut().map(|left| take(left, demand.tokens)),
                max_cost_usd: cost.as_mut().map(|left| {
                    let share = demand.cost_usd.min(*left);
                    *left -= share;
                    share
                }),
            })
            .collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Spent> {
        // The guarded data is plain counters: a panic elsewhere cannot leave them torn.
        self.spent.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn take(left: &mut u64, wanted: u64) -> u64 {
    let share = wanted.min(*left);
    *left -= share;
    share
}

/// The most one user of the run's budget (a root cause's fixes, say) may
/// spend, for [`Ledger::shares`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Demand {
    pub calls: u64,
    pub tokens: u64,
    pub cost_usd: f64,
}

/// One user's part of the run's budget ([`crate::triage::model::ModelClient::shares`]):
/// a request that carries it is limited by it alone, and what it spends
/// counts in the run's total too.
#[derive(Clone, Debug)]
pub struct Share(pub(crate) Arc<Ledger>);

impl Share {
    /// Its limits.
    pub fn limits(&self) -> &Budget {
        &self.0.budget
    }

    /// What requests carrying it have spent.
    pub fn spent(&self) -> Spent {
        self.0.spent()
    }

    /// Whether it gives all of `demand` (a limit the run does not set
    /// gives all there is).
    pub fn covers(&self, demand: &Demand) -> bool {
        let limits = self.limits();
        limits.max_calls.is_none_or(|max| max >= demand.calls)
            && limits.max_tokens.is_none_or(|max| max >= demand.tokens)
            && limits.max_cost_usd.is_none_or(|max| max >= demand.cost_usd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, output: u64) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            estimated: false,
        }
    }

    #[test]
    fn unlimited_by_default() {
        let ledger = Ledger::new(Budget::default());
        for _ in 0..1000 {
            ledger.reserve_call().unwrap();
        }
        assert_eq!(ledger.spent().calls, 1000);
    }

    #[test]
    fn calls_stop_at_the_limit() {
        let ledger = Ledger::new(Budget {
            max_calls: Some(2),
            ..Budget::default()
        });
        ledger.reserve_call().unwrap();
        ledger.reserve_call().unwrap();
        let (limit, spent) = ledger.reserve_call().unwrap_err();
        assert_eq!((limit, spent.calls), (Limit::Calls, 2));
    }

    #[test]
    fn tokens_and_cost_stop_once_reached() {
        let ledger = Ledger::new(Budget {
            max_tokens: Some(100),
            ..Budget::default()
        });
        ledger.reserve_call().unwrap();
        ledger.record(usage(60, 39), None);
        ledger.reserve_call().unwrap();
        ledger.record(usage(1, 0), None);
        assert_eq!(ledger.reserve_call().unwrap_err().0, Limit::Tokens);

        let price = Price {
            input_per_million: 2.0,
            output_per_million: 8.0,
        };
        assert!((price.cost(1_000_000, 500_000) - 6.0).abs() < 1e-9);
        let ledger = Ledger::new(Budget {
            max_cost_usd: Some(0.01),
            ..Budget::default()
        });
        ledger.reserve_call().unwrap();
        ledger.record(usage(1000, 1000), Some(price));
        assert!((ledger.spent().cost_usd - 0.01).abs() < 1e-12);
        assert_eq!(ledger.reserve_call().unwrap_err().0, Limit::Cost);
    }

    #[test]
    fn absurd_usage_saturates_and_keeps_the_budget_spent() {
        let ledger = Ledger::new(Budget {
            max_tokens: Some(100),
            ..Budget::default()
        });
        ledger.reserve_call().unwrap();
        ledger.record(usage(1 << 63, 1 << 63), None);
        ledger.record(usage(u64::MAX, u64::MAX), None);
        assert_eq!(ledger.spent().tokens(), u64::MAX);
        assert_eq!(ledger.reserve_call().unwrap_err().0, Limit::Tokens);
    }

    #[test]
    fn unpriced_calls_are_counted_apart() {
        let ledger = Ledger::new(Budget::default());
        ledger.record(usage(10, 10), None);
        ledger.record(usage(10, 10), Some(Price::default()));
        let spent = ledger.spent();
        assert_eq!(
            (spent.unpriced_calls, spent.tokens(), spent.cost_usd),
            (1, 40, 0.0)
        );
    }

    #[test]
    fn budget_reads_from_toml() {
        let budget: Budget = toml::from_str("max_calls = 50\nmax_cost_usd = 0.5").unwrap();
        assert_eq!(budget.max_calls, Some(50));
        assert!(toml::from_str::<Budget>("max_call = 5").is_err());
    }

    #[test]
    fn shares_cover_the_first_demands_whole_whatever_is_spent_later() {
        let ledger = Ledger::new(Budget {
            max_calls: Some(7),
            max_tokens: Some(1_000),
            max_cost_usd: None,
        });
        ledger.reserve_call().unwrap();
        ledger.record(usage(100, 0), Some(Price::default()));
        let demand = |calls, tokens| Demand {
            calls,
            tokens,
            cost_usd: 1.0,
        };
        let shares = ledger.shares(&[demand(4, 500), demand(4, 500), demand(1, 1)]);
        let calls: Vec<_> = shares.iter().map(|s| s.max_calls).collect();
        let tokens: Vec<_> = shares.iter().map(|s| s.max_tokens).collect();
        assert_eq!(calls, [Some(4), Some(2), Some(0)]);
        assert_eq!(tokens, [Some(500), Some(400), Some(0)]);
        // No cost limit for the run: none in any share.
        assert!(shares.iter().all(|s| s.max_cost_usd.is_none()));
        let cost = Ledger::new(Budget {
            max_cost_usd: Some(0.5),
            ..Budget::default()
        });
        let shares = cost.shares(&[demand(1, 1), demand(1, 1)]);
        assert_eq!(shares[0].max_cost_usd, Some(0.5));
        assert_eq!(shares[1].max_cost_usd, Some(0.0));
        assert_eq!(shares[1].max_calls, None);
        let share = |budget: &Budget| Share(Arc::new(Ledger::new(budget.clone())));
        // Only cost is limited: any number of calls and tokens at $0.50.
        let many = Demand {
            cost_usd: 0.5,
            ..demand(1_000, 1_000_000)
        };
        assert!(share(&shares[0]).covers(&many));
        assert!(!share(&shares[0]).covers(&demand(1, 1)));
        assert!(!share(&shares[1]).covers(&demand(1, 1)));
        assert!(share(&shares[1]).covers(&Demand::default()));
    }
}
