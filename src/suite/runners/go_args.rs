//! The words of a `go test` command, read as go reads them: its flags
//! (a flag that takes a value may have it in the next word: `-count 1`,
//! `-tags integ`), its packages (every other word before `-args`), and what
//! follows `-args` (the test binaries' own arguments).
//!
//! pitcrew gives each shard its packages, so the user's packages must be
//! taken out of the command, not run beside them (`go test ./...` in every
//! shard ran every test once per shard), and the listing must see the
//! flags that decide which files exist (`-tags`).

/// Flags of `go test` (`go help build`, `go help testflag`) that take a
/// value, which may be the next word. Bool flags take none.
const VALUE_FLAGS: &[&str] = &[
    // build flags
    "C",
    "p",
    "asmflags",
    "buildmode",
    "compiler",
    "gccgoflags",
    "gcflags",
    "installsuffix",
    "ldflags",
    "mod",
    "modfile",
    "overlay",
    "pgo",
    "pkgdir",
    "tags",
    "toolexec",
    "o",
    "covermode",
    "coverpkg",
    "exec",
    "vet",
    // test flags
    "bench",
    "benchtime",
    "blockprofile",
    "blockprofilerate",
    "count",
    "coverprofile",
    "cpu",
    "cpuprofile",
    "fuzz",
    "fuzzminimizetime",
    "fuzztime",
    "list",
    "memprofile",
    "memprofilerate",
    "mutexprofile",
    "mutexprofilefraction",
    "outputdir",
    "parallel",
    "run",
    "skip",
    "shuffle",
    "timeout",
    "trace",
];

/// Flags that decide which packages and files there are: `go list` needs
/// them to list what `go test` would build.
const LISTING_FLAGS: &[&str] = &["C", "tags", "mod", "modfile", "overlay"];

/// A `go test` command's arguments after the program (`test ./...`, or a
/// wrapper's `./...`) cut after its `test` word: the words up to it, and
/// those after it read as go reads them. The directory of `go -C dir` is
/// no `test` word, even when it is named `test`.
pub fn after_test(args: &[String]) -> (&[String], GoTestArgs) {
    let mut at = 0;
    let mut words = args.iter().enumerate();
    while let Some((i, word)) = words.next() {
        if word == "test" {
            at = i + 1;
            break;
        }
        if matches!(word.as_str(), "-C" | "--C") {
            words.next();
        }
    }
    (&args[..at], GoTestArgs::parse(&args[at..]))
}

/// [`after_test`] of a whole command, its program left out (a wrapper
/// script's path is no package).
pub fn after_test_of_command(command: &[String]) -> GoTestArgs {
    after_test(command.get(1..).unwrap_or_default()).1
}

/// How many times each test runs in one `go test` process of `args` (the
/// arguments after the program): `-count` times over each `-cpu` value,
/// as the command, the test binary's own flags after `-args`, or the
/// environment's `GOFLAGS` (which the command overrides) set them.
pub fn passes(args: &[String], goflags: Option<&str>) -> usize {
    let (_, parsed) = after_test(args);
    let binary = GoTestArgs::parse(parsed.tail.get(1..).unwrap_or_default());
    let from_env = goflags.map(|flags| {
        let words: Vec<String> = flags.split_whitespace().map(String::from).collect();
        GoTestArgs::parse(&words)
    });
    let value = |name: &str| {
        binary
            .flag_value(name)
            .or_else(|| parsed.flag_value(name))
            .or_else(|| from_env.as_ref()?.flag_value(name))
    };
    let count = value("count").and_then(|v| go_uint(&v)).unwrap_or(1);
    let cpus = value("cpu").map_or(1, |v| v.split(',').filter(|c| !c.trim().is_empty()).count());
    count.max(1).saturating_mul(cpus.max(1))
}

