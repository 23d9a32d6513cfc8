/* SPDX-License-Identifier: MIT */
/* The tracer: starts the first guest process, then one event loop over
 * waitpid() for the whole tree. A seccomp filter stops only the syscalls the
 * table says need us (PTRACE_EVENT_SECCOMP); PTRACE_GET_SYSCALL_INFO says
 * where each stop is, so stops are never counted. Without the filter
 * (PTROOT_NO_SECCOMP=1) every syscall stops at entry and exit. */
#include "tracer/tracer.h"
#include "base/log.h"
#include "loader/loader.h"
#include "tracer/cosched.h"
#include "tracer/mem.h"
#include "tracer/seccomp.h"
#include "tracer/tracee.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>


static bool use_seccomp = true;
static pid_t initial_pid;
static int initial_status = -1;
static bool kill_on_exit;
static volatile sig_atomic_t pending_forward, pending_cont;
TracerStats tracer_stats;
#define stats tracer_stats

/* ---- resuming ----------------------------------------------------------- */

static void resume(Tracee *t, int sig)
{
	int req = PTRACE_CONT;
	if (!use_seccomp || t->state != TS_RUNNING)
		req = PTRACE_SYSCALL;
	if (ptrace(req, t->tid, 0, (void *)(long)sig) < 0 && errno != ESRCH)
		log_debug(1, "resume %d: %s", t->tid, strerror(errno));
}

/* ---- registers ------------------------------------------------------------ */

static int get_regs(pid_t tid, Regs *r)
{
	return ptrace(PTRACE_GETREGS, tid, 0, r) < 0 ? -errno : 0;
}

static int set_regs(pid_t tid, const Regs *r)
{
	return ptrace(PTRACE_SETREGS, tid, 0, r) < 0 ? -errno : 0;
}

/* ---- handlers by id ------------------------------------------------------- */

static HandlerFn entry_handler(const SysEnt *e)
{
	switch (e->handler) {
	case SH_execve: return h_execve;
	case SH_execveat: return h_execveat;
	case SH_getcwd: return h_getcwd;
	case SH_readlink: return h_readlink;
	case SH_openat2: return h_openat2;
	case SH_chroot: return h_chroot;
	case SH_sockaddr_in: return h_sockaddr_in;
	case SH_sendto: return h_sendto;
	case SH_sendmsg: return h_sendmsg;
	case SH_sendmmsg: return h_sendmmsg;
	case SH_sockaddr_out: return h_sockaddr_out;
	case SH_recvfrom: return h_recvfrom;
	case SH_recvmsg: return h_recvmsg;
	case SH_recvmmsg: return h_recvmmsg;
	case SH_socketcall: return h_socketcall;
	case SH_sched_setaffinity: return h_sched_setaffinity;
	case SH_sched_getaffinity: return h_sched_getaffinity;
	default: return NULL;
	}
}

static HandlerFn exit_handler(const SysEnt *e)
{
	switch (e->handler) {
	case SH_sockaddr_out: return h_exit_sockaddr_out;
	case SH_recvfrom: return h_exit_recvfrom;
	case SH_recvmsg: return h_exit_recvmsg;
	case SH_recvmmsg: return h_exit_recvmmsg;
	case SH_socketcall: return h_exit_socketcall;
	case SH_sendmmsg: return h_exit_sendmmsg;
	case SH_sched_getaffinity: return h_exit_sched_getaffinity;
	default: return NULL;
	}
}

/* ---- scratch area injection --------------------------------------------- */

/* Make the tracee run mmap() for its scratch area in place of the syscall it
 * is entering; at the exit stop the original syscall is restarted. */
static int inject_scratch_mmap(Tracee *t, Abi abi)
{
	Regs r;
	int e = get_regs(t->tid, &r);
	if (e < 0)
		return e;
	t->saved_regs = r;
	r.orig_rax = abi == ABI_X86_64 ? NR_MMAP_X86_64 : NR_MMAP2_I386;
	regs_set_arg(&r, abi, 0, 0);
	regs_set_arg(&r, abi, 1, SCRATCH_SIZE);
	regs_set_arg(&r, abi, 2, PROT_READ | PROT_WRITE);
	regs_set_arg(&r, abi, 3, MAP_PRIVATE | MAP_ANONYMOUS);
	regs_set_arg(&r, abi, 4, (uint64_t)-1);
	regs_set_arg(&r, abi, 5, 0);
	e = set_regs(t->tid, &r);
	if (e < 0)
		return e;
	t->state = TS_INJECT_MMAP;
	t->ctx.abi = abi;
	stats.injections++;
	return 0;
}

