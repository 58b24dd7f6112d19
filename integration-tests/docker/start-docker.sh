#!/usr/bin/env bash
# Installs (when missing) and starts a Docker daemon whose containers can only use the host's network:
# no bridge, no iptables, no NAT, so that integration-test traffic stays on 127.0.0.1.
# Refuses to go on if a daemon with a bridge network is already running. Needs root.
set -euo pipefail

config_dir=${MTLS_IT_DOCKER_DIR:-/var/lib/mtls-it/docker}
log=${config_dir}/dockerd.log

if docker version >/dev/null 2>&1; then
	if docker network ls --format '{{.Name}}' | grep -qx bridge; then
		echo "A Docker daemon with a bridge network is running: its containers get 172.x addresses, which the" >&2
		echo "integration tests must never use. Stop it, or start it with \"bridge\": \"none\" (see $0)." >&2
		exit 1
	fi
	echo "Using the running loopback-only Docker daemon."
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "Starting a Docker daemon needs root: run 'sudo $0'." >&2
	exit 1
fi

if ! command -v dockerd >/dev/null 2>&1; then
	# Keep apt from starting dockerd with its default bridge network.
	created_policy=no
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod +x /usr/sbin/policy-rc.d
		created_policy=yes
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq docker.io >/dev/null
	[ "$created_policy" = yes ] && rm -f /usr/sbin/policy-rc.d
fi

mkdir -p "$config_dir"
cat >"$config_dir/daemon.json" <<'JSON'
{
  "bridge": "none",
  "iptables": false,
  "ip-forward": false,
  "ip-masq": false,
  "ipv6": false,
  "userland-proxy": false,
  "storage-driver": "overlay2"
}
JSON

echo "Starting dockerd (log: $log)"
setsid nohup dockerd --config-file "$config_dir/daemon.json" >"$log" 2>&1 </dev/null &

for _ in $(seq 1 60); do
	if docker version >/dev/null 2>&1; then
		echo "Docker daemon ready: $(docker version --format '{{.Server.Version}}'), containers use host networking."
		exit 0
	fi
	sleep 1
done
echo "dockerd did not answer within 60 s; last lines of $log:" >&2
tail -20 "$log" >&2
exit 1
