/* SPDX-License-Identifier: MIT */
/* Co-scheduling (cosched.h).
 *
 * Every stop is a round trip between a tracee and the tracer. When the two
 * run on different CPUs, each trip wakes a CPU that went idle while its
 * thread was stopped: on a virtual machine that wake-up (an interprocessor
 * interrupt to a halted vCPU, through the hypervisor) costs more than all
 * the work of the stop (docs/performance.md). On one CPU the trip is two
 * context switches. So ptroot keeps its own thread and every guest thread
 * on one CPU while the guest does one thing at a time (a shell running
 * commands one after the other, find, tar, configure), and spreads them all
 * over the CPUs it was started with as soon as two of them want to run at
 * once: two that used more than a third of the last window's CPU time, or
 * two that wait to run (state R while the tracer looks, on the one CPU). It
 * comes back to one CPU after CALM_WINDOWS windows without either.
 *
 * The guest does not see the placement: sched_getaffinity answers with the
 * mask ptroot was started with (syscall/sched.c), and a thread whose
 * affinity the guest sets itself is never moved again. */
#include "tracer/cosched.h"
#include "base/log.h"
#include "syscall/ctx.h"
#include "tracer/mem.h"

#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WINDOW_MS (COSCHED_TICK_NS / 1000000) /* look every 20 ms */
#define LOOK_MAX 128     /* tracees looked at each time */

static bool active;
static cpu_set_t all;    /* the CPUs ptroot was given */
static cpu_set_t one;    /* the tracer's CPU */
static long long last_ns;
static bool spread;      /* several tracees compute: every CPU for everyone */
static int calm;         /* windows since two computed at once */
#define CALM_WINDOWS 3

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void cosched_init(void)
{
	const char *e = getenv("PTROOT_COSCHED");
	if (e && strcmp(e, "0") == 0)
		return;
	if (sched_getaffinity(0, sizeof(all), &all) < 0 || CPU_COUNT(&all) < 2)
		return;
	int cpu = sched_getcpu();
	if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &all))
		for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &all); cpu++)
			;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	/* the first tracee, forked next, inherits it */
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		return;
	active = true;
	last_ns = now_ns();
}

/* The start of /proc/TID/NAME in BUF (NUL-terminated), or "" if unknown. */
static void read_proc(pid_t tid, const char *name, char *buf, size_t size)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/%s", tid, name);
	buf[0] = 0;
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
}

/* CPU time of TID in ns (the first field of /proc/TID/schedstat), 0 if
 * unknown. */
static uint64_t runtime_of(pid_t tid)
{
	char buf[128];
	read_proc(tid, "schedstat", buf, sizeof(buf));
	return strtoull(buf, NULL, 10);
}

typedef struct Look {
	int looked, computing, runnable;
	long long window_ns;
} Look;

/* The state letter of /proc/TID/stat: R runnable (while the tracer looks,
 * it is not running on the tracer's CPU: it waits for one), S or D asleep,
 * t stopped for us... */
static char state_of(pid_t tid)
{
	char buf[512];
	read_proc(tid, "stat", buf, sizeof(buf));
	char *rp = strrchr(buf, ')'); /* the name may hold anything but ends at the last ')' */
	return rp && rp[1] == ' ' ? rp[2] : '?';
}

static void look_at(Tracee *t, void *arg)
{
	Look *l = arg;
	if (t->own_affinity || l->looked >= LOOK_MAX)
		return;
	l->looked++;
	uint64_t rt = runtime_of(t->tid), before = t->runtime_ns;
	t->runtime_ns = rt;
	/* a third of the window: two computing threads sharing one CPU
	 * get less than half of it each */
	if (rt && before && rt >= before && rt - before > (uint64_t)l->window_ns / 3)
		l->computing++;
	if (state_of(t->tid) == 'R')
		l->runnable++;
}

static void place(Tracee *t, void *arg)
{
	(void)arg;
	if (!t->own_affinity)
		sched_setaffinity(t->tid, sizeof(cpu_set_t), spread ? &all : &one);
}

void cosched_tick(void)
{
	if (!active)
		return;
	long long now = now_ns();
	if (now - last_ns < WINDOW_MS * 1000000LL)
		return;
	Look l = { 0, 0, 0, now - last_ns };
	last_ns = now;
	tracee_foreach(look_at, &l);
	bool was = spread;
	log_debug(3, "cosched: window %lld ms: %d looked at, %d computing, %d runnable",
		  l.window_ns / 1000000, l.looked, l.computing, l.runnable);
	if (l.computing >= 2 || l.runnable >= 2) {
		spread = true;
		calm = 0;
	} else if (spread && ++calm >= CALM_WINDOWS) {
		spread = false;
	}
	if (spread != was) {
		log_debug(2, "cosched: %d computing, %d runnable: %s", l.computing, l.runnable,
			  spread ? "spread over every CPU" : "all on the tracer's CPU");
		sched_setaffinity(0, sizeof(cpu_set_t), spread ? &all : &one);
		tracee_foreach(place, NULL);
	}
}

bool cosched_spin(void)
{
	/* Sharing a CPU, polling with sched_yield hands it to the tracee and
	 * takes it back as soon as it stops; spread, it would take a CPU from
	 * the guest's work. */
	return !spread;
}

bool cosched_wants_ticks(void)
{
	return active && !spread;
}

void cosched_child(const Tracee *parent, Tracee *child)
{
	/* it inherited the parent's mask; one made before a change of mode
	 * may have the other one */
	child->own_affinity = parent->own_affinity;
	if (active && !child->own_affinity)
		sched_setaffinity(child->tid, sizeof(cpu_set_t), spread ? &all : &one);
}

/* ---- the guest's view (syscall/sched.c) ---------------------------------- */

void ctx_affinity_own(SysCtx *c, pid_t target)
{
	Tracee *t = target == 0 ? c->t : tracee_get(target);
	if (t)
		t->own_affinity = true;
}

void ctx_affinity_view(SysCtx *c, pid_t target, uint64_t addr, size_t len)
{
	Tracee *t = target == 0 ? c->t : tracee_get(target);
	if (!active || !t || t->own_affinity)
		return;
	if (len > sizeof(all))
		len = sizeof(all);
	mem_write(c->tid, addr, &all, len);
}
