//! Per-plugin resource limits and the limiter that enforces memory.

pub mod compile;

use std::fmt;
use std::time::Duration;

use wasmtime::ResourceLimiter;

pub use compile::CompileLimits;

pub const MIB: u64 = 1024 * 1024;

/// What one plugin may use, per call. Configurable in `pitcrew.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Every linear memory and table of the call's store, together.
    pub memory_bytes: u64,
    /// Wall-clock time one call may take, waits included, before it is
    /// interrupted (called the CPU limit for historical reasons).
    pub cpu_time: Duration,
    /// Size of the data one call returns (strings and lists, summed), and of
    /// any one piece of data the plugin hands the host during the call.
    pub output_bytes: u64,
    /// What the component may weigh before it is compiled.
    pub compile: CompileLimits,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: 64 * MIB,
            cpu_time: Duration::from_secs(2),
            output_bytes: 16 * MIB,
            compile: CompileLimits::default(),
        }
    }
}

/// Which limit a call ran into; `Display` reads as the end of
/// "exceeded its …", e.g. "2 s CPU limit (`cpu_time_ms`)".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Memory(u64),
    CpuTime(Duration),
    Output(u64),
    /// The engine-wide wasm stack (deep recursion).
    Stack(usize),
    /// The time all plugin calls of one command may take together.
    PluginBudget(Duration),
    /// Host objects (pollables, streams) the plugin holds at once.
    Resources(usize),
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            // Each names the setting that raises it (`[limits]` or the
            // plugin's own table in pitcrew.toml): a large cluster's facts
            // can outgrow a built-in's 64 MiB (round 70).
            Limit::Memory(bytes) => write!(f, "{} memory limit (`memory_mib`)", human_bytes(bytes)),
            Limit::CpuTime(time) => {
                write!(f, "{} CPU limit (`cpu_time_ms`)", human_duration(time))
            }
            Limit::Output(bytes) => write!(f, "{} output limit (`output_mib`)", human_bytes(bytes)),
            Limit::Stack(bytes) => write!(f, "{} stack limit", human_bytes(bytes as u64)),
            Limit::Resources(count) => write!(f, "limit of {count} host resources"),
            Limit::PluginBudget(time) => write!(
                f,
                "share of the command's {} plugin-time budget",
                human_duration(time)
            ),
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

/// One byte budget for everything a plugin's store allocates on its behalf:
/// every linear memory and every table (at the host's size of a table
/// element) count against it together, so a plugin cannot multiply the
/// limit by declaring more memories or tables. Growth past the budget traps
/// at once and is remembered, so it is reported as the memory limit rather
/// than as a crash.
#[derive(Debug)]
pub struct MemoryLimiter {
    max_bytes: u64,
    /// Bytes granted so far to all memories and tables of the store.
    used: u64,
    pub hit: bool,
}

impl MemoryLimiter {
    pub fn new(max_bytes: u64) -> Self {
        Self {
            max_bytes,
            used: 0,
            hit: false,
        }
    }

    /// Bytes granted so far, memories and tables together.
    pub fn used(&self) -> u64 {
        self.used
    }

    fn grow(&mut self, current_bytes: u64, desired_bytes: u64) -> wasmtime::Result<bool> {
        let total = self
            .used
            .saturating_sub(current_bytes)
            .saturating_add(desired_bytes);
        if total > self.max_bytes {
            self.hit = true;
            // An error (rather than `Ok(false)`) traps at once: a guest
            // allocator that ignores a failed grow cannot keep going.
            return Err(wasmtime::format_err!("memory limit reached"));
        }
        self.used = total;
        Ok(true)
    }
}

/// What wasmtime stores per table element: one pointer (a `funcref` or an
/// `externref`), whatever the element type.
pub const TABLE_ELEMENT_BYTES: u64 = size_of::<usize>() as u64;

/// Host objects a call may hold at once: the pollables, streams and other
/// WASI resources the host keeps on the plugin's behalf, outside its
/// memory. A plugin needs a handful (its stdio streams, a pollable while it
/// waits); without a bound, one that never drops them made the host hold
/// a million of them (300 MiB) under a 64 MiB memory limit.
pub const MAX_RESOURCES: usize = 4096;

/// Whether a call failed because the host's resource table was full.
pub fn is_resource_table_full(err: &wasmtime::Error) -> bool {
    use wasmtime::component::ResourceTableError;
    err.chain().any(|cause| {
        matches!(
            cause.downcast_ref::<ResourceTableError>(),
            Some(ResourceTableError::Full)
        )
    })
}

/// A plugin is one component: a Rust, C or Go one has a handful of core
/// instances (its module plus the canonical-ABI shims), one or two memories
/// and a few tables; interpreters built as components (Python, JS) a few
/// more. These counts leave room for those and nothing like the thousands a
/// hostile component could otherwise declare.
pub const MAX_INSTANCES: usize = 32;
pub const MAX_MEMORIES: usize = 4;
pub const MAX_TABLES: usize = 16;

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.grow(current as u64, desired as u64)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let bytes = |elements: usize| (elements as u64).saturating_mul(TABLE_ELEMENT_BYTES);
        self.grow(bytes(current), bytes(desired))
    }

    fn instances(&self) -> usize {
        MAX_INSTANCES
    }

    fn tables(&self) -> usize {
        MAX_TABLES
    }

    fn memories(&self) -> usize {
        MAX_MEMORIES
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_read_as_the_issue_writes_them() {
        assert_eq!(
            Limit::CpuTime(Duration::from_secs(2)).to_string(),
            "2 s CPU limit (`cpu_time_ms`)"
        );
        assert_eq!(
            Limit::CpuTime(Duration::from_millis(250)).to_string(),
            "250 ms CPU limit (`cpu_time_ms`)"
        );
        assert_eq!(
            Limit::Memory(64 * MIB).to_string(),
            "64 MiB memory limit (`memory_mib`)"
        );
        assert_eq!(
            Limit::Output(16 * MIB).to_string(),
            "16 MiB output limit (`output_mib`)"
        );
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

    #[test]
    fn every_memory_and_table_counts_against_one_budget() {
        let mut limiter = MemoryLimiter::new(64 * MIB);
        let forty = (40 * MIB) as usize;
        assert!(limiter.memory_growing(0, forty, None).unwrap());
        // A second memory of 40 MiB: 80 MiB in all, refused.
        assert!(limiter.memory_growing(0, forty, None).is_err());
        assert!(limiter.hit);

        let mut limiter = MemoryLimiter::new(64 * MIB);
        assert!(limiter.memory_growing(0, forty, None).unwrap());
        // Growing the same memory counts only the difference.
        assert!(limiter.memory_growing(forty, forty + 65536, None).unwrap());
        assert_eq!(limiter.used(), 40 * MIB + 65536);
        // Tables count at their element size: 3 Mi elements = 24 MiB.
        assert!(limiter.table_growing(0, 3 << 20, None).is_err());
        assert!(limiter.table_growing(0, 1 << 20, None).unwrap());
        assert_eq!(limiter.used(), 48 * MIB + 65536);
    }
}
