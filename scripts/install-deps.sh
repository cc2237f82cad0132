#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install, from Debian 12's archive, everything the build and the tests need.
# Safe to run repeatedly: packages already present are not fetched again.
#
# The second stock kernel, Debian 13's 6.12, comes from bookworm-backports:
# the suite is added (from the mirror the machine already uses for
# bookworm) in its own sources file, and only the one pinned headers
# package is taken from it (PKG/bookworm-backports), with what it needs
# from there, so no installed package moves to backports. Debian's headers
# package depends on its image: that is installed too, in /boot.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

PKGS=(
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	xz-utils rsync python3 python3-docutils perl sparse
	linux-source-6.1 linux-headers-amd64
	qemu-system-x86 busybox-static openssl
	gcc-multilib
	ovmf dkms gcovr
)
K612_PKG=linux-headers-$k612_abi
backports_list=/etc/apt/sources.list.d/sev-host-stack-backports.list

missing=()
for p in "${PKGS[@]}" "$K612_PKG"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
# The ABI in the headers' name pins the version; PKG/SUITE takes it, and
# what it needs that bookworm lacks, from backports.
wanted=("${missing[@]}")
for i in "${!wanted[@]}"; do
	if [ "${wanted[$i]}" = "$K612_PKG" ]; then
		wanted[i]=$K612_PKG/$k612_suite
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all build and test packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages: ${missing[*]}" >&2
	echo "install-deps: run as root (or: sudo apt-get install ${wanted[*]}, with $k612_suite in the sources)" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2016 # $(...) are apt's format fields, not the shell's
if ! apt-get indextargets --format '$(RELEASE)' "Release: $k612_suite" |
		grep -q .; then
	# shellcheck disable=SC2016
	site=$(apt-get indextargets --format '$(SITE)' 'Release: bookworm' \
		'Target-Of: deb' | head -n 1)
	[ -n "$site" ] || die "no bookworm suite in /etc/apt/sources.list*: cannot tell which mirror to add $k612_suite from"
	echo "install-deps: adding $k612_suite from $site ($backports_list)"
	echo "deb $site $k612_suite main" >"$backports_list"
fi

echo "install-deps: installing ${missing[*]}"
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
echo "install-deps: done"
