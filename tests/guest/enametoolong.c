/* SPDX-License-Identifier: MIT */
/* Name length limits as the guest sees them: a 255-byte component is fine
 * and 256 is ENAMETOOLONG; a path of 4095 bytes is accepted (even though the
 * host path behind it is longer) and 4096 bytes is ENAMETOOLONG; deep trees
 * whose absolute guest path nears PATH_MAX still work relative to the cwd. */
#include "guest.h"

/* An absolute path of exactly LEN bytes naming /tmp: "/././/...//tmp". */
static char *path_of_len(size_t len)
{
	char *s = malloc(len + 1);
	size_t n = 0;

	s[n++] = '/';
	while (n + 2 <= len - 3) {
		s[n++] = '.';
		s[n++] = '/';
	}
	while (n < len - 3)
		s[n++] = '/';
	memcpy(s + n, "tmp", 4);
	return s;
}

int main(void)
{
	char name[300];

	scratch("/tmp/nametoolong");
	memset(name, 'n', 255);
	name[255] = 0;
	CALL(mkdir(name, 0755));
	CALL(access(name, F_OK));
	name[255] = 'n';
	name[256] = 0;
	CALL(mkdir(name, 0755));
	CALL(access(name, F_OK));
	CALL(open(name, O_RDONLY));

	/* Path length counts bytes as written, before any resolution: 4095
	 * bytes are fine (though the host path behind them is longer), 4096
	 * are not. */
	for (size_t len = 4094; len <= 4097; len++) {
		char *p = path_of_len(len);
		printf("access(path of %zu bytes) = ", len);
		errno = 0;
		int r = access(p, F_OK);
		printf("%d %s\n", r, r ? errname(errno) : "");
		printf("chdir(path of %zu bytes) = ", len);
		r = chdir(p);
		printf("%d %s\n", r, r ? errname(errno) : "");
		free(p);
	}
	show_cwd();
	CALL(chdir("/tmp/nametoolong"));

	/* Symlink targets are limited to 4095 bytes too. */
	char *target = path_of_len(4095);
	CALL(symlink(target, "long-link"));
	show_lstat("long-link");
	show_same("long-link", "/tmp");
	target[4095 - 3] = 0;
	strcat(target, "tmpx");
	CALL(symlink(target, "too-long-link"));
	free(target);

	/* A deep tree: 15 levels of 250-byte names, 3765 bytes plus the
	 * scratch prefix, then two more levels: 4032 bytes (under PATH_MAX for
	 * the guest, over it for a host path with a long rootfs prefix), then
	 * 4283 (over PATH_MAX for the guest too). */
	char comp[251];
	memset(comp, 'd', 250);
	comp[250] = 0;
	int depth = 0;
	for (int i = 0; i < 15; i++) {
		if (mkdir(comp, 0755) < 0 || chdir(comp) < 0) {
			say("mkdir/chdir level %d: %s", i, errname(errno));
			break;
		}
		depth++;
	}
	say("depth reached: %d", depth);
	char buf[PATH_MAX];
	for (int i = 0; i < 3; i++) {
		if (i > 0) {
			CALL(mkdir(comp, 0755));
			CALL(chdir(comp));
		}
		if (getcwd(buf, sizeof(buf)))
			say("getcwd: length %zu, prefix '%.20s'", strlen(buf), buf);
		else
			say("getcwd: %s", errname(errno));
		CALL(syscall(SYS_getcwd, buf, sizeof(buf)));
		CALL(write_file("here", "deep"));
		show_file("here");
		CALL(access("here", R_OK));
		show_stat("../here");
	}
	CALL(chdir("/tmp"));
	/* Clean up from the top so the next run starts afresh. */
	rm_rf("/tmp/nametoolong");
	return guest_exit();
}
