//! Reading a runner's command line the way the runner does, for the few
//! options pitcrew must find or take out: up to a `--`, after which words
//! belong to whatever the runner passes them on to.

/// The arguments without an option (before any `--`, after which they are
/// the test binaries'), and its values in order: `--long VALUE`,
/// `--long=VALUE`, `-S VALUE`, `-SVALUE` or `-S=VALUE`.
pub fn take_option(args: &[String], long: &[&str], short: &str) -> (Vec<String>, Vec<String>) {
    let mut out = Vec::with_capacity(args.len());
    let mut values = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            out.push(arg.clone());
            out.extend(rest.by_ref().cloned());
            break;
        }
        if (!short.is_empty() && arg == short) || long.contains(&arg.as_str()) {
            values.extend(rest.next().cloned());
        } else if let Some(value) = inline_value(arg, long) {
            values.push(value.to_owned());
        } else if let Some(value) = arg
            .strip_prefix(short)
            .filter(|v| !short.is_empty() && !v.is_empty())
        {
            values.push(value.strip_prefix('=').unwrap_or(value).to_owned());
        } else {
            out.push(arg.clone());
        }
    }
    (out, values)
}

/// The values of an option that takes one (`--long VALUE`,
/// `--long=VALUE`) anywhere in a command, a `--` included (`uv run --
/// pytest --junitxml=F`), in order; the runner's last one is the one it
/// uses.
pub fn option_values(args: &[String], long: &[&str]) -> Vec<String> {
    let mut values = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if long.contains(&arg.as_str()) {
            values.extend(rest.next().cloned());
        } else if let Some(value) = inline_value(arg, long) {
            values.push(value.to_owned());
        }
    }
    values
}

/// The value of `--long=VALUE` for one of the `long` options.
fn inline_value<'a>(arg: &'a str, long: &[&str]) -> Option<&'a str> {
    long.iter()
        .find_map(|l| arg.strip_prefix(l).and_then(|v| v.strip_prefix('=')))
}

/// The arguments without the flags `names` (`--json`, or `--json=…`).
pub fn without_flags(args: &[String], names: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--" {
            out.push(arg.clone());
            out.extend(rest.by_ref().cloned());
            break;
        }
        let flag = arg.split_once('=').map_or(arg.as_str(), |(flag, _)| flag);
        if !names.contains(&flag) {
            out.push(arg.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::runners::test_support::argv;

    #[test]
    fn options_and_their_values_are_read_up_to_the_terminator() {
        let args = argv(&[
            "-Pci",
            "--profile",
            "a",
            "--profile=b",
            "-P",
            "c",
            "--",
            "--profile",
            "d",
        ]);
        let (rest, values) = take_option(&args, &["--profile"], "-P");
        assert_eq!(values, ["ci", "a", "b", "c"]);
        assert_eq!(rest, ["--", "--profile", "d"]);
        assert_eq!(
            option_values(
                &argv(&["--junitxml", "a.xml", "--", "--junitxml=b.xml"]),
                &["--junitxml"]
            ),
            ["a.xml", "b.xml"]
        );
        assert_eq!(
            without_flags(
                &argv(&["--json", "--ci", "--json=true", "--", "--json"]),
                &["--json"]
            ),
            ["--ci", "--", "--json"]
        );
    }
}
