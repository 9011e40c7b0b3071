#!/usr/bin/env python3
"""Wall time of the Action's install step, uncached and cached.

Serves a release of a real pitcrew binary from 127.0.0.1 the way GitHub does
(the release URL answers 302 to a download host) and times
`scripts/action/install.sh download` as a runner runs it: with an empty tool
cache (download, sha256 check, unpack) and with the binary already cached.

    python3 scripts/bench-action-install.py [--binary PATH] [--runs N]

The binary defaults to $CARGO_TARGET_DIR/release/pitcrew (else debug/).
"""

import argparse
import hashlib
import http.server
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "v0.0.0-bench"
ASSET = f"pitcrew-{TAG}-x86_64-unknown-linux-gnu.tar.gz"


def default_binary() -> Path:
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    for profile in ("release", "debug"):
        if (target / profile / "pitcrew").exists():
            return target / profile / "pitcrew"
    sys.exit("no pitcrew binary: build one or pass --binary")


def serve(handler) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def release_hosts(releases: Path):
    class Objects(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            path = releases / self.path.split("?")[0].lstrip("/")
            if not path.is_file():
                self.send_error(404)
                return
            body = path.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    objects = serve(Objects)
    download = f"http://127.0.0.1:{objects.server_address[1]}"

    class GitHub(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            prefix = "/owner/pitcrew/releases/download/"
            if not self.path.startswith(prefix):
                self.send_error(404)
                return
            self.send_response(302)
            self.send_header("Location", f"{download}/{self.path[len(prefix):]}")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    github = serve(GitHub)
    return f"http://127.0.0.1:{github.server_address[1]}/owner/pitcrew/releases/download"


def install(base: str, work: Path, cache: Path) -> float:
    action = work / "action"
    env = {
        "PATH": os.environ["PATH"],
        "RUNNER_OS": "Linux",
        "RUNNER_ARCH": "X64",
        "RUNNER_TOOL_CACHE": str(cache),
        "RUNNER_TEMP": str(work / "temp"),
        "GITHUB_PATH": str(work / "github_path"),
        "PITCREW_ACTION_PATH": str(action),
        "PITCREW_REPOSITORY": "owner/pitcrew",
        "PITCREW_ACTION_REF": TAG,
        "PITCREW_RELEASE_URL": base,
    }
    start = time.perf_counter()
    done = subprocess.run(
        ["bash", str(ROOT / "scripts/action/install.sh"), "download"],
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or "installed=true" not in done.stdout:
        sys.exit(f"install failed: {done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    binary = args.binary or default_binary()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        releases = work / "releases" / TAG
        releases.mkdir(parents=True)
        with tarfile.open(releases / ASSET, "w:gz") as tar:
            tar.add(binary, arcname="pitcrew")
        digest = hashlib.sha256((releases / ASSET).read_bytes()).hexdigest()
        (releases / "SHA256SUMS").write_text(f"{digest}  {ASSET}\n")
        for sub in ("action", "temp"):
            (work / sub).mkdir()
        (work / "action" / "Cargo.lock").write_text("lock")
        (work / "github_path").write_text("")
        base = release_hosts(work / "releases")

        uncached, cached = [], []
        for run in range(args.runs):
            cache = work / f"toolcache-{run}"
            uncached.append(install(base, work, cache))
            cached.append(install(base, work, cache))

    size = (binary.stat().st_size) / 2**20
    cold, warm = statistics.median(uncached), statistics.median(cached)
    print(f"binary: {binary} ({size:.1f} MiB uncompressed), {args.runs} runs each")
    print(f"install, empty tool cache: median {cold:.2f} s (min {min(uncached):.2f}, max {max(uncached):.2f})")
    print(f"install, cached binary:    median {warm:.2f} s (min {min(cached):.2f}, max {max(cached):.2f})")
    print(f"cached / uncached: {warm / cold:.2f}")


if __name__ == "__main__":
    main()
