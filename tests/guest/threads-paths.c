/* SPDX-License-Identifier: MIT */
/* Many threads doing path syscalls at the same time, each in its own
 * directory: every answer must be right (the tracer handles concurrent stops
 * of one process), then a thread chdir is seen by all (shared cwd). */
#include "guest.h"
#include <pthread.h>

#define THREADS 8
#define ROUNDS 200

static int errors[THREADS];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	char dir[64], file[96], link[96], buf[PATH_MAX];

	snprintf(dir, sizeof(dir), "/tmp/threadspaths/t%d", id);
	mkdir(dir, 0755);
	for (int i = 0; i < ROUNDS; i++) {
		struct stat st;
		snprintf(file, sizeof(file), "%s/f%d", dir, i % 10);
		snprintf(link, sizeof(link), "%s/l%d", dir, i % 10);
		int fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || write(fd, dir, strlen(dir)) != (ssize_t)strlen(dir))
			errors[id]++;
		close(fd);
		if (stat(file, &st) < 0 || st.st_size != (off_t)strlen(dir))
			errors[id]++;
		unlink(link);
		if (symlink(file, link) < 0)
			errors[id]++;
		ssize_t n = readlink(link, buf, sizeof(buf));
		if (n != (ssize_t)strlen(file) || memcmp(buf, file, n))
			errors[id]++;
		if (access(link, R_OK) < 0)
			errors[id]++;
	}
	return NULL;
}

static void *mover(void *arg)
{
	chdir("/tmp/threadspaths/t3");
	return arg;
}

int main(void)
{
	pthread_t t[THREADS];
	int total = 0;

	scratch("/tmp/threadspaths");
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total += errors[i];
	}
	say("%d threads x %d rounds, wrong answers: %d", THREADS, ROUNDS, total);
	pthread_t m;
	pthread_create(&m, NULL, mover, NULL);
	pthread_join(m, NULL);
	show_cwd();
	show_file("f0");
	return guest_exit();
}
