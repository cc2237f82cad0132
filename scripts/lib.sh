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

# /dev/null as the null device. A regular file has been found in its
# place on these machines (once in CI: genksyms read a DKMS build's
# "-r /dev/null" symbol reference from it, "Token too long"; checkpatch's
# "diff -u /dev/null FILE" came back empty): every tool that reads it then
# fails in its own way. Make it again, and say when it was found so.
#   ensure_dev_null WHEN
ensure_dev_null() {
	[ -c /dev/null ] && return 0
	echo "note: /dev/null was not the null device $1 ($(stat -c '%F, mode %a, %s bytes, changed %y' /dev/null 2>&1)); made again" >&2
	rm -f /dev/null && mknod -m 0666 /dev/null c 1 3
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

# debug_guest KB MODDIR OUT TIMEOUT [qemu-run.sh ARGS...]: make test's
# run in the debug kernel of cache directory KB: the modules and KUnit
# suites collected under MODDIR (modules/, kunit/), the selftests and
# tools of $build, OVMF, and the debug kernel's own KVM modules (the
# kvm-amd against sev-psp check loads them).
debug_guest() {
	local kb=$1 moddir=$2 out=$3 timeout=$4 kmods=() m
	shift 4
	for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
		kmods+=(--kmod "$(ls "$kb"/modroot/lib/modules/*/kernel/$m.ko)")
	done
	"$top/scripts/qemu-run.sh" --kernel "$kb/build/arch/x86/boot/bzImage" \
		--modules "$moddir/modules" --kunit "$moddir/kunit" \
		--selftests "$build/selftests" --bin "$build/tools/sevtool" \
		--bin "$build/tools/snp-certs" --bin "$build/tools/sev-vmm" \
		--bin "$build/tools/sev_fuzz" \
		--extra "$OVMF_FD" "${kmods[@]}" \
		--out "$out" --timeout "$timeout" --mode test "$@"
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
	make -s -j"$(nproc)" -C "$kdir" M="$dst" "$@" modules
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
# all three, the simulator and kvm-sev each needing sev-psp. Compressed as
# the kernel's own are where its config says so (6.12's: .ko.xz).
#   check_installed_deps MODDIR
check_installed_deps() {
	local dep=$1/modules.dep ko='\.ko\(\.xz\|\.zst\|\.gz\)\?'
	grep -q "^updates/drivers/psp/sev-psp$ko:" "$dep" &&
	grep -q "^updates/drivers/psp/sim/sev-psp-sim$ko: updates/drivers/psp/sev-psp$ko\$" "$dep" &&
	grep -q "^updates/kvm-svm-sev/kvm-sev$ko: updates/drivers/psp/sev-psp$ko\$" "$dep" || {
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
