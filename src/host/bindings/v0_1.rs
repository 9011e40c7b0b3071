//! `pitcrew:plugin@0.1.0`: one `bindgen!` per world. The `types` and `log`
//! interfaces are generated once (with the phase world) and shared, so a
//! `Check` is the same Rust type whichever world produced it.

pub mod phase {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "phase",
    });
}

pub mod classifier {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "classifier",
        with: {
            "pitcrew:plugin/types": super::phase::pitcrew::plugin::types,
            "pitcrew:plugin/log": super::phase::pitcrew::plugin::log,
        },
    });
}

pub mod router {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "router",
        with: {
            "pitcrew:plugin/types": super::phase::pitcrew::plugin::types,
            "pitcrew:plugin/log": super::phase::pitcrew::plugin::log,
        },
    });
}

pub use phase::pitcrew::plugin::log;
pub use phase::pitcrew::plugin::types;

/// The contract version these bindings implement.
pub const VERSION: &str = "0.1.0";
