/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the guest resolver, resolve_path(), over an
 * in-memory host tree that the input describes (directories, files,
 * symlinks, magic links, bindings), then fuzzed paths, bases, roots and
 * flags. Checks that nothing escapes the guest view: see fuzz/README.md for
 * the input language and the list of invariants. */

#include "path/path.h"
#include "fuzz-model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NODES 256
#define MAX_BINDS 8
#define MAX_QUERIES 8
#define MAX_LINES 512
/* Fields may grow with "[S]N" up to this (enough for PATH_MAX tests). */
#define FIELD_MAX (3 * PT_PATH_MAX)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- the in-memory host tree --------------------------------------------- */

/* Types: 'd' directory, 'x' directory without search permission, 'D'
 * directory with any directory below it (for long paths), 'f' file, 'l'
 * symlink, 'm' magic link (see FsOps.magic). */
typedef struct Node {
	char *path; /* canonical host path */
	size_t len;
	char type;
	char *target;       /* 'l' and 'm': what readlink says */
	char magic;         /* 'm': '0' plain link, '1' jump, '2' hand over, 'e' EACCES */
	char *magic_target; /* '1': canonical guest path to jump to, NULL: -ENOENT */
} Node;

typedef struct Query {
	int flags;
	char *path;
} Query;

static struct {
	Node nodes[MAX_NODES];
	size_t n_nodes;
	Mapping map;
	char *root_host;
	char *chroot; /* 'c': guest path of the process root to resolve */
	char *cwd;    /* 'w'/'W': guest path of the base to resolve */
	bool cwd_outside;
	Query q[MAX_QUERIES];
	size_t n_q;
	/* per resolution */
	int readlinks, magics, jumps;
	char last_jump[PT_PATH_MAX];
	bool magic_on;
} T;

static const Node *node_get(const char *path, size_t len)
{
	for (size_t i = 0; i < T.n_nodes; i++)
		if (T.nodes[i].len == len && memcmp(T.nodes[i].path, path, len) == 0)
			return &T.nodes[i];
	return NULL;
}

/* What the kernel's lstat would say about PATH (canonical): 0 and *TYPE, or
 * -errno. *VIA_LINK is set when an ancestor is a symlink: the host kernel
 * would follow it, which the resolver must never let happen. */
static int fs_find(const char *path, char *type, bool *via_link)
{
	size_t len = strlen(path);
	const Node *n;

	*via_link = false;
	for (size_t i = 1; i < len; i++) {
		if (path[i] != '/')
			continue;
		n = node_get(path, i);
		if (!n)
			return -ENOENT;
		switch (n->type) {
		case 'd':
			continue;
		case 'D':
			*type = 'd';
			return 0;
		case 'x':
			return -EACCES;
		case 'f':
			return -ENOTDIR;
		default:
			*via_link = true;
			return -ELOOP;
		}
	}
	n = node_get(path, len);
	if (!n)
		return -ENOENT;
	*type = n->type == 'D' || n->type == 'x' ? 'd' : n->type;
	return 0;
}

static bool node_add(const char *path, char type, const char *target)
{
	Node *n;

	if (T.n_nodes >= MAX_NODES)
		return false;
	n = &T.nodes[T.n_nodes++];
	n->path = strdup(path);
	n->len = strlen(path);
	n->type = type;
	n->target = target ? strdup(target) : NULL;
	n->magic = '0';
	n->magic_target = NULL;
	CHECK(n->path && (!target || n->target));
	return true;
}

/* Make every ancestor of PATH a directory; false if one is not. Below a
 * 'D' node everything already is. */
static bool ensure_parents(const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 1; i < len; i++) {
		const Node *n;
		char *p;
		bool ok;

		if (path[i] != '/')
			continue;
		n = node_get(path, i);
		if (n && n->type == 'D')
			return true;
		if (n && n->type != 'd' && n->type != 'x')
			return false;
		if (n)
			continue;
		p = strndup(path, i);
		CHECK(p);
		ok = node_add(p, 'd', NULL);
		free(p);
		if (!ok)
			return false;
	}
	return true;
}

