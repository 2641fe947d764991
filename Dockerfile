# syntax=docker/dockerfile:1
#
# The token service as a container image: a glibc release build of `zego-token` on
# distroless (no shell, no package manager), run as a fixed non-root user, configured by
# the environment alone, with the ServerSecret mounted as a file under /run/secrets.
#
#   docker build -t zego-token \
#     --build-arg ZEGO_BUILD_COMMIT="$(git rev-parse --short=12 HEAD)" \
#     --build-arg ZEGO_BUILD_DATE="$(git log -1 --format=%cs)" .
#   docker compose up          # compose.yaml: the same image with its secret and config
#
# deploy/README.md has the run commands; deploy/container/contract-test.sh runs the
# release binary exactly as ENTRYPOINT, CMD, ENV, USER and HEALTHCHECK below say
# (.ci/parts/73-container.sh), so this file and that test cannot drift apart.
# No secret is ever a build argument, an ENV value or a file of any layer: the image
# holds no app, key or secret at all; they come at run time.

ARG RUST_VERSION=1.95

# ---- build -------------------------------------------------------------------------
FROM rust:${RUST_VERSION}-slim-bookworm AS build
WORKDIR /src

# 1. Dependencies, fetched from the lockfile in a layer of their own: it is rebuilt only
#    when Cargo.lock or a manifest changes, not on every source edit. Cargo reads every
#    workspace member's manifest, so each is copied (the checker in
#    deploy/container/check_dockerfile.py fails when a member is missing here) and given
#    empty stand-in targets until the sources arrive.
COPY Cargo.toml Cargo.lock ./
COPY crates/zego-token/Cargo.toml crates/zego-token/
COPY crates/zego-token-server/Cargo.toml crates/zego-token-server/
COPY crates/zego-token-cli/Cargo.toml crates/zego-token-cli/
COPY crates/zego-token-ffi/Cargo.toml crates/zego-token-ffi/
COPY bindings/python/Cargo.toml bindings/python/
COPY bindings/node/Cargo.toml bindings/node/
COPY bindings/java/native/Cargo.toml bindings/java/native/
COPY bench/floor/Cargo.toml bench/floor/
# The stand-ins: src/lib.rs and src/main.rs everywhere, and benches/<name>.rs for each
# `[[bench]]` name (cargo refuses a manifest whose declared targets have no file); they
# are deleted after the fetch, so no stand-in can become a target of the real build.
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN find crates bindings bench -name Cargo.toml -print0 | while IFS= read -r -d '' manifest; do \
      dir="${manifest%/Cargo.toml}"; \
      mkdir -p "$dir/src" "$dir/benches"; \
      touch "$dir/src/lib.rs" "$dir/src/main.rs"; \
      sed -n '/^\[\[bench\]\]/,/^name/s/^name *= *"\(.*\)"/\1/p' "$manifest" | while read -r bench; do \
        touch "$dir/benches/$bench.rs"; \
      done; \
    done; \
    cargo fetch --locked; \
    find crates bindings bench -name '*.rs' -delete

# 2. The sources, then the release build. The cache mount keeps compiled dependencies
#    between builds on the same builder (the binary is copied out of it); the sources
#    are touched so that cargo never takes a cached build of other sources for fresh
#    (COPY keeps the context's modification times).
COPY . .
# Stamps for `zego-token --version` (.git is not in the build context). Not secrets.
ARG ZEGO_BUILD_COMMIT=unknown
ARG ZEGO_BUILD_DATE=unknown
RUN --mount=type=cache,target=/src/target,id=zego-token-target,sharing=locked \
    find crates bindings -name '*.rs' -exec touch {} +; \
    ZEGO_BUILD_COMMIT="$ZEGO_BUILD_COMMIT" ZEGO_BUILD_DATE="$ZEGO_BUILD_DATE" \
      cargo build --release --locked -p zego-token-cli; \
    install -D -m 0755 target/release/zego-token /out/zego-token; \
    /out/zego-token --version

# ---- runtime -----------------------------------------------------------------------
# distroless/cc: glibc, libgcc, CA certificates (JWKS over https), /etc/passwd with the
# `nonroot` user 65532; nothing else. The build stage's Debian release matches its glibc.
FROM gcr.io/distroless/cc-debian12:nonroot

ARG ZEGO_BUILD_COMMIT=unknown
LABEL org.opencontainers.image.title="zego-token" \
      org.opencontainers.image.description="Token service for ZEGO token04 credentials: mints, verifies and explains tokens so the ServerSecret never leaves the server" \
      org.opencontainers.image.licenses="MIT OR Apache-2.0" \
      org.opencontainers.image.version="0.1.0" \
      org.opencontainers.image.revision="${ZEGO_BUILD_COMMIT}" \
      org.opencontainers.image.documentation="deploy/README.md" \
      org.opencontainers.image.base.name="gcr.io/distroless/cc-debian12:nonroot"

COPY --from=build /out/zego-token /usr/local/bin/zego-token
COPY --from=build /src/LICENSE-MIT /src/LICENSE-APACHE /usr/share/doc/zego-token/

# Config from the environment only (no file). What the image sets is what every
# container needs and holds nothing secret: listen on all interfaces, metrics on their
# own port (so a NetworkPolicy can open them to the scraper alone), one JSON log object
# per line. Apps and API keys come at run time, e.g.
#   ZEGO_TOKEN_APPS__0__APP_ID=1234567890
#   ZEGO_TOKEN_APPS__0__SECRET_FILE=/run/secrets/zego_server_secret
#   ZEGO_TOKEN_API_KEYS__0__NAME=backend  ZEGO_TOKEN_API_KEYS__0__SHA256=<sha256 of the key>
# (DL3064 reads "TOKEN" in the names as sensitive: it is the project's prefix, and the
# values are addresses and a format; check_dockerfile.py refuses secret-like ENV names.)
# hadolint ignore=DL3064
ENV ZEGO_TOKEN_LISTEN=0.0.0.0:8080 \
    ZEGO_TOKEN_METRICS__LISTEN=0.0.0.0:9090 \
    ZEGO_TOKEN_LOG__FORMAT=json

# Numeric, so a runtime can check "non-root" without reading /etc/passwd
# (Kubernetes' runAsNonRoot). Nothing is written anywhere: the root filesystem can be
# read-only, and the working directory is not writable.
USER 65532:65532
WORKDIR /

# 8080: the API, /healthz, /readyz; 9090: /metrics.
EXPOSE 8080/tcp 9090/tcp

# SIGTERM: /readyz turns 503 at once while new connections are still served for
# limits.drain_delay_seconds (default 5), then the listener closes and requests in
# flight finish (limits.shutdown_grace_seconds, default 10). Stop with a timeout above
# their sum: `docker stop -t 30`, compose's stop_grace_period, Kubernetes'
# terminationGracePeriodSeconds (the docker default of 10 s is too short).
STOPSIGNAL SIGTERM

# The binary probes itself (the image has no curl and no shell): exit 0 on a 2xx from
# /readyz, so the container turns unhealthy while it drains.
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/zego-token", "healthcheck", "http://127.0.0.1:8080/readyz"]

ENTRYPOINT ["/usr/local/bin/zego-token"]
CMD ["serve"]
