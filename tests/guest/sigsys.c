/* SPDX-License-Identifier: MIT */
/* SIGSYS as the guest sees it.  ptroot's in-process fast path (x86_64)
 * catches SIGSYS itself (loader/fast.c) and emulates rt_sigaction(SIGSYS):
 * the guest must still see its own action, get its own SIGSYS (kill, its
 * own seccomp traps), die of it by default, keep SIG_IGN across execve, and
 * make path syscalls with every signal blocked or from a signal handler. */
#include "guest.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <ucontext.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#else
#define ARCH AUDIT_ARCH_I386
#endif

#ifndef SYS_SECCOMP
#define SYS_SECCOMP 1
#endif

static volatile int got, got_code, got_errno, got_nr;

static void on_sigsys(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	got++;
	got_code = si->si_code;
	got_errno = si->si_errno;
	got_nr = si->si_code == SYS_SECCOMP ? si->si_syscall : -1;
	if (si->si_code == SYS_SECCOMP) {
		/* answer the trapped call ourselves, as seccomp users do */
#if defined(__x86_64__)
		uc->uc_mcontext.gregs[REG_RAX] = 4242;
#else
		uc->uc_mcontext.gregs[REG_EAX] = 4242;
#endif
	}
}

static volatile int usr1_stat = -2;

/* A path syscall from inside a signal handler. */
static void on_usr1(int sig)
{
	struct stat st;
	usr1_stat = stat("/tmp/sigsys/file", &st) == 0 ? (int)st.st_size : -errno;
}

static const char *handler_name(const struct sigaction *sa)
{
	if (sa->sa_handler == SIG_DFL)
		return "SIG_DFL";
	if (sa->sa_handler == SIG_IGN)
		return "SIG_IGN";
	if (sa->sa_sigaction == on_sigsys)
		return "on_sigsys";
	return "other";
}

static void show_action(const char *when)
{
	struct sigaction sa;
	if (sigaction(SIGSYS, NULL, &sa) < 0) {
		say("%s: sigaction: %s", when, errname(errno));
		return;
	}
	say("%s: SIGSYS action %s, SA_SIGINFO %d, SA_RESETHAND %d, mask has SIGUSR2 %d", when,
	    handler_name(&sa), !!(sa.sa_flags & SA_SIGINFO), !!(sa.sa_flags & SA_RESETHAND),
	    sigismember(&sa.sa_mask, SIGUSR2));
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* after execve with SIGSYS ignored: still ignored */
		show_action("after execve");
		kill(getpid(), SIGSYS);
		say("after execve: kill(SIGSYS) ignored");
		show_stat("/tmp/sigsys/file");
		return guest_exit();
	}
	scratch("/tmp/sigsys");
	write_file("/tmp/sigsys/file", "12345");

	show_action("at start");
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	CALL(sigaction(SIGSYS, &sa, NULL));
	show_action("after sigaction");
	/* bad sizes and pointers, as the kernel answers them */
	say("rt_sigaction size 4: %s",
	    syscall(SYS_rt_sigaction, SIGSYS, NULL, NULL, 4) < 0 ? errname(errno) : "ok");
	say("rt_sigaction bad act: %s",
	    syscall(SYS_rt_sigaction, SIGSYS, (void *)8, NULL, 8) < 0 ? errname(errno) : "ok");
	show_action("after the bad calls");

	/* kill(2): our own handler, SI_USER */
	got = 0;
	kill(getpid(), SIGSYS);
	say("kill: handler ran %d time(s), si_code %s", got, got_code == SI_USER ? "SI_USER" : "other");

	/* path syscalls with every signal blocked */
	sigset_t all, old;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	show_stat("/tmp/sigsys/file");
	CALL(access("/tmp/sigsys/file", R_OK));
	CALL(open("/tmp/sigsys/file", O_RDONLY | O_CLOEXEC));
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* a path syscall from a signal handler */
	signal(SIGUSR1, on_usr1);
	kill(getpid(), SIGUSR1);
	say("stat from a SIGUSR1 handler: %d", usr1_stat);

	/* SA_RESETHAND */
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	CALL(sigaction(SIGSYS, &sa, NULL));
	got = 0;
	kill(getpid(), SIGSYS);
	say("SA_RESETHAND: handler ran %d time(s)", got);
	show_action("after SA_RESETHAND");

	/* The default action kills, with SIGSYS. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGSYS, SIG_DFL);
		kill(getpid(), SIGSYS);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	say("default action: %s", status_str(status));

	/* Our own seccomp trap: our handler, with our data and number. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct sigaction s2 = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
		sigaction(SIGSYS, &s2, NULL);
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP | 42),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
			say("FAIL: own filter: %s", errname(errno));
			_exit(1);
		}
		got = 0;
		long r = syscall(SYS_getppid);
		say("own trap: getppid gave %ld, handler ran %d time(s), si_errno %d, nr is getppid %d", r,
		    got, got_errno, got_nr == SYS_getppid);
		show_stat("/tmp/sigsys/file");
		/* a SIGSYS trap of its own with SIGSYS ignored: the kernel
		 * kills with it */
		signal(SIGSYS, SIG_IGN);
		fflush(stdout);
		syscall(SYS_getppid);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	say("own trap with SIGSYS ignored: %s", status_str(status));

	/* SIG_IGN survives execve */
	signal(SIGSYS, SIG_IGN);
	show_action("ignored");
	fflush(stdout);
	execl(argv[0], argv[0], "after-exec", (char *)NULL);
	say("execl: %s", errname(errno));
	return 1;
}
