#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The modules under DKMS (Debian's dkms), as other out-of-tree modules are
# installed on Debian: the source copied to /usr/src/NAME-VERSION (what
# `dkms add` wants), then `dkms build` and `dkms install` for a kernel;
# DKMS rebuilds them when a kernel is installed later (AUTOINSTALL).
#
#   dkms.sh install [KVER]   (re)add this tree's source, build and install
#                            for KVER (default: the running kernel); prints
#                            the directory of the installed modules last
#   dkms.sh remove           remove every kernel's build and the source
#
# A version already added is removed first: the source may have changed
# while the version did not (a development tree).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)

name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' "$top/dkms.conf")
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
src=/usr/src/$name-$version

die() { echo "dkms.sh: $*" >&2; exit 1; }
command -v dkms >/dev/null || die "no dkms: apt-get install dkms (scripts/install-deps.sh does)"
[ "$(id -u)" -eq 0 ] || die "run as root"

remove() {
	if dkms status -m "$name" -v "$version" | grep -q .; then
		dkms remove -m "$name" -v "$version" --all >/dev/null
	fi
	rm -rf "$src"
}

case "${1:-}" in
install)
	kver=${2:-$(uname -r)}
	[ -d "/lib/modules/$kver/build" ] || die "no headers for $kver: /lib/modules/$kver/build (apt-get install linux-headers-$kver)"
	remove
	mkdir -p "$src"
	# The module sources and what builds them: no build output, no tools
	rsync -a --delete --exclude=.git --exclude=build --exclude=tools \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude=modules.order \
		--exclude=Module.symvers "$top/" "$src/"
	dkms add -m "$name" -v "$version" >/dev/null
	if ! dkms build -m "$name" -v "$version" -k "$kver" >/dev/null; then
		# The log goes with the next remove: show its end here
		log=/var/lib/dkms/$name/$version/build/make.log
		tail -n 40 "$log" >&2 || true
		die "dkms build failed: $log (its end above)"
	fi
	dkms install -m "$name" -v "$version" -k "$kver" --force >/dev/null
	dkms status -m "$name" -v "$version" -k "$kver" >&2
	echo "/lib/modules/$kver/updates/dkms"
	;;
remove)
	remove
	;;
*)
	die "usage: dkms.sh install [KVER] | remove"
	;;
esac
