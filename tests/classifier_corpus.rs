//! Scores the built-in classifier, natively, on the labelled corpus that
//! `scripts/classifier-corpus/generate.sh` builds by running real tools on
//! small broken inputs (`tests/corpus/classifier/corpus.jsonl`).
//!
//! Prints, for the development and the held-out part: accuracy, macro-F1 and
//! the confusion matrix of category and specialty, language accuracy, the
//! confidently wrong answers (wrong with confidence ≥ 0.8) and the accuracy
//! of the answers given with confidence ≥ 0.8. Fails when the development part
//! is below the bar. The held-out part (a fixed hash rule on the case id,
//! chosen before any tuning) is reported, never tuned on, and not gated.
//!
//! `cargo test --test classifier_corpus -- --nocapture` shows the report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use classifier_default::{Failure, classify};
use serde::Deserialize;

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/corpus/classifier/corpus.jsonl"
);

/// The bar the development part must meet.
const MIN_ACCURACY: f64 = 0.95;
const MIN_MACRO_F1: f64 = 0.95;
const MAX_CONFIDENTLY_WRONG: f64 = 0.01;
const MIN_LANGUAGE: f64 = 0.90;
/// The development part's figures as the README publishes them, less half
/// a point (8 records): a change that costs more is a regression, even
/// above the bar. (A rule's language hint once moved 38 records from
/// 99.0% to 96.7% on language unseen, the bar being 90%.)
const PUBLISHED_FLOOR: [(&str, f64); 3] = [
    ("category accuracy", 0.988),
    ("specialty accuracy", 0.992),
    ("language accuracy", 0.987),
];
/// What "confident" means.
const CONFIDENT: f32 = 0.8;

#[derive(Deserialize)]
struct Record {
    id: String,
    split: String,
    test_name: String,
    file: Option<String>,
    message: String,
    details: String,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    category: String,
    specialty: String,
    language: String,
}

/// One scored answer.
#[derive(Clone)]
struct Scored {
    id: String,
    want: [String; 3],
    got: [String; 3],
    confidence: f32,
}

impl Scored {
    fn category_ok(&self) -> bool {
        self.want[0] == self.got[0]
    }
    fn specialty_ok(&self) -> bool {
        self.want[1] == self.got[1]
    }
    /// Wrong on category or specialty, with an answer other than `unknown`.
    fn wrong(&self) -> bool {
        self.got[0] != "unknown" && !(self.category_ok() && self.specialty_ok())
    }
}

fn load() -> Vec<Record> {
    let text = std::fs::read_to_string(CORPUS).expect("the corpus is committed");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{CORPUS}:{}: {e}", i + 1)))
        .collect()
}

fn score(records: &[&Record]) -> Vec<Scored> {
    records
        .iter()
        .map(|r| {
            let c = classify(&Failure {
                id: r.id.clone(),
                test_name: r.test_name.clone(),
                file: r.file.clone(),
                message: r.message.clone(),
                details: r.details.clone(),
            });
            Scored {
                id: r.id.clone(),
                want: [
                    r.expected.category.clone(),
                    r.expected.specialty.clone(),
                    r.expected.language.clone(),
                ],
                got: [
                    c.category.as_str().to_string(),
                    c.specialty.as_str().to_string(),
                    c.language.as_str().to_string(),
                ],
                confidence: c.confidence,
            }
        })
        .collect()
}

/// Macro-F1 over the classes present in the expected labels: a class the
/// corpus never expects (`unknown`) counts only as a miss of the true class.
fn macro_f1(pairs: &[(&str, &str)]) -> f64 {
    let mut classes: Vec<&str> = pairs.iter().map(|(want, _)| *want).collect();
    classes.sort_unstable();
    classes.dedup();
    if classes.is_empty() {
        return 0.0;
    }
    let total: f64 = classes
        .iter()
        .map(|class| {
            let tp = pairs
                .iter()
                .filter(|(w, g)| w == class && g == class)
                .count() as f64;
            let fp = pairs
                .iter()
                .filter(|(w, g)| w != class && g == class)
                .count() as f64;
            let fn_ = pairs
                .iter()
                .filter(|(w, g)| w == class && g != class)
                .count() as f64;
            if tp == 0.0 {
                0.0
            } else {
                2.0 * tp / (2.0 * tp + fp + fn_)
            }
        })
        .sum();
    total / classes.len() as f64
}