/* Add a node at PATH unless something is already there. */
static Node *node_create(const char *path, char type, const char *target)
{
	char t;
	bool via;

	if (!ensure_parents(path) || fs_find(path, &t, &via) != -ENOENT)
		return NULL;
	if (!node_add(path, type, target))
		return NULL;
	return &T.nodes[T.n_nodes - 1];
}

/* A node's path: absolute is a host path, relative is below the root. */
static char *host_of(const char *field)
{
	char *cat, *norm;

	if (field[0] == '/')
		return model_normalize(field, NULL);
	CHECK(asprintf(&cat, "%s/%s", T.root_host, field) >= 0);
	norm = model_normalize(cat, NULL);
	free(cat);
	return norm;
}

/* ---- the FsOps ------------------------------------------------------------ */

/* Where a guest path lies on the host: mapping_guest_to_host's model. */
static char *model_guest_to_host(const char *guest)
{
	const Binding *best = NULL;
	size_t best_len = 0;
	const char *rest;
	char *out;

	for (size_t i = 0; i < T.map.n_bindings; i++) {
		const Binding *b = &T.map.bindings[i];
		size_t len = strlen(b->guest);

		if (model_has_prefix(guest, b->guest) && (!best || len >= best_len)) {
			best = b;
			best_len = len;
		}
	}
	rest = guest + (best ? (strcmp(best->guest, "/") ? best_len : 0) : 0);
	CHECK(asprintf(&out, "%s%s", best ? best->host : T.root_host, rest) >= 0);
	/* "/r" + "/" and "/" + "/x" */
	if (strlen(out) > 1 && out[strlen(out) - 1] == '/')
		out[strlen(out) - 1] = '\0';
	if (out[0] == '/' && out[1] == '/')
		memmove(out, out + 1, strlen(out));
	return out;
}

static bool model_is_binding_ancestor(const char *guest)
{
	for (size_t i = 0; i < T.map.n_bindings; i++)
		if (model_has_prefix(T.map.bindings[i].guest, guest) &&
		    strcmp(T.map.bindings[i].guest, guest) != 0)
			return true;
	return false;
}

/* The guest sees the root's host tree and the bindings' host trees only. */
static bool host_visible(const char *host)
{
	if (model_has_prefix(host, T.root_host))
		return true;
	for (size_t i = 0; i < T.map.n_bindings; i++)
		if (model_has_prefix(host, T.map.bindings[i].host))
			return true;
	return false;
}

/* Every host path the resolver asks about: canonical, visible in the guest,
 * and with no symlink before its last component. */
static int fake_find(const char *what, const char *host, char *type)
{
	bool via;
	int r;

	if (!model_is_canonical(host) || !host_visible(host)) {
		fprintf(stderr, "fuzz-resolve: %s of a bad host path '%s'\n", what, host);
		abort();
	}
	r = fs_find(host, type, &via);
	if (via) {
		fprintf(stderr, "fuzz-resolve: %s through a host symlink: '%s'\n", what, host);
		abort();
	}
	return r;
}

static int fake_lstat(void *ctx, const char *host, struct stat *st)
{
	char type;
	int r = fake_find("lstat", host, &type);

	if (r < 0)
		return r;
	memset(st, 0, sizeof(*st));
	switch (type) {
	case 'd':
		st->st_mode = S_IFDIR | 0755;
		break;
	case 'f':
		st->st_mode = S_IFREG | 0644;
		break;
	default:
		st->st_mode = S_IFLNK | 0777;
		break;
	}
	return 0;
}

static ssize_t fake_readlink(void *ctx, const char *host, char *buf, size_t bufsz)
{
	char type;
	int r = fake_find("readlink", host, &type);
	const Node *n;
	size_t len;

	T.readlinks++;
	if (r < 0)
		return r;
	if (type != 'l' && type != 'm')
		return -EINVAL;
	n = node_get(host, strlen(host));
	CHECK(n && n->target);
	len = strlen(n->target);
	if (len > bufsz)
		len = bufsz;
	memcpy(buf, n->target, len);
	return (ssize_t)len;
}

