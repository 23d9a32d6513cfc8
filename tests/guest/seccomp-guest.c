/* SPDX-License-Identifier: MIT */
/* A guest that installs its own seccomp filter: its SECCOMP_RET_ERRNO and
 * SECCOMP_RET_TRAP answers win over the tracer's, the syscalls it allows still
 * get translated, and the filter survives execve. */
#include "guest.h"
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/utsname.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#else
#define ARCH AUDIT_ARCH_I386
#endif

static volatile int sigsys_nr = -1;

static void on_sigsys(int sig, siginfo_t *si, void *uc)
{
	sigsys_nr = si->si_syscall;
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		/* After execve: the filter is still there. */
		CALL(mkdir("/tmp/seccomp/after-exec", 0755));
		show_stat("/tmp/seccomp");
		return 0;
	}
	scratch("/tmp/seccomp");
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef SYS_mkdir
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 3, 0),
#else
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdirat, 3, 0),
#endif
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdirat, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_uname, 2, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EXDEV),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	struct sigaction sa = { .sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO };
	sigaction(SIGSYS, &sa, NULL);

	CALL(mkdir("/tmp/seccomp/before", 0755));
	CALL(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	CALL(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog));
	CALL(mkdir("/tmp/seccomp/after", 0755));
	CALL(mkdirat(AT_FDCWD, "/tmp/seccomp/after", 0755));
	struct utsname u;
	uname(&u);	/* the return value after SIGSYS is the kernel's business */
	say("SIGSYS for uname: %s", sigsys_nr == SYS_uname ? "yes" : "no");
	CALL(rmdir("/tmp/seccomp/before"));
	CALL(symlink("/tmp/seccomp", "/tmp/seccomp/link"));
	show_readlink("/tmp/seccomp/link");
	show_dir("/tmp/seccomp");
	fflush(stdout);
	execl(argv[0], argv[0], "after-exec", (char *)NULL);
	say("execl: %s", errname(errno));
	return 1;
}
