//! Finds every occurrence of a fixed set of patterns in a text, ASCII
//! case-insensitively, as an Aho-Corasick automaton in overlapping mode
//! reports them, from tables computed at compile time.
//!
//! Why not an automaton: inside the plugin every call runs in a fresh
//! instance, so an automaton built at run time was rebuilt on every call
//! (about 2 ms for the rule table), and stepping a non-deterministic automaton
//! byte by byte is the slowest part of classifying in WebAssembly, where no
//! SIMD prefilter helps with a few hundred case-insensitive patterns. Here
//! nothing is built at run time: the tables are `static` data in the binary.
//!
//! # How
//!
//! Every pattern of four bytes or more has an *anchor*: its four consecutive
//! bytes that look rarest in test output (see [`commonness`] and
//! [`TYPICAL_OUTPUT`]), so that common words (`module`, `build`, `Promise`)
//! rarely make a text position worth a closer look. Anchors are filed under a
//! hash of their bytes, case-folded with `| 0x20` on each byte (which maps
//! both cases of a letter to one value, and merges a few non-letters that the
//! exact check below tells apart).
//!
//! At each position of the text the next four bytes are folded and hashed the
//! same way, and a 64 Ki-bit filter (8 KiB) rejects almost every position with
//! one load. At a surviving position each pattern filed in the hash's slot is
//! checked where it would start: its first sixteen bytes with two masked
//! comparisons of eight bytes that fold only the letters (so they are exact),
//! then any further bytes with [`<[u8]>::eq_ignore_ascii_case`]. Patterns
//! shorter than four bytes (two or three) are tried where their first two
//! bytes occur, folded the same way: a second 64 Ki-bit table, indexed by
//! the two folded bytes themselves, answers that with one load per position.
//! (Looking up their first byte alone stopped the scan at every `a` of the
//! text for `at `, a quarter of the classifier's time.)
//!
//! Written for WebAssembly as much as for native code: the scanning loop reads
//! eight bytes at a time, handles four positions per iteration without an
//! inner loop (every loop iteration in WebAssembly also checks the runtime's
//! interruption counter), and never calls `memcpy` or `memset` (out-of-line
//! calls into the runtime there).
//!
//! # Order
//!
//! Matches come out sorted by end, then by start (so at one end the longest
//! first), then by pattern index: the order in which an Aho-Corasick automaton
//! with `MatchKind::Standard` reports overlapping matches.

/// log2 of the filter's size in bits.
const FILTER_BITS: u32 = 16;
/// log2 of the number of slots patterns are filed in.
const SLOT_BITS: u32 = 13;
const SLOTS: usize = 1 << SLOT_BITS;
/// Fibonacci hashing: the high bits of the product are well mixed.
const MULTIPLIER: u32 = 0x9E37_79B1;
/// Case-folds eight ASCII bytes at once, for hashing (see the module docs).
const FOLD: u64 = 0x2020_2020_2020_2020;
/// Length of an anchor; shorter patterns are tried by their first two bytes.
const ANCHOR_LEN: usize = 4;

/// One occurrence of a pattern: `text[start..end]` equals pattern `pattern`,
/// ignoring ASCII case. The field order is the reporting order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Match {
    pub end: usize,
    pub start: usize,
    pub pattern: usize,
}

/// What is needed to check one pattern at a position.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The pattern's first eight bytes (all of a shorter one), letters
    /// lowercased, little-endian, zero-padded.
    key: u64,
    /// 0x20 on each letter of `key`: the only bit a text byte may differ in.
    fold: u64,
    /// 0xFF on each byte of `key`.
    mask: u64,
    /// The same for the pattern's bytes 8 to 16 (all zero for a pattern of
    /// eight bytes or fewer): most matches need no byte-by-byte comparison.
    key2: u64,
    fold2: u64,
    mask2: u64,
    /// Where the anchor starts in the pattern.
    anchor: usize,
    pat: &'static [u8],
}

impl Entry {
    const EMPTY: Entry = Entry {
        key: 0,
        fold: 0,
        mask: 0,
        key2: 0,
        fold2: 0,
        mask2: 0,
        anchor: 0,
        pat: &[],
    };

