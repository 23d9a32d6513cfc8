/* SPDX-License-Identifier: MIT */
/* Escape corpus, execution: execve, execveat (dirfds, AT_EMPTY_PATH on
 * descriptors), #! interpreters and symlinks all try to run a program that
 * exists only on the host, outside the guest (HOSTDIR/ptroot-escape-elf
 * prints the marker when run with "marker"; ptroot-escape-prog is a script
 * that does the same).  Run by tests/integration/escape.t. */
#include "escape.h"



static const char *self;





/* Run execveat(DFD, PATH, FLAGS) in a child, its output into a pipe; a run
 * that prints the marker is an escape.  QUIET_OK: a successful exec of
 * anything is an escape too (for host programs without the marker). */
static void try_exec(const char *label, int dfd, const char *path, int flags, int any_is_escape)
{
	char *argv[] = { "x", "marker", NULL };
	char *envp[] = { "PATH=/bin:/usr/bin", NULL };
	char out[512];
	int p[2];

	if (pipe(p) < 0)
		return;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		dup2(p[1], 2);
		syscall(SYS_execveat, dfd, path, argv, envp, flags);
		dprintf(1, "exec failed %s", errname(errno));
		_exit(127);
	}
	close(p[1]);
	size_t n = 0;
	ssize_t r;
	while (n < sizeof(out) - 1 && (r = read(p[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += r;
	out[n] = 0;
	close(p[0]);
	int status;
	waitpid(pid, &status, 0);
	char *nl = strchr(out, '\n');
	if (nl)
		*nl = 0;
	int ran = strncmp(out, "exec failed", 11) != 0;
	if (strstr(out, MARKER) || (any_is_escape && ran)) {
		case_escaped++;
		note("  exec %s: ran: '%s' (ESCAPE)", label, out);
	} else if (ran) {
		note("  exec %s: ran: '%s' (%s)", label, out, status_str(status));
	} else {
		note("  exec %s: %s", label, out + 12);
	}
}

static void exec_below(int dfd, const char *dname, const char *base)
{
	char path[PATH_MAX], label[PATH_MAX + 64];

	for (int i = 0; i < ntargets; i++) {
		snprintf(path, sizeof(path), "%s%s", base, targets[i]);
		snprintf(label, sizeof(label), "%s%s", dname, path);
		try_exec(label, dfd, path, 0, 0);
	}
}

static void exec_up(int dfd, const char *dname, const char *base, int kmin, int kmax)
{
	char path[PATH_MAX];

	for (int k = kmin; k <= kmax; k++) {
		int n = snprintf(path, sizeof(path), "%s", base);
		for (int i = 0; i < k; i++)
			n += snprintf(path + n, sizeof(path) - n, "../");
		exec_below(dfd, dname, path);
	}
}

/* execveat(fd, "", AT_EMPTY_PATH) on a descriptor of PATH, opened with
 * OFLAGS (when the open itself fails, that is the answer). */
static void exec_fd(const char *path, int oflags, int any_is_escape)
{
	char label[PATH_MAX + 64];
	int fd = open(path, oflags | O_CLOEXEC);

	snprintf(label, sizeof(label), "AT_EMPTY_PATH fd(%s%s)", path, oflags & O_PATH ? ", O_PATH" : "");
	if (fd < 0) {
		note("  exec %s: open %s", label, errname(errno));
		return;
	}
	try_exec(label, fd, "", AT_EMPTY_PATH, any_is_escape);
	close(fd);
}

int main(int argc, char **argv)
{
	char path[PATH_MAX], buf[PATH_MAX + 64];

	if (argc > 1 && !strcmp(argv[1], "marker")) {
		/* Executed as "x marker": a legitimate guest program. */
		say("guest program ran");
		return 0;
	}
	if (argc < 2) {
		say("escape-exec: run by tests/integration/escape.t (HOSTDIR)");
		return 0;
	}
	self = argv[0];
	const char *hdir = argv[1];
	snprintf(path, sizeof(path), "%s/ptroot-escape-elf", hdir);
	add_suffixes(strdup(path));
	snprintf(path, sizeof(path), "%s/ptroot-escape-prog", hdir);
	add_suffixes(strdup(path));
	alarm(120);
	scratch("/tmp/escexec");
	mkdir("a", 0755);
	mkdir("a/b", 0755);

	begin("exec-sanity", 0);
	try_exec(self, AT_FDCWD, self, 0, 0);
	exec_fd(self, O_RDONLY, 0);
	exec_fd(self, O_PATH, 0);
	end();

	begin("execve-dotdot", 0);
	exec_up(AT_FDCWD, "", "/", 0, 5);
	chdir("/tmp/escexec/a/b");
	exec_up(AT_FDCWD, "", "", 1, 7);
	chdir("/mnt/bind/sub");
	exec_up(AT_FDCWD, "", "", 1, 6);
	exec_up(AT_FDCWD, "", "/proc/self/root/", 0, 4);
	exec_up(AT_FDCWD, "", "/proc/self/cwd/", 0, 6);
	chdir("/tmp/escexec");
	end();

	begin("execveat-dirfd", 0);
	int root = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int bind = open("/mnt/bind/sub", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int deep = open("/tmp/escexec/a/b", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	chdir("/");
	exec_up(root, "fd(/) ", "", 0, 5);
	exec_up(bind, "fd(/mnt/bind/sub) ", "", 1, 5);
	exec_up(deep, "fd(/tmp/escexec/a/b) ", "", 1, 7);
	chdir("/tmp/escexec");
	end();

	begin("execveat-empty-path", 0);
	for (int i = 0; i < ntargets; i++) {
		snprintf(path, sizeof(path), "/../../../%s", targets[i]);
		exec_fd(path, O_RDONLY, 0);
		exec_fd(path, O_PATH, 0);
		snprintf(path, sizeof(path), "/mnt/bind/../../%s", targets[i]);
		exec_fd(path, O_PATH, 0);
		snprintf(path, sizeof(path), "/proc/self/root/../%s", targets[i]);
		exec_fd(path, O_PATH, 0);
	}
	/* An O_PATH descriptor of a symlink that points out. */
	symlink("../../../../../ptroot-escape-elf", "up-elf");
	snprintf(path, sizeof(path), "%s/ptroot-escape-elf", hdir);
	symlink(path, "abs-elf");
	exec_fd("up-elf", O_PATH | O_NOFOLLOW, 0);
	exec_fd("abs-elf", O_PATH | O_NOFOLLOW, 0);
	exec_fd("up-elf", O_RDONLY, 0);
	exec_fd("abs-elf", O_RDONLY, 0);
	end();

	begin("exec-symlinks-out", 0);
	try_exec("up-elf", AT_FDCWD, "up-elf", 0, 0);
	try_exec("abs-elf", AT_FDCWD, "abs-elf", 0, 0);
	try_exec("/etc/esc/abs-h/ptroot-escape-elf", AT_FDCWD, "/etc/esc/abs-h/ptroot-escape-elf", 0, 0);
	try_exec("/mnt/bind/abs-h/ptroot-escape-elf", AT_FDCWD, "/mnt/bind/abs-h/ptroot-escape-elf", 0, 0);
	try_exec("/mnt/bind/rel-updir/ptroot-escape-elf", AT_FDCWD, "/mnt/bind/rel-updir/ptroot-escape-elf", 0, 0);
	try_exec("/mnt/bind/rel-updir/ptroot-escape-prog", AT_FDCWD, "/mnt/bind/rel-updir/ptroot-escape-prog", 0, 0);
	end();

	/* #! lines naming interpreters outside the guest. */
	begin("exec-shebang-out", 0);
	const char *interps[] = { "%s/ptroot-escape-elf", "/../../../../%s/ptroot-escape-elf",
				  "../../../../../ptroot-escape-elf", "/proc/self/root/../ptroot-escape-elf",
				  "/mnt/bind/../../ptroot-escape-elf", "/mnt/bind/rel-updir/ptroot-escape-elf" };
	for (size_t i = 0; i < sizeof(interps) / sizeof(interps[0]); i++) {
		char interp[PATH_MAX];
		snprintf(interp, sizeof(interp), interps[i], hdir);
		snprintf(path, sizeof(path), "/tmp/escexec/script%zu", i);
		snprintf(buf, sizeof(buf), "#!%s\n", interp);
		write_file(path, buf);
		chmod(path, 0755);
		try_exec(path, AT_FDCWD, path, 0, 0);
	}
	end();

	/* ptroot's own program, through its /proc/PID/exe: a host file.
	 * Natively the parent is outside the chroot too: ptroot only. */
	begin("exec-tracer-exe", 1);
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)getppid());
	try_exec("/proc/PPID/exe", AT_FDCWD, path, 0, 1);
	exec_fd(path, O_PATH, 1);
	exec_fd(path, O_RDONLY, 1);
	snprintf(path, sizeof(path), "/proc/%d/cwd/ptroot-escape-elf", (int)getppid());
	try_exec("/proc/PPID/cwd/ptroot-escape-elf", AT_FDCWD, path, 0, 0);
	exec_fd(path, O_PATH, 0);
	end();
	say("done");
	return 0;
}
