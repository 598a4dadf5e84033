"""The glossary check against the labeled set: the issue's quality figures.

The set (``tests/data/glossary-labeled.csv``, 915 rows in fr, es, ru, ar,
de, pt, zh, ja) was written from the glossary without looking at the
matcher. Goals: recall >= 0.90 on correct inflected uses, every deprecated
use flagged, precision >= 0.95. ``benchmarks/eval_glossary.py`` prints the
same figures per language and for the methods we did not choose.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from glossary_labeled import Score, read_rows, score

from uai18n.glossary.check import GlossaryChecker
from uai18n.glossary.load import load_glossary

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary"


@pytest.fixture(scope="module")
def scores() -> dict[str, Score]:
    return score(GlossaryChecker(load_glossary(GLOSSARY), "en"), read_rows())


def test_the_set_covers_every_language_and_label(scores: dict[str, Score]) -> None:
    for language in ("fr", "es", "ru", "ar", "de", "pt", "zh", "ja"):
        counts = scores[language].counts
        assert counts["correct"] >= 30 and counts["paraphrase"] >= 15, language
        assert counts["deprecated"] >= 4, language


def test_recall_on_correct_inflected_uses(scores: dict[str, Score]) -> None:
    assert scores["all"].recall >= 0.95
    for language, result in scores.items():
        assert result.recall >= 0.90, (language, result.misses[:5])


def test_every_deprecated_use_is_flagged(scores: dict[str, Score]) -> None:
    assert scores["all"].deprecated_flagged == 1.0, [
        miss for miss in scores["all"].misses if miss[0].label == "deprecated"
    ]


def test_paraphrases_are_reported_missing_the_term(scores: dict[str, Score]) -> None:
    assert scores["all"].paraphrase_flagged >= 0.95


def test_precision(scores: dict[str, Score]) -> None:
    assert scores["all"].precision >= 0.95
