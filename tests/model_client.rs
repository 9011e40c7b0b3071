//! The model client against a scripted OpenAI-compatible server on 127.0.0.1.

mod common;

use std::time::{Duration, Instant};

use common::openai_server::{Reply, Server};
use pitcrew::triage::model::*;
use pitcrew::triage::redact::Redactor;

/// Tiny waits: retries and backoffs must not slow the suite down.
fn config(endpoints: Vec<Endpoint>) -> ClientConfig {
    let mut config = ClientConfig::new(endpoints);
    config.backoff = Duration::from_millis(1);
    config.max_backoff = Duration::from_millis(20);
    config.request_timeout = Duration::from_secs(20);
    config.redactor = Redactor::new();
    config
}

fn endpoint(name: &str, server: &Server) -> Endpoint {
    Endpoint::new(name, &server.base()).unwrap()
}

fn client(config: ClientConfig) -> ModelClient {
    ModelClient::new(config).unwrap()
}

fn ask(models: &[(&str, &str)]) -> ChatRequest {
    let models = models.iter().map(|(e, m)| ModelRef::new(*e, *m)).collect();
    ChatRequest::new(
        models,
        vec![Message::system("You triage."), Message::user("Why?")],
    )
}

#[track_caller]
fn all_failed(result: Result<Completion, ModelError>) -> Vec<Attempt> {
    match result {
        Err(ModelError::AllFailed { attempts }) => attempts,
        other => panic!("expected every model to fail, got {other:?}"),
    }
}

#[test]
fn success_sends_an_openai_request_and_lists_models_once() {
    let server = Server::start();
    server
        .models(Reply::models(&["m1"]))
        .chat(vec![Reply::answer("use a mock")]);
    let client = client(config(vec![endpoint("local", &server)]));
    let mut request = ask(&[("local", "m1")]);
    request.temperature = 0.5;
    request.max_tokens = 300;
    let answer = client.complete(request.clone()).unwrap();
    assert_eq!(answer.texts, ["use a mock"]);
    assert_eq!(answer.served_by, ModelRef::new("local", "m1"));
    assert_eq!(answer.reason, "first choice");
    assert_eq!(
        (answer.usage.input_tokens, answer.usage.output_tokens),
        (10, 5)
    );
    client.complete(request.clone()).unwrap();
    client.complete(request).unwrap();

    assert_eq!(
        server.listings(),
        1,
        "the model list is fetched once per run"
    );
    let chats = server.chats();
    assert_eq!(chats.len(), 3);
    let body: serde_json::Value = serde_json::from_str(&chats[0].body).unwrap();
    assert_eq!(body["model"], "m1");
    assert_eq!(body["messages"][0]["role"], "system");
    assert_eq!(body["messages"][1]["content"], "Why?");
    assert_eq!(body["temperature"], 0.5);
    assert_eq!(body["max_tokens"], 300);
    assert_eq!(body["stream"], false);
    assert_eq!(chats[0].header("content-type"), Some("application/json"));
    assert_eq!(
        chats[0].header("authorization"),
        None,
        "no token configured"
    );
    let spent = client.spent();
    assert_eq!(
        (spent.calls, spent.input_tokens, spent.output_tokens),
        (3, 30, 15)
    );
    assert_eq!(
        client.availability(),
        [(
            "local".to_string(),
            Availability::Listed {
                models: vec!["m1".into()]
            }
        )]
    );
    assert!(client.is_available(&ModelRef::new("local", "m1")));
    assert!(!client.is_available(&ModelRef::new("local", "m2")));
    assert!(!client.is_available(&ModelRef::new("elsewhere", "m1")));
}

#[test]
fn retry_after_on_429_is_honoured() {
    let server = Server::start();
    server.chat(vec![
        Reply::error(429, "rate_limited", "slow down").header("Retry-After", "1"),
        Reply::answer("ok"),
    ]);
    let mut config = config(vec![endpoint("local", &server)]);
    config.max_backoff = Duration::from_secs(5);
    let client = client(config);
    let started = Instant::now();
    let answer = client.complete(ask(&[("local", "m")])).unwrap();
    assert_eq!(answer.texts, ["ok"]);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.chats().len(), 2);
}

