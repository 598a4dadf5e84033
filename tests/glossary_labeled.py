"""Score the glossary check on the labeled set ``tests/data/glossary-labeled.csv``.

Each row is an English source sentence that uses a concept's term and its
translation, labeled ``correct`` (a preferred/admitted rendering, inflected as
the sentence needs), ``deprecated`` (a deprecated rendering) or
``paraphrase`` (the meaning without the term). The set was written without
looking at the matcher. Only findings about the row's own concept are scored:

* correct: no finding for the concept, and the source term was found
  (a source term the check cannot see is a miss, not a pass);
* deprecated: a ``glossary-deprecated`` finding for the concept;
* paraphrase: a ``glossary-missing`` finding for the concept.

Precision is over the findings for the row's concept: a finding on a
``correct`` row, or a ``deprecated`` finding on a paraphrase, is a false one.
``benchmarks/eval_glossary.py`` reuses this to compare matching methods.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from uai18n.glossary.check import GlossaryChecker

LABELED = Path(__file__).resolve().parent / "data" / "glossary-labeled.csv"


@dataclass(frozen=True)
class Row:
    lang: str
    concept: str
    label: str
    source: str
    translation: str
    line: int


@dataclass
class Score:
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    misses: list[tuple[Row, str]] = field(default_factory=list)

    def ratio(self, good: str, total: str) -> float:
        return self.counts[good] / self.counts[total] if self.counts[total] else 1.0

    @property
    def recall(self) -> float:
        return self.ratio("correct_ok", "correct")

    @property
    def deprecated_flagged(self) -> float:
        return self.ratio("deprecated_ok", "deprecated")

    @property
    def paraphrase_flagged(self) -> float:
        return self.ratio("paraphrase_ok", "paraphrase")

    @property
    def precision(self) -> float:
        true = self.counts["true_findings"]
        false = self.counts["false_findings"]
        return true / (true + false) if true + false else 1.0


def read_rows(path: Path = LABELED) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return [
            Row(r["lang"], r["concept"], r["label"], r["source"], r["translation"], number)
            for number, r in enumerate(reader, 2)
        ]


def score(checker: GlossaryChecker, rows: list[Row]) -> dict[str, Score]:
    """Per-language scores (and "all")."""
    scores: dict[str, Score] = defaultdict(Score)
    source_index = checker._source  # the source side is part of what is scored
    for row in rows:
        in_source = {m.term.concept for m in source_index.find(row.source)}
        findings = [
            f
            for f in checker.check(row.source, row.translation, row.lang)
            if f.concept == row.concept
        ]
        checks = {f.check for f in findings}
        for key in (row.lang, "all"):
            target = scores[key]
            target.counts[row.label] += 1
            if row.label == "correct":
                ok = row.concept in in_source and not findings
                target.counts["false_findings"] += len(findings)
            elif row.label == "deprecated":
                ok = "glossary-deprecated" in checks
                target.counts["true_findings"] += ok
                target.counts["false_findings"] += len(checks - {"glossary-deprecated"})
            else:
                ok = "glossary-missing" in checks
                target.counts["true_findings"] += ok
                target.counts["false_findings"] += "glossary-deprecated" in checks
            target.counts[f"{row.label}_ok"] += ok
            if not ok and key == "all":
                why = "source term not found" if row.concept not in in_source else str(checks)
                target.misses.append((row, why))
    return scores
