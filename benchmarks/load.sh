#!/usr/bin/env bash
# Side-by-side load benchmark of mutual TLS on loopback (see BENCHMARKS.md).
#
# Servers, one stack at a time (STACKS), each pinned to CPU 0 once started (the JVMs start unpinned so they keep G1):
#   tomcat (Spring MVC on Tomcat):
#     starter            the benchmark app on the starter, default engine (jdk)
#     starter-conscrypt  the same jar with mtls.server.engine=conscrypt
#     plain              the same jar over plain HTTPS: starter off, no client auth, Spring Security permitting all,
#                        the starter's keep-alive settings
#     bare               the same, without Spring Security
#     baseline           the hand-wired app: SSL bundle, client-auth=need, Spring Security x509(), Tomcat defaults
#     baseline-plain     the hand-wired app's jar over plain HTTPS, Spring Security permitting all
#   webflux (WebFlux on Reactor Netty) and jetty (Spring MVC on Jetty), one jar each:
#     <stack>-starter, <stack>-starter-conscrypt, <stack>-baseline (profile baseline: SSL bundle, client-auth=need,
#     Spring Security's x509()), <stack>-plain (profile plain: HTTPS, Spring Security permitting all)
#   with ACTUATOR=1 (the default), each of starter, plain and baseline once more with Actuator: <name>-actuator
#   (bench.actuator=true: endpoints, health, metrics and observations as an application with Actuator has them)
#   nginx              nginx with ssl_verify_client on, in every stack's run as the reference
# Load runs on CPU 1: keep-alive requests with `ab -k`, full handshakes (each with one GET) with
# parallel `openssl s_time -new`. Server CPU comes from /proc/<pid>/stat.
#
# Usage: benchmarks/load.sh   (after: ./mvnw -Pbenchmarks -pl benchmarks/baseline-app,benchmarks/starter-app,benchmarks/webflux-app,benchmarks/jetty-app -am package -DskipTests)
# Knobs (environment): STACKS="tomcat webflux jetty" ACTUATOR=1 ROUNDS=3 REPS=3 WARMUP=75 SETTLE=15 DURATION=10
# HS_DURATION=20 CONCURRENCY=8 HS_CLIENTS=2 STARTS=15 (STARTS=0 skips the start-up measurement) SERVER_JAVA_OPTS=""
# ONLY="" (target names: measure only these, e.g. ONLY="webflux-starter webflux-plain")
# Each round starts every target in a fresh JVM, warms it up and measures REPS alternating repetitions: one JVM start's
# steady state differs from the next by up to a tenth on this machine, so a figure is the median over ROUNDS rounds.
# Everything binds and connects to 127.0.0.1 only; every load step is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$ROOT/benchmarks/target/load}
ROUNDS=${ROUNDS:-3}
REPS=${REPS:-3}
WARMUP=${WARMUP:-75}
SETTLE=${SETTLE:-15}
DURATION=${DURATION:-10}
HS_DURATION=${HS_DURATION:-20}
CONCURRENCY=${CONCURRENCY:-8}
HS_CLIENTS=${HS_CLIENTS:-2}
STARTS=${STARTS:-15}
STACKS=${STACKS:-tomcat webflux jetty}
ACTUATOR=${ACTUATOR:-1}
ONLY=${ONLY:-}
# Extra options for every server JVM, such as a JFR recording: -XX:StartFlightRecording=settings=profile,filename=...
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
SERVER_CPU=0
LOAD_CPU=1
STARTER_JAR=$ROOT/benchmarks/starter-app/target/starter-app.jar
BASELINE_JAR=$ROOT/benchmarks/baseline-app/target/baseline-app.jar
WEBFLUX_JAR=$ROOT/benchmarks/webflux-app/target/webflux-app.jar
JETTY_JAR=$ROOT/benchmarks/jetty-app/target/jetty-app.jar
PKI=$OUT/pki
HZ=$(getconf CLK_TCK)

