#!/usr/bin/env python3
"""Benchmark ``uai18n status`` and ``uai18n check`` beside Translate Toolkit.

Usage::

    python benchmarks/bench_check.py --uas 1000 --langs 10 [--workdir DIR] [--keep]

What it does:

1. builds the synthetic project of ``bench_pipeline.py`` (its generator is
   imported, so the same arguments give the same sources), runs ``uai18n run``
   once, pre-fills ~80% of every catalogue's msgstr the way bench_pipeline does
   and signs French off with ``uai18n review --lang fr --all --by Bench``;
2. times ``uai18n status --format json -o /dev/null`` and
   ``uai18n check --format json -o FILE`` over the whole tree (one subprocess
   each: wall seconds, CPU seconds and peak RSS from :func:`os.wait4`) and
   counts the findings by check id;
3. times Translate Toolkit's ``pocount`` (one process over every language's
   folder) and ``pofilter`` with its default tests (one process per language,
   ``--language=L``, sequentially; the row is the total and the largest RSS);
4. times a re-status and a re-check of the unchanged tree (``.uai18n/``
   kept: counts and findings from the stamp record);
5. prints a table and the goals: ``check vs pofilter`` (<= 1.0),
   ``status vs pocount`` (<= 0.5) and the re-status (<= 1 s).

Translate Toolkit is an external tool here (``pip install translate-toolkit``
into the same venv); the rows are skipped when its commands are not found,
and the check row is skipped while ``uai18n check --list`` fails.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

import bench_pipeline as pipeline  # noqa: E402  (the generator of the synthetic tree)

MARKER = ".uai18n-bench-check"  # marks a --workdir as ours, so a rerun may clear it
OWN_DIRS = ("tree", "pofilter-out", "logs")
REVIEWED_LANGUAGE = "fr"
#: exit codes of ``uai18n check`` that mean "ran" (1: a required language fails)
CHECK_RAN = (0, 1)
STARTS = 5  # runs of ``uai18n --version`` to time the start-up


@dataclass
class Row:
    command: str
    seconds: float
    rss_mib: float
    cpu: float  # user + system seconds of the child(ren)
    processes: int = 1
    note: str = ""


@dataclass
class Run:
    seconds: float
    rss_mib: float
    cpu: float
    code: int


class StageError(SystemExit):
    pass


#: The launcher: a small Python that runs each measured command and reports its
#: ``os.wait4`` usage. Linux carries the high-water RSS of the process that
#: execs into the new program (``setmax_mm_hiwater_rss`` in exec), and with
#: fork or vfork that is the parent's: spawned from this script, after polib
#: has loaded a thousand catalogues or the check's JSON, even ``/bin/true``
#: would report this script's peak. From the launcher, whose own peak stays
#: ~10 MiB, the child's ``ru_maxrss`` is its own.
LAUNCHER = """
import json, os, subprocess, sys, time
for request in sys.stdin:
    command, log = json.loads(request)
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(command) + "\\n").encode())
        out.flush()
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([seconds, usage.ru_maxrss, cpu, code]), flush=True)
"""


class Launcher:
    """Runs commands from a small long-lived process (see :data:`LAUNCHER`)."""

    def __init__(self) -> None:
        # Commands run as an installed tool does: pip compiles every module to
        # bytecode, so an environment that forbids writing it (this sandbox sets
        # PYTHONDONTWRITEBYTECODE) would have uai18n, in a checkout, compile its
        # sources on every run while pofilter loads pip's .pyc files.
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", LAUNCHER],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def run(self, command: list[str], log: Path, accepted: tuple[int, ...] = (0,)) -> Run:
        """Run ``command`` with output to ``log``: wall seconds, the child's own
        peak RSS (MiB) and CPU seconds, all from ``os.wait4`` on its pid."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([command, str(log)]) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            raise StageError(f"the launcher died running {' '.join(command)}")
        seconds, maxrss_kib, cpu, code = json.loads(answer)
        if code not in accepted:
            tail = log.read_text("utf-8", errors="replace").splitlines()[-8:]
            raise StageError(f"{' '.join(command)}: exit {code}\n" + "\n".join(tail))
        return Run(seconds, maxrss_kib / 1024, cpu, code)  # ru_maxrss is in KiB on Linux

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def timed(
    launcher: Launcher,
    label: str,
    command: list[str],
    log: Path,
    accepted: tuple[int, ...] = (0,),
) -> Row:
    run = launcher.run(command, log, accepted)
    print(f"  {label:<40} {run.seconds:8.2f} s", flush=True)
    note = f"exit {run.code}" if run.code else ""
    return Row(label, run.seconds, run.rss_mib, run.cpu, 1, note)


