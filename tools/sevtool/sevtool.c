// SPDX-License-Identifier: GPL-2.0
/*
 * sevtool: look at and manage the SEV platform through /dev/sev.
 *
 *   sevtool status          SEV platform status
 *   sevtool snp-status      SEV-SNP platform status
 *   sevtool get-id          the chip ID (GET_ID2), in hex
 *   sevtool factory-reset   reset the platform's persistent state
 *
 * Exit status 0 on success; on failure the errno and the firmware status
 * are printed, as a user would need them to report a problem.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/psp-sev.h>

static const char *const state_names[] = { "UNINIT", "INIT", "WORKING" };

static int issue(int fd, uint32_t cmd, void *data, const char *what)
{
	struct sev_issue_cmd arg = { .cmd = cmd, .data = (uintptr_t)data };

	if (!ioctl(fd, SEV_ISSUE_CMD, &arg))
		return 0;
	fprintf(stderr, "sevtool: %s: %s (firmware status %#x)\n", what,
		strerror(errno), arg.error);
	return -1;
}

static int do_status(int fd)
{
	struct sev_user_data_status st;

	if (issue(fd, SEV_PLATFORM_STATUS, &st, "PLATFORM_STATUS"))
		return 1;
	printf("api version: %u.%u\n", st.api_major, st.api_minor);
	printf("build:       %u\n", st.build);
	printf("state:       %s\n", st.state < 3 ? state_names[st.state] : "?");
	printf("owner:       %s\n", st.flags & 1 ? "external" : "self");
	printf("sev-es:      %s\n", st.flags & SEV_STATUS_FLAGS_CONFIG_ES ?
	       "configured" : "not configured");
	printf("guests:      %u\n", st.guest_count);
	return 0;
}

static void print_tcb(const char *what, uint64_t tcb)
{
	printf("%s %#018llx (boot loader %u, TEE %u, SNP %u, microcode %u)\n",
	       what, (unsigned long long)tcb, (unsigned int)(tcb & 0xff),
	       (unsigned int)(tcb >> 8 & 0xff), (unsigned int)(tcb >> 48 & 0xff),
	       (unsigned int)(tcb >> 56));
}

static int do_snp_status(int fd)
{
	struct sev_user_data_snp_status st;

	if (issue(fd, SNP_PLATFORM_STATUS, &st, "SNP_PLATFORM_STATUS"))
		return 1;
	printf("api version:  %u.%u\n", st.api_major, st.api_minor);
	printf("build:        %u\n", st.build_id);
	printf("state:        %s\n", st.state ? "INIT" : "UNINIT");
	printf("rmp:          %s\n", st.is_rmp_initialized ? "initialized" : "not initialized");
	printf("guests:       %u\n", st.guest_count);
	printf("mask chip id: %u, mask chip key: %u, vlek: %u\n",
	       st.mask_chip_id, st.mask_chip_key, st.vlek_en);
	printf("ciphertext hiding: %s\n", !st.ciphertext_hiding_cap ?
	       "not supported" : st.ciphertext_hiding_en ? "on" : "off");
	print_tcb("current tcb: ", st.current_tcb_version);
	print_tcb("reported tcb:", st.reported_tcb_version);
	return 0;
}

static int do_get_id(int fd)
{
	struct sev_user_data_get_id2 id = { 0 };
	struct sev_issue_cmd arg = { .cmd = SEV_GET_ID2, .data = (uintptr_t)&id };
	unsigned char *buf;
	uint32_t i;

	/* Ask the firmware how long the ID is, then fetch it. */
	if (!ioctl(fd, SEV_ISSUE_CMD, &arg) || arg.error != SEV_RET_INVALID_LEN) {
		fprintf(stderr, "sevtool: GET_ID2 length query: %s (firmware status %#x)\n",
			strerror(errno), arg.error);
		return 1;
	}
	buf = calloc(1, id.length);
	if (!buf)
		return 1;
	id.address = (uintptr_t)buf;
	if (issue(fd, SEV_GET_ID2, &id, "GET_ID2")) {
		free(buf);
		return 1;
	}
	for (i = 0; i < id.length; i++)
		printf("%02x", buf[i]);
	printf("\n");
	free(buf);
	return 0;
}

static int do_factory_reset(int fd)
{
	if (issue(fd, SEV_FACTORY_RESET, NULL, "FACTORY_RESET"))
		return 1;
	printf("platform reset\n");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd, ret;

	if (strcmp(cmd, "status") && strcmp(cmd, "snp-status") &&
	    strcmp(cmd, "get-id") && strcmp(cmd, "factory-reset")) {
		fprintf(stderr, "usage: sevtool status|snp-status|get-id|factory-reset\n");
		return 2;
	}

	fd = open("/dev/sev", strcmp(cmd, "factory-reset") ? O_RDONLY : O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "sevtool: /dev/sev: %s (is sev-psp loaded, with a PSP?)\n",
			strerror(errno));
		return 1;
	}

	if (!strcmp(cmd, "status"))
		ret = do_status(fd);
	else if (!strcmp(cmd, "snp-status"))
		ret = do_snp_status(fd);
	else if (!strcmp(cmd, "get-id"))
		ret = do_get_id(fd);
	else
		ret = do_factory_reset(fd);

	close(fd);
	return ret;
}
