/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's VMPCKs, for the selftests that play an SNP guest sending
 * guest messages, and the simulated firmware's count of them.
 *
 * VMPCK0 is on the guest's secrets page, private memory the VMM cannot
 * read. The simulated firmware derives a launch's VMPCKs from its
 * chip_secret and the number of launches of the device
 * (sim_fw_launch_key(): HMAC-SHA384(chip_secret, {"vmpck", launch,
 * index})), so the program loads sev-psp-sim with a chip_secret it knows
 * when none was given (before kvm_sev_util.h makes the program's device)
 * and makes a fresh device for each test: its first launch is number 1.
 *
 * Include after kvm_sev_util.h and snp_guest_lib.h; link with -lcrypto.
 */
#ifndef SNP_SIM_VMPCK_H
#define SNP_SIM_VMPCK_H

#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define SIM_CHIP_SECRET \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SIM_MSG_STATS	SIM_DEBUGFS "/sevsim0/snp_msg_stats"

static uint8_t sim_chip_secret[32];
static bool sim_have_chip_secret;

/* sev-psp-sim with a chip_secret this program knows, before the device */
static void __attribute__((constructor(101))) sim_chip_secret_setup(void)
{
	const char *dir = getenv("SEV_MODULE_DIR");
	char buf[128], cmd[512];
	unsigned int i, b;

	if (read_file(SIM_PARAMS "/chip_secret", buf, sizeof(buf)) < 0 ||
	    strncmp(buf, SIM_CHIP_SECRET, 64)) {
		sim_del(SEV_SIM_ID);
		snprintf(cmd, sizeof(cmd),
			 "rmmod sev-psp-sim && insmod %s/sev-psp-sim.ko chip_secret=%s",
			 dir ? dir : "/modules", SIM_CHIP_SECRET);
		if (system(cmd))
			return;
		if (read_file(SIM_PARAMS "/chip_secret", buf, sizeof(buf)) < 0 ||
		    strncmp(buf, SIM_CHIP_SECRET, 64))
			return;
	}
	for (i = 0; i < sizeof(sim_chip_secret); i++) {
		if (sscanf(SIM_CHIP_SECRET + 2 * i, "%2x", &b) != 1)
			return;
		sim_chip_secret[i] = b;
	}
	sim_have_chip_secret = true;
}

/* The simulator's VMPCK @idx of its @launch-th launch */
static inline int sim_vmpck(uint64_t launch, uint32_t idx, uint8_t *vmpck)
{
	struct {
		char label[16];
		uint64_t launch;
		uint32_t index;
	} __packed in = {};
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	strcpy(in.label, "vmpck");
	in.launch = htole64(launch);
	in.index = htole32(idx);
	if (!HMAC(EVP_sha384(), sim_chip_secret, sizeof(sim_chip_secret),
		  (void *)&in, sizeof(in), mac, &len) || len < 32)
		return -EIO;
	memcpy(vmpck, mac, SNP_MSG_VMPCK_LEN);
	return 0;
}

/*
 * A count of snp_msg_stats ("name value" lines: iv_reuse, replayed,
 * skipped, encrypted); -1 if absent.
 */
static inline long long sim_msg_stat(const char *key)
{
	char buf[1024], *p;
	size_t klen = strlen(key);

	if (read_file(SIM_MSG_STATS, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, klen) && p[klen] == ' ')
			return strtoll(p + klen + 1, NULL, 0);
	return -1;
}

/*
 * The start of a fixture (kselftest_harness.h included first): a fresh
 * sevsim0, whose launches count from 1, then kvm_sev_fixture_open().
 */
#ifdef ASSERT_EQ
static inline int sim_fresh_fixture_open(struct __test_metadata *_metadata,
					 int *kvm_fd, int *sev_fd)
{
	sim_del(SEV_SIM_ID);
	ASSERT_EQ(0, sim_new(SEV_SIM_ID, 2)) TH_LOG("cannot create sevsim0");
	return kvm_sev_fixture_open(_metadata, kvm_fd, sev_fd);
}
#endif

#endif /* SNP_SIM_VMPCK_H */
