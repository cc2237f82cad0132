// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_SEV_INIT2 and the VM types, as upstream's
 * tools/testing/selftests/kvm/x86/sev_init2_tests.c, against /dev/kvm-sev:
 * which VM types KVM_CAP_VM_TYPES offers (upstream compares them with
 * CPUID; here with what the simulated platform has), KVM_SEV_INIT2 on each,
 * its argument checks (flags, vmsa_features, ghcb_version), the legacy
 * KVM_SEV_INIT / KVM_SEV_ES_INIT on KVM_X86_DEFAULT_VM only, a second init,
 * and the supported VMSA features as a device attribute.
 *
 * Each test gets a fresh simulated PSP (sevsim0) and removes it afterwards.
 */
#include "kselftest_harness.h"
#include "kvm_sev_util.h"

/* Features that may be given to KVM_SEV_INIT2 one by one (upstream's) */
#define KNOWN_FEATURES		SVM_SEV_FEAT_DEBUG_SWAP

static const char *type_name(unsigned long type)
{
	switch (type) {
	case KVM_X86_DEFAULT_VM: return "DEFAULT";
	case KVM_X86_SW_PROTECTED_VM: return "SW_PROTECTED";
	case KVM_X86_SEV_VM: return "SEV";
	case KVM_X86_SEV_ES_VM: return "SEV_ES";
	case KVM_X86_SNP_VM: return "SNP";
	default: return "?";
	}
}

/* Does the simulated platform have SNP (sev-psp-sim's snp=)? */
static bool sim_platform_snp(void)
{
	char buf[8];

	return read_file(SIM_PARAMS "/snp", buf, sizeof(buf)) > 0 &&
	       buf[0] == 'Y';
}

FIXTURE(init2) {
	int kvm_fd;
	int sev_fd;
	uint64_t vm_types;
	uint64_t vmsa_features;
};

FIXTURE_SETUP(init2)
{
	int types;

	sim_del(SEV_SIM_ID);	/* left over by a test that died */
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2)) TH_LOG("cannot create sevsim0");
	self->sev_fd = sev_dev_open();
	ASSERT_LE(0, self->sev_fd) TH_LOG("open /dev/sev: %d", self->sev_fd);
	self->kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->kvm_fd) TH_LOG("open %s: %d (is kvm-sev.ko loaded?)",
					  KVM_SEV_DEV_PATH, self->kvm_fd);
	types = kvm_check_extension(self->kvm_fd, KVM_CAP_VM_TYPES);
	ASSERT_LE(0, types);
	self->vm_types = types;
	ASSERT_EQ(0, kvm_get_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					 KVM_X86_SEV_VMSA_FEATURES,
					 &self->vmsa_features));
}

FIXTURE_TEARDOWN(init2)
{
	close(self->kvm_fd);
	close(self->sev_fd);
	sim_del(SEV_SIM_ID);
}

/* A new VM of @type, KVM_SEV_INIT2 with @init on it, the VM closed */
static int init2_on_new_vm(struct __test_metadata *_metadata, int kvm_fd,
			   int sev_fd, unsigned long type,
			   struct kvm_sev_init *init)
{
	uint32_t error = 0;
	int vm, ret;

	vm = kvm_create_vm(kvm_fd, type);
	EXPECT_LE(0, vm) TH_LOG("KVM_CREATE_VM(%s): %d", type_name(type), vm);
	if (vm < 0)
		return vm;
	ret = sev_ioctl(vm, sev_fd, KVM_SEV_INIT2, init, &error);
	/* As upstream's __sev_ioctl(): success means no firmware error. */
	EXPECT_TRUE(ret || !error) TH_LOG("KVM_SEV_INIT2 ok, fw error %#x", error);
	close(vm);
	return ret;
}