fn confusion(pairs: &[(&str, &str)]) -> String {
    let mut labels: Vec<&str> = pairs.iter().flat_map(|(w, g)| [*w, *g]).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for pair in pairs {
        *counts.entry(*pair).or_default() += 1;
    }
    let mut out = format!("{:>12} |", "want \\ got");
    for l in &labels {
        let _ = write!(out, " {:>5}", &l[..l.len().min(5)]);
    }
    out.push('\n');
    for w in &labels {
        let _ = write!(out, "{w:>12} |");
        for g in &labels {
            match counts.get(&(*w, *g)) {
                Some(n) => {
                    let _ = write!(out, " {n:>5}");
                }
                None => out.push_str("     ."),
            }
        }
        out.push('\n');
    }
    out
}

/// The figures the bar is about.
struct Figures {
    n: usize,
    category: f64,
    specialty: f64,
    category_f1: f64,
    specialty_f1: f64,
    language: f64,
    confidently_wrong: usize,
    confident: usize,
    confident_right: usize,
    unknown: usize,
}

fn figures(scored: &[Scored]) -> Figures {
    let n = scored.len();
    let rate = |k: usize| k as f64 / n.max(1) as f64;
    let pairs = |i: usize| -> Vec<(&str, &str)> {
        scored
            .iter()
            .map(|s| (s.want[i].as_str(), s.got[i].as_str()))
            .collect()
    };
    let confident: Vec<&Scored> = scored
        .iter()
        .filter(|s| s.confidence >= CONFIDENT)
        .collect();
    Figures {
        n,
        category: rate(scored.iter().filter(|s| s.category_ok()).count()),
        specialty: rate(scored.iter().filter(|s| s.specialty_ok()).count()),
        category_f1: macro_f1(&pairs(0)),
        specialty_f1: macro_f1(&pairs(1)),
        language: rate(scored.iter().filter(|s| s.want[2] == s.got[2]).count()),
        confidently_wrong: confident.iter().filter(|s| s.wrong()).count(),
        confident: confident.len(),
        confident_right: confident.iter().filter(|s| !s.wrong()).count(),
        unknown: scored.iter().filter(|s| s.got[0] == "unknown").count(),
    }
}

/// The figures of a part, and for a development part its confusion matrices
/// and misses. A held-out part shows only its figures: its failures are never
/// looked at one by one.
fn report(name: &str, scored: &[Scored], details: bool) -> (Figures, String) {
    let f = figures(scored);
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let mut out = String::new();
    let _ = writeln!(out, "== {name}: {} failures ==", f.n);
    let _ = writeln!(
        out,
        "category  accuracy {}  macro-F1 {:.3}",
        pct(f.category),
        f.category_f1
    );
    let _ = writeln!(
        out,
        "specialty accuracy {}  macro-F1 {:.3}",
        pct(f.specialty),
        f.specialty_f1
    );
    let _ = writeln!(out, "language  accuracy {}", pct(f.language));
    let _ = writeln!(
        out,
        "unknown {}; confidently wrong (conf >= {CONFIDENT}) {} ({}); accuracy at conf >= {CONFIDENT}: {} of {} = {} (coverage {})",
        f.unknown,
        f.confidently_wrong,
        pct(f.confidently_wrong as f64 / f.n.max(1) as f64),
        f.confident_right,
        f.confident,
        pct(f.confident_right as f64 / f.confident.max(1) as f64),
        pct(f.confident as f64 / f.n.max(1) as f64),
    );
    if !details {
        return (f, out);
    }
    for (i, what) in [(0, "category"), (1, "specialty")] {
        let pairs: Vec<(&str, &str)> = scored
            .iter()
            .map(|s| (s.want[i].as_str(), s.got[i].as_str()))
            .collect();
        let _ = writeln!(out, "{what} confusion:\n{}", confusion(&pairs));
    }
    for s in scored.iter().filter(|s| s.got != s.want) {
        let _ = writeln!(
            out,
            "miss {}: want {}/{}/{} got {}/{}/{} ({:.2})",
            s.id, s.want[0], s.want[1], s.want[2], s.got[0], s.got[1], s.got[2], s.confidence
        );
    }
    (f, out)
}

