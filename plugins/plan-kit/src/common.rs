//! What every `plan` phase shares: checks, the phase's output, the
//! invalid-input error, and readers for the facts JSON that name the exact
//! fact (`workers[1].throughput`) when it is missing or of the wrong kind.
//!
//! One copy for all six phases: they depend on this crate, which knows
//! nothing of the host, only the facts' JSON shape.

use std::fmt;

use serde_json::{Map, Value, json};

/// The outcome of one check (mirrors the WIT `check-status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }
}

/// One check (mirrors the WIT `check`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub id: String,
    pub layer: String,
    pub status: Status,
    /// Always one line: control characters are escaped by [`Check::new`].
    pub message: String,
    pub blocking: bool,
}

/// The longest check message the host takes (its contract refuses a longer
/// one, which makes the whole phase unavailable).
pub const MAX_MESSAGE_BYTES: usize = 4096;

impl Check {
    /// A check whose message is one line and within the host's bound: a
    /// message built from the facts (every stale file, every worker off the
    /// majority) grew past it with a large cluster, and the refused
    /// worker-consistency left pre-flight's hash gate a warning: a launch
    /// with stale code read "ready" (round 69). A longer message is cut.
    pub fn new(id: &str, layer: &str, status: Status, message: &str, blocking: bool) -> Self {
        Check {
            id: id.to_string(),
            layer: layer.to_string(),
            status,
            message: bounded(one_line(message)),
            blocking,
        }
    }

    /// A check whose `blocking` follows the rule every plan phase uses:
    /// `pass` and `fail` are blocking (the check gates the launch), `warn`
    /// and `skip` are not (they never stop it, and say so).
    pub fn gate(id: &str, layer: &str, status: Status, message: &str) -> Self {
        let blocking = matches!(status, Status::Pass | Status::Fail);
        Check::new(id, layer, status, message, blocking)
    }

    /// A failed blocking check stops the launch.
    pub fn blocks(&self) -> bool {
        self.blocking && self.status == Status::Fail
    }

    /// `{"id", "layer", "status", "message", "blocking"}`, the form used
    /// inside document sections (`validation_checks`, `checks`).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "layer": self.layer,
            "status": self.status.as_str(),
            "message": self.message,
            "blocking": self.blocking,
        })
    }
}

/// What a phase returns: the JSON object of the keys it owns, and its checks.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub keys: Map<String, Value>,
    pub checks: Vec<Check>,
}

/// The facts (or the document) are not what the phase can work with. The
/// message is one line and names the fact, e.g. "missing fact `job.epochs`".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidInput(pub String);

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Escapes control characters so a message stays on one line.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// `message` cut to [`MAX_MESSAGE_BYTES`], saying how long it was.
fn bounded(mut message: String) -> String {
    if message.len() <= MAX_MESSAGE_BYTES {
        return message;
    }
    let note = format!(" … (cut, {} bytes in all)", message.len());
    let mut keep = MAX_MESSAGE_BYTES - note.len();
    while !message.is_char_boundary(keep) {
        keep -= 1;
    }
    message.truncate(keep);
    message.push_str(&note);
    message
}

/// The first five of `names`, then how many more: a message lists what a
/// person can read (`a, b, c, d, e and 95 more`).
pub fn listed<S: AsRef<str>>(names: &[S]) -> String {
    const SHOWN: usize = 5;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(AsRef::as_ref).collect();
    let mut text = shown.join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// Parses `text` (the facts, or the document) as a JSON object.
pub fn parse_object(text: &str, what: &str) -> Result<Value, InvalidInput> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| InvalidInput(one_line(&format!("{what}: not valid JSON: {e}"))))?;
    if !value.is_object() {
        return Err(InvalidInput(format!(
            "{what}: expected a JSON object, found {}",
            kind(&value)
        )));
    }
    Ok(value)
}

/// A value in the facts together with its path, so that every error names
/// the fact it is about. A missing key and `null` are both "absent".
#[derive(Clone, Debug)]
pub struct Fact<'a> {
    value: Option<&'a Value>,
    path: String,
}

impl<'a> Fact<'a> {
    /// The whole facts object.
    pub fn root(value: &'a Value) -> Self {
        Fact {
            value: Some(value),
            path: String::new(),
        }
    }

