//! Workflow commands (`::warning::…`) on stdout, and keeping untrusted
//! text from being read as one.
//!
//! The runner reads any stdout line that starts with `::` (after leading
//! blanks) as a command. Untrusted output (test names, messages) is printed
//! between `::stop-commands::TOKEN` and `::TOKEN::`, with a random token the
//! text cannot know, so no line inside is a command whatever it says.

use std::fmt::Write as _;

/// `text` between stop-commands and resume lines, with a fresh random token.
pub fn guarded(text: &str) -> String {
    let mut token = random_token();
    while text.contains(&token) {
        token = random_token();
    }
    let mut out = String::with_capacity(text.len() + 100);
    let _ = writeln!(out, "::stop-commands::{token}");
    out.push_str(text);
    if !text.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "::{token}::");
    out
}

/// `text` [`guarded`] in GitHub Actions, as it is elsewhere: for a
/// command's standard output that holds text a test or a plugin chose.
pub fn guarded_in_actions(text: String) -> String {
    match crate::github::context::in_actions() {
        true => guarded(&text),
        false => text,
    }
}

/// While alive, stdout is not read as workflow commands (in GitHub
/// Actions; elsewhere it does nothing): for output pitcrew does not see,
/// a runner's that goes straight to the log (`pitcrew run`). The token is
/// made after nothing the runner wrote, so no line of it can resume them.
pub struct Stopped(bool);

impl Stopped {
    /// Prints the stop line (in Actions): commands resume when the value
    /// is dropped, or when Ctrl-C or termination ends pitcrew first (the
    /// step's later commands would be ignored otherwise).
    pub fn start() -> Self {
        if std::env::var("GITHUB_ACTIONS").as_deref() != Ok("true") {
            return Stopped(false);
        }
        let token = random_token();
        print_line(&format!("::stop-commands::{token}"));
        *open_token() = Some(token);
        static AT_INTERRUPT: std::sync::Once = std::sync::Once::new();
        AT_INTERRUPT.call_once(|| crate::process_group::at_interrupt(resume));
        Stopped(true)
    }
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if self.0 {
            resume();
        }
    }
}

/// The token of the stop line printed last and not resumed yet.
fn open_token() -> std::sync::MutexGuard<'static, Option<String>> {
    static OPEN: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    OPEN.lock().unwrap_or_else(|p| p.into_inner())
}

/// Resumes commands, once, if they are stopped.
fn resume() {
    if let Some(token) = open_token().take() {
        print_line(&format!("::{token}::"));
    }
}

fn print_line(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    // A runner's last line may lack its newline: ours starts a line.
    let _ = writeln!(out, "\n{line}");
    let _ = out.flush();
}

/// A `::warning title=…::message` line; both are escaped as the runner
/// expects, so a newline in them cannot start another command.
pub fn warning(title: &str, message: &str) -> String {
    format!(
        "::warning title={}::{}\n",
        escape_property(title),
        escape_data(message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn random_token() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness, a token from the clock and pid is still unknown
    // to text that was written before this run.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        bytes[..16].copy_from_slice(&(nanos ^ u128::from(std::process::id())).to_le_bytes());
    }
    bytes.iter().fold(String::from("pitcrew-"), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_lines_sit_between_stop_and_resume() {
        let text = "::error::forged\n  ::set-output name=x::y\n";
        let out = guarded(text);
        let lines: Vec<&str> = out.lines().collect();
        let token = lines[0].strip_prefix("::stop-commands::").expect("stop");
        assert_eq!(lines.last(), Some(&format!("::{token}::").as_str()));
        assert_eq!(
            &lines[1..3],
            ["::error::forged", "  ::set-output name=x::y"]
        );
        assert_ne!(guarded(text), out, "a fresh token each time");
    }

    #[test]
    fn warnings_cannot_smuggle_a_second_command() {
        let line = warning("a:b,c", "x\n::error::y 100%");
        assert_eq!(line, "::warning title=a%3Ab%2Cc::x%0A::error::y 100%25\n");
        assert_eq!(line.lines().count(), 1);
    }
}
