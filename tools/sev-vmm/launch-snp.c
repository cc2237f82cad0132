// SPDX-License-Identifier: GPL-2.0
/*
 * An SEV-SNP launch, in QEMU's order (target/i386/sev.c):
 *
 *   KVM_SEV_INIT2, SNP_LAUNCH_START; the OVMF image as NORMAL pages at
 *   4 GiB - its size (queued when the flash is mapped); then OVMF's SEV
 *   metadata sections in table order (snp_populate_metadata_pages()):
 *   SNP_SEC_MEM as ZERO, SNP_SECRETS as SECRETS, CPUID as CPUID with the
 *   CPUID table, any other (SVSM CAA, kernel hashes without a kernel) as
 *   ZERO; each range made private (KVM_SET_MEMORY_ATTRIBUTES) right before
 *   its SNP_LAUNCH_UPDATE, called again while KVM reports pages left. Then
 *   SNP_LAUNCH_FINISH, in which KVM measures every vCPU's VMSA at GPA
 *   0xFFFFFFFFF000 before the firmware's LAUNCH_FINISH.
 *
 * The launch digest is computed here page by page as the pages go. The
 * firmware keeps its own and says nothing of it, except through the ID
 * block: SNP_LAUNCH_FINISH fails with BAD_MEASUREMENT unless the digest
 * the ID block names is the firmware's. So the tool names its own.
 *
 * A CPUID page the firmware refuses comes back corrected (INVALID_PARAM,
 * and KVM copies the page back). QEMU then reports the differences and
 * stops; this tool reports them the same way and, unless told not to,
 * gives the corrected page once more.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/psp-sev.h>

#include "sev-vmm.h"
#include "attest.h"

struct snp_run {
	const struct launch *l;
	struct vm *vm;
	struct snp_digest ld;		/* the launch digest, as computed here */
	/* what an attestation report must name: zeros without an ID block */
	u8 id_key_digest[SHA384_LEN];
	bool id_key_known;
};

static void snp_set_private(struct vm *vm, u64 gpa, u64 len)
{
	struct kvm_memory_attributes a = {
		.address = gpa,
		.size = len,
		.attributes = KVM_MEMORY_ATTRIBUTE_PRIVATE,
	};

	if (ioctl(vm->vm_fd, KVM_SET_MEMORY_ATTRIBUTES, &a))
		vmm_err("KVM_SET_MEMORY_ATTRIBUTES(%#llx+%#llx, private): %s",
			(unsigned long long)gpa, (unsigned long long)len,
			strerror(errno));
}

/* One SNP_LAUNCH_UPDATE of [gpa, gpa + len), as many calls as KVM needs */
static int snp_update(struct vm *vm, u64 gpa, void *hva, u64 len, u8 type,
		      u32 *fw_error)
{
	struct kvm_sev_snp_launch_update u = {
		.gfn_start = gpa / PAGE_SIZE,
		.uaddr = (u64)(uintptr_t)hva,
		.len = len,
		.type = type,
	};
	int r;

	while (u.len) {
		r = sev_cmd(vm, KVM_SEV_SNP_LAUNCH_UPDATE, &u, fw_error);
		if (r && r != -EAGAIN)
			return r;
	}
	return 0;
}

static void snp_update_or_die(struct snp_run *s, u64 gpa, void *hva,
			      u64 len, u8 type, const char *what)
{
	u32 fw_error;
	int r;

	snp_set_private(s->vm, gpa, len);
	r = snp_update(s->vm, gpa, hva, len, type, &fw_error);
	if (r)
		vmm_err("SNP_LAUNCH_UPDATE %s (%#llx+%#llx, %s): %s (errno %d), firmware status %#x (%s)",
			what, (unsigned long long)gpa, (unsigned long long)len,
			snp_page_type_name(type), strerror(-r), -r, fw_error,
			fw_error_name(fw_error));
}

static void snp_account(struct snp_run *s, u64 gpa, const void *data,
			u64 len, u8 type, const char *what)
{
	snp_digest_pages(&s->ld, type, gpa, data, len);
	vmm_info("SNP_LAUNCH_UPDATE  GPA %#011llx %4llu page%s %-8s %s\n",
		 (unsigned long long)gpa, (unsigned long long)(len / PAGE_SIZE),
		 len == PAGE_SIZE ? " " : "s", snp_page_type_name(type), what);
}

