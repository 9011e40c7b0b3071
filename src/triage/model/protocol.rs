//! The OpenAI-compatible wire format: request and response bodies, model
//! listings, error bodies and `Retry-After`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::budget::Usage;

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub role: String,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: "system".into(),
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: "user".into(),
            content: content.into(),
        }
    }
}

/// `POST {base}/chat/completions` body.
#[derive(Serialize)]
pub(crate) struct ChatBody<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    pub temperature: f32,
    pub max_tokens: u32,
    #[serde(skip_serializing_if = "is_one")]
    pub n: u32,
    pub stream: bool,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
    #[serde(default)]
    usage: Option<WireUsage>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    message: Option<ChoiceMessage>,
}

#[derive(Deserialize)]
struct ChoiceMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct WireUsage {
    #[serde(default)]
    prompt_tokens: u64,
    #[serde(default)]
    completion_tokens: u64,
}

/// The texts of a chat-completion response and its usage (estimated at 4
/// bytes a token from `prompt_bytes` and the answers when the endpoint sent none).
pub(crate) fn parse_chat(body: &[u8], prompt_bytes: usize) -> Result<(Vec<String>, Usage), String> {
    let response: ChatResponse = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let texts: Vec<String> = response
        .choices
        .into_iter()
        .filter_map(|c| c.message.and_then(|m| m.content))
        .collect();
    if texts.is_empty() {
        return Err("no choice has a message with content".into());
    }
    let usage = match response.usage {
        Some(u) => Usage {
            input_tokens: u.prompt_tokens,
            output_tokens: u.completion_tokens,
            estimated: false,
        },
        None => Usage {
            input_tokens: estimate_tokens(prompt_bytes),
            output_tokens: estimate_tokens(texts.iter().map(String::len).sum()),
            estimated: true,
        },
    };
    Ok((texts, usage))
}

/// The answers a request asked for, each as long as its `max_tokens`
/// allows: an endpoint that sends twelve choices for `n: 1`, or megabytes
/// for 1,024 tokens, gets the first `n`, each cut at 16 bytes a token (four
/// times the usual size of a token) with a note of what was left out.
pub(crate) fn keep_answers(mut texts: Vec<String>, n: u32, max_tokens: u32) -> Vec<String> {
    texts.truncate(usize::try_from(n).unwrap_or(usize::MAX));
    let max_bytes = usize::try_from(max_tokens)
        .unwrap_or(usize::MAX)
        .saturating_mul(16)
        .max(4096);
    for text in &mut texts {
        if text.len() > max_bytes {
            let cut = text.floor_char_boundary(max_bytes);
            let left_out = text.len() - cut;
            text.truncate(cut);
            text.push_str(&format!(
                "\n[… {left_out} more bytes of the answer not kept: over its max_tokens …]"
            ));
        }
    }
    texts
}

fn estimate_tokens(bytes: usize) -> u64 {
    (bytes as u64).div_ceil(4)
}

/// The model ids of a `GET {base}/models` body: OpenAI's `{"data": [{"id"}]}`,
/// or a bare array, or Ollama's native `{"models": [{"name"}]}`.
pub(crate) fn parse_models(body: &[u8]) -> Result<Vec<String>, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let list = match &value {
        Value::Array(items) => items,
        Value::Object(map) => match map.get("data").or_else(|| map.get("models")) {
            Some(Value::Array(items)) => items,
            _ => return Err("no `data` array".into()),
        },
        _ => return Err("neither an object nor an array".into()),
    };
    Ok(list
        .iter()
        .filter_map(|m| {
            m.get("id")
                .or_else(|| m.get("name"))
                .and_then(Value::as_str)
        })
        .map(str::to_string)
        .collect())
}

/// Whether a listed model id serves the requested name (`llama3.2` is
/// served as `llama3.2:latest` by Ollama).
pub(crate) fn model_listed(listed: &[String], wanted: &str) -> bool {
    listed
        .iter()
        .any(|id| id == wanted || id.strip_suffix(":latest") == Some(wanted))
}

/// Whether an error body says the prompt is longer than the model's context
/// (OpenAI's `context_length_exceeded`, or the messages vLLM, llama.cpp,
/// Ollama and Azure/GitHub Models send).
pub(crate) fn is_context_length_error(body: &[u8]) -> bool {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let error = value.get("error").unwrap_or(&value);
        let code = error
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if matches!(
            code,
            "context_length_exceeded" | "string_above_max_length" | "tokens_limit_reached"
        ) {
            return true;
        }
    }
    let text = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
    [
        "context_length_exceeded",
        "maximum context length",
        "context length",
        "context window",
        "exceeds the context",
        "too many tokens",
        "prompt is too long",
        "tokens_limit_reached",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}

