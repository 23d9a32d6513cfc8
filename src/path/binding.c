/* SPDX-License-Identifier: MIT */
/* The guest's mount table: the root plus host paths bound at guest paths.
 * Translation is lexical on canonical paths, in both directions; the longest
 * prefix on a component boundary wins, as the innermost mount would. */

#include "path/path.h"

#include <string.h>

static const char *mapping_root(const Mapping *m)
{
	return m->root ? m->root : "/";
}

/* Length of PREFIX to cut from a path it is a prefix of: "/" cuts nothing, so
 * that the rest keeps its leading slash. */
static size_t prefix_cut(const char *prefix)
{
	return strcmp(prefix, "/") == 0 ? 0 : strlen(prefix);
}

/* OUT = BASE + REST where REST is "" or starts with "/"; no "//" when BASE is
 * "/", and REST "/" alone (from cutting nothing off "/") adds nothing. */
static int concat(const char *base, const char *rest, char *out, size_t outsz)
{
	size_t lb, lr;

	if (strcmp(rest, "/") == 0)
		rest = "";
	if (rest[0] && strcmp(base, "/") == 0)
		base = "";
	lb = strlen(base);
	lr = strlen(rest);
	if (lb + lr + 1 > outsz)
		return -ENAMETOOLONG;
	memcpy(out, base, lb);
	memcpy(out + lb, rest, lr + 1);
	return 0;
}

static char *normalized_dup(const char *path, int *ret_err)
{
	size_t n = strlen(path) + 1;
	char *s = malloc(n);

	if (!s) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	*ret_err = path_normalize(path, s, n);
	if (*ret_err < 0) {
		free(s);
		return NULL;
	}
	return s;
}

int mapping_set_root(Mapping *m, const char *root)
{
	int r;
	char *s = normalized_dup(root, &r);

	if (!s)
		return r;
	free(m->root);
	m->root = s;
	return 0;
}

int mapping_add_binding(Mapping *m, const char *host, const char *guest)
{
	_cleanup_free_ char *h = NULL, *g = NULL;
	Binding *v;
	int r;

	h = normalized_dup(host, &r);
	if (!h)
		return r;
	g = normalized_dup(guest, &r);
	if (!g)
		return r;
	v = realloc(m->bindings, (m->n_bindings + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->bindings = v;
	v[m->n_bindings].host = TAKE_PTR(h);
	v[m->n_bindings].guest = TAKE_PTR(g);
	m->n_bindings++;
	return 0;
}

void mapping_free(Mapping *m)
{
	for (size_t i = 0; i < m->n_bindings; i++) {
		free(m->bindings[i].host);
		free(m->bindings[i].guest);
	}
	free(m->bindings);
	free(m->root);
	m->bindings = NULL;
	m->n_bindings = 0;
	m->root = NULL;
}

const Binding *mapping_find_guest(const Mapping *m, const char *guest)
{
	const Binding *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < m->n_bindings; i++) {
		const Binding *b = &m->bindings[i];
		size_t len;

		if (!path_has_prefix(guest, b->guest))
			continue;
		len = prefix_cut(b->guest);
		/* >=: a later binding of the same guest path shadows, like a
		 * later mount on the same mount point. */
		if (!best || len >= best_len) {
			best = b;
			best_len = len;
		}
	}
	return best;
}

int mapping_guest_to_host(const Mapping *m, const char *guest, char *out, size_t outsz)
{
	const Binding *b = mapping_find_guest(m, guest);

	if (b)
		return concat(b->host, guest + prefix_cut(b->guest), out, outsz);
	return concat(mapping_root(m), guest, out, outsz);
}

/* Candidates for host_to_guest, ranked by (host prefix length, rank): the
 * root has rank n_bindings (wins a tie), binding i has rank i. */
typedef struct Candidate {
	const char *host, *guest;
	size_t len;
	size_t rank;
} Candidate;

static bool candidate_below(const Candidate *c, size_t len, size_t rank)
{
	return c->len < len || (c->len == len && c->rank < rank);
}

static bool candidate_above(const Candidate *c, const Candidate *d)
{
	return c->len > d->len || (c->len == d->len && c->rank > d->rank);
}

int mapping_host_to_guest(const Mapping *m, const char *host, char *out, size_t outsz)
{
	char norm[PT_PATH_MAX * 2], back[PT_PATH_MAX * 2];
	/* Upper bound of the ranks still to try: strictly below (len, rank). */
	size_t lim_len = SIZE_MAX, lim_rank = SIZE_MAX;
	int r;

	r = path_normalize(host, norm, sizeof(norm));
	if (r < 0)
		return r;
	/* A handful of bindings: a selection per round beats sorting. */
	for (;;) {
		Candidate best = { 0 }, c;
		bool found = false;

		for (size_t i = 0; i <= m->n_bindings; i++) {
			if (i == m->n_bindings) {
				c.host = mapping_root(m);
				c.guest = "/";
			} else {
				c.host = m->bindings[i].host;
				c.guest = m->bindings[i].guest;
			}
			c.rank = i;
			if (!path_has_prefix(norm, c.host))
				continue;
			c.len = prefix_cut(c.host);
			if (!candidate_below(&c, lim_len, lim_rank))
				continue;
			if (!found || candidate_above(&c, &best)) {
				best = c;
				found = true;
			}
		}
		if (!found)
			return -ENOENT;
		lim_len = best.len;
		lim_rank = best.rank;

		r = concat(best.guest, norm + best.len, out, outsz);
		if (r < 0)
			return r;
		/* Visible only if the guest path leads back here: a deeper
		 * binding may cover it (ROOT/mnt/b under a binding at /mnt/b). */
		r = mapping_guest_to_host(m, out, back, sizeof(back));
		if (r == 0 && strcmp(back, norm) == 0)
			return 0;
	}
}

bool mapping_is_binding_ancestor(const Mapping *m, const char *guest)
{
	for (size_t i = 0; i < m->n_bindings; i++) {
		const char *g = m->bindings[i].guest;

		if (path_has_prefix(g, guest) && strcmp(g, guest) != 0)
			return true;
	}
	return false;
}
