/* SPDX-License-Identifier: MIT */
/* Messages to the user. Only the tracer loop and main log; everything else
 * returns -errno and lets its caller decide. Paths are quoted in '...'. */
#pragma once
#include "base/base.h"

extern int log_verbosity;

void log_error(const char *fmt, ...) _printf_(1, 2);
void log_warn(const char *fmt, ...) _printf_(1, 2);
void log_debug(int level, const char *fmt, ...) _printf_(2, 3);
