#!/bin/sh
# SPDX-License-Identifier: MIT
# The measuring half of `make bench`, started by bench/run.sh in a private
# mount namespace (the bindings below vanish with it).  For each workload:
# one checked run per launcher (outputs compared, ptroot's PTROOT_STATS line
# kept), one native run under strace -c (the syscall count), then one
# hyperfine run over all three launchers.  bench/report.py makes the table.
set -eu

cd "$BENCH_REPO"
# shellcheck source=bench/common.sh
. bench/common.sh

# Never bind anything into the rootfs in the host's own mount namespace.
if [ "$(readlink /proc/self/ns/mnt)" = "$(readlink /proc/1/ns/mnt)" ]; then
	echo "bench/measure.sh: run it through bench/run.sh (it needs a private mount namespace)" >&2
	exit 1
fi

RES=$BENCH_OUT/results
rm -rf "$RES"
mkdir -p "$RES"
WARNINGS=$RES/warnings.txt
: >"$WARNINGS"
start=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# The machine's CPU time counters, to tell at the end how much of the CPU
# time went to other processes than the bench's (noise).
cpu_before=$(head -n 1 /proc/stat)

# The launchers.  Each is a command-line prefix; the guest command follows.
NATIVE="chroot $ROOTFS"
PTROOT="$BENCH_OUT/ptroot -r $ROOTFS -b /proc -b /dev"
PROOT="${BENCH_PROOT:-proot} -r $ROOTFS -b /proc -b /dev"

# The native chroot gets the same /proc and /dev as the -b options give.
mount --rbind /proc "$ROOTFS/proc"
mount --rbind /dev "$ROOTFS/dev"

# selected NAME: true if BENCH_ONLY is empty or names NAME.
selected()
{
	case ",${BENCH_ONLY:-}," in
	,,) return 0 ;;
	*",$1,"*) return 0 ;;
	*) return 1 ;;
	esac
}

# Check BENCH_ONLY's names before spending any time.
ALL="exec-storm find ls-lR tar configure make-hello make-lua threads startup"
for n in $(echo "${BENCH_ONLY:-}" | tr ',' ' '); do
	case " $ALL " in
	*" $n "*) ;;
	*) echo "bench: unknown workload '$n' in BENCH_ONLY (known: $ALL)" >&2; exit 1 ;;
	esac
done

# The guest's copy of the sources: /bench/pristine/{hello,lua} as unpacked,
# /bench/pristine/hello-configured after a native ./configure (the starting
# point of `make hello`), and the threads program.
echo "bench: preparing the guest's /bench"
rm -rf "$ROOTFS/bench"
mkdir -p "$ROOTFS/bench/pristine" "$ROOTFS/bench/work"
cp -a "$BENCH_OUT/src/hello" "$ROOTFS/bench/pristine/hello"
cp -a "$BENCH_OUT/src/lua" "$ROOTFS/bench/pristine/lua"
cp "$BENCH_OUT/threads" "$ROOTFS/bench/threads"
if selected make-hello; then
	sh bench/prepare.sh hello hello
	$NATIVE /bin/sh -c 'cd /bench/work/hello && ./configure' >"$RES/hello-configure.log" 2>&1 || {
		tail -n 20 "$RES/hello-configure.log" >&2
		echo "bench: ./configure of hello failed natively" >&2
		exit 1
	}
	mv "$ROOTFS/bench/work/hello" "$ROOTFS/bench/pristine/hello-configured"
fi

# Everything is launched from /, which every guest has.
cd /

# The machine and the versions, for the report.
virt=unknown
if command -v systemd-detect-virt >/dev/null 2>&1; then
	vm=$(systemd-detect-virt --vm 2>/dev/null || true)
	ct=$(systemd-detect-virt --container 2>/dev/null || true)
	virt="vm: ${vm:-none}, container: ${ct:-none}"
