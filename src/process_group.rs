//! Child processes in groups of their own, so that a timeout kills the whole
//! tree (a runner's workers, the command a shell started), not only the
//! direct child, and nothing left behind holds our pipes open.
//!
//! On Unix a group is a process group, killed with SIGKILL (or first asked
//! to stop with SIGTERM, for a runner that then writes its report). On
//! Windows it is
//! a job object: every process the child starts joins it, `TerminateJobObject`
//! ends them all (CTRL_BREAK to the child's console group asks them to
//! stop), and the job is created kill-on-close, so even a pitcrew
//! that dies leaves nothing running. (A child could start a process in the
//! instant between its spawn and its assignment to the job; the standard
//! library does not expose the suspended start that would close that gap.)
//!
//! A process outside our group no longer gets the terminal's Ctrl-C, so
//! the first [`spawn`] installs a handler for Ctrl-C and termination that kills
//! every live group, runs the cleanups registered with [`at_interrupt`], and
//! exits with 130, as an interrupted shell command would. Output files are
//! written atomically, so nothing partial is left. From the interrupt on,
//! no new command starts, and `main` waits for the handler's exit rather
//! than report the "success" of work whose commands were killed.
//!
//! A group also says what its command cost in CPU time ([`Group::cpu`]):
//! the user and system time of the command and of every descendant it
//! waited for (Unix: the `rusage` of `wait4`; Windows: the job's
//! accounting, every process that ever ran in it), and, on Linux, how
//! long the command's own process was on a core against how long it was
//! ready to run but waiting for one ([`Group::schedule`], from
//! `/proc/PID/schedstat`, read as it is polled, last as a zombie). The
//! shard planner weighs these to tell how busy the machine was.

use std::process::{Child, Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, Once};
use std::time::Duration;

/// The groups of children still running, for the interrupt handler.
static LIVE: Mutex<Vec<os::Handle>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();
/// Set by the interrupt handler before it kills anything.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// A child in its own group, killed with its group by [`Group::kill`] and
/// forgotten by the interrupt handler when dropped.
pub struct Group {
    pub child: Child,
    handle: os::Handle,
    /// Set once the child is reaped (by [`Group::try_wait`] or
    /// [`Group::wait`]), with its CPU time where the platform says.
    exited: Option<(ExitStatus, Option<Duration>)>,
    /// The command's own process's schedule, as last read.
    schedule: Option<Schedule>,
}

/// How a process shared the cores: the time it ran on one, and the time it
/// was ready to run but waited for one (other work had them all).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Schedule {
    pub running: Duration,
    pub waiting: Duration,
}

impl Schedule {
    /// The fraction of the time it was ready to run that it ran; `None`
    /// when it never was.
    pub fn share(&self) -> Option<f64> {
        let ready = (self.running + self.waiting).as_secs_f64();
        (ready > 0.0).then(|| self.running.as_secs_f64() / ready)
    }
}

impl std::ops::Add for Schedule {
    type Output = Schedule;

    fn add(self, other: Schedule) -> Schedule {
        Schedule {
            running: self.running + other.running,
            waiting: self.waiting + other.waiting,
        }
    }
}

/// Cleanups the interrupt handler runs after killing the groups.
static AT_INTERRUPT: Mutex<Vec<fn()>> = Mutex::new(Vec::new());