#[test]
fn a_retry_after_beyond_the_bound_moves_on_and_cools_the_endpoint() {
    let limited = Server::start();
    limited.chat(vec![
        Reply::error(429, "rate_limited", "come back in an hour").header("Retry-After", "3600"),
    ]);
    let spare = Server::start();
    spare.chat(vec![Reply::answer("from spare")]);
    let client = client(config(vec![
        endpoint("limited", &limited),
        endpoint("spare", &spare),
    ]));
    let started = Instant::now();
    let answer = client
        .complete(ask(&[("limited", "m"), ("spare", "m")]))
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(60));
    assert_eq!(answer.served_by.endpoint, "spare");
    assert!(matches!(
        answer.skipped[0].failure,
        Failure::RateLimited {
            retry_after_seconds: 3600
        }
    ));
    let again = client
        .complete(ask(&[("limited", "m"), ("spare", "m")]))
        .unwrap();
    assert!(
        matches!(again.skipped[0].failure, Failure::CoolingDown { .. }),
        "{:?}",
        again.skipped
    );
    assert_eq!(limited.chats().len(), 1, "a cooling endpoint is not called");
}

#[test]
fn server_errors_are_retried_with_backoff_then_succeed() {
    let server = Server::start();
    server.chat(vec![
        Reply::error(500, "server_error", "boom"),
        Reply::error(502, "bad_gateway", "boom"),
        Reply::answer("third time"),
    ]);
    let client = client(config(vec![endpoint("local", &server)]));
    let answer = client.complete(ask(&[("local", "m")])).unwrap();
    assert_eq!(answer.texts, ["third time"]);
    assert_eq!(server.chats().len(), 3);
    assert_eq!(client.spent().calls, 3, "retries are calls");
}

#[test]
fn server_errors_that_persist_fail_after_max_tries() {
    let server = Server::start();
    server.chat(vec![Reply::error(
        503,
        "unavailable",
        "down for maintenance",
    )]);
    let mut config = config(vec![endpoint("local", &server)]);
    config.cooldown_after = 10;
    let attempts = all_failed(client(config).complete(ask(&[("local", "m")])));
    assert_eq!(
        attempts[0].failure,
        Failure::Status {
            status: 503,
            message: "down for maintenance".into(),
            tries: 3
        }
    );
    assert_eq!(server.chats().len(), 3);
}

#[test]
fn a_timeout_is_an_error_naming_the_model() {
    let server = Server::start();
    server.chat(vec![
        Reply::answer("too late").after(Duration::from_secs(10)),
    ]);
    let mut config = config(vec![endpoint("local", &server)]);
    // Every request of the client has this limit (its list of models
    // too): long enough for a loaded machine, far below the reply's delay.
    config.request_timeout = Duration::from_secs(2);
    config.max_tries = 2;
    let error = client(config).complete(ask(&[("local", "m")])).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("m@local: timed out after 2 tries"), "{text}");
}

#[test]
fn a_slow_endpoint_within_the_timeout_answers() {
    let server = Server::start();
    server.chat(vec![
        Reply::answer("slowly").after(Duration::from_millis(300)),
    ]);
    let answer = client(config(vec![endpoint("slow", &server)]))
        .complete(ask(&[("slow", "m")]))
        .unwrap();
    assert_eq!(answer.texts, ["slowly"]);
}

#[test]
fn a_slow_endpoint_past_the_timeout_falls_back() {
    let slow = Server::start();
    slow.chat(vec![
        Reply::answer("too late").after(Duration::from_secs(10)),
    ]);
    let fast = Server::start();
    fast.chat(vec![Reply::answer("fast")]);
    let mut config = config(vec![endpoint("slow", &slow), endpoint("fast", &fast)]);
    // The fast endpoint's calls have this limit too.
    config.request_timeout = Duration::from_secs(2);
    config.max_tries = 1;
    let answer = client(config)
        .complete(ask(&[("slow", "big"), ("fast", "small")]))
        .unwrap();
    assert_eq!(answer.served_by, ModelRef::new("fast", "small"));
    assert!(
        answer.reason.contains("big@slow: timed out"),
        "{}",
        answer.reason
    );
}

#[test]
fn malformed_json_is_an_error_naming_the_endpoint() {
    let server = Server::start();
    server.chat(vec![Reply::json(200, "{\"choices\": [ not json")]);
    let error = client(config(vec![endpoint("broken-box", &server)]))
        .complete(ask(&[("broken-box", "m")]))
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("malformed response body: from endpoint `broken-box`"),
        "{text}"
    );
    assert_eq!(server.chats().len(), 1, "a malformed answer is not retried");
}

