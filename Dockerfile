# pitcrew in a container: a static-enough binary on a slim base, run as a
# non-root user. The plugins are embedded in the binary at build time.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-wasip2
COPY . .
RUN cargo build --release --locked \
    && cp target/release/pitcrew /usr/local/bin/pitcrew

FROM debian:bookworm-slim
COPY --from=build /usr/local/bin/pitcrew /usr/local/bin/pitcrew
RUN useradd --create-home --uid 10001 pitcrew
USER 10001
WORKDIR /work
ENTRYPOINT ["pitcrew"]
CMD ["--help"]
