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
* the same *warm*: ``.uai18n/`` from the previous run, nothing changed (each
  catalogue's findings come from the stamp record);
* the same *after an edit*: one French msgstr changed (what a translator
  re-checks), so that catalogue is checked again with the stored keys;
* ``pofilter`` (default tests) over the configured languages' catalogues
  (the ``po/<lang>/`` folders ``check`` reads, copied to one input folder);
* ``uai18n --version``: the start-up (imports).

Commands run with bytecode written, as after ``pip install`` (see
``Launcher``); the first, untimed run writes it.

Each command runs from bench_check.py's launcher process and is measured with
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
import sys
import tempfile
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_check import Launcher, Run  # noqa: E402  (one launcher for every check benchmark)

PROJECT = ("uai18n.toml", "source", "po", "glossary")


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


def edit_one_translation(project: Path, run: int) -> None:
    """Change the first French translation, differently each run (a translator's edit)."""
    po = sorted((project / "po" / "fr").glob("*.po"))[0]
    text = po.read_text("utf-8")
    start = text.index('msgstr "', text.index('msgid "', text.index("\n\n")))
    marker = f"[{run}] "
    if text.startswith('msgstr "[', start):
        end = text.index("] ", start) + 2
        text = text[: start + len('msgstr "')] + marker + text[end:]
    else:
        text = text[: start + len('msgstr "')] + marker + text[start + len('msgstr "') :]
    po.write_text(text, "utf-8")


def median(runs: list[Run]) -> Run:
    return Run(
        statistics.median(r.seconds for r in runs),
        max(r.rss_mib for r in runs),
        statistics.median(r.cpu for r in runs),
        0,
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
        log = root / "commands.log"
        check = [uai18n, "-C", str(project), "check", "--format", "json", "-o", str(out)]
        results: dict[str, list[Run]] = {
            "cold": [], "warm": [], "edited": [], "pofilter": [], "start": []
        }  # fmt: skip
        launcher.run(check, log, accepted=(0, 1))  # file-system caches, .pyc
        for _ in range(args.runs):
            shutil.rmtree(project / ".uai18n", ignore_errors=True)
            results["cold"].append(launcher.run(check, log, accepted=(0, 1)))
            results["warm"].append(launcher.run(check, log, accepted=(0, 1)))
            edit_one_translation(project, len(results["edited"]))
            results["edited"].append(launcher.run(check, log, accepted=(0, 1)))
            shutil.rmtree(filtered, ignore_errors=True)
            filtered.mkdir()
            command = [pofilter, "--progress=none", "-i", str(catalogues), "-o", str(filtered)]
            results["pofilter"].append(launcher.run(command, log))
            results["start"].append(launcher.run([uai18n, "--version"], log))
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
        "uai18n check (after an edit)": median(results["edited"]),
        "pofilter (default tests)": median(results["pofilter"]),
        "uai18n --version (start-up)": median(results["start"]),
    }
    for name, row in rows.items():
        print(f"{name:<36}{row.seconds:>9.3f}{row.cpu:>9.3f}{row.rss_mib:>14.1f}")
    theirs = rows["pofilter (default tests)"]
    for name in (
        "uai18n check (cold: no .uai18n/)",
        "uai18n check (warm)",
        "uai18n check (after an edit)",
    ):
        ours = rows[name]
        ratio = ours.seconds / theirs.seconds
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
