// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated firmware's view of host memory.
 *
 * Like the real firmware, which reaches memory by DMA, the model reads and
 * writes by physical address. Every address it is given, a command buffer's
 * or one inside it, is checked to be system RAM before it is touched;
 * anything else is SEV_RET_INVALID_ADDRESS, never a stray access.
 *
 * Once the RMP is initialised (SNP_INIT_EX), the firmware may write a page
 * for the hypervisor (status pages, legacy command outputs, the TMR, the
 * NV buffer) only if the RMP makes it firmware-owned, or a guest's own
 * page for a guest command; else SEV_RET_INVALID_PAGE_STATE. On hardware
 * the RMP check is what keeps the firmware from writing memory the host
 * still uses.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "sim.h"

/* Is [pa, pa + len) all system RAM? */
bool sim_fw_is_ram(phys_addr_t pa, size_t len)
{
	phys_addr_t last;

	if (!len || check_add_overflow(pa, (phys_addr_t)len - 1, &last))
		return false;

	return region_intersects(pa, len, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_INTERSECTS;
}

u16 sim_fw_read(phys_addr_t pa, void *dst, size_t len)
{
	if (!sim_fw_is_ram(pa, len))
		return SEV_RET_INVALID_ADDRESS;
	memcpy(dst, phys_to_virt(pa), len);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_write(phys_addr_t pa, const void *src, size_t len)
{
	if (!sim_fw_is_ram(pa, len))
		return SEV_RET_INVALID_ADDRESS;
	memcpy(phys_to_virt(pa), src, len);
	return SEV_RET_SUCCESS;
}

/*
 * May the firmware write [pa, pa + len) for the hypervisor? The status to
 * answer the command with if not.
 */
u16 sim_fw_check_output(struct sim_fw *fw, u64 pa, u32 len)
{
	u64 pfn, last;

	if (!len || !sim_fw_is_ram(pa, len))
		return SEV_RET_INVALID_ADDRESS;
	if (!fw->rmp_initialized)
		return SEV_RET_SUCCESS;

	last = PHYS_PFN(pa + len - 1);
	for (pfn = PHYS_PFN(pa); pfn <= last; pfn++) {
		struct rmp_state s;

		sim_rmp_fw_lookup(pfn, &s);
		/* firmware-owned, or a guest's own page */
		if (!s.assigned || (!s.asid && !s.immutable))
			return SEV_RET_INVALID_PAGE_STATE;
	}
	return SEV_RET_SUCCESS;
}
