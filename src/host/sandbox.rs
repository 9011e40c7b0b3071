//! The per-call store data: a WASI context that grants nothing, captured
//! stdio, the memory limiter, and the `log` import.

use std::sync::Arc;

use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::v0_1::{log, types};
use super::limits::MemoryLimiter;
use super::stdio::Capture;
use crate::escape;

/// How much of a plugin's stdout, and of its stderr, one call keeps for the
/// log; the rest is dropped and the drop is logged.
pub const STDIO_CAPACITY: usize = 1024 * 1024;

pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: MemoryLimiter,
    /// `name version`, used to prefix everything the plugin says.
    label: Arc<str>,
    stdout: Capture,
    stderr: Capture,
}

impl HostState {
    /// Deny by default: no preopened directories, no environment, no
    /// arguments, no sockets or name lookups, no inherited stdio. Clocks and
    /// randomness stay available: they are what std's start-up needs and
    /// grant no access to anything outside the instance.
    pub fn new(label: Arc<str>, memory_bytes: u64) -> Self {
        let stdout = Capture::new(STDIO_CAPACITY);
        let stderr = Capture::new(STDIO_CAPACITY);
        let wasi = WasiCtx::builder()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .socket_addr_check(|_, _| Box::pin(async { false }))
            .build();
        Self {
            wasi,
            table: ResourceTable::new(),
            limiter: MemoryLimiter::new(memory_bytes),
            label,
            stdout,
            stderr,
        }
    }

    /// Sends what the plugin printed to the host log, line by line, escaped.
    /// Returns the last telling stderr line, which for a panicking guest is
    /// the panic message (the `note: run with RUST_BACKTRACE` hint skipped).
    pub fn flush_stdio(&self) -> Option<String> {
        let label = &*self.label;
        let stdout = self.stdout.lock();
        for line in String::from_utf8_lossy(&stdout.bytes).lines() {
            tracing::info!(target: "pitcrew::plugin", "[{label}] {}", escape::control_chars(line));
        }
        if stdout.dropped > 0 {
            tracing::warn!(target: "pitcrew::plugin", "[{label}] stdout truncated: {} bytes dropped past {STDIO_CAPACITY}", stdout.dropped);
        }
        let stderr = self.stderr.lock();
        let mut last = None;
        for line in String::from_utf8_lossy(&stderr.bytes).lines() {
            tracing::warn!(target: "pitcrew::plugin", "[{label}] {}", escape::control_chars(line));
            let line = line.trim();
            if !line.is_empty() && !line.starts_with("note: ") {
                last = Some(escape::control_chars(line).into_owned());
            }
        }
        if stderr.dropped > 0 {
            tracing::warn!(target: "pitcrew::plugin", "[{label}] stderr truncated: {} bytes dropped past {STDIO_CAPACITY}", stderr.dropped);
        }
        last
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

impl log::Host for HostState {
    fn log(&mut self, level: log::Level, message: String) {
        let label = &*self.label;
        let message = escape::control_chars(&message);
        match level {
            log::Level::Trace => tracing::trace!(target: "pitcrew::plugin", "[{label}] {message}"),
            log::Level::Debug => tracing::debug!(target: "pitcrew::plugin", "[{label}] {message}"),
            log::Level::Info => tracing::info!(target: "pitcrew::plugin", "[{label}] {message}"),
            log::Level::Warn => tracing::warn!(target: "pitcrew::plugin", "[{label}] {message}"),
            log::Level::Error => tracing::error!(target: "pitcrew::plugin", "[{label}] {message}"),
        }
    }
}
