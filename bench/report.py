#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Makes the table of `make bench` from what bench/measure.sh left in
# bench/out/results: hyperfine's JSON (medians, ratios to native), ptroot's
# PTROOT_STATS lines, the native strace -c totals and the machine.  Prints it
# and writes it as Markdown.  Standard library only (Debian 12's python3).
#
# usage: report.py RESULTS_DIR OUTPUT.md
#
# A hand-written part of OUTPUT.md after the END_MARK line is kept.

import json
import os
import re
import sys

END_MARK = "<!-- end of the generated part: notes written below this line are kept by make bench -->"

# Ratio to native, median: (PRoot 5.4 as measured in issue 3, ptroot's target).
TARGETS = {
    "exec-storm": (2.9, 1.6),
    "find": (24, 6),
    "ls-lR": (32, 8),
    "tar": (15, 3),
    "configure": (3.8, 1.8),
    "make-hello": (3.4, 1.5),
    "make-lua": (1.65, 1.15),
}

LAUNCHERS = ("native", "ptroot", "proot")

# The fields of ptroot's stats line that have their own column; any other
# "name N" pair the line has gets a column of its own after them.
KNOWN_STATS = ("stops", "translated", "passed", "exit stops", "scratch injections", "execs")


def read_meta(res):
    meta = {}
    with open(os.path.join(res, "meta.txt")) as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            meta[key] = value
    return meta


def read_workloads(res):
    """The workloads in the order they ran: (name, guest command, check)."""
    out = []
    with open(os.path.join(res, "workloads.txt")) as f:
        for line in f:
            # name|command|prepare|check; the command may hold a "|".
            name, rest = line.rstrip("\n").split("|", 1)
            cmd, _prep, check = rest.rsplit("|", 2)
            out.append((name, cmd, check))
    return out


def read_medians(res, name):
    """{launcher: hyperfine result} for one workload."""
    with open(os.path.join(res, name + ".json")) as f:
        data = json.load(f)
    return {r["command"]: r for r in data["results"]}


def parse_stats(line):
    """'ptroot: stats: stops 5 (translated 4, passed 1), exit stops 2, ...'
    -> {'stops': 5, 'translated': 4, ...}: every 'words NUMBER' pair, by name,
    so fields added later are picked up."""
    line = line.split("stats:", 1)[-1]
    stats = {}
    for m in re.finditer(r"([A-Za-z][A-Za-z _-]*?)\s+(\d+(?:\.\d+)?)\b", line):
        key = m.group(1).strip().lower()
        value = float(m.group(2)) if "." in m.group(2) else int(m.group(2))
        stats.setdefault(key, value)
    return stats


def read_stats(res, name):
    try:
        with open(os.path.join(res, name + ".stats")) as f:
            line = f.read().strip()
    except FileNotFoundError:
        return {}
    return parse_stats(line) if line else {}


def read_strace_total(res, name):
    """The 'calls' column of the total line of strace -c, or None."""
    try:
        with open(os.path.join(res, name + ".strace")) as f:
            for line in f:
                fields = line.split()
                if fields and fields[-1] == "total" and len(fields) >= 5:
                    return int(fields[3])
    except (FileNotFoundError, ValueError):
        pass
    return None


def parse_duration(text):
    """'1m2.50s' (a `times` field) -> 62.5."""
    m = re.fullmatch(r"(?:(\d+)m)?([\d.]+)s", text)
    return int(m.group(1) or 0) * 60 + float(m.group(2))


def other_cpu(meta):
    """(share of all CPU time used by processes other than the bench's, the
    share of it at nice), from /proc/stat before and after and the CPU time
    of the bench's own children; None if unknown."""
    try:
        before = [int(x) for x in meta["cpu_before"].split()[1:]]
        after = [int(x) for x in meta["cpu_after"].split()[1:]]
        tck = float(meta.get("clk_tck", "100"))
        d = [(a - b) / tck for a, b in zip(after, before)]
        # user nice system idle iowait irq softirq steal
        busy = d[0] + d[1] + d[2] + d[5] + d[6] + d[7]
        total = busy + d[3] + d[4]
        ours = sum(parse_duration(x) for x in meta["times"].split())
    except (KeyError, ValueError, IndexError, AttributeError):
        return None
    if total <= 0:
        return None
    return max(0.0, busy - ours) / total, min(d[1], max(0.0, busy - ours)) / total


def fmt_time(s):
    if s >= 1:
        return "%.2f s" % s
    if s >= 0.01:
        return "%.1f ms" % (s * 1e3)
    return "%.2f ms" % (s * 1e3)


def fmt_ratio(r):
    return "%.2fx" % r