TEST_F(init2, vm_types_match_the_platform)
{
	unsigned long type;

	/* upstream: CPUID's SEV, SEV-ES and SNP bits agree with the types */
	EXPECT_TRUE(self->vm_types & BIT(KVM_X86_DEFAULT_VM));
	EXPECT_TRUE(self->vm_types & BIT(KVM_X86_SEV_VM));
	/* the simulated platform has SEV-ES ASIDs (1..min_sev_asid - 1) */
	EXPECT_TRUE(self->vm_types & BIT(KVM_X86_SEV_ES_VM));
	EXPECT_EQ(sim_platform_snp(), !!(self->vm_types & BIT(KVM_X86_SNP_VM)))
		TH_LOG("KVM_CAP_VM_TYPES %#llx, platform SNP %d",
		       (unsigned long long)self->vm_types, sim_platform_snp());
	EXPECT_EQ(0, self->vm_types & ~(uint64_t)(BIT(KVM_X86_DEFAULT_VM) |
		  BIT(KVM_X86_SEV_VM) | BIT(KVM_X86_SEV_ES_VM) |
		  BIT(KVM_X86_SNP_VM))) TH_LOG("no other type is implemented");

	/* every type offered can be created, every other one cannot */
	for (type = 0; type < 64; type++) {
		int vm = kvm_create_vm(self->kvm_fd, type);

		if (self->vm_types & BIT_ULL(type)) {
			EXPECT_LE(0, vm) TH_LOG("type %lu offered, not created: %d",
						type, vm);
		} else {
			EXPECT_EQ(-EINVAL, vm) TH_LOG("type %lu", type);
		}
		if (vm >= 0)
			close(vm);
	}
	EXPECT_EQ(-EINVAL, kvm_create_vm(self->kvm_fd, ~0UL));
}

TEST_F(init2, vmsa_features_device_attribute)
{
	uint64_t val = ~0ULL;

	/* upstream's main(): the attribute exists */
	EXPECT_EQ(0, kvm_has_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					 KVM_X86_SEV_VMSA_FEATURES));
	EXPECT_EQ(0, kvm_get_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					 KVM_X86_SEV_VMSA_FEATURES, &val));
	EXPECT_EQ(self->vmsa_features, val);
	/* KVM offers DebugSwap at most, and only with SEV-ES */
	EXPECT_EQ(0, val & ~SVM_SEV_FEAT_DEBUG_SWAP)
		TH_LOG("VMSA features %#llx", (unsigned long long)val);

	/* unknown attributes and groups: -ENXIO, as upstream */
	EXPECT_EQ(-ENXIO, kvm_has_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					      0x1000));
	EXPECT_EQ(-ENXIO, kvm_get_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					      0x1000, &val));
	EXPECT_EQ(-ENXIO, kvm_has_device_attr(self->kvm_fd, 0x7777,
					      KVM_X86_SEV_VMSA_FEATURES));
	/* the value goes to user memory: a bad address is -EFAULT */
	EXPECT_EQ(-EFAULT, kvm_get_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					       KVM_X86_SEV_VMSA_FEATURES,
					       (uint64_t *)8));
}

/* upstream's test_vm_types(): INIT2 on each SEV type, not on DEFAULT */
TEST_F(init2, init2_on_each_sev_type)
{
	static const unsigned long types[] = {
		KVM_X86_SEV_VM, KVM_X86_SEV_ES_VM, KVM_X86_SNP_VM,
	};
	struct kvm_sev_init init = {};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		if (!(self->vm_types & BIT(types[i])))
			continue;
		EXPECT_EQ(0, init2_on_new_vm(_metadata, self->kvm_fd,
					     self->sev_fd, types[i], &init))
			TH_LOG("KVM_SEV_INIT2 on a %s VM", type_name(types[i]));
	}
	EXPECT_EQ(-EINVAL, init2_on_new_vm(_metadata, self->kvm_fd,
					   self->sev_fd, KVM_X86_DEFAULT_VM,
					   &init))
		TH_LOG("KVM_SEV_INIT2 on KVM_X86_DEFAULT_VM must be refused");
}

/* The argument checks, per SEV VM type */
FIXTURE(init2_args) {
	int kvm_fd;
	int sev_fd;
	uint64_t vmsa_features;
};

FIXTURE_VARIANT(init2_args) {
	unsigned long type;
};

