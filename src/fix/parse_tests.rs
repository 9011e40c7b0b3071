use super::*;

fn edit(file: &str, search: &str, replace: &str) -> Edit {
    Edit::new(file, search, replace)
}

/// (what the answer is like, the answer, the edits, how many problems).
fn table() -> Vec<(&'static str, String, Vec<Edit>, usize)> {
    vec![
        (
            "fenced, path on the line before the fence",
            "The subtraction is wrong.\n\ncalc.py\n```python\n<<<<<<< SEARCH\n    return a - b\n=======\n    return a + b\n>>>>>>> REPLACE\n```\n".into(),
            vec![edit("calc.py", "    return a - b\n", "    return a + b\n")],
            0,
        ),
        (
            "unfenced",
            "src/calc.py\n<<<<<<< SEARCH\ndef add(a, b):\n    return a - b\n=======\ndef add(a, b):\n    return a + b\n>>>>>>> REPLACE\n".into(),
            vec![edit(
                "src/calc.py",
                "def add(a, b):\n    return a - b\n",
                "def add(a, b):\n    return a + b\n",
            )],
            0,
        ),
        (
            "CRLF line endings",
            "calc.py\r\n```\r\n<<<<<<< SEARCH\r\n    return a - b\r\n=======\r\n    return a + b\r\n>>>>>>> REPLACE\r\n```\r\n".into(),
            vec![edit("calc.py", "    return a - b\n", "    return a + b\n")],
            0,
        ),
        (
            "prose around, path in backticks with a colon",
            "Looking at the stack trace, `add` subtracts.\n\nIn `lib/math.js`:\n\n```js\n<<<<<<< SEARCH\n  return a - b;\n=======\n  return a + b;\n>>>>>>> REPLACE\n```\n\nThis makes the test pass. Done.".into(),
            vec![edit("lib/math.js", "  return a - b;\n", "  return a + b;\n")],
            0,
        ),
        (
            "language tag and path on the fence",
            "```python app/util.py\n<<<<<<< SEARCH\nX = 1\n=======\nX = 2\n>>>>>>> REPLACE\n```".into(),
            vec![edit("app/util.py", "X = 1\n", "X = 2\n")],
            0,
        ),
        (
            "several files, and a second block in one fence without a path",
            "a.py\n```python\n<<<<<<< SEARCH\nA = 1\n=======\nA = 2\n>>>>>>> REPLACE\n<<<<<<< SEARCH\nB = 1\n=======\nB = 2\n>>>>>>> REPLACE\n```\n\n**pkg/b.py**\n```python\n<<<<<<< SEARCH\nC = 1\n=======\nC = 3\n>>>>>>> REPLACE\n```\n".into(),
            vec![
                edit("a.py", "A = 1\n", "A = 2\n"),
                edit("a.py", "B = 1\n", "B = 2\n"),
                edit("pkg/b.py", "C = 1\n", "C = 3\n"),
            ],
            0,
        ),
        (
            "an empty REPLACE deletes",
            "calc.py\n<<<<<<< SEARCH\nimport os\n=======\n>>>>>>> REPLACE\n".into(),
            vec![edit("calc.py", "import os\n", "")],
            0,
        ),
        (
            "miscounted markers and trailing spaces",
            "calc.py\n<<<<<< SEARCH \nx = 1\n========\nx = 2\n>>>>>>>>REPLACE\n".into(),
            vec![edit("calc.py", "x = 1\n", "x = 2\n")],
            0,
        ),
        (
            "no block at all",
            "I could not find the problem; the test looks right.".into(),
            vec![],
            0,
        ),
        (
            "no path before the block",
            "Change this:\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\n".into(),
            vec![],
            1,
        ),
        (
            "two blocks cut off before their divider",
            "a.py\n<<<<<<< SEARCH\nx = 1\n<<<<<<< SEARCH\nb.py\n".into(),
            vec![],
            2,
        ),
        (
            "a block cut off before REPLACE, the one before it kept",
            "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n>>>>>>> REPLACE\nb.py\n<<<<<<< SEARCH\ny = 1\n=======\ny = 2\n".into(),
            vec![edit("a.py", "x = 1\n", "x = 2\n")],
            1,
        ),
        (
            "a stray divider inside REPLACE",
            "a.py\n<<<<<<< SEARCH\nx = 1\n=======\nx = 2\n=======\n>>>>>>> REPLACE\n".into(),
            vec![],
            1,
        ),
        (
            "File: prefix and tildes",
            "File: tests/test_x.py\n~~~\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n~~~\n".into(),
            vec![edit("tests/test_x.py", "old\n", "new\n")],
            0,
        ),
    ]
}

#[test]
fn parses_real_looking_answers() {
    for (what, answer, edits, problems) in table() {
        let parsed = parse(&answer);
        assert_eq!(parsed.edits, edits, "{what}");
        assert_eq!(
            parsed.problems.len(),
            problems,
            "{what}: {:?}",
            parsed.problems
        );
    }
}

#[test]
fn problems_say_which_block_and_what() {
    let parsed = parse("x.py\n<<<<<<< SEARCH\na\n=======\nb\n");
    assert_eq!(
        parsed.problems,
        ["block 1: no `>>>>>>> REPLACE` at the end"]
    );
    let parsed = parse("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE");
    assert_eq!(
        parsed.problems,
        ["block 1: no file path before `<<<<<<< SEARCH`"]
    );
}

#[test]
fn prose_is_not_a_path() {
    for line in [
        "Done.",
        "Fix it:",
        "Makefile",
        "the file `a.py` changes",
        "e.g.",
    ] {
        assert_eq!(as_path(line), None, "{line}");
    }
    for (line, path) in [
        ("`src/a.py`", "src/a.py"),
        ("# src/a.py:", "src/a.py"),
        ("**tests/test_a.py**", "tests/test_a.py"),
        ("docker/Dockerfile", "docker/Dockerfile"),
    ] {
        assert_eq!(as_path(line).as_deref(), Some(path), "{line}");
    }
}

#[test]
fn hostile_input_does_not_panic() {
    for answer in [
        "",
        "\r",
        "<<<<<<< SEARCH",
        "=======\n>>>>>>> REPLACE",
        "```",
        "```python a.py",
        "é.py\n<<<<<<< SEARCH\né\n=======\n>>>>>>> REPLACE",
        "a.py\n<<<<<<< SEARCH\n=======\n=======\n>>>>>>> REPLACE",
    ] {
        let _ = parse(answer);
    }
    assert_eq!(
        parse("é.py\n<<<<<<< SEARCH\né\n=======\n>>>>>>> REPLACE").edits,
        [edit("é.py", "é\n", "")]
    );
}