    /// The dotted path of this fact, e.g. `workers[1].throughput`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The raw value, `None` when absent (missing or `null`).
    pub fn value(&self) -> Option<&'a Value> {
        self.value.filter(|v| !v.is_null())
    }

    pub fn is_absent(&self) -> bool {
        self.value().is_none()
    }

    /// The member `key` of this object (absent when this is not an object).
    pub fn get(&self, key: &str) -> Fact<'a> {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        Fact {
            value: self.value.and_then(|v| v.get(key)),
            path,
        }
    }

    fn missing(&self) -> InvalidInput {
        InvalidInput(format!("missing fact `{}`", one_line(&self.path)))
    }

    fn wrong(&self, expected: &str, found: &Value) -> InvalidInput {
        InvalidInput(format!(
            "fact `{}` must be {expected}, found {}",
            one_line(&self.path),
            snippet(found)
        ))
    }

    fn required(&self) -> Result<&'a Value, InvalidInput> {
        self.value().ok_or_else(|| self.missing())
    }

    pub fn u64(&self) -> Result<u64, InvalidInput> {
        let v = self.required()?;
        v.as_u64()
            .ok_or_else(|| self.wrong("a non-negative integer", v))
    }

    pub fn opt_u64(&self) -> Result<Option<u64>, InvalidInput> {
        if self.is_absent() {
            return Ok(None);
        }
        self.u64().map(Some)
    }

    /// An integer of at least 1.
    pub fn positive_u64(&self) -> Result<u64, InvalidInput> {
        let n = self.u64()?;
        if n == 0 {
            return Err(InvalidInput(format!(
                "fact `{}` must be at least 1, found 0",
                one_line(&self.path)
            )));
        }
        Ok(n)
    }

    pub fn i64(&self) -> Result<i64, InvalidInput> {
        let v = self.required()?;
        v.as_i64().ok_or_else(|| self.wrong("an integer", v))
    }

    pub fn opt_i64(&self) -> Result<Option<i64>, InvalidInput> {
        if self.is_absent() {
            return Ok(None);
        }
        self.i64().map(Some)
    }

    /// A finite number.
    pub fn f64(&self) -> Result<f64, InvalidInput> {
        let v = self.required()?;
        v.as_f64()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.wrong("a finite number", v))
    }

    /// A finite number greater than 0.
    pub fn positive_f64(&self) -> Result<f64, InvalidInput> {
        let v = self.required()?;
        v.as_f64()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| self.wrong("a positive finite number", v))
    }

    pub fn opt_f64(&self) -> Result<Option<f64>, InvalidInput> {
        if self.is_absent() {
            return Ok(None);
        }
        self.f64().map(Some)
    }

    pub fn str(&self) -> Result<&'a str, InvalidInput> {
        let v = self.required()?;
        v.as_str().ok_or_else(|| self.wrong("a string", v))
    }

    pub fn opt_str(&self) -> Result<Option<&'a str>, InvalidInput> {
        if self.is_absent() {
            return Ok(None);
        }
        self.str().map(Some)
    }

    pub fn bool(&self) -> Result<bool, InvalidInput> {
        let v = self.required()?;
        v.as_bool().ok_or_else(|| self.wrong("true or false", v))
    }

    pub fn opt_bool(&self) -> Result<Option<bool>, InvalidInput> {
        if self.is_absent() {
            return Ok(None);
        }
        self.bool().map(Some)
    }

    /// The elements of an array, each with its path (`workers[0]`).
    pub fn array(&self) -> Result<Vec<Fact<'a>>, InvalidInput> {
        let v = self.required()?;
        let items = v.as_array().ok_or_else(|| self.wrong("an array", v))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, item)| Fact {
                value: Some(item),
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// Like [`Fact::array`], with absent meaning empty.
    pub fn opt_array(&self) -> Result<Vec<Fact<'a>>, InvalidInput> {
        if self.is_absent() {
            return Ok(Vec::new());
        }
        self.array()
    }

    /// Checks that this is an object (present).
    pub fn object(&self) -> Result<&'a Map<String, Value>, InvalidInput> {
        let v = self.required()?;
        v.as_object().ok_or_else(|| self.wrong("an object", v))
    }

    /// The members of an object, in the object's order, each with its path.
    /// Absent means empty.
    pub fn opt_entries(&self) -> Result<Vec<(&'a str, Fact<'a>)>, InvalidInput> {
        if self.is_absent() {
            return Ok(Vec::new());
        }
        let map = self.object()?;
        Ok(map
            .iter()
            .map(|(key, item)| {
                (
                    key.as_str(),
                    Fact {
                        value: Some(item),
                        path: format!("{}.{key}", self.path),
                    },
                )
            })
            .collect())
    }
}

