"""Validate the glossary itself, and show one concept across languages.

A glossary is edited by hand by many people; the mistakes that make the check
wrong are a term listed twice, a term both preferred and deprecated (the
check would then contradict itself), a concept a configured language has
no preferred term for (the check then cannot tell translators what to write),
and a deprecated term that is a sub-phrase of an accepted term of its own
concept (the check then flags the short form where a correct translation
refers back to the concept: "cette disparition" after "disparition forcée").
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from uai18n.findings import Severity
from uai18n.glossary.load import Glossary, Status, Term
from uai18n.glossary.match import COMPOUNDING, MIN_PART, Analyzer, TermIndex
from uai18n.locales import base_language


@dataclass(frozen=True)
class LintProblem:
    """A problem of the glossary itself: at a row of a glossary file, not at a PO entry."""

    file: str
    line: int
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.severity}: {self.message}"


def lint(glossary: Glossary, source_language: str, languages: tuple[str, ...]) -> list[LintProblem]:
    """Every problem, in file and line order."""
    problems: list[LintProblem] = []
    seen: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in glossary.terms:
        seen[(term.lang, term.text.casefold())].append(term)
    for (lang, _), terms in seen.items():
        first = terms[0]
        for later in terms[1:]:
            if later.concept == first.concept and later.status is first.status:
                problems.append(_problem(later, Severity.ERROR, f"duplicate of line {first.line}"))
        statuses = {term.status for term in terms}
        if Status.DEPRECATED in statuses and statuses - {Status.DEPRECATED}:
            good = next(term for term in terms if term.status.acceptable)
            bad = next(term for term in terms if not term.status.acceptable)
            problems.append(
                _problem(
                    bad,
                    Severity.ERROR,
                    f"{lang} {bad.text!r} is deprecated ({bad.concept}) and "
                    f"{good.status.value} ({good.concept}, {good.file}:{good.line})",
                )
            )
        elif len({term.concept for term in terms}) > 1:
            concepts = ", ".join(sorted({term.concept for term in terms}))
            problems.append(
                _problem(
                    terms[-1],
                    Severity.WARNING,
                    f"{lang} {first.text!r} names several concepts: {concepts}",
                )
            )
    for concept, terms in glossary.concepts.items():
        first = terms[0]
        if not any(term.lang == source_language for term in terms):
            problems.append(
                _problem(
                    first,
                    Severity.WARNING,
                    f"concept {concept!r} has no {source_language} term: the check cannot "
                    "find it in the source",
                )
            )
        for language in languages:
            base = base_language(language)
            own = [t for t in terms if t.lang == language] or [t for t in terms if t.lang == base]
            if not any(term.status in {Status.PREFERRED, Status.DNT} for term in own):
                problems.append(
                    _problem(
                        first,
                        Severity.WARNING,
                        f"concept {concept!r} has no preferred {language} term",
                    )
                )
    problems.extend(sub_phrases(glossary.terms))
    return sorted(problems, key=lambda p: (p.file, p.line, p.message))


#: What a deprecated row's note says to keep a deprecated sub-phrase on purpose:
#: "sub-phrase:" and the reason.
SUB_PHRASE_OK = re.compile(r"\bsub-phrase:\s*\S", re.IGNORECASE)


def sub_phrases(terms: Iterable[Term]) -> list[LintProblem]:
    """Deprecated terms found inside an accepted term of the same concept and language.

    "disparition" deprecated beside "disparition forcée" makes the check call
    every back-reference ("cette disparition") an error. A term is a
    sub-phrase where the matcher, reading the accepted term as text, finds the
    deprecated one in it (whole words, compared by their keys: case,
    diacritics and inflection folded; substrings in Chinese and Japanese); in
    German and other compounding languages also where a one-word deprecated
    term begins or ends a one-word accepted term ("Verschwinden",
    "Verschwindenlassen"), as the check treats them. A note with
    ``sub-phrase: <reason>`` keeps one on purpose.
    """
    groups: dict[tuple[str, str], list[Term]] = defaultdict(list)
    for term in terms:
        groups[(term.concept, term.lang)].append(term)
    analyzers: dict[str, Analyzer] = {}
    problems = []
    for (concept, lang), group in groups.items():
        accepted = [term for term in group if term.status.acceptable]
        for bad in group:
            if bad.status is not Status.DEPRECATED or SUB_PHRASE_OK.search(bad.note):
                continue
            analyzer = analyzers.get(lang)
            if analyzer is None:
                analyzer = analyzers[lang] = Analyzer(lang)
            index = TermIndex([bad], analyzer)
            for good in accepted:
                if _inside(bad, good, index):
                    problems.append(
                        _problem(
                            bad,
                            Severity.ERROR,
                            f"{lang} {bad.text!r} is deprecated ({concept}) and a sub-phrase of "
                            f"{good.status.value} {good.text!r} ({good.file}:{good.line}): the "
                            "check flags it where a translation refers back to the concept; "
                            "drop the row, or give the reason in its note as 'sub-phrase: ...'",
                        )
                    )
                    break
    return problems


def _inside(bad: Term, good: Term, index: TermIndex) -> bool:
    """Whether the deprecated ``bad`` is a sub-phrase of the accepted ``good``."""
    analyzer = index.analyzer
    if analyzer.normalize(bad.text) == analyzer.normalize(good.text):
        return False  # the same term both ways: reported as a contradiction
    whole_length = len(good.text)
    if any(match.end - match.start < whole_length for match in index.find(good.text)):
        return True  # found in part of it, not as the whole term inflected
    if base_language(bad.lang) not in COMPOUNDING:
        return False
    part, whole = (analyzer.normalize(term.text) for term in (bad, good))
    one_word = len(part.split()) == 1 and len(whole.split()) == 1
    return (
        one_word
        and len(part) >= MIN_PART
        and len(whole) > len(part)
        and (whole.startswith(part) or whole.endswith(part))
    )


def _problem(term: Term, severity: Severity, message: str) -> LintProblem:
    return LintProblem(term.file, term.line, severity, message)


def find_concepts(glossary: Glossary, text: str) -> list[str]:
    """Concepts named by ``text``: an id, a term as written, or a term inflected.

    "disappearances" and "насильственных исчезновений" both find
    enforced-disappearance.
    """
    folded = text.strip().casefold()
    exact = sorted(
        {t.concept for t in glossary.terms if t.text.casefold() == folded or t.concept == folded}
    )
    if exact:
        return exact
    found: set[str] = set()
    for language in sorted(glossary.languages()):
        terms = [term for term in glossary.terms if term.lang == language]
        index = TermIndex(terms, Analyzer(language))
        for match in index.find(text.strip()):
            if match.start == 0 and match.end == len(text.strip()):
                found.add(match.term.concept)
    return sorted(found)


def describe(glossary: Glossary, concept: str) -> str:
    """The concept across languages, one term a line, for ``glossary show``."""
    lines = [concept]
    terms = glossary.concepts[concept]
    order = {Status.PREFERRED: 0, Status.DNT: 1, Status.ADMITTED: 2, Status.DEPRECATED: 3}
    width = max(len(term.text) for term in terms)
    for term in sorted(terms, key=lambda t: (t.lang, order[t.status])):
        pos = f"  [{term.pos}]" if term.pos else ""
        line = f"  {term.lang:<6}{term.status.value:<11}{term.text:<{width}}{pos}"
        lines.append(line.rstrip())
        if term.note:
            lines.append(f"{'':<19}{term.note}")
    return "\n".join(lines) + "\n"
