//! The monotonic clock a plugin sees, replacing WASI's: it reads time
//! normally, but every wait it grants ends by the call's deadline.
//!
//! Epoch interruption stops wasm code at its deadline, but not the host
//! while it blocks on behalf of the guest: with WASI's own clock a
//! `std::thread::sleep(30 s)` (or a `poll` on a clock pollable) ran its full
//! length under a 2 s limit. Here a wait that would end past the deadline
//! is refused at once with a trap, reported as the time limit; a shorter
//! wait sleeps normally. Clock pollables are the only ones that can block
//! in this sandbox: stdin is closed, stdout and stderr are memory buffers,
//! and there are no sockets or files.

use std::time::{Duration, Instant};

use wasmtime::component::{HasData, Resource, ResourceTable};
use wasmtime_wasi::async_trait;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock;
use wasmtime_wasi::p2::{DynPollable, Pollable, subscribe};

/// One call's view of time.
#[derive(Debug)]
pub struct CallClock {
    start: Instant,
    deadline: Instant,
    /// The plugin asked to wait past its deadline (and was stopped).
    pub overslept: bool,
}

impl CallClock {
    pub fn new(deadline: Instant) -> Self {
        Self {
            start: Instant::now(),
            deadline,
            overslept: false,
        }
    }

    fn now_nanos(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// What the `monotonic-clock` implementation borrows from the store data.
pub struct ClockView<'a> {
    pub clock: &'a mut CallClock,
    pub table: &'a mut ResourceTable,
}

/// Marker for `add_to_linker`.
pub struct Clocks;

impl HasData for Clocks {
    type Data<'a> = ClockView<'a>;
}

impl monotonic_clock::Host for ClockView<'_> {
    fn now(&mut self) -> wasmtime::Result<monotonic_clock::Instant> {
        Ok(self.clock.now_nanos())
    }

    fn resolution(&mut self) -> wasmtime::Result<monotonic_clock::Duration> {
        Ok(1)
    }

    fn subscribe_instant(
        &mut self,
        when: monotonic_clock::Instant,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        let wait = when.saturating_sub(self.clock.now_nanos());
        self.subscribe_duration(wait)
    }

    fn subscribe_duration(
        &mut self,
        nanos: monotonic_clock::Duration,
    ) -> wasmtime::Result<Resource<DynPollable>> {
        let wake = Instant::now().checked_add(Duration::from_nanos(nanos));
        match wake {
            Some(wake) if wake <= self.clock.deadline => {
                let sleep = self.table.push(Sleep(wake.into()))?;
                subscribe(self.table, sleep)
            }
            _ => {
                self.clock.overslept = true;
                Err(wasmtime::format_err!(
                    "the plugin asked to wait past the end of its time limit"
                ))
            }
        }
    }
}

/// A wait that ends at a time no later than the call's deadline.
struct Sleep(tokio::time::Instant);

#[async_trait]
impl Pollable for Sleep {
    async fn ready(&mut self) {
        tokio::time::sleep_until(self.0).await;
    }
}
