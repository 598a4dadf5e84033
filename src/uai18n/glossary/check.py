"""The glossary check: every translation against the terms its source uses.

Three findings, all with ids starting ``glossary-``:

* ``glossary-missing`` (warning): the msgid uses a term, and none of the
  concept's preferred or admitted renderings is in the msgstr (in any
  inflected form);
* ``glossary-deprecated`` (error): the msgstr uses a deprecated rendering.
  A deprecated short form of an accepted term ("disparition" for
  "disparition forcée") is only flagged where the msgid has the concept:
  alone, "sa disparition" is ordinary French;
* ``glossary-dnt`` (error): a do-not-translate term of the msgid is not in the
  msgstr as written.

A translator marks a justified exception in the entry (``# glossary-ok:
<term or concept> — reason``); a project switches a concept off for one
language (``glossary_disabled`` in ``uai18n.toml``).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from uai18n.config import Config
from uai18n.errors import UserError
from uai18n.findings import CheckInfo, Finding, Severity, registry
from uai18n.glossary.lemmas import INDEX_DIR as LEMMA_INDEX_DIR
from uai18n.glossary.lemmas import LemmaHelper
from uai18n.glossary.load import Glossary, Status, Term, load_glossary
from uai18n.glossary.match import (
    Analyzer,
    KeyStore,
    Match,
    TermIndex,
    acceptable,
    key_method,
    longest,
)
from uai18n.locales import base_language

#: msgids whose source terms :meth:`GlossaryChecker._in_source` remembers: a
#: few documents' worth.
_SOURCE_MEMO = 4096

GLOSSARY_CHECKS: dict[str, CheckInfo] = registry(
    CheckInfo(
        "glossary-missing",
        Severity.WARNING,
        "a glossary term of the msgid has none of its preferred/admitted renderings",
    ),
    CheckInfo("glossary-deprecated", Severity.ERROR, "a deprecated glossary rendering is used"),
    CheckInfo("glossary-dnt", Severity.ERROR, "a do-not-translate term is not copied as written"),
)

_GLOSSARY_OK = re.compile(r"^\s*glossary-ok\s*:\s*(?P<term>.+?)\s*(?:(?:[—–]|\s-\s|:).*)?$", re.I)


def glossary_ok(tcomment: str) -> list[str]:
    """Terms (or concept ids) named by 'glossary-ok: <term> — reason' comment lines."""
    if not tcomment or "glossary-ok" not in tcomment.lower():
        return []
    return [
        match["term"].strip().strip("\"'«»“”").casefold()
        for match in map(_GLOSSARY_OK.match, tcomment.splitlines())
        if match
    ]


@dataclass(frozen=True)
class GlossaryFinding(Finding):
    """A finding about one entry's text, with the concept it is about.

    ``file`` and ``line`` are empty: :meth:`GlossaryChecker.check` sees text,
    the gate knows where it is.
    """

    concept: str


def _finding(check: str, message: str, concept: str, msgid: str, language: str) -> GlossaryFinding:
    return GlossaryFinding(
        "", 0, language, msgid, check, GLOSSARY_CHECKS[check].severity, message, concept
    )


class GlossaryChecker:
    """The glossary indexed once per language; :meth:`check` is then per entry.

    With ``key_store`` (a folder, ``[glossary] keys`` for a project) every
    word's keys are kept there (:class:`uai18n.glossary.match.KeyStore`): a language
    is only analyzed when an entry in it is checked, and its dictionary only
    loaded for words not stored yet. :meth:`save_keys` writes what was added.
    """

    def __init__(
        self,
        glossary: Glossary,
        source_language: str,
        disabled: dict[str, tuple[str, ...]] | None = None,
        key_store: Path | None = None,
        lemma_index: Path | None = None,
    ) -> None:
        self.glossary = glossary
        self.source_language = source_language
        self._key_store = key_store
        self._lemma_index = lemma_index
        self._stores: dict[str, KeyStore] = {}
        self._helper: LemmaHelper | None = None
        self._concepts = glossary.concepts
        self._names = _names(self._concepts)
        self._targets: dict[str, TermIndex] = {}
        self._source_memo: dict[str, list[list[Match]]] = {}
        self._disabled: dict[str, frozenset[str]] = {}
        for language, names in (disabled or {}).items():
            self._disabled[language] = frozenset(
                self.resolve(name, f"languages.{language}.glossary_disabled") for name in names
            )
        self._reduced = _reduced_forms(self._concepts)

    @functools.cached_property
    def _source(self) -> TermIndex:
        """The source language's accepted terms, indexed when the first entry is
        checked (after :meth:`prepare_dictionaries`, which may index the
        dictionary its words need)."""
        terms = [
            term
            for term in self.glossary.terms_in(self.source_language)
            if term.status is not Status.DEPRECATED
        ]
        return TermIndex(terms, self._analyzer(self.source_language))

    def resolve(self, name: str, where: str) -> str:
        """The concept id a term or id names (for settings and comments)."""
        concept = self._names.get(name.casefold())
        if concept is None:
            raise UserError(f"{where}: {_q(name)} is not a glossary concept or term", "uai18n.toml")
        return concept

    def _analyzer(self, language: str) -> Analyzer:
        store = self._store(language) if self._key_store is not None else None
        return Analyzer(language, store, self._lemma_index, self._helper)

    def _store(self, language: str) -> KeyStore:
        assert self._key_store is not None
        store = self._stores.get(language)
        if store is None:
            store = self._stores[language] = KeyStore(self._key_store, language)
        return store

    def languages_without_keys(self, languages: list[str]) -> list[str]:
        """Those of ``languages`` whose key store has no word yet (a first check,
        a new simplemma) and whose keys need a lemma: every word of theirs
        will need the language's dictionary."""
        if self._key_store is None or self._lemma_index is None:
            return []
        return [
            language
            for language in dict.fromkeys(languages)
            if "lemma" in key_method(language) and not self._store(language).words
        ]

    def prepare_dictionaries(self, languages: list[str]) -> list[str]:
        """Before checking translations in ``languages``: index the dictionaries
        of those (and the source language) with no key yet, all at once on
        every core, so that checking them reads each index back instead of
        walking its dictionary (0.1-0.7 s each). Returns the languages built."""
        empty = self.languages_without_keys([self.source_language, *languages])
        if not empty or self._lemma_index is None:
            return []
        from uai18n.glossary.lemmas import build_indexes

        return build_indexes([base_language(language) for language in empty], self._lemma_index)

    def use_lemma_helper(self, helper: LemmaHelper | None) -> None:
        """Lemmatize the words the key stores lack with ``helper``, in every
        language analyzed from now on."""
        self._helper = helper

    def save_keys(self) -> None:
        """Write the words whose keys were computed in this run to the key store."""
        _save_stores(self._stores)

    def target(self, language: str) -> TermIndex:
        index = self._targets.get(language)
        if index is None:
            index = TermIndex(self.glossary.terms_in(language), self._analyzer(language))
            self._targets[language] = index
        return index

    def renderings(self, concept: str, language: str) -> list[Term]:
        """The concept's acceptable terms in ``language``, preferred first."""
        base = base_language(language)
        terms = [t for t in self._concepts.get(concept, ()) if t.lang == language]
        if not terms and base != language:
            terms = [t for t in self._concepts.get(concept, ()) if t.lang == base]
        order = {Status.PREFERRED: 0, Status.DNT: 1, Status.ADMITTED: 2, Status.DEPRECATED: 3}
        return sorted(terms, key=lambda term: order[term.status])

    def check(
        self, msgid: str, msgstr: str, language: str, tcomment: str = ""
    ) -> list[GlossaryFinding]:
        """Findings for one translated entry."""
        if not msgid or not msgstr:
            return []
        skipped = set(self._disabled.get(language, ()))
        for name in glossary_ok(tcomment):
            concept = self._names.get(name)
            if concept is not None:
                skipped.add(concept)
        in_source = self._in_source(msgid)
        source_concepts = {match.term.concept for group in in_source for match in group}
        found = self.target(language).find(msgstr)
        wrong = []
        for group in longest(found):
            finding = self._in_target(group, source_concepts, msgid, language)
            if finding and finding.concept not in skipped:
                wrong.append(finding)
        missing = []
        reported = {finding.concept for finding in wrong}
        for group in in_source:
            finding = self._required(group, found, msgid, msgstr, language)
            # a deprecated or changed rendering is the finding; "missing" would repeat it
            if finding and finding.concept not in skipped | reported:
                missing.append(finding)
        return missing + wrong

    def _in_source(self, msgid: str) -> list[list[Match]]:
        """The source terms of a msgid, longest first; remembered for the next
        languages (a document's catalogues are checked one after the other, so
        each msgid comes back once per language)."""
        found = self._source_memo.get(msgid)
        if found is None:
            if len(self._source_memo) >= _SOURCE_MEMO:
                self._source_memo.clear()
            found = self._source_memo[msgid] = longest(self._source.find(msgid))
        return found

    def _required(
        self, group: list[Match], found: list[Match], msgid: str, msgstr: str, language: str
    ) -> GlossaryFinding | None:
        """The source term's concept(s) must be rendered (the same span may name two).

        Any occurrence counts, even inside a longer term: "droits humains"
        renders "human rights" also within "défenseurs des droits humains".
        """
        concepts = {match.term.concept for match in group}
        concept = group[0].term.concept
        wanted = [
            term
            for name in sorted(concepts)
            for term in self.renderings(name, language)
            if term.status.acceptable
        ]
        if not wanted:
            # No rendering for this language: a do-not-translate source term
            # must be copied; anything else is not the glossary's business.
            dnt = [match.term for match in group if match.term.status is Status.DNT]
            if not dnt:
                return None
            wanted = [Term(concept, language, dnt[0].text, Status.DNT)]
            copies = TermIndex(wanted, self.target(language).analyzer).find(msgstr)
            if any(match.exact for match in copies):
                return None
            if copies:
                return _changed(copies[0], concept, msgid, language)
            return _finding(
                "glossary-dnt",
                f"{_q(group[0].found)} ({concept}) is not copied: expected {_q(wanted[0].text)}",
                concept,
                msgid,
                language,
            )
        if any(m.term.concept in concepts and acceptable(m) for m in found):
            return None  # (a do-not-translate term changed is the target side's finding)
        return _finding(
            "glossary-missing",
            f"{_q(group[0].found)} ({concept}): expected {_alternatives(wanted)}; not found",
            concept,
            msgid,
            language,
        )

    def _in_target(
        self, group: list[Match], source_concepts: set[str], msgid: str, language: str
    ) -> GlossaryFinding | None:
        """A deprecated rendering, or a do-not-translate term changed, where one is written."""
        if any(match.exact and acceptable(match) for match in group):
            return None
        changed = [match for match in group if match.term.status is Status.DNT]
        if changed:
            return _changed(changed[0], changed[0].term.concept, msgid, language)
        bad = [match for match in group if not acceptable(match)]
        if not bad:
            return None
        if len(bad) < len(group) and not source_concepts & {m.term.concept for m in bad}:
            return None  # the same words are also an accepted term of another concept
        match = bad[0]
        concept = match.term.concept
        if concept not in source_concepts and (concept, match.term.text) in self._reduced:
            return None
        how = "" if match.exact else f" (found as an inflected form {_q(match.found)})"
        better = [t for t in self.renderings(concept, language) if t.status.acceptable]
        instead = f"; use {_alternatives(better)}" if better else ""
        return _finding(
            "glossary-deprecated",
            f"deprecated term {_q(match.term.text)} ({concept}){how}{instead}",
            concept,
            msgid,
            language,
        )


