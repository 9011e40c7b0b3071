//! Fix suggestions that the tests verify: a model's SEARCH/REPLACE answer is
//! parsed into [`Edit`]s, checked before anything runs, merged with
//! identical answers, and applied to a separate copy of the tree, where the
//! failing tests must pass and no passing test may fail.

pub mod apply;
pub mod consensus;
pub mod edit;
pub mod parse;
pub mod prompt;
pub mod reject;
pub mod request;
pub mod sandbox;

pub use edit::Edit;
