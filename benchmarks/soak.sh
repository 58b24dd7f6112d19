#!/usr/bin/env bash
# Soak (see BENCHMARKS.md): the starter's benchmark app on Tomcat under continuous load for SOAK_MINUTES, its server
# identity rotated every minute (a new certificate and key written over the files it reads, as cert-manager or Vault
# Agent would). Each minute: a minute of `ab -k` (4 connections), the new certificate checked as served to a new
# connection within 10 s, and the server's heap after a full GC, threads, open file descriptors and resident memory. Fails on
# any failed request or a rotation not served within the minute. The PKI of load.sh.
#
# Usage: benchmarks/soak.sh   (after the package command of load.sh)
# Knobs (environment): SOAK_MINUTES=60 STACK=tomcat (or webflux, jetty)
# Everything binds and connects to 127.0.0.1 only; every step is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/target/soak}
# shellcheck source=load.sh
source "$ROOT/benchmarks/load.sh"
SOAK_MINUTES=${SOAK_MINUTES:-60}
STACK=${STACK:-tomcat}
CONCURRENCY=4

served_serial() {
	openssl s_client -connect "127.0.0.1:$1" -cert "$PKI/client.crt" -key "$PKI/client.key" -CAfile "$PKI/issuing.crt" </dev/null 2>/dev/null \
		| openssl x509 -noout -serial | cut -d= -f2
}

# A new server identity from the issuing CA, written over server.crt and server.key (each file replaced at once).
rotate() {
	(
		cd "$PKI"
		issue next "/CN=localhost" issuing "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature"
		cat next.leaf.crt issuing.crt > next.crt
		mv next.key server.key
		mv next.crt server.crt
		openssl x509 -in next.leaf.crt -noout -serial | cut -d= -f2
	)
}

soak_main() {
	require_tools
	mkdir -p "$OUT"
	make_pki
	local name=starter p=""
	[[ $STACK != tomcat ]] && p="$STACK-"
	name="${p}starter"
	start_server "$name"
	local port=${PORT[$name]} pid=${PID[$name]}
	log "$name: warm-up 60s"
	keepalive "$name" 60 >/dev/null
	echo "| minute | requests per second | failed | rotation served after | heap after full GC (MB) | threads | open files | resident (MB) |" > "$OUT/results.md"
	echo "|---|---|---|---|---|---|---|---|" >> "$OUT/results.md"
	local failures=0
	for minute in $(seq 1 "$SOAK_MINUTES"); do
		local serial started served_after="" output rps failed
		serial=$(rotate)
		started=$(date +%s)
		# The load runs while the new identity is picked up.
		timeout 120 taskset -c "$LOAD_CPU" ab -q -k -c "$CONCURRENCY" -t 55 -n 100000000 -s 10 \
			-E "$PKI/client.pem" "https://127.0.0.1:$port/hello" > "$OUT/ab.txt" 2>&1 &
		local ab=$!
		for _ in $(seq 1 50); do
			if [[ $(served_serial "$port") == "$serial" ]]; then
				served_after="$(($(date +%s) - started)) s"
				break
			fi
			sleep 0.2
		done
		wait "$ab" || { echo "ab failed: $(cat "$OUT/ab.txt")" >&2; exit 1; }
		output=$(cat "$OUT/ab.txt")
		rps=$(awk '/^Requests per second:/ { print $4 }' <<<"$output")
		failed=$(awk '/^Failed requests:/ { f = $3 } /^Non-2xx responses:/ { n = $3 } END { print f + n }' <<<"$output")
		local heap threads files rss
		heap=$(heap_used_mb "$name")
		threads=$(awk '/^Threads:/ { print $2 }' "/proc/$pid/status")
		files=$(ls "/proc/$pid/fd" | wc -l)
		rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$pid/status")
		echo "| $minute | $rps | $failed | ${served_after:-not served} | $heap | $threads | $files | $rss |" >> "$OUT/results.md"
		log "minute $minute: $rps rps, $failed failed, rotation served after ${served_after:-never}, heap $heap MB, threads $threads, files $files, RSS $rss MB"
		if [[ $failed != 0 || -z $served_after ]]; then failures=$((failures + 1)); fi
	done
	stop_servers
	cat "$OUT/results.md"
	[[ $failures == 0 ]] || { echo "$failures minute(s) with failed requests or a rotation not served" >&2; exit 1; }
}

soak_main "$@"
