/* SPDX-License-Identifier: MIT */
/* ptroot: parse the command line, build the guest's view (root and
 * bindings), find the command in the guest, run it under the tracer and
 * end the way it ended. */
#include "base/log.h"
#include "cli/cli.h"
#include "exec/exec.h"
#include "path/path.h"
#include "syscall/ctx.h"
#include "tracer/tracee.h"
#include "tracer/tracer.h"

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

/* Longest usable rootfs: guest paths are appended to it, and the kernel
 * takes at most PATH_MAX bytes. */
#define ROOTFS_MAX 2048

/* Resolve a guest path from BASE (the guest cwd) with the host's view
 * (no tracee yet: no /proc magic needed). */
static int resolve_guest_from(const char *base, const char *guest_path, int flags, Resolved *res)
{
	Resolver r = { .map = &g_mapping, .ops = &fsops_host, .root = "/" };
	return resolve_path(&r, base, guest_path, flags, res);
}

static int resolve_guest(const char *guest_path, int flags, Resolved *res)
{
	return resolve_guest_from("/", guest_path, flags, res);
}

static int setup_rootfs(const Config *cfg)
{
	const char *given = cfg->rootfs ? cfg->rootfs : "/";
	if (strlen(given) >= PATH_MAX) {
		log_error("rootfs path is too long (%zu bytes; at most %d)", strlen(given), ROOTFS_MAX);
		return -ENAMETOOLONG;
	}
	char real[PATH_MAX];
	if (!realpath(given, real)) {
		log_error("rootfs '%s': %s", given, strerror(errno));
		return -errno;
	}
	struct stat st;
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		log_error("rootfs '%s': Not a directory", given);
		return -ENOTDIR;
	}
	if (strlen(real) > ROOTFS_MAX) {
		log_error("rootfs '%s' is too long to be usable (%zu bytes; at most %d)", given,
			  strlen(real), ROOTFS_MAX);
		return -ENAMETOOLONG;
	}
	g_mapping.root = strdup(real);
	return g_mapping.root ? 0 : -ENOMEM;
}

/* realpath() of a bind source, except that a path through /proc/self (such
 * as /etc/mtab -> /proc/self/mounts) keeps meaning the process that opens
 * it, not ptroot. */
static int bind_source(const char *given, char *host)
{
	if (!realpath(given, host))
		return -errno;
	char self[32];
	int n = snprintf(self, sizeof(self), "/proc/%d", getpid());
	if (strncmp(host, self, n) == 0 && (host[n] == '/' || host[n] == 0)) {
		/* "/proc/self" is no longer than "/proc/PID": it fits in place */
		memmove(host + 10, host + n, strlen(host + n) + 1);
		memcpy(host, "/proc/self", 10);
	}
	return 0;
}

static int setup_bindings(const Config *cfg)
{
	char here[PATH_MAX];
	if (!getcwd(here, sizeof(here)))
		snprintf(here, sizeof(here), "/");
	for (size_t i = 0; i < cfg->n_binds; i++) {
		const BindSpec *b = &cfg->binds[i];
		char host[PATH_MAX];
		int r = bind_source(b->host, host);
		if (r < 0) {
			if (b->optional)
				continue;
			log_error("bind source '%s': %s", b->host, strerror(-r));
			return r;
		}
		/* GUEST defaults to HOST as given, made absolute from the current
		 * directory (as PRoot does); a relative GUEST given explicitly is
		 * taken from the guest's "/". */
		const char *g = b->guest ? b->guest : b->host;
		const char *from = b->guest ? "/" : here;
		char guest[PT_PATH_MAX], norm[PT_PATH_MAX];
		char abs[PT_PATH_MAX];
		if (snprintf(abs, sizeof(abs), "%s/%s", g[0] == '/' ? "" : from, g) >= (int)sizeof(abs) ||
		    path_normalize(abs, norm, sizeof(norm)) < 0) {
			log_error("bind target '%s': File name too long", g);
			return -ENAMETOOLONG;
		}
		if (b->nofollow || strcmp(norm, "/") == 0) {
			snprintf(guest, sizeof(guest), "%s", norm);
		} else {
			/* Symlinks in the guest path are followed in the guest, as
			 * mount(8) would; the binding sits where they lead. */
			Resolved res;
			if (resolve_guest(norm, RESOLVE_FOLLOW, &res) == 0)
				snprintf(guest, sizeof(guest), "%s", res.guest);
			else
				snprintf(guest, sizeof(guest), "%s", norm);
		}
		if (mapping_add_binding(&g_mapping, host, guest) < 0)
			return -ENOMEM;
		log_debug(1, "binding '%s' -> guest '%s'", host, guest);
	}
	return 0;
}

static bool is_exec_file(const char *host)
{
	struct stat st;
	return stat(host, &st) == 0 && S_ISREG(st.st_mode) && access(host, X_OK) == 0;
}

/* Find the command in the guest, as execvp(3) would: a name with a '/' is
 * taken as it is, otherwise each directory of $PATH is tried. Returns the
 * exit status to use on failure (127 not found, 126 not executable). */
