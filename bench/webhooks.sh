#!/usr/bin/env bash
# Webhooks benchmark (issue 15): deliveries per second from one instance on PostgreSQL to a local
# receiver (10 endpoints, and 1 endpoint held to its 4 deliveries in flight), no-op job runs as the
# reference measured in the same instance, alternating between rounds; and event-to-delivery
# latency (p50/p99). Results: distribution/target/webhooks-bench.md.
#   bench/webhooks.sh [events] [rounds]      (build first: mvn -q -DskipTests install)
# PostgreSQL: SWITCHBOARD_TEST_DB_URL (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# else an embedded one; BENCH_THREADS sets the instance's job workers (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o verify -pl distribution -Dit.test=WebhooksBench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.webhooks=true -Dbench.events="${1:-10000}" -Dbench.rounds="${2:-3}" -Dbench.threads="${BENCH_THREADS:-8}" \
  -Dbench.out="$PWD/distribution/target/webhooks-bench.md" >/dev/null || true
cat distribution/target/webhooks-bench.md
