#!/usr/bin/env python3
"""Benchmark ``uai18n pretranslate``: translation memory, a dry run, a real engine run.

Usage::

    python benchmarks/bench_pretranslate.py --uas 1000 --langs 10 [--mt-uas 50]
        [--history 0.5] [--rewrite 0.25] [--lookups 300] [--workdir DIR] [--keep] [--seed N]

What it does:

1. builds the synthetic project of ``bench_pipeline.py`` (its generator is
   imported, so the same ``--uas`` and ``--seed`` give the same sources) and
   runs ``uai18n run`` once to create the catalogues. Then, untimed, the
   catalogues of the first half of the UAs (``--history``) are translated
   *completely* with polib (bench_pipeline's fake translation: the msgid
   reversed, ``{fields}`` kept, tagged with the language) and those of the
   second half are left *empty*, instead of bench_pipeline's random 80% of
   every catalogue: a history of finished UAs and a batch of new,
   untranslated ones is what a project looks like when pretranslate is
   used, and it gives memory real work. The first half is the memory; the
   second half must be filled from it with exact matches (boilerplate,
   repeated sentences) and fuzzy ones (the same sentence with other names,
   numbers and dates), and every lookup has the whole history to search.
   Every synthetic UA is a variation of the same bundled UA, so from ~200
   UAs on memory alone would fill 100% of the new half and leave the engine
   nothing; so, before the catalogues are made, ``--rewrite`` of the new
   UAs' prose lines (default 25%) get every lowercase word replaced by a
   word of the same length (seeded): new text, in the same layout (the lines
   keep their length; the first 20 are read back with the project's
   reader). ``--rewrite 0`` measures the generator's text as it is.
2. times ``uai18n pretranslate --dry-run --doc`` on the first new UA twice:
   without the persistent memory index (``.uai18n/memory-*.bin`` deleted:
   every catalogue is read) and with it (warm). Then, the index deleted
   again, it times ``uai18n pretranslate --memory-only`` over the whole tree (one
   subprocess: wall seconds, CPU seconds and peak RSS from :func:`os.wait4`)
   and counts, with polib, what it filled in the empty half: exact
   ("memory 100%") and fuzzy ("memory NN%") matches, and the share of the
   previously empty segments that memory covered.
3. starts a LibreTranslate stand-in on 127.0.0.1 (``tests/translate_server.py``,
   which answers ``[lang] text``) and times
   ``uai18n pretranslate --dry-run --engine libre --engine-url URL`` over the
   whole tree: the segments and characters per language that a first run
   would send. The languages are the ones of bench_pipeline's list that
   deep-translator's LibreTranslator supports (it knows only 17 codes; nl,
   uk, sv, fi, cs, el and he would all fail), so ``--langs`` is at most 13
   and ``--langs 10`` is fr es ru ar de pt it pl tr ja.
4. the real first engine run (memory has already filled what it can, so
   only the rest is sent), against that server, on the first ``--mt-uas``
   UAs of the empty half only (batched: a catalogue's uncached segments in as
   few requests as LibreTranslate's limits allow, sequentially; the report gives
   requests per 100 segments, measured for libre and, for the other engines,
   what their limits would make of the same batches: before batching, 100);
   ``LIBRETRANSLATE_API_KEY`` is a dummy value in the child's environment
   only. Before it, a ``--dry-run`` of the same UAs gives what it should
   send; after it, the catalogues are restored from a copy taken before the
   run and ``--dry-run`` runs again: every answer is in
   ``.uai18n/mt-cache.sqlite3``, so it must send 0 characters; the
   benchmark exits 1 otherwise.
5. in-process: builds the memory with ``project_memory`` (the project's
   ``load_config``) and times ``TranslationMemory.lookup`` for ``--lookups``
   msgids drawn from the empty half (mean and max ms; exact, fuzzy, none).
6. prints a table (command, wall seconds, peak RSS, CPU seconds, files
   written) and the key figures.

Children are started by bench_check's launcher, so that each ``ru_maxrss``
is the child's own (see ``bench_check.LAUNCHER``). The stand-in server runs in
this process, so during the real run it shares the machine's cores with the
child being timed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES

from uai18n.config import load_config
from uai18n.pretranslate.engines import BATCH_APIS, plan_batches
from uai18n.pretranslate.memory import project_memory
from uai18n.readers.text import read_text

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))
sys.path.insert(0, str(BENCHMARKS.parent / "tests"))

import bench_check as check  # noqa: E402  (the launcher, rows and table)
import bench_pipeline as pipeline  # noqa: E402  (the generator of the synthetic tree)
from translate_server import TranslateServer  # noqa: E402  (the LibreTranslate stand-in)

MARKER = ".uai18n-bench-pretranslate"  # marks a --workdir as ours, so a rerun may clear it
OWN_DIRS = ("tree", "mt-before", "logs")
ENGINE = "libre"
#: What the child gets for the engine's key (and so that 127.0.0.1 is never proxied).
CHILD_ENV = ("LIBRETRANSLATE_API_KEY=bench-dummy-key", "NO_PROXY=127.0.0.1", "no_proxy=127.0.0.1")
#: bench_pipeline's languages that deep-translator's LibreTranslator knows.
LIBRE_CODES = frozenset(LIBRE_LANGUAGES_TO_CODES.values())
LANGUAGES = tuple(code for code in pipeline.ALL_LANGUAGES if code in LIBRE_CODES)
#: exit codes of pretranslate that mean "ran" (1: a segment failed or a budget stopped it)
RAN = (0, 1)
STARTS = 5  # runs of ``uai18n --version`` to time the start-up
CHECKED = 20  # rewritten UAs read back with the project's reader

_LOWER_WORD = re.compile(r"\b[a-z]{3,}\b")
_MEMORY_NOTE = re.compile(r"^memory (\d+)% from ")
_SENT = re.compile(r"^(\S+) (\S+): (?:would send|sent) (\d+) segment\(s\), (\d+) character\(s\)$")
_HITS = re.compile(r"^(\S+) (\S+): (?:would take|took) (\d+) answer\(s\) from the cache$")


# --- setup -------------------------------------------------------------------------


def fill_history(po_dir: Path, languages: tuple[str, ...], documents: list[str]) -> int:
    """Translate every entry of these documents' catalogues (the history); save."""
    filled = 0
    for language in languages:
        for document in documents:
            path = po_dir / language / f"{document}.po"
            catalog = polib.pofile(str(path), wrapwidth=79)
            for entry in catalog:
                if entry.obsolete or not entry.msgid or entry.msgid_plural:
                    continue
                entry.msgstr = pipeline.fake_translation(entry.msgid, language)
                filled += 1
            catalog.save(str(path))
    return filled


