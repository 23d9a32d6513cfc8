/* SPDX-License-Identifier: MIT */
/* PRoot-compatible command line: one option table drives both the parser
 * and --help. Short options take their value glued or as the next argument,
 * long ones after '=' or as the next argument. Options stop at the first
 * non-option argument or at "--"; no file system checks are made here. */
#include "cli/cli.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"

const char ptroot_version[] = "ptroot 0.1.0";

/* PRoot's -R and -S bindings (src/cli/proot.h there: recommended_bindings
 * and recommended_su_bindings). "$NAME" is an environment variable (the
 * binding is skipped when it is unset or empty); "*path*" is the DIR given to
 * -R/-S itself, which PRoot also binds at its own path inside the guest. */
static const char *const recommended_binds[] = {
	"/etc/host.conf",
	"/etc/hosts",
	"/etc/hosts.equiv",
	"/etc/mtab",
	"/etc/netgroup",
	"/etc/networks",
	"/etc/passwd",
	"/etc/group",
	"/etc/nsswitch.conf",
	"/etc/resolv.conf",
	"/etc/localtime",
	"/dev/",
	"/sys/",
	"/proc/",
	"/tmp/",
	"/run/",
	"/var/run/dbus/system_bus_socket",
	"$HOME",
	"*path*",
	NULL,
};

static const char *const packaging_binds[] = {
	"/etc/host.conf",
	"/etc/hosts",
	"/etc/nsswitch.conf",
	"/etc/resolv.conf",
	"/dev/",
	"/sys/",
	"/proc/",
	"/tmp/",
	"/run/shm",
	"$HOME",
	"*path*",
	NULL,
};

enum opt_id {
	OPT_ROOTFS,
	OPT_BIND,
	OPT_CWD,
	OPT_QEMU,
	OPT_KILL_ON_EXIT,
	OPT_VERBOSE,
	OPT_VERSION,
	OPT_HELP,
	OPT_RECOMMENDED,
	OPT_PACKAGING,
	OPT_ROOT_ID,
	OPT_UNSUPPORTED,
};

enum opt_section {
	SEC_REGULAR,
	SEC_ALIAS,
	SEC_COMPAT,
	SEC_UNSUPPORTED,
	SEC_COUNT,
};

static const char *const section_titles[SEC_COUNT] = {
	[SEC_REGULAR] = "Options:",
	[SEC_ALIAS] = "Aliases:",
	[SEC_COMPAT] = "Accepted for compatibility, no effect yet:",
	[SEC_UNSUPPORTED] = "PRoot options not supported yet (rejected with an error):",
};

struct cli_option {
	/* Spellings, short ones first: "-x" or "--word"; NULL-terminated. */
	const char *names[5];
	/* Placeholder of the value in --help, NULL when there is none. */
	const char *arg;
	enum opt_id id;
	enum opt_section section;
	/* Lines separated by '\n', each at most 50 columns. */
	const char *help;
};