elif grep -qw hypervisor /proc/cpuinfo; then
	virt="vm: yes (hypervisor flag in /proc/cpuinfo)"
fi
{
	echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "how=$BENCH_HOW"
	echo "quick=${BENCH_QUICK:-}"
	echo "runs=${BENCH_RUNS:-}"
	echo "only=${BENCH_ONLY:-}"
	echo "nproc=$(nproc)"
	echo "cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo | head -n 1)"
	echo "kernel=$(uname -r)"
	echo "virt=$virt"
	echo "mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
	echo "load_before=$load_before"
	# shellcheck disable=SC1091
	echo "host=$(. /etc/os-release && echo "$PRETTY_NAME")"
	echo "guest=Debian $(cat "$ROOTFS/etc/debian_version"), $($NATIVE gcc --version | head -n 1)"
	echo "ptroot_version=$(git -C "$BENCH_REPO" describe --always --dirty 2>/dev/null || echo unknown)"
	if [ -n "${BENCH_PROOT:-}" ]; then
		echo "proot_version=$BENCH_PROOT"
	else
		echo "proot_version=$(dpkg-query -W -f='${Version}' proot) (Debian)"
	fi
	echo "hyperfine_version=$(hyperfine --version | cut -d' ' -f2)"
	echo "launcher_native=$NATIVE"
	echo "launcher_ptroot=$PTROOT"
	echo "launcher_proot=$PROOT"
} >"$RES/meta.txt"

# runs DEFAULT: the number of timed runs (BENCH_RUNS, else quick, else DEFAULT).
runs()
{
	if [ -n "${BENCH_RUNS:-}" ]; then
		echo "$BENCH_RUNS"
	elif [ -n "${BENCH_QUICK:-}" ] && [ "$BENCH_QUICK" != 0 ]; then
		echo 3
	else
		echo "$1"
	fi
}