def vocabulary(base_text: str) -> dict[int, list[str]]:
    """The lowercase words of the bundled UA and of bench_pipeline's pools, by length."""
    text = " ".join([base_text, *pipeline.REPORT_POOL, *pipeline.LETTER_POOL])
    words: dict[int, list[str]] = {}
    for word in sorted(set(_LOWER_WORD.findall(text))):
        words.setdefault(len(word), []).append(word)
    return words


def prose_lines(lines: list[str], base: pipeline.Base) -> list[int]:
    """Where a UA of make_ua's layout has its summary, letter and background lines."""
    take = lines.index(base.call_to_action)
    dear = next(i for i in range(take + 1, len(lines)) if lines[i].startswith("Dear "))
    closing = lines.index(base.closing, dear)
    heading = lines.index(base.heading, closing)
    end = lines.index("", heading)
    return [*range(2, take), *range(dear + 1, closing), *range(heading + 1, end)]


def rewrite(
    text: str, base: pipeline.Base, words: dict[int, list[str]], rng: random.Random, share: float
) -> str:
    """``share`` of the prose lines with every lowercase word (3+ letters) replaced by
    a word of the same length: new text that memory cannot match, in the same layout
    (every line keeps its length, capitals and punctuation)."""
    lines = text.split("\n")
    for index in prose_lines(lines, base):
        if rng.random() < share:
            lines[index] = _LOWER_WORD.sub(
                lambda m: rng.choice(words.get(len(m.group()), [m.group()])), lines[index]
            )
    return "\n".join(lines)


def roles(text: str) -> list[object]:
    """The role of every block the project's reader sees in a UA."""
    document = read_text(text, doc_id="x", source_path="x.txt", language="en")
    return [block.role for block in document.blocks]


