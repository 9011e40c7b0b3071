//! What a component is, read from its type alone: which world it
//! implements and which contract version it was built against.

use std::fmt;

use wasmtime::Engine;
use wasmtime::component::Component;

/// The three plugin worlds of the contract.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum World {
    Phase,
    Classifier,
    Router,
}

impl World {
    /// The functions a component must export to implement the world.
    pub fn exports(self) -> &'static [&'static str] {
        match self {
            World::Phase => &["describe", "run"],
            World::Classifier => &["describe", "classify"],
            World::Router => &["describe", "route"],
        }
    }

    pub const ALL: [World; 3] = [World::Phase, World::Classifier, World::Router];
}

impl fmt::Display for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            World::Phase => "phase",
            World::Classifier => "classifier",
            World::Router => "router",
        })
    }
}

pub const PACKAGE: &str = "pitcrew:plugin";

/// A component's imports and exports, and what they say about it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Inspection {
    pub world: Option<World>,
    /// The `pitcrew:plugin` version named by its imports.
    pub contract_version: Option<String>,
    pub imports: Vec<String>,
    pub exports: Vec<String>,
}

pub fn inspect(engine: &Engine, component: &Component) -> Inspection {
    let ty = component.component_type();
    let imports: Vec<String> = ty
        .imports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    let exports: Vec<String> = ty
        .exports(engine)
        .map(|(name, _)| name.to_string())
        .collect();
    let world = World::ALL.into_iter().find(|world| {
        world
            .exports()
            .iter()
            .all(|f| exports.iter().any(|e| e == f))
    });
    let contract_version = imports.iter().find_map(|name| contract_version(name));
    Inspection {
        world,
        contract_version,
        imports,
        exports,
    }
}

/// An import the sandbox links (so the component loads) but refuses at run
/// time, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Denied {
    pub import: String,
    pub reason: &'static str,
}

/// Which of `imports` ask for what the sandbox never grants: sockets and
/// name lookups (no network), files and directories (no preopens). Every
/// Rust std component imports `wasi:filesystem` for its start-up, so that
/// one only means the plugin *may* try.
pub fn denied_imports(imports: &[String]) -> Vec<Denied> {
    imports
        .iter()
        .filter_map(|import| {
            let reason = if import.starts_with("wasi:sockets/") {
                "network (wasi:sockets)"
            } else if import.starts_with("wasi:filesystem/") {
                "files (wasi:filesystem)"
            } else if import.starts_with("wasi:http/") {
                "network (wasi:http)"
            } else {
                return None;
            };
            Some(Denied {
                import: import.clone(),
                reason,
            })
        })
        .collect()
}

/// `pitcrew:plugin/types@0.1.0` → `0.1.0`.
fn contract_version(import: &str) -> Option<String> {
    let rest = import.strip_prefix(PACKAGE)?.strip_prefix('/')?;
    let (_, version) = rest.split_once('@')?;
    Some(version.to_string())
}

/// Whether a plugin built against `found` can be served by bindings for
/// `supported`: same major, and for 0.x the same minor (semver's rule).
pub fn compatible(found: &str, supported: &str) -> bool {
    let parts = |v: &str| -> Option<(u64, u64)> {
        let mut it = v.split('.');
        Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
    };
    match (parts(found), parts(supported)) {
        (Some((0, a)), Some((0, b))) => a == b,
        (Some((a, _)), Some((b, _))) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_version_is_read_from_pitcrew_imports_only() {
        assert_eq!(
            contract_version("pitcrew:plugin/types@0.1.0").as_deref(),
            Some("0.1.0")
        );
        assert_eq!(contract_version("wasi:cli/stdout@0.2.6"), None);
        assert_eq!(contract_version("pitcrew:plugin/types"), None);
    }

    #[test]
    fn sockets_and_files_are_named_as_refused() {
        let imports: Vec<String> = [
            "wasi:sockets/tcp@0.2.3",
            "wasi:filesystem/preopens@0.2.3",
            "wasi:cli/stdout@0.2.3",
            "pitcrew:plugin/log@0.1.0",
        ]
        .map(String::from)
        .to_vec();
        let denied = denied_imports(&imports);
        assert_eq!(denied.len(), 2);
        assert_eq!(denied[0].reason, "network (wasi:sockets)");
        assert_eq!(denied[1].import, "wasi:filesystem/preopens@0.2.3");
    }

    #[test]
    fn semver_compatibility() {
        assert!(compatible("0.1.0", "0.1.0"));
        assert!(compatible("0.1.3", "0.1.0"));
        assert!(!compatible("0.2.0", "0.1.0"));
        assert!(!compatible("9.0.0", "0.1.0"));
        assert!(compatible("1.4.0", "1.0.0"));
        assert!(!compatible("garbage", "0.1.0"));
    }
}
