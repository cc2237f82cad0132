// SPDX-License-Identifier: GPL-2.0
/*
 * The OVMF image, as QEMU reads it (hw/i386/pc_sysfw_ovmf.c): the image
 * is mapped to end at 4 GiB; 32 bytes before its end sits the footer of
 * the "OVMF GUIDed table", a list of entries read backwards, each ending
 * in its 16-bit size and its GUID. Two entries matter here:
 *
 *   SEV-ES reset block   the address where SEV-ES and SNP APs start (an
 *                        encrypted AP cannot be sent a SIPI vector)
 *   SEV metadata offset  where, counted from the image's end, the "ASEV"
 *                        metadata lies: the guest-RAM sections OVMF wants
 *                        prepared before an SNP guest starts (pre-validated
 *                        memory, the secrets page, the CPUID page), in the
 *                        order the VMM must give them to the firmware
 *
 * Debian 12's /usr/share/ovmf/OVMF.fd (2 MiB, code and variables in one
 * image) has both; its OVMF_CODE_4M.fd has no SEV metadata.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "sev-vmm.h"

#define OVMF_TABLE_FOOTER_GUID	"96b582de-1fb2-45f7-baea-a366c55a082d"
#define SEV_ES_RESET_BLOCK_GUID	"00f771de-1a7e-4fcb-890e-68c77e2fb44e"
#define SEV_METADATA_GUID	"dc886566-984a-4798-a75e-5585a7bf67cc"

#define OVMF_MAX_SIZE		(16UL << 20)

struct ovmf_entry_tail {
	u16 size;
	u8 guid[16];
};

struct ovmf_metadata_header {
	char signature[4];	/* "ASEV" */
	u32 size;
	u32 version;
	u32 num_items;
};

/* A GUID's text into its byte order in memory (mixed-endian, as EFI) */
static void guid_bytes(const char *s, u8 out[16])
{
	static const int pos[16] = { 6, 4, 2, 0, 11, 9, 16, 14,
				     19, 21, 24, 26, 28, 30, 32, 34 };
	unsigned int v;
	int i;

	for (i = 0; i < 16; i++) {
		if (sscanf(s + pos[i], "%2x", &v) != 1)
			vmm_err("bad GUID %s", s);
		out[i] = v;
	}
}

/* The data of table entry @guid, or NULL; its length in *@len */
static const u8 *ovmf_table_find(const u8 *table, size_t table_len,
				 const char *guid, size_t *len)
{
	struct ovmf_entry_tail tail;
	u8 want[16];

	guid_bytes(guid, want);
	while (table_len >= sizeof(tail)) {
		memcpy(&tail, table + table_len - sizeof(tail), sizeof(tail));
		if (tail.size < sizeof(tail) || tail.size > table_len)
			return NULL;
		if (!memcmp(tail.guid, want, 16)) {
			*len = tail.size - sizeof(tail);
			return table + table_len - tail.size;
		}
		table_len -= tail.size;
	}
	return NULL;
}