/// The error message of an error body (OpenAI's `error.message`, or the
/// start of the body), for reports; the caller escapes it.
pub(crate) fn error_message(body: &[u8]) -> String {
    let from_json = serde_json::from_slice::<Value>(body).ok().and_then(|v| {
        let error = v.get("error").cloned().unwrap_or(v);
        match error {
            Value::String(s) => Some(s),
            other => other
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    });
    let text = from_json.unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    let text: String = text.chars().take(200).collect();
    text.trim().to_string()
}

/// A `Retry-After` value: delay-seconds or an HTTP-date (IMF-fixdate,
/// `Sun, 06 Nov 1994 08:49:37 GMT`) relative to `now`. A date in the past is
/// zero; anything else unreadable is `None`.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_imf_fixdate(value)?;
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(Duration::from_secs(at.saturating_sub(now).max(0) as u64))
}

/// Unix seconds of an IMF-fixdate (the HTTP-date every server sends today;
/// the obsolete RFC 850 and asctime forms are not read).
fn parse_imf_fixdate(value: &str) -> Option<i64> {
    let (_weekday, rest) = value.split_once(", ")?;
    let parts: Vec<&str> = rest.split(' ').collect();
    let [day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? + 1;
    if day.len() != 2 || year.len() != 4 || time.len() != 8 {
        return None;
    }
    // One date parser in the crate: hand it the RFC 3339 form.
    crate::time::parse_rfc3339_utc(&format!("{year}-{month:02}-{day}T{time}Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_asked_answers_are_kept_and_each_is_bounded() {
        let texts = vec!["a".repeat(100_000), "b".into(), "c".into()];
        let kept = keep_answers(texts, 1, 1024);
        assert_eq!(kept.len(), 1);
        assert!(kept[0].len() < 16 * 1024 + 100, "{}", kept[0].len());
        assert!(kept[0].ends_with("over its max_tokens …]"));
        // Cut on a character boundary.
        let kept = keep_answers(vec!["é".repeat(10_000)], 2, 10);
        assert!(kept[0].starts_with('é'));
        assert_eq!(
            keep_answers(vec!["x".into(), "y".into()], 2, 10),
            ["x", "y"]
        );
    }

    #[test]
    fn chat_response_with_and_without_usage() {
        let body = br#"{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"hi"}},{"message":{"content":"yo"}}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#;
        let (texts, usage) = parse_chat(body, 100).unwrap();
        assert_eq!(texts, ["hi", "yo"]);
        assert_eq!(
            (usage.input_tokens, usage.output_tokens, usage.estimated),
            (12, 3, false)
        );
        let (_, usage) =
            parse_chat(br#"{"choices":[{"message":{"content":"12345"}}]}"#, 9).unwrap();
        assert_eq!(
            (usage.input_tokens, usage.output_tokens, usage.estimated),
            (3, 2, true)
        );
    }

    #[test]
    fn malformed_chat_responses_are_errors() {
        for body in [
            &b"{not json"[..],
            b"{}",
            br#"{"choices":[]}"#,
            br#"{"choices":[{"message":{}}]}"#,
            b"<html>502</html>",
        ] {
            assert!(
                parse_chat(body, 0).is_err(),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn model_listings() {
        let openai =
            br#"{"object":"list","data":[{"id":"openai/gpt-4.1-mini"},{"id":"llama3.2:latest"}]}"#;
        let ids = parse_models(openai).unwrap();
        assert!(model_listed(&ids, "openai/gpt-4.1-mini"));
        assert!(model_listed(&ids, "llama3.2"));
        assert!(!model_listed(&ids, "llama3"));
        assert_eq!(parse_models(br#"[{"id":"a"}]"#).unwrap(), ["a"]);
        assert_eq!(
            parse_models(br#"{"models":[{"name":"b"}]}"#).unwrap(),
            ["b"]
        );
        assert!(parse_models(b"{}").is_err());
        assert!(parse_models(b"nope").is_err());
    }

    #[test]
    fn context_length_errors() {
        assert!(is_context_length_error(
            br#"{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}"#
        ));
        assert!(is_context_length_error(
            br#"{"error":{"message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens"}}"#
        ));
        assert!(is_context_length_error(
            b"the prompt is too long for the context window"
        ));
        assert!(!is_context_length_error(
            br#"{"error":{"message":"invalid temperature","code":"invalid_value"}}"#
        ));
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            error_message(br#"{"error":{"message":"bad key"}}"#),
            "bad key"
        );
        assert_eq!(
            error_message(br#"{"error":"model not found"}"#),
            "model not found"
        );
        assert_eq!(error_message(b" plain text "), "plain text");
        assert_eq!(error_message(&[b'x'; 1000]).len(), 200);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(parse_retry_after(" 7 ", now), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        for bad in [
            "",
            "-1",
            "soon",
            "Sun, 06 Nov 1994 08:50:07 PST",
            "Sun, 6 Nov 1994 08:50:07 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
