/* SPDX-License-Identifier: MIT */
/* Unit tests of the command line parser (src/cli/cli.c): one table of argv
 * vectors with the Config or the error each must give. stdout and stderr are
 * captured around every call to check what was printed. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "tap.h"

#define HOME "/home/tester"

/* PRoot's -R list as ptroot expands it for "-R /g" with HOME set. */
#define R_BINDS                                                              \
	"/etc/host.conf? /etc/hosts? /etc/hosts.equiv? /etc/mtab? "          \
	"/etc/netgroup? /etc/networks? /etc/passwd? /etc/group? "            \
	"/etc/nsswitch.conf? /etc/resolv.conf? /etc/localtime? /dev/? "      \
	"/sys/? /proc/? /tmp/? /run/? /var/run/dbus/system_bus_socket? "
/* PRoot's -S list, likewise. */
#define S_BINDS                                                              \
	"/etc/host.conf? /etc/hosts? /etc/nsswitch.conf? /etc/resolv.conf? " \
	"/dev/? /sys/? /proc/? /tmp/? /run/shm? "

enum want { OK = 0, EXIT = 1, ERR = -1 };

struct tcase {
	const char *name;
	const char *argv[20];   /* without argv[0]; NULL-terminated */
	enum want ret;
	/* For OK: the expected Config (strings NULL = field NULL). */
	const char *rootfs, *cwd, *qemu;
	int verbose;
	bool kill_on_exit, fake_root;
	/* Bindings rendered "HOST[=GUEST][!][?]" ('!' nofollow, '?' optional),
	 * separated by spaces; NULL = no binding. */
	const char *binds;
	/* The command joined with spaces; NULL = Config.argv is NULL. */
	const char *cmd;
	/* For ERR: a substring of the one stderr line; for EXIT: of stdout. */
	const char *msg;
	const char *env_verbose; /* PTROOT_VERBOSE for this case, NULL = unset */
	bool no_home;            /* run with HOME unset */
};

