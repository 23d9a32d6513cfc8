/* SPDX-License-Identifier: MIT */
/* Unit tests for src/path/binding.c: guest->host and host->guest translation
 * with root "/" and a real-looking root, longest prefix, ties, file bindings,
 * host paths that the guest cannot see, binding ancestors. */

#include "path/path.h"
#include "tap.h"

typedef struct Bind {
	const char *host, *guest;
} Bind;

static void setup(Mapping *m, const char *root, const Bind *b, size_t n)
{
	*m = (Mapping){ 0 };
	TAP_EQ_INT(mapping_set_root(m, root), 0, "set root '%s'", root);
	for (size_t i = 0; i < n; i++)
		TAP_EQ_INT(mapping_add_binding(m, b[i].host, b[i].guest), 0, "bind '%s' at '%s'",
			   b[i].host, b[i].guest);
}

typedef struct Case {
	const char *in, *want;
	int ret;
} Case;

static void check_g2h(const Mapping *m, const Case *t, size_t n)
{
	char out[PT_PATH_MAX * 2];

	for (size_t i = 0; i < n; i++) {
		int r = mapping_guest_to_host(m, t[i].in, out, sizeof(out));

		TAP_EQ_INT(r, t[i].ret, "root '%s': guest_to_host('%s') returns %d", m->root,
			   t[i].in, t[i].ret);
		if (r == 0)
			TAP_EQ_STR(out, t[i].want, "root '%s': guest_to_host('%s')", m->root, t[i].in);
	}
}

static void check_h2g(const Mapping *m, const Case *t, size_t n)
{
	char out[PT_PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		int r = mapping_host_to_guest(m, t[i].in, out, sizeof(out));

		TAP_EQ_INT(r, t[i].ret, "root '%s': host_to_guest('%s') returns %d", m->root,
			   t[i].in, t[i].ret);
		if (r == 0)
			TAP_EQ_STR(out, t[i].want, "root '%s': host_to_guest('%s')", m->root, t[i].in);
	}
}

static void test_root_slash(void)
{
	static const Bind b[] = {
		{ "/data/b", "/mnt/b" },
		{ "/srv/hosts", "/etc/hosts" }, /* a file */
	};
	static const Case g2h[] = {
		{ "/", "/", 0 },
		{ "/etc", "/etc", 0 },
		{ "/etc/passwd", "/etc/passwd", 0 },
		{ "/etc/hosts", "/srv/hosts", 0 },
		{ "/etc/hosts/x", "/srv/hosts/x", 0 }, /* the kernel says ENOTDIR */
		{ "/etc/hostsx", "/etc/hostsx", 0 },
		{ "/mnt", "/mnt", 0 },
		{ "/mnt/b", "/data/b", 0 },
		{ "/mnt/b/c/d", "/data/b/c/d", 0 },
		{ "/mnt/bb", "/mnt/bb", 0 },
	};
	static const Case h2g[] = {
		{ "/", "/", 0 },
		{ "/usr/bin", "/usr/bin", 0 },
		{ "/data/b", "/mnt/b", 0 },
		{ "/data/b/x", "/mnt/b/x", 0 },
		{ "/data/bx", "/data/bx", 0 },
		{ "/data", "/data", 0 },
		{ "/srv/hosts", "/etc/hosts", 0 },
		/* covered by the bindings: invisible */
		{ "/mnt/b", NULL, -ENOENT },
		{ "/mnt/b/x", NULL, -ENOENT },
		{ "/etc/hosts", NULL, -ENOENT },
		{ "/mnt", "/mnt", 0 },
		/* not canonical: normalized first */
		{ "/data//b/", "/mnt/b", 0 },
	};
	Mapping m;

	setup(&m, "/", b, ARRAY_SIZE(b));
	check_g2h(&m, g2h, ARRAY_SIZE(g2h));
	check_h2g(&m, h2g, ARRAY_SIZE(h2g));
	mapping_free(&m);
}