def rewrite_new(
    tree: Path, base: pipeline.Base, documents: list[str], share: float, seed: int
) -> int:
    """Rewrite ``share`` of the prose lines of these UAs (seeded); check the first
    CHECKED with the reader: the same paragraphs, in the same roles, as before."""
    words = vocabulary(pipeline.BASE_UA.read_text("utf-8"))
    changed = 0
    for number, document in enumerate(documents):
        path = tree / "source" / f"{document}.txt"
        text = path.read_text("utf-8")
        new = rewrite(text, base, words, random.Random(f"{seed}:{document}:rewrite"), share)
        if number < CHECKED and roles(text) != roles(new):
            raise SystemExit(f"{document}: rewriting changed the paragraphs the reader sees")
        changed += sum(a != b for a, b in zip(text.split("\n"), new.split("\n"), strict=True))
        path.write_text(new, "utf-8")
    return changed


def prepare_workdir(requested: Path | None) -> tuple[Path, Callable[[], None]]:
    """bench_pipeline's work folder handling, with this benchmark's own folders."""
    return pipeline.prepare_workdir(
        requested, marker=MARKER, own_dirs=OWN_DIRS, made_by="benchmarks/bench_pretranslate.py"
    )


def find_env() -> str:
    found = shutil.which("env")
    if found is None:
        raise SystemExit("no `env` on PATH: needed to give the child its API key")
    return found


# --- what pretranslate did -----------------------------------------------------------


@dataclass
class Filled:
    """The entries of one language's catalogues, by what filled them."""

    entries: int = 0
    exact: int = 0  # "memory 100% from ..."
    fuzzy: int = 0  # "memory NN% from ..."
    machine: int = 0  # "machine: libre DATE"
    empty: int = 0
    other: int = 0  # translated by someone (the history)
    scores: Counter[int] = field(default_factory=Counter)
    left: set[str] = field(default_factory=set)  # distinct msgids still empty

    @property
    def memory(self) -> int:
        return self.exact + self.fuzzy


def count_filled(
    po_dir: Path, languages: tuple[str, ...], documents: list[str]
) -> dict[str, Filled]:
    """Per language: how each entry of these catalogues got its msgstr (from the comments)."""
    counts: dict[str, Filled] = {}
    for language in languages:
        filled = counts[language] = Filled()
        for document in documents:
            for entry in polib.pofile(str(po_dir / language / f"{document}.po")):
                if entry.obsolete or not entry.msgid or entry.msgid_plural:
                    continue
                filled.entries += 1
                if not entry.msgstr:
                    filled.empty += 1
                    filled.left.add(entry.msgid)
                    continue
                lines = (entry.tcomment or "").splitlines()
                score = next((m for m in map(_MEMORY_NOTE.match, lines) if m), None)
                if score is not None:
                    value = int(score.group(1))
                    if value == 100:
                        filled.exact += 1
                    else:
                        filled.fuzzy += 1
                        filled.scores[value] += 1
                elif any(line.startswith(f"machine: {ENGINE} ") for line in lines):
                    filled.machine += 1
                else:
                    filled.other += 1
    return counts


@dataclass
class Sent:
    """pretranslate's own report: segments and characters sent (or that would be), cache hits."""

    segments: Counter[str] = field(default_factory=Counter)
    characters: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def read_report(log: Path, since: int) -> Sent:
    """The summary lines pretranslate printed after ``since`` in the log."""
    with log.open("rb") as stream:
        stream.seek(since)
        text = stream.read().decode("utf-8", errors="replace")
    sent = Sent()
    for line in text.splitlines():
        if match := _SENT.match(line):
            sent.segments[match.group(2)] += int(match.group(3))
            sent.characters[match.group(2)] += int(match.group(4))
        elif match := _HITS.match(line):
            sent.hits[match.group(2)] += int(match.group(3))
        elif line and not line.startswith(("$ ", "po/")) and line != "nothing to fill":
            sent.problems.append(line)
    return sent


def measured(
    launcher: check.Launcher,
    label: str,
    command: list[str],
    tree: Path,
    log: Path,
    rows: list[check.Row],
) -> tuple[check.Row, Sent]:
    """One timed pretranslate: its row (files written in the note) and its report."""
    since = log.stat().st_size if log.exists() else 0
    before = pipeline.snapshot(tree)
    row = check.timed(launcher, label, command, log, accepted=RAN)
    files = pipeline.written(before, pipeline.snapshot(tree))
    row.note = f"{files} files written" + (f"; {row.note}" if row.note else "")
    rows.append(row)
    return row, read_report(log, since)


