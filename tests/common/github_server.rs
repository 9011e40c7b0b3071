//! A GitHub REST test server on 127.0.0.1: the endpoints pitcrew calls,
//! with GitHub's shapes and limits, stateful, recording every request.
//!
//! Plain `std::net` and a thread per connection (HTTP/1.1 keep-alive,
//! `Content-Length` or chunked request bodies): no async stack to build for
//! the tests, and nothing hidden between the client and what we assert.
//!
//! Built in: issue comments (list with `Link` pagination, create, update),
//! pull request reviews (create, with GitHub's checks on each comment's
//! anchor) and review comments (list with `Link` pagination), check runs (create, update; annotations appended, at most 50 per request
//! as GitHub enforces), and GitHub's 422 on oversized bodies. Anything else:
//! [`Server::route`] (a fixed reply, or a paginated list) and
//! [`Server::fail_next`] (queued faults before the real reply: 5xx, 403 with
//! `Retry-After`, a 302 to another server). [`Server::read_only`] makes every
//! write a fork's 403. A second `Server` is "another host".

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::{Value, json};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    /// Names lower-cased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("request body is JSON")
    }

    /// `query` parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then_some(v)
        })
    }
}

/// A reply: status, extra headers, JSON (or raw) body.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
        }
    }

    pub fn message(status: u16, message: &str) -> Self {
        Self::json(
            status,
            json!({ "message": message, "documentation_url": "https://docs.github.com/rest" }),
        )
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// A 302 to `location` (an artifact download's redirect).
    pub fn redirect(location: &str) -> Self {
        Self {
            status: 302,
            headers: vec![("location".into(), location.to_owned())],
            body: String::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub id: u64,
    pub body: String,
    pub login: String,
}

#[derive(Clone, Debug, Default)]
pub struct CheckRun {
    pub id: u64,
    /// The create body, with every update's fields merged in.
    pub fields: serde_json::Map<String, Value>,
    /// Every annotation, in the order they arrived.
    pub annotations: Vec<Value>,
}

enum Route {
    Fixed(Reply),
    /// A list served in pages with `Link` headers; `wrap` names the field
    /// of an object wrapping it (`workflow_runs`), `None` for a bare array.
    Paged {
        items: Vec<Value>,
        wrap: Option<String>,
    },
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<Request>,
    /// Comments per issue number.
    pub comments: Vec<(u64, Comment)>,
    pub check_runs: Vec<CheckRun>,
    /// Review comments per pull request number, as GitHub lists them.
    pub review_comments: Vec<(u64, Value)>,
    pub read_only: bool,
    next_id: u64,
    routes: Vec<(String, String, Route)>,
    faults: Vec<(String, String, VecDeque<Reply>)>,
}

pub struct Server {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Server {
    /// Starts a server on a free 127.0.0.1 port; it lives as long as the
    /// test process.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let state = Arc::new(Mutex::new(State {
            next_id: 1000,
            ..State::default()
        }));
        let shared = state.clone();
        let base = url.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                let base = base.clone();
                std::thread::spawn(move || serve(stream, &state, &base));
            }
        });
        Self { url, state }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn requests(&self) -> Vec<Request> {
        self.state().requests.clone()
    }

    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Every write answers a fork's 403.
    pub fn read_only(&self, on: bool) {
        self.state().read_only = on;
    }

    /// Adds a comment to issue `issue` (someone else's, or a stale one).
    pub fn add_comment(&self, issue: u64, login: &str, body: &str) -> u64 {
        let mut state = self.state();
        state.next_id += 1;
        let id = state.next_id;
        state.comments.push((
            issue,
            Comment {
                id,
                body: body.to_owned(),
                login: login.to_owned(),
            },
        ));
        id
    }

    pub fn comments(&self, issue: u64) -> Vec<Comment> {
        self.state()
            .comments
            .iter()
            .filter(|(i, _)| *i == issue)
            .map(|(_, c)| c.clone())
            .collect()
    }

    /// Adds a review comment by `login` to pull request `pr` (a reviewer's,
    /// or ours from an earlier run: `github-actions[bot]`).
    pub fn add_review_comment(&self, pr: u64, login: &str, body: &str) -> u64 {
        let mut state = self.state();
        state.next_id += 1;
        let id = state.next_id;
        let mut comment =
            review_comment_json(pr, id, &json!({"path": "x", "line": 1, "body": body}));
        comment["user"] = user_json(login);
        state.review_comments.push((pr, comment));
        id
    }

    pub fn review_comments(&self, pr: u64) -> Vec<Value> {
        self.state()
            .review_comments
            .iter()
            .filter(|(p, _)| *p == pr)
            .map(|(_, c)| c.clone())
            .collect()
    }

    pub fn check_runs(&self) -> Vec<CheckRun> {
        self.state().check_runs.clone()
    }

    /// A fixed reply for `method path` (exact path, any query).
    pub fn route(&self, method: &str, path: &str, reply: Reply) {
        self.state()
            .routes
            .push((method.to_owned(), path.to_owned(), Route::Fixed(reply)));
    }

    /// A paginated list for `GET path`.
    pub fn route_paged(&self, path: &str, items: Vec<Value>, wrap: Option<&str>) {
        self.state().routes.push((
            "GET".to_owned(),
            path.to_owned(),
            Route::Paged {
                items,
                wrap: wrap.map(str::to_owned),
            },
        ));
    }

    /// `replies` answer the next requests to `method` on a path starting
    /// with `prefix`, one each, before the normal reply resumes.
    pub fn fail_next(&self, method: &str, prefix: &str, replies: Vec<Reply>) {
        self.state()
            .faults
            .push((method.to_owned(), prefix.to_owned(), replies.into()));
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, base: &str) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut writer = stream;
    while let Some(request) = read_request(&mut reader) {
        let reply = {
            let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
            state.requests.push(request.clone());
            respond(&mut state, &request, base)
        };
        let mut head = format!(
            "HTTP/1.1 {} X\r\ncontent-length: {}\r\n",
            reply.status,
            reply.body.len()
        );
        for (name, value) in &reply.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(reply.body.as_bytes()).is_err()
        {
            return;
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let header = |n: &str| headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    let mut body = Vec::new();
    if let Some(length) = header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        body.resize(length, 0);
        reader.read_exact(&mut body).ok()?;
    } else if header("transfer-encoding").is_some_and(|t| t.contains("chunked")) {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).ok()?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk).ok()?;
            if size == 0 {
                break;
            }
            body.extend_from_slice(&chunk[..size]);
        }
    }
    Some(Request {
        method,
        path,
        query,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn respond(state: &mut State, request: &Request, base: &str) -> Reply {
    let m = request.method.as_str();
    if let Some((_, _, queue)) = state.faults.iter_mut().find(|(fm, prefix, q)| {
        fm == m && request.path.starts_with(prefix.as_str()) && !q.is_empty()
    }) {
        return queue.pop_front().expect("non-empty");
    }
    if let Some((_, _, route)) = state
        .routes
        .iter()
        .find(|(rm, path, _)| rm == m && *path == request.path)
    {
        return match route {
            Route::Fixed(reply) => reply.clone(),
            Route::Paged { items, wrap } => paged(items, wrap.as_deref(), request, base),
        };
    }
    if state.read_only && m != "GET" {
        return Reply::message(403, "Resource not accessible by integration");
    }
    let segments: Vec<&str> = request.path.trim_start_matches('/').split('/').collect();
    match (m, segments.as_slice()) {
        // What the workflow's GITHUB_TOKEN answers; a test stands in for a
        // personal token with a route.
        ("GET", ["user"]) => Reply::message(403, "Resource not accessible by integration"),
        ("GET", ["repos", _, _, "issues", n, "comments"]) => {
            let Ok(issue) = n.parse::<u64>() else {
                return Reply::message(404, "Not Found");
            };
            let items: Vec<Value> = state
                .comments
                .iter()
                .filter(|(i, _)| *i == issue)
                .map(|(_, c)| comment_json(c))
                .collect();
            paged(&items, None, request, base)
        }
        ("POST", ["repos", _, _, "issues", n, "comments"]) => {
            let Ok(issue) = n.parse::<u64>() else {
                return Reply::message(404, "Not Found");
            };
            let Some(body) = body_text(request) else {
                return Reply::message(422, "Validation Failed: body");
            };
            if body.chars().count() > 65_536 {
                return Reply::message(
                    422,
                    "Validation Failed: body is too long (maximum is 65536 characters)",
                );
            }
            state.next_id += 1;
            let comment = Comment {
                id: state.next_id,
                body,
                login: "github-actions[bot]".into(),
            };
            let reply = comment_json(&comment);
            state.comments.push((issue, comment));
            Reply::json(201, reply)
        }
        ("PATCH", ["repos", _, _, "issues", "comments", id]) => {
            let Some(body) = body_text(request) else {
                return Reply::message(422, "Validation Failed: body");
            };
            if body.chars().count() > 65_536 {
                return Reply::message(
                    422,
                    "Validation Failed: body is too long (maximum is 65536 characters)",
                );
            }
            let id = id.parse::<u64>().unwrap_or(0);
            match state.comments.iter_mut().find(|(_, c)| c.id == id) {
                Some((_, comment)) => {
                    comment.body = body;
                    Reply::json(200, comment_json(comment))
                }
                None => Reply::message(404, "Not Found"),
            }
        }
        ("GET", ["repos", _, _, "pulls", n, "comments"]) => {
            let pr = n.parse::<u64>().unwrap_or(0);
            let items: Vec<Value> = state
                .review_comments
                .iter()
                .filter(|(p, _)| *p == pr)
                .map(|(_, c)| c.clone())
                .collect();
            paged(&items, None, request, base)
        }
        ("GET", ["repos", _, _, "pulls", n, "reviews", id, "comments"]) => {
            let pr = n.parse::<u64>().unwrap_or(0);
            let review = id.parse::<u64>().unwrap_or(0);
            let items: Vec<Value> = state
                .review_comments
                .iter()
                .filter(|(p, c)| *p == pr && c["pull_request_review_id"] == review)
                .map(|(_, c)| c.clone())
                .collect();
            paged(&items, None, request, base)
        }
        ("POST", ["repos", _, _, "pulls", n, "reviews"]) => {
            let pr = n.parse::<u64>().unwrap_or(0);
            let review = request.json();
            if let Err(reply) = check_review(&review) {
                return reply;
            }
            state.next_id += 1;
            let review_id = state.next_id;
            for comment in review["comments"].as_array().into_iter().flatten() {
                state.next_id += 1;
                let id = state.next_id;
                let mut comment = review_comment_json(pr, id, comment);
                comment["pull_request_review_id"] = json!(review_id);
                state.review_comments.push((pr, comment));
            }
            Reply::json(
                200,
                json!({
                    "id": review_id,
                    "state": "COMMENTED",
                    "commit_id": review["commit_id"],
                    "html_url": format!("https://github.com/acme/widgets/pull/{pr}#pullrequestreview-{review_id}"),
                }),
            )
        }
        ("POST", ["repos", _, _, "check-runs"]) => {
            let Value::Object(fields) = request.json() else {
                return Reply::message(422, "Validation Failed");
            };
            if fields.get("name").and_then(Value::as_str).is_none()
                || fields.get("head_sha").and_then(Value::as_str).is_none()
            {
                return Reply::message(422, "Validation Failed: name and head_sha are required");
            }
            state.next_id += 1;
            let mut run = CheckRun {
                id: state.next_id,
                ..CheckRun::default()
            };
            if let Err(reply) = apply_check_run(&mut run, fields) {
                return reply;
            }
            let reply = check_run_json(&run);
            state.check_runs.push(run);
            Reply::json(201, reply)
        }
        ("PATCH", ["repos", _, _, "check-runs", id]) => {
            let id = id.parse::<u64>().unwrap_or(0);
            let Value::Object(fields) = request.json() else {
                return Reply::message(422, "Validation Failed");
            };
            match state.check_runs.iter_mut().find(|r| r.id == id) {
                Some(run) => match apply_check_run(run, fields) {
                    Ok(()) => Reply::json(200, check_run_json(run)),
                    Err(reply) => reply,
                },
                None => Reply::message(404, "Not Found"),
            }
        }
        _ => Reply::message(404, "Not Found"),
    }
}

fn body_text(request: &Request) -> Option<String> {
    let value: Value = serde_json::from_str(&request.body).ok()?;
    value.get("body")?.as_str().map(str::to_owned)
}

/// GitHub's check-run rules: at most 50 annotations per request, summary
/// and text at most 65,535 characters.
fn apply_check_run(
    run: &mut CheckRun,
    fields: serde_json::Map<String, Value>,
) -> Result<(), Reply> {
    if let Some(output) = fields.get("output") {
        for key in ["summary", "text"] {
            if output
                .get(key)
                .and_then(Value::as_str)
                .is_some_and(|s| s.chars().count() > 65_535)
            {
                return Err(Reply::message(
                    422,
                    &format!("Validation Failed: output.{key} is too long"),
                ));
            }
        }
        if let Some(annotations) = output.get("annotations").and_then(Value::as_array) {
            if annotations.len() > 50 {
                return Err(Reply::message(
                    422,
                    "Validation Failed: at most 50 annotations per request",
                ));
            }
            run.annotations.extend(annotations.iter().cloned());
        }
    }
    for (key, value) in fields {
        if key == "output" {
            let merged = run.fields.entry("output").or_insert_with(|| json!({}));
            if let (Some(merged), Value::Object(output)) = (merged.as_object_mut(), value) {
                for (k, v) in output {
                    if k != "annotations" {
                        merged.insert(k, v);
                    }
                }
            }
        } else {
            run.fields.insert(key, value);
        }
    }
    Ok(())
}

/// GitHub's 422s on a review: an event, a commit, and each comment's
/// path, body, `line` and `side`, with `start_line` before `line`.
fn check_review(review: &Value) -> Result<(), Reply> {
    let invalid = |what: &str| Err(Reply::message(422, &format!("Validation Failed: {what}")));
    if !matches!(
        review["event"].as_str(),
        Some("COMMENT" | "APPROVE" | "REQUEST_CHANGES")
    ) {
        return invalid("event");
    }
    if review["commit_id"].as_str().is_none() || review["body"].as_str().is_none() {
        return invalid("commit_id and body");
    }
    for c in review["comments"].as_array().into_iter().flatten() {
        let line = c["line"].as_u64().unwrap_or(0);
        if c["path"].as_str().is_none() || c["body"].as_str().is_none() || line == 0 {
            return invalid("comments: path, body and line");
        }
        if !matches!(c["side"].as_str(), Some("RIGHT" | "LEFT")) {
            return invalid("comments: side");
        }
        if c.get("start_line")
            .is_some_and(|s| s.as_u64().is_none_or(|s| s == 0 || s >= line))
        {
            return invalid("comments: start_line must precede line");
        }
    }
    Ok(())
}

fn review_comment_json(pr: u64, id: u64, comment: &Value) -> Value {
    let mut value = comment.clone();
    value["id"] = json!(id);
    value["html_url"] = json!(format!(
        "https://github.com/acme/widgets/pull/{pr}#discussion_r{id}"
    ));
    value["user"] = user_json("github-actions[bot]");
    value
}

/// A user as GitHub lists one: apps' accounts end in `[bot]`.
fn user_json(login: &str) -> Value {
    let kind = if login.ends_with("[bot]") {
        "Bot"
    } else {
        "User"
    };
    json!({ "login": login, "type": kind })
}

fn comment_json(c: &Comment) -> Value {
    json!({
        "id": c.id,
        "node_id": format!("IC_{}", c.id),
        "body": c.body,
        "user": user_json(&c.login),
        "html_url": format!("https://github.com/o/r/issues/1#issuecomment-{}", c.id),
    })
}

fn check_run_json(run: &CheckRun) -> Value {
    let mut value = Value::Object(run.fields.clone());
    value["id"] = json!(run.id);
    value["html_url"] = json!(format!("https://github.com/o/r/runs/{}", run.id));
    value
}

/// One page of `items` as GitHub serves it: `per_page` (default 30, at
/// most 100), `page` from 1, and a `Link` header with `next` and `last`.
fn paged(items: &[Value], wrap: Option<&str>, request: &Request, base: &str) -> Reply {
    let per_page = request
        .param("per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(30)
        .clamp(1, 100);
    let page = request
        .param("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .max(1);
    let last = items.len().div_ceil(per_page).max(1);
    let slice: Vec<Value> = items
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .cloned()
        .collect();
    let body = match wrap {
        Some(field) => json!({ "total_count": items.len(), field: slice }),
        None => Value::Array(slice),
    };
    let mut reply = Reply::json(200, body);
    let link = |p: usize, rel: &str| {
        format!(
            "<{base}{}?per_page={per_page}&page={p}>; rel=\"{rel}\"",
            request.path
        )
    };
    let mut links = Vec::new();
    if page < last {
        links.push(link(page + 1, "next"));
        links.push(link(last, "last"));
    }
    if page > 1 {
        links.push(link(1, "first"));
        links.push(link(page - 1, "prev"));
    }
    if !links.is_empty() {
        reply = reply.header("link", &links.join(", "));
    }
    reply
}
