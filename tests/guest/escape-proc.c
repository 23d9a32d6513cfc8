/* SPDX-License-Identifier: MIT */
/* Escape corpus, /proc magic links: /proc/self/{root,cwd,fd/N}, those of a
 * guest child, and those of ptroot itself (the guest's parent or above) and
 * of every other process: none may lead to the host marker files.  Run by
 * tests/integration/escape.t, which runs ptroot from the host directory of
 * the first marker and appends a marker to a copy of the ptroot binary. */
#include "escape.h"








static void probe_at(int dfd, const char *label, const char *path)
{
	int fd = openat(dfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	case_probes++;
	if (fd < 0) {
		note("  open %s: %s", label, errname(errno));
		return;
	}
	if (fd_is_marker(fd)) {
		case_escaped++;
		if (case_quiet > 1)
			printf("~ ESCAPE: open %s\n", path);
		note("  open %s: MARKER (ESCAPE)", label);
	} else {
		note("  open %s: opened", label);
	}
	close(fd);
}

static void probe_below(const char *base, const char *label)
{
	char path[PATH_MAX], lab[PATH_MAX + 64];

	for (int i = 0; i < ntargets; i++) {
		snprintf(path, sizeof(path), "%s%s", base, targets[i]);
		snprintf(lab, sizeof(lab), "%s%s", label, targets[i]);
		probe_at(AT_FDCWD, lab, path);
	}
}

/* BASE (a directory path ending in '/'), then BASE plus "../" K times.
 * LABEL replaces BASE in the transcript (it may hold a pid). */
static void probe_up(const char *base, const char *label, int kmax)
{
	char path[PATH_MAX], lab[PATH_MAX];

	for (int k = 0; k <= kmax; k++) {
		int n = snprintf(path, sizeof(path), "%s", base);
		int m = snprintf(lab, sizeof(lab), "%s", label);
		for (int i = 0; i < k; i++) {
			n += snprintf(path + n, sizeof(path) - n, "../");
			m += snprintf(lab + m, sizeof(lab) - m, "../");
		}
		probe_below(path, lab);
	}
}

/* The magic links of process PID (as WHO in the transcript). */
static void probe_pid(int pid, const char *who, int fds)
{
	char base[64], label[64];
	static const char *links[] = { "root", "cwd" };

	for (size_t i = 0; i < 2; i++) {
		snprintf(base, sizeof(base), "/proc/%d/%s/", pid, links[i]);
		snprintf(label, sizeof(label), "/proc/%s/%s/", who, links[i]);
		probe_up(base, label, 4);
	}
	snprintf(base, sizeof(base), "/proc/%d/exe", pid);
	snprintf(label, sizeof(label), "/proc/%s/exe", who);
	probe_at(AT_FDCWD, label, base);
	snprintf(base, sizeof(base), "/proc/%d/task/%d/root/", pid, pid);
	snprintf(label, sizeof(label), "/proc/%s/task/%s/root/", who, who);
	probe_up(base, label, 4);
	if (!fds)
		return;
	for (int fd = 0; fd < 300; fd++) {
		snprintf(base, sizeof(base), "/proc/%d/fd/%d", pid, fd);
		struct stat st;
		if (lstat(base, &st) < 0)
			continue;
		snprintf(label, sizeof(label), "/proc/%s/fd/%d", who, fd);
		probe_at(AT_FDCWD, label, base);
		strcat(base, "/");
		strcat(label, "/");
		probe_up(base, label, 3);
	}
}

static int parent_of(int pid)
{
	char path[64], buf[512];
	int ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')');
	if (p && sscanf(p + 2, "%*c %d", &ppid) != 1)
		ppid = 0;
	return ppid;
}

int main(int argc, char **argv)
{
	char base[64], label[64];

	if (argc < 4) {
		say("escape-proc: run by tests/integration/escape.t (M1 M2 HOSTDIR)");
		return 0;
	}
	add_suffixes(argv[1]);
	add_suffixes(argv[2]);
	alarm(120);
	scratch("/tmp/escproc");
	mkdir("d", 0755);

	begin("proc-self-root", 0);
	probe_up("/proc/self/root/", "/proc/self/root/", 5);
	probe_up("/proc/thread-self/root/", "/proc/thread-self/root/", 3);
	probe_up("/proc/self/root/proc/self/root/", "/proc/self/root/proc/self/root/", 3);
	snprintf(base, sizeof(base), "/proc/%d/root/", (int)getpid());
	probe_up(base, "/proc/PID/root/", 3);
	end();

	begin("proc-self-cwd", 0);
	chdir("/mnt/bind/sub");
	probe_up("/proc/self/cwd/", "/proc/self/cwd/", 6);
	chdir("/tmp/escproc/d");
	probe_up("/proc/self/cwd/", "/proc/self/cwd/", 6);
	chdir("/");
	probe_up("/proc/self/cwd/", "/proc/self/cwd/", 3);
	end();

	begin("proc-self-fd", 0);
	const char *dirs[] = { "/", "/tmp", "/mnt/bind", "/mnt/bind/sub", "/proc/self/root" };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		int fd = open(dirs[i], (i % 2 ? O_PATH : O_RDONLY) | O_DIRECTORY);
		snprintf(base, sizeof(base), "/proc/self/fd/%d/", fd);
		snprintf(label, sizeof(label), "/proc/self/fd/(%s)/", dirs[i]);
		probe_up(base, label, 5);
		close(fd);
	}
	int ffd = open("/etc/bindfile", O_RDONLY);
	snprintf(base, sizeof(base), "/proc/self/fd/%d/", ffd);
	probe_up(base, "/proc/self/fd/(bindfile)/", 2);
	close(ffd);
	end();

	/* A guest child that moved into a binding: its links, from outside. */
	begin("proc-child-links", 0);
	int ready[2], done[2];
	pipe(ready);
	pipe(done);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		chdir("/mnt/bind/sub");
		int keep = open("/mnt/bind", O_RDONLY | O_DIRECTORY);
		dup2(keep, 42);
		write(ready[1], "x", 1);
		char c;
		read(done[0], &c, 1);
		_exit(0);
	}
	char c;
	read(ready[0], &c, 1);
	snprintf(base, sizeof(base), "/proc/%d/cwd/", (int)child);
	probe_up(base, "/proc/CHILD/cwd/", 5);
	snprintf(base, sizeof(base), "/proc/%d/root/", (int)child);
	probe_up(base, "/proc/CHILD/root/", 3);
	snprintf(base, sizeof(base), "/proc/%d/fd/42/", (int)child);
	probe_up(base, "/proc/CHILD/fd/42/", 4);
	write(done[1], "x", 1);
	waitpid(child, NULL, 0);
	end();

	/* ptroot is the parent of the first guest process; natively the
	 * parent is outside the chroot, and its links lead out. */
	int ppid = getppid();
	int gpid = parent_of(ppid);
	begin("proc-tracer-links", 1);
	probe_pid(ppid, "PPID", 1);
	end();
	begin("proc-grandparent-links", 1);
	if (gpid > 0)
		probe_pid(gpid, "GPID", 1);
	end();

	/* Every process in /proc. */
	begin("proc-every-pid", 2);
	DIR *d = opendir("/proc");
	for (struct dirent *e; d && (e = readdir(d));) {
		int pid = atoi(e->d_name);
		if (pid <= 0 || pid == getpid())
			continue;
		probe_pid(pid, e->d_name, pid == ppid || pid == gpid);
	}
	if (d)
		closedir(d);
	end();
	say("done");
	return 0;
}