/// Spawns `command` in a new group of its own.
pub fn spawn(command: &mut Command) -> std::io::Result<Group> {
    install_handler();
    os::prepare(command);
    // Spawned and listed under the lock the interrupt handler takes first,
    // so every child is either killed by it or never started.
    let mut live = live();
    if interrupted() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted: no new command is started",
        ));
    }
    let child = command.spawn()?;
    let handle = os::adopt(&child)?;
    live.push(handle.clone());
    drop(live);
    Ok(Group {
        child,
        handle,
        exited: None,
        schedule: None,
    })
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

    /// Asks every process of the group to stop (SIGTERM; on Windows
    /// CTRL_BREAK to the child's console group), for a runner that then
    /// writes its report of what finished. Nothing is waited for: call
    /// [`Group::kill`] when it does not stop in time.
    pub fn ask_to_stop(&self) {
        os::ask_to_stop(&self.child);
    }

    /// The child's exit status once it has exited, without blocking. Use
    /// this (or [`Group::wait`]), not the child's own `try_wait`: reaping
    /// is where the CPU time is read.
    pub fn try_wait(&mut self) -> std::io::Result<Option<ExitStatus>> {
        if self.exited.is_none() {
            // Read while it runs, and as a zombie, before it is reaped.
            self.schedule = os::schedule(&self.child).or(self.schedule);
            self.exited = os::reap(&mut self.child, &self.handle, false)?;
        }
        Ok(self.exited.map(|(status, _)| status))
    }

    /// Waits for the child to exit.
    pub fn wait(&mut self) -> std::io::Result<ExitStatus> {
        loop {
            if let Some((status, _)) = self.exited {
                return Ok(status);
            }
            self.schedule = os::schedule(&self.child).or(self.schedule);
            self.exited = os::reap(&mut self.child, &self.handle, true)?;
        }
    }

    /// The CPU time (user and system) the command and the descendants it
    /// waited for used, once it has been reaped; `None` before, or where
    /// the platform does not tell.
    pub fn cpu(&self) -> Option<Duration> {
        self.exited.and_then(|(_, cpu)| cpu)
    }

    /// How the command's own process shared the cores, as last read (its
    /// children's are not included); `None` where the platform does not say.
    pub fn schedule(&self) -> Option<Schedule> {
        self.schedule
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
            let live = live();
            INTERRUPTED.store(true, Ordering::SeqCst);
            for handle in live.iter() {
                os::kill(handle);
            }
            drop(live);
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

/// Whether an interrupt is being handled: the process is about to exit
/// with 130 once the cleanups ran.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// For `main`, before it exits with its own code: once an interrupt is
/// being handled, the handler's exit (130, after its cleanups) must be the
/// process's, not the "success" of work that ended because its commands
/// were killed. So this waits for it.
pub fn wait_if_interrupted() {
    while interrupted() {
        std::thread::park();
    }
}

fn live() -> MutexGuard<'static, Vec<os::Handle>> {
    LIVE.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(unix)]
mod os {
    use std::process::{Child, Command, ExitStatus};
    use std::time::Duration;

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
        // Found before the group dies: then they are orphans, no longer
        // anyone's descendants.
        let strays = strays(handle.0);
        let pid = |id: u32| {
            i32::try_from(id)
                .ok()
                .and_then(rustix::process::Pid::from_raw)
        };
        if let Some(group) = pid(handle.0) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
        for (id, group) in strays {
            let Some(stray) = pid(id) else { continue };
            let _ = match id == group {
                true => rustix::process::kill_process_group(stray, rustix::process::Signal::KILL),
                false => rustix::process::kill_process(stray, rustix::process::Signal::KILL),
            };
        }
    }

    /// The processes descended from `leader` that left its process group,
    /// each with its own group: a runner that starts its tests in groups of
    /// their own (cargo-nextest does, to stop each test's tree) leaves them
    /// running when its group is killed. Read from `/proc` (Linux; none
    /// elsewhere).
    fn strays(leader: u32) -> Vec<(u32, u32)> {
        #[cfg(target_os = "linux")]
        {
            let processes = super::proc_table::read();
            super::proc_table::strays(&processes, leader, std::process::id())
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = leader;
            Vec::new()
        }
    }

    pub fn ask_to_stop(child: &Child) {
        if let Some(pid) = i32::try_from(child.id())
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::TERM);
        }
    }

    pub fn release(_: &Handle) {}

    /// Reaps the child with `wait4`, which also returns its resource usage
    /// (its own and that of the descendants it waited for); `block: false`
    /// returns `None` while it runs. The standard library's `try_wait` is
    /// never called after this has reaped the child.
    pub fn reap(
        child: &mut Child,
        _: &Handle,
        block: bool,
    ) -> std::io::Result<Option<(ExitStatus, Option<Duration>)>> {
        use std::os::unix::process::ExitStatusExt;
        let pid = libc::pid_t::try_from(child.id())
            .map_err(|_| std::io::Error::other("process id out of range"))?;
        let flags = if block { 0 } else { libc::WNOHANG };
        loop {
            let mut status: libc::c_int = 0;
            // SAFETY: an all-zero `rusage` is a valid value of this plain C
            // struct; `wait4` writes both out-parameters, which live here.
            let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
            // SAFETY: `pid` is our own child, not yet reaped (the caller
            // stops calling once it has been), and the pointers are valid.
            let reaped = unsafe { libc::wait4(pid, &raw mut status, flags, &raw mut usage) };
            match reaped {
                0 => return Ok(None),
                -1 => {
                    let error = std::io::Error::last_os_error();
                    if error.kind() == std::io::ErrorKind::Interrupted {
                        continue;
                    }
                    return Err(error);
                }
                _ => {
                    let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime);
                    return Ok(Some((
                        ExitStatus::from_raw(status),
                        Some(Duration::from_secs_f64(cpu)),
                    )));
                }
            }
        }
    }

    /// `/proc/PID/schedstat`: nanoseconds on a core, nanoseconds waiting
    /// for one, timeslices.
    #[cfg(target_os = "linux")]
    pub fn schedule(child: &Child) -> Option<super::Schedule> {
        let text = std::fs::read_to_string(format!("/proc/{}/schedstat", child.id())).ok()?;
        let mut fields = text.split_whitespace().map(str::parse::<u64>);
        let (running, waiting) = (fields.next()?.ok()?, fields.next()?.ok()?);
        Some(super::Schedule {
            running: Duration::from_nanos(running),
            waiting: Duration::from_nanos(waiting),
        })
    }

    #[cfg(not(target_os = "linux"))]
    pub fn schedule(_: &Child) -> Option<super::Schedule> {
        None
    }

    fn seconds(time: libc::timeval) -> f64 {
        (time.tv_sec as f64 + time.tv_usec as f64 / 1e6).max(0.0)
    }
}

