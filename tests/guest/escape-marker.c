/* SPDX-License-Identifier: MIT */
/* The program escape.t leaves on the host, outside the guest, as a target
 * for escape-exec: "marker" as an argument (anywhere, for #! lines) makes it print the marker that
 * proves it was executed.  Without it, it only says what it is. */
#include "guest.h"

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "marker")) {
			say("PTROOT-ESCAPE-MARKER executed");
			return 0;
		}
	}
	say("escape-marker: a target for tests/guest/escape-exec.c");
	return 0;
}
