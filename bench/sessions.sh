#!/usr/bin/env bash
# Session benchmarks, in one run against one server on PostgreSQL:
#  - throughput of GET /v1/me (session check) against GET /health, with wrk (target ratio >= 0.8);
#  - rate of POST /v1/sessions with cached identity-provider keys (target >= 1,000 sessions/s).
#   bench/sessions.sh [seconds]     (build first: mvn -q -DskipTests install; needs wrk)
# JAR=<path> measures another build of the jar (A/B runs).
# PostgreSQL: SWITCHBOARD_BENCH_DB_URL (default jdbc:postgresql://127.0.0.1:5432/test?user=postgres),
# each run in a fresh database created on that server.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
jar=${JAR:-distribution/target/switchboard.jar}
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
admin_url=${SWITCHBOARD_BENCH_DB_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
db=sbbench_$(date +%s)
psql_url=${admin_url#jdbc:}
psql "${psql_url}" -qc "CREATE DATABASE $db" >/dev/null
db_url=$(echo "$admin_url" | sed -E "s#(//[^/]+/)[^?]+#\1$db#")
port=${PORT:-18090}
work=$(mktemp -d)
mkdir -p "$work/home/etc"
printf 'admin.token=bench-admin-token\nallow.insecure.issuers=true\n' > "$work/home/etc/switchboard.identity.cfg"
SWITCHBOARD_MASTER_KEY=bench:$(head -c 32 /dev/urandom | base64) SWITCHBOARD_DB_POOL_SIZE=${SWITCHBOARD_DB_POOL_SIZE:-10} SWITCHBOARD_HOME=$work/home SWITCHBOARD_HTTP_PORT=$port SWITCHBOARD_DB_URL=$db_url SWITCHBOARD_CONSOLE_PASSWORD=bench \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/server.log" 2>&1 &
pid=$!
cleanup() { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; psql "${psql_url}" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ]; do
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }; sleep 0.2; done

cp=$(ls testkit/target/testkit-*.jar | head -1):$(ls testkit.oauth/target/testkit.oauth-*.jar | head -1):$(ls ~/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.10/nimbus-jose-jwt-10.10.jar)
java -cp "$cp" bench/SessionBench.java "http://127.0.0.1:$port" bench-admin-token "$secs" 32 "$work/token"
token=$(cat "$work/token")
# Statistics for the 1,000 new users, as autovacuum would gather them on a production server (the
# local test server runs with autovacuum off; without statistics PostgreSQL's generic plan for the
# user look-up scans every user of the app through the (app_id, created_at) index).
psql "$(echo "${db_url#jdbc:}")" -qc "ANALYZE" >/dev/null
if [ -n "${HOLD:-}" ]; then # keep the server running for manual probing (profiling)
  echo "port=$port work=$work"; sleep "$HOLD"; exit 0; fi
cat > "$work/signin.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local f = io.open("$work/signin.json", "r")
wrk.body = f:read("*a")
f:close()
LUA
cat > "$work/signins.lua" <<LUA
bodies = {}
for line in io.lines("$work/signins.txt") do bodies[#bodies + 1] = line end
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, bodies[(counter % #bodies) + 1])
end
LUA
# warm-up: the JIT needs about a minute of sign-ins on two cores before the rate settles (WARMUP, seconds)
wrk -t2 -c32 -d"${WARMUP:-60}s" -s "$work/signins.lua" "http://127.0.0.1:$port/v1/sessions" > /dev/null
wrk -t2 -c32 -d"${secs}s" --latency -s "$work/signins.lua" "http://127.0.0.1:$port/v1/sessions" > "$work/signins.txt.out"
echo "POST /v1/sessions (wrk, 999 users in turn): $(grep 'Requests/sec' "$work/signins.txt.out" | awk '{print $2}') sessions/s (p99 $(grep -A4 'Latency Distribution' "$work/signins.txt.out" | grep '99%' | awk '{print $2}')), non-2xx: $(grep -c 'Non-2xx' "$work/signins.txt.out" || true)"
wrk -t2 -c32 -d"${secs}s" --latency -s "$work/signin.lua" "http://127.0.0.1:$port/v1/sessions" > "$work/signin.txt"
echo "POST /v1/sessions (wrk, one user signing in again and again): $(grep 'Requests/sec' "$work/signin.txt" | awk '{print $2}') sessions/s (p99 $(grep -A4 'Latency Distribution' "$work/signin.txt" | grep '99%' | awk '{print $2}')), non-2xx: $(grep -c 'Non-2xx' "$work/signin.txt" || true)"

rps() { grep 'Requests/sec' | awk '{print $2}'; }
p99() { grep -A4 'Latency Distribution' | grep '99%' | awk '{print $2}'; }
wrk -t2 -c32 -d"${secs}s" --latency "http://127.0.0.1:$port/health" > "$work/health.txt"
wrk -t2 -c32 -d"${secs}s" --latency -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/me" > "$work/me.txt"
h=$(rps < "$work/health.txt"); m=$(rps < "$work/me.txt")
echo "GET /health: $h req/s (p99 $(p99 < "$work/health.txt"))"
echo "GET /v1/me:  $m req/s (p99 $(p99 < "$work/me.txt"))"
echo "ratio /v1/me : /health = $(echo "scale=2; $m / $h" | bc)"