#[test]
fn a_context_length_error_moves_to_the_next_model() {
    let server = Server::start();
    server
        .chat_for(
            "small",
            vec![Reply::error(
                400,
                "context_length_exceeded",
                "This model's maximum context length is 2048 tokens",
            )],
        )
        .chat_for("large", vec![Reply::answer("from large")]);
    let mut config = config(vec![endpoint("local", &server)]);
    config.cooldown_after = 1;
    let client = client(config);
    for _ in 0..2 {
        let answer = client
            .complete(ask(&[("local", "small"), ("local", "large")]))
            .unwrap();
        assert_eq!(answer.served_by.model, "large");
        assert_eq!(answer.skipped[0].failure, Failure::ContextLength);
        assert!(
            answer
                .reason
                .contains("small@local: prompt longer than the model's context")
        );
    }
    let models: Vec<_> = server.chats().iter().filter_map(|s| s.model()).collect();
    assert_eq!(
        models,
        ["small", "large", "small", "large"],
        "no retry, no cooldown"
    );
}

#[test]
fn fallback_skips_unreachable_endpoints_and_unlisted_models() {
    // Port 1: no test server gets it (they bind port 0, ephemeral ports),
    // where a port freed here could go to another test's server.
    let gone_url = "http://127.0.0.1:1/v1".to_string();
    let listing = Server::start();
    listing
        .models(Reply::models(&["other-model"]))
        .chat(vec![Reply::answer("never")]);
    let last = Server::start();
    last.chat(vec![Reply::answer("from last")]);
    let endpoints = vec![
        Endpoint::new("gone", &gone_url).unwrap(),
        endpoint("listing", &listing),
        endpoint("last", &last),
    ];
    let client = client(config(endpoints));
    let answer = client
        .complete(ask(&[
            ("gone", "a"),
            ("listing", "b"),
            ("nowhere", "c"),
            ("last", "d"),
        ]))
        .unwrap();
    assert_eq!(answer.served_by, ModelRef::new("last", "d"));
    let failures: Vec<_> = answer.skipped.iter().map(|a| &a.failure).collect();
    assert!(
        matches!(failures[0], Failure::Unreachable { .. }),
        "{failures:?}"
    );
    assert_eq!(failures[1], &Failure::NotServed);
    assert_eq!(failures[2], &Failure::UnknownEndpoint);
    assert!(
        answer
            .reason
            .starts_with("fallback after a@gone: endpoint unreachable"),
        "{}",
        answer.reason
    );
    assert!(
        listing.chats().is_empty(),
        "a model missing from the list is never asked"
    );
    let availability = client.availability();
    assert!(matches!(
        availability[0].1,
        Availability::Unreachable { .. }
    ));
    assert!(
        matches!(availability[2].1, Availability::Unlisted { .. }),
        "404 on /models: tried anyway"
    );
}

#[test]
fn a_failing_endpoint_cools_down() {
    let failing = Server::start();
    failing.chat(vec![Reply::error(500, "server_error", "boom")]);
    let healthy = Server::start();
    healthy.chat(vec![Reply::answer("ok")]);
    let mut config = config(vec![
        endpoint("failing", &failing),
        endpoint("healthy", &healthy),
    ]);
    config.max_tries = 1;
    config.cooldown_after = 2;
    config.cooldown = Duration::from_secs(600);
    let client = client(config);
    let models = [("failing", "m"), ("healthy", "m")];
    for _ in 0..2 {
        let answer = client.complete(ask(&models)).unwrap();
        assert!(matches!(
            answer.skipped[0].failure,
            Failure::Status { status: 500, .. }
        ));
    }
    for _ in 0..3 {
        let answer = client.complete(ask(&models)).unwrap();
        assert!(
            matches!(answer.skipped[0].failure, Failure::CoolingDown { .. }),
            "{:?}",
            answer.skipped
        );
        assert!(answer.reason.contains("cooling down"));
    }
    assert_eq!(failing.chats().len(), 2);
    assert_eq!(healthy.chats().len(), 5);
}

