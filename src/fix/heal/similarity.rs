//! How close two labels are: the Sørensen–Dice coefficient over character
//! bigrams, after normalising case, separators and camelCase.
//!
//! Why Dice on bigrams rather than an edit distance: renamed controls
//! mostly gain or lose words ("Save" → "Save changes", `save` →
//! `save-settings`), and an edit distance charges every added character,
//! ranking "Save" closer to "Cancel" (distance 5 of 6) than to "Save
//! changes" (8 of 12). Shared bigrams reward the kept word and ignore word
//! order, and unrelated words share almost none ("Save" and "Cancel":
//! zero). It is cheap (linear), symmetric and in [0, 1].

/// Dice similarity of `a` and `b` in [0, 1] (1: the same after
/// normalisation).
pub fn dice(a: &str, b: &str) -> f64 {
    let a = normalise(a);
    let b = normalise(b);
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let mut left = bigrams(&a);
    let right = bigrams(&b);
    if left.is_empty() || right.is_empty() {
        return 0.0; // one character, and not equal
    }
    let total = left.len() + right.len();
    let mut shared = 0usize;
    for pair in &right {
        if let Some(i) = left.iter().position(|p| p == pair) {
            left.swap_remove(i);
            shared += 1;
        }
    }
    (2 * shared) as f64 / total as f64
}

/// At most this many characters of either side count: enough for any
/// label, and it keeps the quadratic bigram pairing cheap.
const MAX_CHARS: usize = 200;

/// Lower case, camelCase split, every run of non-alphanumerics one space.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for c in text.chars().take(MAX_CHARS) {
        if c.is_alphanumeric() {
            if c.is_uppercase() && previous.is_some_and(char::is_lowercase) {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
        previous = Some(c);
    }
    out.trim_end().to_string()
}

fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}
