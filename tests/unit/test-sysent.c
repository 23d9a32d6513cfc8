/* SPDX-License-Identifier: MIT */
/* The syscall table against the kernel: every number in the installed
 * asm/unistd_{64,32}.h (read at run time) and every newer one up to Linux
 * 6.18 has its row; no number is taken twice; path specs are well formed;
 * sysent_lookup() finds what it should and nothing else. */
#include "syscall/sysent.h"
#include "tap.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef HDR_64
#define HDR_64 "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
#endif
#ifndef HDR_32
#define HDR_32 "/usr/include/x86_64-linux-gnu/asm/unistd_32.h"
#endif

static const char *const abi_name[ABI__MAX] = { "x86_64", "i386" };

/* Syscalls newer than Debian 12's headers (Linux 6.1), from the kernel's
 * arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl as of 6.18.
 * -1: not on that ABI. */
static const struct {
	const char *name;
	int nr[ABI__MAX];
} newer[] = {
	{ "uretprobe", { 335, -1 } },
	{ "uprobe", { 336, -1 } },
	{ "cachestat", { 451, 451 } },
	{ "fchmodat2", { 452, 452 } },
	/* syscall_32.tbl numbers it too (the kernel answers ENOSYS there). */
	{ "map_shadow_stack", { 453, 453 } },
	{ "futex_wake", { 454, 454 } },
	{ "futex_wait", { 455, 455 } },
	{ "futex_requeue", { 456, 456 } },
	{ "statmount", { 457, 457 } },
	{ "listmount", { 458, 458 } },
	{ "lsm_get_self_attr", { 459, 459 } },
	{ "lsm_set_self_attr", { 460, 460 } },
	{ "lsm_list_modules", { 461, 461 } },
	{ "mseal", { 462, 462 } },
	{ "setxattrat", { 463, 463 } },
	{ "getxattrat", { 464, 464 } },
	{ "listxattrat", { 465, 465 } },
	{ "removexattrat", { 466, 466 } },
	{ "open_tree_attr", { 467, 467 } },
	{ "file_getattr", { 468, 468 } },
	{ "file_setattr", { 469, 469 } },
};

typedef struct HdrNr {
	char name[64];
	int nr;
} HdrNr;

/* Every "#define __NR_name number" of FILE into *OUT; count or -errno. */
static int parse_header(const char *file, HdrNr **out)
{
	FILE *f = fopen(file, "re");
	char line[512];
	HdrNr *v = NULL;
	int n = 0, cap = 0;

	*out = NULL;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		HdrNr h;

		if (sscanf(line, "#define __NR_%63[A-Za-z0-9_] %d", h.name, &h.nr) != 2)
			continue;
		if (n == cap) {
			HdrNr *nv;

			cap = cap ? cap * 2 : 512;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv) {
				free(v);
				fclose(f);
				return -ENOMEM;
			}
			v = nv;
		}
		v[n++] = h;
	}
	fclose(f);
	*out = v;
	return n;
}

static bool in_header(const HdrNr *h, int n, const char *name, int nr)
{
	for (int i = 0; i < n; i++)
		if (h[i].nr == nr && strcmp(h[i].name, name) == 0)
			return true;
	return false;
}

static bool in_newer(Abi abi, const char *name, int nr)
{
	for (size_t i = 0; i < ARRAY_SIZE(newer); i++)
		if (newer[i].nr[abi] == nr && strcmp(newer[i].name, name) == 0)
			return true;
	return false;
}

/* (a) The installed header's numbers all have rows, and every row is
 * either in that header or one of the newer syscalls. */