static void ovmf_parse_metadata(struct ovmf *o, u32 offset)
{
	struct ovmf_metadata_header h;
	const u8 *p;
	u32 i;

	if (offset < sizeof(h) || offset > o->size)
		opt_err("--ovmf", "%s: SEV metadata offset %#x lies outside the image",
			o->path, offset);
	p = o->data + o->size - offset;
	memcpy(&h, p, sizeof(h));
	if (memcmp(h.signature, "ASEV", 4))
		opt_err("--ovmf", "%s: no 'ASEV' signature at the SEV metadata offset",
			o->path);
	if (h.version != 1)
		opt_err("--ovmf", "%s: SEV metadata version %u (this tool knows 1)",
			o->path, h.version);
	if (h.num_items > OVMF_MAX_SECTIONS ||
	    h.size < sizeof(h) + h.num_items * sizeof(struct ovmf_section) ||
	    h.size > offset)
		opt_err("--ovmf", "%s: SEV metadata of %u sections in %u bytes is malformed",
			o->path, h.num_items, h.size);

	o->nsections = h.num_items;
	memcpy(o->sections, p + sizeof(h),
	       h.num_items * sizeof(struct ovmf_section));
	for (i = 0; i < o->nsections; i++) {
		const struct ovmf_section *s = &o->sections[i];

		if (s->gpa % PAGE_SIZE || !s->size || s->size % PAGE_SIZE ||
		    (u64)s->gpa + s->size > o->gpa)
			opt_err("--ovmf",
				"%s: SEV metadata section %u (%#x+%#x) is not whole pages of RAM below the image",
				o->path, i, s->gpa, s->size);
		switch (s->type) {
		case OVMF_SECTION_SNP_SEC_MEM:
		case OVMF_SECTION_SNP_SECRETS:
		case OVMF_SECTION_CPUID:
		case OVMF_SECTION_SVSM_CAA:
		case OVMF_SECTION_KERNEL_HASHES:
			break;
		default:
			opt_err("--ovmf", "%s: SEV metadata section %u has unknown type %#x",
				o->path, i, s->type);
		}
		if ((s->type == OVMF_SECTION_SNP_SECRETS ||
		     s->type == OVMF_SECTION_CPUID) && s->size != PAGE_SIZE)
			opt_err("--ovmf", "%s: the %s section is %#x bytes, not one page",
				o->path, ovmf_section_name(s->type), s->size);
	}
}

void ovmf_load(struct ovmf *o, const char *path)
{
	struct ovmf_entry_tail footer;
	const u8 *table, *entry;
	size_t len, table_len;
	u8 want[16];
	u8 *file;

	memset(o, 0, sizeof(*o));
	o->path = path;
	file = load_file("--ovmf", path, OVMF_MAX_SIZE, &o->size);
	if (!o->size || o->size % PAGE_SIZE)
		opt_err("--ovmf", "%s: %zu bytes is not a whole number of 4 KiB pages",
			path, o->size);
	/* page-aligned: KVM pins and LAUNCH_UPDATE takes whole pages */
	o->data = mmap(NULL, o->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (o->data == MAP_FAILED)
		vmm_err("mmap: %s", strerror(errno));
	memcpy(o->data, file, o->size);
	free(file);
	o->gpa = FOUR_GIB - o->size;

	memcpy(&footer, o->data + o->size - 32 - sizeof(footer),
	       sizeof(footer));
	guid_bytes(OVMF_TABLE_FOOTER_GUID, want);
	if (memcmp(footer.guid, want, 16))
		opt_err("--ovmf",
			"%s: no OVMF GUIDed table (footer GUID %s) 32 bytes before the end: not an OVMF image?",
			path, OVMF_TABLE_FOOTER_GUID);
	if (footer.size < sizeof(footer) ||
	    footer.size > o->size - 32)
		opt_err("--ovmf", "%s: OVMF table size %u is malformed", path,
			footer.size);
	table_len = footer.size - sizeof(footer);
	table = o->data + o->size - 32 - sizeof(footer) - table_len;

	entry = ovmf_table_find(table, table_len, SEV_ES_RESET_BLOCK_GUID,
				&len);
	if (entry && len >= 4) {
		o->has_reset_block = true;
		memcpy(&o->ap_reset_eip, entry, 4);
	}
	entry = ovmf_table_find(table, table_len, SEV_METADATA_GUID, &len);
	if (entry && len >= 4) {
		u32 offset;

		memcpy(&offset, entry, 4);
		ovmf_parse_metadata(o, offset);
	}
}

const char *ovmf_section_name(u32 type)
{
	switch (type) {
	case OVMF_SECTION_SNP_SEC_MEM:
		return "SNP_SEC_MEM";
	case OVMF_SECTION_SNP_SECRETS:
		return "SNP_SECRETS";
	case OVMF_SECTION_CPUID:
		return "CPUID";
	case OVMF_SECTION_SVSM_CAA:
		return "SVSM_CAA";
	case OVMF_SECTION_KERNEL_HASHES:
		return "KERNEL_HASHES";
	default:
		return "unknown";
	}
}
