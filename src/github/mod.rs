//! GitHub: what pitcrew hands back to a workflow.

pub mod author;
pub mod changes;
pub mod check_run;
pub mod client;
pub mod comment;
pub mod context;
pub mod cost;
pub mod fixes;
pub mod history;
pub mod hunks;
pub mod locate;
pub mod markdown;
pub mod output;
pub mod publish;
pub mod review;
pub mod workflow_commands;
