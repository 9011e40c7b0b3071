//! `pitcrew plugin new --world W --lang L NAME [--dir DIR]`.

use std::path::PathBuf;

use crate::InputError;
use crate::error::exit;
use crate::host::{World, bindings};
use crate::scaffold::{self, Lang, ScaffoldError};

pub fn run(world: World, lang: Lang, name: &str, dir: Option<PathBuf>) -> anyhow::Result<u8> {
    let project = scaffold::project(name, world, lang, bindings::current())
        .map_err(|e| InputError::new(e.to_string()))?;
    let dir = dir.unwrap_or_else(|| PathBuf::from(name));
    scaffold::write(&project, &dir).map_err(|e| match e {
        ScaffoldError::Write(..) => anyhow::Error::new(e),
        other => InputError::new(other.to_string()).into(),
    })?;
    let shown = crate::escape::control_chars(&dir.display().to_string()).into_owned();
    println!("wrote a {world} plugin in {lang:?} to {shown}");
    println!("  cd {shown}");
    println!("  {}", project.build_command(world));
    println!("  {}", project.test);
    Ok(exit::SUCCESS)
}