static void finish_scratch_mmap(Tracee *t)
{
	Regs r;
	if (get_regs(t->tid, &r) < 0)
		return;
	int64_t ret = regs_ret(&r, t->ctx.abi);
	if (ret < 0 && ret > -4096) {
		/* No memory for us: the guest's syscall fails as the kernel
		 * would fail an allocation. */
		r = t->saved_regs;
		regs_set_ret(&r, t->ctx.abi, -ENOMEM);
		set_regs(t->tid, &r);
		t->state = TS_RUNNING;
		return;
	}
	t->scratch = (uint64_t)ret & (t->ctx.abi == ABI_X86_64 ? ~0ULL : 0xffffffffULL);
	r = t->saved_regs;
	r.rax = r.orig_rax;
	r.rip -= SYSCALL_INSN_LEN;
	set_regs(t->tid, &r);
	t->state = TS_RUNNING;
}

/* ---- syscall entry and exit ----------------------------------------------- */

static void apply_entry(Tracee *t, SysCtx *c)
{
	if (!c->args_dirty && c->action == CTX_RUN)
		return;
	if (c->action == CTX_RUN && !(c->args_dirty & (c->args_dirty - 1))) {
		/* one argument (a path pointer, usually): one POKEUSER rather
		 * than GETREGS and SETREGS */
		int i = __builtin_ctz(c->args_dirty);
		uint64_t v = c->abi == ABI_I386 ? (uint32_t)c->args[i] : c->args[i];
		if (ptrace(PTRACE_POKEUSER, t->tid, regs_arg_offset(c->abi, i), v) == 0)
			return;
	}
	Regs r;
	if (get_regs(t->tid, &r) < 0)
		return;
	for (int i = 0; i < 6; i++)
		if (c->args_dirty & (1u << i))
			regs_set_arg(&r, c->abi, i, c->args[i]);
	if (c->action == CTX_SKIP) {
		r.orig_rax = (uint64_t)-1;
		regs_set_ret(&r, c->abi, c->ret);
		if (!use_seccomp)
			t->state = TS_SKIP_EXIT; /* the exit stop overwrites rax */
	}
	set_regs(t->tid, &r);
}

/* Our loader opens the program and its interpreter by their host paths.
 * Exactly those opens, from the loader's own code, right after the exec,
 * are let through untranslated; nothing else ever is. */
static bool loader_open(Tracee *t, Abi abi, long nr, uint64_t ip)
{
	uint64_t lo = abi == ABI_X86_64 ? LOADER_ADDR_X86_64 : LOADER_ADDR_I386;
	long nr_open = abi == ABI_X86_64 ? 2 : 5;
	if (nr != nr_open || ip < lo || ip >= lo + (1u << 20)) {
		t->loader_opens = 0;
		return false;
	}
	t->loader_opens--;
	if (t->loader_prog_fd >= 0)
		t->loader_prog_opened = true; /* the first: the program */
	return true;
}

/* Whether rewritten arguments must be put back at the exit stop. Rows of the
 * generic path kind only ever replace path pointers, and their rewrites are
 * remembered (ctx_note_rewrite), so a restarted syscall is handled at its
 * next entry: no exit stop. The cost: the argument register keeps pointing
 * at our copy of the host path after the syscall, which only code that
 * reuses a syscall's input registers (inline asm) could see.
 * PTROOT_RESTORE_REGS=1 restores them all, as custom handlers always do. */
static int restore_regs = -1;

static bool must_restore(const SysCtx *c)
{
	if (restore_regs < 0) {
		const char *e = getenv("PTROOT_RESTORE_REGS");
		restore_regs = e && *e && strcmp(e, "0");
	}
	return restore_regs || (c->ent->kind != SK_PATH && !c->paths_only);
}

