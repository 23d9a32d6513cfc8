/* SPDX-License-Identifier: MIT */
/* Random syscalls with random arguments from a fixed seed: a forked child
 * makes COUNT draws (paths, buffers, bad pointers, fds, odd integers; calls
 * that would end the test, reach other processes or the machine, or block
 * are left out: excluded[]) and prints each answer; the parent says how the
 * child ended.  hostile-random SEED COUNT [SEEDS [v]]  (v: with arguments) */
#include "guest.h"
#include <stdint.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/net.h>

/* Calls that are never made. */
static const int excluded[] = {
	/* ending, replacing or re-creating the process; tracing */
	SYS_exit, SYS_exit_group, SYS_fork, SYS_vfork, SYS_clone, SYS_clone3, SYS_execve,
	SYS_execveat, SYS_ptrace, SYS_seccomp, SYS_prctl, SYS_arch_prctl, SYS_personality,
	SYS_set_tid_address, SYS_set_robust_list, SYS_rseq, SYS_set_thread_area,
	SYS_modify_ldt, SYS_uselib,
	/* other processes and the machine */
	SYS_kill, SYS_tkill, SYS_tgkill, SYS_rt_sigqueueinfo, SYS_rt_tgsigqueueinfo,
	SYS_process_vm_readv, SYS_process_vm_writev, SYS_pidfd_open, SYS_pidfd_send_signal,
	SYS_pidfd_getfd, SYS_sched_setaffinity, SYS_sched_setparam, SYS_sched_setscheduler,
	SYS_sched_setattr, SYS_setpriority, SYS_ioprio_set, SYS_migrate_pages, SYS_move_pages,
	SYS_iopl, SYS_ioperm, SYS_reboot, SYS_kexec_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_acct, SYS_swapon, SYS_swapoff, SYS_sethostname,
	SYS_setdomainname, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime,
	SYS_adjtimex, SYS_syslog, SYS_quotactl, SYS_quotactl_fd, SYS_vhangup, SYS__sysctl,
	SYS_bpf, SYS_perf_event_open, SYS_fanotify_init, SYS_fanotify_mark, SYS_add_key,
	SYS_request_key, SYS_keyctl, SYS_lookup_dcookie, SYS_nfsservctl,
	SYS_shmget, SYS_shmat, SYS_shmctl, SYS_shmdt, SYS_semget, SYS_semctl, SYS_msgget,
	SYS_msgsnd, SYS_msgrcv, SYS_msgctl, SYS_mq_open, SYS_mq_unlink, SYS_mq_timedsend,
	SYS_mq_timedreceive, SYS_mq_notify, SYS_mq_getsetattr,
	/* mounts, namespaces, the root: refused or emulated on purpose */
	SYS_mount, SYS_umount2, SYS_pivot_root, SYS_fsopen, SYS_fsconfig, SYS_fsmount,
	SYS_fspick, SYS_move_mount, SYS_open_tree, SYS_mount_setattr, SYS_chroot,
	SYS_unshare, SYS_setns, SYS_open_by_handle_at, SYS_io_uring_setup,
	SYS_io_uring_enter, SYS_io_uring_register, SYS_landlock_create_ruleset,
	SYS_landlock_add_rule, SYS_landlock_restrict_self,
	/* credentials and limits */
	SYS_setuid, SYS_setgid, SYS_setreuid, SYS_setregid, SYS_setresuid, SYS_setresgid,
	SYS_setfsuid, SYS_setfsgid, SYS_setgroups, SYS_capset, SYS_setrlimit, SYS_prlimit64,
	/* device nodes, disk space */
	SYS_mknod, SYS_mknodat, SYS_fallocate, SYS_sendfile, SYS_copy_file_range,
	SYS_splice, SYS_tee, SYS_vmsplice, SYS_io_setup, SYS_io_submit, SYS_io_cancel,
	SYS_io_destroy, SYS_io_getevents, SYS_io_pgetevents,
	/* signals and timers (ours interrupt blocking calls), sleeping */
	SYS_rt_sigaction, SYS_rt_sigprocmask, SYS_sigaltstack, SYS_rt_sigsuspend,
	SYS_rt_sigtimedwait, SYS_rt_sigreturn, SYS_alarm, SYS_setitimer, SYS_getitimer,
	SYS_timer_create, SYS_timer_settime, SYS_timer_delete, SYS_pause, SYS_nanosleep,
	SYS_clock_nanosleep, SYS_select, SYS_pselect6, SYS_poll, SYS_ppoll, SYS_epoll_wait,
	SYS_epoll_pwait, SYS_epoll_pwait2, SYS_futex, SYS_futex_waitv,
	/* our own memory and descriptors */
	SYS_munmap, SYS_mremap, SYS_mprotect, SYS_pkey_mprotect, SYS_madvise,
	SYS_process_madvise, SYS_brk, SYS_mbind, SYS_set_mempolicy,
	SYS_set_mempolicy_home_node, SYS_mlock, SYS_mlock2, SYS_mlockall, SYS_munlock,
	SYS_munlockall, SYS_remap_file_pages, SYS_userfaultfd, SYS_close_range,
#if defined(__i386__)
	SYS_sigreturn, SYS_vm86, SYS_vm86old, SYS_stime, SYS_umount, SYS_setuid32,
	SYS_setgid32, SYS_setreuid32, SYS_setregid32, SYS_setresuid32, SYS_setresgid32,
	SYS_setfsuid32, SYS_setfsgid32, SYS_setgroups32, SYS_ipc, SYS_sigaction, SYS_signal,
	SYS_sigprocmask, SYS_sgetmask, SYS_ssetmask, SYS_sigsuspend, SYS__newselect,
	SYS_sendfile64, SYS_idle,
#else
	SYS_kexec_file_load, SYS_semop, SYS_semtimedop, 335 /* uretprobe */,
#endif
	/* newer than the headers: map_shadow_stack, futex_wake, futex_wait,
	 * futex_requeue, statmount, listmount, lsm_set_self_attr, mseal,
	 * open_tree_attr */
	453, 454, 455, 456, 457, 458, 460, 462, 467,
};