static const struct tcase cases[] = {
	{ "no arguments", { NULL }, .ret = OK },
	{ "command only", { "ls", "-l", NULL }, OK, .cmd = "ls -l" },
	/* -r in its four forms */
	{ "-r separate", { "-r", "/g", "ls", NULL }, OK, .rootfs = "/g", .cmd = "ls" },
	{ "-r glued", { "-r/g", "ls", NULL }, OK, .rootfs = "/g", .cmd = "ls" },
	{ "--rootfs=", { "--rootfs=/g", "ls", NULL }, OK, .rootfs = "/g", .cmd = "ls" },
	{ "--rootfs space", { "--rootfs", "/g", NULL }, OK, .rootfs = "/g" },
	{ "-r repeated: last wins", { "-r", "/a", "--rootfs=/b", "-r/c", NULL }, OK,
	  .rootfs = "/c" },
	{ "-r value starting with '-'", { "-r", "-x", NULL }, OK, .rootfs = "-x" },
	/* -b / -m */
	{ "-b host only", { "-b", "/h", NULL }, OK, .binds = "/h" },
	{ "-b host:guest", { "-b", "/h:/g", NULL }, OK, .binds = "/h=/g" },
	{ "-b glued", { "-b/h:/g", NULL }, OK, .binds = "/h=/g" },
	{ "--bind=", { "--bind=/h:/g", NULL }, OK, .binds = "/h=/g" },
	{ "--bind space", { "--bind", "/h", NULL }, OK, .binds = "/h" },
	{ "-m alias", { "-m", "/h:/g", NULL }, OK, .binds = "/h=/g" },
	{ "--mount alias", { "--mount=/h", NULL }, OK, .binds = "/h" },
	{ "-b guest with '!'", { "-b", "/h:/g!", NULL }, OK, .binds = "/h=/g!" },
	{ "-b splits at the first ':'", { "-b", "/h:/g:x", NULL }, OK,
	  .binds = "/h=/g:x" },
	{ "-b relative paths kept as given", { "-b", ".:x", NULL }, OK,
	  .binds = ".=x" },
	{ "-b order kept", { "-b", "/1", "-m/2:/b", "--bind=/3:/c!", "-b", "/4", NULL },
	  OK, .binds = "/1 /2=/b /3=/c! /4" },
	/* -w */
	{ "-w", { "-w", "/tmp", NULL }, OK, .cwd = "/tmp" },
	{ "-w glued", { "-wsub", NULL }, OK, .cwd = "sub" },
	{ "--cwd=", { "--cwd=/x", NULL }, OK, .cwd = "/x" },
	{ "--pwd space", { "--pwd", "/y", NULL }, OK, .cwd = "/y" },
	/* -v */
	{ "-v N", { "-v", "3", NULL }, OK, .verbose = 3 },
	{ "-vN", { "-v2", NULL }, OK, .verbose = 2 },
	{ "--verbose=N", { "--verbose=4", NULL }, OK, .verbose = 4 },
	{ "--verbose space", { "--verbose", "5", "true", NULL }, OK, .verbose = 5,
	  .cmd = "true" },
	{ "-v negative", { "-v", "-1", NULL }, OK, .verbose = -1 },
	{ "PTROOT_VERBOSE", { NULL }, OK, .verbose = 7, .env_verbose = "7" },
	{ "-v beats PTROOT_VERBOSE", { "-v", "1", NULL }, OK, .verbose = 1,
	  .env_verbose = "7" },
	{ "bad PTROOT_VERBOSE ignored", { NULL }, OK, .env_verbose = "lots" },
	/* others */
	{ "--kill-on-exit", { "--kill-on-exit", "sh", NULL }, OK, .kill_on_exit = true,
	  .cmd = "sh" },
	{ "-q", { "-q", "qemu-arm -cpu max", NULL }, OK, .qemu = "qemu-arm -cpu max" },
	{ "--qemu=", { "--qemu=qemu-aarch64", NULL }, OK, .qemu = "qemu-aarch64" },
	{ "-0", { "-0", NULL }, OK, .fake_root = true },
	{ "--root-id", { "--root-id", NULL }, OK, .fake_root = true },
	/* -R / -S */
	{ "-R", { "-R", "/g", NULL }, OK, .rootfs = "/g",
	  .binds = R_BINDS HOME "? /g?" },
	{ "-R glued, then -b after", { "-R/g", "-b", "/h:/etc/hosts", "id", NULL }, OK,
	  .rootfs = "/g", .binds = R_BINDS HOME "? /g? /h=/etc/hosts", .cmd = "id" },
	{ "-b before -R keeps its place", { "-b", "/h", "-R", "/g", NULL }, OK,
	  .rootfs = "/g", .binds = "/h " R_BINDS HOME "? /g?" },
	{ "-R without HOME", { "-R", "/g", NULL }, OK, .rootfs = "/g",
	  .binds = R_BINDS "/g?", .no_home = true },
	{ "-S", { "-S", "/g", NULL }, OK, .rootfs = "/g", .fake_root = true,
	  .binds = S_BINDS HOME "? /g?" },
	{ "-r after -R wins for rootfs", { "-R", "/g", "-r", "/other", NULL }, OK,
	  .rootfs = "/other", .binds = R_BINDS HOME "? /g?" },
	/* end of options */
	{ "-- ends options", { "-r", "/g", "--", "-r", "x", NULL }, OK, .rootfs = "/g",
	  .cmd = "-r x" },
	{ "-- alone", { "--", NULL }, .ret = OK },
	{ "command keeps its options", { "-r", "/g", "ls", "-l", "-r", "--", "-b", NULL },
	  OK, .rootfs = "/g", .cmd = "ls -l -r -- -b" },
	{ "no permutation", { "ls", "-r", "/g", NULL }, OK, .cmd = "ls -r /g" },
	/* help and version */
	{ "-V", { "-V", NULL }, EXIT, .msg = "ptroot 0.1.0\n" },
	{ "--version", { "--version", "ls", NULL }, EXIT, .msg = "ptroot 0.1.0\n" },
	{ "--about", { "--about", NULL }, EXIT, .msg = "ptroot 0.1.0\n" },
	{ "-h", { "-h", NULL }, EXIT, .msg = "Usage: ptroot" },
	{ "--help", { "--help", NULL }, EXIT, .msg = "--rootfs=DIR" },
	{ "--usage", { "--usage", NULL }, EXIT, .msg = "-R DIR" },
	{ "-h stops parsing", { "-h", "--frob", NULL }, EXIT, .msg = "Usage:" },
	/* errors */
	{ "unknown long option", { "--frob", NULL }, ERR,
	  .msg = "ptroot: unknown option '--frob' (see 'ptroot --help')\n" },
	{ "unknown long option with value", { "--frob=1", NULL }, ERR,
	  .msg = "unknown option '--frob'" },
	{ "unknown short option", { "-x", NULL }, ERR, .msg = "unknown option '-x'" },
	{ "lone '-'", { "-", NULL }, ERR, .msg = "unknown option '-'" },
	{ "prefix of a long option", { "--root", "/g", NULL }, ERR,
	  .msg = "unknown option '--root'" },
	{ "error before -h", { "--frob", "-h", NULL }, ERR, .msg = "'--frob'" },
	{ "-r missing argument", { "-r", NULL }, ERR,
	  .msg = "ptroot: option '-r' needs an argument\n" },
	{ "--rootfs missing argument", { "--rootfs", NULL }, ERR,
	  .msg = "option '--rootfs' needs an argument" },
	{ "-b missing argument", { "-b", NULL }, ERR, .msg = "option '-b' needs" },
	{ "-v missing argument", { "-v", NULL }, ERR, .msg = "option '-v' needs" },
	{ "-v bad level", { "-v", "x", NULL }, ERR,
	  .msg = "ptroot: bad verbosity level 'x'\n" },
	{ "-v is not a flag", { "-v", "ls", NULL }, ERR,
	  .msg = "bad verbosity level 'ls'" },
	{ "-v trailing garbage", { "--verbose=2x", NULL }, ERR,
	  .msg = "bad verbosity level '2x'" },
	{ "-v overflow", { "-v", "99999999999", NULL }, ERR,
	  .msg = "bad verbosity level" },
	{ "-b empty host", { "-b", ":/g", NULL }, ERR,
	  .msg = "bad binding ':/g': empty host path" },
	{ "-b empty guest", { "-b", "/h:", NULL }, ERR,
	  .msg = "bad binding '/h:': empty guest path" },
	{ "-b guest only '!'", { "-b", "/h:!", NULL }, ERR, .msg = "empty guest path" },
	{ "-r empty", { "--rootfs=", NULL }, ERR,
	  .msg = "option '--rootfs' needs a non-empty argument" },
	{ "-w empty", { "-w", "", NULL }, ERR, .msg = "option '-w' needs a non-empty" },
	{ "flag with a value", { "--kill-on-exit=1", NULL }, ERR,
	  .msg = "option '--kill-on-exit' takes no argument" },
	{ "short flag with glued text", { "-0v", NULL }, ERR,
	  .msg = "option '-0' takes no argument" },
	{ "unsupported -k", { "-k", "3.2", "ls", NULL }, ERR,
	  .msg = "ptroot: option '-k' is not supported yet\n" },
	{ "unsupported -k glued", { "-k5.4", NULL }, ERR,
	  .msg = "option '-k' is not supported yet" },
	{ "unsupported --kernel-release=", { "--kernel-release=5.4", NULL }, ERR,
	  .msg = "option '--kernel-release' is not supported yet" },
	{ "unsupported -i", { "-i", "1000:1000", NULL }, ERR,
	  .msg = "option '-i' is not supported yet" },
	{ "unsupported --change-id", { "--change-id", "0:0", NULL }, ERR,
	  .msg = "option '--change-id' is not supported yet" },
	{ "unsupported -p", { "-p", "80:8080", NULL }, ERR,
	  .msg = "option '-p' is not supported yet" },
	{ "unsupported -n", { "-n", NULL }, ERR, .msg = "option '-n' is not supported" },
	{ "unsupported --netcoop", { "--netcoop", NULL }, ERR,
	  .msg = "option '--netcoop' is not supported" },
	{ "unsupported -l", { "-l", NULL }, ERR, .msg = "option '-l' is not supported" },
	{ "unsupported --link2symlink", { "--link2symlink", NULL }, ERR,
	  .msg = "option '--link2symlink' is not supported" },
	{ "unsupported --sysvipc", { "--sysvipc", NULL }, ERR,
	  .msg = "option '--sysvipc' is not supported" },
	{ "unsupported after valid ones", { "-r", "/g", "-b", "/h", "-L", NULL }, ERR,
	  .msg = "option '-L' is not supported" },
};

