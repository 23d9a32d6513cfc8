/* SPDX-License-Identifier: MIT */
/* Shared by the escape corpus programs (tests/guest/escape-*.c): the marker
 * that exists only outside the guest, the host path suffixes to try from
 * wherever the guest got to, and the per-case transcript ("case NAME: safe"
 * or "ESCAPE"). */
#pragma once
#include "guest.h"

#define MARKER "PTROOT-ESCAPE-MARKER"

static const char *targets[32];
static int ntargets;
static const char *case_name;
static int case_escaped, case_quiet, case_probes;

/* A transcript line; "~ " marks lines that are not compared with native. */
__attribute__((format(printf, 1, 2), unused)) static void note(const char *fmt, ...)
{
	va_list ap;

	if (case_quiet > 1)
		return;
	if (case_quiet)
		fputs("~ ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* QUIET: 0 compared with native, 1 printed but not compared (ptroot only),
 * 2 only the verdict is printed (too many lines, or pids in them). */
__attribute__((unused)) static void begin(const char *name, int quiet)
{
	case_name = name;
	case_escaped = 0;
	case_probes = 0;
	case_quiet = quiet;
	if (quiet > 1)
		printf("~ -- %s\n", name);
	note("-- %s", name);
}

__attribute__((unused)) static void end(void)
{
	if (case_quiet > 1)
		printf("~ %s: %d probes\n", case_name, case_probes);
	printf("case %s%s: %s\n", case_name, case_quiet ? " [ptroot-only]" : "",
	       case_escaped ? "ESCAPE" : "safe");
	case_quiet = 0;
}

/* Every suffix of a marker's host path: what to try below a directory the
 * guest may have reached. */
__attribute__((unused)) static void add_suffixes(const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == '/' && p[1] && ntargets < 32)
			targets[ntargets++] = p + 1;
	}
}

/* The marker at the start of the file, or (for a marked copy of an
 * executable) in its last bytes. */
__attribute__((unused)) static int fd_is_marker(int fd)
{
	char buf[65];
	struct stat st;
	size_t ml = strlen(MARKER);
	ssize_t n = pread(fd, buf, 64, 0);

	if (n >= (ssize_t)ml && !memcmp(buf, MARKER, ml))
		return 1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 64)
		return 0;
	n = pread(fd, buf, 64, st.st_size - 64);
	if (n != 64)
		return 0;
	buf[64] = 0;
	return memmem(buf, 64, MARKER, ml) != NULL;
}
