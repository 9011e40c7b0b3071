//! Bounds on what compiling a plugin may cost, checked before Cranelift
//! sees it.
//!
//! Compiling is the one thing the host does for a plugin that no call limit
//! covers: it happens before any call, cannot be interrupted, and costs
//! about 0.5 s of CPU and 20 MiB of host memory per MB of code (measured
//! with `probe_compile_bomb` in `tests/sandbox_attacks.rs`). Wasmtime 48 has
//! no setting that bounds it (no compile fuel or deadline); its parser only
//! caps a function at 7.6 MB and a module at 1 GiB. So the component is
//! walked once with wasmparser, which reads section headers and function
//! sizes without validating or compiling anything (milliseconds for an
//! 18 MB Python component), and refused when any measure is over its limit.

use std::fmt;
use std::time::Duration;

use wasmparser::{ComponentInstance, Encoding, Parser, Payload};

use super::{MIB, human_bytes, human_duration};

/// What a plugin's component may weigh before it is compiled.
/// Configurable per plugin in `pitcrew.toml`, like the call limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CompileLimits {
    /// The component file (`component_mib`).
    pub component_bytes: u64,
    /// Every code section of every core module, together (`code_mib`).
    pub code_bytes: u64,
    /// Functions defined by every core module, together (`functions`).
    pub functions: u64,
    /// The largest single function body (`function_kib`): Cranelift's
    /// time and memory grow faster than linearly in one function's size.
    pub function_bytes: u64,
    /// Core modules and nested components (`modules`).
    pub modules: u64,
    /// Core and component instances once nested components are flattened
    /// (`instances`), as wasmtime compiles them: a component instantiating
    /// its inner component twice, twenty levels deep, is a million
    /// instances (a 431-byte file compiled in 3.8 s at 320 MiB).
    pub instances: u64,
    /// Imports, exports, aliases, types and canonical functions of the
    /// component and its modules (`declarations`): each costs the compiler
    /// type information or a trampoline, about 1.5 KiB of host memory per
    /// byte of file (100,000 function imports in 1 MB took 160 MiB).
    pub declarations: u64,
    /// Wall-clock time the compilation itself may take (`compile_seconds`),
    /// enforced by compiling in a child process that is killed at the
    /// deadline (see `host::compiler`).
    pub time: Duration,
    /// Memory the compiling process may map writable (`compile_mib`): its
    /// `RLIMIT_DATA` on Unix (heap, thread stacks and the artifact
    /// included); not applied on Windows.
    pub memory_bytes: u64,
}

/// The defaults leave a wide margin over real plugins, measured with
/// `probe_component` in `tests/sandbox_compile.rs`: an 18 MB
/// componentize-py component (CPython) has 6.3 MiB of code in 15 modules and
/// components, 13,355 functions, a largest body of 417 KiB, 66 instances
/// and 9,199 declarations;
/// componentize-js's engine 8.8 MiB of code in 12,584 functions; the
/// built-ins are far smaller. At the limits a compile still costs seconds
/// (about 16 s and 640 MiB for 32 MiB of code), not minutes or gigabytes.
///
/// The time and memory of the compilation itself are bounded too: the
/// componentize-py component above took 8 to 26 s of wall time (16 s of
/// CPU) in a release build on a quiet and on a loaded 2-core machine, 41 s
/// in a debug build, and peaked at 360 MiB RSS (refused at a `compile_mib`
/// of 320, compiled at 512);
/// 120 s and 1 GiB leave it room on a slow runner.
impl Default for CompileLimits {
    fn default() -> Self {
        Self {
            component_bytes: 64 * MIB,
            code_bytes: 32 * MIB,
            functions: 100_000,
            function_bytes: 2 * MIB,
            modules: 64,
            instances: 512,
            declarations: 50_000,
            time: Duration::from_secs(120),
            memory_bytes: 1024 * MIB,
        }
    }
}

/// One measure of a component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    ComponentBytes,
    CodeBytes,
    Functions,
    FunctionBytes,
    Modules,
    Instances,
    Declarations,
}

