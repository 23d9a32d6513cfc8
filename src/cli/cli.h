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
	int verbose;           /* number of -v (or -v N) */
	bool kill_on_exit;     /* --kill-on-exit */
	char *qemu;            /* -q/--qemu COMMAND (later issue), NULL = none */
	char **argv;           /* the command and its arguments, NULL = login shell */
	int argc;
} Config;

/* Parse ARGV into *RET (zeroed first). Returns:
 *   0  run with *RET;
 *   1  --help or --version was handled (text printed on stdout): exit 0;
 *  <0  error: a one-line message "ptroot: ..." naming the culprit was already
 *      printed on stderr; the caller exits with status 1.
 * Does no file system checks (those are done when the mapping is built). */
int cli_parse(int argc, char **argv, Config *ret);
void config_free(Config *c);

/* The version string, "ptroot X.Y.Z". */
extern const char ptroot_version[];
