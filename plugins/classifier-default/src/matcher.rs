//! Finds every occurrence of a fixed set of patterns in a text, ASCII
//! case-insensitively, the way an Aho-Corasick automaton in overlapping mode
//! reports them, with tables computed at compile time.
//!
//! Why not an automaton: inside the plugin every call runs in a fresh
//! instance, so an automaton built at run time was rebuilt on every call
//! (about 2 ms for the rule table), and stepping a non-deterministic
//! automaton byte by byte is the slowest part of classifying in wasm (no
//! SIMD prefilter helps with a few hundred case-insensitive patterns). Here
//! nothing is built at run time: the tables are `static` data in the binary.
//!
//! # How
//!
//! Every pattern of four bytes or more is filed under a hash of its first four
//! bytes, case-folded (`| 0x20` on each byte, which maps both cases of a letter
//! to one value; it also merges a few non-letters, which the final comparison
//! tells apart). At each position of the text the four bytes there are folded
//! and hashed the same way; a one-bit-per-slot filter (1 KiB) rejects almost
//! every position at the cost of one load. Surviving positions compare the
//! folded key of each pattern in the slot, then the whole pattern with
//! [`<[u8]>::eq_ignore_ascii_case`]. Patterns shorter than four bytes are
//! tried where their first byte occurs.
//!
//! # Order
//!
//! Matches come out sorted by end, then by start (so at one end the longest
//! first), then by pattern index: the order in which an Aho-Corasick
//! automaton with `MatchKind::Standard` reports overlapping matches.

/// log2 of the number of hash slots.
const SLOT_BITS: u32 = 13;
const SLOTS: usize = 1 << SLOT_BITS;
/// Fibonacci hashing: the high bits of the product are well mixed.
const MULTIPLIER: u32 = 0x9E37_79B1;
/// Case-folds eight ASCII bytes at once (see the module docs).
const FOLD: u64 = 0x2020_2020_2020_2020;
/// Length of the hashed prefix; shorter patterns are tried by first byte.
const KEY_LEN: usize = 4;

/// One occurrence of a pattern: `text[start..end]` equals pattern `pattern`,
/// ignoring ASCII case. The field order is the reporting order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Match {
    pub end: usize,
    pub start: usize,
    pub pattern: usize,
}

