#!/usr/bin/env python3
"""Scores `pitcrew classify` on a labelled set of failure texts.

The blind sets (failures pasted in other projects' issues, labelled by a
helper before the classifier saw any) are not committed: they are other
people's text. This script is what each set is measured with, so that a
figure in the README can be reproduced by whoever holds the set:

    python3 scripts/classifier-corpus/score-set.py --pitcrew target/debug/pitcrew \
        /tmp/set17/failures.jsonl /tmp/set17/labels.jsonl

or, without building the host, with the classifier crate's example, which
answers as `pitcrew classify --format jsonl --no-route` does:

    cargo build --release -p classifier-default --example classify_jsonl
    python3 scripts/classifier-corpus/score-set.py \
        --pitcrew target/release/examples/classify_jsonl FAILURES LABELS

failures.jsonl is `pitcrew classify`'s input (id, test_name, file, message,
details); labels.jsonl holds, per id, category, specialty, language and
whether the label is contested. Prints accuracy and macro-F1 of category,
specialty and language accuracy, the `unknown` answers, the confidently
wrong ones (confidence >= 0.8) and the accuracy of confident answers, then
every miss. `--json` prints the figures as one JSON object instead.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter

CONFIDENT = 0.8


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def macro_f1(pairs):
    """Macro-F1 over the labels that occur in the expected column."""
    labels = sorted({want for want, _ in pairs})
    scores = []
    for label in labels:
        tp = sum(1 for w, g in pairs if w == label and g == label)
        fp = sum(1 for w, g in pairs if w != label and g == label)
        fn = sum(1 for w, g in pairs if w == label and g != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(f1)
    return sum(scores) / len(scores) if scores else 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("failures")
    parser.add_argument("labels")
    parser.add_argument("--pitcrew", default="target/debug/pitcrew")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    labels = {row["id"]: row for row in read_jsonl(args.labels)}
    # `pitcrew classify` reads exactly its five fields and skips a line
    # with no test name: a pasted text often names none, so the input is
    # rewritten with the id standing in for it (an id says nothing the
    # rules read) and an empty file as none.
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8") as cases:
        for row in read_jsonl(args.failures):
            case = {
                "id": row["id"],
                "test_name": row.get("test_name") or row["id"],
                "file": row.get("file") or None,
                "message": row.get("message", ""),
                "details": row.get("details", ""),
            }
            cases.write(json.dumps(case) + "\n")
        cases.flush()
        run = subprocess.run(
            [args.pitcrew, "classify", cases.name, "--format", "jsonl", "--no-route"],
            capture_output=True,
            text=True,
            check=False,
        )
    if run.returncode != 0:
        sys.exit(f"pitcrew classify exited {run.returncode}: {run.stderr.strip()}")
    answers = {row["id"]: row for row in (json.loads(l) for l in run.stdout.splitlines() if l)}
    missing = sorted(set(labels) - set(answers))
    if missing:
        sys.exit(f"no answer for {len(missing)} ids, first {missing[0]}")

    ids = sorted(labels)
    category = [(labels[i]["category"], answers[i]["category"]) for i in ids]
    specialty = [(labels[i]["specialty"], answers[i]["specialty"]) for i in ids]
    language = [(labels[i]["language"], answers[i]["language"]) for i in ids]
    confident = [i for i in ids if answers[i]["confidence"] >= CONFIDENT]
    confidently_wrong = [i for i in confident if answers[i]["category"] != labels[i]["category"]]
    n = len(ids)
    figures = {
        "texts": n,
        "category": sum(w == g for w, g in category) / n,
        "macro_f1": macro_f1(category),
        "specialty": sum(w == g for w, g in specialty) / n,
        "language": sum(w == g for w, g in language) / n,
        "unknown": sum(1 for _, g in category if g == "unknown"),
        "confidently_wrong": len(confidently_wrong),
        "confident_accuracy": (len(confident) - len(confidently_wrong)) / len(confident)
        if confident
        else 0.0,
        "contested": sum(1 for i in ids if labels[i].get("contested")),
    }
    # Where the labeller saw no other reading: how far the misses are the
    # taxonomy's own boundaries rather than the classifier's.
    clear = [i for i in ids if not labels[i].get("contested")]
    figures["uncontested"] = len(clear)
    figures["uncontested_category"] = (
        sum(1 for i in clear if answers[i]["category"] == labels[i]["category"]) / len(clear)
        if clear
        else 0.0
    )
    figures["uncontested_confidently_wrong"] = sum(1 for i in confidently_wrong if i in clear)
    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"{n} texts: category {figures['category']:.1%}, macro-F1 {figures['macro_f1']:.3f}, "
        f"specialty {figures['specialty']:.1%}, language {figures['language']:.1%}, "
        f"{figures['unknown']} unknown, {len(confidently_wrong)} confidently wrong "
        f"({len(confidently_wrong) / n:.1%}), confident answers {figures['confident_accuracy']:.1%} right"
    )
    print(
        f"{len(clear)} not contested: category {figures['uncontested_category']:.1%}, "
        f"{figures['uncontested_confidently_wrong']} confidently wrong"
    )
    print("misses by expected category:", dict(Counter(w for w, g in category if w != g)))
    for i in ids:
        want, got = labels[i], answers[i]
        wrong = [
            f"{key} {want[key]}->{got[key]}"
            for key in ("category", "specialty", "language")
            if want[key] != got[key]
        ]
        if wrong:
            mark = "!" if got["confidence"] >= CONFIDENT and want["category"] != got["category"] else " "
            contested = " (contested)" if want.get("contested") else ""
            print(f"{mark} {i} {got['confidence']:.2f} {', '.join(wrong)}{contested}")


if __name__ == "__main__":
    main()
