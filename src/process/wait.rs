//! What both ways of running a command share: waiting for it until a
//! deadline and then killing its group, and giving up on output readers
//! after a grace period. One copy, so a fix to either lands for both.

use std::io;
use std::process::ExitStatus;
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use crate::process_group::Group;

/// How long a command's output may take to close after its group is gone
/// (a process that left the group with `setsid` can hold a pipe open).
const DRAIN_GRACE: Duration = Duration::from_secs(2);
/// How often a running command is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(10);

/// How waiting for a command ended.
#[derive(Debug)]
pub enum Waited {
    Exited(ExitStatus),
    /// Killed at its deadline.
    TimedOut,
    /// The system could not tell us; the group was killed.
    Failed(io::Error),
}

/// Waits for the group's command until `deadline` (`None`: for ever).
/// Either way its group is then killed, so nothing it started in the
/// background keeps running; a command that did not exit is killed before
/// it is reaped, so its group id cannot have been reused.
pub fn wait(group: &mut Group, deadline: Option<Instant>) -> Waited {
    wait_then_stop(group, deadline, None)
}

/// [`wait`], but at the deadline the group is first asked to stop
/// ([`Group::ask_to_stop`]) and given `grace` to exit, for a runner that
/// then writes its report of what finished; killed when it takes longer.
/// It counts as timed out either way.
pub fn wait_then_stop(
    group: &mut Group,
    deadline: Option<Instant>,
    grace: Option<Duration>,
) -> Waited {
    let mut waited = poll(group, deadline);
    if let (Waited::TimedOut, Some(grace)) = (&waited, grace) {
        group.ask_to_stop();
        waited = match poll(group, Some(Instant::now() + grace)) {
            Waited::Exited(_) => Waited::TimedOut,
            other => other,
        };
    }
    group.kill();
    if !matches!(waited, Waited::Exited(_)) {
        let _ = group.wait();
    }
    waited
}

/// Polls the group's command until it exits or `deadline` passes.
fn poll(group: &mut Group, deadline: Option<Instant>) -> Waited {
    loop {
        match group.try_wait() {
            Ok(Some(status)) => return Waited::Exited(status),
            Ok(None) if deadline.is_some_and(|d| Instant::now() >= d) => return Waited::TimedOut,
            Ok(None) => thread::sleep(POLL_INTERVAL),
            Err(e) => return Waited::Failed(e),
        }
    }
}

/// Waits for an output reader to finish, at most [`DRAIN_GRACE`]: a pipe
/// held open by a process that escaped the kill cannot block us, we take
/// what has arrived.
pub fn drain(reader: &thread::JoinHandle<()>) {
    let deadline = Instant::now() + DRAIN_GRACE;
    while !reader.is_finished() && Instant::now() < deadline {
        thread::sleep(POLL_INTERVAL);
    }
}

/// A lock that a panicked reader thread does not poison for us: the bytes
/// it kept are still the best we have.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