/* QEMU's snp_metadata_desc_to_page_type() */
static u8 snp_section_page_type(u32 section)
{
	switch (section) {
	case OVMF_SECTION_SNP_SECRETS:
		return SNP_PAGE_TYPE_SECRETS;
	case OVMF_SECTION_CPUID:
		return SNP_PAGE_TYPE_CPUID;
	default:
		/* SNP_SEC_MEM: pre-validated memory, measured as zero */
		return SNP_PAGE_TYPE_ZERO;
	}
}

static void snp_cpuid_page(struct snp_run *s, const struct ovmf_section *sec)
{
	const struct launch *l = s->l;
	u8 *page = s->vm ? s->vm->ram + sec->gpa : NULL;
	u8 given[PAGE_SIZE];
	u32 fw_error;
	int r;

	if (l->cpuid_page)
		memcpy(given, l->cpuid_page, sizeof(given));
	else
		cpu_build_cpuid_page(l->cpu, l->type, l->vcpus, given);
	if (!s->vm)
		return;

	memcpy(page, given, PAGE_SIZE);
	snp_set_private(s->vm, sec->gpa, PAGE_SIZE);
	r = snp_update(s->vm, sec->gpa, page, PAGE_SIZE, SNP_PAGE_TYPE_CPUID,
		       &fw_error);
	if (!r)
		return;
	if (r != -EIO || fw_error != SEV_RET_INVALID_PARAM)
		vmm_err("SNP_LAUNCH_UPDATE CPUID page (%#x): %s (errno %d), firmware status %#x (%s)",
			sec->gpa, strerror(-r), -r, fw_error,
			fw_error_name(fw_error));

	vmm_info("SNP_LAUNCH_UPDATE  CPUID page refused: firmware status %#x (%s); KVM gave back its corrections:\n",
		 fw_error, fw_error_name(fw_error));
	cpu_report_cpuid_changes(given, page);
	if (l->cpuid_no_retry)
		vmm_err("SEV-SNP: failed update CPUID page (--cpuid-no-retry: stopping, as QEMU does)");
	vmm_info("SNP_LAUNCH_UPDATE  CPUID page: retrying once with the firmware's corrections (QEMU would stop here)\n");
	r = snp_update(s->vm, sec->gpa, page, PAGE_SIZE, SNP_PAGE_TYPE_CPUID,
		       &fw_error);
	if (r)
		vmm_err("SNP_LAUNCH_UPDATE CPUID page, corrected (%#x): %s (errno %d), firmware status %#x (%s)",
			sec->gpa, strerror(-r), -r, fw_error,
			fw_error_name(fw_error));
}

static void snp_sections(struct snp_run *s)
{
	const struct ovmf *o = s->l->ovmf;
	char what[64];
	u32 i;

	for (i = 0; i < o->nsections; i++) {
		const struct ovmf_section *sec = &o->sections[i];
		u8 type = snp_section_page_type(sec->type);
		u8 *hva = s->vm ? s->vm->ram + sec->gpa : NULL;

		snprintf(what, sizeof(what), "(OVMF metadata %u: %s)", i,
			 ovmf_section_name(sec->type));
		if (type == SNP_PAGE_TYPE_CPUID)
			snp_cpuid_page(s, sec);
		else if (s->vm)
			snp_update_or_die(s, sec->gpa, hva, sec->size, type,
					  what);
		/* ZERO, SECRETS and CPUID pages are measured as zeros */
		snp_account(s, sec->gpa, NULL, sec->size, type, what);
	}
}

/* The KVM policy bits, where KVM tells them (KVM_X86_SNP_POLICY_BITS) */
static void snp_check_policy(const struct launch *l, struct vm *vm)
{
	struct kvm_device_attr attr = {
		.group = KVM_X86_GRP_SEV,
		.attr = KVM_X86_SNP_POLICY_BITS,
	};
	u64 bits = 0;
	char flags[128];

	if (l->policy & SNP_POLICY_SINGLE_SOCKET)
		opt_err("--policy",
			"'single-socket': KVM refuses it (KVM_SEV_SNP_LAUNCH_START: a host cannot promise a guest one socket)");
	attr.addr = (u64)(uintptr_t)&bits;
	if (ioctl(vm->kvm_fd, KVM_GET_DEVICE_ATTR, &attr))
		return;
	if (l->policy & ~bits) {
		policy_string(GUEST_SNP, l->policy & ~bits, false, flags,
			      sizeof(flags));
		opt_err("--policy",
			"'%s' is not among the policy bits this KVM accepts (KVM_X86_SNP_POLICY_BITS %#llx)",
			flags, (unsigned long long)bits);
	}
}