def find_tool(name: str) -> str | None:
    beside = Path(sys.executable).with_name(name)
    if beside.exists():
        return str(beside)
    return shutil.which(name)


def check_available(uai18n: str, log: Path) -> tuple[bool, list[str]]:
    """Whether ``uai18n check --list`` works, and the ids it lists."""
    done = subprocess.run([uai18n, "check", "--list"], capture_output=True, text=True)
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {uai18n} check --list (exit {done.returncode})\n{done.stdout}")
        out.write(done.stderr[-2000:])
    if done.returncode != 0 or not done.stdout.strip():
        return False, []
    return True, [line.split()[0] for line in done.stdout.splitlines() if line.strip()]


def prepare_workdir(requested: Path | None) -> tuple[Path, Callable[[], None]]:
    """bench_pipeline's work folder handling, with this benchmark's own folders."""
    return pipeline.prepare_workdir(
        requested, marker=MARKER, own_dirs=OWN_DIRS, made_by="benchmarks/bench_check.py"
    )


# --- what the tools found ------------------------------------------------------------


@dataclass
class Findings:
    by_check: Counter[str] = field(default_factory=Counter)
    by_severity: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.by_check.values())


def read_check_json(path: Path) -> tuple[Findings, bool]:
    data = json.loads(path.read_text("utf-8"))
    found = Findings()
    for finding in data.get("findings", []):
        found.by_check[finding["check"]] += 1
        found.by_severity[finding["severity"]] += 1
    return found, bool(data.get("passed"))


_POFILTER_NOTE = re.compile(r"^# \(pofilter\) (\w+):")


def read_pofilter_out(folder: Path) -> tuple[Findings, int]:
    """Failures by test from the ``# (pofilter) test: ...`` comments pofilter
    adds to each unit it writes out; and the number of units written."""
    found = Findings()
    units = 0
    for path in folder.rglob("*.po"):
        in_unit = False
        for line in path.read_text("utf-8", errors="replace").splitlines():
            match = _POFILTER_NOTE.match(line)
            if match:
                found.by_check[match.group(1)] += 1
                if not in_unit:
                    units += 1
                    in_unit = True
            elif line.startswith("msgid "):
                in_unit = False
    return found, units


def status_totals(
    launcher: Launcher, tree: Path, uai18n: str, log: Path
) -> tuple[Counter[str], Run]:
    """Entries by state over the tree, and the run of that ``status --format json``
    (a re-status: the tree is unchanged since the timed one)."""
    out = tree.parent / "logs" / "status.json"
    run = launcher.run([uai18n, "-C", str(tree), "status", "--format", "json", "-o", str(out)], log)
    totals: Counter[str] = Counter()
    for row in json.loads(out.read_text("utf-8"))["catalogues"]:
        totals.update(row["entries"])
    return totals, run


_POCOUNT_TOTAL = re.compile(r"^(Translated|Fuzzy|Untranslated|Total):\s+(\d+)", re.MULTILINE)


def pocount_totals(log: Path, since: int) -> dict[str, int]:
    """The messages column of pocount's last TOTAL: block in the log."""
    with log.open("rb") as stream:
        stream.seek(since)
        text = stream.read().decode("utf-8", errors="replace")
    last = text.rfind("TOTAL:")
    return {name: int(count) for name, count in _POCOUNT_TOTAL.findall(text[last:])}


# --- the report ----------------------------------------------------------------------