#[cfg(windows)]
mod os {
    use std::os::windows::io::AsRawHandle;
    use std::os::windows::process::CommandExt;
    use std::process::{Child, Command, ExitStatus};
    use std::time::Duration;

    use windows_sys::Win32::Foundation::{CloseHandle, HANDLE};
    use windows_sys::Win32::System::Console::{CTRL_BREAK_EVENT, GenerateConsoleCtrlEvent};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
        JOBOBJECT_BASIC_ACCOUNTING_INFORMATION, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JobObjectBasicAccountingInformation, JobObjectExtendedLimitInformation,
        QueryInformationJobObject, SetInformationJobObject, TerminateJobObject,
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

    pub fn ask_to_stop(child: &Child) {
        // The child leads a console process group of its own (`prepare`),
        // whose id is its process id; CTRL_C cannot be sent to a group.
        // SAFETY: a plain Win32 call with no pointers.
        unsafe {
            GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, child.id());
        }
    }

    pub fn release(handle: &Handle) {
        // SAFETY: closed once, by the group's Drop; kill-on-close ends
        // whatever the child left running.
        unsafe {
            CloseHandle(handle.raw());
        }
    }

    /// The child's exit, with the CPU time of every process that ran in
    /// its job (the job's accounting, read once the child has exited).
    pub fn reap(
        child: &mut Child,
        handle: &Handle,
        block: bool,
    ) -> std::io::Result<Option<(ExitStatus, Option<Duration>)>> {
        let status = if block {
            Some(child.wait()?)
        } else {
            child.try_wait()?
        };
        Ok(status.map(|status| (status, job_cpu(handle))))
    }

    pub fn schedule(_: &Child) -> Option<super::Schedule> {
        None
    }

    fn job_cpu(handle: &Handle) -> Option<Duration> {
        let mut info = JOBOBJECT_BASIC_ACCOUNTING_INFORMATION::default();
        let size = u32::try_from(std::mem::size_of_val(&info)).ok()?;
        // SAFETY: the handle is a live job until `release`; `info` is a
        // plain struct of the size given.
        let ok = unsafe {
            QueryInformationJobObject(
                handle.raw(),
                JobObjectBasicAccountingInformation,
                (&raw mut info).cast(),
                size,
                std::ptr::null_mut(),
            )
        } != 0;
        // In units of 100 ns.
        let ticks = info.TotalUserTime.checked_add(info.TotalKernelTime)?;
        (ok && ticks >= 0).then(|| Duration::from_nanos(ticks as u64 * 100))
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

    pub fn ask_to_stop(_: &Child) {}

    pub fn release(_: &Handle) {}

    pub fn schedule(_: &Child) -> Option<super::Schedule> {
        None
    }

    pub fn reap(
        child: &mut Child,
        _: &Handle,
        block: bool,
    ) -> std::io::Result<Option<(std::process::ExitStatus, Option<std::time::Duration>)>> {
        let status = if block {
            Some(child.wait()?)
        } else {
            child.try_wait()?
        };
        Ok(status.map(|status| (status, None)))
    }
}