#[test]
fn the_classifier_meets_the_bar_on_the_development_corpus() {
    let records = load();
    let dev: Vec<&Record> = records.iter().filter(|r| r.split == "dev").collect();
    let held: Vec<&Record> = records.iter().filter(|r| r.split == "heldout").collect();
    assert!(
        dev.len() >= 200 && held.len() >= 40,
        "corpus too small: {} dev, {} held out",
        dev.len(),
        held.len()
    );
    let (dev, held) = (score(&dev), score(&held));
    let (f, dev_report) = report("development", &dev, true);
    println!("{dev_report}");
    // The parts by batch: b6 and every batch after it were added to measure
    // the rules on failures they were not written for (see the corpus
    // README). Each failure is classified once; the parts are cut from its
    // answers. Before b6 are the first cases (batch 0) and batches b3-b5.
    let last = dev
        .iter()
        .chain(&held)
        .map(|s| batch(&s.id))
        .max()
        .unwrap_or(0);
    let part = |scored: &[Scored], keep: &dyn Fn(u32) -> bool| -> Vec<Scored> {
        let kept = scored.iter().filter(|s| keep(batch(&s.id)));
        kept.cloned().collect()
    };
    let mut parts = vec![("development before b6".to_owned(), part(&dev, &|b| b < 6))];
    for n in 6..=last {
        if n >= 10 {
            let name = format!("development before b{n}");
            parts.push((name, part(&dev, &|b| b < n)));
        }
        parts.push((format!("development, batch b{n}"), part(&dev, &|b| b == n)));
    }
    let name = "held-out before b6 (never tuned on)".to_owned();
    parts.push((name, part(&held, &|b| b < 6)));
    for n in 6..=last {
        let name = format!("held-out, batch b{n} (never tuned on)");
        parts.push((name, part(&held, &|b| b == n)));
    }
    for n in 7..=last {
        let name = format!("held-out before b{n} (never tuned on)");
        parts.push((name, part(&held, &|b| b < n)));
    }
    parts.push(("held-out, all (never tuned on)".to_owned(), held.clone()));
    for (name, scored) in parts {
        println!("{}", report(&name, &scored, false).1);
    }
    let mut below = Vec::new();
    for (what, value, bar) in [
        ("category accuracy", f.category, MIN_ACCURACY),
        ("specialty accuracy", f.specialty, MIN_ACCURACY),
        ("category macro-F1", f.category_f1, MIN_MACRO_F1),
        ("specialty macro-F1", f.specialty_f1, MIN_MACRO_F1),
        ("language accuracy", f.language, MIN_LANGUAGE),
    ] {
        if value < bar {
            below.push(format!("{what} {value:.3} < {bar}"));
        }
        let floor = PUBLISHED_FLOOR.iter().find(|(name, _)| *name == what);
        if let Some((_, floor)) = floor.filter(|(_, floor)| value < *floor) {
            below.push(format!(
                "{what} {value:.3} < {floor} (the published figure, less half a point)"
            ));
        }
    }
    let wrong_rate = f.confidently_wrong as f64 / f.n.max(1) as f64;
    if wrong_rate > MAX_CONFIDENTLY_WRONG {
        below.push(format!(
            "confidently wrong {wrong_rate:.3} > {MAX_CONFIDENTLY_WRONG}"
        ));
    }
    assert!(
        below.is_empty(),
        "below the bar on the development corpus: {}\n{dev_report}",
        below.join("; ")
    );
}

/// The batch a record's case belongs to (`pytest/b12-recursion` is 12),
/// or 0 for the cases before batches were numbered.
fn batch(id: &str) -> u32 {
    id.match_indices("/b")
        .find_map(|(at, _)| {
            let (n, rest) = id[at + 2..].split_once('-')?;
            n.parse().ok().filter(|_| !rest.is_empty())
        })
        .unwrap_or(0)
}