static void syscall_entry(Tracee *t, const struct __ptrace_syscall_info *info)
{
	Abi abi;
	if (info->arch == PT_AUDIT_ARCH_X86_64)
		abi = ABI_X86_64;
	else if (info->arch == PT_AUDIT_ARCH_I386)
		abi = ABI_I386;
	else
		abi = ABI__MAX;
	long nr = info->op == PTRACE_SYSCALL_INFO_SECCOMP ? (long)info->seccomp.nr : (long)info->entry.nr;
	const uint64_t *args = info->op == PTRACE_SYSCALL_INFO_SECCOMP ? info->seccomp.args : info->entry.args;

	SysCtx *c = &t->ctx;
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->tid = t->tid;
	c->abi = abi;
	c->nr = nr;
	c->sp = info->stack_pointer;
	c->action = CTX_RUN;
	c->ent = abi == ABI__MAX ? NULL : sysent_lookup(abi, nr);
	stats.stops++;

	if (!c->ent) {
		/* Fail closed: a syscall we do not know never reaches the host. */
		log_debug(2, "[%d] unknown syscall %ld: ENOSYS", t->tid, nr);
		ctx_fail(c, -ENOSYS);
		apply_entry(t, c);
		return;
	}
	if (c->ent->kind == SK_PASS) {
		stats.passed++;
		return;
	}
	if (c->ent->kind == SK_DENY) {
		ctx_fail(c, -c->ent->err);
		apply_entry(t, c);
		return;
	}
	if (t->loader_prog_opened) {
		/* the loader has the program open now */
		close(t->loader_prog_fd);
		t->loader_prog_fd = -1;
		t->loader_prog_opened = false;
	}
	if (t->loader_opens > 0 && loader_open(t, abi, nr, info->instruction_pointer))
		return;
	if (!t->scratch) {
		if (inject_scratch_mmap(t, abi) == 0)
			return;
	}
	for (int i = 0; i < 6; i++)
		c->orig_args[i] = c->args[i] = abi == ABI_I386 ? (uint32_t)args[i] : args[i];
	stats.translated++;
	if (c->ent->kind == SK_PATH) {
		handle_path_args(c);
	} else {
		HandlerFn h = entry_handler(c->ent);
		if (h)
			h(c);
		else
			ctx_fail(c, -ENOSYS);
	}
	log_debug(3, "[%d] %s -> %s %lld", t->tid, c->ent->name,
		  c->action == CTX_SKIP ? "skip" : "run", (long long)c->ret);
	apply_entry(t, c);
	/* Rewritten arguments are put back at the exit stop: the syscall ABI
	 * preserves argument registers, so compiled code may reuse them, and a
	 * syscall restarted after a signal must be seen (and translated) anew. */
	if (c->action == CTX_RUN && (c->want_exit || (c->args_dirty && must_restore(c))))
		t->state = TS_IN_SYSCALL;
}

static void syscall_exit(Tracee *t, const struct __ptrace_syscall_info *info)
{
	stats.exit_stops++;
	switch (t->state) {
	case TS_INJECT_MMAP:
		finish_scratch_mmap(t);
		return;
	case TS_SKIP_EXIT: {
		Regs r;
		if (get_regs(t->tid, &r) == 0) {
			regs_set_ret(&r, t->ctx.abi, t->ctx.ret);
			set_regs(t->tid, &r);
		}
		t->state = TS_RUNNING;
		return;
	}
	case TS_IN_SYSCALL: {
		SysCtx *c = &t->ctx;
		t->state = TS_RUNNING;
		c->ret = info->exit.rval;
		int64_t before = c->ret;
		HandlerFn h = c->want_exit && c->ent ? exit_handler(c->ent) : NULL;
		if (h)
			h(c);
		if (c->ret != before || c->args_dirty) {
			Regs r;
			if (get_regs(t->tid, &r) == 0) {
				for (int i = 0; i < 6; i++)
					if (c->args_dirty & (1u << i))
						regs_set_arg(&r, c->abi, i, c->orig_args[i]);
				regs_set_ret(&r, c->abi, c->ret);
				set_regs(t->tid, &r);
			}
		}
		return;
	}
	default:
		return;
	}
}

/* ---- process events --------------------------------------------------------- */

