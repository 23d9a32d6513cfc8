/* SPDX-License-Identifier: MIT */
/* Command line -> Config. The option table also renders --help. */
#pragma once

#include "base/base.h"

typedef struct BindSpec {
	char *host;      /* as given (expanded "~"? no: as given) */
	char *guest;     /* as given, NULL when omitted (= host) */
	bool nofollow;   /* GUEST ended in '!' (the '!' is stripped) */
	bool optional;   /* from -R/-S: silently skipped when HOST is missing */
} BindSpec;

typedef struct Config {
	char *rootfs;          /* as given; NULL when -r was not used (means "/") */
	BindSpec *binds;       /* in command-line order */
	size_t n_binds;
	char *cwd;             /* -w, as given; NULL = default */
	int verbose;           /* -v N; default $PTROOT_VERBOSE, else 0 */
	bool kill_on_exit;     /* --kill-on-exit */
	char *qemu;            /* -q/--qemu COMMAND (later issue), NULL = none */
	bool fake_root;        /* -0/--root-id or -S (fake root: later issue) */
	char **argv;           /* the command and its arguments, NULL = login shell */
	int argc;
} Config;
/* Every string and array in a Config is a heap copy owned by it. */

/* Parse ARGV into *RET (zeroed first). Returns:
 *   0  run with *RET;
 *   1  --help or --version was handled (text printed on stdout): exit 0;
 *  <0  error: a one-line message "ptroot: ..." naming the culprit was already
 *      printed on stderr; the caller exits with status 1.
 * Unless it returns 0, *RET is left zeroed (config_free() on it is a no-op).
 * Does no file system checks (those are done when the mapping is built). */
int cli_parse(int argc, char **argv, Config *ret);
void config_free(Config *c);

/* The version string, "ptroot X.Y.Z". */
extern const char ptroot_version[];
