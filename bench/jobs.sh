#!/usr/bin/env bash
# Jobs benchmark (issue 15): no-op run throughput with 1 and 3 instances on one PostgreSQL, and
# commit-to-start latency (p50/p99) of a run due now, through LISTEN/NOTIFY. 1 and 3 instances
# alternate within the run. Results: distribution/target/jobs-bench.md.
#   bench/jobs.sh [runs] [rounds]      (build first: mvn -q -DskipTests install)
# PostgreSQL: SWITCHBOARD_TEST_DB_URL (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# else an embedded one; BENCH_THREADS sets each instance's workers (default 8), BENCH_FETCH_BATCH the
# runs picked per statement as a multiple of them (fetch.batch, default 4.0; a list such as 1.0,4.0
# measures each, alternating).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o verify -pl distribution -Dit.test=JobsBench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.jobs=true -Dbench.runs="${1:-20000}" -Dbench.rounds="${2:-2}" -Dbench.threads="${BENCH_THREADS:-8}" -Dbench.fetch.batch="${BENCH_FETCH_BATCH:-4.0}" \
  -Dbench.out="$PWD/distribution/target/jobs-bench.md" >/dev/null || true
cat distribution/target/jobs-bench.md