/// The fallback guess for failures no rule recognises, measured alone on
/// every development record as if no rule existed: that is what it meets on
/// a tool the rules have never seen. It must be right far more often than
/// not, or an `unknown` would be the better answer. `GUESS_DEBUG=1` prints
/// its wrong answers (development records only).
#[test]
fn the_guess_alone_is_right_far_more_often_than_not_on_the_development_corpus() {
    let records = load();
    let dev: Vec<&Record> = records.iter().filter(|r| r.split == "dev").collect();
    let mut answered = 0usize;
    let mut right = 0usize;
    let mut by_category: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for r in &dev {
        let Some(g) = classifier_default::guess::guess([&r.message, &r.details]) else {
            continue;
        };
        answered += 1;
        let ok = g.category.as_str() == r.expected.category;
        right += usize::from(ok);
        if !ok && std::env::var_os("GUESS_DEBUG").is_some() {
            let text = if g.field == 0 { &r.message } else { &r.details };
            let line: String = text[g.line_start..g.line_end].chars().take(150).collect();
            println!(
                "WRONG {} -> {} | {} | {line}",
                r.expected.category,
                g.category.as_str(),
                r.id
            );
        }
        let entry = by_category.entry(g.category.as_str()).or_default();
        entry.0 += 1;
        entry.1 += usize::from(ok);
    }
    let precision = right as f64 / answered.max(1) as f64;
    println!(
        "guess alone on the development part: answers {answered} of {} records, right {right} ({:.1}%)",
        dev.len(),
        100.0 * precision
    );
    for (category, (n, ok)) in &by_category {
        println!(
            "  guessed {category:<10} {n:>4}, right {ok:>4} ({:.1}%)",
            100.0 * *ok as f64 / *n as f64
        );
    }
    // Measured when it was written: 694 of 1,048 answered, 92.7% right.
    assert!(
        answered * 10 >= dev.len() * 6,
        "the guess answers only {answered}"
    );
    assert!(
        precision >= 0.9,
        "the guess is right on {precision:.3} of its answers"
    );
}

#[test]
fn every_record_is_labelled_with_the_taxonomy() {
    const CATEGORIES: &[&str] = &[
        "compile",
        "assertion",
        "snapshot",
        "timeout",
        "selector",
        "runtime",
        "dependency",
        "network",
        "resource",
        "lint",
        "config",
    ];
    const SPECIALTIES: &[&str] = &["typescript", "react", "test", "general"];
    const LANGUAGES: &[&str] = &[
        "typescript",
        "javascript",
        "python",
        "rust",
        "go",
        "java",
        "other",
    ];
    let records = load();
    let mut seen = Vec::new();
    for r in &records {
        let e = &r.expected;
        assert!(CATEGORIES.contains(&e.category.as_str()), "{}", r.id);
        assert!(SPECIALTIES.contains(&e.specialty.as_str()), "{}", r.id);
        assert!(LANGUAGES.contains(&e.language.as_str()), "{}", r.id);
        assert!(r.split == "dev" || r.split == "heldout", "{}", r.id);
        assert!(
            !r.message.trim().is_empty() || !r.details.trim().is_empty(),
            "{}",
            r.id
        );
        seen.push(e.category.as_str());
    }
    for c in CATEGORIES {
        assert!(seen.contains(c), "no record expects {c}");
    }
}

#[test]
fn macro_f1_and_the_confident_figures_are_computed_as_documented() {
    // Two classes: a (2 right, 1 read as b), b (1 right). F1(a) = 4/5, F1(b) = 2/3.
    let pairs = [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b")];
    assert!((macro_f1(&pairs) - (0.8 + 2.0 / 3.0) / 2.0).abs() < 1e-9);
    // `unknown` is never expected: it lowers recall, it is not a class.
    assert!((macro_f1(&[("a", "unknown"), ("a", "a")]) - 2.0 / 3.0).abs() < 1e-9);
    let s = |want: &str, got: &str, confidence| Scored {
        id: String::new(),
        want: [want.into(), "general".into(), "go".into()],
        got: [got.into(), "general".into(), "go".into()],
        confidence,
    };
    let f = figures(&[
        s("network", "runtime", 0.9),
        s("network", "network", 0.95),
        s("network", "unknown", 0.1),
        s("runtime", "config", 0.5),
    ]);
    assert_eq!(
        (f.confidently_wrong, f.confident, f.confident_right),
        (1, 2, 1)
    );
    assert_eq!(f.unknown, 1);
    assert!((f.category - 0.25).abs() < 1e-9);
}
