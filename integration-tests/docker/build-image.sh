#!/usr/bin/env bash
# Builds the integration-test image from Debian packages (no registry needed): JRE 17, nginx, HAProxy, openssl, curl.
# The image is labelled with a hash of this script (its recipe) and built only when no image with that label
# exists; the root file system tar is cached, so a wiped daemon costs only a re-import.
# Prints the image name. Tests use mtls-it:latest, which this script points at the current recipe.
set -euo pipefail

suite=bookworm
packages=openjdk-17-jre-headless,nginx-light,haproxy,openssl,curl,ca-certificates
recipe=$(sha256sum "$0" | cut -c1-16)
image=mtls-it:$recipe
cache=${MTLS_IT_CACHE:-/var/cache/mtls-it}
tar=$cache/rootfs-$recipe.tar

if [ "$(docker image inspect --format '{{index .Config.Labels "dev.mtls.recipe"}}' "$image" 2>/dev/null)" = "$recipe" ]; then
	docker tag "$image" mtls-it:latest
	echo "$image"
	exit 0
fi

if [ ! -f "$tar" ]; then
	if ! command -v mmdebstrap >/dev/null 2>&1; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq mmdebstrap >/dev/null
	fi
	# The host's own Debian sources: the same mirror apt uses here.
	sources=/etc/apt/sources.list.d/debian.sources
	[ -f "$sources" ] || sources=/etc/apt/sources.list
	mkdir -p "$cache"
	echo "Building the test image root file system ($packages) into $tar" >&2
	mmdebstrap --quiet --format=tar --variant=essential --include="$packages" \
		--customize-hook='echo -n > "$1/etc/resolv.conf"; echo -n > "$1/etc/hostname"' \
		"$suite" "$tar.partial" "$sources" >&2
	mv "$tar.partial" "$tar"
fi

docker import \
	-c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	-c 'ENV LANG=C.UTF-8' \
	-c 'CMD ["/bin/bash"]' \
	-c "LABEL dev.mtls.recipe=$recipe" \
	"$tar" "$image" >&2
docker tag "$image" mtls-it:latest
echo "$image"
