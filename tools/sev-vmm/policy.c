// SPDX-License-Identifier: GPL-2.0
/*
 * Guest policies as named flags, never as a number: an SEV policy (spec
 * 55766) and an SNP policy (spec 56860) share no bit meanings, and a hex
 * value says nothing to whoever reads the command line. Each flag is one
 * bit (or, for the firmware version, one field), and the parser refuses
 * what cannot be meant: an unknown name, a flag of the other policy, a
 * flag given twice, a malformed version, and flags that contradict each
 * other or the guest type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sev-vmm.h"

struct policy_flag {
	const char *name;
	u64 bit;
	const char *what;
};

static const struct policy_flag sev_flags[] = {
	{ "nodbg", SEV_POLICY_NODBG, "no debugging of the guest (DBG_DECRYPT/ENCRYPT)" },
	{ "noks", SEV_POLICY_NOKS, "no sharing of keys with other guests" },
	{ "es", SEV_POLICY_ES, "SEV-ES: encrypted register state (implied by --type sev-es)" },
	{ "nosend", SEV_POLICY_NOSEND, "the guest may not be sent to another platform" },
	{ "domain", SEV_POLICY_DOMAIN, "... nor outside the domain" },
	{ "sev", SEV_POLICY_SEV, "... nor to a platform without SEV" },
};

static const struct policy_flag snp_flags[] = {
	{ "smt", SNP_POLICY_SMT, "the guest may run where SMT is enabled" },
	{ "migrate-ma", SNP_POLICY_MIGRATE_MA, "a migration agent may be associated" },
	{ "debug", SNP_POLICY_DEBUG, "debugging allowed (SNP_DBG_DECRYPT/ENCRYPT)" },
	{ "single-socket", SNP_POLICY_SINGLE_SOCKET, "the guest runs on one socket only" },
};

static const struct policy_flag *find_flag(const struct policy_flag *f,
					   size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(f[i].name, name))
			return &f[i];
	return NULL;
}

/* "MAJOR.MINOR", each 0 to 255 */
static void parse_version(const char *flag, const char *v, u64 *major,
			  u64 *minor)
{
	unsigned int a, b;
	int end = 0;

	if (sscanf(v, "%3u.%3u%n", &a, &b, &end) != 2 || v[end] ||
	    !strchr("0123456789", v[0]) || a > 255 || b > 255)
		opt_err("--policy", "%s=%s: malformed, want %s=MAJOR.MINOR with each 0 to 255",
			flag, v, flag);
	*major = a;
	*minor = b;
}

u64 parse_policy(enum guest_type type, const char *s)
{
	bool snp = type == GUEST_SNP;
	const struct policy_flag *flags = snp ? snp_flags : sev_flags;
	size_t nflags = snp ? ARRAY_SIZE(snp_flags) : ARRAY_SIZE(sev_flags);
	const char *ver = snp ? "abi" : "api";
	u64 policy = 0, seen = 0, major, minor;
	bool have_ver = false, none = false;
	char *copy, *tok, *save = NULL;
	const struct policy_flag *f;
	int count = 0;

	if (!*s)
		opt_err("--policy", "empty (give 'none' for no flag)");
	if (s[0] == ',' || s[strlen(s) - 1] == ',' || strstr(s, ",,"))
		opt_err("--policy", "empty flag in '%s' (a comma at an end, or two together)",
			s);
	copy = strdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		count++;
		if (!strcmp(tok, "none")) {
			none = true;
			continue;
		}
		if (!strncmp(tok, "api=", 4) || !strncmp(tok, "abi=", 4)) {
			if (strncmp(tok, ver, 3))
				opt_err("--policy",
					"'%.3s=' is the %s policy's firmware version; an %s policy has '%s='",
					tok, snp ? "SEV" : "SNP",
					snp ? "SNP" : "SEV", ver);
			if (have_ver)
				opt_err("--policy", "'%s=' given twice", ver);
			parse_version(ver, tok + 4, &major, &minor);
			have_ver = true;
			policy |= snp ? (major << 8 | minor) :
					(major << 16 | minor << 24);
			continue;
		}
		f = find_flag(flags, nflags, tok);
		if (!f) {
			if (find_flag(snp ? sev_flags : snp_flags,
				      snp ? ARRAY_SIZE(sev_flags) :
					    ARRAY_SIZE(snp_flags), tok))
				opt_err("--policy",
					"'%s' is an %s policy flag, not an %s one (--type %s)",
					tok, snp ? "SEV" : "SNP",
					snp ? "SNP" : "SEV",
					snp ? "snp" : type == GUEST_SEV ?
					"sev" : "sev-es");
			opt_err("--policy", "unknown %s flag '%s' (see --help-policy)",
				snp ? "SNP" : "SEV", tok);
		}
		if (seen & f->bit)
			opt_err("--policy", "'%s' given twice", tok);
		seen |= f->bit;
		policy |= f->bit;
	}
	free(copy);

	if (none && count > 1)
		opt_err("--policy", "'none' contradicts the other flags given with it");
	if (!snp && type == GUEST_SEV && (policy & SEV_POLICY_ES))
		opt_err("--policy",
			"'es' contradicts --type sev (an SEV-ES guest is --type sev-es)");
	if (type == GUEST_SEV_ES)
		policy |= SEV_POLICY_ES;
	/* Bit 17 must be one in every SNP policy: not a choice. */
	if (snp)
		policy |= SNP_POLICY_RSVD_MBO;
	return policy;
}

/* @policy's flags by name, then (@with_version) its firmware version */
void policy_string(enum guest_type type, u64 policy, bool with_version,
		   char *out, size_t len)
{
	bool snp = type == GUEST_SNP;
	const struct policy_flag *flags = snp ? snp_flags : sev_flags;
	size_t i, nflags = snp ? ARRAY_SIZE(snp_flags) : ARRAY_SIZE(sev_flags);
	size_t n = 0;

	out[0] = '\0';
	for (i = 0; i < nflags; i++)
		if (policy & flags[i].bit)
			n += snprintf(out + n, len - n, "%s%s", n ? "," : "",
				      flags[i].name);
	if (!with_version)
		return;
	if (snp)
		snprintf(out + n, len - n, "%sabi=%u.%u", n ? "," : "",
			 (unsigned int)(policy >> 8 & 0xff),
			 (unsigned int)(policy & 0xff));
	else
		snprintf(out + n, len - n, "%sapi=%u.%u", n ? "," : "",
			 (unsigned int)(policy >> 16 & 0xff),
			 (unsigned int)(policy >> 24 & 0xff));
}

void policy_help(void)
{
	size_t i;

	printf("SEV and SEV-ES policy flags (--type sev, sev-es; default: nodbg):\n");
	for (i = 0; i < ARRAY_SIZE(sev_flags); i++)
		printf("  %-14s %s\n", sev_flags[i].name, sev_flags[i].what);
	printf("  %-14s %s\n", "api=MAJ.MIN",
	       "the oldest firmware API version the guest accepts");
	printf("  %-14s %s\n", "none", "no flag: debugging and key sharing allowed");
	printf("\nSEV-SNP policy flags (--type snp; default: smt):\n");
	for (i = 0; i < ARRAY_SIZE(snp_flags); i++)
		printf("  %-14s %s\n", snp_flags[i].name, snp_flags[i].what);
	printf("  %-14s %s\n", "abi=MAJ.MIN",
	       "the oldest firmware ABI version the guest accepts");
	printf("  %-14s %s\n", "none", "no flag (bit 17, which must be one, is always set)");
}
