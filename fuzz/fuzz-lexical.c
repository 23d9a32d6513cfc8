/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the lexical path functions (src/path/lexical.c):
 * path_normalize, path_join and path_has_prefix, each compared with a
 * simple model written here, on output buffers of a fuzzed size (heap
 * buffers of exactly that size, so that AddressSanitizer sees overflows).
 * Input: 2 bytes of buffer size, then two strings separated by a NUL. */

#include "path/path.h"
#include "fuzz-model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Buffer sizes up to a little more than 2 * PATH_MAX. */
#define MAX_OUT 8300

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- models -------------------------------------------------------------- */

static char *model_join(const char *a, const char *b)
{
	size_t la = strlen(a);
	char *out;

	while (*b == '/')
		b++;
	if (!*b)
		return strdup(a);
	if (!la)
		return strdup(b);
	while (la > 0 && a[la - 1] == '/')
		la--;
	CHECK(asprintf(&out, "%.*s/%s", (int)la, a, b) >= 0);
	return out;
}

/* For canonical paths, a prefix is a prefix of the list of components. */
static bool components_prefix(const char *path, const char *prefix)
{
	while (*prefix) {
		size_t n;

		while (*prefix == '/')
			prefix++;
		while (*path == '/')
			path++;
		if (!*prefix)
			break;
		n = strcspn(prefix, "/");
		if (strcspn(path, "/") != n || memcmp(path, prefix, n) != 0)
			return false;
		path += n;
		prefix += n;
	}
	return true;
}

/* ---- checks -------------------------------------------------------------- */

static void check_normalize(const char *path, size_t outsz)
{
	size_t len = strlen(path), peak;
	char *out = malloc(outsz), *in_place, *model, *again;
	int r;

	CHECK(out || !outsz);
	r = path_normalize(path, out, outsz);
	if (path[0] != '/') {
		CHECK(r == -EINVAL);
		free(out);
		return;
	}
	model = model_normalize(path, &peak);
#ifdef FUZZ_STRICT_TOOLONG
	/* -ENAMETOOLONG exactly when the result does not fit. */
	CHECK(r == (strlen(model) + 1 > outsz ? -ENAMETOOLONG : 0));
#else
	/* Known and harmless (fuzz/regressions/lexical-normalize-toolong-peak):
	 * the room is checked while the output is built, so -ENAMETOOLONG
	 * also comes when an intermediate form does not fit. */
	CHECK(r == (peak > outsz ? -ENAMETOOLONG : 0));
#endif
	if (r == 0) {
		CHECK(strcmp(out, model) == 0);
		CHECK(model_is_canonical(out));
		/* idempotent, in its own exact-size buffer */
		again = malloc(strlen(out) + 1);
		CHECK(again);
		CHECK(path_normalize(out, again, strlen(out) + 1) == 0);
		CHECK(strcmp(again, out) == 0);
		free(again);
	}
	/* In place (OUT == PATH) gives the same answer. */
	if (len + 1 <= outsz) {
		in_place = malloc(outsz);
		CHECK(in_place);
		memcpy(in_place, path, len + 1);
		CHECK(path_normalize(in_place, in_place, outsz) == r);
		if (r == 0)
			CHECK(strcmp(in_place, out) == 0);
		free(in_place);
	}
	free(model);
	free(out);
}

static void check_join(const char *a, const char *b, size_t outsz)
{
	size_t la = strlen(a);
	char *out = malloc(outsz), *model = model_join(a, b);
	int r;

	CHECK(out || !outsz);
	r = path_join(a, b, out, outsz);
	CHECK(r == (strlen(model) + 1 > outsz ? -ENAMETOOLONG : 0));
	if (r == 0)
		CHECK(strcmp(out, model) == 0);
	/* OUT may be A. */
	if (la + 1 <= outsz) {
		char *in_place = malloc(outsz);

		CHECK(in_place);
		memcpy(in_place, a, la + 1);
		CHECK(path_join(in_place, b, in_place, outsz) == r);
		if (r == 0)
			CHECK(strcmp(in_place, model) == 0);
		free(in_place);
	}
	/* Joining then normalizing is normalizing the concatenation. */
	if (a[0] == '/') {
		char *cat, *joined = malloc(strlen(a) + strlen(b) + 2);
		char *n1, *n2;
		size_t p1, p2;

		CHECK(joined);
		CHECK(path_join(a, b, joined, strlen(a) + strlen(b) + 2) == 0);
		CHECK(asprintf(&cat, "%s/%s", a, b) >= 0);
		n1 = model_normalize(joined, &p1);
		n2 = model_normalize(cat, &p2);
		CHECK(strcmp(n1, n2) == 0);
		/* and a B without ".." stays below A */
		if (!strstr(b, "..")) {
			char *na = model_normalize(a, &p1);

			CHECK(path_has_prefix(n1, na));
			free(na);
		}
		free(n1);
		free(n2);
		free(cat);
		free(joined);
	}
	free(model);
	free(out);
}

static void check_has_prefix(const char *path, const char *prefix)
{
	bool r = path_has_prefix(path, prefix);

	CHECK(r == model_has_prefix(path, prefix));
	if (model_is_canonical(path) && model_is_canonical(prefix))
		CHECK(r == components_prefix(path, prefix));
	CHECK(path_has_prefix(path, path) == (path[0] != '\0'));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf, *a, *b;
	size_t outsz;

	if (size < 2)
		return 0;
	outsz = (data[0] | (size_t)data[1] << 8) % MAX_OUT;
	data += 2;
	size -= 2;
	/* A and B: two NUL-terminated heap copies, each exactly sized. */
	buf = malloc(size + 1);
	CHECK(buf);
	memcpy(buf, data, size);
	buf[size] = '\0';
	a = strdup(buf);
	b = strdup(buf + strlen(buf) + (strlen(buf) < size));
	CHECK(a && b);
	free(buf);

	check_normalize(a, outsz);
	check_normalize(b, outsz);
	check_join(a, b, outsz);
	check_join(b, a, outsz);
	check_has_prefix(a, b);
	check_has_prefix(b, a);

	free(a);
	free(b);
	return 0;
}
