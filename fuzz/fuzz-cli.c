/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the command-line parser, cli_parse(). The input is
 * split on NUL bytes into argv[1..] (argv[0] is "ptroot"). Checks the
 * contract of cli.h, that parsing is deterministic, and that a Config
 * printed back as options parses to the same Config. */

#include "cli/cli.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 64

/* Where a failed check is told: the real stderr, saved before libFuzzer
 * points fd 2 at /dev/null (see LLVMFuzzerInitialize). */
static int check_fd = STDERR_FILENO;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			dprintf(check_fd, "fuzz-cli: %s:%d: check failed: %s\n", \
				__FILE__, __LINE__, #cond);                  \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char verbose_env[64];

/* VALUE NULL: no PTROOT_VERBOSE in the environment. */
static void set_verbose_env(const char *value)
{
	if (value)
		snprintf(verbose_env, sizeof(verbose_env), "PTROOT_VERBOSE=%.40s", value);
	else
		snprintf(verbose_env, sizeof(verbose_env), "PTROOT_VERBOSE_UNSET=");
}

/* cli_parse() prints help on fd 1 and errors on fd 2. Sending fd 1 to
 * /dev/null is ours to do; fd 2 is also where libFuzzer prints its progress
 * and where the sanitizers report, so it is libFuzzer that must move it:
 * -close_fd_mask=2 makes it keep a duplicate of fd 2 for itself and for the
 * sanitizer reports before it points fd 2 at /dev/null. The flag is put
 * first, so that one given on the command line (later) still wins. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char mask[] = "-close_fd_mask=2";
	static char *args[1024];
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (fd >= 0)
		check_fd = fd;
	if (*argc + 2 <= (int)ARRAY_SIZE(args)) {
		args[0] = (*argv)[0];
		args[1] = mask;
		for (int i = 1; i < *argc; i++)
			args[i + 1] = (*argv)[i];
		args[++*argc] = NULL;
		*argv = args;
	}
	/* -R expands $HOME: make it the same on every machine. */
	setenv("HOME", "/home/fuzz", 1);
	/* setenv() keeps every value it was ever given: our own entry in
	 * environ is rewritten instead, as PTROOT_VERBOSE or a name no one
	 * reads. */
	set_verbose_env(NULL);
	putenv(verbose_env);
	return 0;
}

static bool str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool config_eq(const Config *a, const Config *b)
{
	if (!str_eq(a->rootfs, b->rootfs) || !str_eq(a->cwd, b->cwd) ||
	    !str_eq(a->qemu, b->qemu) || a->verbose != b->verbose ||
	    a->kill_on_exit != b->kill_on_exit || a->fake_root != b->fake_root ||
	    a->n_binds != b->n_binds || a->argc != b->argc ||
	    !a->argv != !b->argv)
		return false;
	for (size_t i = 0; i < a->n_binds; i++) {
		const BindSpec *x = &a->binds[i], *y = &b->binds[i];

		if (!str_eq(x->host, y->host) || !str_eq(x->guest, y->guest) ||
		    x->nofollow != y->nofollow || x->optional != y->optional)
			return false;
	}
	for (int i = 0; i < a->argc; i++)
		if (!str_eq(a->argv[i], b->argv[i]))
			return false;
	return true;
}

static bool config_is_zero(const Config *c)
{
	return !c->rootfs && !c->binds && !c->n_binds && !c->cwd && !c->verbose &&
	       !c->kill_on_exit && !c->qemu && !c->fake_root && !c->argv && !c->argc;
}

