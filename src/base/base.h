/* SPDX-License-Identifier: MIT */
/* Small helpers shared by every layer: cleanup attributes, array sizes,
 * -errno conventions. Functions in ptroot return >= 0 on success and a
 * negative errno on failure; they never return -1 or report through errno. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline void freep(void *p) { free(*(void **)p); }
static inline void closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}
#define _cleanup_free_ __attribute__((cleanup(freep)))
#define _cleanup_close_ __attribute__((cleanup(closep)))

/* Take ownership of a pointer out of a cleanup-scoped variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })

/* Turn the libc convention (-1 + errno) into ours (-errno). */
#define NEG_ERRNO(r) ((r) < 0 ? -errno : (r))

/* The kernel's limits, which the guest sees (linux/limits.h). */
#define PT_PATH_MAX 4096
#define PT_NAME_MAX 255
#define PT_MAXSYMLINKS 40
