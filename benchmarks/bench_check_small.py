#!/usr/bin/env python3
"""``uai18n check`` beside Translate Toolkit's ``pofilter`` on the bundled project.

Usage::

    python benchmarks/bench_check_small.py [--runs 5] [--keep DIR]

Copies this repository's project (``uai18n.toml``, ``source/``, ``po/``,
``glossary/``) to a temporary folder, then times, ``--runs`` times each and
interleaved (so both tools see the same machine load):

* ``uai18n check --format json -o FILE`` on a *fresh clone*: no
  ``.uai18n/``, the committed key store ``glossary/keys/`` (its words' keys
  are read, not computed);
* the same with *no key store* either: every word's keys computed with
  simplemma's dictionaries;
* the same *warm*: ``.uai18n/`` from the previous run, nothing changed (each
  catalogue's findings come from the stamp record);
* the same *after an edit*: two words of one French msgstr swap places (what
  a translator re-checks), so that catalogue is checked again with the
  stored keys;
* the same after an edit that adds a word no catalogue has: its keys need
  simplemma and the French dictionary (its block index read from
  ``.uai18n/lemma-index/``, as an earlier check on the machine left it),
  made ready by the check's forked lemma helper;
* ``pofilter`` (default tests) over the configured languages' catalogues
  (the ``po/<lang>/`` folders ``check`` reads, copied to one input folder);
* ``uai18n --version``: the start-up (imports).

Commands run with bytecode written, as after ``pip install`` (see
``Launcher``); the first, untimed run writes it.

Each command runs from bench_check.py's launcher process and is measured with
:func:`os.wait4`: wall and CPU seconds and the child's own peak RSS (spawned
from this script, a child would inherit this process's high-water mark).
Prints the median of each and, per command, the median over the rounds of
its ratio to that round's ``pofilter`` run (goal <= 1.0, and <= 150 MiB peak
RSS): the machine's speed drifts between rounds more than within one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import tomllib
from pathlib import Path

import polib

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


def edit_one_translation(project: Path, run: int, new_word: bool) -> None:
    """A translator's edit of the first long French translation, different each run.

    ``new_word`` False: its first two words swap places (words the catalogue
    already has, as when a sentence is reordered); True: a word no catalogue
    has is added (a new spelling), whose keys need simplemma's dictionary.
    """
    po = sorted((project / "po" / "fr").glob("*.po"))[0]
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if len(e.msgstr.split()) >= 6 and not e.obsolete)
    words = entry.msgstr.split(" ")
    if new_word:
        entry.msgstr = f"{entry.msgstr} vérifications{'abcdefghijklmnopqrstuvwxyz'[run % 26]}"
    else:
        entry.msgstr = " ".join([words[1], words[0], *words[2:]])
    catalog.save(str(po))


#: The rows of the table, by key of ``results``; the checks are compared with pofilter.
NAMES = {
    "fresh": "uai18n check (fresh clone)",
    "cold": "uai18n check (no key store)",
    "warm": "uai18n check (warm)",
    "edited": "uai18n check (after an edit)",
    "new word": "uai18n check (edit with a new word)",
    "pofilter": "pofilter (default tests)",
    "start": "uai18n --version (start-up)",
}
CHECKS = ("fresh", "cold", "warm", "edited", "new word")


def paired(mine: list[Run], peers: list[Run]) -> tuple[float, float]:
    """Medians of each round's wall and CPU ratios to the peer run of that
    round: the machine's speed drifts by a third between rounds, less within one."""
    rounds = list(zip(mine, peers, strict=True))
    wall = statistics.median(run.seconds / peer.seconds for run, peer in rounds)
    cpu = statistics.median(run.cpu / peer.cpu for run, peer in rounds)
    return wall, cpu


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
        results: dict[str, list[Run]] = {key: [] for key in NAMES}
        keys = project / "glossary" / "keys"
        committed = root / "committed-keys"
        shutil.copytree(keys, committed)
        french = sorted((project / "po" / "fr").glob("*.po"))[0]
        unedited = french.read_bytes()  # each run starts from the committed catalogues
        stale = 0
        launcher.run(check, log, accepted=(0, 1))  # file-system caches, .pyc
        for _ in range(args.runs):
            french.write_bytes(unedited)
            shutil.rmtree(project / ".uai18n", ignore_errors=True)
            shutil.rmtree(keys)
            results["cold"].append(launcher.run(check, log, accepted=(0, 1)))
            index = root / "lemma-index"  # what earlier checks on this machine left
            shutil.rmtree(index, ignore_errors=True)
            shutil.move(project / ".uai18n" / "lemma-index", index)
            shutil.rmtree(project / ".uai18n")
            shutil.rmtree(keys)
            shutil.copytree(committed, keys)
            results["fresh"].append(launcher.run(check, log, accepted=(0, 1)))
            shutil.move(index, project / ".uai18n" / "lemma-index")
            if any(keys.joinpath(n).read_bytes() != committed.joinpath(n).read_bytes()
                   for n in os.listdir(committed)):  # fmt: skip
                stale += 1
            results["warm"].append(launcher.run(check, log, accepted=(0, 1)))
            edit_one_translation(project, len(results["edited"]), new_word=False)
            results["edited"].append(launcher.run(check, log, accepted=(0, 1)))
            edit_one_translation(project, len(results["new word"]), new_word=True)
            results["new word"].append(launcher.run(check, log, accepted=(0, 1)))
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
    rows = {name: median(results[key]) for key, name in NAMES.items()}
    for name, row in rows.items():
        print(f"{name:<36}{row.seconds:>9.3f}{row.cpu:>9.3f}{row.rss_mib:>14.1f}")
    for key in CHECKS:
        name = NAMES[key]
        ours = rows[name]
        ratio, cpu = paired(results[key], results["pofilter"])
        verdict = "met" if ratio <= 1.0 and ours.rss_mib <= 150 else "NOT met"
        print(
            f"{name} / pofilter: wall {ratio:.2f}x, cpu {cpu:.2f}x (medians of each round's "
            f"ratio), peak RSS {ours.rss_mib:.0f} MiB (goal <= 1.0x and <= 150 MiB: {verdict})"
        )
    glossary = sum(1 for f in findings if f["check"].startswith("glossary-"))
    print(f"check: {len(findings)} findings ({glossary} glossary)")
    if stale:
        print(f"the committed glossary/keys/ was stale ({stale} runs added words): "
              "run `uai18n check` in the repository and commit glossary/keys/")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
