#!/usr/bin/env python3
"""``uai18n check`` beside Translate Toolkit's ``pofilter`` on the bundled project.

Usage::

    python benchmarks/bench_check_small.py [--runs 5] [--keep DIR]

Copies this repository's project (``uai18n.toml``, ``source/``, ``po/``,
``glossary/``) to a temporary folder, then times, ``--runs`` times each and
interleaved (so both tools see the same machine load):

* ``uai18n check --format json -o FILE`` *cold*: no ``.uai18n/`` (a fresh
  clone in CI), so the glossary's keys are computed with simplemma's
  dictionaries;
* the same *warm*: ``.uai18n/`` from the previous run (keys stored);
* ``pofilter`` (default tests) over the configured languages' catalogues
  (the ``po/<lang>/`` folders ``check`` reads, copied to one input folder);
* ``uai18n --version``: the start-up (imports).

Each command runs from a small launcher process and is measured with
:func:`os.wait4`: wall and CPU seconds and the child's own peak RSS (spawned
from this script, a child would inherit this process's high-water mark).
Prints the median of each and the ratios ``check / pofilter`` (goal <= 1.0,
and <= 150 MiB peak RSS).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROJECT = ("uai18n.toml", "source", "po", "glossary")

#: Runs each command it reads on stdin and answers its os.wait4 usage.
LAUNCHER = """
import json, os, subprocess, sys, time
for request in sys.stdin:
    command, cwd = json.loads(request)
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    error = child.stderr.read().decode(errors="replace")[-500:]
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps([seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code, error]),
          flush=True)
"""


@dataclass
class Run:
    wall: float
    cpu: float
    rss_mib: float


class Launcher:
    """A long-lived small process that spawns and measures each command."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def run(self, command: list[str], cwd: Path, accepted: tuple[int, ...] = (0,)) -> Run:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([command, str(cwd)]) + "\n")
        self.process.stdin.flush()
        wall, cpu, maxrss_kib, code, error = json.loads(self.process.stdout.readline())
        if code not in accepted:
            raise SystemExit(f"{' '.join(command)}: exit {code}\n{error}")
        return Run(wall, cpu, maxrss_kib / 1024)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found (pip install '.[test]' translate-toolkit)")
    return found


def copy_project(root: Path) -> tuple[Path, Path]:
    """The project, and a folder with only the configured languages' catalogues."""
    project = root / "project"
    project.mkdir()
    for name in PROJECT:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            shutil.copy(source, project / name)
    config = tomllib.loads((project / "uai18n.toml").read_text("utf-8"))
    catalogues = root / "pofilter-in"
    for language in config.get("languages", {}):
        shutil.copytree(project / "po" / language, catalogues / language)
    return project, catalogues


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.wall for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.rss_mib for r in runs),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command (default 5)")
    parser.add_argument("--keep", type=Path, help="work in this new folder and keep it")
    args = parser.parse_args(argv)
    uai18n, pofilter = tool("uai18n"), tool("pofilter")
    if args.keep:
        args.keep.mkdir(parents=True)
        root = args.keep
    else:
        root = Path(tempfile.mkdtemp(prefix="bench-check-small-"))
    launcher = Launcher()
    try:
        project, catalogues = copy_project(root)
        out, filtered = root / "check.json", root / "pofilter-out"
        check = [uai18n, "check", "--format", "json", "-o", str(out)]
        results: dict[str, list[Run]] = {"cold": [], "warm": [], "pofilter": [], "start": []}
        launcher.run(check, project, accepted=(0, 1))  # file-system caches, .pyc
        for _ in range(args.runs):
            shutil.rmtree(project / ".uai18n", ignore_errors=True)
            results["cold"].append(launcher.run(check, project, accepted=(0, 1)))
            results["warm"].append(launcher.run(check, project, accepted=(0, 1)))
            shutil.rmtree(filtered, ignore_errors=True)
            filtered.mkdir()
            command = [pofilter, "--progress=none", "-i", str(catalogues), "-o", str(filtered)]
            results["pofilter"].append(launcher.run(command, root))
            results["start"].append(launcher.run([uai18n, "--version"], root))
        findings = json.loads(out.read_text("utf-8"))["findings"]
        languages = sorted(path.name for path in catalogues.iterdir())
    finally:
        launcher.close()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"bundled project, {len(languages)} languages ({' '.join(languages)}); "
          f"median of {args.runs} runs (peak RSS: the largest)")  # fmt: skip
    print(f"{'command':<36}{'wall s':>9}{'cpu s':>9}{'peak RSS MiB':>14}")
    rows = {
        "uai18n check (cold: no .uai18n/)": median(results["cold"]),
        "uai18n check (warm)": median(results["warm"]),
        "pofilter (default tests)": median(results["pofilter"]),
        "uai18n --version (start-up)": median(results["start"]),
    }
    for name, row in rows.items():
        print(f"{name:<36}{row.wall:>9.3f}{row.cpu:>9.3f}{row.rss_mib:>14.1f}")
    theirs = rows["pofilter (default tests)"]
    for name in ("uai18n check (cold: no .uai18n/)", "uai18n check (warm)"):
        ours = rows[name]
        ratio = ours.wall / theirs.wall
        verdict = "met" if ratio <= 1.0 and ours.rss_mib <= 150 else "NOT met"
        print(
            f"{name} / pofilter: wall {ratio:.2f}x, cpu {ours.cpu / theirs.cpu:.2f}x, "
            f"peak RSS {ours.rss_mib:.0f} MiB (goal <= 1.0x and <= 150 MiB: {verdict})"
        )
    glossary = sum(1 for f in findings if f["check"].startswith("glossary-"))
    print(f"check: {len(findings)} findings ({glossary} glossary)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
