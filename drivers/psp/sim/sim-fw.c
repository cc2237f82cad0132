// SPDX-License-Identifier: GPL-2.0-only
/*
 * The simulated SEV firmware: its command table, and its view of host
 * memory.
 *
 * Like the real firmware, the model reads each command buffer from the
 * physical address the driver wrote to cmdbuff_addr, runs the command on
 * its own copy, and writes the buffer back. Every address it is given,
 * the command buffer's or one inside it, is checked to be system RAM
 * before it is touched; anything else is SEV_RET_INVALID_ADDRESS, never
 * a stray access.
 */
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/string.h>

#include "sim.h"

/* The largest command buffer of any command the model implements. */
#define SIM_FW_CMD_BUF_MAX	64

typedef u16 (*sim_fw_handler)(struct sim_fw *fw, void *buf);

struct sim_fw_cmd {
	sim_fw_handler fn;
	u16 len;		/* command buffer size, 0 if none */
};

static const struct sim_fw_cmd sim_fw_cmds[] = {
	[SEV_CMD_INIT] = { sim_fw_init_cmd, sizeof(struct sev_data_init) },
	[SEV_CMD_SHUTDOWN] = { sim_fw_shutdown, 0 },
	[SEV_CMD_FACTORY_RESET] = { sim_fw_factory_reset, 0 },
	[SEV_CMD_PLATFORM_STATUS] = { sim_fw_platform_status,
				      sizeof(struct sev_user_data_status) },
	[SEV_CMD_GET_ID] = { sim_fw_get_id, sizeof(struct sev_data_get_id) },
};

/* Is [pa, pa + len) all system RAM? */
bool sim_fw_mem_ok(phys_addr_t pa, size_t len)
{
	phys_addr_t last;

	if (!len || check_add_overflow(pa, (phys_addr_t)len - 1, &last))
		return false;

	return region_intersects(pa, len, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_INTERSECTS;
}

u16 sim_fw_read(phys_addr_t pa, void *dst, size_t len)
{
	if (!sim_fw_mem_ok(pa, len))
		return SEV_RET_INVALID_ADDRESS;
	memcpy(dst, phys_to_virt(pa), len);
	return SEV_RET_SUCCESS;
}

u16 sim_fw_write(phys_addr_t pa, const void *src, size_t len)
{
	if (!sim_fw_mem_ok(pa, len))
		return SEV_RET_INVALID_ADDRESS;
	memcpy(phys_to_virt(pa), src, len);
	return SEV_RET_SUCCESS;
}

/**
 * sim_fw_run() - execute one firmware command
 * @fw:		the firmware
 * @cmd:	command id from cmdresp
 * @buf:	physical address of the command buffer
 *
 * Return: the SEV_RET_* status for cmdresp.
 */
u16 sim_fw_run(struct sim_fw *fw, unsigned int cmd, phys_addr_t buf)
{
	u8 data[SIM_FW_CMD_BUF_MAX] __aligned(8) = {};
	const struct sim_fw_cmd *c;
	u64 start = ktime_get_ns();
	u16 status;

	mutex_lock(&fw->lock);

	if (cmd >= ARRAY_SIZE(sim_fw_cmds) || !sim_fw_cmds[cmd].fn) {
		status = SEV_RET_INVALID_COMMAND;
		goto out;
	}
	c = &sim_fw_cmds[cmd];

	if (c->len) {
		status = sim_fw_read(buf, data, c->len);
		if (status)
			goto out;
	}

	status = c->fn(fw, c->len ? data : NULL);

	/* The buffer goes back also on failure: it may carry lengths. */
	if (c->len) {
		u16 wstatus = sim_fw_write(buf, data, c->len);

		if (!status)
			status = wstatus;
	}

out:
	fw->commands++;
	fw->fw_ns += ktime_get_ns() - start;
	mutex_unlock(&fw->lock);
	return status;
}
EXPORT_SYMBOL_NS_GPL(sim_fw_run, SEV_PSP_SIM_KUNIT);

/* The volatile state a power cycle (or a reset of the PSP) clears. */
void sim_fw_power_on(struct sim_fw *fw)
{
	mutex_lock(&fw->lock);
	fw->state = SEV_STATE_UNINIT;
	fw->config_es = false;
	fw->guest_count = 0;
	fw->tmr = 0;
	mutex_unlock(&fw->lock);
}
EXPORT_SYMBOL_NS_GPL(sim_fw_power_on, SEV_PSP_SIM_KUNIT);

/* A new chip: fresh identity, default firmware version, powered on. */
void sim_fw_init(struct sim_fw *fw)
{
	mutex_init(&fw->lock);
	fw->api_major = 1;
	fw->api_minor = 55;
	fw->build = 21;
	get_random_bytes(fw->chip_id, sizeof(fw->chip_id));
	sim_fw_power_on(fw);
}
EXPORT_SYMBOL_NS_GPL(sim_fw_init, SEV_PSP_SIM_KUNIT);

const char *sim_fw_state_name(enum sev_state state)
{
	switch (state) {
	case SEV_STATE_UNINIT:
		return "UNINIT";
	case SEV_STATE_INIT:
		return "INIT";
	case SEV_STATE_WORKING:
		return "WORKING";
	default:
		return "?";
	}
}
EXPORT_SYMBOL_NS_GPL(sim_fw_state_name, SEV_PSP_SIM_KUNIT);
