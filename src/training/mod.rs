//! Distributed-training pre-flight: the spec and worker reports, the facts
//! the plan's phases decide over, the plan pipeline, and robust aggregation.

pub mod aggregate;
pub mod facts;
pub mod gather;
pub mod plan;
pub mod spec;