def print_table(rows: list[Row]) -> None:
    print(f"{'command':<40}{'seconds':>9}{'peak RSS MiB':>14}{'cpu s':>9}{'procs':>7}  note")
    print("-" * 88)
    for row in rows:
        print(
            f"{row.command:<40}{row.seconds:>9.2f}{row.rss_mib:>14.1f}{row.cpu:>9.2f}"
            f"{row.processes:>7}  {row.note}"
        )


def print_counts(title: str, found: Findings, known: list[str] | None = None) -> None:
    print(f"{title}: {found.total} in all", end="")
    if found.by_severity:
        print(" (" + ", ".join(f"{n} {s}" for s, n in sorted(found.by_severity.items())) + ")")
    else:
        print()
    for name, count in found.by_check.most_common():
        print(f"  {name:<24}{count:>9}")
    silent = [name for name in known or [] if name not in found.by_check]
    if silent:
        print(f"  (no findings: {' '.join(silent)})")


def ratio_line(
    label: str, ours: Row | None, theirs: Row | None, missing: str, goal: float = 1.0
) -> None:
    if ours is None or theirs is None:
        print(f"{label}: skipped ({missing})")
        return
    ratio = ours.seconds / theirs.seconds
    verdict = "met" if ratio <= goal else "NOT met"
    by_cpu = ours.cpu / theirs.cpu if theirs.cpu else float("nan")
    print(f"{label}: {ratio:.2f}x (goal <= {goal}: {verdict}; by cpu s {by_cpu:.2f}x)")