static void test_real_root(void)
{
	static const Bind b[] = {
		{ "/data/b", "/mnt/b" },
		{ "/data/b2", "/mnt/b/inner" }, /* nested: longest prefix wins */
		{ "/old", "/opt" },
		{ "/new", "/opt" },             /* tie: the last added wins */
		{ "/etc/resolv.conf", "/etc/resolv.conf" },
		{ "/", "/host" },               /* the whole host */
		{ "/srv/rootfs", "/self" },     /* the rootfs itself */
	};
	static const Case g2h[] = {
		{ "/", "/srv/rootfs", 0 },
		{ "/bin/sh", "/srv/rootfs/bin/sh", 0 },
		{ "/mnt", "/srv/rootfs/mnt", 0 },
		{ "/mnt/b", "/data/b", 0 },
		{ "/mnt/b/x", "/data/b/x", 0 },
		{ "/mnt/b/inner", "/data/b2", 0 },
		{ "/mnt/b/inner/y", "/data/b2/y", 0 },
		{ "/mnt/b/innerz", "/data/b/innerz", 0 },
		{ "/opt", "/new", 0 },
		{ "/opt/x", "/new/x", 0 },
		{ "/etc/resolv.conf", "/etc/resolv.conf", 0 },
		{ "/etc/resolv", "/srv/rootfs/etc/resolv", 0 },
		{ "/host", "/", 0 },
		{ "/host/usr", "/usr", 0 },
		{ "/hostx", "/srv/rootfs/hostx", 0 },
		{ "/self/etc", "/srv/rootfs/etc", 0 },
	};
	static const Case h2g[] = {
		/* the root wins a tie with /self, and beats "/" bound at /host */
		{ "/srv/rootfs", "/", 0 },
		{ "/srv/rootfs/etc/passwd", "/etc/passwd", 0 },
		{ "/srv/rootfsx", "/host/srv/rootfsx", 0 },
		{ "/data/b/x", "/mnt/b/x", 0 },
		{ "/data/b2", "/mnt/b/inner", 0 },
		{ "/data/b2/y", "/mnt/b/inner/y", 0 },
		{ "/new/x", "/opt/x", 0 },
		/* /old was bound at /opt but /new shadows it: /old is only
		 * reachable through the whole host at /host */
		{ "/old/x", "/host/old/x", 0 },
		{ "/etc/resolv.conf", "/etc/resolv.conf", 0 },
		{ "/usr/lib", "/host/usr/lib", 0 },
		{ "/", "/host", 0 },
		/* ROOT/mnt/b is covered by the binding at /mnt/b, and ROOT/host
		 * by the one at /host; the next candidate, the rootfs bound at
		 * /self, shows them */
		{ "/srv/rootfs/mnt/b", "/self/mnt/b", 0 },
		{ "/srv/rootfs/host/x", "/self/host/x", 0 },
		{ "relative", NULL, -EINVAL },
	};
	Mapping m;

	setup(&m, "/srv/rootfs", b, ARRAY_SIZE(b));
	check_g2h(&m, g2h, ARRAY_SIZE(g2h));
	check_h2g(&m, h2g, ARRAY_SIZE(h2g));
	mapping_free(&m);
	TAP_OK(m.root == NULL && m.bindings == NULL && m.n_bindings == 0, "mapping_free empties");
}

static void test_invisible(void)
{
	static const Bind b[] = {
		{ "/data/b", "/mnt/b" },
		{ "/tmp/f", "/f" },
	};
	static const Case h2g[] = {
		{ "/srv/r", "/", 0 },
		{ "/srv/r/mnt", "/mnt", 0 },
		{ "/srv/r/mnt/b", NULL, -ENOENT },
		{ "/srv/r/mnt/b/deep", NULL, -ENOENT },
		{ "/srv/r/mnt/bz", "/mnt/bz", 0 },
		{ "/srv/r/f", NULL, -ENOENT },
		{ "/srv", NULL, -ENOENT },
		{ "/", NULL, -ENOENT },
		{ "/srv/rx", NULL, -ENOENT },
		{ "/data", NULL, -ENOENT },
		{ "/data/b", "/mnt/b", 0 },
		{ "/tmp/f", "/f", 0 },
		{ "/tmp/f/x", "/f/x", 0 },
		{ "/tmp", NULL, -ENOENT },
	};
	Mapping m;

	setup(&m, "/srv/r/", b, ARRAY_SIZE(b));
	TAP_EQ_STR(m.root, "/srv/r", "root normalized");
	check_h2g(&m, h2g, ARRAY_SIZE(h2g));
	mapping_free(&m);
}