static int fake_magic(void *ctx, const char *host, const char *guest, char *target)
{
	char type, *expect;
	const Node *n;
	int r;

	r = fake_find("magic", host, &type);
	CHECK(r == 0 && (type == 'l' || type == 'm'));
	/* The host path the resolver has is the guest path's. */
	CHECK(model_is_canonical(guest));
	expect = model_guest_to_host(guest);
	CHECK(strcmp(expect, host) == 0);
	free(expect);
	n = node_get(host, strlen(host));
	if (!T.magic_on || n->type != 'm' || n->magic == '0')
		return 0;
	T.magics++;
	switch (n->magic) {
	case '1':
		if (!n->magic_target)
			return -ENOENT;
		snprintf(target, PT_PATH_MAX, "%s", n->magic_target);
		snprintf(T.last_jump, sizeof(T.last_jump), "%s", n->magic_target);
		T.jumps++;
		return 1;
	case '2':
		return 2;
	default:
		return -EACCES;
	}
}

static const FsOps fake_ops = {
	.lstat = fake_lstat,
	.readlink = fake_readlink,
	.magic = fake_magic,
};

/* FUZZ_VERBOSE=1 in the environment: print every resolution. */
static bool verbose;

/* ---- checking one resolution ---------------------------------------------- */

typedef struct Outcome {
	int r;
	int readlinks, magics, jumps;
} Outcome;

static Outcome run(const Resolver *res, const char *base, const char *path, int flags,
		   Resolved *ret)
{
	Outcome o;

	T.readlinks = T.magics = T.jumps = 0;
	T.last_jump[0] = '\0';
	o.r = resolve_path(res, base, path, flags, ret);
	o.readlinks = T.readlinks;
	o.magics = T.magics;
	o.jumps = T.jumps;
	return o;
}

static bool same(const Outcome *a, const Resolved *x, const Outcome *b, const Resolved *y)
{
	if (a->r != b->r || a->readlinks != b->readlinks || a->magics != b->magics ||
	    a->jumps != b->jumps)
		return false;
	if (a->r < 0)
		return true;
	return strcmp(x->guest, y->guest) == 0 && strcmp(x->host, y->host) == 0 &&
	       x->dir_required == y->dir_required && x->final_missing == y->final_missing &&
	       x->magic == y->magic && x->mountpoint == y->mountpoint &&
	       x->synthetic == y->synthetic;
}

/* The host path handed to the kernel: no symlink may be crossed on the
 * way to its last component, and the last one only where it is meant to
 * be (not followed, or a magic link handed over). */
static void check_host_walk(const Resolved *ret, int flags, bool jump_final)
{
	size_t len = strlen(ret->host);
	char *obj = strdup(ret->host), type;
	bool via, through = false, slash = false;
	int r;

	CHECK(obj);
	if (len >= 3 && strcmp(obj + len - 3, "/..") == 0) {
		obj[len - 3] = '\0';
		through = true;
	} else if (len >= 2 && strcmp(obj + len - 2, "/.") == 0) {
		obj[len - 2] = '\0';
		through = true;
	} else if (len > 1 && obj[len - 1] == '/') {
		obj[len - 1] = '\0';
		slash = true;
	}
	/* "/" + "/." is "/." */
	if (!obj[0])
		strcpy(obj, "/");
	CHECK(model_is_canonical(obj));
	r = fs_find(obj, &type, &via);
	CHECK(!via);
	if (r == 0 && (type == 'l' || type == 'm')) {
		/* "link/." or "link/..": the kernel would follow it */
		CHECK(!through);
		if (slash)
			CHECK((flags & RESOLVE_PARENT_) || ret->magic);
		else if ((flags & RESOLVE_FOLLOW) && !(flags & RESOLVE_PARENT_))
			CHECK(ret->magic || jump_final);
	}
	/* The object exists, or only its parent does. */
	if (ret->final_missing) {
		CHECK(ret->final_missing == -ENOENT && r == -ENOENT);
		CHECK(!ret->synthetic && !model_is_binding_ancestor(ret->guest));
	} else if (ret->synthetic) {
		CHECK(r == -ENOENT && model_is_binding_ancestor(ret->guest));
	} else {
		CHECK(r == 0);
	}
	free(obj);
}