/* ---- capture of stdout and stderr around one call ---- */

struct capture {
	FILE *out, *err;
	int saved_out, saved_err;
};

static void capture_start(struct capture *c)
{
	fflush(stdout);
	fflush(stderr);
	c->out = tmpfile();
	c->err = tmpfile();
	if (!c->out || !c->err) {
		perror("tmpfile");
		exit(2);
	}
	c->saved_out = dup(1);
	c->saved_err = dup(2);
	dup2(fileno(c->out), 1);
	dup2(fileno(c->err), 2);
}

static char *slurp(FILE *f)
{
	long n;
	char *s;

	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	s = calloc(1, n + 1);
	if (!s || fread(s, 1, n, f) != (size_t)n) {
		perror("read capture");
		exit(2);
	}
	fclose(f);
	return s;
}

static void capture_end(struct capture *c, char **out, char **err)
{
	fflush(stdout);
	fflush(stderr);
	dup2(c->saved_out, 1);
	dup2(c->saved_err, 2);
	close(c->saved_out);
	close(c->saved_err);
	*out = slurp(c->out);
	*err = slurp(c->err);
}

/* ---- rendering a Config for comparison ---- */

static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
}

static const char *render_binds(const Config *c, char *buf, size_t size)
{
	buf[0] = '\0';
	if (c->n_binds == 0)
		return NULL;
	for (size_t i = 0; i < c->n_binds; i++) {
		const BindSpec *b = &c->binds[i];

		append(buf, size, "%s%s%s%s%s%s", i ? " " : "", b->host,
		       b->guest ? "=" : "", b->guest ? b->guest : "",
		       b->nofollow ? "!" : "", b->optional ? "?" : "");
	}
	return buf;
}