#[test]
fn refused_tokens_fail_fast_and_for_the_rest_of_the_run() {
    let refusing = Server::start();
    refusing.chat(vec![Reply::error(401, "unauthorized", "bad credentials")]);
    let spare = Server::start();
    spare.chat(vec![Reply::answer("ok")]);
    let token = Token::new("tok-refused-123456").unwrap();
    let endpoints = vec![
        endpoint("refusing", &refusing).with_token(token).unwrap(),
        endpoint("spare", &spare),
    ];
    let client = client(config(endpoints));
    for _ in 0..3 {
        let answer = client
            .complete(ask(&[("refusing", "m"), ("spare", "m")]))
            .unwrap();
        assert_eq!(
            answer.skipped[0].failure,
            Failure::Unauthorized { status: 401 }
        );
    }
    assert_eq!(
        refusing.chats().len(),
        1,
        "no retry after 401, and no second call"
    );
}

#[test]
fn the_budget_stops_calls_with_a_typed_error() {
    let server = Server::start();
    server.chat(vec![Reply::answer("ok")]);
    let mut config = config(vec![endpoint("local", &server)]);
    config.budget.max_calls = Some(2);
    let client = client(config);
    let answers = client.complete_all((0..5).map(|_| ask(&[("local", "m")])).collect());
    let served = answers.iter().filter(|a| a.is_ok()).count();
    assert_eq!(served, 2);
    for answer in answers.iter().filter_map(|a| a.as_ref().err()) {
        assert!(answer.is_budget_exhausted(), "{answer}");
        assert!(matches!(
            answer,
            ModelError::BudgetExhausted {
                limit: Limit::Calls,
                ..
            }
        ));
        assert!(
            answer
                .to_string()
                .starts_with("model budget exhausted (calls: 2 calls"),
            "{answer}"
        );
    }
    assert_eq!(server.chats().len(), 2, "no call past the budget");
}

