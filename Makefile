# SPDX-License-Identifier: GPL-2.0-only
#
# AMD SEV / SEV-SNP host stack, built out of tree.
#
#   make                 build the modules against KDIR
#   make W=1 / C=2       ... with extra warnings / with sparse
#   make tools           build sevtool, sev_bench and the selftests (static)
#   make check           checkpatch --strict, W=1 and sparse, all warning-free
#   make run             the main job: boot Debian's kernel in QEMU with the
#                        modules and a simulated PSP, and show /dev/sev
#   make test            everything: builds, checks, KUnit, selftests, stock
#                        kernels (Debian's 6.1 and 6.12)
#   make test ONLY=612   only the 6.12 stage (and what it needs)
#   make try CMD="..." [FILES="..."]
#                        boot the debug test kernel with the modules loaded,
#                        copy FILES into the guest's /extra and run CMD there
#   make fuzz [DURATION=60] [THREADS=2] [REMOVE=10] [FUZZ_ARGS="--seed N"]
#                        run sev_fuzz in the debug test kernel (as make try)
#
# KDIR defaults to the running kernel's build directory.

KDIR ?= /lib/modules/$(shell uname -r)/build
KSRC ?= $(KDIR)
BUILD ?= $(CURDIR)/build

# tools/include: the helpers every tool shares (sev_tool_util.h,
# tracefs_util.h); a tool that includes one lists TOOLS_HEADERS
TOOLS_CFLAGS := -O2 -g -Wall -Wextra -static -I$(CURDIR)/include/uapi \
		-I$(CURDIR)/tools/include
