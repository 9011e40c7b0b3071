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

/// A secret value the marker holds (`API_KEY=REDACTED`, a placeholder)
/// matched inside `[REDACTED]` and nested it once more on each pass (the
/// review of stop 60): prompts are redacted when kept and when sent.
#[test]
fn a_value_inside_the_marker_keeps_redaction_idempotent() {
    let redactor = Redactor::with_values(["REDACTED", "dacted", "s3cr3t-value"]);
    let once = redactor.redact("a s3cr3t-value b REDACTED c [REDACTED]");
    assert_eq!(once, format!("a {REDACTED} b REDACTED c {REDACTED}"));
    assert_eq!(redactor.redact(&once), once);
    assert_eq!(redactor.known_values(), 1);
}

#[test]
fn ten_megabytes_of_hostile_log() {
    // Long runs of almost-matches for every rule: a super-linear rule would
    // not finish (its speed is measured in `benches/redact.rs`).
    let line = format!(
        "2024-01-01T00:00:00Z ##[error] password token secret eyJ.eyJ ghp_ AKIA -----BEGIN \
         https://host/path Authorization bearer x {GHP} aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
    );
    let text = line.repeat(10 * 1024 * 1024 / line.len() + 1);
    let redactor = Redactor::with_values(["not-present-secret"]);
    let out = redactor.redact(&text);
    assert!(!out.contains(GHP));
    assert_eq!(out.matches(REDACTED).count(), text.matches(GHP).count());
    let one_line = "x".repeat(10 * 1024 * 1024);
    assert_eq!(redact(&one_line).len(), one_line.len());
}

/// Fails unless every `secret` is gone and something was redacted.
#[track_caller]
fn all_gone(text: &str, secrets: &[&str]) {
    let out = r(text);
    for secret in secrets {
        assert!(!out.contains(secret), "{secret:?} survived in {out:?}");
    }
    assert!(out.contains(REDACTED), "nothing redacted in {out:?}");
}

const KEY_LINES: [&str; 4] = [
    "MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB",
    "aFDrBz9vFqU4yQsmOPzCqcDuT6YRB5p2pYnI8xqtkeL5RMlPFyQl7dYwG1uXyTrm",
    "xQ3ZhV0sX4mP9bN2cR7tY1uI8oP3aS6dF9gH2jK5lZ8xC1vB4nM7qW0eR3tY6uI9",
    "oP2aS5dF8gH1jK4lZ7xC0vB3nM6qW9eR2tY5uI8oP1aS4dF7gH0jK3lZ6xC9vB2n",
];

#[test]
fn private_key_cut_with_timestamps_or_json_escapes() {
    // Cut before END, every line with an Actions timestamp.
    let mut log = String::from("Error: fixture load failed\n");
    log.push_str("2026-12-02T22:00:00.1234567Z -----BEGIN RSA PRIVATE KEY-----\n");
    for line in KEY_LINES {
        log.push_str(&format!("2026-12-02T22:00:00.1234567Z {line}\n"));
    }
    all_gone(&log, &KEY_LINES.map(|l| &l[..30]));
    // Cut before END, as a JSON string with `\n` escapes.
    let json = format!(
        "{{\"key\": \"-----BEGIN RSA PRIVATE KEY-----\\n{}\\n\"}}",
        KEY_LINES.join("\\n")
    );
    all_gone(&json, &KEY_LINES.map(|l| &l[..30]));
}

#[test]
fn private_key_cut_before_begin() {
    let tail = format!(
        "...truncated...\n{}\nAB12cd==\n-----END RSA PRIVATE KEY-----\nafter",
        KEY_LINES[1..].join("\n")
    );
    let out = r(&tail);
    assert_eq!(out, format!("...truncated...\n{REDACTED}\nafter"));
    // With timestamps and as a JSON string.
    let stamped = KEY_LINES
        .iter()
        .map(|l| format!("2024-05-01T10:00:00.1234567Z {l}\n"))
        .collect::<String>()
        + "2024-05-01T10:00:00.1234567Z -----END PRIVATE KEY-----\n";
    all_gone(&stamped, &KEY_LINES.map(|l| &l[..30]));
    let json = format!(
        "\"{}\\n-----END PRIVATE KEY-----\\n\"",
        KEY_LINES.join("\\n")
    );
    all_gone(&json, &KEY_LINES.map(|l| &l[..30]));
    // Base64 lines before a public key's END line are not a secret.
    let public = format!("{}\n-----END PUBLIC KEY-----", KEY_LINES[0]);
    assert_eq!(r(&public), public);
}