# --- requests per segment ------------------------------------------------------------


def requests_per_100(received: list[dict[str, object]], segments: int) -> list[str]:
    """Requests per 100 segments sent: measured (libre, the stand-in's requests), and
    what each other engine's batch limits make of the same batches (each libre
    request holds one catalogue's texts; a catalogue cut in two for libre may fit
    one request elsewhere, so these are upper bounds). Before batching: 100."""
    batches = []
    for request in received:
        q = request["params"].get("q") if isinstance(request.get("params"), dict) else None  # type: ignore[union-attr]
        batches.append([q] if isinstance(q, str) else list(q or []))
    lines = [f"requests per 100 segments: libre {100 * len(received) / segments:.1f} (measured)"]
    for kind, name in (("deepl", "deepl"), ("microsoft", "microsoft"), ("google-cloud", "google")):
        api = BATCH_APIS[kind]
        count = sum(
            len(plan_batches(texts, api.limits, lambda text: len(text.encode()) + 3))
            for texts in batches
        )
        lines.append(f"  {name} (key: Cloud v2) " if kind == "google-cloud" else f"  {name} ")
        lines[-1] += f"<= {100 * count / segments:.1f}"
    lines.append("  mymemory and keyless google 100.0 (no batch API); before batching: 100.0 each")
    return lines


# --- memory in-process ---------------------------------------------------------------


@dataclass
class Lookups:
    build_seconds: float
    entries: int
    distinct: int
    index_seconds: float  # the first lookup of each language sorts its entries
    times_ms: dict[str, list[float]]  # "exact", "fuzzy", "none" -> ms per lookup