declare -A PORT=([starter]=9441 [starter-conscrypt]=9442 [baseline]=9443 [plain]=9444 [baseline-plain]=9446 [bare]=9447 [nginx]=9445
	[starter-actuator]=9451 [baseline-actuator]=9453 [plain-actuator]=9454
	[webflux-starter]=9461 [webflux-baseline]=9462 [webflux-plain]=9463 [webflux-starter-conscrypt]=9464
	[webflux-starter-actuator]=9465 [webflux-baseline-actuator]=9466 [webflux-plain-actuator]=9467
	[jetty-starter]=9471 [jetty-baseline]=9472 [jetty-plain]=9473 [jetty-starter-conscrypt]=9474
	[jetty-starter-actuator]=9475 [jetty-baseline-actuator]=9476 [jetty-plain-actuator]=9477)
declare -A PID=()
MTLS_TARGETS=()
KEEPALIVE_TARGETS=()

# The targets of one stack; the targets a ratio compares run next to each other: this machine's speed drifts over
# minutes.
stack_targets() {
	local p=""
	[[ $1 != tomcat ]] && p="$1-"
	MTLS_TARGETS=("${p}starter" "${p}baseline")
	KEEPALIVE_TARGETS=("${p}starter" "${p}plain")
	[[ $1 == tomcat ]] && KEEPALIVE_TARGETS+=(bare)
	KEEPALIVE_TARGETS+=("${p}baseline")
	[[ $1 == tomcat ]] && KEEPALIVE_TARGETS+=(baseline-plain)
	if [[ $ACTUATOR == 1 ]]; then
		MTLS_TARGETS+=("${p}starter-actuator" "${p}baseline-actuator")
		KEEPALIVE_TARGETS+=("${p}starter-actuator" "${p}plain-actuator" "${p}baseline-actuator")
	fi
	MTLS_TARGETS+=("${p}starter-conscrypt" nginx)
	KEEPALIVE_TARGETS+=("${p}starter-conscrypt" nginx)
	if [[ -n $ONLY ]]; then
		mapfile -t MTLS_TARGETS < <(only "${MTLS_TARGETS[@]}")
		mapfile -t KEEPALIVE_TARGETS < <(only "${KEEPALIVE_TARGETS[@]}")
	fi
}

# The given target names that ONLY lists.
only() {
	for name in "$@"; do
		[[ " $ONLY " == *" $name "* ]] && echo "$name"
	done
	return 0
}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

require_tools() {
	local missing=()
	command -v ab >/dev/null || missing+=(apache2-utils)
	command -v nginx >/dev/null || missing+=(nginx-light)
	command -v openssl >/dev/null || missing+=(openssl)
	command -v curl >/dev/null || missing+=(curl)
	command -v taskset >/dev/null || missing+=(util-linux)
	if ((${#missing[@]})); then
		if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
			log "installing ${missing[*]}"
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
		else
			echo "Missing tools; install the Debian packages: ${missing[*]}" >&2
			exit 1
		fi
	fi
	command -v jcmd >/dev/null || { echo "jcmd (a full JDK 17) is needed" >&2; exit 1; }
	[[ $(nproc) -ge 2 ]] || { echo "Two CPUs are needed: one for the server, one for the load" >&2; exit 1; }
	local jars=()
	[[ " $STACKS " == *" tomcat "* ]] && jars+=("$STARTER_JAR" "$BASELINE_JAR")
	[[ " $STACKS " == *" webflux "* ]] && jars+=("$WEBFLUX_JAR")
	[[ " $STACKS " == *" jetty "* ]] && jars+=("$JETTY_JAR")
	for jar in "${jars[@]}"; do
		[[ -f $jar ]] || { echo "Missing $jar: run ./mvnw -Pbenchmarks -pl benchmarks/baseline-app,benchmarks/starter-app,benchmarks/webflux-app,benchmarks/jetty-app -am package -DskipTests" >&2; exit 1; }
	done
}

# A PKI shaped like real deployments (cert-manager, Vault PKI and SPIRE issue from intermediates), ECDSA P-256:
# a root CA, an issuing CA below it, and server and client certificates from the issuing CA. Both sides send
# leaf + issuing CA (server.crt and client.crt hold both); every server trusts the root alone (ca.crt).
make_pki() {
	rm -rf "$PKI" && mkdir -p "$PKI" && cd "$PKI"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca.key 2>/dev/null
	openssl req -x509 -new -key ca.key -subj "/CN=Bench Root CA" -days 30 -sha256 \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
	issue issuing "/CN=Bench Issuing CA" ca "basicConstraints=critical,CA:TRUE,pathlen:0
keyUsage=critical,keyCertSign,cRLSign"
	issue server "/CN=localhost" issuing "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature"
	issue client "/CN=bench-client" issuing "extendedKeyUsage=clientAuth
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature"
	cat server.leaf.crt issuing.crt > server.crt
	cat client.leaf.crt issuing.crt > client.crt
	cat client.crt client.key > client.pem
	openssl verify -CAfile ca.crt -untrusted issuing.crt server.leaf.crt client.leaf.crt >/dev/null
	cd - >/dev/null
}

# issue NAME SUBJECT ISSUER EXTENSIONS: NAME.key and NAME.leaf.crt (NAME.crt for a CA), signed by ISSUER.
issue() {
	local out="$1.leaf.crt"
	[[ $1 == issuing ]] && out="$1.crt"
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null
	openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
	printf '%s\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' "$4" > "$1.ext"
	openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -CAcreateserial -days 30 -sha256 -extfile "$1.ext" \
		-out "$out" 2>/dev/null
}

java_args() {
	local name=${1%-actuator} actuator=""
	[[ $1 == *-actuator ]] && actuator="--bench.actuator=true"
	case $name in
		starter) echo "-jar $STARTER_JAR $actuator" ;;
		starter-conscrypt) echo "-jar $STARTER_JAR --mtls.server.engine=conscrypt" ;;
		plain) echo "-jar $STARTER_JAR --spring.profiles.active=plain $actuator" ;;
		bare) echo "-jar $STARTER_JAR --spring.profiles.active=plain,bare" ;;
		baseline) echo "-jar $BASELINE_JAR $actuator" ;;
		baseline-plain) echo "-jar $BASELINE_JAR --spring.profiles.active=plain" ;;
		webflux-* | jetty-*)
			local jar=$WEBFLUX_JAR
			[[ $name == jetty-* ]] && jar=$JETTY_JAR
			case ${name#*-} in
				starter) echo "-jar $jar $actuator" ;;
				starter-conscrypt) echo "-jar $jar --mtls.server.engine=conscrypt" ;;
				baseline) echo "-jar $jar --spring.profiles.active=baseline $actuator" ;;
				plain) echo "-jar $jar --spring.profiles.active=plain $actuator" ;;
			esac
			;;
	esac
}

