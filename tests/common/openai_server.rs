//! A scripted OpenAI-compatible server on 127.0.0.1 for the model client's
//! tests: each route answers from its script (in order, the last reply
//! repeating), records every request it sees, and counts requests in flight.

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    /// A chat completion answering `text`, with usage 10 in / 5 out.
    pub fn answer(text: &str) -> Self {
        let body = serde_json::json!({
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        });
        Self::json(200, &body.to_string())
    }

    /// An OpenAI model list.
    pub fn models(ids: &[&str]) -> Self {
        let data: Vec<_> = ids
            .iter()
            .map(|id| serde_json::json!({"id": id, "object": "model"}))
            .collect();
        Self::json(
            200,
            &serde_json::json!({"object": "list", "data": data}).to_string(),
        )
    }

    /// An OpenAI-style error body.
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({"error": {"message": message, "type": "invalid_request_error", "code": code}});
        Self::json(status, &body.to_string())
    }

    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
            delay: Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers only after `delay`.
    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `model` of a chat request body.
    pub fn model(&self) -> Option<String> {
        let body: serde_json::Value = serde_json::from_str(&self.body).ok()?;
        body["model"].as_str().map(str::to_string)
    }
}

#[derive(Default)]
struct State {
    /// (method, path, model or "") → replies.
    scripts: Mutex<HashMap<(String, String, String), VecDeque<Reply>>>,
    /// (text a chat body contains, replies): checked before `scripts`.
    matching: Mutex<Vec<(String, VecDeque<Reply>)>>,
    seen: Mutex<Vec<Seen>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

/// A running server; it lives until the test process ends.
pub struct Server {
    port: u16,
    state: Arc<State>,
}

impl Server {
    /// A model client for this server that retries at once (the tests
    /// script failures; waiting out real backoff only slows them).
    pub fn client(&self) -> pitcrew::triage::model::ModelClient {
        use pitcrew::triage::model::{ClientConfig, Endpoint, ModelClient};
        let endpoint = Endpoint::new("local", &self.base()).expect("a loopback URL");
        let mut config = ClientConfig::new(vec![endpoint]);
        config.backoff = Duration::from_millis(1);
        config.max_backoff = Duration::from_millis(20);
        config.redactor = pitcrew::triage::redact::Redactor::new();
        ModelClient::new(config).expect("client")
    }

    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State::default());
        let shared = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                thread::spawn(move || serve(stream, &state));
            }
        });
        Server { port, state }
    }

    /// The OpenAI base URL (`…/v1`).
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    /// Replies to `POST /v1/chat/completions` for any model without a script of its own.
    pub fn chat(&self, replies: Vec<Reply>) -> &Self {
        self.script("POST", "/v1/chat/completions", "", replies)
    }

    /// Replies to `POST /v1/chat/completions` for one model.
    pub fn chat_for(&self, model: &str, replies: Vec<Reply>) -> &Self {
        self.script("POST", "/v1/chat/completions", model, replies)
    }

    /// Replies to `POST /v1/chat/completions` whose body contains `needle`
    /// (a follow-up question, say), before any other script.
    pub fn chat_matching(&self, needle: &str, replies: Vec<Reply>) -> &Self {
        assert!(!replies.is_empty(), "a script needs a reply");
        self.state
            .matching
            .lock()
            .unwrap()
            .push((needle.to_string(), replies.into()));
        self
    }

    /// Replies to `GET /v1/models` (unscripted, it answers 404: "not listed").
    pub fn models(&self, reply: Reply) -> &Self {
        self.script("GET", "/v1/models", "", vec![reply])
    }

    fn script(&self, method: &str, path: &str, model: &str, replies: Vec<Reply>) -> &Self {
        assert!(!replies.is_empty(), "a script needs a reply");
        let key = (method.to_string(), path.to_string(), model.to_string());
        self.state
            .scripts
            .lock()
            .unwrap()
            .insert(key, replies.into());
        self
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// The chat requests seen.
    pub fn chats(&self) -> Vec<Seen> {
        self.seen()
            .into_iter()
            .filter(|s| s.path.ends_with("/chat/completions"))
            .collect()
    }

    pub fn listings(&self) -> usize {
        self.seen()
            .iter()
            .filter(|s| s.path.ends_with("/models"))
            .count()
    }

    /// The most requests this server ever had in flight at once.
    pub fn max_in_flight(&self) -> usize {
        self.state.max_in_flight.load(Ordering::SeqCst)
    }
}

fn serve(stream: TcpStream, state: &State) {
    let Some(seen) = read_request(&stream) else {
        return;
    };
    let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    state.max_in_flight.fetch_max(now, Ordering::SeqCst);
    let reply = next_reply(state, &seen);
    state.seen.lock().unwrap().push(seen);
    thread::sleep(reply.delay);
    // Out of flight before the answer is written: once the client has read
    // it, it may start the next request before this thread runs again, and
    // that request must not count this one (a race on a loaded machine).
    state.in_flight.fetch_sub(1, Ordering::SeqCst);
    let mut head = format!(
        "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut stream = stream;
    // The client may have given up (a timeout test): a failed write is expected then.
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(reply.body.as_bytes()));
    let _ = stream.flush();
}

fn next_reply(state: &State, seen: &Seen) -> Reply {
    if seen.path.ends_with("/chat/completions") {
        let mut matching = state.matching.lock().unwrap();
        if let Some((_, replies)) = matching
            .iter_mut()
            .find(|(needle, _)| seen.body.contains(needle.as_str()))
        {
            return if replies.len() > 1 {
                replies.pop_front().unwrap()
            } else {
                replies[0].clone()
            };
        }
    }
    let mut scripts = state.scripts.lock().unwrap();
    let model = seen.model().unwrap_or_default();
    let specific = (seen.method.clone(), seen.path.clone(), model);
    let any = (seen.method.clone(), seen.path.clone(), String::new());
    let key = if scripts.contains_key(&specific) {
        specific
    } else {
        any
    };
    match scripts.get_mut(&key) {
        Some(replies) if replies.len() > 1 => replies.pop_front().unwrap(),
        Some(replies) => replies[0].clone(),
        None => Reply::error(404, "not_found", "no script for this route"),
    }
}

fn read_request(stream: &TcpStream) -> Option<Seen> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Seen {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}
