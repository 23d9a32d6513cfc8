#!/bin/sh
# SPDX-License-Identifier: MIT
# Helper of `make fuzz`. "check CC": is clang there, with its libFuzzer and
# sanitizer runtimes? If not, print the apt-get command that installs them.
# "run NAME SECONDS": run build/fuzz/fuzz-NAME for SECONDS on its corpus,
# then "merge NAME": fold what it found into fuzz/corpus/NAME, keeping it
# small (see merge below).
set -u

check() {
	cc=$1
	dir=$(mktemp -d) || exit 1
	trap 'rm -rf "$dir"' EXIT
	printf '%s\n' 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n);' \
		'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }' \
		>"$dir/probe.c"
	if command -v "$cc" >/dev/null 2>&1 &&
	   "$cc" -fsanitize=fuzzer,address,undefined -o "$dir/probe" "$dir/probe.c" >/dev/null 2>&1; then
		return 0
	fi
	if ! command -v "$cc" >/dev/null 2>&1; then
		echo "make fuzz: '$cc' not found."
	else
		echo "make fuzz: '$cc' cannot link a libFuzzer harness (no fuzzer/sanitizer runtime)."
	fi
	echo "On Debian 12, install clang and its runtimes (libFuzzer is in libclang-rt-14-dev) with:"
	echo "  apt-get install -y clang libclang-rt-14-dev"
	exit 1
}

run() {
	name=$1
	secs=$2
	bin=build/fuzz/fuzz-$name
	corpus=fuzz/corpus/$name
	new=build/fuzz/corpus-$name
	log=build/fuzz/$name.log
	set --
	[ -f "fuzz/$name.dict" ] && set -- "-dict=fuzz/$name.dict"
	# Long inputs only slow the parser's harness down (its argv is capped).
	[ "$name" = cli ] && set -- "$@" -max_len=1024

	mkdir -p "$corpus" "$new"
	: >"$log"
	# The reproducers of past findings first: each must pass now.
	for f in fuzz/regressions/"$name"-*; do
		[ -f "$f" ] || continue
		"$bin" "$f" >>"$log" 2>&1 || {
			tail -n 60 "$log"
			echo "fuzz-$name: regression $f FAILS"
			return 1
		}
	done
	echo "fuzz-$name: ${secs}s, log in $log"
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="build/fuzz/$name-" "$@" \
		"$new" "$corpus" >>"$log" 2>&1
	status=$?
	if [ $status -ne 0 ]; then
		tail -n 80 "$log"
		echo "fuzz-$name: FAILED (exit $status); reproducer: build/fuzz/$name-*"
		return 1
	fi
	grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1
	grep -E '^stat::' "$log"
	merge "$name" || return 1
}

# The corpus in the tree: the hand-written seeds (named by what they test)
# plus a set-cover minimization of everything found so far (named by their
# SHA-1, as libFuzzer names them), so that it covers all the features seen
# with as few files as possible. When that is more than MAX files, it is
# the smallest set that covers every edge (without hit counts), topped up
# to MAX with the smallest files of the full one. build/fuzz/corpus-NAME
# keeps everything for the next runs on this machine.
MAX=300

merge() {
	name=$1
	bin=build/fuzz/fuzz-$name
	corpus=fuzz/corpus/$name
	new=build/fuzz/corpus-$name
	out=build/fuzz/merge-$name
	log=build/fuzz/$name.log
	rm -rf "$out" "$out-edges"
	mkdir -p "$out" "$out-edges" "$new"
	"$bin" -set_cover_merge=1 "$out" "$corpus" "$new" >>"$log" 2>&1 || {
		tail -n 20 "$log"
		echo "fuzz-$name: merge FAILED"
		return 1
	}
	if [ "$(ls "$out" | wc -l)" -gt $MAX ]; then
		"$bin" -set_cover_merge=1 -use_counters=0 "$out-edges" "$out" \
			>>"$log" 2>&1 || return 1
		ls -Sr "$out" | while read -r f; do
			[ "$(ls "$out-edges" | wc -l)" -lt $MAX ] || break
			cp "$out/$f" "$out-edges/"
		done
		rm -rf "$out"
		mv "$out-edges" "$out"
	fi
	find "$corpus" -type f -regextype posix-extended \
		-regex '.*/[0-9a-f]{40}' -delete
	seeds=$(for f in "$corpus"/*; do
		[ -f "$f" ] && sha1sum <"$f" | cut -d' ' -f1; done)
	for f in "$out"/*; do
		[ -f "$f" ] || continue
		case $seeds in *"$(basename "$f")"*) continue ;; esac
		cp "$f" "$corpus/"
	done
	echo "fuzz-$name: corpus $(ls "$corpus" | wc -l) files," \
		"$(cat "$corpus"/* | wc -c) bytes"
}

case ${1:-} in
check) check "${2:-clang}" ;;
run) run "$2" "$3" ;;
merge) merge "$2" ;;
*) echo "usage: $0 check CC | run NAME SECONDS | merge NAME" >&2; exit 2 ;;
esac