static int find_command(const char *cmd, const char *guest_cwd, char *ret_guest)
{
	if (!cmd[0]) {
		log_error("command '': No such file or directory");
		return 127;
	}
	if (strchr(cmd, '/')) {
		Resolved res;
		int r = resolve_guest_from(guest_cwd, cmd, RESOLVE_FOLLOW, &res);
		if (r == 0 && res.final_missing)
			r = -ENOENT;
		if (r == 0) {
			struct stat st;
			if (stat(res.host, &st) < 0)
				r = -errno;
			else if (S_ISDIR(st.st_mode))
				r = -EISDIR;
			else if (access(res.host, X_OK) < 0)
				r = -errno;
		}
		if (r < 0) {
			log_error("'%s': %s", cmd, strerror(-r));
			return r == -ENOENT || r == -ENOTDIR ? 127 : 126;
		}
		snprintf(ret_guest, PT_PATH_MAX, "%s", cmd);
		return 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	bool denied = false;
	for (const char *p = path;;) {
		const char *e = strchrnul(p, ':');
		char cand[PT_PATH_MAX];
		/* an empty entry means the current directory */
		int n = snprintf(cand, sizeof(cand), "%.*s%s%s", (int)(e - p), p, e == p ? "" : "/", cmd);
		Resolved res;
		if (n < (int)sizeof(cand) &&
		    resolve_guest_from(guest_cwd, cand, RESOLVE_FOLLOW, &res) == 0 && !res.final_missing) {
			if (is_exec_file(res.host)) {
				snprintf(ret_guest, PT_PATH_MAX, "%s", cand);
				return 0;
			}
			struct stat st;
			if (stat(res.host, &st) == 0 && S_ISREG(st.st_mode))
				denied = true;
		}
		if (!*e)
			break;
		p = e + 1;
	}
	if (denied) {
		log_error("command '%s' found in the guest but not executable: Permission denied", cmd);
		return 126;
	}
	log_error("command '%s' not found in the guest's $PATH", cmd);
	return 127;
}

/* The initial working directory, as PRoot chooses it: -w; else the host's
 * current directory taken as a guest path, when the guest has such a
 * directory; else "/". */
static int setup_cwd(const Config *cfg, char *guest_cwd, char *host_cwd)
{
	Resolved res;
	struct stat st;
	if (cfg->cwd) {
		int r = resolve_guest(cfg->cwd, RESOLVE_FOLLOW, &res);
		if (r == 0 && res.final_missing)
			r = -ENOENT;
		if (r == 0 && stat(res.host, &st) < 0)
			r = -errno;
		if (r == 0 && !S_ISDIR(st.st_mode))
			r = -ENOTDIR;
		if (r < 0) {
			log_error("working directory '%s': %s", cfg->cwd, strerror(-r));
			return r;
		}
	} else {
		char here[PATH_MAX];
		if (!getcwd(here, sizeof(here)) || resolve_guest(here, RESOLVE_FOLLOW, &res) < 0 ||
		    res.final_missing || stat(res.host, &st) < 0 || !S_ISDIR(st.st_mode)) {
			log_debug(1, "the guest has no directory '%s': starting in '/'", here);
			if (resolve_guest("/", RESOLVE_FOLLOW, &res) < 0)
				return -ENOENT;
		}
	}
	snprintf(guest_cwd, PT_PATH_MAX, "%s", res.guest);
	/* res.host may end in "/." (the root): chdir does not mind */
	snprintf(host_cwd, PT_PATH_MAX * 2, "%s", res.host);
	return 0;
}

/* End the way the initial command ended: same exit code, or the same
 * signal (without a core file of our own); 128+N if that fails. */
static int finish(int status)
{
	if (status < 0)
		return 1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	int sig = WTERMSIG(status);
	struct rlimit no_core = { 0, 0 };
	setrlimit(RLIMIT_CORE, &no_core);
	signal(sig, SIG_DFL);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	fflush(stdout);
	kill(getpid(), sig);
	return 128 + sig;
}

/* Everything between the parsed command line and the tracer's end. Returns
 * the wait status of the initial command, or -(exit code) + -1 on a
 * failure that was already reported (so -1 - 127 means "exit 127"). */
static int run(const Config *cfg)
{
	if (cfg->qemu) {
		/* Accepted by the parser for PRoot compatibility, but running
		 * foreign programs natively would only fail later and worse. */
		log_error("option '-q' (QEMU user-mode) is not supported yet");
		return -1 - 1;
	}
	if (setup_rootfs(cfg) < 0 || setup_bindings(cfg) < 0)
		return -1 - 1;

	static char guest_cwd[PT_PATH_MAX], host_cwd[PT_PATH_MAX * 2], cmd[PT_PATH_MAX];
	if (setup_cwd(cfg, guest_cwd, host_cwd) < 0)
		return -1 - 1;

	static char *login_argv[] = { "-sh", NULL };
	char **cmd_argv = cfg->argv;
	if (!cmd_argv) {
		snprintf(cmd, sizeof(cmd), "/bin/sh");
		cmd_argv = login_argv;
	} else {
		int st = find_command(cfg->argv[0], guest_cwd, cmd);
		if (st)
			return -1 - st;
	}

	int r;
	if (ctx_init_fast_path() < 0)
		return -1 - 1;
	if ((r = exec_loaders_init()) < 0) {
		log_error("cannot prepare the ELF loader: %s", strerror(-r));
		return -1 - 1;
	}

	pid_t pid;
	r = tracer_spawn(cmd, cmd_argv, environ, host_cwd, cfg->kill_on_exit, &pid);
	if (r <= -1000)
		return -1 - (-r - 1000); /* the child failed its set-up and said why */
	if (r < 0) {
		log_error("cannot start '%s': %s", cmd, strerror(-r));
		return -1 - 1;
	}
	return tracer_loop();
}

int main(int argc, char **argv)
{
	Config cfg;
	int r = cli_parse(argc, argv, &cfg);
	if (r != 0)
		return r > 0 ? 0 : 1;
	log_verbosity = cfg.verbose;
	int status = run(&cfg);
	exec_loaders_cleanup();
	config_free(&cfg);
	mapping_free(&g_mapping);
	if (status < -1)
		return -1 - status;
	return finish(status);
}
