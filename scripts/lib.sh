# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the project's scripts: sourced, not run.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${SEV_CACHE_DIR:-/var/cache/sev-host-stack}
build=${BUILD:-$top/build}
# Debian's OVMF (package ovmf), the firmware sev-vmm launches in the guests
OVMF_FD=/usr/share/ovmf/OVMF.fd

say() { echo "[$(date +%H:%M:%S)] $*"; }
die() { echo "error: $*" >&2; exit 1; }

# check NAME COMMAND...: run it, and say "@@CHECK ok NAME" or why it failed.
check() {
	local name=$1 msg
	shift
	if msg=$("$@" 2>&1); then
		echo "@@CHECK ok $name"
	else
		echo "@@CHECK fail $name: $(echo "$msg" | tail -n 1)"
	fi
}

# Install missing packages (as root), or say what is missing.
ensure_deps() {
	"$top/scripts/install-deps.sh"
}

# debug_kernel [VARIANT]: the debug test kernel's cache directory (builds
# it on first use); VARIANT as build-test-kernel.sh's.
debug_kernel() {
	local out
	out=$("$top/scripts/build-test-kernel.sh" "$@" | tee /dev/stderr | sed -n 's/^KERNEL_BUILD=//p')
	[ -n "$out" ] || die "debug kernel build failed"
	echo "$out"
}

# The second stock kernel: Debian 13's 6.12, which Debian serves to Debian 12
# from bookworm-backports, pinned to one version by its ABI name (its
# headers are installed by scripts/install-deps.sh, its image fetched into
# the cache).
# shellcheck disable=SC2034 # used by the scripts that source this
k612_suite=bookworm-backports
# shellcheck disable=SC2034
k612_abi=6.12.95+deb12-amd64

# Debian's stock kernel matching the installed linux-headers-amd64: its
# ABI name, and its image unpacked (once) into the cache.
stock_abi() {
	dpkg-query -W -f='${Depends}' linux-headers-amd64 |
		sed -n 's/.*linux-headers-\([0-9][^ ,]*-amd64\).*/\1/p'
}

# stock_kernel [ABI [SUITE]]: Debian's linux-image-ABI (by default the
# stock one's; from SUITE if given) unpacked into the cache, its modules
# uncompressed (busybox's insmod takes plain .ko files).
stock_kernel() {
	local abi=${1:-} suite=${2:-} dir deb pkg
	[ -n "$abi" ] || abi=$(stock_abi)
	[ -n "$abi" ] || die "linux-headers-amd64 is not installed"
	pkg=linux-image-$abi${suite:+/$suite}
	dir="$cache/stock-$abi"
	if [ ! -f "$dir/done" ]; then
		say "fetching Debian's $pkg" >&2
		rm -rf "$dir" && mkdir -p "$dir/deb"
		# _apt may not write into the cache; apt then downloads as root.
		chmod 0777 "$dir/deb"
		(cd "$dir/deb" && apt-get download -q "$pkg" >/dev/null) ||
			die "apt-get download $pkg failed (run apt-get update?)"
		deb=$(ls "$dir"/deb/*.deb)
		dpkg-deb -x "$deb" "$dir/root"
		find "$dir/root/lib/modules" -name '*.ko.xz' -print0 |
			xargs -0 -r -n 256 -P "$(nproc)" unxz ||
			die "cannot uncompress the modules of $pkg"
		depmod -b "$dir/root" "$abi"
		rm -rf "$dir/deb"
		touch "$dir/done"
	fi
	echo "$dir"
}

# The stock kernel's own modules sev-psp-sim needs before it loads (its ECC
# arithmetic, and the hashes and AES-GCM its firmware model asks the crypto
# API for), as --preload options for qemu-run.sh, in load order.
stock_preloads() {
	local stock=$1 abi=$2 m line seen=" "
	for m in ecc sha512_generic gf128mul ghash-generic ctr gcm; do
		modprobe -d "$stock/root" -S "$abi" --show-depends "$m" |
			sed -n 's/^insmod \([^ ]*\).*/\1/p'
	done | while read -r line; do
		case "$seen" in *" $line "*) continue ;; esac
		seen="$seen$line "
		echo "--preload $line"
	done
}

# The stock kernel's kvm-amd and what it needs but ccp, as --kmod options
# for qemu-run.sh, in load order: the guest loads it against sev-psp.
stock_kvm_kmods() {
	local k=$1/root/lib/modules/$2/kernel m
	for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
		echo "--kmod $k/$m.ko"
	done
}

# Build the modules for one kernel in their own copy of the tree, so that
# builds for different kernels never share object files.
#   build_modules NAME KDIR [make args...]  -> $build/NAME/src
build_modules() {
	local name=$1 kdir=$2 dst="$build/$1/src"
	shift 2
	mkdir -p "$dst"
	rsync -a --delete --exclude=build --exclude=.git "$top/" "$dst/"
	make -s -C "$kdir" M="$dst" "$@" modules
}

# build_modules, and on success a mark that the tree's modules are built
# from the current sources (for use_built).
#   build_modules_once NAME KDIR [make args...]
build_modules_once() {
	rm -f "$build/$1/built"
	build_modules "$@" && touch "$build/$1/built"
}

# use_built NAME: whether build_modules_once NAME succeeded in this run
# of run-tests.sh (after its start mark, $build/run-start).
use_built() {
	[ -f "$build/$1/built" ] && [ "$build/$1/built" -nt "$build/run-start" ]
}

# Copy the three modules a `dkms install` (or `make install`) put in
# DIR into MODS, as the guest's /modules.
#   collect_installed DIR MODS
collect_installed() {
	local dir=$1 mods=$2 m
	mkdir -p "$mods" && rm -f "$mods"/*.ko
	for m in sev-psp sev-psp-sim kvm-sev; do
		cp "$dir/$m.ko" "$mods/" || return
	done
}

# The modules `make install` put under MODDIR/updates, as depmod sees them:
# all three, the simulator and kvm-sev each needing sev-psp.
#   check_installed_deps MODDIR
check_installed_deps() {
	local dep=$1/modules.dep
	grep -q '^updates/drivers/psp/sev-psp.ko:' "$dep" &&
	grep -q '^updates/drivers/psp/sim/sev-psp-sim.ko: updates/drivers/psp/sev-psp.ko$' "$dep" &&
	grep -q '^updates/kvm-svm-sev/kvm-sev.ko: updates/drivers/psp/sev-psp.ko$' "$dep" || {
		echo "check_installed_deps: $dep is not as expected:" >&2
		cat "$dep" >&2
		return 1
	}
}

# Copy the .ko files of a module build into DIR (sev-psp, sim, kunit apart).
# With KUNIT_DIR, the KUnit modules are wanted: a build that made none
# fails here, where it happened, instead of giving a run with no suites.
#   collect_modules SRC DIR [KUNIT_DIR]
collect_modules() {
	local src=$1 mods=$2 kunit=${3:-}
	mkdir -p "$mods" && rm -f "$mods"/*.ko
	cp "$src"/drivers/psp/sev-psp.ko "$src"/drivers/psp/sim/sev-psp-sim.ko \
		"$src"/kvm-svm-sev/kvm-sev.ko "$mods/" || return
	if [ -n "$kunit" ]; then
		mkdir -p "$kunit" && rm -f "$kunit"/*.ko
		if ! compgen -G "$src/tests/kunit/*.ko" >/dev/null; then
			echo "error: no KUnit module was built in $src/tests/kunit (is CONFIG_KUNIT set in the kernel?)" >&2
			return 1
		fi
		cp "$src"/tests/kunit/*.ko "$kunit/"
	fi
}
