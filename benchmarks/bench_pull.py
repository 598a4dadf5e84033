#!/usr/bin/env python3
"""Time the pull surface (output/index.html, output/<lang>/index.html and
feed.xml, output/manifest.json) alone, on a large tree and on the bundled UA.

Usage::

    python benchmarks/bench_pull.py --uas 1000 --langs 5 [--workdir DIR] [--keep] [--seed N]

What it does:

1. builds the synthetic project of ``bench_pipeline.py`` (its generator is
   imported: the same arguments give the same sources), extracts and updates
   it, translates the first language's catalogues completely (polib, the
   msgid reversed as ``bench_pipeline`` does), and builds every language
   with ``--draft`` with the pull surface switched off, so that every
   document x language has files to hash (the first language "ready", the
   others "draft": the largest surface the tree can have);
2. times :func:`uai18n.writers.pull.write_pull_surface` alone, in this
   process, three times on a new :class:`Project` each: **cold** (no pull
   stamps, no status counts: every catalogue counted, every file hashed,
   every source read), **warm** (the same tree again: what an unchanged
   rerun pays) and **one catalogue changed** (one msgstr edited, its
   document rebuilt first); the status counting (``pipeline.status``) is
   timed apart inside each;
3. on a copy of the bundled project, runs ``uai18n run`` (a new process
   each, five times cold and five times as a no-op rerun) with the time
   spent in the pull surface measured inside the process, and prints the
   medians: the whole run, the surface, and its share.

The byte-stability of the surface is checked on the way: the warm pass must
write no file.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import polib

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

import bench_pipeline as pipeline_bench  # noqa: E402  (the generator of the synthetic tree)

REPO = BENCHMARKS.parent
MARKER = ".uai18n-bench-pull"
OWN_DIRS = ("tree", "bundled")
RUNS = 5

#: Runs ``uai18n run`` in a new process with the pull surface timed from inside.
TIMED_RUN = """
import json, sys, time
import uai18n.pipeline as pipeline
spent = []
original = pipeline.write_pull_surface
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return original(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - started)
pipeline.write_pull_surface = timed
from uai18n.cli import main
started = time.perf_counter()
try:
    main(["-C", sys.argv[1], "run"], standalone_mode=False)
finally:
    print(json.dumps({"run": time.perf_counter() - started, "pull": sum(spent)}),
          file=sys.stderr)