is_mtls() { [[ ${1%-actuator} != *plain && $1 != bare ]]; }

curl_args() {
	if is_mtls "$1"; then echo "--cert $PKI/client.crt --key $PKI/client.key"; fi
}

start_server() {
	local name=$1 port=${PORT[$1]}
	if [[ $name == nginx ]]; then
		start_nginx
	else
		# shellcheck disable=SC2046,SC2086
		java $SERVER_JAVA_OPTS $(java_args "$name") --server.port="$port" --bench.pki="$PKI" > "$OUT/$name.log" 2>&1 &
		PID[$name]=$!
	fi
	local body=""
	for _ in $(seq 1 120); do
		# shellcheck disable=SC2046
		body=$(curl -s --max-time 2 --cacert "$PKI/ca.crt" $(curl_args "$name") "https://127.0.0.1:$port/hello" || true)
		[[ -n $body ]] && break
		sleep 0.5
	done
	[[ $body == "hello "* ]] || { echo "$name did not answer on $port (got '$body'); see $OUT/$name.log" >&2; exit 1; }
	log "$name ready on 127.0.0.1:$port: $body"
}

# All threads, present and future (new threads inherit the affinity of their creator).
pin() {
	for pid in $(server_pids "$1"); do taskset -a -p -c "$SERVER_CPU" "$pid" >/dev/null; done
}

start_nginx() {
	mkdir -p "$OUT/nginx"
	cat > "$OUT/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $OUT/nginx/body;
	proxy_temp_path $OUT/nginx/proxy;
	fastcgi_temp_path $OUT/nginx/fastcgi;
	uwsgi_temp_path $OUT/nginx/uwsgi;
	scgi_temp_path $OUT/nginx/scgi;
	keepalive_requests 100000000;
	keepalive_timeout 300s;
	server {
		listen 127.0.0.1:${PORT[nginx]} ssl;
		ssl_certificate $PKI/server.crt;
		ssl_certificate_key $PKI/server.key;
		ssl_client_certificate $PKI/ca.crt;
		ssl_verify_client on;
		ssl_verify_depth 2;
		ssl_protocols TLSv1.2 TLSv1.3;
		location = /hello { default_type text/plain; return 200 "hello \$ssl_client_s_dn"; }
	}
}
EOF
	nginx -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" > "$OUT/nginx.log" 2>&1 &
	PID[nginx]=$!
}