static void child_setup(Tracee *parent, Tracee *child, int event)
{
	uint64_t flags = 0;
	if (event == PTRACE_EVENT_VFORK) {
		flags = CLONE_VM | CLONE_VFORK;
	} else if (event == PTRACE_EVENT_CLONE) {
		Regs r;
		struct __ptrace_syscall_info info;
		if (get_regs(parent->tid, &r) == 0 &&
		    ptrace(PTRACE_GET_SYSCALL_INFO, parent->tid, sizeof(info), &info) > 0) {
			Abi abi = info.arch == PT_AUDIT_ARCH_I386 ? ABI_I386 : ABI_X86_64;
			long nr = (long)r.orig_rax;
			if (nr == 435) { /* clone3(struct clone_args *, size): flags first */
				mem_read(parent->tid, regs_arg(&r, abi, 0), &flags, 8);
			} else {
				flags = regs_arg(&r, abi, 0);
			}
		}
	}
	if (flags & CLONE_THREAD)
		child->proc = proc_ref(parent->proc);
	else {
		child->proc = proc_new(child->tid);
		if (child->proc)
			memcpy(child->proc->exe, parent->proc->exe, sizeof(child->proc->exe));
	}
	child->fs = (flags & CLONE_FS) ? fs_ref(parent->fs) : fs_copy(parent->fs);
	/* A copy of the parent's memory has the parent's scratch area; a vfork
	 * child borrows it while the parent sleeps; a thread needs its own. */
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK))
		child->scratch = parent->scratch;
	child->parent_known = true;
	cosched_child(parent, child);
}

static void on_new_child(Tracee *parent, int event)
{
	unsigned long msg = 0;
	ptrace(PTRACE_GETEVENTMSG, parent->tid, 0, &msg);
	pid_t ctid = (pid_t)msg;
	Tracee *child = tracee_get(ctid);
	if (!child) {
		child = tracee_new(ctid);
		if (!child)
			return;
	}
	child_setup(parent, child, event);
	if (child->attached)
		resume(child, 0);
}

/* The task name the kernel gives natively: the basename of the filename
 * as executed, or of the file for execveat(fd, ""); 15 bytes at most. */
static void native_comm(const ExecPlan *p, char comm[16])
{
	const char *src = strncmp(p->execfn, "/dev/fd/", 8) == 0 ? p->exe_guest : p->execfn;
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	size_t n = strnlen(base, 15);
	memcpy(comm, base, n);
	comm[n] = 0;
}

static void write_loader_info(Tracee *t, const ExecPlan *p)
{
	Regs r;
	if (get_regs(t->tid, &r) < 0)
		return;
	char buf[LOADER_INFO_MAX];
	char comm[16];
	native_comm(p, comm);
	LoaderInfo li = { .magic = LOADER_MAGIC };
	uint64_t base = (r.rsp - LOADER_INFO_OFFSET) & ~15ULL;
	size_t off = sizeof(li);
	const char *strs[4] = { p->prog_host, p->interp_host[0] ? p->interp_host : NULL, p->execfn, comm };
	uint64_t *dst[4] = { &li.prog_path, &li.interp_path, &li.execfn, &li.comm };
	for (int i = 0; i < 4; i++) {
		if (!strs[i])
			continue;
		size_t n = strlen(strs[i]) + 1;
		if (off + n > sizeof(buf))
			return;
		memcpy(buf + off, strs[i], n);
		*dst[i] = base + off;
		off += n;
	}
	memcpy(buf, &li, sizeof(li));
	if (mem_write_ours(t->tid, base, buf, off) < 0)
		return;
	r.rdi = base;
	set_regs(t->tid, &r);
}

static Tracee *on_exec(Tracee *t)
{
	unsigned long former = 0;
	ptrace(PTRACE_GETEVENTMSG, t->tid, 0, &former);
	if ((pid_t)former != t->tid) {
		/* execve from a non-leader thread: it takes the leader's tid. */
		Tracee *old = tracee_get((pid_t)former);
		if (old) {
			pid_t tid = t->tid;
			tracee_free(t);
			tracee_rekey(old, tid);
			t = old;
			t->attached = true;
		}
	}
	t->scratch = 0;
	t->scratch_next = 0;
	memset(t->rewrites, 0, sizeof(t->rewrites));
	t->state = TS_RUNNING;
	stats.execs++;
	if (t->exec) {
		snprintf(t->proc->exe, sizeof(t->proc->exe), "%s", t->exec->exe_guest);
		if (t->exec->kind == EXEC_LOADER) {
			write_loader_info(t, t->exec);
			t->loader_opens = t->exec->interp_host[0] ? 2 : 1;
			if (t->loader_prog_fd >= 0)
				close(t->loader_prog_fd);
			t->loader_prog_fd = -1;
			t->loader_prog_opened = false;
			if (t->exec->prog_by_fd) {
				t->loader_prog_fd = t->exec->prog_fd;
				t->exec->prog_fd = -1;
			}
			/* the loader maps our scratch area first thing */
			t->scratch = t->exec->abi == ABI_X86_64 ? LOADER_SCRATCH_X86_64
								 : LOADER_SCRATCH_I386;
		}
		exec_plan_free(t->exec);
		free(t->exec);
		t->exec = NULL;
	} else {
		t->proc->exe[0] = 0;
	}
	return t;
}

