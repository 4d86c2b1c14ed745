#!/usr/bin/env bash
# Runs in-container tests N times in a row and counts the passes of each test method: the
# evidence that timing-sensitive tests hold on this machine (issue 17). Nothing is retried.
#   bench/repeat-tests.sh 20 'ProxyIT#addIns*+aHundred*,RuntimeIT#slowSenders*,BodyTimeoutIT'
# Extra Maven options (e.g. -Dmaven.repo.local=...) come from MVN_OPTS_EXTRA. Needs a prior
# `mvn install -DskipTests` of the same checkout.
set -euo pipefail
runs=${1:?how many runs}
tests=${2:?the it.test filter}
cd "$(dirname "$0")/.."
out=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  rm -rf distribution/target/failsafe-reports
  mvn -B -o ${MVN_OPTS_EXTRA:-} verify -pl distribution -Dit.test="$tests" -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    > "$out/run-$i.log" 2>&1 || true
  for report in distribution/target/failsafe-reports/TEST-*.xml; do
    python3 - "$report" "$i" >> "$out/results.tsv" <<'PY'
import sys, xml.etree.ElementTree as ET
for case in ET.parse(sys.argv[1]).getroot().iter('testcase'):
    failed = case.find('failure') is not None or case.find('error') is not None
    print(f"{case.get('classname').split('.')[-1]}#{case.get('name')}\t{sys.argv[2]}\t{'fail' if failed else 'pass'}\t{case.get('time')}")
PY
  done
  echo "run $i/$runs done: $(grep -c "	$i	pass" "$out/results.tsv" || true) passed, $(grep -c "	$i	fail" "$out/results.tsv" || true) failed" >&2
done
echo "| test | passes | runs | seconds (min–max) |"
echo "|---|---|---|---|"
python3 - "$out/results.tsv" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, run, result, secs = line.rstrip('\n').split('\t')
    rows[name].append((result, float(secs)))
for name, results in sorted(rows.items()):
    passes = sum(1 for r, _ in results if r == 'pass')
    times = [s for _, s in results]
    print(f"| {name} | {passes} | {len(results)} | {min(times):.1f}–{max(times):.1f} |")
PY
echo "logs: $out" >&2
