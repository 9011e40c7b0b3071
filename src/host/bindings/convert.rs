//! Conversions between a contract version's generated records and the
//! host's own (`host::types`). Most records are the same in every version,
//! so one macro writes their conversions into each version's module, where
//! `wit` names that version's generated `types` and `ours` the host's; the
//! records a version changed are converted by hand beside it.

/// `From` both ways for an enum whose cases are the same on both sides.
macro_rules! enum_both_ways {
    ($wit:ty, $ours:ty, $($case:ident),+ $(,)?) => {
        impl From<$wit> for $ours {
            fn from(value: $wit) -> Self {
                match value { $(<$wit>::$case => <$ours>::$case),+ }
            }
        }
        impl From<$ours> for $wit {
            fn from(value: $ours) -> Self {
                match value { $(<$ours>::$case => <$wit>::$case),+ }
            }
        }
    };
}

/// `From` one way for a record whose fields are the same on both sides:
/// each converted with `Into` (so nested records and enums follow), and
/// those after `lists` element by element.
macro_rules! record_into {
    ($from:ty => $to:ty { $($field:ident),+ $(,)? } $(lists { $($list:ident),+ })?) => {
        impl From<$from> for $to {
            fn from(value: $from) -> Self {
                Self {
                    $($field: value.$field.into(),)+
                    $($($list: value.$list.into_iter().map(Into::into).collect(),)+)?
                }
            }
        }
    };
}

/// The conversions of every record unchanged since 0.1.0.
macro_rules! unchanged_since_0_1 {
    () => {
        $crate::host::bindings::convert::enum_both_ways!(wit::ErrorKind, ours::ErrorKind, InvalidInput, Unsupported, Internal);
        $crate::host::bindings::convert::enum_both_ways!(wit::CheckStatus, ours::CheckStatus, Pass, Warn, Fail, Skip);
        $crate::host::bindings::convert::enum_both_ways!(
            wit::Category, ours::Category, Compile, Assertion, Snapshot, Timeout, Selector,
            Runtime, Dependency, Network, Resource, Lint, Config, Unknown,
        );
        $crate::host::bindings::convert::enum_both_ways!(
            wit::Language, ours::Language, Typescript, Javascript, Python, Rust, Go, Java, Other,
        );
        $crate::host::bindings::convert::enum_both_ways!(wit::Specialty, ours::Specialty, Typescript, React, Test, General);
        $crate::host::bindings::convert::record_into!(wit::PluginError => ours::PluginError { kind, message });
        $crate::host::bindings::convert::record_into!(wit::Check => ours::Check { id, layer, status, message, blocking });
        $crate::host::bindings::convert::record_into!(ours::Check => wit::Check { id, layer, status, message, blocking });
        $crate::host::bindings::convert::record_into!(wit::PhaseInfo => ours::PhaseInfo { info, owns, after });
        $crate::host::bindings::convert::record_into!(wit::PhaseOutput => ours::PhaseOutput { keys } lists { checks });
        $crate::host::bindings::convert::record_into!(ours::Failure => wit::Failure { id, test_name, file, message, details });
        $crate::host::bindings::convert::record_into!(wit::Classification => ours::Classification {
            id, category, language, specialty, confidence, evidence,
        });
        $crate::host::bindings::convert::record_into!(ours::Classification => wit::Classification {
            id, category, language, specialty, confidence, evidence,
        });
        $crate::host::bindings::convert::record_into!(ours::RouteRequest => wit::RouteRequest {
            failure, classification, group_size,
        });
        $crate::host::bindings::convert::record_into!(wit::Route => ours::Route {
            model, fallbacks, system_prompt, prompt, max_tokens, temperature,
        });
    };
}

/// One contract version's generated bindings: a `bindgen!` per world over
/// `wit/<version>/` (`types` and `log` generated once, with the phase
/// world, and shared, so a `Check` is one Rust type whichever world
/// produced it), and `Pre`, a component linked against that version for
/// its world, with `describe`, which no version has changed. The calls
/// that differ between versions are written beside it.
macro_rules! version_bindings {
    ($path:tt) => {
        pub mod phase {
            wasmtime::component::bindgen!({ path: $path, world: "phase" });
        }

        pub mod classifier {
            wasmtime::component::bindgen!({
                path: $path,
                world: "classifier",
                with: {
                    "pitcrew:plugin/types": super::phase::pitcrew::plugin::types,
                    "pitcrew:plugin/log": super::phase::pitcrew::plugin::log,
                },
            });
        }

        pub mod router {
            wasmtime::component::bindgen!({
                path: $path,
                world: "router",
                with: {
                    "pitcrew:plugin/types": super::phase::pitcrew::plugin::types,
                    "pitcrew:plugin/log": super::phase::pitcrew::plugin::log,
                },
            });
        }

        pub use phase::pitcrew::plugin::log;
        pub use phase::pitcrew::plugin::types;

        /// A component linked against this version, ready to instantiate
        /// for its world.
        pub enum Pre {
            Phase(phase::PhasePre<HostState>),
            Classifier(classifier::ClassifierPre<HostState>),
            Router(router::RouterPre<HostState>),
        }

        impl Pre {
            /// Fails when the component's exports are not this version's.
            pub fn new(
                world: World,
                pre: wasmtime::component::InstancePre<HostState>,
            ) -> wasmtime::Result<Self> {
                Ok(match world {
                    World::Phase => Pre::Phase(phase::PhasePre::new(pre)?),
                    World::Classifier => Pre::Classifier(classifier::ClassifierPre::new(pre)?),
                    World::Router => Pre::Router(router::RouterPre::new(pre)?),
                })
            }

            pub fn describe(&self, store: &mut Store<HostState>) -> wasmtime::Result<Described> {
                let (info, phase) = match self {
                    Pre::Phase(pre) => {
                        let decl = pre.instantiate(&mut *store)?.call_describe(store)?;
                        let phase = PhaseDecl {
                            owns: decl.owns,
                            after: decl.after,
                        };
                        (decl.info, Some(phase))
                    }
                    Pre::Classifier(pre) => {
                        (pre.instantiate(&mut *store)?.call_describe(store)?, None)
                    }
                    Pre::Router(pre) => (pre.instantiate(&mut *store)?.call_describe(store)?, None),
                };
                Ok(Described {
                    info: info.into(),
                    phase,
                })
            }
        }
    };
}

pub(crate) use {enum_both_ways, record_into, unchanged_since_0_1, version_bindings};