static void check_header(Abi abi, const char *file)
{
	HdrNr *h;
	int n = parse_header(file, &h);
	int missing = 0, unknown = 0;

	TAP_OK(n > 100, "%s: read %s (%d syscalls%s%s)", abi_name[abi], file, n,
	       n < 0 ? ": " : "", n < 0 ? strerror(-n) : "");
	if (n <= 0) {
		TAP_OK(false, "%s: every __NR_ in the header has a row", abi_name[abi]);
		TAP_OK(false, "%s: every row is in the header or newer", abi_name[abi]);
		return;
	}
	for (int i = 0; i < n; i++) {
		const SysEnt *e = sysent_lookup(abi, h[i].nr);

		if (!e || strcmp(e->name, h[i].name) != 0) {
			missing++;
			printf("#   %s %s = %d: row is %s\n", abi_name[abi], h[i].name,
			       h[i].nr, e ? e->name : "(none)");
		}
	}
	TAP_OK(missing == 0, "%s: all %d __NR_ of the header have a row of that name",
	       abi_name[abi], n);

	for (size_t i = 0; i < sysent_count; i++) {
		const SysEnt *e = &sysent_table[i];
		int nr = sysent_nr(e, abi);

		if (nr < 0 || in_header(h, n, e->name, nr) || in_newer(abi, e->name, nr))
			continue;
		unknown++;
		printf("#   %s row %s = %d is in neither the header nor the newer list\n",
		       abi_name[abi], e->name, nr);
	}
	TAP_OK(unknown == 0, "%s: every row is in the header or the newer list",
	       abi_name[abi]);
	free(h);
}

/* (b) Syscalls newer than the headers. */
static void check_newer(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(newer); i++) {
		bool ok = true;

		for (int abi = 0; abi < ABI__MAX; abi++) {
			int nr = newer[i].nr[abi];

			if (nr >= 0) {
				const SysEnt *e = sysent_lookup(abi, nr);

				if (!e || strcmp(e->name, newer[i].name) != 0) {
					ok = false;
					printf("#   %s %d: row is %s\n", abi_name[abi], nr,
					       e ? e->name : "(none)");
				}
				continue;
			}
			for (size_t j = 0; j < sysent_count; j++) {
				if (strcmp(sysent_table[j].name, newer[i].name) == 0 &&
				    sysent_nr(&sysent_table[j], abi) >= 0) {
					ok = false;
					printf("#   %s has a number on %s\n", newer[i].name,
					       abi_name[abi]);
				}
			}
		}
		TAP_OK(ok, "%s: x86_64 %d, i386 %d", newer[i].name, newer[i].nr[ABI_X86_64],
		       newer[i].nr[ABI_I386]);
	}
}

/* (c) No number is used twice on an ABI; sysent_max() is right. */
static void check_unique(void)
{
	for (int abi = 0; abi < ABI__MAX; abi++) {
		static uint16_t count[1 << 16];
		int dups = 0, top = 0;

		memset(count, 0, sizeof(count));
		for (size_t i = 0; i < sysent_count; i++) {
			int nr = sysent_nr(&sysent_table[i], abi);

			if (nr < 0 || nr >= (int)ARRAY_SIZE(count))
				continue;
			if (count[nr]++) {
				dups++;
				printf("#   %s %d used again by %s\n", abi_name[abi], nr,
				       sysent_table[i].name);
			}
			if (nr + 1 > top)
				top = nr + 1;
		}
		TAP_OK(dups == 0, "%s: no number has two rows", abi_name[abi]);
		TAP_EQ_INT(sysent_max(abi), top, "%s: sysent_max is the largest number + 1",
			   abi_name[abi]);
	}
}

static bool arg_ok(int a, bool may_be_none)
{
	return (a >= 0 && a <= 5) || (may_be_none && a == -1);
}

