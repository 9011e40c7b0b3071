//! The one engine of the process, its linker, the epoch ticker that enforces
//! time limits, and compilation (memoised in-process, cached on disk).

use super::output_budget::CommandOutput;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use wasmtime::component::{Component, Linker};
use wasmtime::{Config, Engine, OptLevel};

use super::cache::{Cache, CacheSetting, DescribedRecord, FileId};
use super::clock::Clocks;
use super::compiler::{self, Artifact, Compiled};
use super::error::{LoadError, first_line};
use super::limits::{CompileLimits, compile};
use super::sandbox::HostState;
use crate::hash::sha256_hex;

/// Time limits are counted in ticks of this length.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Engine-wide wasm stack for one call; deep recursion traps past it.
pub const MAX_WASM_STACK: usize = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
#[error("cannot start the WebAssembly runtime: {0}")]
pub struct RuntimeError(String);

/// Shared by every plugin of the process. Cheap to clone.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    engine: Engine,
    linker: Linker<HostState>,
    cache: Option<Cache>,
    /// Compile once per process: components by sha256.
    compiled: Mutex<HashMap<String, Component>>,
    /// Time all plugin calls of this runtime (one command) may take
    /// together, and what they have taken so far.
    budget: Mutex<PluginBudget>,
    /// What all plugins of this runtime (one command) put into the log.
    output: Arc<CommandOutput>,
}

/// The overall deadline for a command's plugin work: the sum of the time
/// its calls take, not the time since the command started (a test run may
/// last an hour before its failures are classified).
#[derive(Clone, Copy, Debug)]
pub struct PluginBudget {
    pub total: Duration,
    pub used: Duration,
}

/// Default for [`PluginBudget::total`]: far above what a command's plugins
/// need (a `plan` takes milliseconds), far below "for ever".
pub const DEFAULT_PLUGIN_BUDGET: Duration = Duration::from_secs(600);

impl Runtime {
    pub fn new(cache: &CacheSetting) -> Result<Self, RuntimeError> {
        let engine = Engine::new(&engine_config()).map_err(|e| RuntimeError(first_line(&e)))?;
        let linker = linker(&engine).map_err(|e| RuntimeError(first_line(&e)))?;
        spawn_epoch_ticker(&engine)?;
        let cache = Cache::open(cache, &engine).unwrap_or_else(|refused| {
            tracing::warn!("not using the compilation cache: {refused}; compiling in memory");
            None
        });
        Ok(Self {
            inner: Arc::new(Inner {
                engine,
                linker,
                cache,
                compiled: Mutex::new(HashMap::new()),
                budget: Mutex::new(PluginBudget {
                    total: DEFAULT_PLUGIN_BUDGET,
                    used: Duration::ZERO,
                }),
                output: Arc::default(),
            }),
        })
    }

