/* SPDX-License-Identifier: MIT */
/* One-line messages on stderr, prefixed "ptroot: ". */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int log_verbosity;

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char buf[8192];
	int n = snprintf(buf, sizeof(buf), "ptroot: %s", prefix);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	size_t len = strlen(buf);
	if (len < sizeof(buf) - 1)
		buf[len++] = '\n';
	/* one write so that lines of concurrent processes do not interleave */
	ssize_t r = write(STDERR_FILENO, buf, len);
	(void)r;
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

void log_debug(int level, const char *fmt, ...)
{
	if (log_verbosity < level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}
