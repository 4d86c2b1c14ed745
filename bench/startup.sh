#!/usr/bin/env bash
# Measures, on the built jar, the time from `java -jar` to the first 200 from GET /health and
# the resident memory (RSS) once it answers, over several runs; prints the medians.
#   bench/startup.sh [runs]       (build first: mvn -q -DskipTests package)
# "first start" = a new, empty home folder (bundles unpacked into the framework cache, H2
# created, schema migrated); "restart" = the same home again (the normal case for a server).
# JAVA_OPTS is passed to java (default: the options of README command 1, with the class-data
# archive that the build writes; JAVA_OPTS= measures the JVM's defaults).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=distribution/target/switchboard.jar
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests package" >&2; exit 1; }
port=${PORT:-18080}
opts=${JAVA_OPTS-"-XX:SharedArchiveFile=distribution/target/switchboard.jsa -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m -Xss256k -XX:ReservedCodeCacheSize=32m"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }

# one_run HOME -> prints "<ms to first 200> <rss MiB at first 200> <rss MiB 5 s later>"
one_run() {
  local home=$1 start pid ms rss rss5
  start=$(now)
  SWITCHBOARD_HOME=$home SWITCHBOARD_HTTP_PORT=$port SWITCHBOARD_CONSOLE_PASSWORD=bench \
    java $opts -jar "$jar" > "$home.log" 2>&1 &
  pid=$!
  while :; do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health")" = 200 ]; then break; fi
    if ! kill -0 $pid 2>/dev/null; then echo "server died; see $home.log" >&2; cat "$home.log" >&2; exit 1; fi
    sleep 0.02
  done
  ms=$(( ($(now) - start) / 1000000 ))
  if grep -q "Unable to use shared archive" "$home.log"; then echo "note: the JVM did not use the class-data archive (rebuild: mvn -q -DskipTests package)" >&2; fi
  rss=$(awk '/VmRSS/ {printf "%d", $2/1024}' /proc/$pid/status)
  sleep 5
  rss5=$(awk '/VmRSS/ {printf "%d", $2/1024}' /proc/$pid/status)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$ms $rss $rss5"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

first=(); restart=()
for i in $(seq 1 "$runs"); do
  home="$work/home$i"
  first+=("$(one_run "$home")")
  restart+=("$(one_run "$home")")
done

report() {
  local label=$1; shift
  printf '%-13s first 200: %5s ms (%s)   RSS at 200: %4s MiB   RSS +5 s: %4s MiB   (runs: %s)\n' "$label" \
    "$(printf '%s\n' "$@" | cut -d' ' -f1 | median)" \
    "$(printf '%s\n' "$@" | cut -d' ' -f1 | sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "-" hi}')" \
    "$(printf '%s\n' "$@" | cut -d' ' -f2 | median)" \
    "$(printf '%s\n' "$@" | cut -d' ' -f3 | median)" "$#"
}
echo "java: $(java -version 2>&1 | head -1); JAVA_OPTS: ${opts:-<none>}; $(nproc) cores"
report "first start" "${first[@]}"
report "restart" "${restart[@]}"
