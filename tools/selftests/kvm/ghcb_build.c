// SPDX-License-Identifier: GPL-2.0
/*
 * The GHCB page and the page state change descriptor, built as a guest
 * builds them before its VMGEXIT (snp_guest_lib.h).
 */
#include <errno.h>
#include <string.h>

#include "snp_guest_lib.h"

void ghcb_init(struct ghcb *ghcb, u16 version)
{
	memset(ghcb, 0, sizeof(*ghcb));
	ghcb->protocol_version = version;
	ghcb->ghcb_usage = GHCB_DEFAULT_USAGE;
}

/*
 * As upstream's vc_ghcb_invalidate(): a field left valid from the last
 * exit would be read again by the hypervisor for the next one.
 */
void ghcb_invalidate(struct ghcb *ghcb)
{
	ghcb->save.sw_exit_code = 0;
	memset(ghcb->save.valid_bitmap, 0, sizeof(ghcb->save.valid_bitmap));
}

void ghcb_set_exit(struct ghcb *ghcb, u64 code, u64 info1, u64 info2)
{
	ghcb_set_sw_exit_code(ghcb, code);
	ghcb_set_sw_exit_info_1(ghcb, info1);
	ghcb_set_sw_exit_info_2(ghcb, info2);
}

void ghcb_set_guest_request(struct ghcb *ghcb, u64 req_gpa, u64 resp_gpa)
{
	ghcb_set_exit(ghcb, SVM_VMGEXIT_GUEST_REQUEST, req_gpa, resp_gpa);
}

/* As upstream's snp_issue_guest_request(): RAX the pages, RBX their count */
void ghcb_set_ext_guest_request(struct ghcb *ghcb, u64 req_gpa,
				u64 resp_gpa, u64 certs_gpa, u64 npages)
{
	ghcb_set_exit(ghcb, SVM_VMGEXIT_EXT_GUEST_REQUEST, req_gpa, resp_gpa);
	ghcb_set_rax(ghcb, certs_gpa);
	ghcb_set_rbx(ghcb, npages);
}

void psc_init(struct psc_buf *buf)
{
	memset(buf, 0, sizeof(*buf));
}

int psc_add(struct psc_buf *buf, u64 gfn, unsigned int op,
	    unsigned int pagesize)
{
	struct psc_entry *e;

	if (buf->nr >= VMGEXIT_PSC_MAX_COUNT)
		return -ENOSPC;
	/* bitfields would silently cut what does not fit */
	if (gfn >> 40 || op > 0xf || pagesize > 1)
		return -EINVAL;

	e = &buf->desc.entries[buf->nr];
	memset(e, 0, sizeof(*e));
	e->gfn = gfn;
	e->operation = op;
	e->pagesize = pagesize;
	buf->desc.hdr.end_entry = buf->nr;
	return buf->nr++;
}

u64 psc_entry_raw(const struct psc_entry *e)
{
	u64 raw;

	memcpy(&raw, e, sizeof(raw));
	return raw;
}

struct psc_entry psc_entry_from_raw(u64 raw)
{
	struct psc_entry e;

	memcpy(&e, &raw, sizeof(e));
	return e;
}

/*
 * The descriptor lives in the GHCB's shared buffer, which the hypervisor
 * finds through SW_SCRATCH (a GPA inside the GHCB); upstream's
 * vmgexit_psc() sends it with SW_EXITINFO1 and 2 zero.
 */
void ghcb_set_psc(struct ghcb *ghcb, u64 ghcb_gpa, const struct psc_buf *buf)
{
	memcpy(ghcb->shared_buffer, &buf->desc, sizeof(buf->desc));
	ghcb_set_sw_scratch(ghcb, ghcb_shared_buffer_gpa(ghcb_gpa));
	ghcb_set_exit(ghcb, SVM_VMGEXIT_PSC, 0, 0);
}

void ghcb_get_psc(const struct ghcb *ghcb, struct snp_psc_desc *desc)
{
	memcpy(desc, ghcb->shared_buffer, sizeof(*desc));
}
