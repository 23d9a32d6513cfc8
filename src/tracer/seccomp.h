/* SPDX-License-Identifier: MIT */
/* The seccomp-bpf filter, generated from the syscall table. */
#pragma once
#include "base/base.h"
#include <linux/filter.h>
#include <linux/seccomp.h>

/* Build the filter: per ABI, SK_PASS rows are allowed, rows that need us
 * are traced, and every other number (unknown, x32) fails with ENOSYS
 * without a stop. The program lives until exit. 0 or -errno. */
int seccomp_build_filter(struct sock_fprog *ret);
