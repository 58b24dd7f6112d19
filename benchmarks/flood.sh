#!/usr/bin/env bash
# Handshake flood (see BENCHMARKS.md): while FLOOD_CLIENTS parallel `openssl s_time -new` clients with a certificate
# the server does not trust make full handshakes as fast as they can, a trusted client on kept-alive connections
# (`ab -k`, 4 connections) measures its latency; the same without the flood just before. The PKI of load.sh (root,
# issuing CA, leaf; chains sent by both sides); the flood's certificate comes from a CA of its own, shaped the same.
# The load runs on CPU 1; the server runs on both CPUs (PIN=1 pins it to CPU 0). On two CPUs the flood's own clients
# compete with the measuring one: FLOOD_NICE=19 runs them at the lowest priority, so that what remains is the
# server's share.
#
# Usage: benchmarks/flood.sh   (after the package command of load.sh)
# Knobs (environment): STACKS="tomcat webflux jetty" FLOOD_CLIENTS=6 DURATION=10 REPS=5 WARMUP=75 PIN=0 FLOOD_NICE=0
# Everything binds and connects to 127.0.0.1 only; every load step is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/target/flood}
# Set before load.sh, whose own defaults would apply otherwise (the runs in BENCHMARKS.md used these).
REPS=${REPS:-5}
WARMUP=${WARMUP:-75}
# shellcheck source=load.sh
source "$ROOT/benchmarks/load.sh"
FLOOD_CLIENTS=${FLOOD_CLIENTS:-6}
CONCURRENCY=4

# A second PKI of the same shape whose client the servers do not trust.
make_intruder_pki() {
	local trusted=$PKI
	PKI=$OUT/intruder
	make_pki
	PKI=$trusted
}

# ab -k against NAME for DURATION: prints "p50_ms p99_ms requests failed".
latency() {
	local name=$1 output csv=$OUT/ab.csv
	output=$(timeout $((DURATION + 60)) taskset -c "$LOAD_CPU" ab -q -k -c "$CONCURRENCY" -t "$DURATION" -n 100000000 \
		-s 10 -e "$csv" -E "$PKI/client.pem" "https://127.0.0.1:${PORT[$name]}/hello" 2>&1) \
		|| { echo "ab failed against $name: $output" >&2; exit 1; }
	local complete failed non2xx
	complete=$(awk '/^Complete requests:/ { print $3 }' <<<"$output")
	failed=$(awk '/^Failed requests:/ { print $3 }' <<<"$output")
	non2xx=$(awk '/^Non-2xx responses:/ { print $3 }' <<<"$output")
	awk -F, -v n="$complete" -v f=$((${failed:-0} + ${non2xx:-0})) \
		'$1 == 50 { p50 = $2 } $1 == 99 { p99 = $2 } END { printf "%.2f %.2f %d %d\n", p50, p99, n, f }' "$csv"
}

# Untrusted full handshakes from FLOOD_CLIENTS clients for DURATION + 2 s; their counts in $OUT/flood.N.
flood() {
	local name=$1 i
	for i in $(seq 1 "$FLOOD_CLIENTS"); do
		timeout $((DURATION + 30)) nice -n "${FLOOD_NICE:-0}" taskset -c "$LOAD_CPU" openssl s_time -connect "127.0.0.1:${PORT[$name]}" -new \
			-cert "$OUT/intruder/client.crt" -key "$OUT/intruder/client.key" -CAfile "$OUT/intruder/issuing.crt" \
			-time $((DURATION + 2)) > "$OUT/flood.$i" 2>&1 &
		FLOODERS+=($!)
	done
}

run() {
	local stack=$1 name p=""
	[[ $stack != tomcat ]] && p="$stack-"
	name="${p}starter"
	start_server "$name"
	if [[ ${PIN:-0} == 1 ]]; then pin "$name"; fi
	log "$name: warm-up ${WARMUP}s"
	DURATION=$WARMUP latency "$name" >/dev/null
	for rep in $(seq 1 "$REPS"); do
		read -r q50 q99 n f < <(latency "$name")
		FLOODERS=()
		flood "$name"
		sleep 1
		read -r f50 f99 fn ff < <(latency "$name")
		wait "${FLOODERS[@]}" || true
		local refused
		refused=$(cat "$OUT"/flood.* | awk '/connections in .* real seconds/ { s += $1 } END { print s + 0 }')
		log "$name rep $rep: quiet p50 $q50 p99 $q99 ms ($n requests, $f failed); flood p50 $f50 p99 $f99 ms ($fn requests, $ff failed); $refused untrusted handshakes"
		echo "$stack $q99 $f99 $ff $refused" >> "$OUT/results.txt"
	done
	# Every refusal is counted in mtls.authentication; the log names the refused certificate once.
	log "$name logged $(grep -c 'Refused client certificate' "$OUT/$name.log") refusal line(s)"
	stop_servers
}

flood_main() {
	require_tools
	mkdir -p "$OUT" && rm -f "$OUT/results.txt"
	make_pki
	make_intruder_pki
	for stack in $STACKS; do
		run "$stack"
	done
	echo "| server | p99 quiet (ms) | p99 flood (ms) | ratio | failed requests | untrusted handshakes |"
	echo "|---|---|---|---|---|---|"
	awk '{ printf "| %s | %s | %s | %.1f | %s | %s |\n", $1, $2, $3, $3 / $2, $4, $5 }' "$OUT/results.txt"
}

flood_main "$@"