def fmt_int(n):
    return "{:,}".format(n).replace(",", " ") if n is not None else "?"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def build(res):
    meta = read_meta(res)
    workloads = read_workloads(res)
    warnings = {}
    wpath = os.path.join(res, "warnings.txt")
    if os.path.exists(wpath):
        with open(wpath) as f:
            for line in f:
                if "|" in line:
                    name, _, text = line.rstrip("\n").partition("|")
                    warnings.setdefault(name, []).append(text)

    out = []
    out.append("# Performance")
    out.append("")
    out.append("Generated by `make bench` (bench/run.sh, bench/report.py); do not edit the "
               "generated part by hand. Each workload runs in a Debian 12 guest under a real "
               "`chroot` (native), under ptroot and under Debian's `proot`, timed with hyperfine "
               "in one run for all three. Times are medians of the timed runs; a ratio is the "
               "median under the launcher divided by the native median.")
    out.append("")
    mode = "full"
    if meta.get("runs"):
        mode = "%s runs each" % meta["runs"]
    elif meta.get("quick") not in ("", "0", None):
        mode = "quick (BENCH_QUICK: few runs, noisy)"
    if meta.get("only"):
        mode += ", only " + meta["only"]
    out.append("- Command: `%s` (%s run, %s s)" % (meta.get("how"), mode, meta.get("duration", "?")))
    out.append("- Date: %s" % meta.get("date"))
    out.append("- Machine: %s CPUs, %s, %s of memory; %s" % (
        meta.get("nproc"), meta.get("cpu"), meta.get("mem"), meta.get("virt")))
    out.append("- Host: %s, Linux %s; load average %s before, %s after (the bench's own load included)" % (
        meta.get("host"), meta.get("kernel"), meta.get("load_before"), meta.get("load_after", "?")))
    out.append("- Guest: %s" % meta.get("guest"))
    out.append("- ptroot %s, proot %s, hyperfine %s" % (
        meta.get("ptroot_version"), meta.get("proot_version"), meta.get("hyperfine_version")))
    others = other_cpu(meta)
    if others is not None:
        share, nice = others
        out.append("- Other processes used %.0f %% of the machine's CPU time during the run "
                   "(%.0f %% at a positive nice level)" % (100 * share, 100 * nice))
    # Work at a positive nice level takes little CPU from the bench's
    # processes: only the rest counts as "busy".
    busy = others[0] - others[1] > 0.10 if others is not None else False
    if others is None:
        # An older meta.txt: the load average before the run.
        try:
            busy = float(meta.get("load_before", "0").split()[0]) > 0.5 * float(meta.get("nproc", "1"))
        except (ValueError, IndexError):
            busy = False
    if busy:
        out.append("")
        out.append("**The machine was busy** with other work: the times are noisy. "
                   "hyperfine does all the runs of one launcher, then all of the next, so a "
                   "change of load between those blocks moves the ratios; see the spread below.")
    out.append("")

    # Medians and ratios.
    rows = []
    spread = []
    for name, _, _ in workloads:
        r = read_medians(res, name)
        med = {l: r[l]["median"] for l in LAUNCHERS if l in r}
        ratio = {l: med[l] / med["native"] for l in med}
        ref, target = TARGETS.get(name, (None, None))
        met = "-"
        if target is not None:
            # Compared as shown (two decimals): the noise is far larger.
            met = "yes" if round(ratio["ptroot"], 2) <= target else "**no**"
        faster = med["proot"] / med["ptroot"]
        proot_bad = name in warnings
        if proot_bad:
            # proot failed or answered wrongly: its time is not comparable.
            versus = "n/a (proot failed)"
        else:
            versus = ("yes, %.2fx" if faster > 1 else "**no**, %.2fx") % faster
        mark = " (failed)" if proot_bad else ""
        rows.append([
            name, fmt_time(med["native"]), fmt_time(med["ptroot"]), fmt_time(med["proot"]) + mark,
            "**" + fmt_ratio(ratio["ptroot"]) + "**",
            fmt_ratio(target) if target else "-", met,
            fmt_ratio(ratio["proot"]) + mark, fmt_ratio(ref) if ref else "-", versus,
        ])
        for l in LAUNCHERS:
            x = r[l]
            spread.append([name, l, len(x["times"]), fmt_time(x["median"]),
                           "%s ± %s" % (fmt_time(x["mean"]), fmt_time(x["stddev"] or 0)),
                           fmt_time(x["min"]), fmt_time(x["max"])])
    out.append("## Medians and ratios to native")
    out.append("")
    out.append(table(["workload", "native", "ptroot", "proot", "ptroot / native", "target",
                      "met", "proot / native", "PRoot 5.4 in the issue",
                      "ptroot faster than proot (proot / ptroot)"], rows))
    out.append("")
    if warnings:
        out.append("\"(failed)\": proot exited with an error or gave another output than "
                   "native on that workload (see the output checks below), so its time is "
                   "not comparable.")
        if meta.get("proot_version", "").startswith("5.1."):
            out.append("")
            out.append("Debian 12's proot 5.1.0 does not translate statx(2) (PRoot added it "
                       "later: proot-me/proot issue 262). Debian 12's coreutils (`ls`, `stat`) "
                       "use statx, so under that proot they see the host's file of the same "
                       "name, or none.")
        out.append("")

    # The tracer's own counts.
    stats = {name: read_stats(res, name) for name, _, _ in workloads}
    extra = []
    for s in stats.values():
        for k in s:
            if k not in KNOWN_STATS and k not in extra:
                extra.append(k)
    header = ["workload", "native syscalls", "ptroot stops", "stops per native syscall",
              "translated", "passed (stopped, nothing to do)", "exit stops",
              "syscalls without a stop (native - stops)", "scratch injections", "execs"]
    header += extra
    have_host = any("host syscalls" in s for s in stats.values())
    per_path = "paths" if any("paths" in s for s in stats.values()) else "translated"
    if have_host:
        header.append("host syscalls per %s" % ("path" if per_path == "paths" else "translated stop"))
    rows = []
    for name, _, _ in workloads:
        s = stats[name]
        total = read_strace_total(res, name)
        stops = s.get("stops")
        row = [name, fmt_int(total), fmt_int(stops)]
        row.append("%.1f %%" % (100.0 * stops / total) if stops is not None and total else "?")
        row += [fmt_int(s.get("translated")), fmt_int(s.get("passed")), fmt_int(s.get("exit stops"))]
        row.append(fmt_int(total - stops) if stops is not None and total else "?")
        row += [fmt_int(s.get("scratch injections")), fmt_int(s.get("execs"))]
        row += [fmt_int(s[k]) if isinstance(s.get(k), int) else s.get(k, "-") for k in extra]
        if have_host:
            h, p = s.get("host syscalls"), s.get(per_path)
            row.append("%.2f" % (h / p) if h is not None and p else "-")
        rows.append(row)
    out.append("## The tracer's counts")
    out.append("")
    out.append("One run of each workload under ptroot with `PTROOT_STATS=1`, beside the number "
               "of syscalls the same workload makes natively (`strace -f -c` of the native "
               "chroot run, `chroot` itself included). A stop is a ptrace stop of a tracee; "
               "the syscalls without a stop are the ones the seccomp filter let through "
               "(approximately: the two counts come from two different runs).")
    out.append("")
    out.append(table(header, rows))
    out.append("")

    # The output checks.
    out.append("## Output checks")
    out.append("")
    out.append("Before timing, each workload ran once under every launcher and its output "
               "(for the builds: the output of the program built) was compared with the "
               "native one; a difference under ptroot stops the bench.")
    out.append("")
    if warnings:
        for name, texts in warnings.items():
            for t in texts:
                out.append("- %s: %s" % (name, t))
    else:
        out.append("- Every launcher gave the native output on every workload.")
    out.append("")

    out.append("## Spread")
    out.append("")
    out.append(table(["workload", "launcher", "runs", "median", "mean ± σ", "min", "max"], spread))
    out.append("")

    out.append("## What was run")
    out.append("")
    out.append("Launchers (the guest command follows):")
    out.append("")
    out.append("```")
    for l in LAUNCHERS:
        out.append("%-7s %s" % (l, meta.get("launcher_" + l)))
    out.append("```")
    out.append("")
    out.append("`bench/out/ptroot` is a copy of `./ptroot` taken when the run started. "
               "`/proc` and `/dev` are bound into the rootfs for the native chroot, in a "
               "private mount namespace. Guest commands:")
    out.append("")
    def code(c):
        return "`%s`" % c.replace("|", "\\|") if c != "-" else "-"
    out.append(table(["workload", "guest command", "check (its output compared too)"],
                     [[n, code(c), code(v)] for n, c, v in workloads]))
    out.append("")
    out.append("The build workloads start every timed run from a fresh copy of the unpacked "
               "sources (`bench/prepare.sh`, hyperfine's `--prepare`, not timed): GNU hello "
               "2.10 and Lua 5.4.4, the upstream tarballs of Debian bookworm's source "
               "packages; `make hello` starts from a tree configured natively. The hyperfine "
               "command of each workload:")
    out.append("")
    out.append("```")
    for name, _, _ in workloads:
        with open(os.path.join(res, name + ".cmd")) as f:
            out.append(f.read().rstrip("\n"))
    out.append("```")
    out.append("")
    out.append("Switches: `BENCH_QUICK=1` (3 runs per workload, 30 for start-up), "
               "`BENCH_RUNS=N` (N runs, 20 N for start-up), `BENCH_ONLY=find,tar,...` (some "
               "workloads; the table then goes to bench/out/performance.md).")
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report.py RESULTS_DIR OUTPUT.md")
    res, doc = sys.argv[1], sys.argv[2]
    text = build(res)
    # The terminal gets the tables; the details are in the file.
    sys.stdout.write(text.split("\n## Spread", 1)[0])
    # Keep whatever was written by hand below the mark.
    notes = ""
    try:
        with open(doc) as f:
            old = f.read()
        if END_MARK in old:
            notes = old.split(END_MARK, 1)[1]
    except FileNotFoundError:
        pass
    with open(doc + ".new", "w") as f:
        f.write(text + "\n" + END_MARK + (notes if notes else "\n"))
    os.replace(doc + ".new", doc)


if __name__ == "__main__":
    main()