/* Calls whose successful result differs between any two runs (pids,
 * times, addresses): only "ok" is printed. */
static const int varies[] = {
	SYS_getpid, SYS_getppid, SYS_gettid, SYS_getpgrp, SYS_getpgid, SYS_getsid, SYS_setsid,
	SYS_time, SYS_times, SYS_gettimeofday, SYS_mmap, SYS_kcmp, SYS_getcpu,
	SYS_getrusage, SYS_sysinfo, SYS_clock_gettime, SYS_sched_rr_get_interval,
#if defined(__i386__)
	SYS_mmap2,
#endif
};

#define NR_MAX 470

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static int in(const int *list, size_t n, long nr)
{
	for (size_t i = 0; i < n; i++) {
		if (list[i] == nr)
			return 1;
	}
	return 0;
}

/* The pools.  The arena holds the path strings and the buffers; this
 * program never touches it after set-up. */
static char *arena;
static char *paths[32];
static int npaths;
static char *bufs[4];
static char *bad[5];

static const char *const path_list[] = {
	"/tmp/fuzz/a", "/tmp/fuzz/b", "/tmp/fuzz/d", "/tmp/fuzz/d/e", "/tmp/fuzz/link",
	"/tmp/fuzz/dangling", "/tmp/fuzz/up", "a", "d", "link", ".", "..", "/", "",
	"/tmp/fuzz/../../..", "/proc/self/root/tmp/fuzz/a", "/proc/self/cwd",
	"/proc/self/fd/3", "/proc/self/root", "/mnt/bind", "/mnt/bind/x", "/mnt/bind/../bind/y",
	"/etc/passwd", "/tmp/fuzz/d/", "/nonexistent/x", "d/../a", "/tmp/fuzz/sock",
	"user.fuzz",
};