static const struct cli_option options[] = {
	{ { "-r", "--rootfs" }, "DIR", OPT_ROOTFS, SEC_REGULAR,
	  "Use DIR as the guest root file system (default:\n"
	  "the host's /). If repeated, the last one wins." },
	{ { "-b", "-m", "--bind", "--mount" }, "HOST[:GUEST]", OPT_BIND, SEC_REGULAR,
	  "Make the host path HOST visible at GUEST in the\n"
	  "guest (GUEST defaults to HOST). HOST ends at the\n"
	  "first ':'. A GUEST ending in '!' is not\n"
	  "dereferenced when it is a symbolic link (the '!'\n"
	  "is removed). May be repeated." },
	{ { "-w", "--cwd", "--pwd" }, "DIR", OPT_CWD, SEC_REGULAR,
	  "Start COMMAND in the guest directory DIR." },
	{ { "-q", "--qemu" }, "COMMAND", OPT_QEMU, SEC_REGULAR,
	  "Run guest programs through the QEMU user-mode\n"
	  "COMMAND (recorded; not implemented yet)." },
	{ { "--kill-on-exit" }, NULL, OPT_KILL_ON_EXIT, SEC_REGULAR,
	  "Kill the remaining guest processes when COMMAND\n"
	  "exits (default: wait for them)." },
	{ { "-v", "--verbose" }, "N", OPT_VERBOSE, SEC_REGULAR,
	  "Set the debug level to the integer N (default 0,\n"
	  "or $PTROOT_VERBOSE); higher prints more on stderr.\n"
	  "As in PRoot, N is required: '-v 1', not '-v'." },
	{ { "-V", "--version", "--about" }, NULL, OPT_VERSION, SEC_REGULAR,
	  "Print the version and exit." },
	{ { "-h", "--help", "--usage" }, NULL, OPT_HELP, SEC_REGULAR,
	  "Print this help and exit." },
	{ { "-R" }, "DIR", OPT_RECOMMENDED, SEC_ALIAS,
	  "-r DIR plus the recommended bindings below." },
	{ { "-S" }, "DIR", OPT_PACKAGING, SEC_ALIAS,
	  "-0 -r DIR plus the packaging bindings below\n"
	  "(fake root itself is not implemented yet)." },
	{ { "-0", "--root-id" }, NULL, OPT_ROOT_ID, SEC_COMPAT,
	  "Appear as root and fake its privileges (not\n"
	  "implemented yet: accepted and ignored)." },
	{ { "-k", "--kernel-release" }, "STRING", OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Report STRING as the kernel release." },
	{ { "-i", "--change-id" }, "UID:GID", OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Appear as user UID and group GID." },
	{ { "-p", "--port" }, "IN:OUT", OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Map the network port IN to OUT." },
	{ { "-n", "--netcoop" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Network cooperation mode." },
	{ { "-l", "--link2symlink" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Emulate hard links with symbolic links." },
	{ { "--mixed-mode" }, "MODE", OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Mixed host/guest execution mode." },
	{ { "-H" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Hide PRoot's own files (Termux's PRoot)." },
	{ { "-L" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Fix symbolic link sizes (Termux's PRoot)." },
	{ { "--sysvipc" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Emulate System V IPC (Termux's PRoot)." },
	{ { "--ashmem-memfd" }, NULL, OPT_UNSUPPORTED, SEC_UNSUPPORTED,
	  "Emulate ashmem with memfd (Termux's PRoot)." },
};

/* ---- help ---- */

#define HELP_COLUMN 30

static void print_option_help(const struct cli_option *o)
{
	char left[128];
	size_t n = 0;

	n += snprintf(left + n, sizeof(left) - n, "  ");
	for (size_t i = 0; i < ARRAY_SIZE(o->names) && o->names[i]; i++)
		n += snprintf(left + n, sizeof(left) - n, "%s%s", i ? ", " : "",
			      o->names[i]);
	if (o->arg) {
		/* "-r, --rootfs=DIR" but "-R DIR". */
		const char *last = o->names[0];

		for (size_t i = 1; i < ARRAY_SIZE(o->names) && o->names[i]; i++)
			last = o->names[i];
		snprintf(left + n, sizeof(left) - n, "%c%s",
			 last[1] == '-' ? '=' : ' ', o->arg);
	}

	fputs(left, stdout);
	n = strlen(left);
	if (n + 2 > HELP_COLUMN) {
		putchar('\n');
		n = 0;
	}
	for (const char *line = o->help; *line;) {
		size_t len = strcspn(line, "\n");

		printf("%*s%.*s\n", (int)(HELP_COLUMN - n), "", (int)len, line);
		n = 0;
		line += len;
		if (*line == '\n')
			line++;
	}
}

static void print_bind_list(const char *title, const char *const *list)
{
	size_t col;

	printf("\n%s\n ", title);
	col = 1;
	for (size_t i = 0; list[i]; i++) {
		const char *s = list[i];
		size_t len;

		if (strcmp(s, "*path*") == 0)
			s = "DIR itself";
		len = strlen(s) + 1;
		if (col + len > 78) {
			printf("\n ");
			col = 1;
		}
		printf(" %s", s);
		col += len;
	}
	putchar('\n');
}

#define BIND_NOTE " (each is skipped when missing on the host):"

static void print_help(void)
{
	printf("Usage: ptroot [OPTION]... [COMMAND [ARG]...]\n"
	       "Run COMMAND (default: a login shell) with a guest root file\n"
	       "system, without privileges (ptrace + seccomp). The command\n"
	       "line is compatible with PRoot's.\n");

	for (int sec = 0; sec < SEC_COUNT; sec++) {
		printf("\n%s\n", section_titles[sec]);
		for (size_t i = 0; i < ARRAY_SIZE(options); i++)
			if ((int)options[i].section == sec)
				print_option_help(&options[i]);
	}

	print_bind_list("Bindings added by -R" BIND_NOTE, recommended_binds);
	print_bind_list("Bindings added by -S" BIND_NOTE, packaging_binds);

	printf("\n"
	       "Short options take their value glued (-r/srv/guest) or as the\n"
	       "next argument (-r /srv/guest); long ones as --rootfs=DIR or\n"
	       "--rootfs DIR. Options end at the first argument that is not\n"
	       "one, or at '--': all that follows is COMMAND and its arguments.\n"
	       "\n"
	       "Environment:\n"
	       "  PTROOT_VERBOSE=N            default debug level (see -v)\n");
	fflush(stdout);
}

/* ---- parsing ---- */

static const struct cli_option *find_option(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		const struct cli_option *o = &options[i];

		for (size_t j = 0; j < ARRAY_SIZE(o->names) && o->names[j]; j++)
			if (strlen(o->names[j]) == len &&
			    strncmp(o->names[j], name, len) == 0)
				return o;
	}
	return NULL;
}

/* A whole decimal int, optionally signed. */
static bool parse_int(const char *s, int *ret)
{
	char *end;
	long v;

	if (!s || !*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < INT_MIN || v > INT_MAX)
		return false;
	*ret = (int)v;
	return true;
}

static int oom(void)
{
	log_error("out of memory");
	return -ENOMEM;
}

static int set_string(char **field, const char *value)
{
	char *s = strdup(value);

	if (!s)
		return oom();
	free(*field);
	*field = s;
	return 0;
}

/* Append a binding; takes HOST and GUEST (may be NULL) in every case. */
static int add_bind(Config *c, char *host, char *guest, bool nofollow,
		    bool optional)
{
	BindSpec *b;

	if (!host)
		goto fail;
	b = realloc(c->binds, (c->n_binds + 1) * sizeof(*b));
	if (!b)
		goto fail;
	c->binds = b;
	c->binds[c->n_binds++] = (BindSpec){
		.host = host,
		.guest = guest,
		.nofollow = nofollow,
		.optional = optional,
	};
	return 0;
fail:
	free(host);
	free(guest);
	return oom();
}

/* -b HOST[:GUEST]. As in PRoot, HOST ends at the first ':'. */
static int parse_bind(Config *c, const char *value)
{
	const char *colon = strchr(value, ':');
	size_t host_len = colon ? (size_t)(colon - value) : strlen(value);
	char *guest = NULL;
	bool nofollow = false;

	if (host_len == 0) {
		log_error("bad binding '%s': empty host path", value);
		return -EINVAL;
	}
	if (colon) {
		size_t len = strlen(colon + 1);

		if (len > 0 && colon[len] == '!') {
			nofollow = true;
			len--;
		}
		if (len == 0) {
			log_error("bad binding '%s': empty guest path", value);
			return -EINVAL;
		}
		guest = strndup(colon + 1, len);
		if (!guest)
			return oom();
	}
	return add_bind(c, strndup(value, host_len), guest, nofollow, false);
}

/* -R/-S DIR: the rootfs plus PRoot's optional bindings, at this position
 * of the command line so that later -b options come after them. */
static int add_alias_binds(Config *c, const char *const *list, const char *dir)
{
	int r = set_string(&c->rootfs, dir);

	for (size_t i = 0; r >= 0 && list[i]; i++) {
		const char *host = list[i];

		if (strcmp(host, "*path*") == 0) {
			host = dir;
		} else if (host[0] == '$') {
			host = getenv(host + 1);
			if (!host || !*host)
				continue;
		}
		r = add_bind(c, strdup(host), NULL, false, true);
	}
	return r;
}

static int apply_option(Config *c, const struct cli_option *o,
			const char *name, const char *value)
{
	switch (o->id) {
	case OPT_ROOTFS:
		return set_string(&c->rootfs, value);
	case OPT_BIND:
		return parse_bind(c, value);
	case OPT_CWD:
		return set_string(&c->cwd, value);
	case OPT_QEMU:
		return set_string(&c->qemu, value);
	case OPT_KILL_ON_EXIT:
		c->kill_on_exit = true;
		return 0;
	case OPT_VERBOSE:
		if (!parse_int(value, &c->verbose)) {
			log_error("bad verbosity level '%s'", value);
			return -EINVAL;
		}
		return 0;
	case OPT_VERSION:
		printf("%s\n", ptroot_version);
		fflush(stdout);
		return 1;
	case OPT_HELP:
		print_help();
		return 1;
	case OPT_RECOMMENDED:
		return add_alias_binds(c, recommended_binds, value);
	case OPT_PACKAGING:
		c->fake_root = true;
		return add_alias_binds(c, packaging_binds, value);
	case OPT_ROOT_ID:
		c->fake_root = true;
		return 0;
	case OPT_UNSUPPORTED:
		break;
	}
	log_error("option '%s' is not supported yet", name);
	return -ENOTSUP;
}

/* Parse the option at ARGV[*I]; may consume ARGV[*I + 1] as its value. */
static int parse_one(Config *c, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const struct cli_option *o;
	const char *value = NULL;
	char name[64];
	size_t len;

	if (arg[1] == '-') {
		/* --name, --name=VALUE or --name VALUE */
		const char *eq = strchr(arg, '=');

		len = eq ? (size_t)(eq - arg) : strlen(arg);
		if (eq)
			value = eq + 1;
	} else {
		/* -x, -xVALUE or -x VALUE */
		len = arg[1] ? 2 : 1;
		if (arg[1] && arg[2])
			value = arg + 2;
	}
	snprintf(name, sizeof(name), "%.*s%s", (int)(len < 40 ? len : 40), arg,
		 len < 40 ? "" : "...");

	o = find_option(arg, len);
	if (!o) {
		log_error("unknown option '%s' (see 'ptroot --help')",
			  arg[1] == '-' ? name : arg);
		return -EINVAL;
	}
	if (o->id == OPT_UNSUPPORTED)
		return apply_option(c, o, name, NULL);

	if (!o->arg && value) {
		log_error("option '%s' takes no argument (in '%s')", name, arg);
		return -EINVAL;
	}
	if (o->arg && !value) {
		/* The next argument is the value, even if it starts with '-'. */
		if (*i + 1 >= argc) {
			log_error("option '%s' needs an argument", name);
			return -EINVAL;
		}
		value = argv[++*i];
	}
	if (o->arg && !*value) {
		log_error("option '%s' needs a non-empty argument", name);
		return -EINVAL;
	}
	return apply_option(c, o, name, value);
}

static int copy_command(Config *c, int argc, char **argv)
{
	int n = argc;

	if (n <= 0)
		return 0;
	c->argv = calloc(n + 1, sizeof(*c->argv));
	if (!c->argv)
		return oom();
	for (int k = 0; k < n; k++) {
		c->argv[k] = strdup(argv[k]);
		if (!c->argv[k])
			return oom();
	}
	c->argc = n;
	return 0;
}

int cli_parse(int argc, char **argv, Config *ret)
{
	Config c = { 0 };
	const char *env;
	int i, r = 0;

	*ret = (Config){ 0 };

	env = getenv("PTROOT_VERBOSE");
	if (env && !parse_int(env, &c.verbose))
		c.verbose = 0;

	if (!argv)
		argc = 0;
	for (i = 1; i < argc && argv[i]; i++) {
		const char *arg = argv[i];

		if (arg[0] != '-')
			break;
		if (strcmp(arg, "--") == 0) {
			i++;
			break;
		}
		r = parse_one(&c, argc, argv, &i);
		if (r != 0)
			goto out;
	}
	if (i < argc && argv[i]) {
		int n = i;

		while (n < argc && argv[n])
			n++;
		r = copy_command(&c, n - i, argv + i);
		if (r < 0)
			goto out;
	}
	*ret = c;
	return 0;
out:
	config_free(&c);
	return r;
}

void config_free(Config *c)
{
	if (!c)
		return;
	free(c->rootfs);
	for (size_t i = 0; i < c->n_binds; i++) {
		free(c->binds[i].host);
		free(c->binds[i].guest);
	}
	free(c->binds);
	free(c->cwd);
	free(c->qemu);
	if (c->argv) {
		for (int i = 0; c->argv[i]; i++)
			free(c->argv[i]);
		free(c->argv);
	}
	*c = (Config){ 0 };
}
