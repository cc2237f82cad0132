// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace events of sev_psp_trace.h, instantiated once. Low in the
 * layers (drivers/psp/Kbuild): the mailbox traces every command, and the
 * events look command names up in the command table (sev-cmd.c), which
 * sits below them both.
 */
#include "psp.h"

#define CREATE_TRACE_POINTS
#include "sev_psp_trace.h"
