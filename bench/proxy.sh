#!/usr/bin/env bash
# Proxy benchmark, in one run against one local upstream (nginx, one worker, serving a fixed JSON):
#  (a) the upstream directly, (b) nginx (one worker) as a reverse proxy to it, (c) Switchboard's
#  /v1/proxy with a real session and a cached token, (d) the stack's ceiling: the thinnest proxies
#  Jetty 12 allows (bench/JettyProxy.java: no OSGi, none of Switchboard's work; CEILING and
#  EXTRA_CEILINGS choose among a core handler, the same declared non-blocking, and an asynchronous
#  servlet shaped like Switchboard's); wrk at
#  32 and 128 connections. Every target gets the same request, the session's Authorization header
#  (~900 bytes) included: nginx and (d) forward it, Switchboard checks it and drops it.
#  Targets (issue 5): (c) >= 0.7 x (b) requests/s, and <= 2 ms added p99 over (a).
#   bench/proxy.sh [seconds]     (build first: mvn -q -DskipTests install; needs wrk and nginx)
# Switchboard runs on the embedded H2 default (a cached token needs no database); JAVA_OPTS is passed to java.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "needs nginx (apt-get install nginx)" >&2; exit 1; }
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
jar=${JAR:-distribution/target/switchboard.jar}
[ -f "$jar" ] || { echo "build first: mvn -q -DskipTests install" >&2; exit 1; }
up_port=${UP_PORT:-18201}; nx_port=${NX_PORT:-18202}; sb_port=${SB_PORT:-18203}; jp_port=${JP_PORT:-18204}
work=$(mktemp -d)
mkdir -p "$work/home/etc" "$work/nginx"
cat > "$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fcgi; uwsgi_temp_path $work/nginx/uwsgi; scgi_temp_path $work/nginx/scgi;
  upstream api { server 127.0.0.1:$up_port; keepalive 256; }
  server { listen 127.0.0.1:$up_port; default_type application/json;
    location / { return 200 '{"id":"003xx000004TmiQAAS","LastName":"Lovelace","Email":"ada@example.com","done":true}'; } }
  server { listen 127.0.0.1:$nx_port;
    location / { proxy_pass http://api; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
"$nginx_bin" -c "$work/nginx/nginx.conf"
printf 'admin.token=bench-admin-token\nallow.insecure.issuers=true\n' > "$work/home/etc/switchboard.identity.cfg"
# the upstream and the OAuth fake listen on loopback, which the SSRF rules refuse outside tests
# (switchboard.outbound.cfg since the vault/linking/outbound split; the older names for A/B runs against older jars)
printf 'allow.private.addresses=true\n' > "$work/home/etc/switchboard.outbound.cfg"
printf 'master.key=\nallow.private.addresses=true\n' > "$work/home/etc/switchboard.tokens.cfg"
printf 'allow.private.addresses=true\n' > "$work/home/etc/switchboard.proxy.cfg"
SWITCHBOARD_HOME=$work/home SWITCHBOARD_HTTP_PORT=$sb_port SWITCHBOARD_CONSOLE_PASSWORD=bench \
  java ${JAVA_OPTS:-} -jar "$jar" > "$work/server.log" 2>&1 &
pid=$!
helper=; ceiling=
cleanup() {
  kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true
  [ -n "$helper" ] && { kill $helper 2>/dev/null || true; }
  [ -n "$ceiling" ] && { kill $ceiling 2>/dev/null || true; }
  "$nginx_bin" -c "$work/nginx/nginx.conf" -s stop 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$sb_port/health")" = 200 ]; do
  kill -0 $pid 2>/dev/null || { cat "$work/server.log"; exit 1; }; sleep 0.2; done
cp=$(ls testkit/target/testkit-*.jar | head -1):$(ls testkit.oauth/target/testkit.oauth-*.jar | head -1):$(ls ~/.m2/repository/com/nimbusds/nimbus-jose-jwt/10.10/nimbus-jose-jwt-10.10.jar)
java -cp "$cp" bench/ProxyBench.java "http://127.0.0.1:$sb_port" bench-admin-token "$work/home/etc" "http://127.0.0.1:$up_port/services/data/v60.0" "$work" &
helper=$!
until [ -f "$work/ready" ]; do kill -0 $helper 2>/dev/null || { echo "bench set-up failed" >&2; exit 1; }; sleep 0.2; done
session=$(cat "$work/session"); account=$(cat "$work/account")
# (d) the ceiling probe, on Jetty 12.0.32 (Switchboard's client version) from the local Maven repository;
#  CEILING picks its shape (core, core-nb or servlet: see bench/JettyProxy.java), EXTRA_CEILINGS adds
#  others, each measured after the main table in a JVM of its own
m2=~/.m2/repository; jv=12.0.32
jars="org.eclipse.jetty:jetty-server org.eclipse.jetty:jetty-client org.eclipse.jetty:jetty-session org.eclipse.jetty:jetty-security org.eclipse.jetty.ee10:jetty-ee10-servlet"
for a in $jars; do g=${a%%:*}; n=${a##*:}
  [ -f $m2/${g//.//}/$n/$jv/$n-$jv.jar ] || mvn -q dependency:get -Dartifact=$a:$jv >/dev/null; done
[ -f $m2/jakarta/servlet/jakarta.servlet-api/6.0.0/jakarta.servlet-api-6.0.0.jar ] || mvn -q dependency:get -Dartifact=jakarta.servlet:jakarta.servlet-api:6.0.0 >/dev/null
jcp=$(ls $m2/org/eclipse/jetty/jetty-{server,http,io,util,client,session,security}/$jv/jetty-*-$jv.jar $m2/org/eclipse/jetty/ee10/jetty-ee10-servlet/$jv/jetty-ee10-servlet-$jv.jar \
  $m2/jakarta/servlet/jakarta.servlet-api/6.0.0/jakarta.servlet-api-6.0.0.jar | tr '\n' ':')$(ls $m2/org/slf4j/slf4j-api/2.0.*/slf4j-api-2.0.*.jar | tail -1)
start_ceiling() { # mode
  [ -n "$ceiling" ] && { kill $ceiling 2>/dev/null || true; wait $ceiling 2>/dev/null || true; }
  java ${JAVA_OPTS:-} -cp "$jcp" bench/JettyProxy.java "http://127.0.0.1:$up_port" $jp_port "$1" > "$work/ceiling.log" 2>&1 &
  ceiling=$!
  until grep -q ready "$work/ceiling.log" 2>/dev/null; do kill -0 $ceiling 2>/dev/null || { cat "$work/ceiling.log"; exit 1; }; sleep 0.2; done
}
start_ceiling "${CEILING:-core}"
path=sobjects/Contact/003xx000004TmiQAAS
# /v1/proxy takes the provider's own root-relative path since the native-paths change; NATIVE=0 for
# A/B runs against older jars, which appended the path to the account's base URL
if [ "${NATIVE:-1}" = 0 ]; then sb_path=$path; else sb_path=services/data/v60.0/$path; fi
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$session" > "$work/auth.lua"
run() { # name url connections
  local out="$work/$1-$3.txt"
  wrk -t2 -c"$3" -d"${secs}s" --latency -s "$work/auth.lua" "$2" > "$out"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out"); p50=$(awk '/ 50%/ {print $2}' "$out"); p99=$(awk '/ 99%/ {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out"); echo "| $1 | $3 | ${rps} | ${p50} | ${p99} | ${non2xx:-0} |"
}
if [ -n "${HOLD:-}" ]; then # keep everything running for manual probing
  echo "session=$session account=$account sb=http://127.0.0.1:$sb_port/v1/proxy/$account/$sb_path up=$up_port nx=$nx_port"; sleep "$HOLD"; exit 0; fi
# warm-up: C2 needs about a minute of load on two cores before the figures settle
wrk -t2 -c32 -d${WARMUP:-45}s -s "$work/auth.lua" "http://127.0.0.1:$sb_port/v1/proxy/$account/$sb_path" > /dev/null
wrk -t2 -c32 -d${WARMUP:-45}s -s "$work/auth.lua" "http://127.0.0.1:$jp_port/services/data/v60.0/$path" > /dev/null
echo "| target | connections | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
for c in 32 128; do
  run direct "http://127.0.0.1:$up_port/services/data/v60.0/$path" $c
  run nginx "http://127.0.0.1:$nx_port/services/data/v60.0/$path" $c
  run switchboard "http://127.0.0.1:$sb_port/v1/proxy/$account/$sb_path" $c
  run "jetty-${CEILING:-core}" "http://127.0.0.1:$jp_port/services/data/v60.0/$path" $c
done
for mode in ${EXTRA_CEILINGS:-}; do
  start_ceiling "$mode"
  wrk -t2 -c32 -d${WARMUP:-45}s -s "$work/auth.lua" "http://127.0.0.1:$jp_port/services/data/v60.0/$path" > /dev/null
  for c in 32 128; do run "jetty-$mode" "http://127.0.0.1:$jp_port/services/data/v60.0/$path" $c; done
done
