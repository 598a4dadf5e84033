"""Translation memory: every sentence a person has already translated.

Built afresh each run from every catalogue under ``po/`` (all documents;
translated and reviewed entries, never fuzzy ones: a suggestion must not
breed suggestions) and from the TMX files the config lists. Exact matches
come from a dictionary; fuzzy ones from rapidfuzz over the entries whose
length could reach the minimum score, so a 50,000-entry memory answers in
milliseconds. Ties are broken the same way every run: reviewed first, then
by origin and text.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from uai18n.config import Config
from uai18n.po import read_catalog
from uai18n.pretranslate.tmx import read_tmx
from uai18n.states import State, entry_state, memory_provenance

_WORD = re.compile(r"[^\W_]+")
#: Fewer distinctive words than this: scan the whole length window instead.
MIN_DISTINCTIVE_WORDS = 3
#: A best match at or above this score among the sentences sharing half the
#: words is taken as the best of all; below it, every sentence sharing any
#: distinctive word is asked (a 75% match can share few words; a 90% one
#: cannot hide that way).
SURE_SCORE = 90.0


@dataclass(frozen=True)
class MemoryEntry:
    source: str
    target: str
    origin: str  # "po/fr/ua-57-20.po" or "memory/old.tmx:12"
    reviewed: bool = False

    @property
    def rank(self) -> tuple[bool, str, str]:
        """Sort key among equal scores: reviewed first, then origin and text."""
        return (not self.reviewed, self.origin, self.target)


@dataclass(frozen=True)
class MemoryMatch:
    entry: MemoryEntry
    score: float  # 0-100 (rapidfuzz ratio); 100 for an exact match

    @property
    def comment(self) -> str:
        """The translator comment a pre-filled entry gets."""
        return memory_provenance(self.score, self.entry.origin)


class TranslationMemory:
    """Entries per target language; :meth:`lookup` gives the best match."""

    def __init__(self, min_score: float = 75.0) -> None:
        self.min_score = min_score
        self._exact: dict[str, dict[str, MemoryEntry]] = defaultdict(dict)
        self._unique: dict[str, dict[tuple[str, str], MemoryEntry]] = defaultdict(dict)
        self._by_length: dict[str, list[MemoryEntry]] = {}
        self._lengths: dict[str, list[int]] = {}
        self._postings: dict[str, dict[str, list[int]]] = {}
        self._found: dict[tuple[str, str], MemoryMatch | None] = {}

    def __len__(self) -> int:
        return sum(len(pairs) for pairs in self._unique.values())

    def entries(self, language: str) -> list[MemoryEntry]:
        """Every entry of a language, one per (source, target), in a stable order."""
        return sorted(self._unique[language].values(), key=lambda e: (e.source, e.target))

    def add(self, language: str, entry: MemoryEntry) -> None:
        """Remember a translation; the same pair twice is one entry (the better ranked)."""
        known = self._exact[language].get(entry.source)
        if known is None or entry.rank < known.rank:
            self._exact[language][entry.source] = entry
        pairs = self._unique[language]
        kept = pairs.get((entry.source, entry.target))
        if kept is None or entry.rank < kept.rank:
            pairs[(entry.source, entry.target)] = entry
        self._by_length.pop(language, None)
        self._found.clear()

    def _index(self, language: str) -> tuple[list[MemoryEntry], list[int]]:
        """Entries sorted by length (for the length window) and the word index."""
        if language not in self._by_length:
            entries = sorted(
                self._unique[language].values(), key=lambda e: (len(e.source), e.rank, e.source)
            )
            self._by_length[language] = entries
            self._lengths[language] = [len(entry.source) for entry in entries]
            postings: dict[str, list[int]] = defaultdict(list)
            for number, entry in enumerate(entries):
                for word in set(_WORD.findall(entry.source.casefold())):
                    postings[word].append(number)
            self._postings[language] = dict(postings)
        return self._by_length[language], self._lengths[language]

    def lookup(self, language: str, text: str) -> MemoryMatch | None:
        """The best entry for ``text``: exact, else the best fuzzy one above min_score.

        Answers are remembered: the same sentence recurs in many documents.
        """
        key = (language, text)
        if key not in self._found:
            self._found[key] = self._lookup(language, text)
        return self._found[key]

    def _lookup(self, language: str, text: str) -> MemoryMatch | None:
        exact = self._exact.get(language, {}).get(text)
        if exact is not None:
            return MemoryMatch(exact, 100.0)
        entries, lengths = self._index(language)
        if not entries or not text:
            return None
        # ratio = 1 - indel / (a + b) >= m needs b within [a*m/(2-m), a*(2-m)/m]
        share = self.min_score / 100
        low = bisect.bisect_left(lengths, len(text) * share / (2 - share))
        high = bisect.bisect_right(lengths, len(text) * (2 - share) / share)
        half = self._sharing_words(language, text, low, high, len(entries), share=0.5)
        if half is None:  # too few distinctive words to narrow by: every sentence
            return self._best(text, entries, range(low, high))
        best = self._best(text, entries, half)
        if best is None or best.score < SURE_SCORE:
            # nothing sure among those sharing half the words: any shared word will do
            wider = self._sharing_words(language, text, low, high, len(entries), share=0.0)
            best = self._best(text, entries, wider or [])
        return best

    def _best(
        self, text: str, entries: list[MemoryEntry], numbers: Sequence[int]
    ) -> MemoryMatch | None:
        found = process.extract(
            text,
            [entries[number].source for number in numbers],
            scorer=fuzz.ratio,
            score_cutoff=self.min_score,
            limit=None,
        )
        if not found:
            return None
        best = min(found, key=lambda hit: (-hit[1], entries[numbers[hit[2]]].rank))
        return MemoryMatch(entries[numbers[best[2]]], best[1])

    def _sharing_words(
        self, language: str, text: str, low: int, high: int, total: int, *, share: float
    ) -> list[int] | None:
        """Entries (in the length window) that share at least ``share`` of the
        text's distinctive words (at least one); None when it has too few.

        A close match shares most of its words, so this turns a scan of the
        whole memory into a scan of a handful of sentences; a weak best match
        is checked against the whole window (:data:`SURE_SCORE`). Words in
        more than a fifth of the memory ("the", "of") say nothing and are not
        counted.
        """
        postings = self._postings[language]
        common = max(50, total // 5)
        words = [
            word
            for word in set(_WORD.findall(text.casefold()))
            if len(postings.get(word, ())) <= common
        ]
        if len(words) < MIN_DISTINCTIVE_WORDS:
            return None
        counts: Counter[int] = Counter()
        for word in words:
            counts.update(number for number in postings.get(word, ()) if low <= number < high)
        needed = max(1, math.ceil(len(words) * share))
        return sorted(number for number, count in counts.items() if count >= needed)


def project_memory(config: Config, languages: tuple[str, ...]) -> TranslationMemory:
    """The memory of a project: its catalogues and its TMX files."""
    memory = TranslationMemory(config.memory_min_score)
    root = config.root
    for language in languages:
        folder = config.po_dir / language
        for po in sorted(folder.glob("*.po")) if folder.is_dir() else ():
            where = po.relative_to(root).as_posix()
            for entry in read_catalog(po, where):
                if entry.obsolete or not entry.msgid or entry.msgid_plural:
                    continue
                state = entry_state(entry, where)
                if state in {State.UNTRANSLATED, State.MACHINE}:
                    continue
                reviewed = state is State.REVIEWED
                memory.add(language, MemoryEntry(entry.msgid, entry.msgstr, where, reviewed))
    for path in tmx_files(config):
        where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        for unit in read_tmx(path.read_bytes(), where, config.source_language):
            if unit.target_lang in languages and unit.source and unit.target:
                origin = unit.origin or where
                memory.add(unit.target_lang, MemoryEntry(unit.source, unit.target, origin))
    return memory


def tmx_files(config: Config) -> list[Path]:
    """The TMX files ``[memory] tmx`` names (globs, relative to the project)."""
    found: dict[Path, None] = {}
    for pattern in config.memory_files:
        if Path(pattern).is_absolute():
            matches = [Path(pattern)] if Path(pattern).exists() else []
        else:
            matches = sorted(config.root.glob(pattern))
        for path in matches:
            found.setdefault(path)
    return list(found)
