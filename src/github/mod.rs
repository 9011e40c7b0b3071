//! GitHub: what pitcrew hands back to a workflow.

pub mod output;