static void kill_all(void)
{
	/* Walk by pid: the table is small and this happens once. */
	for (pid_t p = 1; tracee_count() && p < 4194304; p++) {
		Tracee *t = tracee_get(p);
		if (t)
			kill(t->tid, SIGKILL);
	}
}

static void on_stop(Tracee *t, int status)
{
	int sig = WSTOPSIG(status);
	int event = (unsigned)status >> 16;

	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(t, event);
		resume(t, 0);
		return;
	case PTRACE_EVENT_EXEC:
		t = on_exec(t);
		resume(t, 0);
		return;
	case PTRACE_EVENT_STOP:
		if (!t->attached) {
			t->attached = true;
			if (t->parent_known)
				resume(t, 0);
			return;
		}
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* group-stop: stay stopped, but tell us when it ends */
			ptrace(PTRACE_LISTEN, t->tid, 0, 0);
			return;
		}
		resume(t, 0);
		return;
	case PTRACE_EVENT_SECCOMP:
		break;
	default:
		if (sig == (SIGTRAP | 0x80))
			break;
		/* signal-delivery-stop: deliver it */
		stats.signal_stops++;
		resume(t, sig);
		return;
	}

	struct __ptrace_syscall_info info;
	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->tid, sizeof(info), &info) <= 0) {
		resume(t, 0);
		return;
	}
	if (info.op == PTRACE_SYSCALL_INFO_SECCOMP || info.op == PTRACE_SYSCALL_INFO_ENTRY) {
		if (t->state == TS_IN_SYSCALL || t->state == TS_SKIP_EXIT)
			t->state = TS_RUNNING; /* its exit never came (execve, exit) */
		syscall_entry(t, &info);
	} else if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		syscall_exit(t, &info);
	}
	resume(t, 0);
}

static void on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (sig == SIGCONT) {
		pending_cont = 1;
		return;
	}
	/* A signal from the terminal reached the guest's processes too. */
	if (si->si_code == SI_KERNEL && (sig == SIGINT || sig == SIGQUIT))
		return;
	pending_forward = sig;
}

static void setup_signals(void)
{
	struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	int sigs[] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGCONT };
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void handle_pending_signals(void)
{
	if (pending_forward) {
		int sig = pending_forward;
		pending_forward = 0;
		if (initial_status < 0)
			kill(initial_pid, sig);
	}
	if (pending_cont) {
		pending_cont = 0;
		for (pid_t p = 1; p < 4194304 && tracee_count(); p++) {
			Tracee *t = tracee_get(p);
			if (t)
				kill(t->tid, SIGCONT);
		}
	}
}

int tracer_spawn(const char *guest_path, char **argv, char **envp, const char *host_cwd,
		 bool kill_exit, pid_t *ret_pid)
{
	const char *e = getenv("PTROOT_NO_SECCOMP");
	use_seccomp = !(e && *e && strcmp(e, "0"));
	kill_on_exit = kill_exit;
	mem_init();
	cosched_init();

	struct sock_fprog prog;
	int r = use_seccomp ? seccomp_build_filter(&prog) : 0;
	if (r < 0)
		return r;

	/* go: tracer -> child, once it is seized; ready: child -> tracer, once
	 * its own set-up (not to be translated) is done. */
	int go[2], ready[2];
	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)
		return -errno;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		close(go[1]);
		close(ready[0]);
		if (chdir(host_cwd) < 0) {
			log_error("cannot enter working directory '%s': %s", host_cwd, strerror(errno));
			_exit(126);
		}
		char c = 'r';
		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(127);
		if (use_seccomp) {
			if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
			    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
				log_error("cannot install the seccomp filter: %s (try PTROOT_NO_SECCOMP=1)",
					  strerror(errno));
				_exit(126);
			}
		}
		execve(guest_path, argv, envp);
		/* The translated execve failed: the kernel's own answer. */
		int err = errno;
		log_error("'%s': %s", guest_path, strerror(err));
		_exit(err == ENOENT ? 127 : 126);
	}
	close(go[0]);
	close(ready[1]);
	if (use_seccomp)
		free(prog.filter); /* the child has its copy */
	char byte;
	if (read(ready[0], &byte, 1) != 1) {
		/* it failed before (and said why) */
		int st;
		waitpid(pid, &st, 0);
		close(ready[0]);
		close(go[1]);
		return WIFEXITED(st) ? -(1000 + WEXITSTATUS(st)) : -ECHILD;
	}
	close(ready[0]);
	long opts = PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
		    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
	if (use_seccomp)
		opts |= PTRACE_O_TRACESECCOMP;
	if (ptrace(PTRACE_SEIZE, pid, 0, (void *)opts) < 0) {
		int err = errno;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -err;
	}
	Tracee *t = tracee_new(pid);
	t->proc = proc_new(pid);
	t->fs = fs_new("/");
	t->parent_known = true;
	if (!use_seccomp) {
		/* Stop it now so that every syscall from here on is seen. */
		ptrace(PTRACE_INTERRUPT, pid, 0, 0);
	} else {
		t->attached = true;
	}
	initial_pid = pid;
	setup_signals();
	if (write(go[1], "g", 1) != 1)
		return -errno;
	close(go[1]);
	*ret_pid = pid;
	return 0;
}

