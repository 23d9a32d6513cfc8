/* SPDX-License-Identifier: MIT */
/* Co-scheduling: the tracer and the guest's threads share one CPU while the
 * guest runs one thing at a time, and spread over the CPUs ptroot was given
 * as soon as two of them want to run at once (cosched.c). */
#pragma once
#include "base/base.h"
#include "tracer/tracee.h"

/* Before the first tracee is forked (it inherits the tracer's placement).
 * PTROOT_COSCHED=0 turns it off. */
void cosched_init(void);
/* After each event: every few milliseconds, look at how many tracees are
 * runnable and place them. */
void cosched_tick(void);
/* Whether the tracer should poll for the next event before sleeping. */
bool cosched_spin(void);
/* Whether cosched_tick must run even when no stop comes (everything is on
 * one CPU: a computing thread without stops must be seen), at least every
 * COSCHED_TICK_NS. */
bool cosched_wants_ticks(void);
#define COSCHED_TICK_NS 20000000L
/* A new tracee, set up from PARENT (inherits own_affinity). */
void cosched_child(const Tracee *parent, Tracee *child);