impl Measure {
    /// The `pitcrew.toml` key that sets its limit.
    pub fn key(self) -> &'static str {
        match self {
            Measure::ComponentBytes => "component_mib",
            Measure::CodeBytes => "code_mib",
            Measure::Functions => "functions",
            Measure::FunctionBytes => "function_kib",
            Measure::Modules => "modules",
            Measure::Instances => "instances",
            Measure::Declarations => "declarations",
        }
    }

    fn limit(self, limits: &CompileLimits) -> u64 {
        match self {
            Measure::ComponentBytes => limits.component_bytes,
            Measure::CodeBytes => limits.code_bytes,
            Measure::Functions => limits.functions,
            Measure::FunctionBytes => limits.function_bytes,
            Measure::Modules => limits.modules,
            Measure::Instances => limits.instances,
            Measure::Declarations => limits.declarations,
        }
    }

    fn is_bytes(self) -> bool {
        matches!(
            self,
            Measure::ComponentBytes | Measure::CodeBytes | Measure::FunctionBytes
        )
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Measure::ComponentBytes => "component size",
            Measure::CodeBytes => "code size",
            Measure::Functions => "functions",
            Measure::FunctionBytes => "largest function body",
            Measure::Modules => "core modules and components",
            Measure::Instances => "instances (nested components flattened)",
            Measure::Declarations => "declarations (imports, exports, aliases, types)",
        })
    }
}

/// Why a component is not compiled. `Display` reads as the end of
/// "ORIGIN: not compiled: …".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{}", over(*.measure, *.value, *.limit))]
    Over {
        measure: Measure,
        /// How much was found (a lower bound: the walk stops at the first
        /// measure over its limit).
        value: u64,
        limit: u64,
    },
    #[error("not a WebAssembly component: {0}")]
    Malformed(String),
    /// Compiling went on past `compile_seconds` and was stopped.
    #[error(
        "compile time: over the limit of {} (`compile_seconds` in pitcrew.toml)",
        human_duration(*.0)
    )]
    Time(Duration),
    /// Compiling needed more memory than `compile_mib` and was stopped.
    #[error(
        "compile memory: over the limit of {} (`compile_mib` in pitcrew.toml)",
        human_bytes(*.0)
    )]
    Memory(u64),
}

fn over(measure: Measure, value: u64, limit: u64) -> String {
    let (value, limit) = match measure.is_bytes() {
        true => (format!("{value} bytes"), human_bytes(limit)),
        false => (value.to_string(), limit.to_string()),
    };
    format!(
        "{measure}: {value}, over the limit of {limit} (`{}` in pitcrew.toml)",
        measure.key()
    )
}

/// What was found in a component that passed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Measures {
    pub component_bytes: u64,
    pub code_bytes: u64,
    pub functions: u64,
    pub function_bytes: u64,
    pub modules: u64,
    pub instances: u64,
    pub declarations: u64,
}

impl Measures {
    fn get(&self, measure: Measure) -> u64 {
        match measure {
            Measure::ComponentBytes => self.component_bytes,
            Measure::CodeBytes => self.code_bytes,
            Measure::Functions => self.functions,
            Measure::FunctionBytes => self.function_bytes,
            Measure::Modules => self.modules,
            Measure::Instances => self.instances,
            Measure::Declarations => self.declarations,
        }
    }

    /// The first measure over its limit. Called after every section, so
    /// a million declared functions are refused before a body is read.
    fn check(&self, limits: &CompileLimits) -> Result<(), Refusal> {
        use Measure::*;
        for measure in [
            ComponentBytes,
            CodeBytes,
            Functions,
            FunctionBytes,
            Modules,
            Instances,
            Declarations,
        ] {
            let (value, limit) = (self.get(measure), measure.limit(limits));
            if value > limit {
                return Err(Refusal::Over {
                    measure,
                    value,
                    limit,
                });
            }
        }
        Ok(())
    }
}

/// Counts instances as wasmtime's compiler flattens them: instantiating a
/// component costs what that component's own instances cost.
#[derive(Default)]
struct Flattened {
    /// One frame per module or component being parsed: `None` for a core
    /// module, the component's instances so far for a component.
    stack: Vec<Option<u64>>,
    /// The most instances any component parsed so far flattens to: a bound
    /// on what instantiating any component in reach costs (an outer alias
    /// can only name one parsed before).
    largest: u64,
}

