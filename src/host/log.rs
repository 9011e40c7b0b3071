//! The `log` import, with a budget. A message at a level the host's filter
//! drops is dropped before its text is even read; the rest is read straight
//! from the plugin's memory, cut to what the budget allows, escaped, and
//! kept until the call ends, so a slow reader of the host's log can never
//! hold a call past its deadline.

use wasmtime::StoreContextMut;
use wasmtime::component::{Linker, WasmStr};

use super::bindings::v0_1::log::Level;
use super::output_budget::OutputBudget;
use super::sandbox::HostState;
use crate::escape;

/// Per call: at most this many messages and bytes reach the log.
pub const MAX_LINES: u32 = 1000;
pub const MAX_BYTES: usize = 256 * 1024;
/// Longer messages are cut.
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;

const TARGET: &str = "pitcrew::plugin";

/// What one call logged, and what it was refused.
#[derive(Debug, Default)]
pub struct LogBuffer {
    kept: Vec<(Level, String)>,
    bytes: usize,
    dropped_messages: u64,
    dropped_bytes: u64,
}

impl LogBuffer {
    /// `text` is the message or a prefix of it (only the first
    /// `MAX_MESSAGE_BYTES` are used); `full_len` its whole length.
    pub(crate) fn push(&mut self, level: Level, text: &str, full_len: usize) {
        if self.kept.len() >= MAX_LINES as usize || self.bytes >= MAX_BYTES {
            self.dropped_messages += 1;
            self.dropped_bytes += full_len as u64;
            return;
        }
        // Cut as escaped: 16 KiB of DEL escaped to 96 KiB (round 65).
        let room = MAX_MESSAGE_BYTES.min(MAX_BYTES - self.bytes);
        let (mut line, used) = escape::escaped_prefix(text, room);
        self.bytes += line.len();
        let cut_bytes = full_len.saturating_sub(used);
        if cut_bytes > 0 {
            self.dropped_bytes += cut_bytes as u64;
            line.push_str(&format!(" … ({cut_bytes} bytes cut)"));
        }
        self.kept.push((level, line));
    }

    /// Sends what was kept to the host log, prefixed with the plugin's
    /// label, as far as `output` allows.
    pub fn flush(&mut self, label: &str, output: &OutputBudget) {
        for (level, line) in self.kept.drain(..) {
            if !output.admit(label, line.len()) {
                continue;
            }
            match level {
                Level::Trace => tracing::trace!(target: TARGET, "[{label}] {line}"),
                Level::Debug => tracing::debug!(target: TARGET, "[{label}] {line}"),
                Level::Info => tracing::info!(target: TARGET, "[{label}] {line}"),
                Level::Warn => tracing::warn!(target: TARGET, "[{label}] {line}"),
                Level::Error => tracing::error!(target: TARGET, "[{label}] {line}"),
            }
        }
        if (self.dropped_messages > 0 || self.dropped_bytes > 0) && output.admit(label, 0) {
            tracing::warn!(
                target: TARGET,
                "[{label}] log budget of {MAX_LINES} messages and {} KiB per call exceeded: {} messages and {} bytes dropped",
                MAX_BYTES / 1024,
                self.dropped_messages,
                self.dropped_bytes
            );
        }
    }
}

fn enabled(level: Level) -> bool {
    match level {
        Level::Trace => tracing::enabled!(target: TARGET, tracing::Level::TRACE),
        Level::Debug => tracing::enabled!(target: TARGET, tracing::Level::DEBUG),
        Level::Info => tracing::enabled!(target: TARGET, tracing::Level::INFO),
        Level::Warn => tracing::enabled!(target: TARGET, tracing::Level::WARN),
        Level::Error => tracing::enabled!(target: TARGET, tracing::Level::ERROR),
    }
}

/// Replaces the generated `log` (which copies every message into a
/// `String` first) with one that reads the message in place.
pub fn shadow_in(linker: &mut Linker<HostState>, interface: &str) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    linker.instance(interface)?.func_wrap(
        "log",
        |mut store: StoreContextMut<'_, HostState>, (level, message): (Level, WasmStr)| {
            if !enabled(level) {
                return Ok(());
            }
            // Borrowed from the plugin's memory: nothing is copied but the
            // part that is kept.
            let text = message.to_str(&store)?;
            let full_len = text.len();
            let keep = text.floor_char_boundary(MAX_MESSAGE_BYTES);
            let kept = text[..keep].to_string();
            store.data_mut().log.push(level, &kept, full_len);
            Ok(())
        },
    )?;
    linker.allow_shadowing(false);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_caps_lines_bytes_and_message_length() {
        let mut log = LogBuffer::default();
        let big = "x".repeat(MAX_MESSAGE_BYTES + 10);
        log.push(Level::Info, &big[..MAX_MESSAGE_BYTES], big.len());
        assert_eq!(log.bytes, MAX_MESSAGE_BYTES);
        assert!(log.kept[0].1.ends_with(" … (10 bytes cut)"));
        for _ in 0..MAX_LINES * 2 {
            log.push(Level::Info, "line\u{1b}[2J", 8);
        }
        assert!(log.kept.len() <= MAX_LINES as usize);
        assert!(log.bytes <= MAX_BYTES);
        assert!(log.dropped_messages >= u64::from(MAX_LINES));
        assert_eq!(log.kept[1].1, "line\\u{1b}[2J");
    }

    #[test]
    fn a_cut_falls_on_a_character_boundary() {
        let mut log = LogBuffer::default();
        // Byte MAX_MESSAGE_BYTES falls inside an "é".
        let text = format!("a{}", "é".repeat(MAX_MESSAGE_BYTES));
        log.push(Level::Info, &text, text.len());
        assert_eq!(log.bytes, MAX_MESSAGE_BYTES + 1);
        assert!(log.kept[0].1.starts_with("aé"));
    }

    /// Round 65: the cut was made before escaping, and 16 KiB of DEL made
    /// a line of 96 KiB.
    #[test]
    fn a_message_is_cut_as_it_is_escaped() {
        let mut log = LogBuffer::default();
        let text = "\u{7f}".repeat(MAX_MESSAGE_BYTES);
        log.push(Level::Info, &text, text.len());
        assert!(log.bytes <= MAX_MESSAGE_BYTES + 12, "{}", log.bytes);
        let line = &log.kept[0].1;
        assert!(line.starts_with("\\u{7f}\\u{7f}"), "{line:.40}");
        assert!(line.len() < MAX_MESSAGE_BYTES + 64, "{}", line.len());
    }
}
