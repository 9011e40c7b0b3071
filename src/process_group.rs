//! Child processes in groups of their own, so that a timeout kills the whole
//! tree (a runner's workers, the command a shell started), not only the
//! direct child, and nothing left behind holds our pipes open.
//!
//! On Unix a group is a process group, killed with SIGKILL. On Windows it is
//! a job object: every process the child starts joins it, `TerminateJobObject`
//! ends them all, and the job is created kill-on-close, so even a pitcrew
//! that dies leaves nothing running. (A child could start a process in the
//! instant between its spawn and its assignment to the job; the standard
//! library does not expose the suspended start that would close that gap.)
//!
//! A process outside our group no longer gets the terminal's Ctrl-C, so
//! the first [`spawn`] installs a handler for Ctrl-C and termination that kills
//! every live group, runs the cleanups registered with [`at_interrupt`], and
//! exits with 130, as an interrupted shell command would. Output files are
//! written atomically, so nothing partial is left.

use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, Once};

/// The groups of children still running, for the interrupt handler.
static LIVE: Mutex<Vec<os::Handle>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

/// A child in its own group, killed with its group by [`Group::kill`] and
/// forgotten by the interrupt handler when dropped.
pub struct Group {
    pub child: Child,
    handle: os::Handle,
}

/// Cleanups the interrupt handler runs after killing the groups.
static AT_INTERRUPT: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Spawns `command` in a new group of its own.
pub fn spawn(command: &mut Command) -> std::io::Result<Group> {
    install_handler();
    os::prepare(command);
    let child = command.spawn()?;
    let handle = os::adopt(&child)?;
    live().push(handle.clone());
    Ok(Group { child, handle })
}

impl Group {
    /// Kills every process of the group. Call it before reaping a child
    /// that is still running (so the id cannot have been reused), and again
    /// after it exited to stop what it left behind; errors only mean there
    /// was nothing left to kill.
    pub fn kill(&mut self) {
        os::kill(&self.handle);
        #[cfg(not(any(unix, windows)))]
        let _ = self.child.kill();
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        live().retain(|live| *live != self.handle);
        os::release(&self.handle);
    }
}

/// Runs `cleanup` when Ctrl-C or termination ends the process, after every
/// live group is killed (so nothing still writes where it cleans): for what
/// must not be left behind, such as temporary worktrees. Installs the
/// handler now if no child was spawned yet.
pub fn at_interrupt(cleanup: fn()) {
    install_handler();
    AT_INTERRUPT
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(cleanup);
}

fn install_handler() {
    HANDLER.call_once(|| {
        if let Err(e) = ctrlc::set_handler(|| {
            for handle in live().iter() {
                os::kill(handle);
            }
            let hooks = AT_INTERRUPT.lock().unwrap_or_else(|p| p.into_inner());
            for cleanup in hooks.iter() {
                cleanup();
            }
            std::process::exit(130);
        }) {
            tracing::debug!("no interrupt handler: {e}");
        }
    });
}

fn live() -> MutexGuard<'static, Vec<os::Handle>> {
    LIVE.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(unix)]
mod os {
    use std::process::{Child, Command};

    /// The group's id: its leader's pid.
    #[derive(Clone, PartialEq, Eq)]
    pub struct Handle(u32);

    pub fn prepare(command: &mut Command) {
        std::os::unix::process::CommandExt::process_group(command, 0);
    }

    pub fn adopt(child: &Child) -> std::io::Result<Handle> {
        Ok(Handle(child.id()))
    }

    pub fn kill(handle: &Handle) {
        if let Some(pid) = i32::try_from(handle.0)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }

    pub fn release(_: &Handle) {}
}

#[cfg(windows)]
mod os {
    use std::os::windows::io::AsRawHandle;
    use std::os::windows::process::CommandExt;
    use std::process::{Child, Command};

    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
        SetInformationJobObject, TerminateJobObject,
    };
    use windows_sys::Win32::System::Threading::CREATE_NEW_PROCESS_GROUP;

    /// The job object's handle, as an address so that it can sit in a static.
    #[derive(Clone, PartialEq, Eq)]
    pub struct Handle(usize);

    impl Handle {
        fn raw(&self) -> HANDLE {
            self.0 as HANDLE
        }
    }

    pub fn prepare(command: &mut Command) {
        // Its own console process group: the terminal's Ctrl-C goes to us,
        // and we end the job, as on Unix.
        command.creation_flags(CREATE_NEW_PROCESS_GROUP);
    }

    pub fn adopt(child: &Child) -> std::io::Result<Handle> {
        // SAFETY: plain Win32 calls on a job we create and own, and on the
        // child's process handle, which `child` keeps open for the duration.
        unsafe {
            let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
            if job.is_null() {
                return Err(std::io::Error::last_os_error());
            }
            let mut limits = JOBOBJECT_EXTENDED_LIMIT_INFORMATION::default();
            limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
            let size = u32::try_from(std::mem::size_of_val(&limits)).unwrap_or(u32::MAX);
            let ok = SetInformationJobObject(
                job,
                JobObjectExtendedLimitInformation,
                (&raw const limits).cast(),
                size,
            ) != 0
                && AssignProcessToJobObject(job, child.as_raw_handle() as HANDLE) != 0;
            if !ok {
                let error = std::io::Error::last_os_error();
                CloseHandle(job);
                return Err(error);
            }
            Ok(Handle(job as usize))
        }
    }

    pub fn kill(handle: &Handle) {
        // SAFETY: the handle is a live job until `release`.
        unsafe {
            TerminateJobObject(handle.raw(), 1);
        }
    }

    pub fn release(handle: &Handle) {
        // SAFETY: closed once, by the group's Drop; kill-on-close ends
        // whatever the child left running.
        unsafe {
            CloseHandle(handle.raw());
        }
    }
}

#[cfg(not(any(unix, windows)))]
mod os {
    use std::process::{Child, Command};

    #[derive(Clone, PartialEq, Eq)]
    pub struct Handle(u32);

    pub fn prepare(_: &mut Command) {}

    pub fn adopt(child: &Child) -> std::io::Result<Handle> {
        Ok(Handle(child.id()))
    }

    pub fn kill(_: &Handle) {}

    pub fn release(_: &Handle) {}
}
