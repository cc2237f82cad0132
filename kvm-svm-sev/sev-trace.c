// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace events of trace.h, instantiated once. At the bottom of the
 * layers (kvm-svm-sev/Kbuild): the events only read the vCPU and the VM,
 * and every file that traces calls down to their tracepoints.
 */
#include "sev.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