/* The contract of a successful parse. ARGV is what was parsed. */
static void check_config(const Config *c, int argc, char **argv)
{
	bool optional = false;

	CHECK(!c->rootfs || c->rootfs[0]);
	CHECK(!c->cwd || c->cwd[0]);
	CHECK(!c->qemu || c->qemu[0]);
	CHECK(!c->n_binds == !c->binds);
	for (size_t i = 0; i < c->n_binds; i++) {
		const BindSpec *b = &c->binds[i];

		CHECK(b->host && b->host[0]);
		CHECK(!b->guest || b->guest[0]);
		if (b->optional) {
			/* -R/-S: a whole host path, no guest, after a rootfs */
			CHECK(!b->guest && !b->nofollow && c->rootfs);
			optional = true;
		} else {
			/* HOST ends at the first ':' */
			CHECK(!strchr(b->host, ':'));
			CHECK(!b->nofollow || b->guest);
		}
	}
	if (optional)
		CHECK(c->rootfs);
	/* The command is the tail of ARGV, copied. */
	CHECK(c->argc >= 0 && c->argc < argc);
	CHECK(!c->argc == !c->argv);
	if (c->argv) {
		CHECK(c->argv[c->argc] == NULL);
		for (int i = 0; i < c->argc; i++) {
			CHECK(c->argv[i] != argv[argc - c->argc + i]);
			CHECK(strcmp(c->argv[i], argv[argc - c->argc + i]) == 0);
		}
	}
}

/* Print C back as a command line; NULL when it cannot be (the optional
 * bindings of -R/-S have no option of their own). */
static char **unparse(const Config *c, int *ret_argc)
{
	size_t max = 16 + c->n_binds * 2 + (size_t)c->argc;
	char **v = calloc(max, sizeof(*v));
	int n = 0;
	bool ok = true;

	CHECK(v);
	for (size_t i = 0; i < c->n_binds; i++)
		if (c->binds[i].optional)
			ok = false;
	if (!ok) {
		free(v);
		return NULL;
	}
#define ADD(...) CHECK(asprintf(&v[n++], __VA_ARGS__) >= 0)
	ADD("ptroot");
	if (c->rootfs)
		ADD("--rootfs=%s", c->rootfs);
	if (c->cwd)
		ADD("-w");
	if (c->cwd)
		ADD("%s", c->cwd);
	for (size_t i = 0; i < c->n_binds; i++) {
		const BindSpec *b = &c->binds[i];

		if (b->guest)
			ADD("-b%s:%s%s", b->host, b->guest, b->nofollow ? "!" : "");
		else
			ADD("--bind=%s", b->host);
	}
	if (c->qemu)
		ADD("--qemu=%s", c->qemu);
	if (c->kill_on_exit)
		ADD("--kill-on-exit");
	ADD("--verbose=%d", c->verbose);
	if (c->fake_root)
		ADD("-0");
	ADD("--");
	for (int i = 0; i < c->argc; i++)
		ADD("%s", c->argv[i]);
#undef ADD
	*ret_argc = n;
	return v;
}

static void free_argv(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2];
	char *buf = malloc(size + 1);
	Config c, d;
	int argc = 1, r, r2;
	size_t start = 0;

	CHECK(buf);
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "ptroot";
	for (size_t i = 0; i <= size && argc <= MAX_ARGS; i++) {
		if (buf[i] != '\0')
			continue;
		/* a trailing NUL does not start one more, empty, argument */
		if (i == size && start == size && size > 0)
			break;
		argv[argc++] = buf + start;
		start = i + 1;
	}
	argv[argc] = NULL;

	/* "PTROOT_VERBOSE=N" first: the environment's default level. */
	if (strncmp(argv[1], "PTROOT_VERBOSE=", 15) == 0) {
		set_verbose_env(argv[1] + 15);
		argv[1] = "ptroot";
		r = cli_parse(argc - 1, argv + 1, &c);
		r2 = cli_parse(argc - 1, argv + 1, &d);
		set_verbose_env(NULL);
		if (r == 0)
			check_config(&c, argc - 1, argv + 1);
	} else {
		r = cli_parse(argc, argv, &c);
		r2 = cli_parse(argc, argv, &d);
		if (r == 0)
			check_config(&c, argc, argv);
	}

	CHECK(r == 0 || r == 1 || r == -EINVAL || r == -ENOTSUP);
	CHECK(r == r2 && config_eq(&c, &d));
	if (r != 0) {
		CHECK(config_is_zero(&c));
	} else {
		int n;
		char **v = unparse(&c, &n);

		if (v) {
			Config e;

			r = cli_parse(n, v, &e);
			CHECK(r == 0);
			CHECK(config_eq(&c, &e));
			config_free(&e);
			free_argv(v, n);
		}
	}
	config_free(&c);
	config_free(&d);
	CHECK(config_is_zero(&c));
	free(buf);
	return 0;
}
