pub mod aggregate;
pub mod spec;