def time_lookups(
    tree: Path, languages: tuple[str, ...], documents: list[str], count: int, seed: int
) -> Lookups:
    """Build the project's memory and time ``lookup`` on msgids of ``documents``."""
    config = load_config(tree)
    start = time.perf_counter()
    memory = project_memory(config, languages)
    build = time.perf_counter() - start
    distinct = sum(len(memory.entries(language)) for language in languages)
    rng = random.Random(f"{seed}:lookups")
    catalogues = [(language, document) for language in languages for document in documents]
    pairs: list[tuple[str, str]] = []
    for language, document in rng.sample(catalogues, min(len(catalogues), max(1, count // 10))):
        path = tree / "po" / language / f"{document}.po"
        pairs += [
            (language, e.msgid) for e in polib.pofile(str(path)) if e.msgid and not e.obsolete
        ]
    sample = rng.sample(pairs, min(count, len(pairs)))
    start = time.perf_counter()
    for language in languages:
        memory.lookup(language, "")  # builds the language's index, searches nothing
    index = time.perf_counter() - start
    times: dict[str, list[float]] = {"exact": [], "fuzzy": [], "none": []}
    for language, msgid in sample:
        start = time.perf_counter()
        match = memory.lookup(language, msgid)
        took = 1000 * (time.perf_counter() - start)
        kind = "none" if match is None else "exact" if match.score == 100 else "fuzzy"
        times[kind].append(took)
    return Lookups(build, len(memory), distinct, index, times)


# --- the report ----------------------------------------------------------------------


def percent(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def print_languages(
    counts: dict[str, Filled], dry: Sent, languages: tuple[str, ...], empty_uas: int
) -> None:
    print(
        f"{'lang':<6}{'empty before':>13}{'memory 100%':>13}{'fuzzy':>8}{'covered':>9}"
        f"{'left':>8}{'distinct':>10}{'dry-run segs':>14}{'dry-run chars':>15}"
    )
    print("-" * 96)
    total = Filled()
    for language in languages:
        row = counts[language]
        print(
            f"{language:<6}{row.entries:>13}{row.exact:>13}{row.fuzzy:>8}"
            f"{percent(row.memory, row.entries):>9}{row.empty:>8}{len(row.left):>10}"
            f"{dry.segments[language]:>14}{dry.characters[language]:>15}"
        )
        total.entries += row.entries
        total.exact += row.exact
        total.fuzzy += row.fuzzy
        total.empty += row.empty
        total.scores.update(row.scores)
        total.left.update(f"{language}\0{msgid}" for msgid in row.left)
    print("-" * 96)
    print(
        f"{'all':<6}{total.entries:>13}{total.exact:>13}{total.fuzzy:>8}"
        f"{percent(total.memory, total.entries):>9}{total.empty:>8}{len(total.left):>10}"
        f"{sum(dry.segments.values()):>14}{sum(dry.characters.values()):>15}"
    )
    print(
        f"(empty before: every entry of the {empty_uas} new UAs' catalogues; left: still empty "
        "after --memory-only; distinct: different msgids among them)"
    )
    bands: Counter[str] = Counter()
    for score, number in total.scores.items():
        bands["75-79" if score < 80 else "80-89" if score < 90 else "90-99"] += number
    print("fuzzy matches by score: " + ", ".join(f"{b} {bands[b]}" for b in sorted(bands)))


def ms(values: list[float]) -> str:
    if not values:
        return "none"
    return f"{len(values)}: mean {statistics.fmean(values):.2f} ms, max {max(values):.2f} ms"


# --- the benchmark -------------------------------------------------------------------


def copy_catalogues(
    source: Path, target: Path, languages: tuple[str, ...], documents: list[str]
) -> None:
    """Copy ``<lang>/<doc>.po`` of these documents (to set catalogues aside and back)."""
    for language in languages:
        (target / language).mkdir(parents=True, exist_ok=True)
        for document in documents:
            name = f"{document}.po"
            shutil.copy2(source / language / name, target / language / name)


def clear_memory_index(tree: Path) -> None:
    """Delete the persistent memory index (``.uai18n/memory-*.bin``): the next run is cold."""
    for path in (tree / ".uai18n").glob("memory-*.bin"):
        path.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--uas", type=int, default=1000, help="number of UAs (default 1000)")
    count = len(LANGUAGES)
    parser.add_argument(
        "--langs", type=int, default=10, help=f"target languages, 1-{count} (default 10)"
    )
    parser.add_argument(
        "--history",
        type=float,
        default=0.5,
        help="share of the UAs translated beforehand, the memory (default 0.5)",
    )
    parser.add_argument(
        "--rewrite",
        type=float,
        default=0.25,
        help="share of the new UAs' prose lines rewritten as new text (default 0.25)",
    )
    parser.add_argument(
        "--mt-uas",
        type=int,
        default=50,
        help="new UAs the real engine run covers (default 50; 0: skip it)",
    )
    parser.add_argument(
        "--lookups", type=int, default=300, help="memory lookups timed in-process (default 300)"
    )
    parser.add_argument("--workdir", type=Path, help="work here instead of a temporary folder")
    parser.add_argument("--keep", action="store_true", help="keep the trees afterwards")
    parser.add_argument("--seed", type=int, default=2019, help="random seed (default 2019)")
    args = parser.parse_args(argv)
    if not 1 <= args.langs <= count or args.uas < 2 or not 0 < args.history < 1:
        parser.error(f"--uas >= 2, --langs 1-{count}, 0 < --history < 1")
    if args.mt_uas < 0 or args.lookups < 1 or not 0 <= args.rewrite <= 1:
        parser.error("--mt-uas >= 0, --lookups >= 1, 0 <= --rewrite <= 1")
    languages = LANGUAGES[: args.langs]
    uai18n = pipeline.find_uai18n()
    env = find_env()
    started = time.perf_counter()
    root, clean = prepare_workdir(args.workdir)
    tree, mt_before, logs = (root / name for name in OWN_DIRS)
    logs.mkdir()
    log = logs / "uai18n.log"
    documents = [f"ua-{index:04d}" for index in range(1, args.uas + 1)]
    split = min(args.uas - 1, max(1, round(args.uas * args.history)))
    history, new = documents[:split], documents[split:]
    mt_docs = new[: args.mt_uas]
    rows: list[check.Row] = []
    launcher = check.Launcher()  # first, while this process is small (see bench_check)
    server = None
    failed = False
    try:
        # 1. the tree: sources, one run, the history translated, the new UAs empty
        base = pipeline.generate(tree, root, uai18n, args.uas, languages, args.seed)
        rewritten = rewrite_new(tree, base, new, args.rewrite, args.seed)
        print(
            f"  rewrote {rewritten} prose lines of the {len(new)} new UAs "
            f"(--rewrite {args.rewrite}); {min(CHECKED, len(new))} read back as written",
            flush=True,
        )

        def cli(*words: str, docs: list[str] | None = None) -> list[str]:
            chosen = [word for doc in docs or [] for word in ("--doc", doc)]
            return [uai18n, "-C", str(tree), *words, *chosen]

        setup = check.timed(launcher, "(setup) uai18n run", cli("run"), log, accepted=(0, 1))
        step = time.perf_counter()
        translated = fill_history(tree / "po", languages, history)
        took = time.perf_counter() - step
        print(
            f"  translated {translated} entries of {len(history)} UAs (history) with polib "
            f"in {took:.1f} s; {len(new)} UAs left empty",
            flush=True,
        )

        # 2. one new UA, dry run: the memory index made (cold), then loaded (warm)
        server = TranslateServer().start()
        engine = ["--engine", ENGINE, "--engine-url", server.url]
        doc_rows: dict[str, check.Row] = {}
        for state in ("cold", "warm"):
            if state == "cold":
                clear_memory_index(tree)
            doc_rows[state], _ = measured(
                launcher,
                f"pretranslate --dry-run --doc ({state})",
                cli("pretranslate", "--dry-run", *engine, docs=[new[0]]),
                tree,
                log,
                rows,
            )

        # 3. memory only, over the whole tree, with no memory index (the cold case)
        clear_memory_index(tree)
        memory_row, _ = measured(
            launcher,
            "pretranslate --memory-only",
            cli("pretranslate", "--memory-only"),
            tree,
            log,
            rows,
        )
        step = time.perf_counter()
        counts = count_filled(tree / "po", languages, new)
        took = time.perf_counter() - step
        print(f"  counted the new UAs' entries with polib in {took:.1f} s", flush=True)

        # 4. what a first run would send, over the whole tree
        dry_row, dry = measured(
            launcher,
            "pretranslate --dry-run (all)",
            cli("pretranslate", "--dry-run", *engine),
            tree,
            log,
            rows,
        )

        # 5. a real first run on --mt-uas new UAs, then a rerun from the cache
        real = rerun = predicted = None
        real_row = predicted_row = None
        machine: dict[str, Filled] = {}
        if mt_docs:
            tag = f"({len(mt_docs)} new)"
            predicted_row, predicted = measured(
                launcher,
                f"pretranslate --dry-run {tag}",
                cli("pretranslate", "--dry-run", *engine, docs=mt_docs),
                tree,
                log,
                rows,
            )
            copy_catalogues(tree / "po", mt_before, languages, mt_docs)
            real_row, real = measured(
                launcher,
                f"pretranslate libre {tag}",
                [env, *CHILD_ENV, *cli("pretranslate", *engine, docs=mt_docs)],
                tree,
                log,
                rows,
            )
            machine = count_filled(tree / "po", languages, mt_docs)
            copy_catalogues(mt_before, tree / "po", languages, mt_docs)
            _, rerun = measured(
                launcher,
                f"pretranslate --dry-run {tag} again",
                cli("pretranslate", "--dry-run", *engine, docs=mt_docs),
                tree,
                log,
                rows,
            )
        starts = [launcher.run([uai18n, "--version"], log).seconds for _ in range(STARTS)]
        startup = sum(starts) / STARTS

        # 6. memory lookups in-process
        lookups = time_lookups(tree, languages, new, args.lookups, args.seed)

        # 7. the report
        catalogues = args.uas * len(languages)
        print()
        print(
            f"uai18n pretranslate: {args.uas} UAs x {len(languages)} languages = {catalogues} "
            f"catalogues; {len(history)} UAs translated (the memory), {len(new)} new and empty; "
            "peak RSS by os.wait4 per child"
        )
        check.print_table(rows)
        print()
        print(
            f"setup: uai18n run {setup.seconds:.1f} s; {translated} entries of the history "
            "translated with polib"
        )
        print()
        print("memory (--memory-only) on the new UAs, and what a first engine run would send:")
        print_languages(counts, dry, languages, len(new))
        print()
        empty = sum(row.entries for row in counts.values())
        exact = sum(row.exact for row in counts.values())
        fuzzy = sum(row.fuzzy for row in counts.values())
        others = f"; {len(dry.problems)} other lines in its output" if dry.problems else ""
        print(f"dry run over every UA: {sum(dry.hits.values())} cache hits{others}")
        if real and real_row and predicted and predicted_row:
            sent_segments = sum(real.segments.values())
            sent_chars = sum(real.characters.values())
            filled = sum(row.machine for row in machine.values())
            print(
                f"real run on {len(mt_docs)} of the {len(new)} new UAs ({mt_docs[0]}.."
                f"{mt_docs[-1]}; --mt-uas: the stand-in answers one request at a time):"
            )
            print(
                f"  the dry run before it predicted {sum(predicted.segments.values())} segments, "
                f"{sum(predicted.characters.values())} characters"
            )
            print(
                f"  pretranslate sent {sent_segments} segments, {sent_chars} characters "
                f"({sum(real.hits.values())} answers from the cache within the run); "
                f"the server received {len(server.requests)} requests, {server.characters} "
                f"characters; {filled} entries filled by machine ({real_row.note})"
            )
            if sent_segments:
                for line in requests_per_100(server.requests, sent_segments):
                    print(f"  {line}")
                extra = real_row.seconds - predicted_row.seconds
                print(
                    f"  {1000 * real_row.seconds / sent_segments:.1f} ms of wall time per segment "
                    f"sent; {1000 * extra / sent_segments:.1f} ms beyond the dry run of the "
                    "same UAs (start-up, memory and lookups are common to both)"
                )
            for line in real.problems[:5]:
                print(f"  ! {line}")
            if len(real.problems) > 5:
                print(f"  ! ... {len(real.problems) - 5} more lines in {log}")
        print(
            f"memory in-process: built in {lookups.build_seconds:.2f} s, {lookups.entries} entries "
            f"({lookups.distinct} distinct source/target pairs); indexing the "
            f"{len(languages)} languages (first lookup each) {1000 * lookups.index_seconds:.0f} ms"
        )
        every = [value for values in lookups.times_ms.values() for value in values]
        print(f"  lookup, all {ms(every)}")
        for kind in ("exact", "fuzzy", "none"):
            print(f"  lookup, {kind} {ms(lookups.times_ms[kind])}")
        print(f"uai18n start-up alone (uai18n --version): {startup:.2f} s")
        print()
        print("key figures:")
        for state, row in doc_rows.items():
            print(
                f"  --dry-run --doc {new[0]}, memory index {state}: {row.seconds:.2f} s "
                f"(cpu {row.cpu:.2f} s, peak RSS {row.rss_mib:.0f} MiB)"
                + ("; goal <= 2 s" if state == "warm" else "")
            )
        print(
            f"  memory covered {percent(exact + fuzzy, empty)} of {empty} previously empty "
            f"segments ({exact} exact, {fuzzy} fuzzy) in {memory_row.seconds:.1f} s "
            f"(cpu {memory_row.cpu:.1f} s, peak RSS {memory_row.rss_mib:.0f} MiB; "
            "no memory index at the start; goal <= 60 s)"
        )
        print(
            f"  a first engine run would send {sum(dry.characters.values())} characters in "
            f"{sum(dry.segments.values())} segments (dry run, every UA; "
            f"{dry_row.seconds:.1f} s)"
        )
        if real is not None and real_row is not None and rerun is not None:
            again = sum(rerun.characters.values())
            verdict = "met" if again == 0 else "NOT met"
            failed = again != 0
            print(
                f"  real run on {len(mt_docs)} UAs: {sum(real.characters.values())} characters, "
                f"{real_row.seconds:.1f} s"
            )
            print(
                f"  rerun after restoring the catalogues would send {again} characters "
                f"({sum(rerun.hits.values())} cache hits; goal 0: {verdict})"
            )
        else:
            print("  real engine run skipped (--mt-uas 0)")
        print(
            f"  memory lookup: mean {statistics.fmean(every):.2f} ms, max {max(every):.2f} ms "
            f"over {len(every)} lookups"
        )
        load = " ".join(f"{value:.2f}" for value in os.getloadavg())
        print(
            f"benchmark took {time.perf_counter() - started:.1f} s; load average at the end {load}"
        )
    except check.StageError as error:
        print(f"stage failed: {error}", file=sys.stderr)
        print(f"logs kept in {logs}", file=sys.stderr)
        return 1
    finally:
        launcher.close()
        if server is not None:
            server.close()
    if args.keep:
        print(f"kept: {root}")
    else:
        clean()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