static void check(const Resolver *res, const char *base, const char *path, int flags,
		  const Outcome *o, const Resolved *ret)
{
	const char *root = res->root ? res->root : "/";
	const char *b = base ? base : root;
	const int links = o->readlinks + o->magics;
	bool jump_final;
	char *norm, *expect;

	switch (o->r) {
	case 0:
	case -ENOENT:
	case -ENOTDIR:
	case -ELOOP:
	case -ENAMETOOLONG:
	case -EXDEV:
	case -EACCES:
		break;
	case -EINVAL:
		CHECK((flags & RESOLVE_BENEATH_) && (flags & RESOLVE_IN_ROOT_));
		break;
	default:
		CHECK(!"unexpected return value");
	}
	if ((flags & RESOLVE_BENEATH_) && (flags & RESOLVE_IN_ROOT_))
		CHECK(o->r == -EINVAL);
	/* ELOOP on the 41st link, never later. */
	CHECK(links <= PT_MAXSYMLINKS);
	if (o->r == -ELOOP && !(flags & (RESOLVE_NO_SYMLINKS_ | RESOLVE_NO_MAGICLINKS_)))
		CHECK(links == PT_MAXSYMLINKS);
	if (o->r < 0)
		return;
	if (flags & RESOLVE_NO_SYMLINKS_)
		CHECK(links == 0);
	if (flags & (RESOLVE_BENEATH_ | RESOLVE_IN_ROOT_))
		CHECK(o->jumps == 0 && !ret->magic);

	/* The guest path is canonical and the host path is its image. */
	CHECK(strlen(ret->guest) < PT_PATH_MAX);
	CHECK(model_is_canonical(ret->guest));
	norm = model_normalize(ret->host, NULL);
	expect = model_guest_to_host(ret->guest);
	CHECK(strcmp(norm, expect) == 0);
	/* The escape property: only the root's and the bindings' trees. */
	CHECK(host_visible(norm));
	free(norm);
	free(expect);

	/* Scoped lookups stay below the base; the others below the root,
	 * unless they started outside it (a cwd outside a chroot) or a magic
	 * link jumped (/proc/PID/root is not clamped). */
	if (flags & (RESOLVE_BENEATH_ | RESOLVE_IN_ROOT_))
		CHECK(model_has_prefix(ret->guest, b));
	else if (!o->jumps && (path[0] == '/' || model_has_prefix(b, root)))
		CHECK(model_has_prefix(ret->guest, root));
	if (ret->mountpoint) {
		bool bound = false;

		for (size_t i = 0; i < T.map.n_bindings; i++)
			bound |= strcmp(T.map.bindings[i].guest, ret->guest) == 0;
		CHECK(bound || strcmp(ret->guest, (flags & RESOLVE_IN_ROOT_) ? b : root) == 0);
	}
	jump_final = o->jumps && strcmp(ret->guest, T.last_jump) == 0;
	check_host_walk(ret, flags, jump_final);
}

/* Resolve, check, and resolve again: into a result full of garbage, and with
 * BASE inside the result itself (a caller passing a previous answer): the
 * same answer every time. Returns the outcome; *RET holds the result. */
static int resolve_checked(const Resolver *res, const char *base, const char *path,
			   int flags, Resolved *ret)
{
	static Resolved again, inside;
	Outcome o, o2;

	memset(ret, 0, sizeof(*ret));
	o = run(res, base, path, flags, ret);
	if (verbose)
		fprintf(stderr, "root %s base %s path '%s' flags %#x: %d (%s) guest '%s' host '%s'"
			"%s%s%s%s%s, %d readlinks, %d magic\n",
			res->root ? res->root : "-", base ? base : "-", path, flags, o.r,
			strerror(-o.r), o.r ? "" : ret->guest, o.r ? "" : ret->host,
			o.r || !ret->final_missing ? "" : " missing",
			o.r || !ret->synthetic ? "" : " synthetic",
			o.r || !ret->mountpoint ? "" : " mountpoint",
			o.r || !ret->magic ? "" : " magic",
			o.r || !ret->dir_required ? "" : " dir", o.readlinks, o.magics);
	check(res, base, path, flags, &o, ret);

	memset(&again, 0xa5, sizeof(again));
	o2 = run(res, base, path, flags, &again);
	CHECK(same(&o, ret, &o2, &again));

	if (base) {
		memset(&inside, 0x5a, sizeof(inside));
		snprintf(inside.guest, sizeof(inside.guest), "%s", base);
		o2 = run(res, inside.guest, path, flags, &inside);
		CHECK(same(&o, ret, &o2, &inside));
	}
	return o.r;
}

