/* SPDX-License-Identifier: MIT */
/* The syscall table (rows from sysent.def) and O(1) lookup by ABI and
 * number. The per-ABI number -> row indexes are built once, on the first
 * lookup. */
#include "syscall/sysent.h"

#include <pthread.h>

#define P(dirfd_, path_, flags_, follow_, empty_) \
	{ .dirfd = (dirfd_), .path = (path_), .flags = (flags_), \
	  .follow = SF_##follow_, .empty = (empty_) }
#define NOP { .dirfd = -1, .path = -1, .flags = -1, .follow = SF_NONE, .empty = false }
#define SYS(name_, nr64_, nr32_, kind_, handler_, err_, p0_, p1_)                 \
	{ .name = #name_, .nr_x86_64 = (nr64_), .nr_i386 = (nr32_),                \
	  .kind = SK_##kind_, .handler = SH_##handler_, .err = (err_),            \
	  .p = { p0_, p1_ } },

const SysEnt sysent_table[] = {
#include "syscall/sysent.def"
};
const size_t sysent_count = ARRAY_SIZE(sysent_table);

#undef SYS
#undef NOP
#undef P

/* Syscall numbers on both ABIs stay well below this (x86_64 numbers from
 * 512 are x32-only and have no rows). */
#define SYSENT_NR_LIMIT 1024

/* index[abi][nr] is the row's position in sysent_table plus one, 0 = none. */
static uint16_t sysent_index[ABI__MAX][SYSENT_NR_LIMIT];
static int sysent_top[ABI__MAX];
static pthread_once_t sysent_once = PTHREAD_ONCE_INIT;

static void sysent_build(void)
{
	for (size_t i = 0; i < sysent_count; i++) {
		for (int abi = 0; abi < ABI__MAX; abi++) {
			int nr = sysent_nr(&sysent_table[i], abi);

			if (nr < 0)
				continue;
			/* A table bug the unit test reports; never in a build. */
			if (nr >= SYSENT_NR_LIMIT)
				abort();
			/* The first row wins a (test-detected) duplicate. */
			if (sysent_index[abi][nr])
				continue;
			sysent_index[abi][nr] = (uint16_t)(i + 1);
			if (nr >= sysent_top[abi])
				sysent_top[abi] = nr + 1;
		}
	}
}

const SysEnt *sysent_lookup(Abi abi, long nr)
{
	if ((unsigned)abi >= ABI__MAX || nr < 0 || nr >= SYSENT_NR_LIMIT)
		return NULL;
	pthread_once(&sysent_once, sysent_build);
	uint16_t i = sysent_index[abi][nr];
	return i ? &sysent_table[i - 1] : NULL;
}

int sysent_max(Abi abi)
{
	if ((unsigned)abi >= ABI__MAX)
		return 0;
	pthread_once(&sysent_once, sysent_build);
	return sysent_top[abi];
}