/// The Linux process table as far as [`os::kill`] needs it: who is whose
/// parent, and in which process group.
#[cfg(target_os = "linux")]
mod proc_table {
    /// (pid, parent pid, process group) of each process `/proc` lists.
    pub fn read() -> Vec<(u32, u32, u32)> {
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| {
                let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                let (parent, group) = parent_and_group(&stat)?;
                Some((pid, parent, group))
            })
            .collect()
    }

    /// The parent pid and process group of a `/proc/PID/stat` line: the
    /// 4th and 5th fields, after the command name in parentheses (which
    /// may itself hold spaces and parentheses: read after the last `)`).
    pub fn parent_and_group(stat: &str) -> Option<(u32, u32)> {
        let mut fields = after_name(stat)?.skip(1);
        let parent = fields.next()?.parse().ok()?;
        let group = fields.next()?.parse().ok()?;
        Some((parent, group))
    }

    /// The fields of a `/proc/PID/stat` line after the command name, its
    /// state first.
    pub fn after_name(stat: &str) -> Option<std::str::SplitAsciiWhitespace<'_>> {
        Some(stat[stat.rfind(')')? + 1..].split_ascii_whitespace())
    }

    /// The descendants of `leader` in `processes` whose group is not
    /// `leader`'s, with their group; none unless `leader` is still a child
    /// of `parent` (us): once reaped, its pid may be another process's,
    /// whose descendants are not ours to kill.
    pub fn strays(processes: &[(u32, u32, u32)], leader: u32, parent: u32) -> Vec<(u32, u32)> {
        let ours = processes
            .iter()
            .any(|&(pid, ppid, _)| pid == leader && ppid == parent);
        if !ours {
            return Vec::new();
        }
        let mut found = Vec::new();
        let mut frontier = vec![leader];
        let mut seen = std::collections::BTreeSet::from([leader]);
        while let Some(parent) = frontier.pop() {
            for &(pid, ppid, group) in processes {
                if ppid == parent && seen.insert(pid) {
                    frontier.push(pid);
                    if group != leader {
                        found.push((pid, group));
                    }
                }
            }
        }
        found
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_stat_line_is_read_after_the_command_name() {
            let stat = "4242 (a) b (c)) S 17 4242 4242 0 -1 4194560 0 0";
            assert_eq!(parent_and_group(stat), Some((17, 4242)));
            assert_eq!(parent_and_group("garbage"), None);
        }

        #[test]
        fn strays_are_descendants_in_groups_of_their_own() {
            // 10 leads its group (a child of 1, us); 11 stays in it and
            // starts 12 in a group of its own (a test), which starts 13;
            // 20 is no descendant.
            let table = [
                (10, 1, 10),
                (11, 10, 10),
                (12, 11, 12),
                (13, 12, 12),
                (20, 1, 10),
            ];
            assert_eq!(strays(&table, 10, 1), [(12, 12), (13, 12)]);
            assert!(strays(&table, 99, 1).is_empty());
            // A leader that is not our child (its pid reused once it was
            // reaped) has no strays of ours.
            assert!(strays(&table, 10, 2).is_empty());
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn alive(pid: u32) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .ok()
            .and_then(|stat| {
                let state = proc_table::after_name(&stat)?.next()?;
                Some(state != "Z" && state != "X")
            })
            .unwrap_or(false)
    }

    /// cargo-nextest starts each test in a process group of its own: at a
    /// timeout or Ctrl-C, killing the runner's group left the hung test
    /// running, an orphan, for as long as it liked.
    #[test]
    fn a_kill_reaches_descendants_that_left_the_group() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let script = format!(
            "setsid sleep 300 & echo $! > '{}'; wait",
            pid_file.display()
        );
        let mut group = spawn(Command::new("sh").args(["-c", &script])).unwrap();
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        let stray: u32 = loop {
            let written = std::fs::read_to_string(&pid_file).unwrap_or_default();
            if let Ok(pid) = written.trim().parse() {
                break pid;
            }
            assert!(std::time::Instant::now() < deadline, "no pid written");
            std::thread::sleep(Duration::from_millis(20));
        };
        // Until `setsid` has made its group, the stray is still in ours.
        while proc_table::read()
            .iter()
            .any(|&(pid, _, g)| pid == stray && g != stray)
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(alive(stray));
        group.kill();
        group.wait().unwrap();
        while alive(stray) && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(!alive(stray), "pid {stray} outlived its runner's group");
    }
}