def _changed(match: Match, concept: str, msgid: str, language: str) -> GlossaryFinding:
    return _finding(
        "glossary-dnt",
        f"{_q(match.term.text)} ({concept}) must stay as written; found as an inflected form "
        f"{_q(match.found)}",
        concept,
        msgid,
        language,
    )


def _q(text: str) -> str:
    """Quoted for a message: terms often hold apostrophes, so not repr()."""
    return f'"{text}"'


def _alternatives(terms: Iterable[Term], most: int = 3) -> str:
    texts = list(dict.fromkeys(term.text for term in terms))
    shown = " or ".join(_q(text) for text in texts[:most])
    return shown + (f" (or {len(texts) - most} more)" if len(texts) > most else "")


def _names(concepts: dict[str, tuple[Term, ...]]) -> dict[str, str]:
    """Concept ids and every term text (folded) to their concept: what users may type."""
    names: dict[str, str] = {}
    for concept, terms in concepts.items():
        for term in terms:
            names.setdefault(term.text.casefold(), concept)
    for concept in concepts:
        names[concept.casefold()] = concept
    return names


def _reduced_forms(concepts: dict[str, tuple[Term, ...]]) -> set[tuple[str, str]]:
    """(concept, deprecated term) where the term is a shortened accepted term.

    "disparition" beside "disparition forcée", "Verschwinden" beside
    "Verschwindenlassen": deprecated as a rendering of the concept, ordinary
    words elsewhere.
    """
    reduced = set()
    for concept, terms in concepts.items():
        for term in terms:
            if term.status is not Status.DEPRECATED:
                continue
            words = term.text.casefold().split()
            for other in terms:
                if other.lang == term.lang and other.status.acceptable:
                    other_words = other.text.casefold().split()
                    if words != other_words and _contains(other_words, words):
                        reduced.add((concept, term.text))
    return reduced


def _contains(words: list[str], part: list[str]) -> bool:
    if len(part) == 1 and len(words) == 1:
        return words[0].startswith(part[0])  # a German compound's head
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


def project_checker(config: Config, key_store: bool = True) -> GlossaryChecker | None:
    """The checker for a project's ``glossary/`` (None when it holds no terms).

    With ``key_store``, words' keys are kept in the project's ``[glossary]
    keys`` folder, written when the checker is collected or the process exits,
    and simplemma's block index in ``.uai18n/lemma-index/``.
    """
    glossary = load_glossary(config.glossary_dir)
    if not glossary.terms:
        return None
    disabled = {
        policy.code: policy.glossary_disabled
        for policy in config.languages
        if policy.glossary_disabled
    }
    store = config.glossary_keys_dir if key_store else None
    index = config.cache_dir / LEMMA_INDEX_DIR if key_store else None
    checker = GlossaryChecker(glossary, config.source_language, disabled, store, index)
    if store is not None:
        # when the checker is collected, or at exit: the callers need not know
        weakref.finalize(checker, _save_stores, checker._stores)
    return checker


def _save_stores(stores: dict[str, KeyStore]) -> None:
    for store in stores.values():
        store.save()