/* A directory to use as a root or a base: resolve SPEC, keep it only if it
 * is a directory (an existing one or one of the guest view). */
static char *resolve_dir(const Resolver *res, const char *spec)
{
	static Resolved ret;
	char type = 0, *norm;
	bool via;
	int r;

	if (!spec || !spec[0])
		return NULL;
	r = resolve_checked(res, NULL, spec, RESOLVE_FOLLOW, &ret);
	if (r < 0 || ret.final_missing || ret.magic)
		return NULL;
	if (ret.synthetic)
		return strdup(ret.guest);
	norm = model_normalize(ret.host, NULL);
	r = fs_find(norm, &type, &via);
	free(norm);
	return r == 0 && type == 'd' ? strdup(ret.guest) : NULL;
}

/* ---- the input language ----------------------------------------------------- */

/* Copy a field, expanding "[S]N" into N times S. */
static char *expand(const char *s, size_t n)
{
	char *out = malloc(FIELD_MAX + 1);
	size_t o = 0;

	CHECK(out);
	for (size_t i = 0; i < n && o < FIELD_MAX;) {
		const char *close;
		unsigned long rep;
		char *end;

		if (s[i] == '[' && (close = memchr(s + i, ']', n - i)) &&
		    (size_t)(close - s) + 1 < n && close[1] >= '0' && close[1] <= '9') {
			size_t len = (size_t)(close - (s + i)) - 1;

			rep = strtoul(close + 1, &end, 10);
			if (end > s + n)
				end = (char *)s + n;
			if (len == 0)
				rep = 0;
			for (unsigned long k = 0; k < rep && o < FIELD_MAX; k++)
				for (size_t j = 0; j < len && o < FIELD_MAX; j++)
					out[o++] = s[i + 1 + j];
			i = (size_t)(end - s);
			continue;
		}
		out[o++] = s[i++];
	}
	out[o] = '\0';
	return out;
}

/* Split LINE (after the command letter and a space) into at most MAX fields
 * separated by one space; the last one takes the rest of the line. */
static int fields(const char *line, size_t len, char **f, int max)
{
	int n = 0;

	while (n < max && len > 0) {
		const char *sp = n < max - 1 ? memchr(line, ' ', len) : NULL;
		size_t l = sp ? (size_t)(sp - line) : len;

		f[n++] = expand(line, l);
		if (!sp)
			break;
		line += l + 1;
		len -= l + 1;
	}
	return n;
}

static void do_line(const char *line, size_t len)
{
	char *f[3] = { NULL, NULL, NULL }, *host = NULL;
	Node *magic;
	char cmd;
	int n, want;

	if (len < 2 || line[1] != ' ')
		return;
	cmd = line[0];
	want = cmd == 'm' ? 3 : cmd == 'l' || cmd == 'b' || cmd == 'p' ? 2 : 1;
	n = fields(line + 2, len - 2, f, want);
	if (n < want)
		goto out;
	switch (cmd) {
	case 'd':
	case 'x':
	case 'D':
	case 'f':
		host = host_of(f[0]);
		node_create(host, cmd, NULL);
		break;
	case 'l':
		host = host_of(f[0]);
		node_create(host, 'l', f[1]);
		break;
	case 'm':
		host = host_of(f[0]);
		magic = node_create(host, 'm', f[2]);
		if (magic)
			magic->magic = f[1][0];
		break;
	case 'b':
		/* The host path is canonical, as realpath makes it: it and its
		 * ancestors are directories, or it is a file. */
		if (f[0][0] == '/' && f[1][0] == '/' && T.map.n_bindings < MAX_BINDS) {
			char type;
			bool via;
			int r;

			host = model_normalize(f[0], NULL);
			if (!ensure_parents(host))
				break;
			r = fs_find(host, &type, &via);
			if (r == -ENOENT && node_create(host, 'd', NULL)) {
				r = 0;
				type = 'd';
			}
			if (r == 0 && (type == 'd' || type == 'f'))
				CHECK(mapping_add_binding(&T.map, host, f[1]) == 0);
		}
		break;
	case 'c':
		free(T.chroot);
		T.chroot = TAKE_PTR(f[0]);
		break;
	case 'w':
	case 'W':
		free(T.cwd);
		T.cwd = TAKE_PTR(f[0]);
		T.cwd_outside = cmd == 'W';
		break;
	case 'p':
		if (T.n_q < MAX_QUERIES) {
			T.q[T.n_q].flags = (int)(strtoul(f[0], NULL, 16) & 0x3f);
			T.q[T.n_q].path = TAKE_PTR(f[1]);
			T.n_q++;
		}
		break;
	}
out:
	free(host);
	for (int i = 0; i < 3; i++)
		free(f[i]);
}