static void setup_pools(void)
{
	long page = sysconf(_SC_PAGESIZE);

	/* At a fixed address: pointers are also used as integers. */
	arena = mmap((void *)0x10000000, 24 * page, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | 0x100000 /* MAP_FIXED_NOREPLACE */, -1, 0);
	if (arena != (void *)0x10000000) {
		dprintf(900, "the arena is not at 0x10000000\n");
		_exit(2);
	}
	/* A hole at the end: the last page is unmapped. */
	munmap(arena + 23 * page, page);
	char *p = arena;
	for (size_t i = 0; i < sizeof(path_list) / sizeof(path_list[0]); i++) {
		strcpy(p, path_list[i]);
		paths[npaths++] = p;
		p += strlen(p) + 1;
	}
	/* A 300-byte name and a 4000-byte path. */
	memset(p, 'n', 300);
	p[300] = 0;
	paths[npaths++] = p;
	p += 301;
	p = arena + page;
	for (int i = 0; i < 4000; i++)
		p[i] = i % 2 ? '/' : '.';
	p[4000] = 0;
	paths[npaths++] = p;
	/* Buffers: zeros, random bytes, one at the end of the mapping. */
	bufs[0] = arena + 4 * page;	/* zeros */
	bufs[1] = arena + 12 * page;	/* random bytes */
	for (long i = 0; i < 8 * page; i++)
		bufs[1][i] = (char)rnd();
	bufs[2] = arena + 23 * page - 16;	/* writable, 16 bytes before the hole */
	bufs[3] = arena + 20 * page;
	/* Paths and the input buffers are read-only: what the kernel writes
	 * (times, inode numbers...) must not come back as input later. */
	mprotect(arena, 20 * page, PROT_READ);
	bad[0] = NULL;
	bad[1] = arena + 23 * page;
	bad[2] = (char *)-1L;
	bad[3] = (char *)1;
#if defined(__x86_64__)
	bad[4] = (char *)0xffffffff81000000UL;
#else
	bad[4] = (char *)0xc1000000UL;
#endif
}

/* What the last rnd_arg() picked, for the verbose transcript. */
static char arg_desc[32];

static long rnd_arg(void)
{
	static const long ints[] = {
		0, 1, 2, 3, 4, 7, 8, 16, 64, 255, 256, 4095, 4096, 65536, -1, -2, -100,
		0x7fffffff, (long)0x80000000UL, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x4000,
		0x10000, 0x80000, 0x241, 0x42, 0x1ff, 0x1a4, LONG_MAX,
	};
	uint64_t r = rnd();

	long v;

	switch (r % 16) {
	case 0: case 1: case 2: case 3: case 4:
		snprintf(arg_desc, sizeof(arg_desc), "path%d", (int)((r >> 8) % npaths));
		return (long)paths[(r >> 8) % npaths];
	case 5: case 6:
		snprintf(arg_desc, sizeof(arg_desc), "buf%d", (int)((r >> 8) % 4));
		return (long)bufs[(r >> 8) % 4];
	case 7:
		snprintf(arg_desc, sizeof(arg_desc), "bad%d", (int)((r >> 8) % 5));
		return (long)bad[(r >> 8) % 5];
	case 8: case 9: case 10:
		v = (long)((r >> 8) % 16);	/* an fd */
		break;
	case 11: case 12: case 13:
		v = ints[(r >> 8) % (sizeof(ints) / sizeof(ints[0]))];
		break;
	case 14:
		v = (long)(uint32_t)(r >> 16);
		break;
	default:
		v = (long)(r >> 1);
		break;
	}
	snprintf(arg_desc, sizeof(arg_desc), "%#lx", v);
	return v;
}

static void on_alarm(int sig)
{
}

