#!/usr/bin/env bash
# Held connections (see BENCHMARKS.md): HELD idle kept-alive mutual TLS connections to the starter's benchmark app,
# each after one request, on Tomcat, WebFlux on Netty and Jetty. States the server's heap after a full GC and its
# thread count before and while they are held, a new client's latency while they are held (curl, full handshake),
# that every held connection still answers, and what happens to connections beyond the server's limit (Tomcat:
# server.tomcat.max-connections, set to HELD + 100 here; Netty and Jetty: no limit by default). The PKI of load.sh.
#
# Usage: benchmarks/held.sh   (after the package command of load.sh; needs HELD + BEYOND + 1000 open files per process)
# Knobs (environment): STACKS="tomcat webflux jetty" HELD=10000 BEYOND=40
# Everything binds and connects to 127.0.0.1 only; every step is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/target/held}
# shellcheck source=load.sh
source "$ROOT/benchmarks/load.sh"
HELD=${HELD:-10000}
BEYOND=${BEYOND:-40}
LIMIT=$((HELD + 100))

threads() { awk '/^Threads:/ { print $2 }' "/proc/${PID[$1]}/status"; }

# Median and slowest of 20 requests of a new client (a full handshake each), in ms.
new_client_ms() {
	local port=$1 i
	for i in $(seq 1 20); do
		curl -s -o /dev/null --max-time 10 -w '%{time_total}\n' --cacert "$PKI/ca.crt" --cert "$PKI/client.crt" \
			--key "$PKI/client.key" "https://127.0.0.1:$port/hello"
	done | sort -g | awk '{ v[NR] = $1 * 1000 } END { printf "%.0f %.0f\n", v[int((NR + 1) / 2)], v[NR] }'
}

run() {
	local stack=$1 name p=""
	[[ $stack != tomcat ]] && p="$stack-"
	name="${p}starter"
	SERVER_JAVA_OPTS="$BASE_JAVA_OPTS -Dserver.tomcat.max-connections=$LIMIT"
	start_server "$name"
	local port=${PORT[$name]}
	DURATION=20 keepalive "$name" 20 >/dev/null
	local heap_before threads_before quiet
	heap_before=$(heap_used_mb "$name")
	threads_before=$(threads "$name")
	read -r quiet_median quiet_max < <(new_client_ms "$port")
	coproc CLIENT { timeout 900 java -Xmx2g "$ROOT/benchmarks/held/HeldConnections.java" "$port" "$PKI/client.p12" \
		"$PKI/ca.crt"; }
	local opened checked beyond after
	echo "open $HELD" >&"${CLIENT[1]}"
	read -r -t 600 opened <&"${CLIENT[0]}"
	log "$name: $opened"
	local heap_held threads_held
	heap_held=$(heap_used_mb "$name")
	threads_held=$(threads "$name")
	read -r held_median held_max < <(new_client_ms "$port")
	echo "check" >&"${CLIENT[1]}"
	read -r -t 600 checked <&"${CLIENT[0]}"
	log "$name: $checked"
	echo "open $((LIMIT - HELD + BEYOND))" >&"${CLIENT[1]}"
	read -r -t 600 beyond <&"${CLIENT[0]}"
	log "$name, up to the limit and $BEYOND beyond: $beyond"
	echo "quit" >&"${CLIENT[1]}"
	wait "$CLIENT_PID" || true
	sleep 2
	read -r after_median after_max < <(new_client_ms "$port")
	log "$name: heap $heap_before -> $heap_held MB, threads $threads_before -> $threads_held; new client median (max) ms: quiet $quiet_median ($quiet_max), held $held_median ($held_max), after $after_median ($after_max)"
	echo "| $stack | $heap_before → $heap_held MB | $threads_before → $threads_held | $quiet_median ($quiet_max) | $held_median ($held_max) | ${checked%% in *} | $beyond |" >> "$OUT/results.md"
	stop_servers
}

held_main() {
	require_tools
	local files=$((LIMIT + BEYOND + 1000))
	ulimit -n "$files" 2>/dev/null || { echo "Raise the open-file limit to $files (ulimit -Hn)" >&2; exit 1; }
	mkdir -p "$OUT" && rm -f "$OUT/results.md"
	make_pki
	openssl pkcs12 -export -in "$PKI/client.crt" -inkey "$PKI/client.key" -passout pass:bench -out "$PKI/client.p12"
	BASE_JAVA_OPTS=$SERVER_JAVA_OPTS
	for stack in $STACKS; do
		run "$stack"
	done
	echo "| server | heap after full GC, before → held | threads, before → held | new client, quiet: median (slowest) ms | while held | held connections checked | up to the limit and beyond |"
	echo "|---|---|---|---|---|---|---|"
	cat "$OUT/results.md"
}

held_main "$@"
