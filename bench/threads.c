// SPDX-License-Identifier: MIT
// Workload 7 of the benchmark: many threads doing file syscalls at once.
// Each thread stats, opens, closes and readlinks a fixed list of guest paths
// (symlinks, missing names, names relative to a directory descriptor) many
// times, and folds what the kernel answered into a checksum.  The checksum
// is printed, so every launcher must give the same answers to the same calls.
// Built static on the host: it needs nothing from the guest.
//
// usage: threads [NTHREADS [ITERATIONS]]   (default 8 threads, 300 iterations)

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

// Absolute guest paths.  Several go through symlinks (/bin -> usr/bin,
// /lib64, the alternatives), one does not exist, one climbs with "..".
static const char *const paths[] = {
	"/etc/passwd",
	"/bin/sh",
	"/usr/bin/cc",
	"/usr/bin/gcc",
	"/lib64/ld-linux-x86-64.so.2",
	"/usr/include/stdio.h",
	"/usr/lib/x86_64-linux-gnu/libc.so.6",
	"/usr/share/doc/../../bin/make",
	"/usr/share/no/such/file",
};
#define NPATHS (sizeof(paths) / sizeof(paths[0]))

// Names relative to a descriptor of /usr/include.
static const char *const relnames[] = { "stdio.h", "sys/stat.h", "linux", "missing.h" };
#define NRELNAMES (sizeof(relnames) / sizeof(relnames[0]))

static long iterations = 300;

// fold: FNV-1a over a few bytes, the checksum of one thread's answers.
static uint64_t fold(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

static uint64_t fold_int(uint64_t h, long v)
{
	return fold(h, &v, sizeof(v));
}

// fold_stat: what the launcher must reproduce: the result, or the errno,
// and the fields that do not change between runs.
static uint64_t fold_stat(uint64_t h, int r, const struct stat *st)
{
	if (r < 0)
		return fold_int(h, -errno);
	h = fold_int(h, (long)st->st_mode);
	h = fold_int(h, (long)st->st_size);
	return fold_int(h, (long)st->st_nlink);
}

static void *worker(void *arg)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char buf[4096];
	struct stat st;
	int dir = open("/usr/include", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dir < 0) {
		perror("threads: /usr/include");
		exit(1);
	}
	for (long i = 0; i < iterations; i++) {
		for (size_t p = 0; p < NPATHS; p++) {
			h = fold_stat(h, stat(paths[p], &st), &st);
			h = fold_stat(h, lstat(paths[p], &st), &st);
			int fd = open(paths[p], O_RDONLY | O_CLOEXEC);
			h = fold_int(h, fd < 0 ? -errno : 0);
			if (fd >= 0)
				close(fd);
			ssize_t n = readlink(paths[p], buf, sizeof(buf));
			h = n < 0 ? fold_int(h, -errno) : fold(h, buf, (size_t)n);
		}
		for (size_t r = 0; r < NRELNAMES; r++) {
			h = fold_stat(h, fstatat(dir, relnames[r], &st, AT_SYMLINK_NOFOLLOW), &st);
			int fd = openat(dir, relnames[r], O_RDONLY | O_CLOEXEC);
			h = fold_int(h, fd < 0 ? -errno : 0);
			if (fd >= 0)
				close(fd);
		}
	}
	close(dir);
	*(uint64_t *)arg = h;
	return NULL;
}

int main(int argc, char **argv)
{
	long nthreads = argc > 1 ? atol(argv[1]) : 8;
	if (argc > 2)
		iterations = atol(argv[2]);
	if (nthreads < 1 || nthreads > 1024 || iterations < 1) {
		fprintf(stderr, "usage: threads [NTHREADS [ITERATIONS]]\n");
		return 2;
	}

	pthread_t *tid = calloc((size_t)nthreads, sizeof(*tid));
	uint64_t *sum = calloc((size_t)nthreads, sizeof(*sum));
	if (!tid || !sum)
		return 1;
	for (long t = 0; t < nthreads; t++) {
		int e = pthread_create(&tid[t], NULL, worker, &sum[t]);
		if (e) {
			fprintf(stderr, "threads: pthread_create: %s\n", strerror(e));
			return 1;
		}
	}
	// Every thread does the same calls, so all must agree: one checksum.
	for (long t = 0; t < nthreads; t++) {
		pthread_join(tid[t], NULL);
		if (sum[t] != sum[0]) {
			fprintf(stderr, "threads: thread %ld saw different answers\n", t);
			return 1;
		}
	}
	unsigned long calls = (unsigned long)nthreads * (unsigned long)iterations *
			      (NPATHS * 4 + NRELNAMES * 2);
	printf("threads %ld, iterations %ld, about %lu file syscalls, checksum %016llx\n",
	       nthreads, iterations, calls, (unsigned long long)sum[0]);
	free(tid);
	free(sum);
	return 0;
}