/// An unsigned number as go's flags read one (`strconv.ParseUint` with
/// base 0): `0x`, `0o`, `0b` and a leading `0` (octal) prefixes, `_`
/// between digits.
fn go_uint(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    let (digits, radix) = match lower.as_bytes() {
        [b'0', b'x', ..] => (&lower[2..], 16),
        [b'0', b'o', ..] => (&lower[2..], 8),
        [b'0', b'b', ..] => (&lower[2..], 2),
        [b'0', _, ..] => (&lower[1..], 8),
        _ => (lower.as_str(), 10),
    };
    let digits = digits.replace('_', "");
    usize::from_str_radix(&digits, radix).ok()
}

/// A `go test` command's words after `test`, apart.
#[derive(Debug, Default, PartialEq)]
pub struct GoTestArgs {
    /// Each flag with its value, as written (`["-count", "1"]`, `["-v"]`).
    pub flags: Vec<Vec<String>>,
    /// The packages named (none: the current directory's package).
    pub packages: Vec<String>,
    /// `-args` and everything after it.
    pub tail: Vec<String>,
}

impl GoTestArgs {
    /// Reads the words that follow `go test`.
    pub fn parse(words: &[String]) -> Self {
        let mut parsed = Self::default();
        let mut i = 0;
        while i < words.len() {
            let word = &words[i];
            if matches!(word.as_str(), "-args" | "--args") {
                parsed.tail = words[i..].to_vec();
                break;
            }
            match flag_name(word) {
                Some(name) => {
                    let takes_next = !word.contains('=') && VALUE_FLAGS.contains(&name);
                    let end = if takes_next {
                        (i + 2).min(words.len())
                    } else {
                        i + 1
                    };
                    parsed.flags.push(words[i..end].to_vec());
                    i = end;
                }
                None => {
                    parsed.packages.push(word.clone());
                    i += 1;
                }
            }
        }
        parsed
    }

    /// The flags `go list` needs to see the packages and files `go test`
    /// builds (`-C` first, as go requires).
    pub fn listing_flags(&self) -> Vec<String> {
        let mut flags: Vec<&Vec<String>> = self
            .flags
            .iter()
            .filter(|f| flag_name(&f[0]).is_some_and(|n| LISTING_FLAGS.contains(&n)))
            .collect();
        flags.sort_by_key(|f| flag_name(&f[0]) != Some("C"));
        flags.into_iter().flatten().cloned().collect()
    }

    /// The value of the flag `name` (its last, as go reads it).
    pub fn flag_value(&self, name: &str) -> Option<String> {
        self.flags
            .iter()
            .filter(|f| flag_name(&f[0]) == Some(name))
            .filter_map(|f| match f.as_slice() {
                [word] => word.split_once('=').map(|(_, v)| v.to_owned()),
                [_, value, ..] => Some(value.clone()),
                [] => None,
            })
            .next_back()
    }

    /// The flag `name` given `value` in place of the user's.
    pub fn set_flag_value(&mut self, name: &str, value: &str) {
        for flag in self
            .flags
            .iter_mut()
            .filter(|f| flag_name(&f[0]) == Some(name))
        {
            *flag = vec![format!("-{name}={value}")];
        }
    }

    /// The command's words with `packages` in place of the user's, and
    /// `ours` (pitcrew's flags) after the user's flags.
    pub fn with_packages(&self, ours: Vec<String>, packages: Vec<String>) -> Vec<String> {
        let mut words: Vec<String> = self.flags.iter().flatten().cloned().collect();
        words.extend(ours);
        words.extend(packages);
        words.extend(self.tail.iter().cloned());
        words
    }
}