/* 'm' nodes with '1' jump to the guest path their field names, made
 * canonical by resolving it (as the kernel's /proc links are). */
static void resolve_magic_targets(void)
{
	Resolver res = { .map = &T.map, .ops = &fake_ops, .root = NULL };
	static Resolved ret;

	T.magic_on = false;
	for (size_t i = 0; i < T.n_nodes; i++) {
		Node *n = &T.nodes[i];
		const char *spec = n->target;
		int flags = RESOLVE_FOLLOW;

		if (n->type != 'm' || n->magic != '1')
			continue;
		if (spec[0] == '!') {
			spec++;
			flags = 0;
		}
		if (!spec[0] || resolve_checked(&res, NULL, spec, flags, &ret) < 0 ||
		    ret.final_missing || ret.magic)
			continue;
		n->magic_target = strdup(ret.guest);
	}
	T.magic_on = true;
}

static void reset(void)
{
	for (size_t i = 0; i < T.n_nodes; i++) {
		free(T.nodes[i].path);
		free(T.nodes[i].target);
		free(T.nodes[i].magic_target);
	}
	for (size_t i = 0; i < T.n_q; i++)
		free(T.q[i].path);
	mapping_free(&T.map);
	free(T.root_host);
	free(T.chroot);
	free(T.cwd);
	memset(&T, 0, sizeof(T));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = strndup((const char *)data, size);
	Resolver res = { .map = &T.map, .ops = &fake_ops, .root = NULL };
	char *root = NULL, *base = NULL;
	const char *line, *end;
	int lines = 0;

	CHECK(text);
	verbose = getenv("FUZZ_VERBOSE");
	reset();
	/* The root first ("R HOSTPATH", the last one wins), default "/r". */
	for (line = text; *line && lines < MAX_LINES; line = *end ? end + 1 : end, lines++) {
		end = strchrnul(line, '\n');
		if (end - line > 2 && line[0] == 'R' && line[1] == ' ' && line[2] == '/') {
			free(T.root_host);
			T.root_host = strndup(line + 2, (size_t)(end - line) - 2);
		}
	}
	if (!T.root_host)
		T.root_host = strdup("/r");
	CHECK(T.root_host);
	root = model_normalize(T.root_host, NULL);
	free(T.root_host);
	T.root_host = TAKE_PTR(root);
	CHECK(mapping_set_root(&T.map, T.root_host) == 0);
	node_add("/", 'd', NULL);
	if (strcmp(T.root_host, "/") != 0)
		node_create(T.root_host, 'd', NULL);

	lines = 0;
	for (line = text; *line && lines < MAX_LINES; line = *end ? end + 1 : end, lines++) {
		end = strchrnul(line, '\n');
		do_line(line, (size_t)(end - line));
	}
	resolve_magic_targets();

	/* The process root (chroot) and the base (cwd or dirfd). */
	root = resolve_dir(&res, T.chroot);
	res.root = root;
	if (T.cwd_outside) {
		Resolver top = res;

		top.root = NULL;
		base = resolve_dir(&top, T.cwd);
	} else {
		base = resolve_dir(&res, T.cwd);
	}

	for (size_t i = 0; i < T.n_q; i++) {
		static Resolved ret;

		resolve_checked(&res, base, T.q[i].path, T.q[i].flags, &ret);
	}

	free(root);
	free(base);
	free(text);
	reset();
	return 0;
}
