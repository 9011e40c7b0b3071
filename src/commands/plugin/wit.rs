//! `pitcrew plugin wit [--version V] [-o DIR]`: the contract, printed or
//! written as `DIR/plugin.wit`, so authors never copy it from the repository.

use std::io::Write as _;
use std::path::Path;

use crate::InputError;
use crate::error::exit;
use crate::host::bindings::{self, Contract};

pub fn run(version: Option<&str>, output: Option<&Path>) -> anyhow::Result<u8> {
    let contract = find(version)?;
    match output {
        None => std::io::stdout()
            .lock()
            .write_all(contract.wit.as_bytes())?,
        Some(dir) => {
            write(dir, contract)?;
            eprintln!("wrote {}", dir.join("plugin.wit").display());
        }
    }
    Ok(exit::SUCCESS)
}

/// The contract of `version`, or the current one; an unknown version is a
/// usage error that lists the supported ones.
pub fn find(version: Option<&str>) -> Result<&'static Contract, InputError> {
    let Some(version) = version else {
        return Ok(bindings::current());
    };
    bindings::contract(version).ok_or_else(|| {
        let known: Vec<&str> = bindings::CONTRACTS.iter().map(|c| c.version).collect();
        InputError::new(format!(
            "--version: no contract {version}; this pitcrew supports {}",
            known.join(", ")
        ))
    })
}

/// Writes `dir/plugin.wit` (creating `dir`), atomically.
pub fn write(dir: &Path, contract: &Contract) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    crate::output::write_atomic(&dir.join("plugin.wit"), contract.wit.as_bytes())
}
