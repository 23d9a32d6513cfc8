/* SPDX-License-Identifier: MIT */
/* Escape corpus, races: one thread swaps a directory (or file) with a
 * symlink that points out of the guest on the host but not in the guest,
 * with renameat2(RENAME_EXCHANGE), while another opens through that name
 * many times.  Prints how often the host marker was read: ptrace checks a
 * path before the kernel walks it, so this is a known limit (guarantees.md). */
#include "guest.h"
#include <pthread.h>
#include <stdatomic.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

#define MARKER "PTROOT-ESCAPE-MARKER"

static atomic_int stop;
static const char *swap_a, *swap_b;

static void *flipper(void *arg)
{
	long n = 0;

	while (!atomic_load(&stop)) {
		renameat2(AT_FDCWD, swap_a, AT_FDCWD, swap_b, RENAME_EXCHANGE);
		n++;
	}
	return (void *)n;
}

/* Open PATH ITERS times while SWAP_A and SWAP_B are exchanged. */
static void race(const char *name, const char *a, const char *b, const char *path, int iters)
{
	long harmless = 0, marker = 0, errors = 0, other = 0, flips;
	pthread_t th;
	char buf[64];

	swap_a = a;
	swap_b = b;
	atomic_store(&stop, 0);
	pthread_create(&th, NULL, flipper, NULL);
	for (int i = 0; i < iters; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
		if (fd < 0) {
			errors++;
			continue;
		}
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
		buf[n > 0 ? n : 0] = 0;
		if (!strncmp(buf, MARKER, strlen(MARKER)))
			marker++;
		else if (!strncmp(buf, "harmless", 8))
			harmless++;
		else
			other++;
		close(fd);
	}
	atomic_store(&stop, 1);
	void *ret;
	pthread_join(th, &ret);
	flips = (long)ret;
	/* The counts vary from run to run: not part of the transcript. */
	printf("~ race %s: %d opens, %ld harmless, %ld MARKER, %ld other, %ld failed, %ld swaps\n",
	       name, iters, harmless, marker, other, errors, flips);
	printf("case race-%s [race]: %ld\n", name, marker);
	/* Leave A as the real directory or file again. */
	struct stat st;
	if (lstat(a, &st) == 0 && S_ISLNK(st.st_mode))
		renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}

/* DIR/d is a directory with a harmless ptroot-escape-secret in it, DIR/l a
 * symlink to TARGET; DIR/f a harmless file, DIR/fl a link to TARGET_FILE. */
static void setup(const char *dir, const char *target, const char *target_file)
{
	char p[PATH_MAX];

	mkdir(dir, 0755);
	snprintf(p, sizeof(p), "%s/d", dir);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/d/ptroot-escape-secret", dir);
	write_file(p, "harmless");
	snprintf(p, sizeof(p), "%s/l", dir);
	symlink(target, p);
	snprintf(p, sizeof(p), "%s/f", dir);
	write_file(p, "harmless");
	snprintf(p, sizeof(p), "%s/fl", dir);
	symlink(target_file, p);
}

int main(int argc, char **argv)
{
	char p[PATH_MAX];

	if (argc < 2) {
		say("escape-race: run by tests/integration/escape.t (HOSTDIR [ITERATIONS])");
		return 0;
	}
	const char *hdir = argv[1];
	int iters = argc > 2 ? atoi(argv[2]) : 20000;
	alarm(300);
	scratch("/tmp/escrace");

	/* Relative links: on the host, ../../../.. from ROOT/tmp/escrace/rel is the
	 * directory that holds ROOT and the marker; in the guest it is "/". */
	setup("/tmp/escrace/rel", "../../../..", "../../../../ptroot-escape-secret");
	chdir("/tmp/escrace/rel");
	race("dir-vs-relative-link, relative path", "d", "l", "d/ptroot-escape-secret", iters);
	race("dir-vs-relative-link, absolute path", "/tmp/escrace/rel/d", "/tmp/escrace/rel/l",
	     "/tmp/escrace/rel/d/ptroot-escape-secret", iters);
	race("file-vs-relative-link", "f", "fl", "f", iters);

	/* Absolute links to the host directory of the marker. */
	snprintf(p, sizeof(p), "%s/ptroot-escape-secret", hdir);
	setup("/tmp/escrace/abs", hdir, p);
	chdir("/tmp/escrace/abs");
	race("dir-vs-absolute-link, relative path", "d", "l", "d/ptroot-escape-secret", iters);
	race("dir-vs-absolute-link, absolute path", "/tmp/escrace/abs/d", "/tmp/escrace/abs/l",
	     "/tmp/escrace/abs/d/ptroot-escape-secret", iters);
	race("file-vs-absolute-link", "f", "fl", "f", iters);

	/* In a binding: ".." of the binding's host directory holds the marker. */
	rm_rf("/mnt/bind/race");
	setup("/mnt/bind/race", "../..", "../../ptroot-escape-secret");
	chdir("/mnt/bind/race");
	race("binding: dir-vs-link, relative path", "d", "l", "d/ptroot-escape-secret", iters);
	race("binding: dir-vs-link, absolute path", "/mnt/bind/race/d", "/mnt/bind/race/l",
	     "/mnt/bind/race/d/ptroot-escape-secret", iters);
	race("binding: file-vs-link", "f", "fl", "f", iters);
	chdir("/");
	rm_rf("/mnt/bind/race");
	say("done");
	return 0;
}
