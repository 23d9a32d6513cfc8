/* SPDX-License-Identifier: MIT */
/* The table of traced threads (a hash on tid) and the refcounted state they
 * share. */
#include "tracer/tracee.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BUCKETS 1024
static Tracee *table[BUCKETS];
static size_t count;

Mapping g_mapping;

static size_t bucket(pid_t tid) { return (size_t)tid % BUCKETS; }

Tracee *tracee_get(pid_t tid)
{
	for (Tracee *t = table[bucket(tid)]; t; t = t->next)
		if (t->tid == tid)
			return t;
	return NULL;
}

static void link_in(Tracee *t)
{
	size_t b = bucket(t->tid);
	t->next = table[b];
	table[b] = t;
}

static void unlink_out(Tracee *t)
{
	for (Tracee **p = &table[bucket(t->tid)]; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			return;
		}
}

Tracee *tracee_new(pid_t tid)
{
	Tracee *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->loader_prog_fd = -1;
	link_in(t);
	count++;
	return t;
}

void tracee_free(Tracee *t)
{
	unlink_out(t);
	count--;
	if (t->proc)
		proc_unref(t->proc);
	if (t->fs)
		fs_unref(t->fs);
	if (t->loader_prog_fd >= 0)
		close(t->loader_prog_fd);
	if (t->exec) {
		exec_plan_free(t->exec);
		free(t->exec);
	}
	free(t);
}

void tracee_rekey(Tracee *t, pid_t newtid)
{
	unlink_out(t);
	t->tid = newtid;
	link_in(t);
}

size_t tracee_count(void) { return count; }

void tracee_foreach(void (*fn)(Tracee *t, void *arg), void *arg)
{
	for (size_t b = 0; b < BUCKETS; b++)
		for (Tracee *t = table[b]; t; t = t->next)
			fn(t, arg);
}

Proc *proc_new(pid_t tgid)
{
	Proc *p = calloc(1, sizeof(*p));
	if (p) {
		p->refs = 1;
		p->tgid = tgid;
	}
	return p;
}

Proc *proc_ref(Proc *p)
{
	p->refs++;
	return p;
}

void proc_unref(Proc *p)
{
	if (--p->refs == 0)
		free(p);
}

FsState *fs_new(const char *root)
{
	FsState *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->refs = 1;
	snprintf(f->root, sizeof(f->root), "%s", root);
	return f;
}

FsState *fs_ref(FsState *f)
{
	f->refs++;
	return f;
}

FsState *fs_copy(const FsState *f) { return fs_new(f->root); }

void fs_unref(FsState *f)
{
	if (--f->refs == 0)
		free(f);
}
