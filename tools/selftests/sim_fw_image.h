/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Firmware images in the simulator's format (drivers/psp/sim/sim.h,
 * struct sim_fw_image) for the hot-load tests, written to /lib/firmware.
 */
#ifndef SIM_FW_IMAGE_H
#define SIM_FW_IMAGE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

struct sim_fw_image {
	uint8_t magic[8];
	uint8_t api_major, api_minor, build, snp_svn;
	uint32_t len;
	uint8_t digest[48];
	uint8_t body[200];
};

/* /lib/firmware/@name: version @major.@minor build @build, SNP SVN @svn */
static inline int sim_fw_image_write(const char *name, int major, int minor,
				     int build, int svn, int corrupt)
{
	struct sim_fw_image img = {
		.api_major = major, .api_minor = minor, .build = build,
		.snp_svn = svn, .len = sizeof(img),
	};
	char path[128];
	unsigned int n;
	FILE *f;

	memcpy(img.magic, "SEVSIMFW", 8);
	memset(img.body, 0x42, sizeof(img.body));
	EVP_Digest(&img, sizeof(img), img.digest, &n, EVP_sha384(), NULL);
	if (corrupt)
		img.body[7] ^= 1;
	mkdir("/lib", 0755);
	mkdir("/lib/firmware", 0755);
	snprintf(path, sizeof(path), "/lib/firmware/%s", name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fwrite(&img, sizeof(img), 1, f);
	fclose(f);
	return 0;
}

#endif /* SIM_FW_IMAGE_H */
