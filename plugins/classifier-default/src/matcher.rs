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
//! shorter than four bytes are tried where their first byte occurs (looked
//! for in four positions at once while there are at most two such bytes).
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
/// Length of an anchor; shorter patterns are tried by their first byte.
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
    /// `short_first[b]`: a short pattern starts with byte `b` (either case).
    short_first: [bool; 256],
    /// Those first bytes, each repeated eight times, when there are at most
    /// two (`short_bytes_len`); more than two: `short_bytes_len` is 3 and
    /// every position is looked up in `short_first`.
    short_bytes: [u64; 2],
    short_bytes_len: usize,
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
            short_first: [false; 256],
            short_bytes: [0; 2],
            short_bytes_len: 0,
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
                m.short[m.short_len] = i as u16;
                m.short_len += 1;
                m.short_first[e.pat[0].to_ascii_lowercase() as usize] = true;
                m.short_first[e.pat[0].to_ascii_uppercase() as usize] = true;
            }
            i += 1;
        }
        let mut b = 0;
        while b < 256 {
            if m.short_first[b] {
                if m.short_bytes_len < 2 {
                    m.short_bytes[m.short_bytes_len] = b as u64 * LOW_BYTES;
                }
                m.short_bytes_len += 1;
            }
            b += 1;
        }
        if m.short_bytes_len > 2 {
            m.short_bytes_len = 3;
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
            let anchors = (self.filter[h0 / 64] >> (h0 % 64))
                | (self.filter[h1 / 64] >> (h1 % 64))
                | (self.filter[h2 / 64] >> (h2 % 64))
                | (self.filter[h3 / 64] >> (h3 % 64));
            if anchors & 1 != 0 || self.may_start_short(word) {
                self.try_four(hay, at, word, out);
            }
            at += 4;
        }
        // The last positions, zero-padded (the checks look at the real
        // length).
        while at < n {
            if self.may_anchor(word_at(hay, at) | FOLD) {
                self.try_anchor(hay, at, out);
            }
            if self.short_first[usize::from(hay[at])] {
                self.try_short(hay, at, out);
            }
            at += 1;
        }
        if out.len() > 1 {
            out.sort_unstable();
        }
    }

    /// Whether a short pattern may start at one of the first four bytes of
    /// `word` (false positives allowed).
    #[inline(always)]
    fn may_start_short(&self, word: u64) -> bool {
        let found = match self.short_bytes_len {
            0 => 0,
            1 => has_byte(word, self.short_bytes[0]),
            2 => has_byte(word, self.short_bytes[0]) | has_byte(word, self.short_bytes[1]),
            _ => return true,
        };
        found & 0x8080_8080 != 0
    }

    /// Tries the four positions `at..at + 4`, whose next bytes are `word`.
    #[inline(never)]
    fn try_four(&self, hay: &[u8], at: usize, word: u64, out: &mut Vec<Match>) {
        for j in 0..4 {
            if self.may_anchor((word >> (8 * j)) | FOLD) {
                self.try_anchor(hay, at + j, out);
            }
            if self.short_first[((word >> (8 * j)) & 0xFF) as usize] {
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

    #[cold]
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

/// Each byte repeated eight times: `b * LOW_BYTES`.
const LOW_BYTES: u64 = 0x0101_0101_0101_0101;

/// The high bit of each byte of `word` that equals the byte of `repeated`
/// (`b * LOW_BYTES`), and maybe of a byte just above one that does (the
/// borrow of the subtraction): a prefilter, never a false negative.
#[inline(always)]
const fn has_byte(word: u64, repeated: u64) -> u64 {
    let x = word ^ repeated;
    x.wrapping_sub(LOW_BYTES) & !x & (LOW_BYTES << 7)
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

    /// Short patterns with more than two first bytes (`#`, `a`, `A`, `[`,
    /// `o`, `O`): every position is looked up.
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
    /// One short pattern's first byte, as in the rule table.
    const ONE: [&str; 3] = ["# ", "timed out", "x# y"];
    static M_ONE: Matcher<3> = Matcher::new(ONE);
    /// A letter: two first bytes.
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
        assert_eq!(
            (
                M.short_bytes_len,
                M_ONE.short_bytes_len,
                M_TWO.short_bytes_len
            ),
            (3, 1, 2)
        );
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

    #[test]
    fn folding_does_not_merge_non_letters() {
        let mut out = Vec::new();
        // `{` folds like `[`, a NUL like a space: the final comparison
        // rejects both.
        M.find_all(b"{x} #\0", &mut out);
        assert!(out.is_empty(), "{out:?}");
    }
}
