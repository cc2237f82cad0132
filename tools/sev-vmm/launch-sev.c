// SPDX-License-Identifier: GPL-2.0
/*
 * An SEV or SEV-ES launch, in QEMU's order (target/i386/sev.c):
 *
 *   KVM_SEV_INIT2, LAUNCH_START with the guest owner's DH certificate and
 *   session; the OVMF image encrypted in place with LAUNCH_UPDATE_DATA
 *   (sev_encrypt_flash()); for SEV-ES, every vCPU's VMSA with
 *   LAUNCH_UPDATE_VMSA, then LAUNCH_MEASURE (sev_launch_get_measure()),
 *   and LAUNCH_FINISH when the guest would start.
 *
 * The firmware never reveals its digest: LAUNCH_MEASURE gives an HMAC of
 * it under the TIK, which only the guest owner and the firmware know. The
 * tool is the owner here (or is given the owner's TIK), so it recomputes
 * the digest from the bytes it gave the firmware and checks the HMAC, as
 * the owner does before it sends a secret.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sev-vmm.h"

static const char * const guest_states[] = {
	"UNINIT", "LUPDATE", "LSECRET", "RUNNING", "SUPDATE", "RUPDATE",
	"SENT",
};

/* What the firmware will hash: the image, then (SEV-ES) each VMSA */
static void sev_userspace_digest(const struct launch *l, const struct vmsa *v,
				 u8 out[SHA256_LEN])
{
	struct sev_digest *d = sev_digest_new();
	unsigned int i;

	sev_digest_update(d, l->ovmf->data, l->ovmf->size);
	if (l->type == GUEST_SEV_ES)
		for (i = 0; i < l->vcpus; i++)
			sev_digest_update(d, &v[i], sizeof(v[i]));
	sev_digest_final(d, out);
}

static void sev_owner_setup(const struct launch *l, struct vm *vm,
			    struct sev_owner *o)
{
	size_t pdh_len;
	u8 *pdh;

	memset(o, 0, sizeof(*o));
	if (l->dh_cert) {
		memcpy(o->dh_cert, l->dh_cert, sizeof(o->dh_cert));
		memcpy(&o->session, l->session, sizeof(o->session));
		if (l->tik) {
			memcpy(o->tik, l->tik, sizeof(o->tik));
			o->have_tik = true;
		}
		vmm_info("guest owner: DH certificate %s, session %s, %s\n",
			 l->dh_cert_path, l->session_path,
			 o->have_tik ? "TIK given" : "no TIK (LAUNCH_MEASURE unchecked)");
		return;
	}
	pdh = vm_pdh_cert(vm, &pdh_len);
	owner_make_session(o, pdh, pdh_len, l->policy);
	free(pdh);
	vmm_info("guest owner: this tool (ECDH P-384 with the platform's PDH, fresh TEK and TIK)\n");
	if (l->owner_dir) {
		save_file(l->owner_dir, "godh.cert", o->dh_cert,
			  sizeof(o->dh_cert));
		save_file(l->owner_dir, "session.bin", &o->session,
			  sizeof(o->session));
		save_file(l->owner_dir, "tek.bin", o->tek, sizeof(o->tek));
		save_file(l->owner_dir, "tik.bin", o->tik, sizeof(o->tik));
		vmm_info("guest owner's files written to %s: godh.cert session.bin tek.bin tik.bin\n",
			 l->owner_dir);
	}
}

static int sev_check_measure(const struct launch *l, struct vm *vm,
			     const struct sev_owner *o,
			     const u8 digest[SHA256_LEN])
{
	struct kvm_sev_launch_measure m = {};
	u8 blob[SHA256_LEN + 16], want[SHA256_LEN];
	u8 api_major, api_minor, build;
	u32 fw_error;
	int r;

	/* QEMU asks for the length first; the firmware says INVALID_LEN */
	r = sev_cmd(vm, KVM_SEV_LAUNCH_MEASURE, &m, &fw_error);
	if (!m.len)
		vmm_err("LAUNCH_MEASURE (length): %s, firmware status %#x (%s)",
			strerror(-r), fw_error, fw_error_name(fw_error));
	if (m.len != sizeof(blob))
		vmm_err("LAUNCH_MEASURE: %u bytes, not measurement and MNONCE",
			m.len);
	m.uaddr = (u64)(uintptr_t)blob;
	sev_cmd_or_die(vm, "LAUNCH_MEASURE", KVM_SEV_LAUNCH_MEASURE, &m);

	print_digest("LAUNCH_MEASURE (firmware):", blob, SHA256_LEN, NULL);
	print_digest("  its MNONCE:", blob + SHA256_LEN, 16, NULL);
	if (!o->have_tik) {
		vmm_info("firmware digest: not checked (no TIK: give --tik with --session)\n");
		return 0;
	}
	vm_platform_status(vm, &api_major, &api_minor, &build);
	sev_launch_measure_mac(o->tik, api_major, api_minor, build,
			       (u32)l->policy, digest, blob + SHA256_LEN, want);
	if (memcmp(want, blob, SHA256_LEN)) {
		print_digest("HMAC of the userspace digest:", want, SHA256_LEN,
			     "MISMATCH");
		vmm_info("the firmware's launch digest is NOT the one computed here (API %u.%u build %u)\n",
			 api_major, api_minor, build);
		return 1;
	}
	print_digest("HMAC of the userspace digest (TIK):", want, SHA256_LEN,
		     "= LAUNCH_MEASURE");
	vmm_info("firmware digest = userspace digest (LAUNCH_MEASURE checked with the TIK; API %u.%u build %u)\n",
		 api_major, api_minor, build);
	return 0;
}

