/* SPDX-License-Identifier: MIT */
/* execve across ABIs: a 64-bit program executes the 32-bit build of itself,
 * which executes the 64-bit one again (and the other way round), each step
 * reporting its word size and that a path syscall works after the switch. */
#include "guest.h"

int main(int argc, char **argv)
{
	int step = argc > 1 ? atoi(argv[1]) : 0;
	/* /t/NAME and /t32/NAME are the two builds. */
	const char *other = ABI_BITS == 64 ? "/t32/exec-abi-switch" : "/t/exec-abi-switch";
	char next[16];

	say("step %d: %d-bit", step, ABI_BITS);
	show_stat("/t/exec-abi-switch/");
	show_same("/proc/self/exe", ABI_BITS == 64 ? "/t/exec-abi-switch" : "/t32/exec-abi-switch");
	show_cwd();
	if (step >= 3)
		return 0;
	snprintf(next, sizeof(next), "%d", step + 1);
	fflush(stdout);
	execl(other, other, next, (char *)NULL);
	say("execl %s: %s", other, errname(errno));
	return 1;
}