FIXTURE_VARIANT_ADD(init2_args, sev) { .type = KVM_X86_SEV_VM };
FIXTURE_VARIANT_ADD(init2_args, sev_es) { .type = KVM_X86_SEV_ES_VM };
FIXTURE_VARIANT_ADD(init2_args, snp) { .type = KVM_X86_SNP_VM };

FIXTURE_SETUP(init2_args)
{
	int types;

	sim_del(SEV_SIM_ID);
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2));
	self->sev_fd = sev_dev_open();
	ASSERT_LE(0, self->sev_fd);
	self->kvm_fd = kvm_sev_open();
	ASSERT_LE(0, self->kvm_fd);
	types = kvm_check_extension(self->kvm_fd, KVM_CAP_VM_TYPES);
	ASSERT_LE(0, types);
	if (!(types & BIT(variant->type)))
		SKIP(return, "%s VMs are not in KVM_CAP_VM_TYPES (%#x)",
		     type_name(variant->type), types);
	ASSERT_EQ(0, kvm_get_device_attr(self->kvm_fd, KVM_X86_GRP_SEV,
					 KVM_X86_SEV_VMSA_FEATURES,
					 &self->vmsa_features));
}

FIXTURE_TEARDOWN(init2_args)
{
	close(self->kvm_fd);
	close(self->sev_fd);
	sim_del(SEV_SIM_ID);
}

/* upstream's test_flags(): no flag is defined */
TEST_F(init2_args, every_flag_is_invalid)
{
	int i;

	for (i = 0; i < 32; i++) {
		struct kvm_sev_init init = { .flags = BIT(i) };

		EXPECT_EQ(-EINVAL, init2_on_new_vm(_metadata, self->kvm_fd,
						   self->sev_fd, variant->type,
						   &init))
			TH_LOG("flags %#x", BIT(i));
	}
}

/*
 * upstream's test_features(): an unsupported feature is -EINVAL, a
 * supported one works; plain SEV supports none.
 */
TEST_F(init2_args, vmsa_features)
{
	uint64_t supported = variant->type == KVM_X86_SEV_VM ? 0 :
			     self->vmsa_features;
	int i, ret;

	for (i = 0; i < 64; i++) {
		struct kvm_sev_init init = { .vmsa_features = BIT_ULL(i) };

		if (!(supported & BIT_ULL(i))) {
			ret = init2_on_new_vm(_metadata, self->kvm_fd,
					      self->sev_fd, variant->type,
					      &init);
			EXPECT_EQ(-EINVAL, ret) TH_LOG("feature bit %d", i);
		} else if (KNOWN_FEATURES & BIT_ULL(i)) {
			ret = init2_on_new_vm(_metadata, self->kvm_fd,
					      self->sev_fd, variant->type,
					      &init);
			EXPECT_EQ(0, ret) TH_LOG("supported feature bit %d", i);
		}
	}
}

/*
 * ghcb_version: at most 2 (GHCB_VERSION_MAX), and none for plain SEV,
 * which has no GHCB; 0 means KVM's default.
 */
TEST_F(init2_args, ghcb_version)
{
	bool es = variant->type != KVM_X86_SEV_VM;
	uint16_t v;

	for (v = 0; v <= 4; v++) {
		struct kvm_sev_init init = { .ghcb_version = v };
		int want = v > 2 || (!es && v) ? -EINVAL : 0;

		/* SNP needs version 2; upstream checks only the above */
		if (variant->type == KVM_X86_SNP_VM && v == 1)
			continue;
		EXPECT_EQ(want, init2_on_new_vm(_metadata, self->kvm_fd,
						self->sev_fd, variant->type,
						&init))
			TH_LOG("ghcb_version %u", v);
	}
}

/*
 * The padding of struct kvm_sev_init: upstream's __sev_guest_init() does
 * not look at it (only flags, vmsa_features and ghcb_version are
 * checked), so a VMM that leaves it dirty still gets its VM.
 */