server_pids() {
	echo "${PID[$1]}"
	if [[ $1 == nginx ]]; then pgrep -P "${PID[nginx]}" || true; fi
}

cpu_ticks() {
	local total=0
	for pid in $(server_pids "$1"); do
		# utime and stime: fields 14 and 15, after the parenthesised command name
		total=$((total + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")))
	done
	echo "$total"
}

# ab -k: prints "rps cpu_us_per_request keepalive_share"; fails the run on errors.
keepalive() {
	local name=$1 duration=$2 cert=() before after output
	is_mtls "$name" && cert=(-E "$PKI/client.pem")
	before=$(cpu_ticks "$name")
	output=$(timeout $((duration + 60)) taskset -c "$LOAD_CPU" ab -q -k -c "$CONCURRENCY" -t "$duration" -n 100000000 -s 10 \
		"${cert[@]}" "https://127.0.0.1:${PORT[$name]}/hello" 2>&1) || { echo "ab failed against $name: $output" >&2; exit 1; }
	after=$(cpu_ticks "$name")
	local complete failed non2xx rps kept
	complete=$(awk '/^Complete requests:/ { print $3 }' <<<"$output")
	failed=$(awk '/^Failed requests:/ { print $3 }' <<<"$output")
	non2xx=$(awk '/^Non-2xx responses:/ { print $3 }' <<<"$output")
	kept=$(awk '/^Keep-Alive requests:/ { print $3 }' <<<"$output")
	rps=$(awk '/^Requests per second:/ { print $4 }' <<<"$output")
	if [[ ${failed:-0} != 0 || -n ${non2xx:-} ]]; then
		echo "$name: $failed failed, ${non2xx:-0} non-2xx of $complete requests" >&2
		exit 1
	fi
	awk -v r="$rps" -v t=$((after - before)) -v hz="$HZ" -v n="$complete" -v k="${kept:-0}" \
		'BEGIN { printf "%.0f %.1f %.3f\n", r, t * 1e6 / hz / n, k / n }'
}

# Parallel openssl s_time -new: prints "handshakes_per_second cpu_us_per_handshake".
# s_time sends only the first certificate of -cert and completes its chain from the -CAfile store (OpenSSL's
# automatic chain building, which would add the root too): with the issuing CA alone there it sends leaf + issuing CA,
# as curl --cert and ab -E do from client.crt. s_time does not verify the server.
handshakes() {
	local name=$1 duration=$2 before after i total=0 clients=()
	before=$(cpu_ticks "$name")
	for i in $(seq 1 "$HS_CLIENTS"); do
		timeout $((duration + 60)) taskset -c "$LOAD_CPU" openssl s_time -connect "127.0.0.1:${PORT[$name]}" -new \
			-cert "$PKI/client.crt" -key "$PKI/client.key" -CAfile "$PKI/issuing.crt" -www /hello -time "$duration" \
			> "$OUT/s_time.$i" 2>&1 &
		clients+=($!)
	done
	wait "${clients[@]}" || true
	after=$(cpu_ticks "$name")
	for i in $(seq 1 "$HS_CLIENTS"); do
		local n
		n=$(awk '/connections in .* real seconds/ { print $1 }' "$OUT/s_time.$i")
		[[ -n $n && $n -gt 0 ]] || { echo "s_time against $name failed:" >&2; cat "$OUT/s_time.$i" >&2; exit 1; }
		grep -q "bytes read per connection" "$OUT/s_time.$i" && ! grep -q " 0 bytes read per connection" "$OUT/s_time.$i" \
			|| { echo "s_time against $name read no response" >&2; exit 1; }
		total=$((total + n))
	done
	awk -v n="$total" -v d="$duration" -v t=$((after - before)) -v hz="$HZ" \
		'BEGIN { printf "%.0f %.0f\n", n / d, t * 1e6 / hz / n }'
}

# Start-up time as Spring Boot reports it ("process running for"), dev mode off, alternating.
startup() {
	local name=$1 jar=$2 port=9450 line
	java -jar "$jar" --server.port=$port --bench.pki="$PKI" > "$OUT/startup-$name.log" 2>&1 &
	local pid=$!
	for _ in $(seq 1 120); do
		line=$(grep -o "process running for [0-9.]*" "$OUT/startup-$name.log" || true)
		[[ -n $line ]] && break
		sleep 0.25
	done
	kill "$pid" && wait "$pid" 2>/dev/null || true
	[[ -n $line ]] || { echo "$name did not start; see $OUT/startup-$name.log" >&2; exit 1; }
	echo "${line##* }"
}

heap_used_mb() {
	local pid=${PID[$1]}
	jcmd "$pid" GC.run >/dev/null && sleep 1 && jcmd "$pid" GC.run >/dev/null && sleep 1
	jcmd "$pid" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%.1f\n", v / 1024 } }'
}

# median and range of the values in a file of numbers (one per line)
stats() { sort -g "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s\n", m, v[1], v[NR] }'; }
median() { stats "$1" | cut -d' ' -f1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

stop_servers() {
	for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
	wait 2>/dev/null || true
	PID=()
}

cleanup() {
	for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap cleanup EXIT

main() {
	for name in $ONLY; do
		[[ -n ${PORT[$name]:-} ]] || { echo "ONLY: no target named '$name' (targets: ${!PORT[*]})" >&2; exit 1; }
	done
	for stack in $STACKS; do
		stack_targets "$stack"
		[[ ${#KEEPALIVE_TARGETS[@]} -gt 0 ]] || { echo "ONLY='$ONLY' names no target of stack $stack" >&2; exit 1; }
	done
	require_tools
	mkdir -p "$OUT" && rm -rf "$OUT"/*.txt "$OUT"/tomcat "$OUT"/webflux "$OUT"/jetty
	make_pki
	log "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); $(java -version 2>&1 | head -1); $(nginx -v 2>&1); $(openssl version)"

	if [[ " $STACKS " == *" tomcat "* && $STARTS -gt 0 ]]; then
		log "start-up: $STARTS alternating starts of each app, unpinned, nothing else running"
		for i in $(seq 1 "$STARTS"); do
			startup baseline "$BASELINE_JAR" >> "$OUT/startup.baseline.txt"
			startup starter "$STARTER_JAR" >> "$OUT/startup.starter.txt"
		done
	fi

	for stack in $STACKS; do
		run_stack "$stack"
	done

	report | tee "$OUT/results.md"
}

# ROUNDS rounds of one stack's targets, each in fresh JVMs; $OUT/<stack>/round<N>/ holds each repetition's figures,
# $OUT/<stack>/ one median per round (in round order, so that line N of two files is one side-by-side round).
run_stack() {
	local stack=$1 dir=$OUT/$1 round
	mkdir -p "$dir"
	stack_targets "$stack"
	for round in $(seq 1 "$ROUNDS"); do
		run_round "$stack" "$round" "$dir/round$round"
		for file in "$dir/round$round"/*.txt; do
			median "$file" >> "$dir/$(basename "$file")"
		done
	done
}

# Start, warm up and measure the targets of one stack in fresh JVMs, then stop them.
run_round() {
	local stack=$1 round=$2 dir=$3 figures
	mkdir -p "$dir"
	log "stack $stack, round $round of $ROUNDS: ${KEEPALIVE_TARGETS[*]}"
	for name in "${KEEPALIVE_TARGETS[@]}"; do start_server "$name"; done

	# Warm-up on both CPUs, so that the JIT compilers are not starved by the load they compile
	# for; each server is pinned to CPU 0 afterwards, before any measurement.
	log "warm-up: ${WARMUP}s per JVM unpinned (one third handshakes, then two thirds keep-alive), then ${SETTLE}s pinned to CPU $SERVER_CPU"
	for name in "${KEEPALIVE_TARGETS[@]}"; do
		if [[ $name != nginx ]]; then
			# Handshakes first: the keep-alive path is what the JIT should see last before it is measured.
			if is_mtls "$name"; then
				LOAD_CPU=0,1 handshakes "$name" $((WARMUP / 3)) >/dev/null
				LOAD_CPU=0,1 keepalive "$name" $((WARMUP * 2 / 3)) >/dev/null
			else
				LOAD_CPU=0,1 keepalive "$name" "$WARMUP" >/dev/null
			fi
		fi
		pin "$name"
		# A pinned JVM needs a moment to settle (recompilations) before it is measured.
		if [[ $name != nginx ]]; then
			if is_mtls "$name"; then handshakes "$name" "$SETTLE" >/dev/null; fi
			keepalive "$name" "$SETTLE" >/dev/null
		fi
	done

	for rep in $(seq 1 "$REPS"); do
		log "$stack, round $round: repetition $rep of $REPS"
		for name in "${KEEPALIVE_TARGETS[@]}"; do
			figures=$(keepalive "$name" "$DURATION")
			read -r rps cpu kept <<<"$figures"
			echo "$rps" >> "$dir/ka-rps.$name.txt"
			echo "$cpu" >> "$dir/ka-cpu.$name.txt"
			log "  keep-alive  $name: $rps req/s, $cpu us CPU/request, keep-alive share $kept"
		done
		for name in "${MTLS_TARGETS[@]}"; do
			figures=$(handshakes "$name" "$HS_DURATION")
			read -r hps cpu <<<"$figures"
			echo "$hps" >> "$dir/hs-rate.$name.txt"
			echo "$cpu" >> "$dir/hs-cpu.$name.txt"
			log "  handshakes  $name: $hps /s, $cpu us CPU/handshake"
		done
	done

	# Heap in the last round only: one figure per target.
	if [[ $stack == tomcat && $round == "$ROUNDS" ]]; then
		for name in starter plain baseline; do
			if [[ -n ${PID[$name]:-} ]]; then heap_used_mb "$name" > "$OUT/heap.$name.txt"; fi
		done
	fi
	stop_servers
}

# A row of the ratio table: label, numerator file, denominator file, goal; "-" when a side was not measured. The
# figure is the median of the rounds' ratios (line N of each file is round N), each round's ratio listed after it.
ratio_row() {
	local value="-" ratios
	if [[ -f $2 && -f $3 ]]; then
		ratios=$(paste "$2" "$3" | awk '{ printf "%.4f\n", $1 / $2 }')
		value=$(awk -v m="$(median <(echo "$ratios"))" 'BEGIN { printf "%.2f", m }')
		if [[ $ROUNDS -gt 1 ]]; then value="$value (rounds: $(awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), $1 }' <<<"$ratios"))"; fi
	fi
	echo "| $1 | $value | $4 |"
}

report() {
	echo "## Results ($(date -u +%Y-%m-%d), $ROUNDS rounds of fresh JVMs, each ${WARMUP}s warm-up then $REPS alternating repetitions (keep-alive ${DURATION}s, handshakes ${HS_DURATION}s))"
	echo
	echo "Per target: median [min-max] of the rounds' medians. Ratios: median of the rounds' ratios."
	echo
	echo "PKI: root CA, issuing CA, leaves; both sides send leaf + issuing CA."
	for stack in $STACKS; do
		local dir=$OUT/$stack p=""
		[[ $stack != tomcat ]] && p="$stack-"
		stack_targets "$stack"
		echo
		echo "### $stack"
		echo
		echo "| target | keep-alive req/s | CPU us/request | full handshakes/s | CPU us/handshake |"
		echo "|---|---|---|---|---|"
		for name in "${KEEPALIVE_TARGETS[@]}"; do
			local hs="-" hscpu="-"
			if [[ -f $dir/hs-rate.$name.txt ]]; then
				hs=$(stats "$dir/hs-rate.$name.txt" | awk '{ printf "%s [%s-%s]", $1, $2, $3 }')
				hscpu=$(stats "$dir/hs-cpu.$name.txt" | awk '{ printf "%s [%s-%s]", $1, $2, $3 }')
			fi
			printf '| %s | %s | %s | %s | %s |\n' "$name" \
				"$(stats "$dir/ka-rps.$name.txt" | awk '{ printf "%s [%s-%s]", $1, $2, $3 }')" \
				"$(stats "$dir/ka-cpu.$name.txt" | awk '{ printf "%s [%s-%s]", $1, $2, $3 }')" "$hs" "$hscpu"
		done
		echo
		echo "| $stack | measured | goal |"
		echo "|---|---|---|"
		ratio_row "keep-alive req/s, starter / plain (same jar, Spring Security permitting all)" "$dir/ka-rps.${p}starter.txt" "$dir/ka-rps.${p}plain.txt" ">= 0.90"
		[[ $stack == tomcat ]] && ratio_row "keep-alive req/s, starter / bare (same jar, no Spring Security)" "$dir/ka-rps.starter.txt" "$dir/ka-rps.bare.txt" "(reference)"
		[[ $stack == tomcat ]] && ratio_row "keep-alive req/s, hand-wired baseline / its plain" "$dir/ka-rps.baseline.txt" "$dir/ka-rps.baseline-plain.txt" "(reference)"
		[[ $stack != tomcat ]] && ratio_row "keep-alive req/s, hand-wired baseline / plain" "$dir/ka-rps.${p}baseline.txt" "$dir/ka-rps.${p}plain.txt" "(reference)"
		ratio_row "handshakes/s, starter / hand-wired baseline" "$dir/hs-rate.${p}starter.txt" "$dir/hs-rate.${p}baseline.txt" ">= 1.0"
		ratio_row "CPU per handshake, starter / hand-wired baseline" "$dir/hs-cpu.${p}starter.txt" "$dir/hs-cpu.${p}baseline.txt" "<= 1.0"
		ratio_row "CPU per handshake, jdk engine / nginx" "$dir/hs-cpu.${p}starter.txt" "$dir/hs-cpu.nginx.txt" "<= 2.5"
		ratio_row "CPU per handshake, conscrypt / jdk engine" "$dir/hs-cpu.${p}starter-conscrypt.txt" "$dir/hs-cpu.${p}starter.txt" "<= 0.5"
		ratio_row "CPU per handshake, conscrypt / nginx" "$dir/hs-cpu.${p}starter-conscrypt.txt" "$dir/hs-cpu.nginx.txt" "< 1.0"
		if [[ $ACTUATOR == 1 ]]; then
			ratio_row "keep-alive req/s with Actuator / without, starter" "$dir/ka-rps.${p}starter-actuator.txt" "$dir/ka-rps.${p}starter.txt" "(reference)"
			ratio_row "keep-alive req/s with Actuator / without, plain" "$dir/ka-rps.${p}plain-actuator.txt" "$dir/ka-rps.${p}plain.txt" "(reference)"
			ratio_row "keep-alive req/s with Actuator / without, hand-wired baseline" "$dir/ka-rps.${p}baseline-actuator.txt" "$dir/ka-rps.${p}baseline.txt" "(reference)"
			ratio_row "keep-alive req/s with Actuator, starter / plain" "$dir/ka-rps.${p}starter-actuator.txt" "$dir/ka-rps.${p}plain-actuator.txt" ">= 0.90"
			ratio_row "handshakes/s with Actuator, starter / hand-wired baseline" "$dir/hs-rate.${p}starter-actuator.txt" "$dir/hs-rate.${p}baseline-actuator.txt" ">= 1.0"
		fi
	done
	if [[ -f $OUT/startup.starter.txt ]]; then
		local starter_start baseline_start
		starter_start=$(median "$OUT/startup.starter.txt")
		baseline_start=$(median "$OUT/startup.baseline.txt")
		echo
		echo "| tomcat, start-up and heap | measured | goal |"
		echo "|---|---|---|"
		echo "| start-up, starter / hand-wired baseline ($starter_start s / $baseline_start s, medians of $STARTS) | $(ratio "$starter_start" "$baseline_start") | <= 1.05 |"
	fi
	if [[ -f $OUT/heap.starter.txt ]]; then
		[[ -f $OUT/startup.starter.txt ]] || { echo; echo "| tomcat, heap | measured | goal |"; echo "|---|---|---|"; }
		[[ -f $OUT/heap.baseline.txt ]] && heap_row "starter - hand-wired baseline" baseline "<= 10 MB"
		[[ -f $OUT/heap.plain.txt ]] && heap_row "starter - plain (same jar)" plain "(reference)"
	fi
	return 0
}

# A heap row: label, the target the starter is compared with, goal.
heap_row() {
	local starter other
	starter=$(cat "$OUT/heap.starter.txt")
	other=$(cat "$OUT/heap.$2.txt")
	echo "| heap after full GC, $1 ($starter MB - $other MB) | $(awk -v a="$starter" -v b="$other" 'BEGIN { printf "%.1f MB", a - b }') | $3 |"
}

# Sourced by flood.sh, held.sh and soak.sh for its functions; run, it benchmarks.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