#[test]
fn json_inside_a_json_string() {
    all_gone(
        r#"request body: "{\"user\": \"bob\", \"password\": \"LEAK1hunter2pass\"}""#,
        &["LEAK1hunter2pass"],
    );
    assert_eq!(
        r(r#""{\"password\": \"LEAK1hunter2pass\", \"user\": \"bob\"}""#),
        format!(r#""{{\"password\": \"{REDACTED}\", \"user\": \"bob\"}}""#)
    );
    assert_eq!(
        r(r#"headers: "{\"Authorization\": \"Basic TEVBSzJ1c2VyOnBhc3N3b3Jk\"}""#),
        format!(r#"headers: "{{\"Authorization\": \"Basic {REDACTED}\"}}""#)
    );
    assert_eq!(
        r(r#"{"db": "https:\/\/bob:LEAK3urlpw@db.internal\/app"}"#),
        format!(r#"{{"db": "https:\/\/{REDACTED}@db.internal\/app"}}"#)
    );
}

#[test]
fn source_code_assignments() {
    for (text, secret) in [
        (r#"    password := "LEAK1go-hunter2""#, "LEAK1go"),
        (
            r#"    password: str = "LEAK2pyannot-hunter2""#,
            "LEAK2pyannot",
        ),
        (
            r#"    const apiKey: string = "LEAK3ts-hunter2";"#,
            "LEAK3ts",
        ),
        (
            r#"    db.connect(password=f"LEAK4fstr-hunter2")"#,
            "LEAK4fstr",
        ),
        (
            "    assert settings.password == 'LEAK5eqeq-hunter2'",
            "LEAK5eqeq",
        ),
        (
            "    $config = ['password' => 'LEAK6arrow-hunter2'];",
            "LEAK6arrow",
        ),
        (
            r#"    client = Client(token=b"LEAK7bytes-hunter2")"#,
            "LEAK7bytes",
        ),
        (
            "let token: Option<String> = Some(x); token = \"LEAK8opt\"",
            "LEAK8opt",
        ),
    ] {
        gone(text, secret);
    }
    // The type annotation stays, the value goes.
    assert_eq!(
        r(r#"const apiKey: string = "LEAK3ts-hunter2";"#),
        format!(r#"const apiKey: string = "{REDACTED}";"#)
    );
    assert_eq!(
        r(r#"connect(password=f"LEAK4fstr")"#),
        format!(r#"connect(password=f"{REDACTED}")"#)
    );
}

#[test]
fn jwt_after_a_word_character() {
    gone(
        "GET /cb?state=%7B%22t%22%3A%22eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.LEAK1sigsigsig%22%7D",
        "LEAK1sigsigsig",
    );
    gone(
        "Set-Cookie: sid_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.LEAK2sigsigsig",
        "LEAK2sigsigsig",
    );
    gone(
        "x=sid_eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.LEAK2sigsigsig",
        "LEAK2sigsigsig",
    );
}

#[test]
fn url_encoded_pairs_headers_and_key_ids() {
    gone(
        "GET /login?next=%2Fhome%26password%3DLEAK1secretvalue",
        "LEAK1secretvalue",
    );
    gone(
        "proxy forwarded: Authorization%3A%20Bearer%20LEAK2bearertok123",
        "LEAK2bearertok123",
    );
    gone(
        "form: client_id%3Dabc%26client_secret%3DLEAK3tokval",
        "LEAK3tokval",
    );
    gone(
        "GET /redirect?to=https%3A%2F%2Fb.s3.amazonaws.com%2Fk%3FX-Amz-Credential%3DAKIAIOSFODNN7LEAK4XX%2F20260101",
        "AKIAIOSFODNN7LEAK4XX",
    );
    gone(
        "to=https%3A%2F%2Fbob%3ALEAK5pw%40db.internal%2Fapp",
        "LEAK5pw",
    );
}

#[test]
fn environment_values_in_other_encodings() {
    let vars = [
        ("DB_PASSWORD", "p@ss/w0rd:LEAK1!"),
        ("APP_SECRET", "LEAK2\"quoted\\path"),
        ("SIGNING_SECRET", "LEAK3-signing-secret-value"),
        ("HEX_TOKEN", "DEADBEEF0123CAFE4567"),
        (
            "SA_KEY",
            "LEAK4-first-line-of-value\nLEAK5-second-line-of-value",
        ),
        ("SPACE_KEY", "LEAK6 with spaces"),
    ];
    let redactor = Redactor::from_vars(vars, &[]);
    let check = |text: &str, secret: &str| {
        let out = redactor.redact(text);
        assert!(!out.contains(secret), "{secret:?} survived in {out:?}");
        assert!(out.contains(REDACTED), "nothing redacted in {out:?}");
    };
    // URL-encoded, fully and partly, with either hex case.
    check("--db-pass p%40ss%2Fw0rd%3ALEAK1%21 x", "LEAK1");
    check("--db-pass p%40ss/w0rd%3aLEAK1%21 x", "LEAK1");
    check("q=LEAK6+with+spaces&x", "LEAK6");
    check("q=LEAK6%20with%20spaces&x", "LEAK6");
    // JSON-escaped.
    check(r#"{"app_value": "LEAK2\"quoted\\path"}"#, "LEAK2");
    check(r#"{"v": "p@ss\/w0rd:LEAK1!"}"#, "LEAK1");
    check(r#"{"v": "LEAK2\u0022quoted\\path"}"#, "LEAK2");
    // Base64, standard and URL-safe, padded or not.
    check(
        "hmac key (b64): TEVBSzMtc2lnbmluZy1zZWNyZXQtdmFsdWU=",
        "TEVBSzMtc2lnbmluZy1zZWNyZXQtdmFsdWU",
    );
    let urlsafe_value = "a?>?b~~~LEAKsafe"; // Has `+`/`/` in standard base64.
    let redactor2 = Redactor::with_values([urlsafe_value]);
    assert_eq!(
        base64(urlsafe_value.as_bytes(), STANDARD),
        "YT8+P2J+fn5MRUFLc2FmZQ=="
    );
    for encoded in ["YT8+P2J+fn5MRUFLc2FmZQ==", "YT8-P2J-fn5MRUFLc2FmZQ"] {
        assert_eq!(
            redactor2.redact(&format!("v={encoded};")),
            format!("v={REDACTED};")
        );
    }
    // Another letter case.
    check(
        "token (as the server logs it): deadbeef0123cafe4567",
        "deadbeef0123cafe4567",
    );
    check("LEAK3-SIGNING-SECRET-VALUE", "SIGNING-SECRET");
    // One line of a multi-line value, and the whole value with `\n` escapes.
    check("loaded key material: LEAK5-second-line-of-value", "LEAK5");
    check("first: LEAK4-first-line-of-value.", "LEAK4");
    check(
        r#""LEAK4-first-line-of-value\nLEAK5-second-line-of-value""#,
        "LEAK5",
    );
    // Lines shorter than MIN_SECRET_LEN are not values of their own.
    let short = Redactor::with_values(["abc\nlong-enough-line"]);
    assert_eq!(short.redact("abc def"), "abc def");
    assert_eq!(short.redact("x long-enough-line"), format!("x {REDACTED}"));
}

#[test]
fn non_ascii_values_are_literal() {
    let redactor = Redactor::with_values(["pässwörd-é1"]);
    assert_eq!(
        redactor.redact("x pässwörd-é1 y"),
        format!("x {REDACTED} y")
    );
    assert_eq!(
        redactor.redact("x p%C3%A4sswörd-é1 y"),
        format!("x {REDACTED} y")
    );
    assert_eq!(redactor.redact("x passwörd-é1 y"), "x passwörd-é1 y");
}

#[test]
fn github_token_wrapped_across_lines() {
    let text = "remote: using token ghp_aB3dE5fG7hJ9kL1mN\nIjklmnopqrstuvwxyzABC0123 (wrapped by the terminal at 40 columns)";
    all_gone(text, &["aB3dE5fG7hJ9kL1mN", "IjklmnopqrstuvwxyzABC0123"]);
    assert!(r(text).ends_with(" (wrapped by the terminal at 40 columns)"));
    let stamped = "2024-05-01T10:00:00.1234567Z token ghp_aB3dE5fG7hJ9kL1mN\n2024-05-01T10:00:00.1234567Z   IjklmnopqrstuvwxyzABC0123 end";
    all_gone(stamped, &["aB3dE5fG7hJ9kL1mN", "IjklmnopqrstuvwxyzABC0123"]);
    // A whole token at the end of a line leaves the next line alone.
    assert_eq!(
        r(&format!("{GHP}\nnext line")),
        format!("{REDACTED}\nnext line")
    );
}

#[test]
fn whole_pair_values() {
    assert_eq!(
        r("password: correct horse LEAK1battery staple"),
        format!("password: {REDACTED}")
    );
    assert_eq!(r("password=abcd,LEAK2tail"), format!("password={REDACTED}"));
    assert_eq!(
        r("password:\n  LEAK3nextline-hunter2\nuser: bob"),
        format!("password:\n  {REDACTED}\nuser: bob")
    );
    gone("password:\u{a0}LEAK4nbsp-hunter2", "LEAK4nbsp");
    // A value ends at its closing quote and at a URL's next parameter.
    assert_eq!(
        r(r#"run "--password=hunter22 x" done"#),
        format!(r#"run "--password={REDACTED}" done"#)
    );
    assert_eq!(
        r("token=abcd1234&next=1"),
        format!("token={REDACTED}&next=1")
    );
}

#[test]
fn more_shapes() {
    let cases = [
        (
            "+ mysql --password LEAK1flag-hunter2 --host db",
            "LEAK1flag",
        ),
        ("run --token=LEAK1b-tokenvalue", "LEAK1b"),
        ("<password>LEAK2xml-hunter2</password>", "LEAK2xml"),
        ("<db:Password type=\"x\">LEAK2b</db:Password>", "LEAK2b"),
        (
            "+ curl -u admin:LEAK3curl-hunter2 https://api.internal/",
            "LEAK3curl",
        ),
        ("curl --user admin:LEAK3b-pw https://x", "LEAK3b"),
        ("secret_key_base: LEAK4skb0123456789abcdef", "LEAK4skb"),
        (
            "SLACK: xoxb-123456789012-LEAK5slack-abcdefghijklmnop",
            "LEAK5slack",
        ),
        ("aws: wJalrXUtnFEMIK7MDENGbPxRfiCYLEAK6KEY", "LEAK6KEY"),
        (
            "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "bPxRfiCYEXAMPLEKEY",
        ),
        ("password2=LEAK7-hunter2", "LEAK7"),
        ("ADMIN_PASSWORD_OLD=LEAK8-hunter2", "LEAK8"),
        ("Cookie: sessionid=LEAK9cookievalue; csrftoken=abc", "LEAK9"),
        (
            "Set-Cookie: session=LEAK10cookie; Path=/; HttpOnly",
            "LEAK10",
        ),
    ];
    for (text, secret) in cases {
        gone(text, secret);
    }
    assert_eq!(
        r("+ curl -u admin:LEAK3curl-hunter2 https://api.internal/"),
        format!("+ curl -u admin:{REDACTED} https://api.internal/")
    );
    // A git hash and a path of 40 characters are not AWS secret keys.
    for text in [
        "commit 0123456789abcdef0123456789abcdef01234567",
        "at org/apache/commons/lang3/StringUtilsAbc",
        "docker run -u 1000:1000 image",
    ] {
        assert_eq!(r(text), text);
    }
}

#[test]
fn terminal_escapes_are_stripped_first() {
    let coloured = "locals: \x1b[33mpassword\x1b[0m = \x1b[32m'LEAKANSI1-hunter2'\x1b[0m\n";
    assert_eq!(r(coloured), format!("locals: password = '{REDACTED}'\n"));
    let split = "auth: ghp_LEAKANSI2abcd\x1b[1mefghijklmnopqrstuvwxyz0123\x1b[0m\n";
    assert_eq!(r(split), format!("auth: {REDACTED}\n"));
    let redactor = Redactor::with_values(["hunter2-secret-value"]);
    assert_eq!(
        redactor.redact("x hunter2-\x1b[1;31msecret\x1b[0m-value y"),
        format!("x {REDACTED} y")
    );
    // OSC (hyperlink, title), other ESC sequences and C1 controls go too.
    assert_eq!(
        r(
            "\x1b]8;;https://x\x07link\x1b]8;;\x1b\\ \x1b]0;title\x07\x1b(Bok\x1bM\u{9b}31mred\u{85}"
        ),
        "link okred"
    );
    // Text without escapes is untouched and not copied.
    assert!(matches!(redact("plain ünïcode text"), Cow::Borrowed(_)));
}

#[test]
fn ordinary_text_is_kept() {
    for text in [
        "Unexpected token: '<'",
        "if token.kind == 3 {",
        "tokenizer: bert-base-uncased",
        "password_strength_test ... ok",
        "test tests::test_password_reset ... FAILED",
        "FAILED tests/test_auth.py::test_password_reset - AssertionError",
        "we played secret santa at the office",
        "the token is refreshed hourly",
        "max_tokens=512 and Authorization header missing",
        "expected a secret, got none",
        "see https://github.com/o/r/issues/1",
        "<tokenizer>bert-base</tokenizer>",
    ] {
        assert_eq!(r(text), text, "over-redacted");
    }
}

#[test]
fn new_rules_are_idempotent() {
    for text in [
        r#""{\"password\": \"LEAK1hunter2pass\"}" https:\/\/bob:pw12@db\/app"#,
        "password: str = \"LEAK2pyannot\"\n'password' => 'LEAK6arrow'",
        "password%3DLEAK1secretvalue Authorization%3A%20Bearer%20LEAK2bearertok123",
        "token ghp_aB3dE5fG7hJ9kL1mN\nIjklmnopqrstuvwxyzABC0123 x",
        "password: correct horse\npassword:\n  nextline-hunter2\n",
        "--password LEAK1flag <password>LEAK2xml</password> curl -u a:LEAK3curl",
        "Cookie: sessionid=LEAK9; csrftoken=abc\nxoxb-123456789012-LEAK5slack",
        "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ] {
        let once = r(text);
        assert!(once.contains(REDACTED), "{once}");
        assert_eq!(r(&once), once);
    }
}

#[test]
fn code_that_only_mentions_a_secret_stays() {
    for code in [
        "if token == expected_token:",
        "tokens.map(token => token.trim());",
        "let ok = password === confirmPassword && a;",
        "password_hash = hash(password)",
        "let secret_len = secret.len();",
        "at com.example.UserServiceTest.shouldReturn404WhenUserIsNotFoundInCache(UserServiceTest.java:42)",
        "café \u{9d} rest of line kept",
    ] {
        let out = r(code);
        assert!(!out.contains(REDACTED), "{code:?} became {out:?}");
    }
    // The C1 character itself goes.
    assert_eq!(r("café \u{9d} rest"), "café  rest");
    // Literals after the same separators still go.
    for (code, secret) in [
        ("if password == \"hunter2-LEAK\":", "hunter2-LEAK"),
        ("password := \"LEAKgo-secret\"", "LEAKgo-secret"),
        ("password = hunter2LEAK", "hunter2LEAK"),
    ] {
        gone(code, secret);
    }
}

#[test]
fn short_lines_of_a_multi_line_secret_are_not_secrets_alone() {
    let value = "apiVersion: v1\nusers:\n- name: admin\n  abcdefghijklmnopqrstuvwxyz012345\n";
    let redactor = Redactor::with_values([value]);
    let out = redactor.redact("users: 3\n- name: admin\nDEBUG=false");
    assert_eq!(out, "users: 3\n- name: admin\nDEBUG=false");
    let out = redactor.redact("saw abcdefghijklmnopqrstuvwxyz012345 in the log");
    assert!(!out.contains("abcdefghijklmnopqrstuvwxyz012345"), "{out}");
}

#[test]
fn a_value_base64_encoded_inside_a_longer_text_goes() {
    let value = "LEAK7-env-token-value";
    let redactor = Redactor::with_values([value]);
    // What a shell's `echo "token=$SECRET" | base64` or a Basic credential
    // looks like: the value starts 0, 1 or 2 bytes into a 3-byte group, with
    // or without bytes (a newline) after it.
    for prefix in ["", "u", "user:", "token=", "x\ny"] {
        for suffix in ["", "\n", "ab", "-and-more"] {
            for alphabet in [STANDARD, URL_SAFE] {
                let bytes = [prefix, value, suffix].concat();
                let encoded = base64(bytes.as_bytes(), alphabet);
                let out = redactor.redact(&format!("blob {encoded} end")).into_owned();
                // Every character with a bit of the value goes; those of the
                // prefix alone stay; what follows is the encoding's own tail.
                let kept_before = prefix.len() * 8 / 6;
                let value_chars_end = ((prefix.len() + value.len()) * 8).div_ceil(6);
                let expected_head = format!("blob {}{REDACTED}", &encoded[..kept_before]);
                let tail = out
                    .strip_prefix(&expected_head)
                    .and_then(|rest| rest.strip_suffix(" end"))
                    .unwrap_or_else(|| panic!("{prefix:?}+{suffix:?}: {out:?}"));
                assert!(
                    encoded[value_chars_end..].ends_with(tail),
                    "{prefix:?}+{suffix:?}: kept {tail:?} of {encoded:?}"
                );
            }
        }
    }
    // Ordinary base64 nearby is kept.
    let other = base64(b"an ordinary payload of bytes", STANDARD);
    assert_eq!(redactor.redact(&other), other);
    // A value too short to leave six characters of its own at every offset
    // is still matched where it is whole.
    let short = Redactor::with_values(["LEAK8x"]);
    assert_eq!(short.redact("v=TEVBSzh4"), format!("v={REDACTED}"));
}

#[test]
fn pairs_in_json_nested_three_deep() {
    // A JSON body logged inside a JSON string inside another.
    let text = r#"{"log": "{\"request\": \"{\\\"user\\\": \\\"bob\\\", \\\"password\\\": \\\"LEAK1three-deep\\\"}\"}"}"#;
    let out = r(text);
    assert!(!out.contains("LEAK1three-deep"), "{out}");
    // The escaped quotes around it stay balanced.
    assert!(
        out.contains(&format!(r#"\\\"password\\\": \\\"{REDACTED}\\\"}}"#)),
        "{out}"
    );
    assert_eq!(r(&out), out);
}

#[test]
fn many_private_key_lines_without_an_end_stay_linear() {
    // Each BEGIN line used to make the block rule scan to the end of the
    // text looking for an END: quadratic in the number of such lines.
    let line = "x_ -----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA_\n";
    let text = line.repeat(200_000);
    let out = r(&text);
    assert_eq!(out.matches(REDACTED).count(), 200_000);
    assert!(!out.contains("MIIEow"));
    // An END later on still closes the first block, whatever lies between.
    let closed = format!("{text}-----END RSA PRIVATE KEY-----\nafter");
    assert_eq!(r(&closed), format!("x_ {REDACTED}\nafter"));
}

#[test]
fn a_value_in_hex_or_with_invisible_characters_inside_goes() {
    let value = "Zq8vN3pLx7RtY2wK9mB4";
    let redactor = Redactor::with_values([value]);
    let hex: String = value.bytes().map(|b| format!("{b:02x}")).collect();
    let spaced: Vec<String> = value.bytes().map(|b| format!("{b:02x}")).collect();
    let long = "k".repeat(60) + value;
    let node_buffer: Vec<String> = long.bytes().take(50).map(|b| format!("{b:02x}")).collect();
    let long_redactor = Redactor::with_values([long.as_str()]);
    for (redactor, text) in [
        (&redactor, format!("digest {hex} end")),
        (&redactor, format!("digest {} end", hex.to_uppercase())),
        (&redactor, format!("<Buffer {}>", spaced.join(" "))),
        (&redactor, format!("mac {}", spaced.join(":"))),
        (
            &redactor,
            "token Zq8vN\u{200b}3pLx7\u{ad}RtY2wK9mB4 end".to_owned(),
        ),
        (
            &long_redactor,
            format!("<Buffer {} ... 30 more bytes>", node_buffer.join(" ")),
        ),
    ] {
        let out = redactor.redact(&text);
        assert!(out.contains("[REDACTED]"), "{text} -> {out}");
        assert!(
            !out.contains("5a71") && !out.contains("5a 71") && !out.contains("Zq8v"),
            "{out}"
        );
    }
    // `xxd -p` wraps its lines every 30 bytes.
    let pairs: Vec<String> = long.bytes().map(|b| format!("{b:02x}")).collect();
    let wrapped = [&pairs[..30], &pairs[30..60], &pairs[60..]]
        .map(|p| p.concat())
        .join("\n");
    assert!(
        !long_redactor.redact(&wrapped).contains("6b6b"),
        "{wrapped}"
    );
    // Other hex stays.
    assert_eq!(
        redactor.redact("sha 0123456789abcdef"),
        "sha 0123456789abcdef"
    );
    // Invisible characters elsewhere stay: a broken mention, an emoji's
    // joiner, a byte-order mark.
    for kept in [
        "ping @\u{200b}team",
        "👩\u{200d}💻 dev",
        "\u{feff}x = 1",
        "a \u{200b} b",
    ] {
        assert_eq!(redactor.redact(kept), kept);
    }
}

#[test]
fn a_bare_value_goes_on_past_a_semicolon_or_ampersand_inside_it() {
    for (text, kept_tail) in [
        ("password=abcd;ef&LEAK1gh", ""),
        ("Password=hunter22;Database=prod", ";Database=prod"),
        (
            "Server=db;User Id=sa;Password=p@ss;w0rd;LEAK2;Encrypt=true",
            ";Encrypt=true",
        ),
        ("token=abcd1234&next=1", "&next=1"),
        ("password=hunter22; rm -rf build", "; rm -rf build"),
        ("token=abcd1234&&make all", "&&make all"),
        ("token=abcd1234&amp;LEAK3;page=2", ";page=2"),
        // A segment read as the value is: escapes, quoted strings, base64's
        // padding and a leading `=` are the value's.
        ("password=abcd;e\\$LEAK4", ""),
        ("password=abcd;x\"LEAK5\"", ""),
        ("password=abcd;LEAK6==", ""),
        ("password=abcd;=LEAK7xx", ""),
        ("password=abcd;é€LEAK8;next=1", ";next=1"),
        // A first part too short to be a value alone.
        ("password=a;LEAK9ef", ""),
        ("secret=ab&LEAK10;x=1", ";x=1"),
    ] {
        let out = r(text);
        assert!(out.contains(REDACTED), "{text} -> {out}");
        assert!(
            !out.contains("LEAK") && !out.contains("hunter22") && !out.contains("abcd1234"),
            "{text} -> {out}"
        );
        assert!(
            out.ends_with(&format!("{REDACTED}{kept_tail}")),
            "{text} -> {out}"
        );
        assert_eq!(r(&out), out, "not idempotent on {out:?}");
    }
}

#[test]
fn a_short_bare_value_alone_stays() {
    for kept in [
        "password=a",
        "token=x&page=2",
        "key=ab;Database=prod",
        "secret=1; rm x",
    ] {
        assert_eq!(r(kept), kept);
    }
}

#[test]
fn a_value_as_html_entities_or_wrapped_over_two_lines_goes() {
    let value = "p&ss<w>rd\"LEAK7'x";
    let redactor = Redactor::with_values([value]);
    for text in [
        "html: p&amp;ss&lt;w&gt;rd&quot;LEAK7&#39;x end",
        "html: p&#38;ss&#x3C;w&#062;rd&#x22;LEAK7&apos;x end",
    ] {
        let out = redactor.redact(text);
        assert_eq!(out, format!("html: {REDACTED} end"), "{text}");
    }
    let wrapped = Redactor::with_values(["Zq8vN3pLx7RtY2wK9mB4"]);
    for text in [
        "token Zq8vN3pLx7\nRtY2wK9mB4 end",
        "token Zq8vN3pLx7RtY2wK\r\n  9mB4 end",
        "2024-05-01T10:00:00.1234567Z token Zq8v\n2024-05-01T10:00:00.1234567Z N3pLx7RtY2wK9mB4 end",
    ] {
        let out = wrapped.redact(text);
        assert!(
            out.contains(REDACTED) && !out.contains("Zq8v") && !out.contains("9mB4"),
            "{text} -> {out}"
        );
    }
    // Only the whole value: a line that ends with its head stays.
    let kept = "token Zq8vN3pLx7\nsomething else";
    assert_eq!(wrapped.redact(kept), kept);
}