static void test_guest_root_binding(void)
{
	/* A binding at guest "/" replaces the root, but deeper ones still win. */
	static const Bind b[] = {
		{ "/other", "/" },
		{ "/data", "/data" },
	};
	static const Case g2h[] = {
		{ "/", "/other", 0 },
		{ "/x", "/other/x", 0 },
		{ "/data/y", "/data/y", 0 },
	};
	static const Case h2g[] = {
		{ "/other/x", "/x", 0 },
		{ "/srv/r/x", NULL, -ENOENT }, /* the root is covered */
		{ "/data/y", "/data/y", 0 },
	};
	Mapping m;

	setup(&m, "/srv/r", b, ARRAY_SIZE(b));
	check_g2h(&m, g2h, ARRAY_SIZE(g2h));
	check_h2g(&m, h2g, ARRAY_SIZE(h2g));
	mapping_free(&m);
}

static void test_ancestors(void)
{
	static const Bind b[] = {
		{ "/data/b", "/mnt/b" },
		{ "/x", "/a/b/c/d" },
	};
	static const struct {
		const char *guest;
		bool want;
	} t[] = {
		{ "/", true },        { "/mnt", true },   { "/mnt/b", false }, { "/mnt/b/x", false },
		{ "/mn", false },     { "/mntb", false }, { "/a", true },      { "/a/b", true },
		{ "/a/b/c", true },   { "/a/b/c/d", false }, { "/a/b/cd", false }, { "/etc", false },
	};
	Mapping m;

	setup(&m, "/", b, ARRAY_SIZE(b));
	for (size_t i = 0; i < ARRAY_SIZE(t); i++)
		TAP_EQ_INT(mapping_is_binding_ancestor(&m, t[i].guest), t[i].want,
			   "is_binding_ancestor('%s')", t[i].guest);
	mapping_free(&m);

	/* No bindings: nothing is an ancestor, "/" maps as is. */
	m = (Mapping){ 0 };
	TAP_EQ_INT(mapping_is_binding_ancestor(&m, "/"), false, "no bindings: '/' is no ancestor");
	{
		char out[16];

		TAP_EQ_INT(mapping_guest_to_host(&m, "/a", out, sizeof(out)), 0, "NULL root");
		TAP_EQ_STR(out, "/a", "NULL root means '/'");
	}
}

static void test_errors(void)
{
	Mapping m = { 0 };
	char out[8];

	TAP_EQ_INT(mapping_add_binding(&m, "rel", "/g"), -EINVAL, "relative host refused");
	TAP_EQ_INT(mapping_add_binding(&m, "/h", "g"), -EINVAL, "relative guest refused");
	TAP_EQ_INT((int)m.n_bindings, 0, "nothing added");
	TAP_EQ_INT(mapping_set_root(&m, "/r"), 0, "root");
	TAP_EQ_INT(mapping_guest_to_host(&m, "/abcdef", out, sizeof(out)), -ENAMETOOLONG,
		   "guest_to_host too long");
	TAP_EQ_INT(mapping_guest_to_host(&m, "/abcd", out, sizeof(out)), 0, "guest_to_host exact fit");
	TAP_EQ_STR(out, "/r/abcd", "exact fit value");
	TAP_EQ_INT(mapping_host_to_guest(&m, "/r/abcdefgh", out, sizeof(out)), -ENAMETOOLONG,
		   "host_to_guest too long");
	mapping_free(&m);
}

int main(void)
{
	test_root_slash();
	test_real_root();
	test_invisible();
	test_guest_root_binding();
	test_ancestors();
	test_errors();
	return tap_done();
}