TEST_F(init2_args, padding_is_not_checked)
{
	struct kvm_sev_init init;

	memset(&init, 0, sizeof(init));
	init.pad1 = 0xffff;
	memset(init.pad2, 0xff, sizeof(init.pad2));
	EXPECT_EQ(0, init2_on_new_vm(_metadata, self->kvm_fd, self->sev_fd,
				     variant->type, &init));
}

/* KVM relies on vCPUs being created after the SEV init */
TEST_F(init2_args, init2_after_a_vcpu)
{
	struct kvm_sev_init init = {};
	int vm, vcpu;

	vm = kvm_create_vm(self->kvm_fd, variant->type);
	ASSERT_LE(0, vm);
	vcpu = kvm_create_vcpu(vm, 0);
	ASSERT_LE(0, vcpu);
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT2, &init,
				     NULL));
	close(vcpu);
	close(vm);
}

TEST_F(init2_args, init2_twice)
{
	struct kvm_sev_init init = {};
	uint32_t error;
	int vm;

	vm = kvm_create_vm(self->kvm_fd, variant->type);
	ASSERT_LE(0, vm);
	ASSERT_EQ(0, sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT2, &init, &error));
	EXPECT_EQ(0, error);
	/* an SNP VM takes only the SNP commands once it is one: -EPERM */
	EXPECT_EQ(variant->type == KVM_X86_SNP_VM ? -EPERM : -EINVAL,
		  sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT2, &init, NULL))
		TH_LOG("a second KVM_SEV_INIT2");
	close(vm);
}

/* KVM_SEV_INIT and KVM_SEV_ES_INIT are for KVM_X86_DEFAULT_VM only */
TEST_F(init2_args, legacy_init_refused)
{
	int vm;

	vm = kvm_create_vm(self->kvm_fd, variant->type);
	ASSERT_LE(0, vm);
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT, NULL,
				     NULL));
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, KVM_SEV_ES_INIT, NULL,
				     NULL));
	close(vm);
}

TEST_F(init2_args, init2_data_unmapped)
{
	int vm;

	vm = kvm_create_vm(self->kvm_fd, variant->type);
	ASSERT_LE(0, vm);
	EXPECT_EQ(-EFAULT, sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT2,
				     (void *)8, NULL));
	close(vm);
}

/* The legacy inits on KVM_X86_DEFAULT_VM, and a second init after them */
TEST_F(init2, legacy_init_on_default_vm)
{
	static const uint32_t ids[] = { KVM_SEV_INIT, KVM_SEV_ES_INIT };
	struct kvm_sev_init init = {};
	uint32_t error;
	unsigned int i, j;
	int vm;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		vm = kvm_create_vm(self->kvm_fd, KVM_X86_DEFAULT_VM);
		ASSERT_LE(0, vm);
		EXPECT_EQ(0, sev_ioctl(vm, self->sev_fd, ids[i], NULL, &error))
			TH_LOG("legacy init %u", ids[i]);
		EXPECT_EQ(0, error);
		/* any second init: already active */
		for (j = 0; j < ARRAY_SIZE(ids); j++)
			EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, ids[j],
						     NULL, NULL))
				TH_LOG("init %u after init %u", ids[j], ids[i]);
		EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, KVM_SEV_INIT2,
					     &init, NULL));
		close(vm);
	}
}

/* Before any init, the SEV commands have no SEV guest to act on */
TEST_F(init2, commands_before_init)
{
	struct kvm_sev_launch_start start = {};
	struct kvm_sev_guest_status st;
	int vm;

	vm = kvm_create_vm(self->kvm_fd, KVM_X86_SEV_VM);
	ASSERT_LE(0, vm);
	EXPECT_EQ(-ENOTTY, sev_ioctl(vm, self->sev_fd, KVM_SEV_LAUNCH_START,
				     &start, NULL));
	EXPECT_EQ(-ENOTTY, sev_guest_status(vm, self->sev_fd, &st, NULL));
	/* an unknown command id */
	EXPECT_EQ(-EINVAL, sev_ioctl(vm, self->sev_fd, 99, NULL, NULL));
	close(vm);
}

TEST_HARNESS_MAIN