impl Flattened {
    fn enter(&mut self, component: bool) {
        self.stack.push(component.then_some(0));
    }

    fn leave(&mut self) {
        if let Some(Some(count)) = self.stack.pop() {
            self.largest = self.largest.max(count);
        }
    }

    fn add(&mut self, n: u64) {
        if let Some(Some(count)) = self.stack.last_mut() {
            *count = count.saturating_add(n);
        }
    }

    /// A component instantiated: itself, and everything it flattens to.
    fn instantiate(&mut self) {
        self.add(self.largest.saturating_add(1));
    }

    fn most(&self) -> u64 {
        let open = self.stack.iter().flatten().copied().max().unwrap_or(0);
        self.largest.max(open)
    }
}

/// Measures a component (nested modules and components included) and
/// refuses it at the first measure over its limit. Only parses: validity is
/// left to wasmtime, which validates while it compiles.
pub fn check(bytes: &[u8], limits: &CompileLimits) -> Result<Measures, Refusal> {
    let mut found = Measures {
        component_bytes: bytes.len() as u64,
        ..Measures::default()
    };
    found.check(limits)?;
    let mut flattened = Flattened::default();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| Refusal::Malformed(e.message().to_string()))?;
        match payload {
            Payload::CodeSectionStart { count, size, .. } => {
                found.functions += u64::from(count);
                found.code_bytes += u64::from(size);
            }
            Payload::CodeSectionEntry(body) => {
                found.function_bytes = found.function_bytes.max(body.range().len() as u64);
            }
            Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => {
                found.modules += 1;
            }
            Payload::Version { encoding, .. } => {
                flattened.enter(encoding == Encoding::Component);
            }
            Payload::End(_) => flattened.leave(),
            Payload::InstanceSection(section) => flattened.add(u64::from(section.count())),
            Payload::ComponentInstanceSection(section) => {
                for instance in section {
                    match instance.map_err(|e| Refusal::Malformed(e.message().to_string()))? {
                        ComponentInstance::Instantiate { .. } => flattened.instantiate(),
                        ComponentInstance::FromExports(_) => flattened.add(1),
                    }
                }
            }
            Payload::TypeSection(section) => found.declarations += u64::from(section.count()),
            Payload::ImportSection(section) => found.declarations += u64::from(section.count()),
            Payload::ExportSection(section) => found.declarations += u64::from(section.count()),
            Payload::CoreTypeSection(section) => found.declarations += u64::from(section.count()),
            Payload::ComponentTypeSection(section) => {
                found.declarations += u64::from(section.count());
            }
            Payload::ComponentImportSection(section) => {
                found.declarations += u64::from(section.count());
            }
            Payload::ComponentExportSection(section) => {
                found.declarations += u64::from(section.count());
            }
            Payload::ComponentAliasSection(section) => {
                found.declarations += u64::from(section.count());
            }
            Payload::ComponentCanonicalSection(section) => {
                found.declarations += u64::from(section.count());
            }
            _ => continue,
        }
        found.instances = found.instances.max(flattened.most());
        found.check(limits)?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_measure_the_value_the_limit_and_the_key() {
        let refusal = Refusal::Over {
            measure: Measure::FunctionBytes,
            value: 7_000_003,
            limit: 2 * MIB,
        };
        assert_eq!(
            refusal.to_string(),
            "largest function body: 7000003 bytes, over the limit of 2 MiB (`function_kib` in pitcrew.toml)"
        );
        let refusal = Refusal::Over {
            measure: Measure::Instances,
            value: 10_000,
            limit: 512,
        };
        assert_eq!(
            refusal.to_string(),
            "instances (nested components flattened): 10000, over the limit of 512 (`instances` in pitcrew.toml)"
        );
    }

    #[test]
    fn garbage_is_malformed_and_size_is_checked_first() {
        let limits = CompileLimits::default();
        assert!(matches!(
            check(b"not wasm", &limits),
            Err(Refusal::Malformed(_))
        ));
        let small = CompileLimits {
            component_bytes: 4,
            ..limits
        };
        assert!(matches!(
            check(b"not wasm", &small),
            Err(Refusal::Over {
                measure: Measure::ComponentBytes,
                value: 8,
                limit: 4
            })
        ));
    }
}