static void snp_vmsas(struct snp_run *s, const struct vmsa *v)
{
	unsigned int i;

	for (i = 0; i < s->l->vcpus; i++)
		snp_digest_pages(&s->ld, SNP_PAGE_TYPE_VMSA, SNP_VMSA_GPA,
				 &v[i], PAGE_SIZE);
	vmm_info("SNP_LAUNCH_FINISH  GPA %#llx %4u page%s %-8s (vCPU VMSAs, measured by KVM at LAUNCH_FINISH)\n",
		 SNP_VMSA_GPA, s->l->vcpus, s->l->vcpus > 1 ? "s" : " ",
		 "VMSA");
}

/* The ID block and ID_AUTH: from files, or made here for our digest */
static void snp_id(struct snp_run *s, struct snp_id_block *blk, u8 *auth)
{
	const struct launch *l = s->l;
	const struct snp_digest *ld = &s->ld;
	u8 *id_digest = s->id_key_digest, author_digest[SHA384_LEN];

	if (l->id_block) {
		memcpy(blk, l->id_block, sizeof(*blk));
		memcpy(auth, l->id_auth, ID_AUTH_LEN);
		print_digest("ID block (given) names:", blk->ld, SHA384_LEN,
			     memcmp(blk->ld, ld->ld, SHA384_LEN) ?
			     "(not the userspace digest)" : NULL);
		if (blk->policy != l->policy)
			vmm_info("ID block (given) names policy %#llx, the launch's is %#llx: the firmware will say POLICY_FAILURE\n",
				 (unsigned long long)blk->policy,
				 (unsigned long long)l->policy);
		return;
	}
	memset(blk, 0, sizeof(*blk));
	memcpy(blk->ld, ld->ld, SHA384_LEN);
	memcpy(blk->family_id, l->family_id, 16);
	memcpy(blk->image_id, l->image_id, 16);
	blk->version = 1;
	blk->guest_svn = l->guest_svn;
	blk->policy = l->policy;
	id_auth_make(blk, &l->keys, auth, id_digest, author_digest);
	s->id_key_known = true;
	print_digest("ID key digest (SHA-384):", id_digest, SHA384_LEN,
		     l->keys.id_key_path ? NULL : "(key made for this launch)");
	if (l->keys.author_key_path)
		print_digest("author key digest (SHA-384):", author_digest,
			     SHA384_LEN, NULL);
	if (l->id_dir) {
		save_file(l->id_dir, "id_block.bin", blk, sizeof(*blk));
		save_file(l->id_dir, "id_auth.bin", auth, ID_AUTH_LEN);
		vmm_info("ID block and ID_AUTH written to %s: id_block.bin id_auth.bin\n",
			 l->id_dir);
	}
}

static int snp_finish(struct snp_run *s)
{
	const struct launch *l = s->l;
	struct kvm_sev_snp_launch_finish f = {};
	struct snp_id_block blk;
	u8 *auth = calloc(1, ID_AUTH_LEN);
	u32 fw_error;
	int r;

	if (!auth)
		vmm_err("out of memory");
	s->id_key_known = l->no_id_block;
	if (!l->no_id_block) {
		snp_id(s, &blk, auth);
		f.id_block_uaddr = (u64)(uintptr_t)&blk;
		f.id_auth_uaddr = (u64)(uintptr_t)auth;
		f.id_block_en = 1;
		f.auth_key_en = l->author_key_en || l->keys.author_key_path;
	}
	f.vcek_disabled = l->vcek_disabled;
	memcpy(f.host_data, l->host_data, sizeof(f.host_data));

	r = sev_cmd(s->vm, KVM_SEV_SNP_LAUNCH_FINISH, &f, &fw_error);
	if (r && r == -EIO && fw_error == SEV_RET_BAD_MEASUREMENT) {
		vmm_info("SNP_LAUNCH_FINISH: BAD_MEASUREMENT: the firmware's launch digest is NOT the one the ID block names\n");
		free(auth);
		return 1;
	}
	if (r)
		vmm_err("SNP_LAUNCH_FINISH: %s (errno %d), firmware status %#x (%s)",
			strerror(-r), -r, fw_error, fw_error_name(fw_error));
	if (l->no_id_block) {
		vmm_info("SNP_LAUNCH_FINISH: done; firmware digest not checked (--no-id-block)\n");
	} else {
		print_digest("launch digest (firmware):", blk.ld, SHA384_LEN,
			     "(SNP_LAUNCH_FINISH accepted the ID block naming it)");
		if (memcmp(blk.ld, s->ld.ld, SHA384_LEN)) {
			vmm_info("the firmware's launch digest is NOT the userspace one\n");
			free(auth);
			return 1;
		}
		vmm_info("firmware digest = userspace digest\n");
	}
	free(auth);
	return 0;
}

