use super::*;

const GHP: &str = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

fn r(text: &str) -> String {
    redact(text).into_owned()
}

#[track_caller]
fn gone(text: &str, secret: &str) {
    let out = r(text);
    assert!(!out.contains(secret), "{secret:?} survived in {out:?}");
    assert!(out.contains(REDACTED), "nothing redacted in {out:?}");
}

#[test]
fn github_tokens_of_every_kind() {
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        let token = format!("{prefix}{}", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8");
        gone(&format!("push failed with token {token} for repo"), &token);
    }
    let pat = "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP";
    gone(&format!("GH={pat}"), pat);
    assert_eq!(r(&format!("x {GHP} y")), format!("x {REDACTED} y"));
}

#[test]
fn words_that_look_like_prefixes_are_kept() {
    for text in [
        "ghp_short",
        "the ghost of gho_st",
        "github_pat_ too short",
        "max_tokens=512",
        "tokenizer: bert-base-uncased",
        "SyntaxError: Unexpected token '<'",
        "Unexpected token: '}'",
        "PWD=/home/runner/work/project",
        "the bearer of bad news",
        "Basic usage: run the tests",
    ] {
        assert_eq!(r(text), text, "over-redacted");
        assert!(
            matches!(redact(text), Cow::Borrowed(_)),
            "allocated for {text:?}"
        );
    }
}

#[test]
fn aws_access_key_ids_and_secret_keys() {
    gone("key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE");
    gone("ASIAY34FZKBOKMUTVV7A", "ASIAY34FZKBOKMUTVV7A");
    let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    for text in [
        format!("aws_secret_access_key={secret}"),
        format!("aws_secret_access_key = {secret}"),
        format!("AWS_SECRET_ACCESS_KEY: \"{secret}\""),
        format!("{{\"SecretAccessKey\": \"{secret}\"}}"),
        format!("secret_key='{secret}'"),
    ] {
        gone(&text, secret);
    }
    assert_eq!(
        r(&format!("aws_secret_access_key = {secret}\nnext line")),
        format!("aws_secret_access_key = {REDACTED}\nnext line")
    );
}

#[test]
fn private_key_blocks_whole_and_truncated() {
    let body = "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naFDrBz9vFqU4yQsmOPzCqcDuT6YRB5p2pYnI8xqtkeL5RMlPFyQl7dYwG1uXyTrm\n";
    for kind in [
        "RSA PRIVATE KEY",
        "PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "EC PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
    ] {
        let block = format!("-----BEGIN {kind}-----\n{body}-----END {kind}-----");
        let text = format!("before\n{block}\nafter");
        assert_eq!(r(&text), format!("before\n{REDACTED}\nafter"), "{kind}");
    }
    // A log cut off inside the block still loses the body.
    let cut = format!("loaded:\n-----BEGIN RSA PRIVATE KEY-----\n{body}");
    let out = r(&cut);
    assert!(!out.contains("MIIEowIBAAKCAQEA"), "{out}");
    assert!(!out.contains("aFDrBz9v"), "{out}");
    // A public key or certificate is not a secret.
    let public = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----";
    assert_eq!(r(public), public);
}

#[test]
fn jwts() {
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    gone(
        &format!("cookie session={jwt}; Path=/"),
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    );
    gone(
        &format!("got {jwt}"),
        "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ",
    );
    // Unsigned (alg: none): the trailing dot and nothing after it.
    gone(
        "t=eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0. ok",
        "eyJzdWIiOiJhIn0",
    );
}