TOOLS_HEADERS := $(wildcard tools/include/*.h)
SELFTEST_CFLAGS := $(TOOLS_CFLAGS) -Wno-unused-parameter -Wno-sign-compare -pthread

# The KVM SEV selftests (tools/selftests/kvm/), against /dev/kvm-sev: the
# guest runs them from /selftests/kvm with kvm-sev.ko loaded.
KVM_SELFTESTS := sev_init2_tests sev_migrate_tests sev_dbg_test sev_smoke_test \
		 snp_launch_test kvm_vcpu_regs_test kvm_sev_alloc_fail_test \
		 sev_attest_secret_test sev_vm_race_test sev_vmm_crash_test \
		 sev_ghcb_msr_test snp_guest_lib_test sev_ghcb_page_test \
		 sev_psc_test sev_guest_req_test sev_snp_concurrency_test \
		 kvm_sev_trace_test sev_psp_replace_test
# ... those of them that play the guest owner with OpenSSL (linked in
# statically, as sev-vmm)
KVM_SELFTESTS_CRYPTO := sev_attest_secret_test
# ... those that play the guest with the guest library
# (tools/selftests/kvm/snp_guest_lib.h: GHCB, page state change, SNP guest
# messages), linked in with OpenSSL
KVM_SELFTESTS_GUESTLIB := snp_guest_lib_test sev_ghcb_page_test sev_psc_test \
			  sev_guest_req_test sev_snp_concurrency_test kvm_sev_trace_test
GUESTLIB_SRC := tools/selftests/kvm/ghcb_build.c tools/selftests/kvm/snp_guest_msg.c
GUESTLIB_DEPS := $(GUESTLIB_SRC) tools/selftests/kvm/snp_guest_lib.h \
		 tools/selftests/kvm/snp_sim_vmpck.h \
		 tools/selftests/kvm/include/linux/bits.h \
		 tools/selftests/kvm/include/linux/build_bug.h \
		 include/sev-psp/snp-msg.h
GUESTLIB_CFLAGS := -I$(CURDIR)/tools/selftests/kvm/include -I$(CURDIR)/include \
		   '-D__packed=__attribute__((__packed__))'

.PHONY: all modules clean tools check test run try coverage fuzz install \
	dkms-install dkms-remove

all: modules

modules:
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) does not exist: install linux-headers-$$(uname -r) or set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null || true
	rm -rf $(BUILD)

# Installing (README.md, "Installing"). The kernel KDIR is for, as its
# modules directory names it: Debian's headers say 6.1.192 in
# kernel.release but 6.1.0-57-amd64 in UTS_RELEASE, which is uname -r.
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

# Into /lib/modules/KVER/updates (INSTALL_MOD_PATH: under a staging root),
# then depmod.
install: modules
	@test -n "$(KVER)" || { echo "cannot tell the kernel release of KDIR=$(KDIR): set KVER" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) KERNELRELEASE=$(KVER) CONFIG_MODULE_SIG_ALL= \
		INSTALL_MOD_DIR=updates modules_install
	depmod $(if $(INSTALL_MOD_PATH),-b $(INSTALL_MOD_PATH)) -a $(KVER)

# Under DKMS, rebuilt for each kernel installed from now on
dkms-install:
	scripts/dkms.sh install $(KVER)

dkms-remove:
	scripts/dkms.sh remove

tools: $(BUILD)/tools/sevtool $(BUILD)/tools/sev_bench $(BUILD)/tools/snp-certs \
	$(BUILD)/tools/kvm_sev_bench $(BUILD)/tools/sev-vmm \
	$(BUILD)/tools/sev_fuzz $(BUILD)/selftests/snp_certs_chain.sh \
	$(BUILD)/selftests/sev_dev_test $(BUILD)/selftests/snp_platform_test \
	$(BUILD)/selftests/snp_certs_test $(BUILD)/selftests/sev_pki_test \
	$(BUILD)/selftests/sev_init_ex_test $(BUILD)/selftests/sev_fw_update_test \
	$(BUILD)/selftests/sev_init_order_test $(BUILD)/selftests/sev_alloc_fail_test \
	$(BUILD)/selftests/sev_tool_calls_test $(BUILD)/selftests/sev_compat32_test \
	$(BUILD)/selftests/sev_trace_test \
	$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS)) \
	$(BUILD)/selftests/kvm/sev_vmm_test.sh

$(BUILD)/tools/sevtool: tools/sevtool/sevtool.c include/uapi/linux/psp-sev.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

$(BUILD)/tools/sev_bench: tools/bench/sev_bench.c include/uapi/linux/psp-sev.h include/uapi/linux/sev-psp.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $<

# The guest requests and page state changes are played with the guest
# library (and OpenSSL, static as for snp-certs below).
KVM_SEV_BENCH_SRC := $(wildcard tools/bench/kvm_sev_bench*.c)
$(BUILD)/tools/kvm_sev_bench: $(KVM_SEV_BENCH_SRC) tools/bench/kvm_sev_bench.h \
		include/uapi/linux/kvm-sev.h $(GUESTLIB_DEPS)
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CC) $(TOOLS_CFLAGS) -pthread -I$(CURDIR)/tools/selftests/kvm $(GUESTLIB_CFLAGS) \
		-o $@ $(KVM_SEV_BENCH_SRC) $(GUESTLIB_SRC) -lcrypto -lpthread 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }
	@test -x $@	# the pipe above hides the compiler's exit status

# OpenSSL, linked in statically for the initramfs; the linker's warnings
# about glibc's dlopen/getaddrinfo in static programs do not apply: no
# engine is loaded and no name is looked up.
$(BUILD)/tools/snp-certs: tools/snp-certs/snp-certs.c include/uapi/linux/psp-sev.h include/uapi/linux/sev-psp.h
	@mkdir -p $(dir $@)
	$(CC) $(TOOLS_CFLAGS) -o $@ $< -lcrypto -lpthread 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }

# OVMF's SEV launch as QEMU does it, measured in userspace (static, as
# snp-certs, with OpenSSL for the digests and the owner's keys).
SEV_VMM_SRC := $(wildcard tools/sev-vmm/*.c)
$(BUILD)/tools/sev-vmm: $(SEV_VMM_SRC) tools/sev-vmm/sev-vmm.h tools/sev-vmm/attest.h \
		$(GUESTLIB_DEPS) include/uapi/linux/kvm-sev.h include/uapi/linux/psp-sev.h
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CC) $(TOOLS_CFLAGS) $(GUESTLIB_CFLAGS) -I$(CURDIR)/tools/selftests/kvm \
		-o $@ $(SEV_VMM_SRC) $(GUESTLIB_SRC) -lcrypto -lpthread 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }
	@test -x $@	# the pipe above hides the compiler's exit status

# The fuzzer plays the guest with the guest library (as the
# KVM_SELFTESTS_GUESTLIB tests), OpenSSL linked in statically as there.
SEV_FUZZ_SRC := $(wildcard tools/fuzz/*.c)
$(BUILD)/tools/sev_fuzz: $(SEV_FUZZ_SRC) tools/fuzz/sev_fuzz.h $(GUESTLIB_DEPS) $(TOOLS_HEADERS) \
		include/uapi/linux/kvm-sev.h include/uapi/linux/psp-sev.h \
		include/uapi/linux/sev-psp.h
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CC) $(TOOLS_CFLAGS) $(GUESTLIB_CFLAGS) -I$(CURDIR)/tools/selftests/kvm \
		-pthread -o $@ $(SEV_FUZZ_SRC) $(GUESTLIB_SRC) -lcrypto -lpthread 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }
	@test -x $@	# the pipe above hides the compiler's exit status

$(BUILD)/selftests/%.sh: tools/selftests/%.sh
	@mkdir -p $(dir $@)
	install -m 0755 $< $@

# The kselftest harness comes from the kernel source (KSRC).
$(BUILD)/selftests/sev_pki_test $(BUILD)/selftests/sev_fw_update_test \
		$(BUILD)/selftests/sev_init_order_test: \
		# A 32-bit program (gcc-multilib), run by the 64-bit kernel's IA32
# emulation: /dev/sev's structs must have one layout for both. The 6.1
# kselftest harness casts pointers to 64-bit integers, harmless here.
$(BUILD)/selftests/sev_compat32_test: tools/selftests/sev_compat32_test.c \
		tools/selftests/sev_test_util.h $(TOOLS_HEADERS) include/uapi/linux/psp-sev.h \
		include/uapi/linux/sev-psp.h
	@mkdir -p $(dir $@)
	$(CC) -m32 $(SELFTEST_CFLAGS) -Wno-pointer-to-int-cast \
		-I$(KSRC)/tools/testing/selftests -o $@ $<

$(BUILD)/selftests/%: tools/selftests/%.c tools/selftests/sev_test_util.h $(TOOLS_HEADERS) \
		tools/selftests/sim_fw_image.h tools/selftests/sev_cert.h \
		include/uapi/linux/psp-sev.h
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -Wno-deprecated-declarations \
		-I$(KSRC)/tools/testing/selftests -o $@ $< -lcrypto 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }

$(BUILD)/selftests/%: tools/selftests/%.c tools/selftests/sev_test_util.h $(TOOLS_HEADERS) tools/selftests/sim_fw_image.h include/uapi/linux/psp-sev.h include/uapi/linux/sev-psp.h
	@test -f "$(KSRC)/tools/testing/selftests/kselftest_harness.h" || { echo "KSRC=$(KSRC) has no kselftest_harness.h: set KSRC to a kernel source tree" >&2; exit 1; }
	@mkdir -p $(dir $@)
	$(CC) $(SELFTEST_CFLAGS) -I$(KSRC)/tools/testing/selftests -o $@ $<

$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS)): $(BUILD)/selftests/kvm/%: \
		tools/selftests/kvm/%.c tools/selftests/kvm/kvm_sev_util.h \
		tools/selftests/sev_test_util.h tools/selftests/sev_cert.h $(TOOLS_HEADERS) \
		include/uapi/linux/kvm-sev.h \
		include/uapi/linux/psp-sev.h
	@test -f "$(KSRC)/tools/testing/selftests/kselftest_harness.h" || { echo "KSRC=$(KSRC) has no kselftest_harness.h: set KSRC to a kernel source tree" >&2; exit 1; }
	@mkdir -p $(dir $@)
	@rm -f $@
	$(CC) $(SELFTEST_CFLAGS) -I$(CURDIR)/tools/selftests $(KVM_SELFTEST_INC) \
		-I$(KSRC)/tools/testing/selftests -o $@ $< $(KVM_SELFTEST_LIBS) 2>&1 | \
		{ grep -v -e 'statically linked applications' -e 'in function' || true; }
	@test -x $@	# the pipe above hides the compiler's exit status

$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS_CRYPTO)): KVM_SELFTEST_LIBS := -lcrypto -lpthread

# The guest library's sources after the test's own; its header includes
# the kernel's include/sev-psp/snp-msg.h, with tools/selftests/kvm/include/
# standing in for the two kernel headers that one wants and __packed
# defined here (a header defining it would be checkpatch's warning).
$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS_GUESTLIB)): $(GUESTLIB_DEPS)
$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS_GUESTLIB)): \
	KVM_SELFTEST_INC := $(GUESTLIB_CFLAGS)
$(addprefix $(BUILD)/selftests/kvm/,$(KVM_SELFTESTS_GUESTLIB)): \
	KVM_SELFTEST_LIBS := $(GUESTLIB_SRC) -lcrypto -lpthread

check:
	@scripts/static-checks.sh "$(KDIR)" "$(KSRC)"

test:
	@scripts/run-tests.sh

run:
	@scripts/run-demo.sh

try:
	@scripts/try.sh "$(CMD)" $(FILES)

coverage:
	@scripts/coverage.sh

# sev_fuzz in the debug test kernel for DURATION seconds (the guest's
# limit: 10 minutes more, boot included); its exit status becomes a
# check of the run, with the splat and kmemleak checks of make try.
DURATION ?= 60
THREADS ?= 2
# REMOVE: every so many seconds the simulated PSP is removed, or its
# module unloaded, under the fuzzing threads (0: never)
REMOVE ?= 10
FUZZ_REMOVE = $(if $(filter-out 0,$(REMOVE)),--remove $(REMOVE) \
	--sim-module /modules/sev-psp-sim.ko)
FUZZ_CMD = insmod /modules/kvm-sev.ko; \
	/extra/sev_fuzz --duration $(DURATION) --threads $(THREADS) \
	$(FUZZ_REMOVE) $(FUZZ_ARGS); \
	r=$$?; rmmod kvm_sev; \
	if [ $$r = 0 ]; then echo @@CHECK ok sev-fuzz; \
	else echo @@CHECK fail sev-fuzz: exit $$r; fi

fuzz: $(BUILD)/tools/sev_fuzz
	@TRY_TIMEOUT=$$(( $(DURATION) + 600 )) \
		scripts/try.sh '$(FUZZ_CMD)' $(BUILD)/tools/sev_fuzz
