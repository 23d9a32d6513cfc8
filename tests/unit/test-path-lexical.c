/* SPDX-License-Identifier: MIT */
/* Unit tests for src/path/lexical.c: prefix on component boundaries,
 * normalization (including in place and overflow), joining. */

#include "path/path.h"
#include "tap.h"

static void test_prefix(void)
{
	static const struct {
		const char *path, *prefix;
		bool want;
	} t[] = {
		{ "/a/b", "/a/b", true },
		{ "/a/b/c", "/a/b", true },
		{ "/a/bc", "/a/b", false },
		{ "/a", "/a/b", false },
		{ "/a/b", "/a/b/", true },
		{ "/a/bc", "/a/b/", false },
		{ "/", "/", true },
		{ "/x", "/", true },
		{ "/x/y", "//", true },
		{ "x", "/", false },
		{ "", "/", false },
		{ "/x", "", false },
		{ "a/b", "a", true },
		{ "ab", "a", false },
		{ "/a/b", "/a/b/c", false },
		{ "/a//b", "/a", true },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		TAP_EQ_INT(path_has_prefix(t[i].path, t[i].prefix), t[i].want,
			   "path_has_prefix('%s', '%s')", t[i].path, t[i].prefix);
}

static void test_normalize(void)
{
	static const struct {
		const char *in, *want;
		int ret;
	} t[] = {
		{ "/", "/", 0 },
		{ "//", "/", 0 },
		{ "/.", "/", 0 },
		{ "/..", "/", 0 },
		{ "/../..", "/", 0 },
		{ "/a", "/a", 0 },
		{ "/a/", "/a", 0 },
		{ "//a//b//", "/a/b", 0 },
		{ "/a/./b/.", "/a/b", 0 },
		{ "/a/b/..", "/a", 0 },
		{ "/a/b/../..", "/", 0 },
		{ "/a/b/../../../c", "/c", 0 },
		{ "/a/../b/../c/d", "/c/d", 0 },
		{ "/...", "/...", 0 },
		{ "/..a/.b/a..", "/..a/.b/a..", 0 },
		{ "/a/.../..", "/a", 0 },
		{ "a/b", NULL, -EINVAL },
		{ "", NULL, -EINVAL },
	};
	char out[64];

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		int r = path_normalize(t[i].in, out, sizeof(out));

		TAP_EQ_INT(r, t[i].ret, "path_normalize('%s') returns %d", t[i].in, t[i].ret);
		if (r == 0 && t[i].want)
			TAP_EQ_STR(out, t[i].want, "path_normalize('%s')", t[i].in);
	}

	/* In place: OUT == PATH. */
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (!t[i].want)
			continue;
		snprintf(out, sizeof(out), "%s", t[i].in);
		TAP_EQ_INT(path_normalize(out, out, sizeof(out)), 0, "in place '%s'", t[i].in);
		TAP_EQ_STR(out, t[i].want, "in place '%s'", t[i].in);
	}

	/* Sizes: "/abc" needs 5 bytes. */
	TAP_EQ_INT(path_normalize("/abc", out, 5), 0, "exact fit");
	TAP_EQ_STR(out, "/abc", "exact fit value");
	TAP_EQ_INT(path_normalize("/abc", out, 4), -ENAMETOOLONG, "one byte short");
	TAP_EQ_INT(path_normalize("/a/../abc/.", out, 5), 0, "fits once normalized");
	TAP_EQ_INT(path_normalize("/", out, 2), 0, "'/' in 2 bytes");
	TAP_EQ_INT(path_normalize("/", out, 1), -ENAMETOOLONG, "'/' in 1 byte");
}

static void test_join(void)
{
	static const struct {
		const char *a, *b, *want;
	} t[] = {
		{ "/", "x", "/x" },
		{ "/a", "x", "/a/x" },
		{ "/a/", "x", "/a/x" },
		{ "/a//", "//x/y", "/a/x/y" },
		{ "/a", "", "/a" },
		{ "/a/", "", "/a/" },
		{ "/a", "/", "/a" },
		{ "", "x", "x" },
		{ "", "", "" },
		{ "a", "b/", "a/b/" },
		{ "//", "x", "/x" },
	};
	char out[64];

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		TAP_EQ_INT(path_join(t[i].a, t[i].b, out, sizeof(out)), 0, "path_join('%s', '%s')",
			   t[i].a, t[i].b);
		TAP_EQ_STR(out, t[i].want, "path_join('%s', '%s')", t[i].a, t[i].b);
	}

	/* OUT may be A. */
	snprintf(out, sizeof(out), "/dir/");
	TAP_EQ_INT(path_join(out, "f", out, sizeof(out)), 0, "join in place");
	TAP_EQ_STR(out, "/dir/f", "join in place value");

	/* "/a/b" needs 5 bytes. */
	TAP_EQ_INT(path_join("/a", "b", out, 5), 0, "join exact fit");
	TAP_EQ_INT(path_join("/a", "b", out, 4), -ENAMETOOLONG, "join one byte short");
	TAP_EQ_INT(path_join("/abc", "", out, 4), -ENAMETOOLONG, "join empty B too long");
}

int main(void)
{
	test_prefix();
	test_normalize();
	test_join();
	return tap_done();
}
