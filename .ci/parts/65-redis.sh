#!/usr/bin/env bash
# The Redis rate-limit store (issue 17) against a real redis-server on loopback: the
# same answers as the in-memory store, expiry on Redis's clock, NOSCRIPT recovery,
# password from a file, store switch on reload, Redis stopped mid-run and stalled by
# DEBUG SLEEP under both failure policies, and three `zego-token serve` processes
# sharing one limit. Each test starts and stops its own redis-server (a free port, no
# persistence), so nothing is left running. ~1-2 min after the workspace build.
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=.ci/lib.sh
. .ci/lib.sh

apt_need redis-server
redis-server --version

step "Redis store: limiter semantics, failure policies, reload (tests/redis.rs)"
cargo test -p zego-token-server --locked --test redis

step "Redis store: three replicas of zego-token serve, one shared limit (5 s)"
REDIS_REPLICA_TEST_SECONDS=5 cargo test -p zego-token-cli --locked --test redis

step "the service builds without the redis feature"
cargo check -p zego-token-server --locked --no-default-features
