/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sev-psp's trace events (TRACE_SYSTEM sev_psp): each firmware command
 * through the mailbox, firmware pages changing hands, and /dev/sev's
 * SEV_ISSUE_CMD. Documentation/sev-psp.rst ("Trace events") describes
 * them; sev-psp-trace.c instantiates them. (Underscores in this file's
 * name: define_trace.h finds it by TRACE_INCLUDE_FILE, a C token.)
 *
 * Names are copied into the events from the tables that own them, the
 * firmware command table (sev_cmd_name()) and /dev/sev's dispatch table,
 * so that there is no second list of commands to keep up with them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM sev_psp

#if !defined(SEV_PSP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SEV_PSP_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

#include "psp.h"

#ifndef SEV_PSP_TRACE_TYPES_H
#define SEV_PSP_TRACE_TYPES_H
/* sev_psp_fw_pages: what happened to the pages */
enum sev_fw_pages_op {
	/* made firmware-owned in the RMP */
	SEV_FW_PAGES_OWNED,
	/* back to the hypervisor: SNP_PAGE_RECLAIM and an RMPUPDATE */
	SEV_FW_PAGES_RECLAIMED,
	/* kept from the page allocator for good: the firmware may own them */
	SEV_FW_PAGES_LEAKED,
	/* named by a command that did not complete: kept while it may run */
	SEV_FW_PAGES_ABANDONED,
};
#endif

/* Room for a device or command name: the longest is 24 characters */
#define SEV_PSP_TRACE_NAME_LEN	32

/* A command about to be written to the mailbox of the PSP @dev */
TRACE_EVENT(sev_psp_cmd_start,
	    TP_PROTO(const char *dev, unsigned int cmd),
	    TP_ARGS(dev, cmd),
	    TP_STRUCT__entry(__array(char, dev, SEV_PSP_TRACE_NAME_LEN)
			     __field(unsigned int, cmd)
			     __array(char, name, SEV_PSP_TRACE_NAME_LEN)),
	    TP_fast_assign(strscpy(__entry->dev, dev, sizeof(__entry->dev));
			   __entry->cmd = cmd;
			   strscpy(__entry->name, sev_cmd_name(cmd),
				   sizeof(__entry->name))),
	    TP_printk("dev=%s cmd=%#x name=%s", __entry->dev, __entry->cmd,
		      __entry->name)
);

/*
 * Its end: the firmware status (0 when the firmware did not answer), the
 * mailbox's return value (-EIO for a status, -ETIMEDOUT, -EBUSY for a dead
 * PSP, -ENODEV at removal), and the time from start to end.
 */
TRACE_EVENT(sev_psp_cmd_done,
	    TP_PROTO(const char *dev, unsigned int cmd, u32 status, int ret,
		     u64 duration_ns),
	    TP_ARGS(dev, cmd, status, ret, duration_ns),
	    TP_STRUCT__entry(__array(char, dev, SEV_PSP_TRACE_NAME_LEN)
			     __field(unsigned int, cmd)
			     __array(char, name, SEV_PSP_TRACE_NAME_LEN)
			     __field(u32, status)
			     __field(int, ret)
			     __field(u64, duration_ns)),
	    TP_fast_assign(strscpy(__entry->dev, dev, sizeof(__entry->dev));
			   __entry->cmd = cmd;
			   strscpy(__entry->name, sev_cmd_name(cmd),
				   sizeof(__entry->name));
			   __entry->status = status;
			   __entry->ret = ret;
			   __entry->duration_ns = duration_ns),
	    TP_printk("dev=%s cmd=%#x name=%s status=%#x ret=%d duration_ns=%llu",
		      __entry->dev, __entry->cmd, __entry->name,
		      __entry->status, __entry->ret, __entry->duration_ns)
);

/*
 * Firmware pages changing hands: @count pages from @pfn on (in RMP entries
 * of 4 KiB or 2 MiB) and what happened to them
 */
TRACE_DEFINE_ENUM(SEV_FW_PAGES_OWNED);
TRACE_DEFINE_ENUM(SEV_FW_PAGES_RECLAIMED);
TRACE_DEFINE_ENUM(SEV_FW_PAGES_LEAKED);
TRACE_DEFINE_ENUM(SEV_FW_PAGES_ABANDONED);

TRACE_EVENT(sev_psp_fw_pages,
	    TP_PROTO(enum sev_fw_pages_op op, u64 pfn, unsigned long count),
	    TP_ARGS(op, pfn, count),
	    TP_STRUCT__entry(__field(u64, pfn)
			     __field(unsigned long, count)
			     __field(unsigned int, op)),
	    TP_fast_assign(__entry->pfn = pfn;
			   __entry->count = count;
			   __entry->op = op),
	    TP_printk("pfn=%#llx count=%lu op=%s", __entry->pfn, __entry->count,
		      __print_symbolic(__entry->op,
				       { SEV_FW_PAGES_OWNED, "owned" },
				       { SEV_FW_PAGES_RECLAIMED, "reclaimed" },
				       { SEV_FW_PAGES_LEAKED, "leaked" },
				       { SEV_FW_PAGES_ABANDONED, "abandoned" }))
);

/*
 * /dev/sev's SEV_ISSUE_CMD: the command id and its name ("unknown" for an
 * id no handler takes), the ioctl's return value, and the firmware status
 * userspace gets in sev_issue_cmd.error.
 */
TRACE_EVENT(sev_psp_ioctl,
	    TP_PROTO(u32 cmd, const char *name, int ret, u32 error),
	    TP_ARGS(cmd, name, ret, error),
	    TP_STRUCT__entry(__field(u32, cmd)
			     __array(char, name, SEV_PSP_TRACE_NAME_LEN)
			     __field(int, ret)
			     __field(u32, error)),
	    TP_fast_assign(__entry->cmd = cmd;
			   strscpy(__entry->name, name, sizeof(__entry->name));
			   __entry->ret = ret;
			   __entry->error = error),
	    TP_printk("cmd=%#x name=%s ret=%d error=%#x", __entry->cmd,
		      __entry->name, __entry->ret, __entry->error)
);

#endif /* SEV_PSP_TRACE_H */

/* An out-of-tree module: -I$(src) (drivers/psp/Kbuild) finds it in "." */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE sev_psp_trace
#include <trace/define_trace.h>