/* Problems with one path spec of a row, or NULL. */
static const char *spec_problem(const SysEnt *e, const SysPath *p)
{
	if (p->follow == SF_NONE) {
		if (p->dirfd != -1 || p->path != -1 || p->flags != -1 || p->empty)
			return "unused spec not all -1";
		return NULL;
	}
	if (p->follow > SF_FANOTIFY)
		return "bad follow rule";
	if (!arg_ok(p->path, false))
		return "path arg out of 0..5";
	if (!arg_ok(p->dirfd, true) || !arg_ok(p->flags, true))
		return "dirfd/flags arg out of -1..5";
	if (p->path == p->dirfd || p->path == p->flags ||
	    (p->dirfd >= 0 && p->dirfd == p->flags))
		return "two roles share an argument";
	/* Custom handlers may take flags from elsewhere (openat2's open_how,
	 * readlinkat's implicit empty path). */
	if (e->kind != SK_PATH)
		return NULL;
	switch (p->follow) {
	case SF_AT_NOFOLLOW:
	case SF_AT_FOLLOW:
	case SF_OPEN:
	case SF_INOTIFY:
	case SF_FANOTIFY:
		if (p->flags < 0)
			return "follow rule needs a flags argument";
		break;
	default:
		break;
	}
	if (p->empty && (p->flags < 0 || p->dirfd < 0))
		return "AT_EMPTY_PATH needs flags and dirfd arguments";
	return NULL;
}

/* Problems with a row as a whole, or NULL. */
static const char *row_problem(const SysEnt *e)
{
	bool has_path = e->p[0].follow != SF_NONE;

	if (!e->name || !e->name[0])
		return "no name";
	if (e->nr_x86_64 < 0 && e->nr_i386 < 0)
		return "on no ABI";
	if (e->nr_x86_64 >= 512 || e->nr_i386 >= 512)
		return "number in the x32 range or beyond";
	if (e->nr_x86_64 < -1 || e->nr_i386 < -1)
		return "negative number other than -1";
	if (e->p[1].follow != SF_NONE && !has_path)
		return "p[1] without p[0]";
	for (int i = 0; i < 2; i++) {
		const char *why = spec_problem(e, &e->p[i]);

		if (why)
			return why;
	}
	if (e->handler >= SH__MAX)
		return "bad handler";
	if (e->kind != SK_CUSTOM && e->handler != SH_none)
		return "handler on a non-custom row";
	if (e->kind != SK_DENY && e->err != 0)
		return "errno on a non-deny row";
	switch (e->kind) {
	case SK_PASS:
		return has_path ? "PASS row with a path spec" : NULL;
	case SK_PATH:
		return has_path ? NULL : "PATH row without a path spec";
	case SK_CUSTOM:
		return e->handler == SH_none ? "custom row without a handler" : NULL;
	case SK_DENY:
		if (e->err <= 0 || e->err > 4095)
			return "deny row without a positive errno";
		return has_path ? "deny row with a path spec" : NULL;
	default:
		return "bad kind";
	}
}

/* (d) Every row is well formed. */
static void check_rows(void)
{
	int bad = 0, clash = 0;

	for (size_t i = 0; i < sysent_count; i++) {
		const SysEnt *e = &sysent_table[i];
		const char *why = row_problem(e);

		if (why) {
			bad++;
			printf("#   %s: %s\n", e->name ? e->name : "(null)", why);
		}
		/* Rows sharing a name must live on different ABIs. */
		for (size_t j = i + 1; j < sysent_count; j++) {
			const SysEnt *f = &sysent_table[j];

			if (strcmp(e->name, f->name) != 0)
				continue;
			if ((e->nr_x86_64 >= 0 && f->nr_x86_64 >= 0) ||
			    (e->nr_i386 >= 0 && f->nr_i386 >= 0)) {
				clash++;
				printf("#   %s: two rows on one ABI\n", e->name);
			}
		}
	}
	TAP_OK(bad == 0, "all %zu rows are well formed", sysent_count);
	TAP_OK(clash == 0, "rows sharing a name are on different ABIs");
}

static bool spec_is(const SysPath *p, int dirfd, int path, int flags, SysFollow follow,
		    bool empty)
{
	return p->dirfd == dirfd && p->path == path && p->flags == flags &&
	       p->follow == follow && p->empty == empty;
}

