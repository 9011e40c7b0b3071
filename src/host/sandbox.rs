//! The per-call store data: a WASI context that grants nothing, captured
//! stdio, the memory limiter, and the `log` import.

use std::sync::Arc;

use wasmtime::component::ResourceTable;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use super::bindings::v0_1::{log, types};
use super::limits::MemoryLimiter;
use crate::escape;

/// How much a plugin may print to stdout and to stderr in one call. Writing
/// more traps the call (reported as the stdio limit).
pub const STDIO_CAPACITY: usize = 1024 * 1024;

pub struct HostState {
    wasi: WasiCtx,
    table: ResourceTable,
    pub(crate) limiter: MemoryLimiter,
    /// `name version`, used to prefix everything the plugin says.
    label: Arc<str>,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
}

impl HostState {
    /// Deny by default: no preopened directories, no environment, no
    /// arguments, no sockets or name lookups, no inherited stdio. Clocks and
    /// randomness stay available: they are what std's start-up needs and
    /// grant no access to anything outside the instance.
    pub fn new(label: Arc<str>, memory_bytes: u64) -> Self {
        let stdout = MemoryOutputPipe::new(STDIO_CAPACITY);
        let stderr = MemoryOutputPipe::new(STDIO_CAPACITY);
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
    /// Returns the last non-empty stderr line, which for a panicking guest is
    /// usually the panic message.
    pub fn flush_stdio(&self) -> Option<String> {
        let label = &*self.label;
        for line in String::from_utf8_lossy(&self.stdout.contents()).lines() {
            tracing::info!(target: "pitcrew::plugin", "[{label}] {}", escape::control_chars(line));
        }
        let stderr = self.stderr.contents();
        let stderr = String::from_utf8_lossy(&stderr);
        let mut last = None;
        for line in stderr.lines() {
            tracing::warn!(target: "pitcrew::plugin", "[{label}] {}", escape::control_chars(line));
            if !line.trim().is_empty() {
                last = Some(line);
            }
        }
        last.map(|line| escape::control_chars(line.trim()).into_owned())
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
