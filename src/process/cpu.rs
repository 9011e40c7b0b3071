//! How many cores sat idle while something ran: the machine's own idle
//! time (every core's), read before and after. Together with the CPU time
//! our processes used ([`crate::process_group::Group::cpu`]) this says how
//! many cores a run could have had: those it used plus those left idle.
//! A machine shared with other work shows few idle cores, and splitting a
//! CPU-bound suite there only makes its shards compete.
//!
//! Linux reads `/proc/stat` (idle and iowait) for the cores this process
//! may run on (`Cpus_allowed_list`, as `taskset` sets it), Windows
//! `GetSystemTimes`; elsewhere the machine does not say and callers assume
//! every core free.

use std::time::{Duration, Instant};

/// The machine's idle time from one moment on.
#[derive(Clone, Copy, Debug)]
pub struct IdleMeter {
    started: Instant,
    idle: Option<Duration>,
}

impl IdleMeter {
    pub fn start() -> Self {
        Self {
            started: Instant::now(),
            idle: os::idle(),
        }
    }

    /// The average number of idle cores since [`IdleMeter::start`]; `None`
    /// where the platform does not say, or too soon to tell.
    pub fn idle_cores(&self) -> Option<f64> {
        let wall = self.started.elapsed().as_secs_f64();
        let before = self.idle?;
        let after = os::idle()?;
        (wall > 0.05).then(|| after.saturating_sub(before).as_secs_f64() / wall)
    }
}

#[cfg(target_os = "linux")]
mod os {
    use std::collections::BTreeSet;
    use std::time::Duration;

    /// Idle plus iowait (a core waiting on I/O is free for other work),
    /// summed over the cores we may run on, from `/proc/stat`.
    pub fn idle() -> Option<Duration> {
        let text = std::fs::read_to_string("/proc/stat").ok()?;
        let allowed = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| allowed_cpus(&status));
        // SAFETY: `sysconf` only reads a configuration value.
        let ticks_per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
        parse(&text, allowed.as_ref(), ticks_per_second)
    }

    /// The `cpuN` lines of the cores in `allowed`, or the `cpu` line of
    /// them all.
    pub(super) fn parse(
        stat: &str,
        allowed: Option<&BTreeSet<u32>>,
        ticks_per_second: i64,
    ) -> Option<Duration> {
        if ticks_per_second <= 0 {
            return None;
        }
        let mut ticks = 0u64;
        let mut found = false;
        for line in stat.lines() {
            let mut words = line.split_whitespace();
            let counted = match (words.next(), allowed) {
                (Some("cpu"), None) => true,
                (Some(name), Some(allowed)) => name
                    .strip_prefix("cpu")
                    .and_then(|n| n.parse().ok())
                    .is_some_and(|n| allowed.contains(&n)),
                _ => false,
            };
            if !counted {
                continue;
            }
            let fields: Vec<u64> = words.map(str::parse).collect::<Result<_, _>>().ok()?;
            // user nice system idle iowait …
            let idle = fields.get(3)?.checked_add(*fields.get(4).unwrap_or(&0))?;
            ticks = ticks.checked_add(idle)?;
            found = true;
        }
        found.then(|| Duration::from_secs_f64(ticks as f64 / ticks_per_second as f64))
    }

    /// The cores of `Cpus_allowed_list: 0-3,6` in `/proc/self/status`.
    pub(super) fn allowed_cpus(status: &str) -> Option<BTreeSet<u32>> {
        let list = status
            .lines()
            .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
        let mut cpus = BTreeSet::new();
        for range in list.trim().split(',') {
            let (first, last) = range.split_once('-').unwrap_or((range, range));
            let (first, last): (u32, u32) = (first.parse().ok()?, last.parse().ok()?);
            // A sane bound: no machine has a million cores.
            if last < first || last > 1 << 20 {
                return None;
            }
            cpus.extend(first..=last);
        }
        Some(cpus)
    }
}

#[cfg(windows)]
mod os {
    use std::time::Duration;

    use windows_sys::Win32::Foundation::FILETIME;
    use windows_sys::Win32::System::Threading::GetSystemTimes;

    /// Idle time summed over every processor, in units of 100 ns.
    pub fn idle() -> Option<Duration> {
        let (mut idle, mut kernel, mut user) = (
            FILETIME::default(),
            FILETIME::default(),
            FILETIME::default(),
        );
        // SAFETY: three valid out-parameters.
        let ok = unsafe { GetSystemTimes(&raw mut idle, &raw mut kernel, &raw mut user) } != 0;
        let ticks = (u64::from(idle.dwHighDateTime) << 32) | u64::from(idle.dwLowDateTime);
        ok.then(|| Duration::from_nanos(ticks.saturating_mul(100)))
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod os {
    pub fn idle() -> Option<std::time::Duration> {
        None
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn idle_is_idle_plus_iowait_of_the_cores_we_may_use() {
        let stat = "cpu  2708385 96590 482632 538015 27714 0 3357 8260 0 0\n\
                    cpu0 1328517 48223 233945 308304 9134 0 196 4050 0 0\n\
                    cpu1 1379867 48367 248686 229710 18579 0 3161 4210 0 0\n\
                    intr 1 2 3\n";
        let all = os::parse(stat, None, 100).unwrap();
        assert!((all.as_secs_f64() - 5657.29).abs() < 1e-6, "{all:?}");
        let only_1 = os::allowed_cpus("Name:\tx\nCpus_allowed_list:\t1\n").unwrap();
        let cpu1 = os::parse(stat, Some(&only_1), 100).unwrap();
        assert!((cpu1.as_secs_f64() - 2482.89).abs() < 1e-6, "{cpu1:?}");
        assert_eq!(
            os::allowed_cpus("Cpus_allowed_list:\t0-2,5\n").unwrap(),
            [0, 1, 2, 5].into()
        );
        assert_eq!(os::allowed_cpus("Cpus_allowed_list:\t3-1\n"), None);
        assert_eq!(os::allowed_cpus("Name:\tx\n"), None);
        assert_eq!(os::parse("cpu  x y", None, 100), None);
        assert_eq!(os::parse(stat, None, 0), None);
        let none: std::collections::BTreeSet<u32> = [7].into();
        assert_eq!(os::parse(stat, Some(&none), 100), None);
        // The real one, and an interval's worth of it.
        let meter = IdleMeter::start();
        std::thread::sleep(Duration::from_millis(100));
        let idle = meter.idle_cores().expect("Linux says");
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
        // Generous: a tick is 10 ms, and a container may count more cores.
        assert!((0.0..=cores * 4.0).contains(&idle), "{idle}");
    }
}