/// `count` for `-count`, `--count=1` or `-test.count`; `None` for a word
/// that is no flag (`-` alone is none either).
fn flag_name(word: &str) -> Option<&str> {
    let name = word.strip_prefix("--").or_else(|| word.strip_prefix('-'))?;
    let name = name.split('=').next().unwrap_or(name);
    let name = name.strip_prefix("test.").unwrap_or(name);
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::test_support::argv;

    #[test]
    fn passes_are_count_times_cpus_wherever_they_are_set() {
        let passes = |args: &[&str], env: Option<&str>| passes(&argv(args), env);
        assert_eq!(passes(&["test", "./..."], None), 1);
        assert_eq!(passes(&["test", "-count=3", "./..."], None), 3);
        assert_eq!(passes(&["test", "-count", "2", "-cpu", "1,2,4"], None), 6);
        assert_eq!(passes(&["test", "./x", "-args", "-test.count=2"], None), 2);
        assert_eq!(passes(&["test", "./x"], Some("-mod=mod -count=2")), 2);
        // The command overrides GOFLAGS; a bad value is go's to refuse.
        assert_eq!(passes(&["test", "-count=1"], Some("-count=2")), 1);
        assert_eq!(passes(&["test", "-count=x"], None), 1);
        assert_eq!(passes(&["test", "-count=0"], None), 1);
        // As go reads numbers.
        assert_eq!(passes(&["test", "-count=0x2"], None), 2);
        assert_eq!(passes(&["test", "-count=010"], None), 8);
        assert_eq!(passes(&["test", "-count=1_0"], None), 10);
    }

    #[test]
    fn the_test_word_is_gos_and_the_program_is_no_package() {
        let packages = |command: &[&str]| after_test_of_command(&argv(command)).packages;
        assert_eq!(packages(&["go", "test", "./..."]), argv(&["./..."]));
        // `go -C test test`: the folder is named `test`.
        assert_eq!(
            packages(&["go", "-C", "test", "test", "./a"]),
            argv(&["./a"])
        );
        // A wrapper of go test, run with `--runner go`: its path is no package.
        assert_eq!(packages(&["./gotest.sh", "./..."]), argv(&["./..."]));
        assert!(packages(&["go", "test"]).is_empty());
    }

    #[test]
    fn values_in_the_next_word_are_values_not_packages() {
        let parsed = GoTestArgs::parse(&argv(&[
            "-count",
            "1",
            "-v",
            "./...",
            "-tags",
            "integ",
            "-timeout=5s",
            "--run",
            "TestA",
            "-test.parallel",
            "4",
            "example.com/m/b",
            "-args",
            "-flag",
            "x",
        ]));
        assert_eq!(parsed.packages, argv(&["./...", "example.com/m/b"]));
        assert_eq!(
            parsed.flags,
            [
                argv(&["-count", "1"]),
                argv(&["-v"]),
                argv(&["-tags", "integ"]),
                argv(&["-timeout=5s"]),
                argv(&["--run", "TestA"]),
                argv(&["-test.parallel", "4"]),
            ]
        );
        assert_eq!(parsed.tail, argv(&["-args", "-flag", "x"]));
    }

    #[test]
    fn the_users_packages_are_replaced_and_listing_flags_kept() {
        let parsed = GoTestArgs::parse(&argv(&[
            "-race",
            "./...",
            "-tags=integ",
            "-mod",
            "vendor",
            "-C",
            "sub",
            "-args",
            "-x",
        ]));
        assert_eq!(
            parsed.with_packages(argv(&["-json"]), argv(&["example.com/m/a"])),
            argv(&[
                "-race",
                "-tags=integ",
                "-mod",
                "vendor",
                "-C",
                "sub",
                "-json",
                "example.com/m/a",
                "-args",
                "-x",
            ])
        );
        assert_eq!(
            parsed.listing_flags(),
            argv(&["-C", "sub", "-tags=integ", "-mod", "vendor"])
        );
    }

    #[test]
    fn a_value_flag_at_the_end_keeps_what_there_is() {
        let parsed = GoTestArgs::parse(&argv(&["./a", "-count"]));
        assert_eq!(parsed.packages, argv(&["./a"]));
        assert_eq!(parsed.flags, [argv(&["-count"])]);
        assert_eq!(GoTestArgs::parse(&[]), GoTestArgs::default());
    }
}
