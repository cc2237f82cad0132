#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel in QEMU (TCG) with an initramfs holding the project's
# modules, test programs and tests/guest/init, and collect two logs:
#   OUT/console.log  everything the kernel printed (ttyS0)
#   OUT/results.log  what /init reported, as "@@" marker lines (ttyS1)
#
# usage: qemu-run.sh --kernel BZIMAGE --modules DIR --out DIR [options]
#   --mode test|stock|demo   what /init does (default test)
#   --kunit DIR              KUnit test modules to load (test mode)
#   --selftests DIR          test programs to run (test mode)
#   --bin FILE               put FILE in the guest's /bin (repeatable)
#   --kmod FILE              an in-tree module for /kmods (repeatable)
#   --preload FILE           a kernel module /init loads first, in order
#   --extra FILE             put FILE in the guest's /extra (repeatable)
#   --cmd "COMMAND"          run COMMAND in /extra after the modules load
#   --timeout SECONDS        stop the guest after this long (default 900)
#   --smp N                  virtual CPUs (default 2)
#   --kvm                    use KVM instead of TCG (hangs on some hosts)
#   --gcov                   at the end, print the modules' gcov data
#                            (modules built with COVERAGE=1)
set -euo pipefail

mode=test kernel='' modules='' kunit='' selftests='' out='' cmd='' timeout=900 accel=tcg smp=2
gcov=0
bins=() extras=() kmods=() preloads=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift ;;
	--modules) modules=$2; shift ;;
	--kunit) kunit=$2; shift ;;
	--selftests) selftests=$2; shift ;;
	--bin) bins+=("$2"); shift ;;
	--kmod) kmods+=("$2"); shift ;;
	--preload) preloads+=("$2"); shift ;;
	--extra) extras+=("$2"); shift ;;
	--cmd) cmd=$2; shift ;;
	--mode) mode=$2; shift ;;
	--out) out=$2; shift ;;
	--timeout) timeout=$2; shift ;;
	--smp) smp=$2; shift ;;
	--kvm) accel=kvm ;;
	--gcov) gcov=1 ;;
	*) echo "qemu-run: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$kernel" ] && [ -n "$modules" ] && [ -n "$out" ] ||
	{ echo "qemu-run: --kernel, --modules and --out are required" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
mkdir -p "$out"
# Logs of an earlier run must not be judged as this one's if this one
# fails before the guest starts.
: >"$out/console.log"
: >"$out/results.log"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,dev,proc,sys,tmp,modules,kunit,selftests,extra,kmods,preload}
cp /bin/busybox "$root/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
cp "$top/tests/guest/init" "$root/init"
cp "$modules"/*.ko "$root/modules/"
# A directory named must hold what it is for: a guest without its KUnit
# modules or test programs would have fewer tests to fail.
if [ -n "$kunit" ] && ! cp "$kunit"/*.ko "$root/kunit/"; then
	echo "qemu-run: no KUnit modules (*.ko) in $kunit" >&2
	exit 2
fi
if [ -n "$selftests" ] && ! cp -r "$selftests"/* "$root/selftests/"; then
	echo "qemu-run: no test programs in $selftests" >&2
	exit 2
fi
for f in "${bins[@]}"; do cp "$f" "$root/bin/"; done
for f in "${kmods[@]}"; do cp "$f" "$root/kmods/"; done
i=10
for f in "${preloads[@]}"; do
	cp "$f" "$root/preload/$i-$(basename "$f")"
	i=$((i + 1))
done
for f in "${extras[@]}"; do cp -r "$f" "$root/extra/"; done
append="console=ttyS0 panic=-1 no5lvl sevtest.mode=$mode"
[ "$gcov" = 0 ] || append="$append sevtest.gcov=1"
if [ -n "$cmd" ]; then
	printf '#!/bin/sh\n%s\n' "$cmd" >"$root/extra/cmd.sh"
	chmod +x "$root/extra/cmd.sh"
	append="$append sevtest.cmd=1"
fi
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.cpio.gz"

rc=0
timeout --foreground "$timeout" qemu-system-x86_64 \
	-accel "$accel" -cpu max -smp "$smp" -m 2048 \
	-display none -monitor none -no-reboot \
	-kernel "$kernel" -initrd "$out/initramfs.cpio.gz" \
	-append "$append" \
	-serial "file:$out/console.log" -serial "file:$out/results.log" \
	</dev/null &
qemu=$!
# Name each stage as the guest reaches it, so a long run shows where it is.
tail -n +1 -F --pid=$qemu "$out/results.log" 2>/dev/null |
	sed -un "s/^@@STAGE /  [$mode guest] /p" &
wait $qemu || rc=$?
wait
if [ $rc -eq 124 ]; then
	echo "qemu-run: guest did not finish within ${timeout}s (last stage: $(grep '^@@STAGE' "$out/results.log" | tail -n 1 | cut -c9-))" >&2
fi
exit $rc