static void fuzz(uint64_t seed, int count, int out, int verbose)
{
	char line[512], desc[6][32];
	struct itimerval t = { .it_value = { 0, 200000 } }, off = { { 0, 0 }, { 0, 0 } };

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	setup_pools();
	for (int i = 0; i < count; i++) {
		long nr = (long)(rnd() % NR_MAX);
		long a[6];
		for (int j = 0; j < 6; j++) {
			a[j] = rnd_arg();
			memcpy(desc[j], arg_desc, sizeof(arg_desc));
		}
		if (in(excluded, sizeof(excluded) / sizeof(excluded[0]), nr))
			continue;
		/* No fixed mappings over our own memory. */
		if (nr == SYS_mmap
#if defined(__i386__)
		    || nr == SYS_mmap2
#endif
		)
			a[3] &= ~(long)(MAP_FIXED | 0x100000 /* MAP_FIXED_NOREPLACE */);
		/* Only Unix sockets: no netlink or raw sockets as root. */
		if (nr == SYS_socket || nr == SYS_socketpair)
			a[0] = AF_UNIX;
#if defined(__i386__)
		if (nr == SYS_socketcall && (a[0] == SYS_SOCKET || a[0] == SYS_SOCKETPAIR))
			continue;
#endif
		/* No signals to other processes on I/O. */
		if (nr == SYS_ioctl && (a[1] == 0x8901 || a[1] == 0x8902 || a[1] == 0x5452))
			continue;
		if ((nr == SYS_fcntl
#if defined(__i386__)
		     || nr == SYS_fcntl64
#endif
		     ) && (a[1] == 8 || a[1] == 10 || a[1] == 15))
			continue;
		memset(bufs[3], 0x5a, 3 * 4096);
		setitimer(ITIMER_REAL, &t, NULL);
		errno = 0;
		long ret = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		int err = errno;
		setitimer(ITIMER_REAL, &off, NULL);
		int n = 0;
		if (verbose)
			n = snprintf(line, sizeof(line), "(%s, %s, %s, %s, %s, %s) ", desc[0],
				     desc[1], desc[2], desc[3], desc[4], desc[5]);
		if (write(out, line, n) < 0)
			_exit(3);
		if (ret == -1 && err)
			n = snprintf(line, sizeof(line), "%d %ld = -1 %s\n", i, nr, errname(err));
		else if (in(varies, sizeof(varies) / sizeof(varies[0]), nr))
			n = snprintf(line, sizeof(line), "%d %ld = ok\n", i, nr);
		else
			n = snprintf(line, sizeof(line), "%d %ld = %ld\n", i, nr, ret);
		if (write(out, line, n) < 0)
			_exit(3);
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		say("hostile-random: run by tests/integration/hostile.t (SEED COUNT [SEEDS])");
		return 0;
	}
	uint64_t seed = strtoull(argv[1], NULL, 0);
	int count = atoi(argv[2]);
	int seeds = argc > 3 ? atoi(argv[3]) : 1;
	int verbose = argc > 4;
	struct sigaction sa = { .sa_handler = on_alarm };

	alarm(0);
	for (int s = 0; s < seeds; s++, seed++) {
		int p[2];
		pipe(p);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			/* The child: its results on fd 900, everything else quiet. */
			close(p[0]);
			dup2(p[1], 900);
			close(p[1]);
			/* Only descriptors of guest files: the random calls
			 * chmod, chown and write whatever descriptor they name,
			 * natively and under ptroot alike, and inherited ones
			 * may be host files (as root: the host's /dev/null). */
			for (int fd = 3; fd < 4096; fd++) {
				if (fd != 900)
					close(fd);
			}
			int null = open("/tmp/fuzz-null", O_RDWR | O_CREAT | O_TRUNC, 0644);
			dup2(null, 0);
			dup2(null, 1);
			dup2(null, 2);
			if (null > 2)
				close(null);
			sigaction(SIGALRM, &sa, NULL);
			signal(SIGPIPE, SIG_IGN);
			signal(SIGXFSZ, SIG_IGN);
			scratch("/tmp/fuzz");
			write_file("a", "some data");
			write_file("b", "");
			mkdir("d", 0755);
			mkdir("d/e", 0755);
			symlink("a", "link");
			symlink("/nowhere", "dangling");
			symlink("../../..", "up");
			rm_rf("/mnt/bind/x");
			rm_rf("/mnt/bind/y");
			write_file("/mnt/bind/x", "bound");
			mkdir("/mnt/bind/y", 0755);
			open("/tmp/fuzz/a", O_RDONLY);	/* fd 3 */
			open("/tmp/fuzz/d", O_RDONLY | O_DIRECTORY);
			fuzz(seed, count, 900, verbose);
			_exit(0);
		}
		close(p[1]);
		FILE *in = fdopen(p[0], "r");
		char buf[256];
		long lines = 0;
		while (fgets(buf, sizeof(buf), in)) {
			fputs(buf, stdout);
			lines++;
		}
		fclose(in);
		int status;
		alarm(600);
		waitpid(pid, &status, 0);
		alarm(0);
		say("seed %llu: %ld calls made, child ended: %s", (unsigned long long)seed, lines,
		    status_str(status));
	}
	say("done");
	return 0;
}
