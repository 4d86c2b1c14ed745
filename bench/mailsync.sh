#!/usr/bin/env bash
# Mail sync benchmark (issue 16): one instance of the jar with README command 1's JVM options
# (-Xmx128m) on PostgreSQL, the providers' fakes in the benchmark's JVM. Initial sync of a
# [messages]-message mailbox on Graph and on Gmail with the heap's peak, against the reference of
# the fake's own delta pages read directly (alternating between rounds); an incremental round of
# 100 changes; [mailboxes] Microsoft mailboxes switched on at once, with the most requests one had
# at once at Graph. Results: distribution/target/mailsync-bench.md.
#   bench/mailsync.sh [messages] [rounds] [mailboxes]      (build first: mvn -q -DskipTests install)
# PostgreSQL: SWITCHBOARD_TEST_DB_URL (e.g. jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# else an embedded one.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o verify -pl distribution -Dit.test=MailSyncBench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.mailsync=true -Dbench.messages="${1:-10000}" -Dbench.rounds="${2:-2}" -Dbench.mailboxes="${3:-200}" \
  -Dbench.out="$PWD/distribution/target/mailsync-bench.md" >/dev/null || true
cat distribution/target/mailsync-bench.md
