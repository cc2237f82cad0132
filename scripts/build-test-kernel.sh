#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or reuse) the debug test kernel from Debian's linux-source-6.1 with
# scripts/kconfig/debug-test.config merged over x86_64_defconfig.
#
# usage: build-test-kernel.sh [VARIANT]
# A variant (gcov: make coverage's) merges scripts/kconfig/VARIANT.config
# over that too, and is a kernel of its own in the cache.
#
# The build lives in a cache directory outside the checkout, keyed by the
# source package version, the fragment and the compiler, always at the same
# absolute path (objtool records absolute paths; a moved tree rebuilds from
# scratch). A second run with the same key does nothing.
#
# Prints, as its last line on success:  KERNEL_BUILD=<dir>
# <dir>/build is the O= tree (KDIR for the modules), <dir>/src the source,
# <dir>/modroot the installed in-tree modules.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag="$here/kconfig/debug-test.config"
variant=${1:-}
frags=("$frag")
if [ -n "$variant" ]; then
	frags+=("$here/kconfig/$variant.config")
	[ -r "${frags[1]}" ] || { echo "build-test-kernel: no variant $variant (${frags[1]})" >&2; exit 1; }
fi
cache=${SEV_CACHE_DIR:-/var/cache/sev-host-stack}
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${JOBS:-$(nproc)}

[ -r "$tarball" ] || { echo "build-test-kernel: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { echo "$srcver"; cat "${frags[@]}"; gcc --version | head -1; echo recipe-2; } | sha256sum | cut -c1-16)
dir="$cache/kernel-$key"
log="$dir/build.log"

if [ -f "$dir/done" ]; then
	echo "build-test-kernel: cached debug kernel $srcver ($key), no rebuild"
	echo "KERNEL_BUILD=$dir"
	exit 0
fi

mkdir -p "$dir"
: >"$log"
echo "build-test-kernel: cold build of linux-source $srcver ($key) in $dir"
echo "build-test-kernel: full log in $log"

if [ ! -f "$dir/src/Makefile" ]; then
	echo "build-test-kernel: [1/4] unpacking source"
	rm -rf "$dir/src" "$dir/src.tmp"
	mkdir -p "$dir/src.tmp"
	tar -C "$dir/src.tmp" -xf "$tarball" --strip-components=1
	mv "$dir/src.tmp" "$dir/src"
fi

echo "build-test-kernel: [2/4] configuring"
mkdir -p "$dir/build"
make -C "$dir/src" O="$dir/build" x86_64_defconfig >>"$log" 2>&1
"$dir/src/scripts/kconfig/merge_config.sh" -m -O "$dir/build" \
	"$dir/build/.config" "${frags[@]}" >>"$log" 2>&1
make -C "$dir/src" O="$dir/build" olddefconfig >>"$log" 2>&1

# An option that olddefconfig dropped (a missing dependency) is a bug in
# the fragment: say which one instead of building the wrong kernel.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=n) opt=${line%=n}
		grep -q "^$opt=" "$dir/build/.config" && { echo "build-test-kernel: $opt is set, fragment wants it off" >&2; bad=1; } ;;
	CONFIG_*=*)
		grep -qx "$line" "$dir/build/.config" || { echo "build-test-kernel: $line did not stick" >&2; bad=1; } ;;
	esac
done < <(cat "${frags[@]}")
[ $bad -eq 0 ] || { echo "build-test-kernel: config check failed; see $dir/build/.config" >&2; exit 1; }

start=$(date +%s)
echo "build-test-kernel: [3/4] compiling with $jobs jobs (a cold build: about 15 minutes on 2 cores)"
make -C "$dir/src" O="$dir/build" -j"$jobs" bzImage modules >>"$log" 2>&1 &
mk=$!
while kill -0 $mk 2>/dev/null; do
	sleep 60 &
	wait $! || true
	kill -0 $mk 2>/dev/null || break
	n=$(grep -c '^  CC ' "$log" || true)
	echo "build-test-kernel:   $(( $(date +%s) - start ))s, $n files compiled"
done
if ! wait $mk; then
	echo "build-test-kernel: FAILED: $(grep -m1 -E 'error:|Error [0-9]' "$log" || tail -1 "$log")" >&2
	echo "build-test-kernel: full log in $log" >&2
	exit 1
fi

echo "build-test-kernel: [4/4] installing in-tree modules"
rm -rf "$dir/modroot"
make -C "$dir/src" O="$dir/build" INSTALL_MOD_PATH="$dir/modroot" \
	INSTALL_MOD_STRIP=1 modules_install >>"$log" 2>&1
echo "build-test-kernel: built in $(( $(date +%s) - start ))s"
touch "$dir/done"
echo "KERNEL_BUILD=$dir"