#[test]
fn authorization_headers_and_bearer_tokens() {
    assert_eq!(
        r("Authorization: Bearer abc.def-ghi_jkl"),
        format!("Authorization: Bearer {REDACTED}")
    );
    assert_eq!(
        r("authorization: basic dXNlcjpodW50ZXIy"),
        format!("authorization: basic {REDACTED}")
    );
    assert_eq!(
        r(r#"curl -H "Authorization: token 0123456789abcdef" https://api"#),
        format!(r#"curl -H "Authorization: token {REDACTED}" https://api"#)
    );
    assert_eq!(
        r(r#"{"Authorization":"Bearer sk-live-123456"}"#),
        format!(r#"{{"Authorization":"Bearer {REDACTED}"}}"#)
    );
    gone("Proxy-Authorization: Basic Zm9vOmJhcg==", "Zm9vOmJhcg==");
    gone(
        "headers: {bearer sk-proj-abcdef123456}",
        "sk-proj-abcdef123456",
    );
    gone("Authorization=opaque-credential-42", "opaque-credential-42");
}

#[test]
fn secret_pairs_with_equals_colons_quotes_and_json() {
    let cases = [
        ("password=hunter22", "hunter22"),
        ("DB_PASSWORD=hunter22 ./run", "hunter22"),
        ("password: hunter22", "hunter22"),
        ("password : 'hunter 22'", "hunter 22"),
        (r#"{"password": "hun\"ter22"}"#, r#"hun\"ter22"#),
        (r#"{"api_key":"k-123456"}"#, "k-123456"),
        ("X-Api-Key: k-123456", "k-123456"),
        ("apiKey=k-123456", "k-123456"),
        ("token=abcd1234&next=1", "abcd1234"),
        ("?access_token=abcd1234#frag", "abcd1234"),
        ("client_secret = s3cr3tvalue", "s3cr3tvalue"),
        ("secret=s3cr3tvalue", "s3cr3tvalue"),
        ("passphrase: correct horse", "correct"),
        ("credentials=user:pa55word", "user:pa55word"),
        ("SIGNING_KEY=0xdeadbeef", "0xdeadbeef"),
        ("NPM_TOKEN: npm_abcdef", "npm_abcdef"),
    ];
    for (text, secret) in cases {
        gone(text, secret);
    }
    assert_eq!(r("password=hunter22"), format!("password={REDACTED}"));
    assert_eq!(
        r(r#"{"password": "hunter22", "user": "bob"}"#),
        format!(r#"{{"password": "{REDACTED}", "user": "bob"}}"#)
    );
    assert_eq!(r("password='hunter22'"), format!("password='{REDACTED}'"));
}

#[test]
fn url_credentials_keep_scheme_and_host() {
    assert_eq!(
        r("cloning https://user:pa55@github.com/o/r.git"),
        format!("cloning https://{REDACTED}@github.com/o/r.git")
    );
    assert_eq!(
        r("postgres://admin:s3cret@db.internal:5432/app"),
        format!("postgres://{REDACTED}@db.internal:5432/app")
    );
    gone(
        "https://x-access-token:abc123def@github.com/o/r",
        "abc123def",
    );
    gone(
        "git clone https://tokenonly12345@github.com/o/r",
        "tokenonly12345",
    );
    let plain = "see https://github.com/o/r/issues/1 and mail a@b.c";
    assert_eq!(r(plain), plain);
}

#[test]
fn listed_and_suffixed_environment_values() {
    let names = vec!["DEPLOY_HOOK".to_string()];
    let vars = [
        ("DEPLOY_HOOK", "hook-value-1234"),
        ("MY_SERVICE_TOKEN", "tok-value-5678"),
        ("stripe_secret", "whsec-value-90"),
        ("SIGNING_KEY", "keyvalue42x"),
        ("DB_PASSWORD", "pw-value-77"),
        ("SHORT_TOKEN", "1"),
        ("HOME", "/home/runner"),
        ("PATH", "/usr/bin:/bin"),
    ];
    let redactor = Redactor::from_vars(vars, &names);
    assert_eq!(redactor.known_values(), 5);
    let text = "hook-value-1234 tok-value-5678 whsec-value-90 keyvalue42x pw-value-77 SHORT=1 /home/runner";
    let out = redactor.redact(text);
    assert_eq!(
        out,
        format!("{REDACTED} {REDACTED} {REDACTED} {REDACTED} {REDACTED} SHORT=1 /home/runner")
    );
    assert!(is_secret_name("gh_token", &[]));
    assert!(!is_secret_name("KEYBOARD", &[]));
    assert!(!is_secret_name("TOKENS", &[]));
}

#[test]
fn longer_secret_values_win_and_special_characters_are_literal() {
    let redactor = Redactor::with_values(["abc.def", "abc.def.ghi", "a+b*c(d)|e"]);
    assert_eq!(redactor.known_values(), 3);
    assert_eq!(
        redactor.redact("x abc.def.ghi y"),
        format!("x {REDACTED} y")
    );
    assert_eq!(redactor.redact("x abcXdef y"), "x abcXdef y");
    assert_eq!(redactor.redact("a+b*c(d)|e"), REDACTED);
}

#[test]
fn many_secret_values_still_redact() {
    let values: Vec<String> = (0..5000).map(|i| format!("secret-value-{i:05}")).collect();
    let redactor = Redactor::with_values(&values);
    assert_eq!(redactor.known_values(), 5000);
    let out = redactor.redact("a secret-value-04999 b secret-value-00000 c");
    assert_eq!(out, format!("a {REDACTED} b {REDACTED} c"));
}

#[test]
fn redaction_is_idempotent() {
    let text = format!(
        "Authorization: Bearer {GHP}\npassword=hunter22 https://u:p4ss@h/x AKIAIOSFODNN7EXAMPLE"
    );
    let once = r(&text);
    assert_eq!(r(&once), once);
}

#[test]
fn ten_megabytes_of_log_finish_in_linear_time() {
    // Hostile-ish: long runs of almost-matches for every rule.
    let line = format!(
        "2024-01-01T00:00:00Z ##[error] password token secret eyJ.eyJ ghp_ AKIA -----BEGIN \
         https://host/path Authorization bearer x {GHP} aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    );
    let text = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    let redactor = Redactor::with_values(["not-present-secret"]);
    let start = std::time::Instant::now();
    let out = redactor.redact(&text);
    let elapsed = start.elapsed();
    assert!(!out.contains(GHP));
    eprintln!("redacted {} bytes in {elapsed:?}", text.len());
    // Generous on a shared machine (a debug build takes ~1-2 s here);
    // a super-linear rule would take minutes.
    assert!(elapsed.as_secs() < 60, "took {elapsed:?}");
    let one_line = "x".repeat(10 * 1024 * 1024);
    assert_eq!(redact(&one_line).len(), one_line.len());
}
