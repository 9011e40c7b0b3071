//! GitHub: what pitcrew hands back to a workflow.

pub mod client;
pub mod context;
pub mod output;