/* The next event. Stops come in quick succession, and a CPU that went idle
 * in between is slow to wake (much slower in a VM): poll for a short while
 * before sleeping in waitpid(). PTROOT_SPIN=N sets the number of polls. */
static int spin_polls = -1;
#define SPIN_NS 200000L
static bool getenv_spin_set; /* PTROOT_SPIN given: no cosched.c say */

static pid_t wait_event(int *status)
{
	if (spin_polls < 0) {
		const char *e = getenv("PTROOT_SPIN");
		spin_polls = e ? atoi(e) : 200;
		getenv_spin_set = e != NULL;
	}
	int polls = getenv_spin_set ? spin_polls : cosched_spin() ? spin_polls : 0;
	/* At most SPIN_NS: a yield to a thread that computes on our CPU
	 * costs a whole time slice. */
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < polls; i++) {
		pid_t pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0)
			return pid;
		/* let a tracee that shares our CPU run meanwhile */
		sched_yield();
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if ((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec) > SPIN_NS)
			break;
	}
	/* While everything shares one CPU, cosched.c must look again even if
	 * no stop comes (threads that compute without syscalls we trace):
	 * sleep until a SIGCHLD (blocked, so it stays pending) or a tick. */
	while (cosched_wants_ticks()) {
		pid_t pid = waitpid(-1, status, __WALL | WNOHANG);
		if (pid != 0)
			return pid;
		sigset_t chld;
		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		struct timespec tick = { 0, COSCHED_TICK_NS };
		if (sigtimedwait(&chld, NULL, &tick) < 0) {
			if (errno == EINTR)
				return -1; /* a signal for us to forward */
			cosched_tick();
		}
	}
	return waitpid(-1, status, __WALL);
}

int tracer_loop(void)
{
	/* SIGCHLD stays pending for wait_event's sigtimedwait (the tracees
	 * already have their own mask). */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	for (;;) {
		handle_pending_signals();
		int status;
		pid_t pid = wait_event(&status);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break; /* ECHILD: nobody left */
		}
		Tracee *t = tracee_get(pid);
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == initial_pid) {
				initial_status = status;
				if (kill_on_exit)
					kill_all();
			}
			if (t)
				tracee_free(t);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		if (!t) {
			/* A new child reported before its parent's event. */
			t = tracee_new(pid);
			if (!t)
				continue;
			t->attached = true;
			if (((unsigned)status >> 16) != PTRACE_EVENT_STOP)
				log_debug(1, "[%d] first stop is not an event stop", pid);
			continue;
		}
		on_stop(t, status);
		cosched_tick();
	}
	if (log_verbosity >= 1 || getenv("PTROOT_STATS"))
		tracer_print_stats();
	return initial_status;
}

void tracer_print_stats(void)
{
	fprintf(stderr,
		"ptroot: stats: stops %llu (translated %llu, passed %llu), exit stops %llu, "
		"signal stops %llu, "
		"scratch injections %llu, execs %llu, paths %llu, host syscalls %llu "
		"(%.2f per path)\n",
		(unsigned long long)stats.stops, (unsigned long long)stats.translated,
		(unsigned long long)stats.passed, (unsigned long long)stats.exit_stops,
		(unsigned long long)stats.signal_stops,
		(unsigned long long)stats.injections, (unsigned long long)stats.execs,
		(unsigned long long)stats.paths, (unsigned long long)stats.host_syscalls,
		stats.paths ? (double)stats.host_syscalls / stats.paths : 0.0);
}
