//! The per-call store data: a WASI context that grants nothing, captured
//! stdio, the memory limiter, the call's clock, and the `log` buffer.

use std::sync::Arc;
use std::time::Instant;

use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::v0_1::{log, types};
use super::clock::{CallClock, ClockView};
use super::limits::MemoryLimiter;
use super::log::LogBuffer;
use super::output_budget::OutputBudget;
use super::stdio::{Capture, Captured};
use crate::escape;

/// How much of a plugin's stdout, and of its stderr, one call keeps for the
/// log; the rest is dropped and the drop is logged.
pub const STDIO_CAPACITY: usize = 1024 * 1024;

/// How many lines of each of stdout and stderr reach the log per call: a
/// MiB of newlines would be a million log lines (more than 40 MiB of
/// output, prefixes included). Room for a MiB of 512-byte lines.
pub const STDIO_LINES: usize = 2000;

/// Random bytes one `get-random-bytes` call may ask for. The host makes
/// them before the plugin's memory limit sees them (WASI's default allows
/// 64 MiB a call); nothing a plugin decides needs more than a few.
pub const MAX_RANDOM_BYTES: u64 = 1024 * 1024;

pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: MemoryLimiter,
    pub(crate) clock: CallClock,
    pub(crate) log: LogBuffer,
    /// `name version`, used to prefix everything the plugin says.
    label: Arc<str>,
    /// What the plugin's calls together may still say (see `output_budget`).
    output: Arc<OutputBudget>,
    stdout: Capture,
    stderr: Capture,
}

impl HostState {
    /// Deny by default: no preopened directories, no environment, no
    /// arguments, no sockets or name lookups, no inherited stdio. Granted:
    /// the wall clock (read only), a monotonic clock whose waits end by
    /// `deadline` (see `clock`), and random bytes; std's start-up needs
    /// them and they reach nothing outside the instance.
    pub fn new(
        label: Arc<str>,
        output: Arc<OutputBudget>,
        memory_bytes: u64,
        deadline: Instant,
    ) -> Self {
        let stdout = Capture::new(STDIO_CAPACITY);
        let stderr = Capture::new(STDIO_CAPACITY);
        let wasi = WasiCtx::builder()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }))
            .max_random_size(MAX_RANDOM_BYTES)
            .build();
        let mut table = ResourceTable::new();
        table.set_max_capacity(super::limits::MAX_RESOURCES);
        Self {
            wasi,
            table,
            limiter: MemoryLimiter::new(memory_bytes),
            clock: CallClock::new(deadline),
            log: LogBuffer::default(),
            label,
            output,
            stdout,
            stderr,
        }
    }

    /// Sends what the plugin printed to the host log, line by line, escaped.
    /// Returns the last telling stderr line, which for a panicking guest is
    /// the panic message (the `note: run with RUST_BACKTRACE` hint skipped).
    pub fn flush_stdio(&mut self) -> Option<String> {
        let label = &*self.label;
        let output = &*self.output;
        self.log.flush(label, output);
        let stdout = self.stdout.lock();
        log_lines(label, output, "stdout", &stdout, |line| {
            tracing::info!(target: "pitcrew::plugin", "[{label}] {line}");
        });
        let stderr = self.stderr.lock();
        log_lines(label, output, "stderr", &stderr, |line| {
            tracing::warn!(target: "pitcrew::plugin", "[{label}] {line}");
        });
        // The panic message, for the one-line error.
        String::from_utf8_lossy(&stderr.bytes)
            .lines()
            .rev()
            .map(str::trim)
            .find(|line| !line.is_empty() && !line.starts_with("note: "))
            .map(|line| escape::bounded_line(line, escape::MAX_MESSAGE_BYTES))
    }
}

/// Sends the first [`STDIO_LINES`] lines of a captured stream to `emit`,
/// escaped and cut like `log` messages, then says what was dropped; all
/// within what `output` still allows.
fn log_lines(
    label: &str,
    output: &OutputBudget,
    stream: &str,
    captured: &Captured,
    emit: impl Fn(&str),
) {
    let text = String::from_utf8_lossy(&captured.bytes);
    let mut lines = text.lines();
    for line in lines.by_ref().take(STDIO_LINES) {
        let line = escape::bounded_line(line, super::log::MAX_MESSAGE_BYTES);
        if output.admit(label, line.len()) {
            emit(&line);
        }
    }
    let more = lines.count();
    if more > 0 && output.admit(label, 0) {
        tracing::warn!(target: "pitcrew::plugin", "[{label}] {stream}: {more} more lines dropped past {STDIO_LINES}");
    }
    if captured.dropped > 0 && output.admit(label, 0) {
        tracing::warn!(target: "pitcrew::plugin", "[{label}] {stream} truncated: {} bytes dropped past {STDIO_CAPACITY}", captured.dropped);
    }
}

impl HostState {
    pub(crate) fn clock_view(&mut self) -> ClockView<'_> {
        ClockView {
            clock: &mut self.clock,
            table: &mut self.table,
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl types::Host for HostState {}

/// Never called: `log` is replaced in the linker by `super::log`, which
/// reads the message in place under a budget. The generated registration
/// still needs an implementation to exist.
impl log::Host for HostState {
    fn log(&mut self, level: log::Level, message: String) {
        let len = message.len();
        self.log.push(level, &message, len);
    }
}
