#!/usr/bin/env bash
# Installs pitcrew for the GitHub Action, in seconds when a release exists.
#
#   install.sh download   the release binary for this runner, sha256-checked,
#                         kept in the runner's tool cache; prints
#                         `installed=true|false` and `cache-key=…` lines for
#                         $GITHUB_OUTPUT (false: no matching release, build it)
#   install.sh build      cargo build from the action's own checkout (the
#                         action pinned to a branch or a commit)
#
# Both end by putting the binary's folder on $GITHUB_PATH and printing
# `path=…`. Everything comes from the environment, never from `${{ }}`
# interpolation (the Action maps its inputs to these variables):
#
#   PITCREW_ACTION_PATH   the action's checkout (github.action_path)
#   PITCREW_REPOSITORY    owner/name the release comes from (github.action_repository)
#   PITCREW_ACTION_REF    the ref the action was used at (github.action_ref)
#   PITCREW_VERSION       a release tag that overrides the ref (input `version`)
#   PITCREW_RELEASE_URL   releases/download base; defaults to
#                         $GITHUB_SERVER_URL/$PITCREW_REPOSITORY/releases/download
#   RUNNER_OS RUNNER_ARCH RUNNER_TOOL_CACHE RUNNER_TEMP GITHUB_PATH   from the runner
#
# No token is sent: release assets of a public repository need none, and the
# download redirects to another host that must never see one.
set -euo pipefail

die() {
  echo "::error title=pitcrew install::$*" >&2
  exit 1
}
note() { echo "::notice title=pitcrew install::$*"; }

# A Windows path from the runner becomes one bash can use, and back.
unix_path() { if command -v cygpath >/dev/null 2>&1; then cygpath -u "$1"; else printf '%s\n' "$1"; fi; }
native_path() { if command -v cygpath >/dev/null 2>&1; then cygpath -w "$1"; else printf '%s\n' "$1"; fi; }

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1 # macOS
  fi
}

# The Rust target a release is built for, from the runner's OS and arch.
target_of() {
  case "$1/$2" in
    Linux/X64) echo x86_64-unknown-linux-gnu ;;
    Linux/ARM64) echo aarch64-unknown-linux-gnu ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
  esac
}

# The release tag to install: the `version` input, else the action's ref when
# it is a version tag (v1.2.3); empty when there is none (a branch or a SHA).
release_tag() {
  local tag="${PITCREW_VERSION:-}"
  if [ -n "$tag" ]; then
    case "$tag" in v*) ;; *) tag="v$tag" ;; esac
  elif [[ "${PITCREW_ACTION_REF:-}" =~ ^v[0-9]+(\.[0-9]+){0,2}([-+][0-9A-Za-z.-]+)?$ ]]; then
    tag="$PITCREW_ACTION_REF"
  fi
  if [ -n "$tag" ] && ! [[ "$tag" =~ ^v[0-9A-Za-z.+-]+$ ]]; then
    die "input 'version': '$tag' is not a release tag such as v0.2.0"
  fi
  printf '%s\n' "$tag"
}

# Inside a composite action `github.action_ref` and `github.action_repository`
# can be empty (actions/runner#2473); the runner keeps the action's checkout at
# .../_actions/OWNER/NAME/REF, which says the same.
from_action_path() {
  local path
  path="$(unix_path "${PITCREW_ACTION_PATH:-}")"
  if [[ "$path" =~ /_actions/([^/]+)/([^/]+)/([^/]+)/?$ ]]; then
    : "${PITCREW_REPOSITORY:=${BASH_REMATCH[1]}/${BASH_REMATCH[2]}}"
    : "${PITCREW_ACTION_REF:=${BASH_REMATCH[3]}}"
  fi
}

exe_name() { if [ "${RUNNER_OS:-}" = Windows ]; then echo pitcrew.exe; else echo pitcrew; fi; }

publish() {
  local dir="$1"
  [ -x "$dir/$(exe_name)" ] || die "no $(exe_name) in $dir"
  native_path "$dir" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
  echo "path=$(native_path "$dir/$(exe_name)")"
}