    const fn new(pat: &'static [u8], common: &Common) -> Entry {
        assert!(!pat.is_empty(), "empty pattern");
        let mut e = Entry {
            pat,
            ..Entry::EMPTY
        };
        let mut b = 0;
        while b < pat.len() && b < 16 {
            let byte = (pat[b].to_ascii_lowercase() as u64) << (8 * (b % 8));
            let fold = if pat[b].is_ascii_alphabetic() {
                0x20 << (8 * (b % 8))
            } else {
                0
            };
            let mask = 0xFF << (8 * (b % 8));
            if b < 8 {
                e.key |= byte;
                e.fold |= fold;
                e.mask |= mask;
            } else {
                e.key2 |= byte;
                e.fold2 |= fold;
                e.mask2 |= mask;
            }
            b += 1;
        }
        // The rarest-looking four bytes; the first of equals.
        let mut best = u32::MAX;
        let mut at = 0;
        while at + ANCHOR_LEN <= pat.len() {
            let four = [pat[at], pat[at + 1], pat[at + 2], pat[at + 3]];
            let score = commonness(four[0])
                + commonness(four[1])
                + commonness(four[2])
                + commonness(four[3])
                + if common.has(four) { 1000 } else { 0 };
            if score < best {
                best = score;
                e.anchor = at;
            }
            at += 1;
        }
        e
    }

    /// The anchor's bytes, folded for hashing.
    const fn anchor_hash(&self) -> u32 {
        let p = self.pat;
        let a = self.anchor;
        hash(u32::from_le_bytes([p[a], p[a + 1], p[a + 2], p[a + 3]]) as u64 | FOLD)
    }
}