int launch_sev(const struct launch *l)
{
	bool es = l->type == GUEST_SEV_ES;
	struct kvm_sev_launch_update_data data = {};
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_guest_status status = {};
	struct vcpu_state *states;
	struct vmsa *v;
	u8 digest[SHA256_LEN];
	struct sev_owner owner;
	unsigned int i;
	struct vm vm;
	int ret;

	states = calloc(l->vcpus, sizeof(*states));
	if (!states)
		vmm_err("out of memory");
	v = launch_vmsas(l, states);
	sev_userspace_digest(l, v, digest);

	if (l->offline) {
		print_digest("launch digest (userspace, SHA-256):", digest,
			     SHA256_LEN, NULL);
		if (l->dump_vmsa_dir && es)
			launch_dump_vmsas(l, v);
		return 0;
	}

	vm_create(&vm, l->kvm_path, l->sev_path, l->type, l->vmsa_features);
	sev_owner_setup(l, &vm, &owner);

	start.policy = l->policy;
	start.dh_uaddr = (u64)(uintptr_t)owner.dh_cert;
	start.dh_len = sizeof(owner.dh_cert);
	start.session_uaddr = (u64)(uintptr_t)&owner.session;
	start.session_len = sizeof(owner.session);
	sev_cmd_or_die(&vm, "LAUNCH_START", KVM_SEV_LAUNCH_START, &start);
	vmm_info("LAUNCH_START: handle %u\n", start.handle);

	vm_add_memory(&vm, l->type, l->ovmf, l->ram_size);
	for (i = 0; i < l->vcpus; i++)
		vm_add_vcpu(&vm, &states[i]);

	data.uaddr = (u64)(uintptr_t)vm.flash;
	data.len = vm.flash_size;
	sev_cmd_or_die(&vm, "LAUNCH_UPDATE_DATA", KVM_SEV_LAUNCH_UPDATE_DATA,
		       &data);
	vmm_info("LAUNCH_UPDATE_DATA: the OVMF image, %llu bytes at GPA %#llx\n",
		 (unsigned long long)vm.flash_size,
		 (unsigned long long)vm.flash_gpa);
	if (es) {
		sev_cmd_or_die(&vm, "LAUNCH_UPDATE_VMSA",
			       KVM_SEV_LAUNCH_UPDATE_VMSA, NULL);
		vmm_info("LAUNCH_UPDATE_VMSA: %u VMSA%s (BSP at %#x:%#llx",
			 l->vcpus, l->vcpus > 1 ? "s" : "", 0xf000,
			 (unsigned long long)states[0].regs.rip);
		if (l->vcpus > 1)
			vmm_info(", APs at the SEV-ES reset block, CS base %#llx RIP %#llx",
				 (unsigned long long)states[1].sregs.cs.base,
				 (unsigned long long)states[1].regs.rip);
		vmm_info(")\n");
	}

	print_digest("launch digest (userspace, SHA-256):", digest,
		     SHA256_LEN, NULL);
	ret = sev_check_measure(l, &vm, &owner, digest);

	sev_cmd_or_die(&vm, "GUEST_STATUS", KVM_SEV_GUEST_STATUS, &status);
	sev_cmd_or_die(&vm, "LAUNCH_FINISH", KVM_SEV_LAUNCH_FINISH, NULL);
	vmm_info("LAUNCH_FINISH: done (the guest was in state %s, policy %#x)\n",
		 status.state < ARRAY_SIZE(guest_states) ?
		 guest_states[status.state] : "?", status.policy);

	if (l->dump_vmsa_dir && es)
		launch_dump_vmsas(l, v);
	vm_destroy(&vm);
	free(v);
	free(states);
	return ret;
}