"""


def translate_all(po_dir: Path, language: str) -> int:
    """Every msgstr of the language filled (its documents then build as "ready")."""
    filled = 0
    for path in sorted((po_dir / language).glob("*.po")):
        catalog = polib.pofile(str(path), wrapwidth=79)
        for entry in catalog:
            if entry.obsolete or not entry.msgid:
                continue
            entry.msgstr = pipeline_bench.fake_translation(entry.msgid, language)
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgstr, 1: entry.msgstr}
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        catalog.save(str(path))
    return filled


def surface_pass(tree: Path, label: str) -> dict[str, float]:
    """One call of the pull surface on a new Project; seconds, total and counting."""
    from uai18n.config import load_config
    from uai18n.pipeline import status
    from uai18n.project import Project
    from uai18n.writers.pull import write_pull_surface

    project = Project(load_config(tree))
    counting = []

    def count(*wanted: tuple[str, ...]) -> list:
        started = time.perf_counter()
        try:
            return status(project, *wanted)
        finally:
            counting.append(time.perf_counter() - started)

    started = time.perf_counter()
    written = write_pull_surface(project, count)
    seconds = time.perf_counter() - started
    project.stamps.save()
    result = {"seconds": seconds, "status": sum(counting), "written": len(written)}
    print(
        f"  {label:<28}{seconds:8.2f} s  (status rows {sum(counting):6.2f} s, "
        f"surface {seconds - sum(counting):6.2f} s), {len(written)} file(s) written",
        flush=True,
    )
    return result


def build_tree(tree: Path, languages: tuple[str, ...]) -> None:
    """extract, update, the first language translated, every language built as a draft."""
    import uai18n.pipeline as pipeline
    from uai18n.config import load_config
    from uai18n.project import Project

    project = Project(load_config(tree))
    step = time.perf_counter()
    pipeline.extract(project)
    pipeline.update(project, languages)
    project.stamps.save()
    print(f"  extract + update {time.perf_counter() - step:.1f} s", flush=True)
    step = time.perf_counter()
    filled = translate_all(tree / "po", languages[0])
    print(f"  {languages[0]}: {filled} msgstr filled in {time.perf_counter() - step:.1f} s")
    original = pipeline.write_pull_surface
    pipeline.write_pull_surface = lambda *args, **kwargs: []  # the build alone
    try:
        project = Project(load_config(tree))
        step = time.perf_counter()
        pipeline.build(project, languages, draft=True, jobs=1)
        project.stamps.save()
    finally:
        pipeline.write_pull_surface = original
    print(f"  build --draft (no pull surface) {time.perf_counter() - step:.1f} s", flush=True)


def change_one(tree: Path, language: str) -> None:
    """Edit one msgstr of the first document and rebuild it (as a translator's fix would)."""
    import uai18n.pipeline as pipeline
    from uai18n.config import load_config
    from uai18n.project import Project

    path = sorted((tree / "po" / language).glob("*.po"))[0]
    catalog = polib.pofile(str(path), wrapwidth=79)
    entry = next(e for e in catalog if e.msgid and not e.obsolete)
    entry.msgstr += " (edited)"
    catalog.save(str(path))
    original = pipeline.write_pull_surface
    pipeline.write_pull_surface = lambda *args, **kwargs: []
    try:
        project = Project(load_config(tree))
        pipeline.build(project, (language,), draft=True, jobs=1)
        project.stamps.save()
    finally:
        pipeline.write_pull_surface = original


def bundled_runs(root: Path) -> None:
    """``uai18n run`` on the bundled UA: the whole run and the pull surface in it."""
    cold: list[dict[str, float]] = []
    warm: list[dict[str, float]] = []
    env = dict(os.environ, SOURCE_DATE_EPOCH=os.environ.get("SOURCE_DATE_EPOCH", "1764151200"))
    for index in range(RUNS):
        project = root / f"run-{index}"
        project.mkdir(parents=True)
        shutil.copy(REPO / "uai18n.toml", project / "uai18n.toml")
        for name in ("source", "po", "glossary"):
            shutil.copytree(REPO / name, project / name)
        for runs in (cold, warm):
            done = subprocess.run(
                [sys.executable, "-c", TIMED_RUN, str(project)],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            runs.append(json.loads(done.stderr.strip().splitlines()[-1]))
    for label, runs in (("cold run", cold), ("no-op rerun", warm)):
        run = statistics.median(r["run"] for r in runs)
        pull = statistics.median(r["pull"] for r in runs)
        print(
            f"  {label:<14} uai18n run {run * 1000:7.1f} ms, pull surface {pull * 1000:6.1f} ms "
            f"({100 * pull / run:4.1f}%)  [median of {RUNS}]"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--uas", type=int, default=1000, help="number of UAs (default 1000)")
    count = len(pipeline_bench.ALL_LANGUAGES)
    parser.add_argument("--langs", type=int, default=5, help=f"target languages, 1-{count}")
    parser.add_argument("--workdir", type=Path, help="work here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the trees afterwards")
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled-UA runs")
    args = parser.parse_args(argv)
    if not 1 <= args.langs <= count or args.uas < 1:
        parser.error(f"--uas >= 1 and --langs 1-{count}")
    languages = pipeline_bench.ALL_LANGUAGES[: args.langs]
    root, clean = pipeline_bench.prepare_workdir(
        args.workdir, marker=MARKER, own_dirs=OWN_DIRS, made_by="benchmarks/bench_pull.py"
    )
    tree, bundled = (root / name for name in OWN_DIRS)
    try:
        print(f"{args.uas} UAs x {len(languages)} languages ({' '.join(languages)}) in {root}")
        print("load average " + " ".join(f"{v:.2f}" for v in os.getloadavg()), flush=True)
        base = pipeline_bench.parse_base(pipeline_bench.BASE_UA.read_text("utf-8"))
        pipeline_bench.write_tree(tree, base, args.uas, languages, args.seed, revision=0)
        build_tree(tree, languages)
        print("pull surface alone (write_pull_surface):")
        surface_pass(tree, "cold (nothing remembered)")
        warm = surface_pass(tree, "warm (unchanged rerun)")
        if warm["written"]:
            raise SystemExit("an unchanged rerun rewrote pull files: not byte-stable")
        change_one(tree, languages[0])
        surface_pass(tree, "one catalogue changed")
        output = tree / "output"
        sizes = {
            "manifest.json": (output / "manifest.json").stat().st_size,
            "index.html": (output / "index.html").stat().st_size,
            f"{languages[0]}/feed.xml": (output / languages[0] / "feed.xml").stat().st_size,
        }
        print(
            "  sizes: " + ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in sizes.items())
        )
        if not args.no_bundled:
            print("bundled project (source/ua-2-19-chechnya.txt, 6 languages):")
            bundled_runs(bundled)
        print("load average " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            clean()
            if args.workdir is None:
                shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