/// Typical stack frames, the bulk of the details of most failures. An anchor
/// that occurs in them (`modu` of `Module not found` in `node_modules`,
/// `buil` of `Build failed` in `jest-circus/build`) would stop the scan at
/// almost every frame, so anchors avoid the four-byte sequences seen here
/// wherever a pattern has another choice. (Language markers such as `.js:`
/// have none, and do match in these frames.)
const TYPICAL_OUTPUT: &[u8] = b"\
    at Object.<anonymous> (src/components/module.test.tsx:22:31)
    at Promise.then.completed (node_modules/jest-circus/build/utils.js:298:28)
    at new Promise (<anonymous>)
    at callAsyncCircusFn (node_modules/jest-circus/build/utils.js:231:10)
    at _callCircusTest (node_modules/jest-circus/build/run.js:316:40)
    at processTicksAndRejections (node:internal/process/task_queues:95:5)
    at async Context.<anonymous> (file:///app/test/api.spec.mjs:41:7)
    at Function.Module._load (node:internal/modules/cjs/loader:1023:12)
  File \"/app/tests/test_orders.py\", line 12, in test_create_order
    response = client.post(\"/orders\", json=payload)
  File \"/usr/lib/python3.12/site-packages/requests/sessions.py\", line 589, in request
    at com.example.orders.OrderService.process(OrderService.java:42)
    at org.junit.platform.engine.support.hierarchical.NodeTestTask.execute(NodeTestTask.java:151)
    at java.base/java.util.ArrayList.forEach(ArrayList.java:1596)
goroutine 7 [running]:
testing.tRunner(0xc000102340, 0x5d3a10)
\t/usr/local/go/src/testing/testing.go:1595 +0xff
   0: std::panicking::begin_panic_handler
             at /rustc/library/std/src/panicking.rs:665:5
   1: core::panicking::panic_fmt
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
";

/// A set of four-byte sequences (case-folded, hashed; collisions only make an
/// anchor choice worse, never wrong).
struct Common([u64; 256]);

impl Common {
    const fn new(text: &[u8]) -> Common {
        let mut set = Common([0; 256]);
        let mut at = 0;
        while at + ANCHOR_LEN <= text.len() {
            let bit = Common::bit([text[at], text[at + 1], text[at + 2], text[at + 3]]);
            set.0[bit / 64] |= 1 << (bit % 64);
            at += 1;
        }
        set
    }

    const fn bit(four: [u8; 4]) -> usize {
        (hash(u32::from_le_bytes(four) as u64 | FOLD) >> (32 - 14)) as usize
    }

    const fn has(&self, four: [u8; 4]) -> bool {
        let bit = Common::bit(four);
        self.0[bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// How common a byte is in test output, roughly (letter frequencies of
/// English, then the punctuation of paths and stack traces). Only a
/// heuristic for choosing anchors: any choice finds the same matches.
const fn commonness(b: u8) -> u32 {
    match b.to_ascii_lowercase() {
        b' ' => 30,
        b'e' => 26,
        b't' => 24,
        b'a' | b'o' | b'i' | b'n' | b's' | b'r' => 20,
        b'h' | b'l' | b'd' | b'c' | b'u' | b'm' => 14,
        b'.' | b'/' | b'(' | b')' | b':' | b'\'' | b'"' | b'\n' | b',' => 14,
        b'f' | b'p' | b'g' | b'w' | b'y' | b'b' | b'v' => 10,
        b'0'..=b'9' => 10,
        b'k' | b'x' | b'j' | b'q' | b'z' | b'-' | b'=' | b'<' | b'>' => 5,
        _ => 3,
    }
}

/// The hash of four folded bytes (the low half of `folded`).
const fn hash(folded: u64) -> u32 {
    (folded as u32).wrapping_mul(MULTIPLIER)
}

const fn filter_bit(hash: u32) -> usize {
    (hash >> (32 - FILTER_BITS)) as usize
}

const fn slot_of(hash: u32) -> usize {
    (hash >> (32 - SLOT_BITS)) as usize
}

/// The tables for `P` patterns.
pub(crate) struct Matcher<const P: usize> {
    /// Bit `h` is set when some anchor's hash has `h` in its top bits.
    filter: [u64; (1 << FILTER_BITS) / 64],
    /// The patterns whose anchors hash to slot `s` are
    /// `ids[start[s]..start[s + 1]]`, in index order.
    start: [u16; SLOTS + 1],
    ids: [u16; P],
    entries: [Entry; P],
    /// The patterns shorter than an anchor are `short[..short_len]`.
    short: [u16; P],
    short_len: usize,
    /// Bit `p` is set when a short pattern's first two bytes, folded
    /// (`| 0x2020`, little-endian), are `p`.
    pairs: [u64; (1 << 16) / 64],
}

impl<const P: usize> Matcher<P> {
    /// Builds the tables; meant for a `static`, evaluated at compile time.
    pub(crate) const fn new(patterns: [&'static str; P]) -> Self {
        assert!(P < u16::MAX as usize, "pattern indexes must fit in u16");
        let mut m = Matcher {
            filter: [0; (1 << FILTER_BITS) / 64],
            start: [0; SLOTS + 1],
            ids: [0; P],
            entries: [Entry::EMPTY; P],
            short: [0; P],
            short_len: 0,
            pairs: [0; (1 << 16) / 64],
        };
        let common = Common::new(TYPICAL_OUTPUT);
        // Entries; count the anchored patterns of each slot (in
        // `start[slot + 1]`); list the short ones.
        let mut i = 0;
        while i < P {
            let e = Entry::new(patterns[i].as_bytes(), &common);
            m.entries[i] = e;
            if e.pat.len() >= ANCHOR_LEN {
                let h = e.anchor_hash();
                let bit = filter_bit(h);
                m.filter[bit / 64] |= 1 << (bit % 64);
                m.start[slot_of(h) + 1] += 1;
            } else {
                assert!(e.pat.len() >= 2, "patterns have two bytes or more");
                m.short[m.short_len] = i as u16;
                m.short_len += 1;
                let pair = pair_of(u16::from_le_bytes([e.pat[0], e.pat[1]]) as u64);
                m.pairs[pair / 64] |= 1 << (pair % 64);
            }
            i += 1;
        }
        // Prefix sums: `start[slot]` is where the slot's patterns begin.
        let mut slot = 0;
        while slot < SLOTS {
            m.start[slot + 1] += m.start[slot];
            slot += 1;
        }
        // File the anchored patterns in index order.
        let mut next = m.start;
        let mut i = 0;
        while i < P {
            let e = m.entries[i];
            if e.pat.len() >= ANCHOR_LEN {
                let slot = slot_of(e.anchor_hash());
                m.ids[next[slot] as usize] = i as u16;
                next[slot] += 1;
            }
            i += 1;
        }
        m
    }

    /// Every occurrence of every pattern in `hay`, into `out` (cleared
    /// first), in the order described in the module docs.
    // Kept out of its callers: compiled on its own, the loop has fewer live
    // values competing for registers.
    #[inline(never)]
    pub(crate) fn find_all(&self, hay: &[u8], out: &mut Vec<Match>) {
        out.clear();
        let n = hay.len();
        let mut at = 0;
        // Four positions per round, from one eight-byte load.
        while let Some(bytes) = bytes8(hay, at) {
            let word = u64::from_le_bytes(bytes);
            let folded = word | FOLD;
            // Anything at the four positions `at..at + 4`? Straight-line code
            // with one branch: in WebAssembly each loop iteration also checks
            // the runtime's interruption counter, and Cranelift spills
            // registers when many values are alive at once.
            let (h0, h1, h2, h3) = (
                filter_bit(hash(folded)),
                filter_bit(hash(folded >> 8)),
                filter_bit(hash(folded >> 16)),
                filter_bit(hash(folded >> 24)),
            );
            let (p0, p1, p2, p3) = (
                pair_of(folded),
                pair_of(folded >> 8),
                pair_of(folded >> 16),
                pair_of(folded >> 24),
            );
            let anchors = (self.filter[h0 / 64] >> (h0 % 64))
                | (self.filter[h1 / 64] >> (h1 % 64))
                | (self.filter[h2 / 64] >> (h2 % 64))
                | (self.filter[h3 / 64] >> (h3 % 64))
                | (self.pairs[p0 / 64] >> (p0 % 64))
                | (self.pairs[p1 / 64] >> (p1 % 64))
                | (self.pairs[p2 / 64] >> (p2 % 64))
                | (self.pairs[p3 / 64] >> (p3 % 64));
            if anchors & 1 != 0 {
                self.try_four(hay, at, word, out);
            }
            at += 4;
        }
        // The last positions, zero-padded (the checks look at the real
        // length).
        while at < n {
            let folded = word_at(hay, at) | FOLD;
            if self.may_anchor(folded) {
                self.try_anchor(hay, at, out);
            }
            if self.may_start_short(folded) {
                self.try_short(hay, at, out);
            }
            at += 1;
        }
        if out.len() > 1 {
            out.sort_unstable();
        }
    }

    /// Whether a short pattern may start where the text's bytes, folded,
    /// are `folded` (false positives allowed: folding merges a few
    /// non-letters, and past the end of the text it sees padding).
    #[inline(always)]
    fn may_start_short(&self, folded: u64) -> bool {
        let pair = pair_of(folded);
        self.pairs[pair / 64] & (1 << (pair % 64)) != 0
    }

    /// Tries the four positions `at..at + 4`, whose next bytes are `word`.
    #[inline(never)]
    fn try_four(&self, hay: &[u8], at: usize, word: u64, out: &mut Vec<Match>) {
        for j in 0..4 {
            let folded = (word >> (8 * j)) | FOLD;
            if self.may_anchor(folded) {
                self.try_anchor(hay, at + j, out);
            }
            if self.may_start_short(folded) {
                self.try_short(hay, at + j, out);
            }
        }
    }

    #[inline(always)]
    fn may_anchor(&self, folded: u64) -> bool {
        let bit = filter_bit(hash(folded));
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Tries the patterns whose anchors may be at `at`.
    #[inline(never)]
    fn try_anchor(&self, hay: &[u8], at: usize, out: &mut Vec<Match>) {
        let slot = slot_of(hash(word_at(hay, at) | FOLD));
        let (from, to) = (
            usize::from(self.start[slot]),
            usize::from(self.start[slot + 1]),
        );
        for &id in self.ids.get(from..to).unwrap_or_default() {
            let id = usize::from(id);
            if let Some(e) = self.entries.get(id)
                && let Some(start) = at.checked_sub(e.anchor)
            {
                self.try_at(hay, start, e, id, out);
            }
        }
    }

    #[inline(never)]
    fn try_short(&self, hay: &[u8], at: usize, out: &mut Vec<Match>) {
        for &id in &self.short[..self.short_len] {
            let id = usize::from(id);
            if let Some(e) = self.entries.get(id) {
                self.try_at(hay, at, e, id, out);
            }
        }
    }

    /// Records pattern `id` if it occurs at `start`.
    #[inline(always)]
    fn try_at(&self, hay: &[u8], start: usize, e: &Entry, id: usize, out: &mut Vec<Match>) {
        let end = start + e.pat.len();
        if end > hay.len() || (word_at(hay, start) | e.fold) & e.mask != e.key {
            return;
        }
        if e.pat.len() > 8 && (word_at(hay, start + 8) | e.fold2) & e.mask2 != e.key2 {
            return;
        }
        let rest = hay.get(start + 16..end).unwrap_or_default();
        if rest.eq_ignore_ascii_case(e.pat.get(16..).unwrap_or_default()) {
            out.push(Match {
                end,
                start,
                pattern: id,
            });
        }
    }

    /// The largest number of distinct anchors (folded) that share one slot:
    /// each slot's patterns are all tried at a position that hashes to it.
    #[cfg(test)]
    pub(crate) fn max_keys_per_slot(&self) -> usize {
        (0..SLOTS)
            .map(|s| {
                let ids = &self.ids[usize::from(self.start[s])..usize::from(self.start[s + 1])];
                let mut anchors: Vec<Vec<u8>> = ids
                    .iter()
                    .map(|&id| {
                        let e = &self.entries[usize::from(id)];
                        e.pat[e.anchor..e.anchor + ANCHOR_LEN].to_ascii_lowercase()
                    })
                    .collect();
                anchors.sort_unstable();
                anchors.dedup();
                anchors.len()
            })
            .max()
            .unwrap_or(0)
    }
}

/// The first two bytes of `folded`, as an index into `Matcher::pairs`
/// (folding them is idempotent, so a pattern's pair and a text's agree).
#[inline(always)]
const fn pair_of(folded: u64) -> usize {
    ((folded | FOLD) & 0xFFFF) as usize
}

/// The eight bytes at `at`, if there are eight: one load. (With the plugin's
/// size-optimised build, `copy_from_slice` into an array becomes a call that
/// calls `memcpy`, a call out to the runtime in WebAssembly, per position.)
#[inline(always)]
fn bytes8(hay: &[u8], at: usize) -> Option<[u8; 8]> {
    hay.get(at..at.checked_add(8)?)
        .and_then(|bytes| <[u8; 8]>::try_from(bytes).ok())
}

/// The eight bytes at `at`, little-endian, zero-padded past the end of `hay`
/// (byte by byte: no `memcpy`).
#[inline(always)]
fn word_at(hay: &[u8], at: usize) -> u64 {
    match bytes8(hay, at) {
        Some(bytes) => u64::from_le_bytes(bytes),
        None => hay
            .get(at..)
            .unwrap_or_default()
            .iter()
            .enumerate()
            .fold(0, |word, (j, &b)| word | u64::from(b) << (8 * j)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Short patterns of two and three bytes, with letters and not.
    const PATS: [&str; 9] = [
        "timed out",
        "Connection timed out",
        "TIMED OUT",
        "# ",
        "ab",
        "[x]",
        "out",
        "exception",
        "Exception",
    ];
    static M: Matcher<9> = Matcher::new(PATS);
    /// One short pattern, as `# ` in the rule table.
    const ONE: [&str; 3] = ["# ", "timed out", "x# y"];
    static M_ONE: Matcher<3> = Matcher::new(ONE);
    /// A short pattern that is a prefix of longer ones.
    const TWO: [&str; 3] = ["ab", "abcd", "xyzAB"];
    static M_TWO: Matcher<3> = Matcher::new(TWO);

    fn naive(patterns: &[&str], hay: &[u8]) -> Vec<Match> {
        let mut all = Vec::new();
        for start in 0..hay.len() {
            for (pattern, p) in patterns.iter().enumerate() {
                let end = start + p.len();
                if hay
                    .get(start..end)
                    .is_some_and(|t| t.eq_ignore_ascii_case(p.as_bytes()))
                {
                    all.push(Match {
                        end,
                        start,
                        pattern,
                    });
                }
            }
        }
        all.sort();
        all
    }

    const HAYS: [&str; 14] = [
        "",
        "a",
        "ab",
        "xab",
        "# ",
        "x# ",
        "Connection TIMED OUT\n# pkg\n{x} [X] [x]",
        "NullPointerException: ExCePtIoNexception ab#  ab",
        "timed ou",
        "\u{0}\u{0}\u{0}\u{0}imed out",
        "#\"# #  ## \n# x# y X# Y",
        "aBab\u{1}ab\u{0}AB abcd xABCD",
        "#\u{1}# a\u{0}ab \u{21}# \u{41}ab",
        "....... # ab",
    ];

    #[test]
    fn finds_what_a_naive_search_finds_in_order() {
        assert_eq!((M.short_len, M_ONE.short_len, M_TWO.short_len), (4, 1, 1));
        let mut out = Vec::new();
        for hay in HAYS {
            for (which, patterns) in [&PATS[..], &ONE, &TWO].into_iter().enumerate() {
                match which {
                    0 => M.find_all(hay.as_bytes(), &mut out),
                    1 => M_ONE.find_all(hay.as_bytes(), &mut out),
                    _ => M_TWO.find_all(hay.as_bytes(), &mut out),
                }
                assert_eq!(out, naive(patterns, hay.as_bytes()), "{hay:?} {patterns:?}");
            }
        }
    }

    /// A short pattern's first byte alone does not stop the scan (`at `
    /// stopped it at every `a`): only its first two bytes, in either case.
    #[test]
    fn short_patterns_are_tried_where_their_first_two_bytes_are() {
        let at = |text: &[u8]| M_TWO.may_start_short(word_at(text, 0) | FOLD);
        assert!(at(b"ab") && at(b"AB") && at(b"aB") && at(b"Ab!"));
        assert!(!at(b"a ") && !at(b"ba") && !at(b"xa") && !at(b"a"));
    }

    #[test]
    fn folding_does_not_merge_non_letters() {
        let mut out = Vec::new();
        // `{` folds like `[`, a NUL like a space: the final comparison
        // rejects both.
        M.find_all(b"{x} #\0", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
