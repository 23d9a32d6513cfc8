/* SPDX-License-Identifier: MIT */
/* A minimal TAP producer for the unit tests: every check is one "ok"/"not ok"
 * line naming file:line and, on failure, both values. */
#pragma once
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                                          \
	do {                                                                       \
		int ok_ = !!(cond);                                                \
		tap_n++;                                                           \
		if (!ok_)                                                          \
			tap_failed++;                                              \
		printf("%sok %d - ", ok_ ? "" : "not ", tap_n);                    \
		printf(__VA_ARGS__);                                               \
		printf("\n");                                                      \
		if (!ok_)                                                          \
			printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} while (0)

#define TAP_EQ_INT(got, want, ...)                                                 \
	do {                                                                       \
		long long g_ = (long long)(got), w_ = (long long)(want);           \
		TAP_OK(g_ == w_, __VA_ARGS__);                                     \
		if (g_ != w_)                                                      \
			printf("#   got %lld, want %lld\n", g_, w_);               \
	} while (0)

#define TAP_EQ_STR(got, want, ...)                                                 \
	do {                                                                       \
		const char *g_ = (got), *w_ = (want);                              \
		int eq_ = (g_ && w_) ? strcmp(g_, w_) == 0 : g_ == w_;             \
		TAP_OK(eq_, __VA_ARGS__);                                          \
		if (!eq_)                                                          \
			printf("#   got '%s', want '%s'\n", g_ ? g_ : "(null)",       \
			       w_ ? w_ : "(null)");                                \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}
