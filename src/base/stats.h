/* SPDX-License-Identifier: MIT */
/* Counts of the tracer's work, kept by every layer that does some and
 * printed with -v 1 or PTROOT_STATS=1 (the benchmark suite reads them). */
#pragma once
#include "base/base.h"

typedef struct TracerStats {
	uint64_t stops, translated, passed, exit_stops, injections, execs;
	uint64_t paths;         /* path arguments looked at */
	uint64_t host_syscalls; /* file system syscalls the tracer made for them */
	uint64_t signal_stops;  /* signal-delivery stops */
} TracerStats;

extern TracerStats tracer_stats;
