/* SPDX-License-Identifier: MIT */
/* What a program receives from execve: argv (argv[0] as given, not the
 * path), the environment (less the tracer's own PTROOT_* switches, which
 * the harness sets on one side only), and the auxiliary vector entries that
 * describe the program: AT_EXECFN, AT_SECURE, AT_BASE, AT_ENTRY vs e_entry,
 * AT_PHNUM vs e_phnum; and /proc/self/comm and cmdline. */
#include "guest.h"
#include <elf.h>
#include <sys/auxv.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc == 1) {
		/* Re-exec with a chosen argv[0] and environment. */
		char *args[] = { "chosen-argv0", "", "two words", "-x", NULL };
		char *envp[] = { "B=2", "A=1", "EMPTY=", "PATH=/bin", NULL };
		fflush(stdout);
		execve(argv[0], args, envp);
		say("execve: %s", errname(errno));
		return 1;
	}
	for (int i = 0; i < argc; i++)
		say("argv[%d] = '%s'", i, argv[i]);
	char *env[64];
	int n = 0;
	for (char **e = environ; *e && n < 64; e++)
		if (strncmp(*e, "PTROOT_", 7))
			env[n++] = *e;
	qsort(env, n, sizeof(env[0]), cmp_str);
	for (int i = 0; i < n; i++)
		say("env '%s'", env[i]);

	const char *execfn = (const char *)getauxval(AT_EXECFN);
	say("AT_EXECFN = '%s'", execfn ? execfn : "(none)");
	say("AT_SECURE = %lu", getauxval(AT_SECURE));
	say("AT_BASE = %lu (static: no interpreter)", getauxval(AT_BASE));
	say("AT_PAGESZ = %lu", getauxval(AT_PAGESZ));

	/* Compare AT_ENTRY and AT_PHNUM with our own ELF header. */
	int fd = open("/proc/self/exe", O_RDONLY);
	union {
		Elf64_Ehdr e64;
		Elf32_Ehdr e32;
	} h;
	if (fd < 0 || read(fd, &h, sizeof(h)) < (ssize_t)sizeof(h.e32)) {
		say("read own ELF header: %s", errname(errno));
	} else if (h.e64.e_ident[EI_CLASS] == ELFCLASS64) {
		say("AT_ENTRY == e_entry: %s", getauxval(AT_ENTRY) == h.e64.e_entry ? "yes" : "no");
		say("AT_PHNUM == e_phnum: %s", getauxval(AT_PHNUM) == h.e64.e_phnum ? "yes" : "no");
	} else {
		say("AT_ENTRY == e_entry: %s", getauxval(AT_ENTRY) == h.e32.e_entry ? "yes" : "no");
		say("AT_PHNUM == e_phnum: %s", getauxval(AT_PHNUM) == h.e32.e_phnum ? "yes" : "no");
	}
	/* What ps shows: the name of the executed file, and the argv. */
	show_file("/proc/self/comm");
	char cmd[256];
	int cfd = open("/proc/self/cmdline", O_RDONLY);
	ssize_t len = cfd < 0 ? -1 : read(cfd, cmd, sizeof(cmd));
	for (ssize_t i = 0; i < len; i++)
		if (!cmd[i])
			cmd[i] = '|';
	say("cmdline: '%.*s'", (int)(len < 0 ? 0 : len), cmd);
	return guest_exit();
}
