//! What the system lets the parent impose on the compiling child, besides
//! the wall-clock deadline every platform has (see the parent module).

use std::process::{Command, ExitStatus};

use crate::host::limits::CompileLimits;

/// The most threads the child compiles with. Its memory grows with them
/// (the componentize-py component peaked at 400 MiB of data with 2, 568
/// with 8, 677 with 16, 736 with 32), so without a cap a `compile_mib`
/// that fits on one machine could refuse the same plugin on a runner with
/// more cores.
const MAX_THREADS: usize = 8;

/// The threads the child compiles with: the cores, at most [`MAX_THREADS`].
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(MAX_THREADS)
}

/// Sets up the child's command: an environment of its own (nothing of the
/// user's reaches the compiler) that caps its compile threads (wasmtime
/// compiles on rayon's pool), and on Unix its limits, applied between fork
/// and exec.
pub fn prepare(command: &mut Command, limits: &CompileLimits) {
    command
        .env_clear()
        .env("RAYON_NUM_THREADS", threads().to_string());
    os::prepare(command, limits);
}

/// Whether the kernel stopped the child for its CPU time.
pub fn out_of_cpu(status: ExitStatus) -> bool {
    os::out_of_cpu(status)
}

/// In the child, first thing: what can only be set after exec.
pub fn in_child() {
    os::in_child();
}

#[cfg(unix)]
mod os {
    use std::io;
    use std::os::unix::process::CommandExt as _;
    use std::process::{Command, ExitStatus};
    use std::time::Duration;

    use crate::host::limits::CompileLimits;

    pub fn prepare(command: &mut Command, limits: &CompileLimits) {
        let memory = limits.memory_bytes;
        let cpu = cpu_backstop(limits.time);
        // SAFETY: `confine` only makes system calls (getrlimit, setrlimit,
        // prctl), which are async-signal-safe, and allocates nothing.
        unsafe {
            command.pre_exec(move || confine(memory, cpu));
        }
    }

    /// CPU seconds for `RLIMIT_CPU`: a backstop for a child whose parent
    /// could not kill it (outside Linux, a parent that died). The compiler
    /// runs on each of its threads, so a wall-clock limit of `time` allows
    /// up to `time` of CPU per thread.
    fn cpu_backstop(time: Duration) -> u64 {
        let threads = super::threads() as u64;
        time.as_secs().saturating_add(1).saturating_mul(threads)
    }

    /// `SIGXCPU` at the soft limit; the hard one, a second later, is a
    /// `SIGKILL` that could as well be the OOM killer's, so it is not taken
    /// for a time limit.
    pub fn out_of_cpu(status: ExitStatus) -> bool {
        use std::os::unix::process::ExitStatusExt as _;
        status.signal() == Some(libc::SIGXCPU)
    }

    /// Between fork and exec: the memory (`RLIMIT_DATA`) and CPU
    /// (`RLIMIT_CPU`) limits, no core file, and (Linux) death with the
    /// parent.
    fn confine(memory: u64, cpu_seconds: u64) -> io::Result<()> {
        limit(libc::RLIMIT_DATA, memory, memory)?;
        limit(libc::RLIMIT_CPU, cpu_seconds, cpu_seconds.saturating_add(1))?;
        limit(libc::RLIMIT_CORE, 0, 0)?;
        #[cfg(target_os = "linux")]
        // SAFETY: prctl with integer arguments; no memory is passed.
        if unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// The type of `RLIMIT_*`: glibc's own, an int elsewhere.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    type Resource = libc::__rlimit_resource_t;
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    type Resource = libc::c_int;

    /// Lowers a resource limit (never above the hard limit already set: the
    /// user's own limits stand).
    fn limit(resource: Resource, soft: u64, hard: u64) -> io::Result<()> {
        let mut current = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: `current` is a valid rlimit for getrlimit to fill in.
        if unsafe { libc::getrlimit(resource, &mut current) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let max = current.rlim_max;
        let clamp = |value: u64| {
            let value = value as libc::rlim_t;
            if max == libc::RLIM_INFINITY {
                value
            } else {
                value.min(max)
            }
        };
        let new = libc::rlimit {
            rlim_cur: clamp(soft),
            rlim_max: clamp(hard),
        };
        // SAFETY: `new` is a valid rlimit, read by setrlimit.
        if unsafe { libc::setrlimit(resource, &new) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Not dumpable: no core file even where `core_pattern` pipes dumps to
    /// a helper that ignores `RLIMIT_CORE`, and no ptrace by other users.
    /// Exec resets it, so the child sets it on itself.
    pub fn in_child() {
        #[cfg(target_os = "linux")]
        // SAFETY: prctl with integer arguments; no memory is passed.
        unsafe {
            libc::prctl(libc::PR_SET_DUMPABLE, 0);
        }
    }
}

/// Windows: no rlimits, and no memory limit is set (a job object could
/// carry one, not done yet). The job `process_group` puts the child in is
/// kill-on-close: the child dies with its parent. `SystemRoot` is kept,
/// which some system libraries need to load.
#[cfg(not(unix))]
mod os {
    use std::process::{Command, ExitStatus};

    use crate::host::limits::CompileLimits;

    pub fn prepare(command: &mut Command, _: &CompileLimits) {
        if let Some(root) = std::env::var_os("SystemRoot") {
            command.env("SystemRoot", root);
        }
    }

    pub fn out_of_cpu(_: ExitStatus) -> bool {
        false
    }

    pub fn in_child() {}
}