    /// The log budget every plugin of this command shares.
    pub(crate) fn command_output(&self) -> Arc<CommandOutput> {
        self.inner.output.clone()
    }

    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }

    pub(crate) fn linker(&self) -> &Linker<HostState> {
        &self.inner.linker
    }

    /// The component for these bytes: from this process, from the disk
    /// cache, or compiled now (and then cached) if it is within `limits`.
    /// A component compiled before is not measured again: what the limits
    /// bound, the compilation, has already been paid.
    pub fn compile(
        &self,
        origin: &str,
        bytes: &[u8],
        sha256: &str,
        limits: &CompileLimits,
    ) -> Result<Component, LoadError> {
        if let Some(component) = self.cached(sha256) {
            return Ok(component);
        }
        // Malformed bytes are left to wasmtime, whose parser (the same
        // wasmparser) stops at the same place, before compiling anything,
        // and says why in its own words.
        if let Err(refusal @ compile::Refusal::Over { .. }) = compile::check(bytes, limits) {
            return Err(LoadError::TooBig {
                origin: origin.to_string(),
                refusal,
            });
        }
        let component = match compiler::compile(&self.inner.engine, origin, bytes, limits)? {
            Compiled::InProcess(component) => {
                if let Some(cache) = &self.inner.cache {
                    cache.store(sha256, &component);
                }
                component
            }
            Compiled::InChild(artifact) => self.load_child_artifact(origin, sha256, &artifact)?,
        };
        self.memo().insert(sha256.to_string(), component.clone());
        Ok(component)
    }

    /// The component a child compiled: stored in the disk cache as one
    /// compiled here would be (under its MAC), then loaded back through the
    /// cache's checks; deserialized as it came only without a cache, or if
    /// the entry could not be written or read back.
    fn load_child_artifact(
        &self,
        origin: &str,
        sha256: &str,
        artifact: &Artifact,
    ) -> Result<Component, LoadError> {
        if let Some(cache) = &self.inner.cache {
            cache.store_artifact(sha256, artifact.bytes());
            if let Some(component) = cache.load(&self.inner.engine, sha256) {
                return Ok(component);
            }
        }
        artifact.deserialize(&self.inner.engine, origin)
    }

    /// The component with this sha256 if this process or the disk cache
    /// already has it compiled; the bytes are not needed then.
    pub fn cached(&self, sha256: &str) -> Option<Component> {
        if let Some(component) = self.memo().get(sha256) {
            return Some(component.clone());
        }
        let component = self
            .inner
            .cache
            .as_ref()?
            .load(&self.inner.engine, sha256)?;
        self.memo().insert(sha256.to_string(), component.clone());
        Some(component)
    }

    /// The sha256 of a component file hashed by an earlier run, if the file
    /// has not changed since (see `cache::identity`). `None` without a cache.
    pub fn known_sha256(&self, path: &std::path::Path) -> Option<String> {
        self.inner.cache.as_ref()?.known_sha256(path)
    }

    /// Remembers a component file's sha256 for [`Runtime::known_sha256`].
    pub fn remember_sha256(&self, path: &std::path::Path, id: FileId, sha256: &str) {
        if let Some(cache) = &self.inner.cache {
            cache.remember_sha256(path, id, sha256);
        }
    }

    /// What the component with this sha256 said in `describe` when it was
    /// last loaded, if an authentic record keeps it (see
    /// `cache::described`). `None` without a cache.
    pub fn described(&self, sha256: &str) -> Option<DescribedRecord> {
        self.inner.cache.as_ref()?.described(sha256)
    }

    /// Records what a component said in `describe`, for [`Runtime::described`].
    pub fn remember_described(&self, sha256: &str, record: &DescribedRecord) {
        if let Some(cache) = &self.inner.cache {
            cache.remember_described(sha256, record);
        }
    }

    /// Compiles bytes that have no pin to check, computing their hash,
    /// within the default compile limits.
    pub fn compile_bytes(
        &self,
        origin: &str,
        bytes: &[u8],
    ) -> Result<(Component, String), LoadError> {
        let sha256 = sha256_hex(bytes);
        let limits = CompileLimits::default();
        Ok((self.compile(origin, bytes, &sha256, &limits)?, sha256))
    }

    /// Sets the total time this runtime's plugin calls may take together.
    pub fn set_plugin_budget(&self, total: Duration) {
        self.budget().total = total;
    }

    /// The budget and what has been used of it.
    pub fn plugin_budget(&self) -> PluginBudget {
        *self.budget()
    }

    pub(crate) fn charge_plugin_time(&self, spent: Duration) {
        let mut budget = self.budget();
        budget.used = budget.used.saturating_add(spent);
    }

    fn budget(&self) -> std::sync::MutexGuard<'_, PluginBudget> {
        // Two durations: valid whatever a panicking thread left behind.
        self.inner
            .budget
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, HashMap<String, Component>> {
        // A poisoned memo only means another thread panicked mid-insert; the
        // map itself is still a valid cache.
        self.inner
            .compiled
            .lock()
            .unwrap_or_else(|poison| poison.into_inner())
    }
}

/// WASI p2 (granting nothing, see `sandbox`), its monotonic clock replaced
/// by one whose waits end by the call's deadline, and the contract's imports
/// with `log` replaced by the budgeted one.
fn linker(engine: &Engine) -> wasmtime::Result<Linker<HostState>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    linker.allow_shadowing(true);
    wasmtime_wasi::p2::bindings::clocks::monotonic_clock::add_to_linker::<HostState, Clocks>(
        &mut linker,
        HostState::clock_view,
    )?;
    linker.allow_shadowing(false);
    // Every supported contract version's `log`, shared by its three worlds.
    super::bindings::add_to_linker(&mut linker)?;
    Ok(linker)
}

pub(crate) fn engine_config() -> Config {
    let mut config = Config::new();
    config
        .wasm_component_model(true)
        .epoch_interruption(true)
        .max_wasm_stack(MAX_WASM_STACK)
        .cranelift_opt_level(OptLevel::Speed);
    config
}

/// Advances the engine's epoch every tick; stops when the engine is gone.
/// Without it no call could be interrupted, so failing to start it is fatal.
fn spawn_epoch_ticker(engine: &Engine) -> Result<(), RuntimeError> {
    let weak = engine.weak();
    thread::Builder::new()
        .name("pitcrew-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                thread::sleep(EPOCH_TICK);
            }
        })
        .map(drop)
        .map_err(|e| RuntimeError(format!("cannot start the epoch ticker thread: {e}")))
}
