//! Per-plugin resource limits and the limiter that enforces memory.

use std::fmt;
use std::time::Duration;

use wasmtime::ResourceLimiter;

pub const MIB: u64 = 1024 * 1024;

/// What one plugin may use, per call. Configurable in `pitcrew.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory of the whole instance.
    pub memory_bytes: u64,
    /// Time one call may run before it is interrupted.
    pub cpu_time: Duration,
    /// Size of the data one call returns (strings and lists, summed).
    pub output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: 64 * MIB,
            cpu_time: Duration::from_secs(2),
            output_bytes: 16 * MIB,
        }
    }
}

/// Which limit a call ran into; `Display` reads as the end of
/// "exceeded its …", e.g. "2 s CPU limit".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Memory(u64),
    CpuTime(Duration),
    Output(u64),
    /// The engine-wide wasm stack (deep recursion).
    Stack(usize),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Limit::Memory(bytes) => write!(f, "{} memory limit", human_bytes(bytes)),
            Limit::CpuTime(time) => write!(f, "{} CPU limit", human_duration(time)),
            Limit::Output(bytes) => write!(f, "{} output limit", human_bytes(bytes)),
            Limit::Stack(bytes) => write!(f, "{} stack limit", human_bytes(bytes as u64)),
        }
    }
}

pub fn human_bytes(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

pub fn human_duration(time: Duration) -> String {
    let ms = time.as_millis();
    if ms >= 1000 && ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{ms} ms")
    }
}

/// Refuses memory growth past the limit and remembers that it did, so the
/// resulting trap is reported as a limit, not as a crash.
#[derive(Debug)]
pub struct MemoryLimiter {
    max_bytes: u64,
    pub hit: bool,
}

impl MemoryLimiter {
    pub fn new(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            hit: false,
        }
    }
}

/// Tables and instances are bounded too, so a plugin cannot exhaust host
/// memory through them; the bounds are far above what real plugins need.
const MAX_TABLE_ELEMENTS: usize = 1_000_000;
const MAX_INSTANCES: usize = 1_000;

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired as u64 > self.max_bytes {
            self.hit = true;
            // An error (rather than `Ok(false)`) traps at once: a guest
            // allocator that ignores a failed grow cannot keep going.
            return Err(wasmtime::format_err!("memory limit reached"));
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_TABLE_ELEMENTS)
    }

    fn instances(&self) -> usize {
        MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        MAX_INSTANCES
    }

    fn memories(&self) -> usize {
        MAX_INSTANCES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_the_issue_writes_them() {
        assert_eq!(
            Limit::CpuTime(Duration::from_secs(2)).to_string(),
            "2 s CPU limit"
        );
        assert_eq!(
            Limit::CpuTime(Duration::from_millis(250)).to_string(),
            "250 ms CPU limit"
        );
        assert_eq!(Limit::Memory(64 * MIB).to_string(), "64 MiB memory limit");
        assert_eq!(Limit::Output(16 * MIB).to_string(), "16 MiB output limit");
        assert_eq!(Limit::Stack(512 * 1024).to_string(), "512 KiB stack limit");
        assert_eq!(human_bytes(1000), "1000 bytes");
    }

    #[test]
    fn limiter_refuses_growth_past_the_limit_and_remembers() {
        let mut limiter = MemoryLimiter::new(64 * MIB);
        assert!(
            limiter
                .memory_growing(0, (64 * MIB) as usize, None)
                .unwrap()
        );
        assert!(!limiter.hit);
        assert!(
            limiter
                .memory_growing(0, (64 * MIB) as usize + 65536, None)
                .is_err()
        );
        assert!(limiter.hit);
    }
}
