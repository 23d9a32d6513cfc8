/* SPDX-License-Identifier: MIT */
/* Models of the lexical path functions for the fuzz harnesses: written
 * apart from src/path/lexical.c, as simply as possible, so that the
 * harnesses check the real functions against them (and do not use the code
 * under test as their own oracle). */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond)                                                           \
	do {                                                                  \
		if (!(cond)) {                                                \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                             \
			abort();                                              \
		}                                                             \
	} while (0)

/* Lexical normalization of an absolute PATH with a stack of components:
 * a new string. *PEAK (may be NULL) gets the largest size, NUL included,
 * that the output reaches while it is built ("/long/.." reaches 6). */
static inline char *model_normalize(const char *path, size_t *peak)
{
	size_t o = 1, top = 2;
	char *out = malloc(strlen(path) + 2);
	const char *s = path;

	CHECK(out);
	out[0] = '/';
	while (*s) {
		const char *c;
		size_t n;

		while (*s == '/')
			s++;
		c = s;
		while (*s && *s != '/')
			s++;
		n = (size_t)(s - c);
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			char *slash;

			out[o] = '\0';
			slash = strrchr(out, '/');
			o = slash == out ? 1 : (size_t)(slash - out);
			continue;
		}
		if (o > 1)
			out[o++] = '/';
		memcpy(out + o, c, n);
		o += n;
		if (o + 1 > top)
			top = o + 1;
	}
	out[o] = '\0';
	if (peak)
		*peak = top;
	return out;
}

/* PREFIX names PATH or one of its ancestors, textually (see path.h). */
static inline bool model_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0)
		return false;
	while (n > 0 && prefix[n - 1] == '/')
		n--;
	if (n == 0)
		return path[0] == '/';
	return strlen(path) >= n && memcmp(path, prefix, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

/* Absolute, no empty, "." or ".." component, no trailing slash but "/". */
static inline bool model_is_canonical(const char *p)
{
	size_t n = strlen(p);

	if (p[0] != '/')
		return false;
	if (n == 1)
		return true;
	return p[n - 1] != '/' && !strstr(p, "//") && !strstr(p, "/./") &&
	       !strstr(p, "/../") && strcmp(p + n - 2, "/.") != 0 &&
	       (n < 3 || strcmp(p + n - 3, "/..") != 0);
}
