#!/usr/bin/env python3
"""Benchmark the glossary check: a 10,000-concept glossary against 50,000 segments.

Usage::

    python benchmarks/bench_glossary.py [--concepts 10000] [--segments 50000] [--seed 1]

What it does:

1. makes a synthetic English/French glossary of ``--concepts`` concepts
   from real words (simplemma's dictionaries: each term is 1-3 lemmas, a
   fifth of the concepts also get a deprecated French variant), plus the
   shipped ``glossary/``;
2. makes ``--segments`` (msgid, msgstr) pairs of 12-24 real word forms with
   0-3 terms in inflected forms (some translations use the deprecated
   variant, some leave the term out), so the check has real work to do;
3. times, in this process: loading the glossary (CSV), building the
   checker (both languages' indexes) and checking every pair; prints
   segments per second, findings by check id and the peak RSS.

The goal is the issue's: under 60 s on two cores (the check runs on one).
Nothing here is timed in the test suite.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from uai18n.glossary.check import GlossaryChecker
from uai18n.glossary.load import CSV_COLUMNS, load_glossary

REPO = Path(__file__).resolve().parent.parent


def vocabulary(language: str, rng: random.Random, size: int) -> dict[str, list[str]]:
    """``size`` lemmas of real words, each with its inflected forms."""
    forms: dict[str, list[str]] = defaultdict(list)
    for form, lemma in DefaultDictionaryFactory().get_dictionary(language).items():
        if form.isalpha() and lemma.isalpha() and len(lemma) > 3:
            forms[lemma].append(form)
    lemmas = sorted(lemma for lemma in forms if lemma in forms[lemma] or len(forms[lemma]) > 1)
    chosen = rng.sample(lemmas, min(size, len(lemmas)))
    return {lemma: sorted({lemma, *forms[lemma]}) for lemma in chosen}


def make_glossary(rng: random.Random, concepts: int, folder: Path) -> list[tuple[str, ...]]:
    """Write the synthetic glossary; return (en lemmas, fr lemmas, fr deprecated) per concept."""
    english = vocabulary("en", rng, 40_000)
    french = vocabulary("fr", rng, 40_000)
    en_words, fr_words = sorted(english), sorted(french)
    rows, made, seen = [], [], set()
    while len(made) < concepts:
        length = rng.choice((1, 2, 2, 3))
        en = tuple(rng.sample(en_words, length))
        fr = tuple(rng.sample(fr_words, length))
        if en in seen:
            continue
        seen.add(en)
        concept = f"bench-{len(made)}"
        rows.append((concept, "en", " ".join(en), "preferred", "noun", ""))
        rows.append((concept, "fr", " ".join(fr), "preferred", "noun", ""))
        deprecated = ""
        if rng.random() < 0.2:
            deprecated = " ".join(rng.sample(fr_words, length))
            rows.append((concept, "fr", deprecated, "deprecated", "noun", ""))
        made.append((en, fr, deprecated))
    with (folder / "bench.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
    for path in (REPO / "glossary").glob("*.csv"):
        (folder / path.name).write_bytes(path.read_bytes())
    made_forms = [(en, fr, dep, english, french) for en, fr, dep in made]
    return made_forms  # type: ignore[return-value]


def make_segments(
    rng: random.Random, concepts: list, count: int, expected: Counter[str]
) -> list[tuple[str, str]]:
    english = concepts[0][3]
    french = concepts[0][4]
    # filler words are never term words, so the expected findings are known
    used_en = {word for concept in concepts for word in concept[0]}
    used_fr = {word for concept in concepts for word in (*concept[1], *concept[2].split())}
    en_filler = [f for lemma, forms in english.items() if lemma not in used_en for f in forms]
    fr_filler = [f for lemma, forms in french.items() if lemma not in used_fr for f in forms]
    pairs = []
    for _ in range(count):
        source = rng.sample(en_filler, rng.randint(12, 24))
        target = rng.sample(fr_filler, rng.randint(12, 24))
        for _term in range(rng.randint(0, 3)):
            expected["terms"] += 1
            en, fr, deprecated, _, _ = rng.choice(concepts)
            at = rng.randint(0, len(source))
            source[at:at] = [rng.choice(english[word]) for word in en]
            roll = rng.random()
            if roll < 0.1:
                expected["left out"] += 1
                continue  # left out: glossary-missing
            words = deprecated.split() if deprecated and roll < 0.2 else fr
            if words != fr:
                expected["deprecated"] += 1
            at = rng.randint(0, len(target))
            target[at:at] = [rng.choice(french.get(word, [word])) for word in words]
        pairs.append((" ".join(source) + ".", " ".join(target) + "."))
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=10_000)
    parser.add_argument("--segments", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        concepts = make_glossary(rng, args.concepts, folder)
        expected: Counter[str] = Counter()
        pairs = make_segments(rng, concepts, args.segments, expected)
        print(
            f"generated {args.concepts} concepts, {len(pairs)} segments "
            f"in {time.perf_counter() - started:.1f} s (not counted)"
        )
        started = time.perf_counter()
        glossary = load_glossary(folder)
        loaded = time.perf_counter()
        checker = GlossaryChecker(glossary, "en")
        checker.target("fr")
        indexed = time.perf_counter()
        findings: Counter[str] = Counter()
        for msgid, msgstr in pairs:
            for finding in checker.check(msgid, msgstr, "fr"):
                findings[finding.check] += 1
        checked = time.perf_counter()
    total = checked - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"glossary: {len(glossary.concepts)} concepts, {len(glossary.terms)} terms")
    print(f"load CSV          {loaded - started:7.2f} s")
    print(f"build indexes     {indexed - loaded:7.2f} s  (en + fr, incl. dictionary loads)")
    print(
        f"check segments    {checked - indexed:7.2f} s  "
        f"({len(pairs) / (checked - indexed):,.0f} segments/s)"
    )
    print(f"total             {total:7.2f} s  (goal: < 60 s)")
    print(f"peak RSS          {rss:7.0f} MB")
    print(
        f"inserted: {expected['terms']} terms, {expected['left out']} left out, "
        f"{expected['deprecated']} as the deprecated variant"
    )
    for check, count in sorted(findings.items()):
        print(f"  {check:<22}{count:>8}")
    return 0 if total < 60 else 1


if __name__ == "__main__":
    sys.exit(main())
