//! Child processes in process groups of their own, so that a timeout kills
//! the whole tree (a runner's workers, the command a shell started), not
//! only the direct child, and nothing left behind holds our pipes open.
//!
//! A process outside our group no longer gets the terminal's Ctrl-C, so
//! the first [`spawn`] installs a handler for SIGINT and SIGTERM that kills
//! every live group and exits with 130, as an interrupted shell command
//! would. Output files are written atomically, so nothing partial is left.

use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, Once};

/// Process group ids (the leaders' pids) of children still running.
static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// A child in its own group, killed with its group by [`Group::kill`] and
/// forgotten by the interrupt handler when dropped.
pub struct Group {
    pub child: Child,
}

/// Spawns `command` as the leader of a new process group.
pub fn spawn(command: &mut Command) -> std::io::Result<Group> {
    HANDLER.call_once(|| {
        if let Err(e) = ctrlc::set_handler(|| {
            for &id in live().iter() {
                kill_group(id);
            }
            std::process::exit(130);
        }) {
            tracing::debug!("no interrupt handler: {e}");
        }
    });
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let child = command.spawn()?;
    live().push(child.id());
    Ok(Group { child })
}

impl Group {
    /// Kills every process of the group. Call it before reaping a child
    /// that is still running (so the id cannot have been reused), and again
    /// after it exited to stop what it left behind; errors only mean there
    /// was nothing left to kill.
    pub fn kill(&mut self) {
        kill_group(self.child.id());
        #[cfg(not(unix))]
        let _ = self.child.kill();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let id = self.child.id();
        live().retain(|&live| live != id);
    }
}

fn live() -> MutexGuard<'static, Vec<u32>> {
    LIVE.lock().unwrap_or_else(|poison| poison.into_inner())
}

fn kill_group(id: u32) {
    #[cfg(unix)]
    if let Some(pid) = i32::try_from(id)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
    }
    #[cfg(not(unix))]
    let _ = id;
}
