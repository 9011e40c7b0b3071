//! The GitHub side against a local GitHub REST server (127.0.0.1): the
//! client (pagination, retries, where the token goes) and `pitcrew report`
//! publishing (step summary, check run, sticky comment, safety).

mod common;

use std::time::Duration;

use common::github_server::{Reply, Server};
use pitcrew::github::client::{Client, RetryPolicy};
use pitcrew::github::context::Context;
use serde_json::{Value, json};

const TOKEN: &str = "ghs_secret_token_for_tests";

/// Waits of a few milliseconds: the retries are real, the test is quick.
fn quick() -> RetryPolicy {
    RetryPolicy {
        attempts: 4,
        backoff: Duration::from_millis(5),
        max_wait: Duration::from_millis(20),
        timeout: Duration::from_secs(20),
    }
}

fn client_for(server: &Server) -> Client {
    let api = server.url.clone();
    let context = Context::from_vars(
        |name| match name {
            "GITHUB_REPOSITORY" => Some("acme/widgets".into()),
            "GITHUB_API_URL" => Some(api.clone()),
            _ => None,
        },
        None,
    )
    .expect("context");
    Client::new(&context, TOKEN, quick()).expect("client")
}

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

#[test]
fn client_follows_link_pages_and_sends_the_token_to_the_api_base() {
    let server = Server::start();
    for i in 0..257 {
        server.add_comment(7, "someone", &format!("comment {i}"));
    }
    let client = client_for(&server);
    let all: Vec<Value> = client
        .paginate("/repos/acme/widgets/issues/7/comments", None, usize::MAX)
        .expect("pages");
    assert_eq!(all.len(), 257);
    assert_eq!(all[256]["body"], "comment 256");
    let requests = server.requests();
    let pages: Vec<_> = requests.iter().map(|r| r.param("page")).collect();
    assert_eq!(pages, [None, Some("2"), Some("3")]);
    for r in &requests {
        assert_eq!(r.header("authorization"), Some(bearer().as_str()));
        assert_eq!(r.param("per_page"), Some("100"));
        let agents = r.headers.iter().filter(|(n, _)| n == "user-agent").count();
        assert_eq!(agents, 1, "{:?}", r.headers);
    }
    // A limit stops early.
    server.clear_requests();
    let some: Vec<Value> = client
        .paginate("/repos/acme/widgets/issues/7/comments", None, 150)
        .expect("pages");
    assert_eq!(some.len(), 150);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn client_retries_5xx_and_secondary_rate_limits_then_gives_up() {
    let server = Server::start();
    server.route("GET", "/rate", Reply::json(200, json!({"ok": true})));
    server.fail_next(
        "GET",
        "/rate",
        vec![
            Reply::message(502, "Bad Gateway"),
            Reply::message(403, "You have exceeded a secondary rate limit")
                .header("retry-after", "1"),
            Reply::message(429, "Too Many Requests").header("retry-after", "3"),
        ],
    );
    let client = client_for(&server);
    let value: Value = client.get_json("/rate").expect("fourth try succeeds");
    assert_eq!(value, json!({"ok": true}));
    assert_eq!(server.requests().len(), 4);

    server.clear_requests();
    server.fail_next("GET", "/rate", vec![Reply::message(503, "down"); 4]);
    let err = client
        .get_json::<Value>("/rate")
        .expect_err("all four fail");
    assert_eq!(err.status(), Some(503));
    assert_eq!(server.requests().len(), 4);

    // A read-only token is not retried.
    server.clear_requests();
    server.read_only(true);
    let err = client
        .post_json::<Value, _>(
            "/repos/acme/widgets/check-runs",
            &json!({"name": "x", "head_sha": "y"}),
        )
        .expect_err("403");
    assert!(err.is_read_only(), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn client_times_out_and_retries() {
    // A server that accepts and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let held = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(2).flatten() {
            held.push(stream);
        }
        std::thread::sleep(Duration::from_secs(3));
    });
    let context = Context::from_vars(
        |n| match n {
            "GITHUB_REPOSITORY" => Some("acme/widgets".into()),
            "GITHUB_API_URL" => Some(url.clone()),
            _ => None,
        },
        None,
    )
    .expect("context");
    let policy = RetryPolicy {
        attempts: 2,
        timeout: Duration::from_millis(200),
        ..quick()
    };
    let client = Client::new(&context, TOKEN, policy).expect("client");
    let err = client.get_json::<Value>("/slow").expect_err("times out");
    assert!(err.to_string().contains("timed out"), "{err}");
    drop(held);
}

#[test]
fn the_token_never_reaches_another_host() {
    let api = Server::start();
    let elsewhere = Server::start();
    elsewhere.route("GET", "/blob", Reply::json(200, json!({"data": 1})));
    api.route(
        "GET",
        "/repos/acme/widgets/actions/artifacts/1/zip",
        Reply::redirect(&format!("{}/blob?sig=x", elsewhere.url)),
    );
    let client = client_for(&api);
    let redirect = client
        .request(
            http::Method::GET,
            "/repos/acme/widgets/actions/artifacts/1/zip",
            None::<&()>,
        )
        .expect("302 comes back, not followed");
    assert_eq!(redirect.status, 302);
    assert!(elsewhere.requests().is_empty(), "not followed");
    let location = redirect.headers["location"]
        .to_str()
        .expect("location")
        .to_owned();
    // The authenticated path refuses another host outright.
    let err = client
        .request(http::Method::GET, &location, None::<&()>)
        .expect_err("refused");
    assert!(err.to_string().contains("not on the API base"), "{err}");
    assert!(elsewhere.requests().is_empty());
    // The unauthenticated path gets there without the token.
    let got = client.get_unauthenticated(&location).expect("download");
    assert_eq!(got.status, 200);
    let requests = elsewhere.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("authorization"), None);
    assert_eq!(requests[0].param("sig"), Some("x"));
    assert_eq!(
        api.requests()[0].header("authorization"),
        Some(bearer().as_str())
    );
}