static const char *render_cmd(const Config *c, char *buf, size_t size)
{
	buf[0] = '\0';
	if (!c->argv)
		return NULL;
	for (int i = 0; i < c->argc; i++)
		append(buf, size, "%s%s", i ? " " : "", c->argv[i]);
	return buf;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void run_case(const struct tcase *t)
{
	char *argv[ARRAY_SIZE(t->argv) + 1];
	char buf[2048];
	struct capture cap;
	char *out, *err;
	Config c;
	int argc = 0, r;

	argv[argc++] = "ptroot";
	for (size_t i = 0; t->argv[i]; i++)
		argv[argc++] = (char *)t->argv[i];
	argv[argc] = NULL;

	if (t->env_verbose)
		setenv("PTROOT_VERBOSE", t->env_verbose, 1);
	if (t->no_home)
		unsetenv("HOME");

	memset(&c, 0x5a, sizeof(c)); /* cli_parse must zero it */
	capture_start(&cap);
	r = cli_parse(argc, argv, &c);
	capture_end(&cap, &out, &err);

	unsetenv("PTROOT_VERBOSE");
	setenv("HOME", HOME, 1);

	switch (t->ret) {
	case OK:
		TAP_EQ_INT(r, 0, "%s: returns 0", t->name);
		TAP_EQ_STR(err, "", "%s: nothing on stderr", t->name);
		TAP_EQ_STR(out, "", "%s: nothing on stdout", t->name);
		if (r != 0)
			break;
		TAP_EQ_STR(c.rootfs, t->rootfs, "%s: rootfs", t->name);
		TAP_EQ_STR(c.cwd, t->cwd, "%s: cwd", t->name);
		TAP_EQ_STR(c.qemu, t->qemu, "%s: qemu", t->name);
		TAP_EQ_INT(c.verbose, t->verbose, "%s: verbose", t->name);
		TAP_EQ_INT(c.kill_on_exit, t->kill_on_exit, "%s: kill_on_exit", t->name);
		TAP_EQ_INT(c.fake_root, t->fake_root, "%s: fake_root", t->name);
		TAP_EQ_STR(render_binds(&c, buf, sizeof(buf)), t->binds, "%s: binds",
			   t->name);
		TAP_EQ_STR(render_cmd(&c, buf, sizeof(buf)), t->cmd, "%s: command",
			   t->name);
		if (c.argv)
			TAP_OK(c.argv[c.argc] == NULL, "%s: argv NULL-terminated", t->name);
		break;
	case EXIT:
		TAP_EQ_INT(r, 1, "%s: returns 1", t->name);
		TAP_EQ_STR(err, "", "%s: nothing on stderr", t->name);
		TAP_OK(strstr(out, t->msg), "%s: expected text on stdout", t->name);
		break;
	case ERR:
		TAP_OK(r < 0, "%s: returns < 0 (got %d)", t->name, r);
		TAP_EQ_STR(out, "", "%s: nothing on stdout", t->name);
		TAP_OK(strncmp(err, "ptroot: ", 8) == 0 && count_lines(err) == 1 &&
			       err[strlen(err) - 1] == '\n',
		       "%s: one 'ptroot: ' line on stderr", t->name);
		TAP_OK(strstr(err, t->msg), "%s: expected message on stderr", t->name);
		if (!strstr(err, t->msg))
			printf("#   stderr: %s", err);
		break;
	}
	if (r != 0) {
		/* Nothing left behind on error or exit. */
		TAP_OK(!c.rootfs && !c.binds && !c.n_binds && !c.argv && !c.cwd &&
			       !c.qemu,
		       "%s: Config zeroed", t->name);
	}
	config_free(&c);
	config_free(&c); /* no-op on a zeroed Config */
	free(out);
	free(err);
}

/* --help: every option of the table appears; lines fit in 80 columns. */
static void test_help_text(void)
{
	static const char *const musts[] = {
		"-r, --rootfs=DIR", "-b, -m, --bind, --mount=HOST[:GUEST]",
		"-w, --cwd, --pwd=DIR", "-v, --verbose=N", "-V, --version",
		"-h, --help, --usage", "--kill-on-exit", "-q, --qemu=COMMAND",
		"-R DIR", "-S DIR", "-0, --root-id", "-k, --kernel-release=STRING",
		"-i, --change-id=UID:GID", "/var/run/dbus/system_bus_socket",
		"/run/shm", "$HOME", "PTROOT_VERBOSE", "not implemented yet",
	};
	char *argv[] = { "ptroot", "--help", NULL };
	struct capture cap;
	char *out, *err;
	size_t longest = 0;
	Config c;
	int r;

	capture_start(&cap);
	r = cli_parse(2, argv, &c);
	capture_end(&cap, &out, &err);
	TAP_EQ_INT(r, 1, "help: returns 1");
	for (size_t i = 0; i < ARRAY_SIZE(musts); i++)
		TAP_OK(strstr(out, musts[i]), "help mentions '%s'", musts[i]);
	for (const char *p = out; *p;) {
		size_t len = strcspn(p, "\n");

		if (len > longest)
			longest = len;
		p += len + (p[len] == '\n');
	}
	TAP_OK(longest <= 80, "help lines fit in 80 columns (longest %zu)", longest);
	TAP_OK(!strchr(out, '\t'), "help has no tabs");
	free(out);
	free(err);
}

/* argv NULL or argc 0: no command, no crash. */
static void test_degenerate(void)
{
	Config c;

	TAP_EQ_INT(cli_parse(0, NULL, &c), 0, "argv NULL: returns 0");
	TAP_OK(c.argv == NULL && c.argc == 0, "argv NULL: no command");
	config_free(&c);
	config_free(NULL);
	TAP_OK(1, "config_free(NULL) is harmless");
}

int main(void)
{
	setenv("HOME", HOME, 1);
	unsetenv("PTROOT_VERBOSE");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	test_help_text();
	test_degenerate();
	return tap_done();
}