#[test]
fn token_and_cost_budgets_are_checked_before_each_call() {
    let server = Server::start();
    server.chat(vec![Reply::answer("ok")]);
    let mut config = config(vec![endpoint("paid", &server)]);
    config.budget.max_cost_usd = Some(0.000_05);
    // 10 in, 5 out per call: 10 * 2 + 5 * 4 = 40 dollars per million = $0.00004 a call.
    config.prices.insert(
        "m".into(),
        Price {
            input_per_million: 2.0,
            output_per_million: 4.0,
        },
    );
    config.concurrency = 1;
    let client = client(config);
    client.complete(ask(&[("paid", "m")])).unwrap();
    client.complete(ask(&[("paid", "m")])).unwrap();
    let error = client.complete(ask(&[("paid", "m")])).unwrap_err();
    assert!(
        matches!(
            error,
            ModelError::BudgetExhausted {
                limit: Limit::Cost,
                ..
            }
        ),
        "{error}"
    );
    assert!((client.spent().cost_usd - 0.000_08).abs() < 1e-12);

    let server = Server::start();
    server.chat(vec![Reply::answer("ok")]);
    let mut config = self::config(vec![endpoint("local", &server).free()]);
    config.budget.max_tokens = Some(20);
    let client = self::client(config);
    client.complete(ask(&[("local", "m")])).unwrap();
    client.complete(ask(&[("local", "m")])).unwrap();
    let error = client.complete(ask(&[("local", "m")])).unwrap_err();
    assert!(
        matches!(
            error,
            ModelError::BudgetExhausted {
                limit: Limit::Tokens,
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        client.spent().cost_usd,
        0.0,
        "a free endpoint costs nothing"
    );
    assert_eq!(client.spent().unpriced_calls, 0);
}

#[test]
fn concurrency_is_bounded() {
    let server = Server::start();
    server.chat(vec![Reply::answer("ok").after(Duration::from_millis(150))]);
    assert_eq!(
        ClientConfig::new(Vec::new()).concurrency,
        4,
        "the default bound"
    );
    let mut config = config(vec![endpoint("local", &server)]);
    config.concurrency = 3;
    let client = client(config);
    let answers = client.complete_all((0..12).map(|_| ask(&[("local", "m")])).collect());
    assert!(answers.iter().all(Result::is_ok));
    let max = server.max_in_flight();
    assert!(max <= 3, "{max} requests in flight with a bound of 3");
    assert!(
        max >= 2,
        "requests ran one at a time: the bound is not concurrency"
    );
    assert_eq!(
        server.listings(),
        1,
        "concurrent requests share one model listing"
    );
}

#[test]
fn answers_come_back_in_request_order() {
    let server = Server::start();
    server
        .chat_for(
            "slow",
            vec![Reply::answer("slow").after(Duration::from_millis(200))],
        )
        .chat_for("fast", vec![Reply::answer("fast")]);
    let client = client(config(vec![endpoint("local", &server)]));
    let answers = client.complete_all(vec![ask(&[("local", "slow")]), ask(&[("local", "fast")])]);
    let texts: Vec<_> = answers
        .into_iter()
        .map(|a| a.unwrap().texts[0].clone())
        .collect();
    assert_eq!(texts, ["slow", "fast"]);
}

#[test]
fn an_empty_model_list_is_an_error() {
    let client = client(config(Vec::new()));
    assert!(matches!(
        client.complete(ask(&[])),
        Err(ModelError::NoModels)
    ));
}

#[test]
fn duplicate_endpoint_names_are_refused() {
    let server = Server::start();
    let result = ModelClient::new(config(vec![endpoint("a", &server), endpoint("a", &server)]));
    assert!(matches!(result, Err(ModelError::Setup(text)) if text.contains("`a`")));
}

/// Every kind of secret, and the exact texts that must never leave.
fn secrets() -> (String, Vec<&'static str>) {
    let prompt = "\
test failed with GITHUB_TOKEN ghp_abcdefghijklmnopqrstuvwxyz0123456789 and gho_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
ghu_0123456789abcdefghijABCDEFGHIJ012345 ghs_0123456789abcdefghijABCDEFGHIJ543210 ghr_0123456789abcdefghijABCDEFGHIJ999999
github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV
AWS key AKIAIOSFODNN7EXAMPLE and aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAvQmWW9bXhLfHQVcvW0b9VAx5LV1SF9cdMEPVDpPbIKqiyHwI
-----END RSA PRIVATE KEY-----
session eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyLTQyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ
curl -H 'Authorization: Bearer sk-live-bearer-0001' -H 'Authorization: Basic dXNlcjpodW50ZXIy'
password=hunter2hunter2 token: tok-pair-0002 secret=\"sec-pair-0003\" api_key='key-pair-0004'
{\"password\": \"json-pass-0005\", \"api_key\": \"json-key-0006\"}
git clone https://deploy:url-pass-0007@git.example.com/o/r.git
env value: listed-env-value-0008 and suffixed-env-value-0009
an HTML report's &#103;&#104;&#112;&#95;&#69;&#110;&#116;&#105;&#116;&#121;&#69;&#110;&#99;&#111;&#100;&#101;&#100;&#84;&#111;&#107;&#101;&#110;&#48;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;&#97;&#98;&#99;&#100;&#101;&#102;&#103;&#104; and a dumped header QXV0aG9yaXphdGlvbjogdG9rZW4gZ2hwX0Jhc2U2NEVuY29kZWRUb2tlbjAxMjM0NTY3ODlhYmNkZWZnaA==
";
    let secret_texts = vec![
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
        "gho_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
        "ghu_0123456789abcdefghijABCDEFGHIJ012345",
        "ghs_0123456789abcdefghijABCDEFGHIJ543210",
        "ghr_0123456789abcdefghijABCDEFGHIJ999999",
        "github_pat_11AAAAAAA0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "MIIEowIBAAKCAQEAvQmWW9bXhLfHQVcvW0b9VAx5LV1SF9cdMEPVDpPbIKqiyHwI",
        "eyJzdWIiOiJ1c2VyLTQyIn0",
        "c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        "sk-live-bearer-0001",
        "dXNlcjpodW50ZXIy",
        "hunter2hunter2",
        "tok-pair-0002",
        "sec-pair-0003",
        "key-pair-0004",
        "json-pass-0005",
        "json-key-0006",
        "url-pass-0007",
        "listed-env-value-0008",
        "suffixed-env-value-0009",
        "tok-A-own-endpoint-0010",
        // Encoded: as character references, and in base64.
        "&#103;&#104;&#112;&#95;&#69;&#110;&#116;&#105;&#116;&#121;&#",
        "QXV0aG9yaXphdGlvbjogdG9rZW4gZ2hwX0Jhc2U2",
    ];
    (
        format!("{prompt}and endpoint A's token tok-A-own-endpoint-0010\n"),
        secret_texts,
    )
}

#[test]
fn no_secret_reaches_the_request_body_and_tokens_go_to_their_own_endpoint_only() {
    let a = Server::start();
    a.chat(vec![Reply::error(500, "server_error", "boom")]);
    let b = Server::start();
    b.chat(vec![Reply::answer("ok")]);
    let after_redirect = Server::start();
    after_redirect.chat(vec![Reply::answer("must never be asked")]);
    let redirecting = Server::start();
    let location = format!("{}/chat/completions", after_redirect.base());
    redirecting.chat(vec![Reply::json(307, "").header("Location", &location)]);
    let plain = Server::start();
    plain.chat(vec![Reply::answer("ok")]);

    let token = |t: &str| Token::new(t).unwrap();
    let endpoints = vec![
        endpoint("a", &a)
            .with_token(token("tok-A-own-endpoint-0010"))
            .unwrap(),
        endpoint("redirecting", &redirecting)
            .with_token(token("tok-R-0011"))
            .unwrap(),
        endpoint("b", &b).with_token(token("tok-B-0012")).unwrap(),
        endpoint("after-redirect", &after_redirect),
        endpoint("plain", &plain),
    ];
    let mut config = config(endpoints);
    let vars = [
        ("LISTED", "listed-env-value-0008"),
        ("MY_SERVICE_TOKEN", "suffixed-env-value-0009"),
    ];
    config.redactor = Redactor::from_vars(vars, &["LISTED".to_string()]);
    let client = client(config);
    let (prompt, secret_texts) = secrets();
    let request = |models: &[(&str, &str)]| {
        let models = models.iter().map(|(e, m)| ModelRef::new(*e, *m)).collect();
        ChatRequest::new(
            models,
            vec![
                Message::system(prompt.clone()),
                Message::user(prompt.clone()),
            ],
        )
    };

    let ((), logs) = common::capture_logs(|| {
        let answer = client
            .complete(request(&[("a", "m"), ("redirecting", "m"), ("b", "m")]))
            .unwrap();
        assert_eq!(answer.served_by.endpoint, "b");
        assert!(
            matches!(
                answer.skipped[1].failure,
                Failure::Status { status: 307, .. }
            ),
            "{:?}",
            answer.skipped
        );
        client.complete(request(&[("plain", "m")])).unwrap();
    });

    let servers = [
        ("a", &a),
        ("redirecting", &redirecting),
        ("b", &b),
        ("after-redirect", &after_redirect),
        ("plain", &plain),
    ];
    let mut bodies = 0;
    for (name, server) in servers {
        for seen in server.seen() {
            for secret in &secret_texts {
                assert!(
                    !seen.body.contains(secret),
                    "{secret:?} reached endpoint {name}:\n{}",
                    seen.body
                );
            }
            if seen.path.ends_with("/chat/completions") {
                assert!(seen.body.contains("[REDACTED]"));
                bodies += 1;
            }
            let expected = match name {
                "a" => Some("Bearer tok-A-own-endpoint-0010"),
                "redirecting" => Some("Bearer tok-R-0011"),
                "b" => Some("Bearer tok-B-0012"),
                _ => None,
            };
            assert_eq!(
                seen.header("authorization"),
                expected,
                "{} {} on {name}",
                seen.method,
                seen.path
            );
        }
    }
    assert_eq!(bodies, 3 + 1 + 1 + 1, "a: 3 tries, the redirect, b, plain");
    assert!(
        after_redirect.seen().is_empty(),
        "a redirect is never followed"
    );
    for secret in ["tok-A-own-endpoint-0010", "tok-R-0011", "tok-B-0012"] {
        assert!(!logs.contains(secret), "a token reached the logs:\n{logs}");
    }
    assert!(
        logs.contains("endpoint=a") || logs.contains("endpoint=\"a\""),
        "logs name endpoints:\n{logs}"
    );
}

#[test]
fn calls_waiting_for_a_slot_see_what_the_call_before_them_spent() {
    let server = Server::start();
    // Slow enough that the second call is queued while the first is out.
    server.chat(vec![
        Reply::answer("ok").after(Duration::from_millis(300)),
        Reply::answer("ok").after(Duration::from_millis(300)),
    ]);
    let mut config = config(vec![endpoint("paid", &server)]);
    // One call costs $0.00004 (10 in, 5 out at 2 and 4 per million): a
    // budget of less than two calls allows exactly one, however they queue.
    config.budget.max_cost_usd = Some(0.000_03);
    config.prices.insert(
        "m".into(),
        Price {
            input_per_million: 2.0,
            output_per_million: 4.0,
        },
    );
    config.concurrency = 1;
    let client = client(config);
    let results = client.complete_all(vec![ask(&[("paid", "m")]), ask(&[("paid", "m")])]);
    assert_eq!(
        server.chats().len(),
        1,
        "the queued call stopped at the budget"
    );
    let stopped = results
        .iter()
        .filter(|r| {
            matches!(
                r,
                Err(ModelError::BudgetExhausted {
                    limit: Limit::Cost,
                    ..
                })
            )
        })
        .count();
    assert_eq!(stopped, 1, "{results:?}");
}

// ---------------------------------------------------------------------------
// A hostile endpoint: what it sends back cannot crash the client, outlast
// the caller's deadline, or put the key in a report.
// ---------------------------------------------------------------------------

#[test]
fn an_error_body_quoting_the_key_is_redacted() {
    let server = Server::start();
    let key = "sk-live-abcdefghijklmnop0123456789";
    server.chat(vec![Reply::error(
        400,
        "invalid_api_key",
        // The key straddles the 200 characters a message keeps.
        &format!("{}Incorrect API key provided: {key}.", "x".repeat(150)),
    )]);
    let token = Token::new(key).unwrap();
    let client = client(config(vec![
        endpoint("local", &server).with_token(token).unwrap(),
    ]));
    let attempts = all_failed(client.complete(ask(&[("local", "m")])));
    let text = attempts[0].to_string();
    assert!(!text.contains("sk-live"), "{text}");
    assert!(text.contains("provided: [REDACTED]"), "{text}");
}

#[test]
fn a_retry_after_of_centuries_moves_on_without_panicking() {
    let limited = Server::start();
    limited.chat(vec![
        Reply::error(429, "rate_limited", "never").header("Retry-After", "18446744073709551615"),
    ]);
    let spare = Server::start();
    spare.chat(vec![Reply::answer("ok")]);
    let client = client(config(vec![
        endpoint("limited", &limited),
        endpoint("spare", &spare),
    ]));
    let answer = client
        .complete(ask(&[("limited", "m"), ("spare", "m")]))
        .unwrap();
    assert_eq!(answer.texts, ["ok"]);
    assert!(matches!(
        answer.skipped[0].failure,
        Failure::RateLimited { .. }
    ));
}

#[test]
fn a_deadline_bounds_every_try_and_no_retry_starts_after_it() {
    let server = Server::start();
    server.chat(vec![Reply::answer("late").after(Duration::from_secs(30))]);
    let client = client(config(vec![endpoint("local", &server)]));
    let mut request = ask(&[("local", "m")]);
    request.deadline = Some(Instant::now() + Duration::from_secs(1));
    let started = Instant::now();
    let attempts = all_failed(client.complete(request));
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "waited {:?}",
        started.elapsed()
    );
    // The deadline's, not the endpoint's: reported as such, no cooldown.
    assert_eq!(attempts[0].failure, Failure::OutOfTime, "{attempts:?}");
}

#[test]
fn extra_choices_are_dropped_and_an_answer_is_bounded() {
    let server = Server::start();
    let choices: Vec<String> = (0..12)
        .map(|i| {
            format!(
                r#"{{"message":{{"role":"assistant","content":"answer {i} {}"}}}}"#,
                "y".repeat(200_000)
            )
        })
        .collect();
    server.chat(vec![Reply::json(
        200,
        &format!(r#"{{"choices":[{}]}}"#, choices.join(",")),
    )]);
    let client = client(config(vec![endpoint("local", &server)]));
    let answer = client.complete(ask(&[("local", "m")])).unwrap();
    assert_eq!(answer.texts.len(), 1, "one candidate was asked for");
    assert!(answer.texts[0].starts_with("answer 0 "));
    assert!(answer.texts[0].len() < 20_000, "{}", answer.texts[0].len());
}
