/* SPDX-License-Identifier: MIT */
/* Pure string operations on paths: prefix tests on component boundaries,
 * lexical normalization, joining. No I/O: they never look at the file system,
 * so ".." here is textual and only correct on paths known to be symlink-free
 * (canonical guest paths, bind-mount tables). */

#include "path/path.h"

#include <string.h>

bool path_has_prefix(const char *path, const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0)
		return false;
	/* "/a/" is "/a"; "/" becomes the empty prefix of every absolute path. */
	while (n > 0 && prefix[n - 1] == '/')
		n--;
	if (n == 0)
		return path[0] == '/';
	if (strncmp(path, prefix, n) != 0)
		return false;
	return path[n] == '\0' || path[n] == '/';
}

int path_normalize(const char *path, char *out, size_t outsz)
{
	const char *s = path;
	size_t o = 0;

	if (path[0] != '/')
		return -EINVAL;
	if (outsz < 2)
		return -ENAMETOOLONG;
	/* In place is safe: the output never gets ahead of the input, since each
	 * component is written at most where it was read and every separator
	 * we write replaces one we have already read. */
	out[o++] = '/';
	for (;;) {
		const char *c;
		size_t n;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		c = s;
		while (*s && *s != '/')
			s++;
		n = (size_t)(s - c);
		if (n == 1 && c[0] == '.')
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
			continue;
		}
		if (o + (o > 1) + n + 1 > outsz)
			return -ENAMETOOLONG;
		if (o > 1)
			out[o++] = '/';
		memmove(out + o, c, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}

int path_join(const char *a, const char *b, char *out, size_t outsz)
{
	size_t la = strlen(a), lb;

	while (*b == '/')
		b++;
	lb = strlen(b);
	if (lb == 0 || la == 0) {
		const char *src = lb == 0 ? a : b;
		size_t n = lb == 0 ? la : lb;

		if (n + 1 > outsz)
			return -ENAMETOOLONG;
		memmove(out, src, n + 1);
		return 0;
	}
	while (la > 0 && a[la - 1] == '/')
		la--;
	if (la + 1 + lb + 1 > outsz)
		return -ENAMETOOLONG;
	memmove(out, a, la);
	out[la] = '/';
	memcpy(out + la + 1, b, lb + 1);
	return 0;
}