# --- the benchmark -------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--uas", type=int, default=100, help="number of UAs (default 100)")
    count = len(pipeline.ALL_LANGUAGES)
    parser.add_argument("--langs", type=int, default=10, help=f"target languages, 1-{count}")
    parser.add_argument("--workdir", type=Path, help="work here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the trees afterwards")
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    args = parser.parse_args(argv)
    if not 1 <= args.langs <= count or args.uas < 1:
        parser.error(f"--uas >= 1 and --langs 1-{count}")
    languages = pipeline.ALL_LANGUAGES[: args.langs]
    uai18n = pipeline.find_uai18n()
    pocount, pofilter = find_tool("pocount"), find_tool("pofilter")
    started = time.perf_counter()
    root, clean = prepare_workdir(args.workdir)
    tree, filtered, logs = (root / name for name in OWN_DIRS)
    logs.mkdir()
    filtered.mkdir()
    log, tt_log = logs / "uai18n.log", logs / "translate-toolkit.log"
    rows: list[Row] = []
    launcher = Launcher()
    try:
        # 1. the tree: sources, one run, 80% translated, French signed off
        pipeline.generate(tree, root, uai18n, args.uas, languages, args.seed)

        def cli(*words: str) -> list[str]:
            return [uai18n, "-C", str(tree), *words]

        setup = timed(launcher, "(setup) uai18n run", cli("run"), log, accepted=(0, 1))
        step = time.perf_counter()
        filled, total = pipeline.prefill(tree / "po", languages, args.seed)
        took = time.perf_counter() - step
        print(f"  prefilled {filled} of {total} msgstr with polib in {took:.1f} s", flush=True)
        reviewed = None
        if REVIEWED_LANGUAGE in languages:
            reviewed = timed(
                launcher,
                f"(setup) uai18n review --lang {REVIEWED_LANGUAGE} --all",
                cli("review", "--lang", REVIEWED_LANGUAGE, "--all", "--by", "Bench"),
                log,
            )
        catalogues = sum(1 for code in languages for _ in (tree / "po" / code).glob("*.po"))
        print(f"  {catalogues} catalogues", flush=True)

        # 2. uai18n status and check
        status_row = timed(
            launcher,
            "uai18n status --format json",
            cli("status", "--format", "json", "-o", os.devnull),
            log,
        )
        rows.append(status_row)
        has_check, check_list = check_available(uai18n, log)
        check_row = check_found = None
        passed = False
        if has_check:
            out = logs / "check.json"
            check_row = timed(
                launcher,
                "uai18n check --format json",
                cli("check", "--format", "json", "-o", str(out)),
                log,
                accepted=CHECK_RAN,
            )
            rows.append(check_row)
            check_found, passed = read_check_json(out)
            check_row.note = f"{check_found.total} findings" + (
                f"; {check_row.note}" if check_row.note else ""
            )
        else:
            print("  uai18n check --list fails (no checks yet?): check row skipped", flush=True)

        # 3. Translate Toolkit
        pocount_row = pofilter_row = pofilter_found = None
        counted: dict[str, int] = {}
        if pocount is None or pofilter is None:
            print("  pocount/pofilter not found: pip install translate-toolkit (rows skipped)")
        else:
            folders = [str(tree / "po" / code) for code in languages]
            since = tt_log.stat().st_size if tt_log.exists() else 0
            pocount_row = timed(
                launcher,
                "pocount (every language folder)",
                [pocount, "--no-color", *folders],
                tt_log,
            )
            counted = pocount_totals(tt_log, since)
            pocount_row.note = f"{counted.get('Total', '?')} messages"
            rows.append(pocount_row)
            seconds = rss = cpu = 0.0
            for code in languages:
                command = [
                    pofilter,
                    "--progress=none",
                    f"--language={code}",
                    "-i",
                    str(tree / "po" / code),
                    "-o",
                    str(filtered / code),
                ]
                run = launcher.run(command, tt_log)
                seconds, cpu, rss = seconds + run.seconds, cpu + run.cpu, max(rss, run.rss_mib)
            pofilter_found, units = read_pofilter_out(filtered)
            pofilter_row = Row(
                "pofilter (default tests, per language)",
                seconds,
                rss,
                cpu,
                len(languages),
                f"{pofilter_found.total} failures in {units} units",
            )
            print(f"  {pofilter_row.command:<40} {seconds:8.2f} s", flush=True)
            rows.append(pofilter_row)
        runs = [launcher.run([uai18n, "--version"], log).seconds for _ in range(STARTS)]
        uai18n_start = sum(runs) / STARTS

        # 4. the report
        totals, restatus = status_totals(launcher, tree, uai18n, log)
        recheck = None
        if has_check:
            command = cli("check", "--format", "json", "-o", os.devnull)
            recheck = launcher.run(command, log, accepted=CHECK_RAN)
        print()
        print(
            f"uai18n status/check vs Translate Toolkit: {args.uas} UAs x {len(languages)} "
            f"languages = {catalogues} catalogues; peak RSS by os.wait4 per child"
        )
        print_table(rows)
        print()
        print(
            f"setup: uai18n run {setup.seconds:.1f} s; {filled} of {total} msgstr prefilled"
            + (f"; review --lang fr --all {reviewed.seconds:.1f} s" if reviewed else "")
        )
        print(
            "uai18n status, entries by state: "
            + ", ".join(f"{state} {n}" for state, n in totals.items())
        )
        if counted:
            print(
                "pocount, messages: "
                + ", ".join(f"{name.lower()} {n}" for name, n in counted.items())
            )
        if check_found is not None:
            print_counts(f"uai18n check findings (passed: {passed})", check_found, check_list)
        if pofilter_found is not None:
            print_counts("pofilter failures by test", pofilter_found)
        print(f"uai18n start-up alone (uai18n --version): {uai18n_start:.2f} s")
        ratio_line("check vs pofilter", check_row, pofilter_row, "a row is missing")
        ratio_line("status vs pocount", status_row, pocount_row, "pocount not found", 0.5)
        verdict = "met" if restatus.seconds <= 1.0 else "NOT met"
        print(
            f"re-status of the unchanged tree: {restatus.seconds:.2f} s, "
            f"peak RSS {restatus.rss_mib:.0f} MiB (goal <= 1 s: {verdict})"
        )
        if recheck is not None:
            print(
                f"re-check of the unchanged tree: {recheck.seconds:.2f} s, "
                f"peak RSS {recheck.rss_mib:.0f} MiB"
            )
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"benchmark took {time.perf_counter() - started:.1f} s; load average at the end {load}"
        )
    except StageError as error:
        print(f"stage failed: {error}", file=sys.stderr)
        print(f"logs kept in {logs}", file=sys.stderr)
        return 1
    finally:
        launcher.close()
    if args.keep:
        print(f"kept: {root}")
    else:
        clean()
    return 0


if __name__ == "__main__":
    sys.exit(main())
