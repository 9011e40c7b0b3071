//! Distributed testing: JUnit in, shard plans out, shards run with retries,
//! results merged without losing a test.

pub mod changed;
pub mod checkout;
pub mod collect;
mod coverage_gate;
pub mod discover;
pub mod exec;
pub mod executor;
pub mod fold;
mod go_source;
mod go_unrun;
pub mod jest_json;
pub mod jest_results;
pub mod junit;
pub mod junit_write;
pub mod merge;
pub mod phases;
pub mod plan;
pub mod planning;
pub mod progress;
pub mod publish;
pub mod pytest_cache;
pub mod render;
pub mod result;
pub mod runners;
pub mod shard;
pub mod slow_files;
pub mod split;
pub mod startup;
pub mod timings;
mod together;
