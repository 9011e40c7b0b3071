//! The fix engine: candidate edits that the tests verify.

pub mod heal;