/// The JSON kind of a value, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A short, one-line rendering of a value for messages.
fn snippet(value: &Value) -> String {
    const MAX: usize = 40;
    let text = value.to_string();
    if text.chars().count() <= MAX {
        return one_line(&text);
    }
    let cut: String = text.chars().take(MAX).collect();
    one_line(&format!("{cut}…"))
}

#[cfg(test)]
mod common_tests {
    use super::*;

    #[test]
    fn errors_name_the_fact_and_what_was_found() {
        let facts = json!({"job": {"batch_size": "64", "epochs": null},
                           "workers": [{"name": "a"}, {"name": "b", "throughput": -1.5}]});
        let root = Fact::root(&facts);
        assert_eq!(
            root.get("job").get("batch_size").u64(),
            Err(InvalidInput(
                "fact `job.batch_size` must be a non-negative integer, found \"64\"".into()
            ))
        );
        assert_eq!(
            root.get("job").get("epochs").u64(),
            Err(InvalidInput("missing fact `job.epochs`".into()))
        );
        assert_eq!(
            root.get("job").get("nope").get("deeper").str(),
            Err(InvalidInput("missing fact `job.nope.deeper`".into()))
        );
        let workers = root.get("workers").array().expect("an array");
        assert_eq!(workers[1].get("throughput").f64(), Ok(-1.5));
        assert_eq!(
            workers[0].get("throughput").f64(),
            Err(InvalidInput("missing fact `workers[0].throughput`".into()))
        );
        assert_eq!(root.get("job").get("epochs").opt_u64(), Ok(None));
        assert_eq!(
            workers[1].get("throughput").positive_f64(),
            Err(InvalidInput(
                "fact `workers[1].throughput` must be a positive finite number, found -1.5".into()
            ))
        );
        let zero = json!({"n": 0});
        assert_eq!(
            Fact::root(&zero).get("n").positive_u64(),
            Err(InvalidInput("fact `n` must be at least 1, found 0".into()))
        );
    }

    #[test]
    fn long_values_are_cut_and_messages_stay_on_one_line() {
        let facts = json!({"a": "x".repeat(100), "b": "line\nbreak"});
        let err = Fact::root(&facts).get("a").u64().expect_err("not a number");
        assert!(err.0.ends_with("…"), "{err}");
        assert!(err.0.len() < 120, "{err}");
        let check = Check::new("x", "y", Status::Pass, "line\nbreak\u{1b}[31m", true);
        assert_eq!(check.message, "line\\nbreak\\u{1b}[31m");
    }

    #[test]
    fn pass_and_fail_gate_warn_and_skip_do_not() {
        let blocking = |status| Check::gate("x", "y", status, "m").blocking;
        assert!(blocking(Status::Pass));
        assert!(blocking(Status::Fail));
        assert!(!blocking(Status::Warn));
        assert!(!blocking(Status::Skip));
        assert!(Check::gate("x", "y", Status::Fail, "m").blocks());
        assert!(!Check::gate("x", "y", Status::Pass, "m").blocks());
    }

    #[test]
    fn facts_must_be_a_json_object() {
        assert!(parse_object("{}", "facts").is_ok());
        assert_eq!(
            parse_object("[1]", "facts"),
            Err(InvalidInput(
                "facts: expected a JSON object, found an array".into()
            ))
        );
        let err = parse_object("{", "facts").expect_err("not JSON");
        assert!(err.0.starts_with("facts: not valid JSON: "), "{err}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_past_the_hosts_bound_is_cut_and_says_so() {
        let long = "é".repeat(3000);
        let check = Check::gate("x.y", "worker", Status::Fail, &long);
        assert!(
            check.message.len() <= MAX_MESSAGE_BYTES,
            "{}",
            check.message.len()
        );
        assert!(check.message.ends_with(" … (cut, 6000 bytes in all)"));
        assert!(check.blocks());
        let short = Check::gate("x.y", "worker", Status::Pass, "ok\n");
        assert_eq!(short.message, "ok\\n");
    }

    #[test]
    fn a_list_shows_five_names_and_counts_the_rest() {
        let names: Vec<String> = (1..=8).map(|i| format!("w{i}")).collect();
        assert_eq!(listed(&names), "w1, w2, w3, w4, w5 and 3 more");
        assert_eq!(listed(&names[..5]), "w1, w2, w3, w4, w5");
        assert_eq!(listed::<&str>(&[]), "");
    }
}