# shquote ARG...: the arguments as one line a POSIX shell reads back.
shquote()
{
	sep=
	for a in "$@"; do
		case $a in
		*\'*)
			case $a in
			*[\$\`\"]* | *\\\\*)
				printf "%s'%s'" "$sep" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
			*) printf '%s"%s"' "$sep" "$a" ;;
			esac ;;
		"" | *[!A-Za-z0-9_./:=,+@%-]*)
			printf "%s'%s'" "$sep" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf '%s%s' "$sep" "$a" ;;
		esac
		sep=' '
	done
	echo
}

# check_run LAUNCHER NAME PREPARE CMD VERIFY: one run of CMD under
# LAUNCHER; its stdout goes to NAME.LAUNCHER.out, then VERIFY's (under the
# same launcher) to NAME.LAUNCHER.verify.  ptroot runs with PTROOT_STATS=1.
check_run()
{
	l=$1 name=$2 prep=$3 cmd=$4 verify=$5
	case $l in
	native) prefix=$NATIVE stats= ;;
	ptroot) prefix=$PTROOT stats=PTROOT_STATS=1 ;;
	proot) prefix=$PROOT stats= ;;
	esac
	# $prep is "FROM TO": two arguments.
	# shellcheck disable=SC2086
	[ "$prep" = - ] || sh "$BENCH_DIR/prepare.sh" $prep
	t0=$(date +%s.%N)
	st=0
	eval "env $stats $prefix $cmd" >"$RES/$name.$l.out" 2>"$RES/$name.$l.err" || st=$?
	t1=$(date +%s.%N)
	if [ $st != 0 ] && [ "$l" = proot ]; then
		# Debian's proot is the reference, not the subject: its failures
		# are reported, and hyperfine is told to ignore them (-i).
		echo >&2
		tail -n 3 "$RES/$name.$l.err" >&2
		echo "bench: WARNING: $name under proot exited with status $st" >&2
		# shellcheck disable=SC2016 # the backquotes are Markdown
		printf '%s|proot exited with status %s (stderr: `%s`)\n' "$name" "$st" \
			"$(tail -n 1 "$RES/$name.$l.err" | cut -c1-120)" >>"$WARNINGS"
		ignore_failure=-i
	elif [ $st != 0 ]; then
		tail -n 20 "$RES/$name.$l.err" >&2
		echo "bench: FAILED: $name under $l exited with status $st (stderr: $RES/$name.$l.err)" >&2
		exit 1
	fi
	if [ "$verify" != - ] && ! eval "$prefix $verify" >"$RES/$name.$l.verify" 2>&1; then
		if [ "$l" = proot ]; then
			echo "bench: WARNING: $name under proot: the check failed" >&2
			# shellcheck disable=SC2016
			printf '%s|the check failed under proot: `%s`\n' "$name" \
				"$(head -n 1 "$RES/$name.$l.verify" | cut -c1-120)" >>"$WARNINGS"
		else
			cat "$RES/$name.$l.verify" >&2
			echo "bench: FAILED: $name under $l: the check '$verify' failed" >&2
			exit 1
		fi
	fi
	printf ' %s %ss' "$l" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')"
}

# same NAME LAUNCHER WHAT: true if LAUNCHER's WHAT (out or verify) is native's.
same()
{
	cmp -s "$RES/$1.native.$3" "$RES/$1.$2.$3"
}

# workload NAME RUNS PREPARE COMPARE CMD VERIFY
#   RUNS     timed runs in a full run
#   PREPARE  "FROM TO" for bench/prepare.sh before every run, or -
#   COMPARE  yes: the stdouts must match; no: only VERIFY's outputs (make -j2
#            prints in a different order every time)
#   CMD      the guest command line
#   VERIFY   a guest command run after the checked run, whose output must
#            match, or -
workload()
{
	name=$1 nruns=$(runs "$2") prep=$3 compare=$4 cmd=$5 verify=$6
	selected "$name" || return 0
	echo
	printf '##### %s: %s\n' "$name" "$cmd"
	printf 'checked runs:'
	ignore_failure=
	for l in native ptroot proot; do
		check_run $l "$name" "$prep" "$cmd" "$verify"
	done
	echo
	for l in ptroot proot; do
		bad=
		[ "$compare" = no ] || same "$name" $l out || bad=out
		[ "$verify" = - ] || same "$name" $l verify || bad="$bad verify"
		for kind in $bad; do
			what=output
			[ "$kind" = out ] || what="output of the check ($verify)"
			d=$(diff "$RES/$name.native.$kind" "$RES/$name.$l.$kind" || true)
			if [ $l = ptroot ]; then
				printf '%s\n' "$d" | head -n 20 >&2
				echo "bench: FAILED: $name: ptroot's $what differs from native (files in $RES)" >&2
				exit 1
			fi
			# Debian's proot is the reference, not the subject: its bugs
			# are reported in the table, they do not stop the run.
			n=$(printf '%s\n' "$d" | grep -c '^[<>]' || true)
			echo "bench: WARNING: $name: proot's $what differs from native ($n lines of diff):" >&2
			printf '%s\n' "$d" | head -n 6 >&2
			printf "%s|proot's %s differs from native (%s lines of diff, first: \`%s\`)\n" \
				"$name" "$what" "$n" "$(printf '%s\n' "$d" | grep '^[<>]' | head -n 1 |
					cut -c1-100)" >>"$WARNINGS"
		done
	done
	grep 'ptroot: stats:' "$RES/$name.ptroot.err" | tail -n 1 >"$RES/$name.stats" || true

	# The syscalls the workload makes natively (strace -f -c summary).
	# shellcheck disable=SC2086
	[ "$prep" = - ] || sh "$BENCH_DIR/prepare.sh" $prep
	eval "strace -f -c -o $RES/$name.strace $NATIVE $cmd" >/dev/null 2>&1 || {
		echo "bench: FAILED: $name under strace" >&2
		exit 1
	}

	set -- hyperfine -N --runs "$nruns" --export-json "$RES/$name.json"
	[ "$name" != startup ] || set -- "$@" --warmup 5
	[ -z "$ignore_failure" ] || set -- "$@" "$ignore_failure"
	[ "$prep" = - ] || set -- "$@" --prepare "sh $BENCH_DIR/prepare.sh $prep"
	set -- "$@" -n native "$NATIVE $cmd" -n ptroot "$PTROOT $cmd" -n proot "$PROOT $cmd"
	shquote "$@" >"$RES/$name.cmd"
	printf '%s|%s|%s|%s\n' "$name" "$cmd" "$prep" "$verify" >>"$RES/workloads.txt"
	"$@"
}

: >"$RES/workloads.txt"

# The workloads of issue 3, in its order.  1. exec storm: 2000 fork+exec of
# /bin/true from a guest shell loop.
workload exec-storm 10 - yes \
	"/bin/sh -c 'i=0; while [ \$i -lt 2000 ]; do /bin/true; i=\$((i + 1)); done; echo \$i'" -
# 2-4. Metadata walks and reads of a whole tree.
workload find 10 - yes "find /usr -xdev -printf '%p %s %T@ %n %m\n'" -
workload ls-lR 10 - yes "ls -lR /usr" -
workload tar 10 - yes "/bin/sh -c 'tar cf - /usr/share | wc -c'" -
# 5-6. A real autotools package configured and built, and a larger C
# program built; each run from a fresh copy of the sources.  make -j2 prints
# in no fixed order: what is compared is what the built program prints.
workload configure 5 "hello hello" yes "/bin/sh -c 'cd /bench/work/hello && ./configure'" \
	"sha256sum /bench/work/hello/config.h /bench/work/hello/Makefile"
workload make-hello 5 "hello-configured hello" no "/bin/sh -c 'cd /bench/work/hello && make -j2'" \
	"/bin/sh -c '/bench/work/hello/hello && /bench/work/hello/hello -t && /bench/work/hello/hello --version'"
workload make-lua 5 "lua lua" no "/bin/sh -c 'cd /bench/work/lua && make -j2 linux'" \
	"/bench/work/lua/src/lua -e 'local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 10007 end table.sort(t) local s = 0 for i, v in ipairs(t) do s = s + i * v end print(_VERSION, s, string.format(\"%.6f\", math.sqrt(s)), (\"lua\"):rep(3))'"
# 7. Many threads doing file syscalls at once (bench/threads.c).
workload threads 10 - yes "/bench/threads" -
# 8. Start-up of a dynamically linked program (through the guest's ld.so),
# timed per run: many runs.
startup_runs=200
[ -z "${BENCH_QUICK:-}" ] || [ "$BENCH_QUICK" = 0 ] || startup_runs=30
[ -z "${BENCH_RUNS:-}" ] || startup_runs=$((BENCH_RUNS * 20))
BENCH_RUNS=$startup_runs workload startup 200 - yes "/bin/true" -

# `times`: this shell's user and system time, then its children's (not in
# a $(...) subshell: that one has no children).
times >"$RES/times.txt"
{
	echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
	echo "duration=$(($(date +%s) - start))"
	echo "cpu_before=$cpu_before"
	echo "cpu_after=$(head -n 1 /proc/stat)"
	echo "times=$(tail -n 1 "$RES/times.txt")"
	echo "clk_tck=$(getconf CLK_TCK)"
} >>"$RES/meta.txt"

# The table: docs/performance.md for a run of every workload, else only
# bench/out/performance.md.
doc=$BENCH_REPO/docs/performance.md
[ -z "${BENCH_ONLY:-}" ] || doc=$BENCH_OUT/performance.md
echo
python3 "$BENCH_DIR/report.py" "$RES" "$doc"
echo
echo "bench: table written to $doc"