/* A few rows whose semantics matter most, spelled out. */
static void check_semantics(void)
{
	const SysEnt *e;

	e = sysent_lookup(ABI_X86_64, 257);
	TAP_OK(e && e->kind == SK_PATH && spec_is(&e->p[0], 0, 1, 2, SF_OPEN, false) &&
		       e->p[1].follow == SF_NONE,
	       "openat: dirfd 0, path 1, open flags 2");
	e = sysent_lookup(ABI_X86_64, 88);
	TAP_OK(e && e->kind == SK_PATH && spec_is(&e->p[0], -1, 1, -1, SF_CREATE, false) &&
		       e->p[1].follow == SF_NONE,
	       "symlink: only the link path (arg 1) is translated");
	e = sysent_lookup(ABI_I386, 304);
	TAP_OK(e && e->kind == SK_PATH && spec_is(&e->p[0], 1, 2, -1, SF_CREATE, false),
	       "symlinkat (i386): newdirfd 1, linkpath 2");
	e = sysent_lookup(ABI_X86_64, 265);
	TAP_OK(e && spec_is(&e->p[0], 0, 1, 4, SF_AT_FOLLOW, true) &&
		       spec_is(&e->p[1], 2, 3, -1, SF_CREATE, false),
	       "linkat: AT_SYMLINK_FOLLOW on the old path, never on the new");
	e = sysent_lookup(ABI_X86_64, 84);
	TAP_OK(e && e->kind == SK_PATH && spec_is(&e->p[0], -1, 0, -1, SF_REMOVE, false),
	       "rmdir: the final name is removed, never followed");
	e = sysent_lookup(ABI_X86_64, 316);
	TAP_OK(e && spec_is(&e->p[0], 0, 1, -1, SF_REMOVE, false) &&
		       spec_is(&e->p[1], 2, 3, -1, SF_REMOVE, false),
	       "renameat2: both names removed/replaced, never followed");
	e = sysent_lookup(ABI_I386, 39);
	TAP_OK(e && spec_is(&e->p[0], -1, 0, -1, SF_CREATE, false), "mkdir (i386): the final name is created");
	e = sysent_lookup(ABI_X86_64, 301);
	TAP_OK(e && spec_is(&e->p[0], 3, 4, 1, SF_FANOTIFY, false),
	       "fanotify_mark (x86_64): dirfd 3, path 4");
	e = sysent_lookup(ABI_I386, 339);
	TAP_OK(e && spec_is(&e->p[0], 4, 5, 1, SF_FANOTIFY, false),
	       "fanotify_mark (i386): dirfd 4, path 5 after the split mask");
	e = sysent_lookup(ABI_X86_64, 267);
	TAP_OK(e && e->kind == SK_CUSTOM && e->handler == SH_readlink &&
		       spec_is(&e->p[0], 0, 1, -1, SF_NOFOLLOW, true),
	       "readlinkat: custom, path spec with the implicit empty path");
	e = sysent_lookup(ABI_X86_64, 437);
	TAP_OK(e && e->kind == SK_CUSTOM && e->handler == SH_openat2 &&
		       spec_is(&e->p[0], 0, 1, -1, SF_OPEN, false),
	       "openat2: custom, dirfd 0, path 1");
	e = sysent_lookup(ABI_X86_64, 42);
	TAP_OK(e && e->kind == SK_CUSTOM && e->handler == SH_sockaddr_in, "connect: custom");
	e = sysent_lookup(ABI_I386, 362);
	TAP_OK(e && e->kind == SK_CUSTOM && e->handler == SH_sockaddr_in,
	       "connect (i386 direct): custom");
	e = sysent_lookup(ABI_X86_64, 425);
	TAP_OK(e && e->kind == SK_DENY && e->err == ENOSYS, "io_uring_setup: ENOSYS");
	e = sysent_lookup(ABI_X86_64, 165);
	TAP_OK(e && e->kind == SK_DENY && e->err == EPERM, "mount: EPERM");
	e = sysent_lookup(ABI_I386, 17);
	TAP_OK(e && e->kind == SK_DENY && e->err == ENOSYS && !strcmp(e->name, "break"),
	       "break (i386): ENOSYS");
}