/// The tables for `P` patterns.
pub(crate) struct Matcher<const P: usize> {
    /// Bit `h` is set when some long pattern hashes to slot `h`.
    filter: [u64; SLOTS / 64],
    /// The long patterns of slot `h` are `ids[start[h]..start[h + 1]]`, in
    /// index order.
    start: [u16; SLOTS + 1],
    ids: [u16; P],
    /// Each pattern's first eight bytes (all of a shorter one), folded and
    /// zero-padded, and the mask of those bytes: one comparison rejects
    /// almost every candidate that merely shares the hashed prefix.
    keys: [u64; P],
    masks: [u64; P],
    pats: [&'static [u8]; P],
    /// The patterns shorter than [`KEY_LEN`] are `short[..short_len]`.
    short: [u16; P],
    short_len: usize,
    /// `short_first[b]`: a short pattern starts with byte `b` (either case).
    short_first: [bool; 256],
}

/// The slot of a position whose next eight bytes, folded, are `folded`: a
/// hash of the first four.
const fn slot_of(folded: u64) -> usize {
    ((folded as u32).wrapping_mul(MULTIPLIER) >> (32 - SLOT_BITS)) as usize
}

impl<const P: usize> Matcher<P> {
    /// Builds the tables; meant for a `static`, evaluated at compile time.
    pub(crate) const fn new(patterns: [&'static str; P]) -> Self {
        assert!(P < u16::MAX as usize, "pattern indexes must fit in u16");
        let mut m = Matcher {
            filter: [0; SLOTS / 64],
            start: [0; SLOTS + 1],
            ids: [0; P],
            keys: [0; P],
            masks: [0; P],
            pats: [&[]; P],
            short: [0; P],
            short_len: 0,
            short_first: [false; 256],
        };
        // Keys and masks; count the long patterns of each slot (in
        // `start[slot + 1]`); list the short ones.
        let mut i = 0;
        while i < P {
            let p = patterns[i].as_bytes();
            assert!(!p.is_empty(), "empty pattern");
            m.pats[i] = p;
            let mut b = 0;
            while b < p.len() && b < 8 {
                m.keys[i] |= ((p[b] as u64) | 0x20) << (8 * b);
                m.masks[i] |= 0xFF << (8 * b);
                b += 1;
            }
            if p.len() >= KEY_LEN {
                let slot = slot_of(m.keys[i]);
                m.filter[slot / 64] |= 1 << (slot % 64);
                m.start[slot + 1] += 1;
            } else {
                m.short[m.short_len] = i as u16;
                m.short_len += 1;
                m.short_first[p[0].to_ascii_lowercase() as usize] = true;
                m.short_first[p[0].to_ascii_uppercase() as usize] = true;
            }
            i += 1;
        }
        // Prefix sums: `start[slot]` is where the slot's patterns begin.
        let mut slot = 0;
        while slot < SLOTS {
            m.start[slot + 1] += m.start[slot];
            slot += 1;
        }
        // File the long patterns in index order.
        let mut next = m.start;
        let mut i = 0;
        while i < P {
            if m.pats[i].len() >= KEY_LEN {
                let slot = slot_of(m.keys[i]);
                m.ids[next[slot] as usize] = i as u16;
                next[slot] += 1;
            }
            i += 1;
        }
        m
    }

    /// Every occurrence of every pattern in `hay`, into `out` (cleared
    /// first), in the order described in the module docs.
    pub(crate) fn find_all(&self, hay: &[u8], out: &mut Vec<Match>) {
        out.clear();
        let n = hay.len();
        let mut at = 0;
        while at + 8 <= n {
            let mut word = [0; 8];
            word.copy_from_slice(&hay[at..at + 8]);
            self.step(hay, at, u64::from_le_bytes(word), out);
            at += 1;
        }
        // The last seven positions, zero-padded: a padding byte never equals
        // a folded pattern byte, and `try_at` checks the real length.
        while at < n {
            let mut word = [0; 8];
            word[..n - at].copy_from_slice(&hay[at..]);
            self.step(hay, at, u64::from_le_bytes(word), out);
            at += 1;
        }
        if out.len() > 1 {
            out.sort_unstable();
        }
    }

    /// The patterns that may start at `at`, where the text's next eight
    /// bytes (zero-padded) are `word`.
    #[inline(always)]
    fn step(&self, hay: &[u8], at: usize, word: u64, out: &mut Vec<Match>) {
        let folded = word | FOLD;
        let slot = slot_of(folded);
        if self.filter[slot / 64] & (1 << (slot % 64)) != 0 {
            self.try_slot(hay, at, folded, slot, out);
        }
        if self.short_len > 0 && self.short_first[(word & 0xFF) as usize] {
            self.try_short(hay, at, folded, out);
        }
    }

    #[inline(never)]
    fn try_slot(&self, hay: &[u8], at: usize, folded: u64, slot: usize, out: &mut Vec<Match>) {
        let (from, to) = (
            usize::from(self.start[slot]),
            usize::from(self.start[slot + 1]),
        );
        for &id in &self.ids[from..to] {
            self.try_at(hay, at, folded, usize::from(id), out);
        }
    }

    #[cold]
    fn try_short(&self, hay: &[u8], at: usize, folded: u64, out: &mut Vec<Match>) {
        for &id in &self.short[..self.short_len] {
            self.try_at(hay, at, folded, usize::from(id), out);
        }
    }

    #[inline(always)]
    fn try_at(&self, hay: &[u8], at: usize, folded: u64, id: usize, out: &mut Vec<Match>) {
        if folded & self.masks[id] != self.keys[id] {
            return;
        }
        let pat = self.pats[id];
        let end = at + pat.len();
        if hay
            .get(at..end)
            .is_some_and(|text| text.eq_ignore_ascii_case(pat))
        {
            out.push(Match {
                end,
                start: at,
                pattern: id,
            });
        }
    }

    /// The largest number of distinct hashed prefixes that share one slot:
    /// each slot's patterns are all tried at a position that hashes to it.
    #[cfg(test)]
    pub(crate) fn max_keys_per_slot(&self) -> usize {
        (0..SLOTS)
            .map(|s| {
                let ids = &self.ids[usize::from(self.start[s])..usize::from(self.start[s + 1])];
                let mut keys: Vec<u32> = ids
                    .iter()
                    .map(|&id| self.keys[usize::from(id)] as u32)
                    .collect();
                keys.sort_unstable();
                keys.dedup();
                keys.len()
            })
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn naive(hay: &[u8]) -> Vec<Match> {
        let mut all = Vec::new();
        for start in 0..hay.len() {
            for (pattern, p) in PATS.iter().enumerate() {
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

    #[test]
    fn finds_what_a_naive_search_finds_in_order() {
        let mut out = Vec::new();
        for hay in [
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
        ] {
            M.find_all(hay.as_bytes(), &mut out);
            assert_eq!(out, naive(hay.as_bytes()), "{hay:?}");
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
