#!/usr/bin/env python3
"""Benchmark ``uai18n build`` per output format: txt, html, pdf and docx.

Usage::

    python benchmarks/bench_formats.py [--uas 1000] [--word 100] [--workdir DIR]
    python benchmarks/bench_formats.py --uas 0 --word 0 --pdf-docs 100   # the PDF rows only

What it does:

1. builds a project with ``--uas`` text UAs (bench_pipeline's generator: the
   bundled UA with other names, dates and sentences), ``--word`` Word UAs
   (the test UA of ``tests/docx_ua.py``, each with its own name) and
   ``--word`` HTML UAs (``tests/data/html/``), runs ``uai18n run`` once and
   fills every French msgstr (the msgid reversed, fields and tags kept) so
   that French builds at 100%;
2. times ``uai18n build --lang fr --format F`` for each format F (one
   subprocess each; a new format is a new configuration, so everything is
   built): wall and CPU seconds, peak RSS, and milliseconds per document;
3. prints a table. PDFs are built only when asked (``--format pdf``); the
   point is to see what asking costs;
4. times ``uai18n build --lang fr --format pdf`` on ``--pdf-docs`` more text
   UAs (a tree of their own, copied before the first build) with ``-j 1``
   and ``-j N`` (``--jobs``, default: every core), checks that both write the
   same bytes and prints the speed-up. CPU seconds there include the worker
   processes: the benchmark makes itself the "child subreaper" (Linux), so
   the fork server and its workers are reaped by it and their time is counted
   by ``getrusage(RUSAGE_CHILDREN)``; ``ru_maxrss`` is the parent's.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import filecmp
import os
import re
import resource
import shutil
import sys
import tempfile
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent
REPO = BENCHMARKS.parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(REPO / "tests"))

import bench_pipeline as pipeline  # noqa: E402
import polib  # noqa: E402
from docx_ua import make_ua_docx  # noqa: E402

HTML_UA = REPO / "tests" / "data" / "html" / "ua-5-19-defender.html"
_TAG_OR_FIELD = re.compile(r"(\{\w+\}|</?(?:b|i|a\d+)>)")


def translate(msgid: str) -> str:
    """A stand-in translation: the text reversed, fields and tags kept in place."""
    parts = _TAG_OR_FIELD.split(msgid)
    return "".join(part if _TAG_OR_FIELD.fullmatch(part) else part[::-1] for part in parts)


def make_project(root: Path, uas: int, word: int, seed: int) -> None:
    base = pipeline.parse_base(pipeline.BASE_UA.read_text("utf-8"))
    pipeline.write_tree(root, base, uas, ("fr",), seed, 0)
    page = HTML_UA.read_text("utf-8")
    for index in range(1, word + 1):
        make_ua_docx(root / "source" / f"word-{index:04d}.docx")
        named = page.replace("Leyla Karimova", f"Leyla Karimova-{index}")
        (root / "source" / f"page-{index:04d}.html").write_text(named, "utf-8")


def fill_french(root: Path) -> int:
    filled = 0
    for po in sorted((root / "po" / "fr").glob("*.po")):
        catalog = polib.pofile(str(po))
        for entry in catalog:
            if entry.msgid and not entry.obsolete:
                entry.msgstr = translate(entry.msgid)
                filled += 1
        catalog.save(str(po))
    return filled


def become_subreaper() -> bool:
    """Orphaned descendants (the fork server, its workers) are reparented to us
    and reaped here, so their CPU time reaches RUSAGE_CHILDREN. Linux only."""
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0) == 0  # SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def reap_orphans() -> None:
    """Wait for every remaining descendant (a fork server outlives its parent briefly)."""
    with contextlib.suppress(ChildProcessError):
        while True:
            os.wait4(-1, 0)


def time_pdf_jobs(root: Path, jobs: int, log: Path) -> tuple[float, float, float]:
    """``build --format pdf -j jobs``: wall seconds, CPU seconds of every process, RSS."""
    before = children_cpu()
    command = [pipeline.find_uai18n(), "-C", str(root), "build", "--lang", "fr"]
    seconds, rss, _ = pipeline.run_child([*command, "--format", "pdf", "-j", str(jobs)], log)
    reap_orphans()
    return seconds, children_cpu() - before, rss


def compare_pdf_jobs(workdir: Path, documents: int, jobs: int, seed: int) -> None:
    """The PDF rows: the same tree built with one process and with ``jobs``."""
    sequential, parallel = workdir / "pdf-j1", workdir / f"pdf-j{jobs}"
    for root in (sequential, parallel):
        if root.exists():
            shutil.rmtree(root)
    log = workdir / "log.txt"
    make_project(sequential, documents, 0, seed)
    with contextlib.suppress(pipeline.StageError):
        pipeline.run_child([pipeline.find_uai18n(), "-C", str(sequential), "run"], log)
    fill_french(sequential)
    shutil.copytree(sequential, parallel)
    subreaper = become_subreaper()
    rows = {1: time_pdf_jobs(sequential, 1, log), jobs: time_pdf_jobs(parallel, jobs, log)}
    print(f"\nPDF, {documents} documents, load average {os.getloadavg()[0]:.1f}")
    print(f"{'jobs':<8}{'docs':>6}{'wall s':>9}{'cpu s':>9}{'ms/doc':>9}{'RSS MiB':>9}")
    for count, (seconds, cpu, rss) in rows.items():
        print(f"{'-j ' + str(count):<8}{documents:>6}{seconds:>9.2f}{cpu:>9.2f}"
              f"{1000 * seconds / documents:>9.1f}{rss:>9.0f}")  # fmt: skip
    names = sorted(path.name for path in (sequential / "output" / "fr").glob("*.pdf"))
    assert len(names) == documents, len(names)
    _, mismatch, errors = filecmp.cmpfiles(
        sequential / "output" / "fr", parallel / "output" / "fr", names, shallow=False
    )
    assert not mismatch and not errors, (mismatch, errors)
    print(f"same bytes: {len(names)} PDFs; speed-up -j {jobs}: "
          f"{rows[1][0] / rows[jobs][0]:.2f}x wall, CPU {rows[jobs][1] / rows[1][1]:.2f}x"
          + ("" if subreaper else " (workers' CPU not counted: no subreaper)"))  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uas", type=int, default=1000, help="text UAs")
    parser.add_argument("--word", type=int, default=100, help="Word UAs, and as many HTML UAs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--pdf-docs", type=int, default=100, help="UAs for the -j rows (0: none)")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)
    uai18n = pipeline.find_uai18n()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="uai18n-bench-formats-"))
    root = workdir / "tree"
    if root.exists():
        shutil.rmtree(root)
    log = workdir / "log.txt"
    if args.uas + args.word == 0:  # the PDF rows only
        compare_pdf_jobs(workdir, args.pdf_docs, args.jobs, args.seed)
        if not args.workdir:
            shutil.rmtree(workdir)
        return 0
    print(f"tree in {root}: {args.uas} text, {args.word} Word and {args.word} HTML UAs")
    make_project(root, args.uas, args.word, args.seed)
    with contextlib.suppress(pipeline.StageError):  # run exits 1: French is not translated
        pipeline.run_child([uai18n, "-C", str(root), "run"], log)
    print(f"filled {fill_french(root)} French entries")
    documents = {"txt": args.uas + 2 * args.word, "html": args.uas + 2 * args.word,
                 "pdf": args.uas + 2 * args.word, "docx": args.word}  # fmt: skip
    print(f"{'format':<8}{'docs':>6}{'wall s':>9}{'cpu s':>9}{'ms/doc':>9}{'RSS MiB':>9}")
    for fmt, count in documents.items():
        command = [uai18n, "-C", str(root), "build", "--lang", "fr", "--format", fmt]
        seconds, rss, cpu = pipeline.run_child(command, log)
        built = len(list((root / "output" / "fr").glob(f"*.{fmt}")))
        assert built == count, (fmt, built, count)
        print(
            f"{fmt:<8}{count:>6}{seconds:>9.2f}{cpu:>9.2f}{1000 * seconds / count:>9.1f}{rss:>9.0f}"
        )
    if args.pdf_docs:
        compare_pdf_jobs(workdir, args.pdf_docs, args.jobs, args.seed)
    if not args.workdir:
        shutil.rmtree(workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
