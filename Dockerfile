# syntax=docker/dockerfile:1
# pitcrew in a container: the binary on a slim base, run as a non-root user.
# The plugins are embedded in the binary at build time.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-wasip2
COPY . .
# The registry and the target directory live in BuildKit cache mounts, so a
# rebuild after a source change recompiles pitcrew, not wasmtime.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
    && cp target/release/pitcrew /usr/local/bin/pitcrew

FROM debian:bookworm-slim
# CA certificates: the GitHub API and model endpoints are reached over HTTPS.
# Debian's stable security updates, not a pinned version, are what we want.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /usr/local/bin/pitcrew /usr/local/bin/pitcrew
RUN useradd --create-home --uid 10001 pitcrew
USER 10001
WORKDIR /work
ENTRYPOINT ["pitcrew"]
CMD ["--help"]