/* (e) Lookups. */
static void check_lookup(void)
{
	const SysEnt *e;
	static const long absent64[] = {
		-1, -2, 337, 387, 423, 470, 511, 512, 547, 1000, 0x40000000,
		0x40000000 | 257, 0x40000000 | 512, LONG_MIN, LONG_MAX,
	};
	static const long absent32[] = {
		-1, 222, 223, 251, 285, 387, 392, 415, 470, 1000, 0x40000000, LONG_MAX,
	};
	int bad = 0;

	for (size_t i = 0; i < ARRAY_SIZE(absent64); i++) {
		if ((e = sysent_lookup(ABI_X86_64, absent64[i]))) {
			bad++;
			printf("#   x86_64 %ld gave %s\n", absent64[i], e->name);
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(absent32); i++) {
		if ((e = sysent_lookup(ABI_I386, absent32[i]))) {
			bad++;
			printf("#   i386 %ld gave %s\n", absent32[i], e->name);
		}
	}
	TAP_OK(bad == 0, "no row for unknown, negative or x32 numbers");
	TAP_OK(sysent_lookup(ABI__MAX, 0) == NULL && sysent_lookup((Abi)-1, 0) == NULL,
	       "no row for an unknown ABI");

	e = sysent_lookup(ABI_X86_64, 257);
	TAP_EQ_STR(e ? e->name : NULL, "openat", "x86_64 257 is openat");
	e = sysent_lookup(ABI_I386, 295);
	TAP_EQ_STR(e ? e->name : NULL, "openat", "i386 295 is openat");
	TAP_OK(sysent_lookup(ABI_X86_64, 257) == sysent_lookup(ABI_I386, 295),
	       "openat is one row on both ABIs");
	e = sysent_lookup(ABI_X86_64, 59);
	TAP_OK(e && !strcmp(e->name, "execve") && e->kind == SK_CUSTOM &&
		       e->handler == SH_execve,
	       "x86_64 59 is execve (custom)");
	e = sysent_lookup(ABI_I386, 11);
	TAP_EQ_STR(e ? e->name : NULL, "execve", "i386 11 is execve");
	e = sysent_lookup(ABI_I386, 102);
	TAP_OK(e && !strcmp(e->name, "socketcall") && e->kind == SK_CUSTOM &&
		       e->handler == SH_socketcall,
	       "i386 102 is socketcall (custom)");
	e = sysent_lookup(ABI_X86_64, 102);
	TAP_EQ_STR(e ? e->name : NULL, "getuid", "x86_64 102 is getuid");
	e = sysent_lookup(ABI_X86_64, 0);
	TAP_EQ_STR(e ? e->name : NULL, "read", "x86_64 0 is read");
	e = sysent_lookup(ABI_I386, 0);
	TAP_EQ_STR(e ? e->name : NULL, "restart_syscall", "i386 0 is restart_syscall");
}

static int rows_on(Abi abi)
{
	int n = 0;

	for (size_t i = 0; i < sysent_count; i++)
		n += sysent_nr(&sysent_table[i], abi) >= 0;
	return n;
}

int main(void)
{
	check_header(ABI_X86_64, HDR_64);
	check_header(ABI_I386, HDR_32);
	check_newer();
	check_unique();
	check_rows();
	check_semantics();
	check_lookup();
	printf("# %zu rows: %d on x86_64 (up to %d), %d on i386 (up to %d)\n", sysent_count,
	       rows_on(ABI_X86_64), sysent_max(ABI_X86_64) - 1, rows_on(ABI_I386),
	       sysent_max(ABI_I386) - 1);
	return tap_done();
}
