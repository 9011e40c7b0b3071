//! Endpoint health for one run: consecutive failures, cooldowns, and tokens
//! the endpoint refused.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::error::{Failure, whole_seconds};

#[derive(Debug, Default)]
struct State {
    failures: u32,
    cool_until: Option<Instant>,
    refused: Option<u16>,
}

/// Shared by concurrent requests; never locked across an `await`.
#[derive(Debug)]
pub(crate) struct Health {
    cooldown_after: u32,
    cooldown: Duration,
    states: Mutex<HashMap<String, State>>,
}

impl Health {
    pub fn new(cooldown_after: u32, cooldown: Duration) -> Self {
        Self {
            cooldown_after,
            cooldown,
            states: Mutex::default(),
        }
    }

    /// Why the endpoint is skipped right now, if it is.
    pub fn skip(&self, endpoint: &str) -> Option<Failure> {
        let states = self.lock();
        let state = states.get(endpoint)?;
        if let Some(status) = state.refused {
            return Some(Failure::Unauthorized { status });
        }
        let left = state.cool_until?.checked_duration_since(Instant::now())?;
        Some(Failure::CoolingDown {
            seconds_left: whole_seconds(left),
        })
    }

    /// Counts a failure; true when the endpoint now cools down.
    pub fn failed(&self, endpoint: &str) -> bool {
        let mut states = self.lock();
        let state = states.entry(endpoint.to_string()).or_default();
        state.failures += 1;
        if state.failures >= self.cooldown_after {
            state.failures = 0;
            state.cool_until = Some(Instant::now() + self.cooldown);
            tracing::warn!(
                endpoint = %crate::escape::control_chars(endpoint),
                "model endpoint failed {} times in a row: skipped for {:?}",
                self.cooldown_after,
                self.cooldown
            );
            return true;
        }
        false
    }

    pub fn succeeded(&self, endpoint: &str) {
        if let Some(state) = self.lock().get_mut(endpoint) {
            state.failures = 0;
        }
    }

    /// Skips the endpoint for `duration` (a long `Retry-After`).
    pub fn cool_for(&self, endpoint: &str, duration: Duration) {
        let mut states = self.lock();
        let state = states.entry(endpoint.to_string()).or_default();
        // A hostile `Retry-After` may be centuries long: cool "for ever"
        // (a day, longer than any run) rather than overflow.
        let now = Instant::now();
        state.cool_until = Some(
            now.checked_add(duration)
                .unwrap_or_else(|| now + Duration::from_secs(86_400)),
        );
    }

    /// The endpoint refused the token: skipped for the rest of the run.
    pub fn refuse(&self, endpoint: &str, status: u16) {
        let mut states = self.lock();
        states.entry(endpoint.to_string()).or_default().refused = Some(status);
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, State>> {
        // Counters and instants only: nothing a panic could leave half-written.
        self.states.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cools_down_after_consecutive_failures_only() {
        let health = Health::new(3, Duration::from_secs(60));
        assert!(!health.failed("a"));
        assert!(!health.failed("a"));
        health.succeeded("a");
        assert!(!health.failed("a"));
        assert!(!health.failed("a"));
        assert_eq!(health.skip("a"), None);
        assert!(health.failed("a"));
        assert!(matches!(
            health.skip("a"),
            Some(Failure::CoolingDown { seconds_left: 60 })
        ));
        assert_eq!(health.skip("b"), None);
    }

    #[test]
    fn cooldowns_end() {
        let health = Health::new(1, Duration::ZERO);
        assert!(health.failed("a"));
        assert_eq!(health.skip("a"), None);
        health.cool_for("a", Duration::from_secs(5));
        assert!(health.skip("a").is_some());
    }

    #[test]
    fn a_cooldown_of_centuries_does_not_overflow() {
        let health = Health::new(1, Duration::ZERO);
        health.cool_for("a", Duration::from_secs(u64::MAX));
        assert!(health.skip("a").is_some());
    }

    #[test]
    fn refusals_last_the_run() {
        let health = Health::new(3, Duration::ZERO);
        health.refuse("a", 403);
        assert_eq!(
            health.skip("a"),
            Some(Failure::Unauthorized { status: 403 })
        );
    }
}
