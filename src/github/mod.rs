//! GitHub: what pitcrew hands back to a workflow.

pub mod changes;
pub mod client;
pub mod context;
pub mod cost;
pub mod history;
pub mod output;