# curl with retries; -L follows GitHub's redirect to its download host, and
# no credential is ever given to it.
fetch() {
  curl -fsSL --retry 3 --connect-timeout 20 --proto "$1" --proto-redir "$1" -o "$3" "$2"
}

download() {
  local tag target cache dir asset base work expected actual protocols
  tag="$(release_tag)"
  # What a source build is cached by: the lockfile.
  echo "cache-key=$(sha256_of "$(unix_path "${PITCREW_ACTION_PATH:?}")/Cargo.lock")"

  if [ -z "$tag" ]; then
    note "the action is used at '${PITCREW_ACTION_REF:-?}', not a release tag: building pitcrew from its source"
    echo "installed=false"
    return
  fi
  if ! target="$(target_of "${RUNNER_OS:-?}" "${RUNNER_ARCH:-?}")"; then
    note "no release binary for ${RUNNER_OS:-?} ${RUNNER_ARCH:-?}: building pitcrew from source"
    echo "installed=false"
    return
  fi

  cache="$(unix_path "${RUNNER_TOOL_CACHE:?}")/pitcrew/${tag#v}"
  dir="$cache/${RUNNER_ARCH}"
  if [ -f "$cache/${RUNNER_ARCH}.complete" ] && [ -x "$dir/$(exe_name)" ]; then
    echo "installed=true"
    publish "$dir"
    return
  fi

  asset="pitcrew-$tag-$target.tar.gz"
  base="${PITCREW_RELEASE_URL:-${GITHUB_SERVER_URL:-https://github.com}/${PITCREW_REPOSITORY:?}/releases/download}"
  work="$(mktemp -d "$(unix_path "${RUNNER_TEMP:-/tmp}")/pitcrew-install.XXXXXX")"
  # HTTPS only, redirects included; plain HTTP only to this machine (a local
  # mirror, or the tests' release server on 127.0.0.1).
  protocols='=https'
  case "$base" in
    http://127.0.0.1[:/]* | http://localhost[:/]*) protocols='=https,http' ;;
  esac
  if ! fetch "$protocols" "$base/$tag/$asset" "$work/$asset" ||
    ! fetch "$protocols" "$base/$tag/SHA256SUMS" "$work/SHA256SUMS"; then
    note "no release asset $asset for $tag: building pitcrew from source"
    echo "installed=false"
    return
  fi

  # A checksum that does not match is corruption or tampering: stop, never
  # fall back to something else.
  expected="$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")"
  [ -n "$expected" ] || die "SHA256SUMS of $tag has no line for $asset"
  actual="$(sha256_of "$work/$asset")"
  [ "$expected" = "$actual" ] || die "$asset: sha256 $actual does not match SHA256SUMS ($expected)"

  mkdir -p "$dir"
  tar -xzf "$work/$asset" -C "$dir"
  touch "$cache/${RUNNER_ARCH}.complete"
  rm -rf "$work"
  echo "installed=true"
  publish "$dir"
}

build() {
  local src target_dir
  src="$(unix_path "${PITCREW_ACTION_PATH:?}")"
  target_dir="${CARGO_TARGET_DIR:-$(unix_path "${RUNNER_TEMP:-/tmp}")/pitcrew-target}"
  command -v cargo >/dev/null 2>&1 || die "no release to download and no cargo on this runner to build pitcrew: set input 'version' to a release"
  rustup target add wasm32-wasip2 >&2
  CARGO_TARGET_DIR="$target_dir" cargo build --release --locked --manifest-path "$src/Cargo.toml" >&2
  mkdir -p "$target_dir/pitcrew-bin"
  cp "$target_dir/release/$(exe_name)" "$target_dir/pitcrew-bin/"
  publish "$target_dir/pitcrew-bin"
}

from_action_path
case "${1:-}" in
  download) download ;;
  build) build ;;
  *) die "usage: install.sh download|build" ;;
esac