/* The guest's first attestation, and the guest owner's check of it */
static int snp_attest(struct snp_run *s)
{
	const struct launch *l = s->l;
	const struct ovmf *o = l->ovmf;
	struct attest a = {
		.kvm_fd = s->vm->kvm_fd,
		.vm_fd = s->vm->vm_fd,
		.vcpu_fd = s->vm->vcpu_fd[0],
		.ram = s->vm->ram,
		.ram_size = s->vm->ram_size,
		.vmm_certs = l->vmm_certs,
		.vmm_certs_len = l->vmm_certs_len,
		.measurement = s->ld.ld,
		.host_data = l->host_data,
		.id_key_digest = s->id_key_known ? s->id_key_digest : NULL,
		.policy = l->policy,
		.ark_path = l->ark_path,
		.out_dir = l->attest_dir,
	};
	u32 i;

	for (i = 0; i < o->nsections; i++)
		if (o->sections[i].type == OVMF_SECTION_SNP_SECRETS)
			break;
	if (i == o->nsections) {
		vmm_info("attest: OVMF has no SNP_SECRETS section: no VMPCK\n");
		return 1;
	}
	a.secrets_gpa = o->sections[i].gpa;
	vmm_info("attest: the guest's first attestation, with %s certificates\n",
		 l->vmm_certs ? "the VMM's (--vmm-certs)" : "the host's");
	return guest_attest(&a);
}

int launch_snp(const struct launch *l)
{
	const struct ovmf *o = l->ovmf;
	struct snp_run s = { .l = l };
	struct vcpu_state *states;
	struct kvm_sev_snp_launch_start start = {};
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_EXIT_HYPERCALL,
		.args[0] = BIT(KVM_HC_MAP_GPA_RANGE),
	};
	struct vmsa *v;
	unsigned int i;
	struct vm vm;
	int ret = 0;

	snp_digest_init(&s.ld);
	states = calloc(l->vcpus, sizeof(*states));
	if (!states)
		vmm_err("out of memory");
	v = launch_vmsas(l, states);

	if (!l->offline) {
		vm_create(&vm, l->kvm_path, l->sev_path, GUEST_SNP,
			  l->vmsa_features);
		s.vm = &vm;
		snp_check_policy(l, &vm);
		/* as QEMU: the guest converts memory with MAP_GPA_RANGE */
		if (ioctl(vm.vm_fd, KVM_ENABLE_CAP, &cap))
			vmm_err("KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL): %s",
				strerror(errno));
		start.policy = l->policy;
		memcpy(start.gosvw, l->gosvw, sizeof(start.gosvw));
		/* before the vCPUs, as KVM wants it */
		if (l->vmm_certs)
			sev_cmd_or_die(&vm, "KVM_SEV_SNP_ENABLE_REQ_CERTS",
				       KVM_SEV_SNP_ENABLE_REQ_CERTS, NULL);
		sev_cmd_or_die(&vm, "SNP_LAUNCH_START",
			       KVM_SEV_SNP_LAUNCH_START, &start);
		vm_add_memory(&vm, GUEST_SNP, o, l->ram_size);
		for (i = 0; i < l->vcpus; i++)
			vm_add_vcpu(&vm, &states[i]);
		snp_update_or_die(&s, o->gpa, vm.flash, o->size,
				  SNP_PAGE_TYPE_NORMAL, "(OVMF image)");
	}
	snp_account(&s, o->gpa, o->data, o->size, SNP_PAGE_TYPE_NORMAL,
		    "(OVMF image)");
	snp_sections(&s);
	snp_vmsas(&s, v);

	print_digest("launch digest (userspace, SHA-384):", s.ld.ld,
		     SHA384_LEN, NULL);
	if (!l->offline)
		ret = snp_finish(&s);
	if (!ret && l->attest)
		ret = snp_attest(&s);
	if (l->dump_vmsa_dir)
		launch_dump_vmsas(l, v);
	if (!l->offline)
		vm_destroy(&vm);
	free(v);
	free(states);
	return ret;
}
