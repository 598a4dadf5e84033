#!/usr/bin/env python3
"""Compare ways of matching glossary terms on the labeled set in ``tests/data``.

Usage::

    python benchmarks/eval_glossary.py [--misses N]

For each method (how a word becomes the key that terms are matched on) it
prints, per language: recall on correct inflected uses, the share of
deprecated uses flagged, the share of paraphrases flagged as missing the
term, and the precision of the findings (see ``tests/glossary_labeled.py``
for the exact definitions). The method in ``uai18n.glossary.match`` is the
first row; the others are what we chose it over:

* exact words: lower-cased words, no inflection (what string-matching tools do);
* stem, lemma, lemma+stem everywhere, English included, one key per word;
* variants of the chosen method (``|`` separates alternative keys, see
  ``uai18n.glossary.match.KEY_METHODS``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import glossary_labeled  # noqa: E402

from uai18n.glossary import match  # noqa: E402
from uai18n.glossary.check import GlossaryChecker  # noqa: E402
from uai18n.glossary.load import load_glossary  # noqa: E402

METHODS = {
    "uai18n (en lemma|word, others lemma+stem|stem)": (
        dict(match.KEY_METHODS),
        match.DEFAULT_KEY_METHOD,
    ),
    "exact words": ({}, "none"),
    "stem everywhere": ({}, "stem"),
    "lemma everywhere": ({}, "lemma"),
    "lemma+stem everywhere": ({}, "lemma+stem"),
    "en lemma, others lemma+stem": ({"en": "lemma"}, "lemma+stem"),
    "en lemma|word, others lemma|stem": ({"en": "lemma|word"}, "lemma|stem"),
    "en lemma|word, others lemma+stem|stem|lemma": ({"en": "lemma|word"}, "lemma+stem|stem|lemma"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", type=int, default=0, help="print N misses of the first method")
    args = parser.parse_args(argv)
    rows = glossary_labeled.read_rows()
    glossary = load_glossary(REPO / "glossary")
    languages = sorted({row.lang for row in rows})
    print(f"{len(rows)} labeled rows; languages {', '.join(languages)}")
    header = f"{'lang':<6}{'recall':>8}{'deprec.':>9}{'paraph.':>9}{'precision':>11}{'n':>6}"
    for number, (name, (per_language, default)) in enumerate(METHODS.items()):
        match.KEY_METHODS.clear()
        match.KEY_METHODS.update(per_language)
        match.DEFAULT_KEY_METHOD = default
        started = time.perf_counter()
        scores = glossary_labeled.score(GlossaryChecker(glossary, "en"), rows)
        print(f"\n{name}  ({time.perf_counter() - started:.1f} s)\n{header}")
        for language in [*languages, "all"]:
            s = scores[language]
            total = sum(s.counts[label] for label in ("correct", "deprecated", "paraphrase"))
            print(
                f"{language:<6}{s.recall:>8.3f}{s.deprecated_flagged:>9.3f}"
                f"{s.paraphrase_flagged:>9.3f}{s.precision:>11.3f}{total:>6}"
            )
        if number == 0 and args.misses:
            for row, why in scores["all"].misses[: args.misses]:
                print(f"  line {row.line} {row.lang} {row.label} {row.concept}: {why}")
                print(f"      {row.translation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
