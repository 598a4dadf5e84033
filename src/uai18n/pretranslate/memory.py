"""Translation memory: every sentence a person has already translated.

Made from every catalogue under ``po/`` (all documents; translated and
reviewed entries, never fuzzy ones: a suggestion must not breed suggestions)
and from the TMX files the config lists. Exact matches come from a
dictionary; fuzzy ones from rapidfuzz over the entries whose length could
reach the minimum score and that share distinctive words with the text, so
a large memory answers in milliseconds. Ties are broken the same way every
run: reviewed first, then by origin and text.

A project's memory is kept in ``.uai18n/memory-*.bin`` between runs
(:mod:`uai18n.pretranslate.memory_index`), so only changed catalogues are
read again.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from uai18n.boilerplate import boilerplate_path
from uai18n.config import Config
from uai18n.po import read_catalog
from uai18n.pretranslate.tmx import read_tmx
from uai18n.states import State, entry_state, memory_provenance
from uai18n.textfiles import read_bytes

if TYPE_CHECKING:
    from uai18n.project import Project

_WORD = re.compile(r"[^\W_]+")
#: Fewer distinctive words than this: scan the whole length window instead.
MIN_DISTINCTIVE_WORDS = 3
#: A best match at or above this score among the sentences sharing half the
#: words is taken as the best of all; below it, every sentence sharing any
#: distinctive word is asked (a 75% match can share few words; a 90% one
#: cannot hide that way).
SURE_SCORE = 90.0
#: Entry numbers in a posting list: unsigned 32-bit, kept as bytes on disk.
POSTING_TYPE = "I"
#: How far below a known best score a later cutoff is set. rapidfuzz's
#: ``process`` functions drop a score a few millionths above the cutoff
#: (rounding when the cutoff becomes a distance); 0.01 is thousands of times
#: that, so a cutoff this far under the best never drops the best or a tie.
_MARGIN = 0.01

#: One translation: (source, target, origin, reviewed).
Row = tuple[str, str, str, bool]
#: A fuzzy search's answer: the best score and every source that reaches it.
Scored = tuple[float, tuple[str, ...]]


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


class LanguageIndex:
    """One language's distinct (source, target) pairs, in columns, for lookups.

    Entries are numbered in (source length, rank, source) order, so a length
    window is a range of numbers and the first entry of a source is its best
    ranked one. Columns of plain strings and posting lists of bytes load from
    the persistent cache in milliseconds, without one object per entry.
    """

    def __init__(
        self,
        sources: list[str],
        targets: list[str],
        origins: list[str],
        reviewed: bytes,
        postings: dict[str, Sequence[int]],
    ) -> None:
        self.sources = sources
        self.targets = targets
        self.origins = origins
        self.reviewed = reviewed  # one byte per entry: 1 if signed off
        self.postings = postings
        self.lengths = [len(source) for source in sources]
        self.exact: dict[str, int] = {}
        for number, source in enumerate(sources):
            self.exact.setdefault(source, number)

    @classmethod
    def build(cls, rows: Iterable[Row]) -> LanguageIndex:
        """The index of these rows: the same pair twice is one entry (the better ranked)."""
        best: dict[tuple[str, str], tuple[bool, str]] = {}
        for source, target, origin, reviewed in rows:
            rank = (not reviewed, origin)
            kept = best.get((source, target))
            if kept is None or rank < kept:
                best[(source, target)] = rank
        order = sorted(
            best.items(), key=lambda item: (len(item[0][0]), item[1], item[0][1], item[0][0])
        )
        origins: dict[str, str] = {}  # one string object per origin: smaller on disk
        postings: dict[str, list[int]] = defaultdict(list)
        for number, ((source, _), _) in enumerate(order):
            for word in set(_WORD.findall(source.casefold())):
                postings[word].append(number)
        return cls(
            [source for (source, _), _ in order],
            [target for (_, target), _ in order],
            [origins.setdefault(origin, origin) for _, (_, origin) in order],
            bytes(not unreviewed for _, (unreviewed, _) in order),
            {word: array(POSTING_TYPE, numbers) for word, numbers in postings.items()},
        )

    def to_data(self) -> tuple:
        """Plain data for :mod:`marshal` (posting lists as machine-order bytes)."""
        postings = {word: bytes(memoryview(numbers)) for word, numbers in self.postings.items()}
        return (self.sources, self.targets, self.origins, self.reviewed, postings)

    @classmethod
    def from_data(cls, data: tuple) -> LanguageIndex:
        sources, targets, origins, reviewed, raw = data
        if not (len(sources) == len(targets) == len(origins) == len(reviewed)):
            raise ValueError("columns of different lengths")
        postings = {word: memoryview(numbers).cast(POSTING_TYPE) for word, numbers in raw.items()}
        return cls(sources, targets, origins, reviewed, postings)

    def __len__(self) -> int:
        return len(self.sources)

    @functools.cached_property
    def fingerprint(self) -> bytes:
        """The digest of the sources, as a multiset: a fuzzy search depends on
        nothing else, so languages translated from the same sentences (the
        usual case) score each text once between them."""
        digest = hashlib.blake2b(digest_size=16)
        for source in sorted(self.sources):
            data = source.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.digest()

    def entry(self, number: int) -> MemoryEntry:
        return MemoryEntry(
            self.sources[number],
            self.targets[number],
            self.origins[number],
            bool(self.reviewed[number]),
        )

    def rank(self, number: int) -> tuple[bool, str, str]:
        return (not self.reviewed[number], self.origins[number], self.targets[number])

    def rows(self) -> list[Row]:
        return [
            (source, target, origin, bool(reviewed))
            for source, target, origin, reviewed in zip(
                self.sources, self.targets, self.origins, self.reviewed, strict=True
            )
        ]


class TranslationMemory:
    """Entries per target language; :meth:`lookup` gives the best match."""

    def __init__(self, min_score: float = 75.0) -> None:
        self.min_score = min_score
        self._rows: dict[str, list[Row]] = defaultdict(list)  # added, not indexed yet
        self._indexes: dict[str, LanguageIndex] = {}
        self._found: dict[tuple[str, str], MemoryMatch | None] = {}
        self._scored: dict[tuple[bytes, str], Scored | None] = {}  # shared by languages
        self.read: list[str] = []  # the files read to make it (the rest came from the cache)

    def __len__(self) -> int:
        return sum(len(self._index(language)) for language in set(self._rows) | set(self._indexes))

    def entries(self, language: str) -> list[MemoryEntry]:
        """Every entry of a language, one per (source, target), in a stable order."""
        index = self._index(language)
        entries = [index.entry(number) for number in range(len(index))]
        return sorted(entries, key=lambda e: (e.source, e.target))

    def add(self, language: str, entry: MemoryEntry) -> None:
        """Remember a translation; the same pair twice is one entry (the better ranked)."""
        self.add_rows(language, [(entry.source, entry.target, entry.origin, entry.reviewed)])

    def add_rows(self, language: str, rows: Iterable[Row]) -> None:
        """Remember many translations at once (see :meth:`add`)."""
        index = self._indexes.pop(language, None)
        if index is not None:
            self._rows[language] = index.rows()
        self._rows[language].extend(rows)
        self._found.clear()
        self._scored.clear()

    def set_index(self, language: str, index: LanguageIndex) -> None:
        """Use a ready index (from the cache) as this language's whole memory."""
        self._rows.pop(language, None)
        self._indexes[language] = index
        self._found.clear()
        self._scored.clear()

    def _index(self, language: str) -> LanguageIndex:
        index = self._indexes.get(language)
        if index is None:
            index = LanguageIndex.build(self._rows.pop(language, ()))
            self._indexes[language] = index
        return index

    def lookup(self, language: str, text: str) -> MemoryMatch | None:
        """The best entry for ``text``: exact, else the best fuzzy one above min_score.

        Answers are remembered: the same sentence recurs in many documents.
        """
        key = (language, text)
        if key not in self._found:
            self._found[key] = self._lookup(language, text)
        return self._found[key]

    def _lookup(self, language: str, text: str) -> MemoryMatch | None:
        index = self._index(language)
        exact = index.exact.get(text)
        if exact is not None:
            return MemoryMatch(index.entry(exact), 100.0)
        if not len(index) or not text:
            return None
        key = (index.fingerprint, text)
        if key not in self._scored:
            self._scored[key] = self._search(index, text)
        scored = self._scored[key]
        if scored is None:
            return None
        score, sources = scored
        # a source's first entry is its best ranked; ties between sources: the lower number
        best = min((index.exact[source] for source in sources), key=lambda n: (index.rank(n), n))
        return MemoryMatch(index.entry(best), score)

    def _search(self, index: LanguageIndex, text: str) -> Scored | None:
        """The best fuzzy score for ``text`` and the sources that reach it.

        It depends only on the index's sources (see
        :attr:`LanguageIndex.fingerprint`), never on targets or origins, so
        languages translated from the same sentences share it.
        """
        # ratio = 1 - indel / (a + b) >= m needs b within [a*m/(2-m), a*(2-m)/m]
        share = self.min_score / 100
        low = bisect.bisect_left(index.lengths, len(text) * share / (2 - share))
        high = bisect.bisect_right(index.lengths, len(text) * (2 - share) / share)
        shared = self._sharing_words(index, text, low, high)
        if shared is None:  # too few distinctive words to narrow by: every sentence
            return self._best(text, index, range(low, high), None)
        words, counts = shared
        needed = max(1, math.ceil(words * 0.5))
        best = self._best(text, index, [n for n, c in counts.items() if c >= needed], None)
        if best is None or best[0] < SURE_SCORE:
            # nothing sure among those sharing half the words: any shared word will do
            rest = [n for n, c in counts.items() if c < needed]
            best = self._best(text, index, rest, best)
        return best

    def _best(
        self, text: str, index: LanguageIndex, numbers: Iterable[int], known: Scored | None
    ) -> Scored | None:
        """The best score of these entries' sources and every source reaching it,
        merged with ``known`` (the best of entries scored before).

        :func:`~rapidfuzz.process.extractOne` raises its cutoff as it goes, so
        most sources are dismissed early; then every source within
        :data:`_MARGIN` of what it found is scored again, which gives the ties
        and any better source extractOne's rounding passed over. What passes
        is what one :func:`~rapidfuzz.process.extract` at ``min_score`` would
        pass: the same best score, the same ties.
        """
        sources = index.sources
        choices = list(dict.fromkeys(sources[number] for number in numbers))
        floor = self.min_score if known is None else max(self.min_score, known[0] - _MARGIN)
        first = process.extractOne(text, choices, scorer=fuzz.ratio, score_cutoff=floor)
        if first is None:
            return known
        found = process.extract(
            text,
            choices,
            scorer=fuzz.ratio,
            score_cutoff=max(floor, first[1] - _MARGIN),
            limit=None,
        )
        top = max(score for _, score, _ in found)
        if known is not None and known[0] > top:
            return known
        tied = [choice for choice, score, _ in found if score == top]
        if known is not None and known[0] == top:
            tied += known[1]
        return top, tuple(tied)

    def _sharing_words(
        self, index: LanguageIndex, text: str, low: int, high: int
    ) -> tuple[int, Counter[int]] | None:
        """The text's distinctive words and, for every entry in the length
        window sharing any, how many it shares; None when it has too few.

        A close match shares most of its words, so this turns a scan of the
        whole memory into a scan of a handful of sentences; a weak best match
        is checked against every sentence sharing a word (:data:`SURE_SCORE`).
        Words in more than a fifth of the memory ("the", "of") say nothing and
        are not counted.
        """
        postings = index.postings
        common = max(50, len(index) // 5)
        empty: Sequence[int] = ()
        words = [
            word
            for word in set(_WORD.findall(text.casefold()))
            if len(postings.get(word, empty)) <= common
        ]
        if len(words) < MIN_DISTINCTIVE_WORDS:
            return None
        counts: Counter[int] = Counter()
        for word in words:
            numbers = postings.get(word)
            if numbers:  # sorted: the length window is a slice
                start = bisect.bisect_left(numbers, low)
                counts.update(numbers[start : bisect.bisect_left(numbers, high, start)])
        return len(words), counts


#: A msgstr with text: a non-empty first string, or an empty one continued.
_MSGSTR_WITH_TEXT = re.compile(
    r'^[ \t]*msgstr(?:\[\d+\])?[ \t]*"(?:(?!"[ \t]*\r?$)|"[ \t]*\r?\n[ \t]*")', re.MULTILINE
)
_FIRST_KEYWORD = re.compile(r"^[ \t]*(msgctxt|msgid)\b(.*)$", re.MULTILINE)


def untranslated(data: bytes) -> bool:
    """True when no msgstr but the header's has text, so the catalogue gives
    the memory nothing. A new document's catalogues are all like that; this
    look at the bytes spares parsing them twice in one run (here and when
    they are filled). When in doubt, False: the catalogue is parsed."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    found = _MSGSTR_WITH_TEXT.findall(text, 0)
    if not found:
        return True
    if len(found) > 1:
        return False
    first = _FIRST_KEYWORD.search(text)
    if first is None or first.group(1) != "msgid" or first.group(2).strip() != '""':
        return False
    header = _MSGSTR_WITH_TEXT.search(text)
    return header is not None and not text[first.end() : header.start()].strip()


def catalogue_rows(path: Path, where: str) -> list[tuple[str, str, bool]]:
    """What a catalogue gives the memory: (msgid, msgstr, reviewed) of its
    translated and reviewed singular entries, in file order."""
    if untranslated(read_bytes(path, where)):
        return []
    rows = []
    for entry in read_catalog(path, where):
        if entry.obsolete or not entry.msgid or entry.msgid_plural:
            continue
        state = entry_state(entry, where)
        if state in {State.UNTRANSLATED, State.MACHINE}:
            continue
        rows.append((entry.msgid, entry.msgstr, state is State.REVIEWED))
    return rows


def tmx_rows(config: Config, path: Path) -> list[tuple[str, str, str, str]]:
    """What a TMX file gives the memory: (target language, source, target, origin)."""
    root = config.root
    where = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    return [
        (unit.target_lang, unit.source, unit.target, unit.origin or where)
        for unit in read_tmx(path.read_bytes(), where, config.source_language)
        if unit.source and unit.target
    ]


def catalogue_paths(config: Config, language: str) -> list[Path]:
    """The catalogues of a language (every document, in a stable order)."""
    folder = config.po_dir / language
    return sorted(folder.glob("*.po")) if folder.is_dir() else []


def project_memory(
    config: Config, languages: tuple[str, ...], project: Project | None = None
) -> TranslationMemory:
    """The memory of a project: its catalogues and its TMX files.

    With ``project``, through the persistent index in ``.uai18n/memory-*.bin``
    (only changed catalogues are read); without, everything is read.
    """
    if project is not None:
        from uai18n.pretranslate.memory_index import cached_memory

        return cached_memory(project, languages)
    memory = TranslationMemory(config.memory_min_score)
    root = config.root
    for language in languages:
        for po in catalogue_paths(config, language):
            where = po.relative_to(root).as_posix()
            rows = catalogue_rows(po, where)
            memory.read.append(where)
            memory.add_rows(language, ((s, t, where, r) for s, t, r in rows))
    for path in tmx_files(config):
        memory.read.append(path.as_posix())
        for language, source, target, origin in tmx_rows(config, path):
            if language in languages:
                memory.add(language, MemoryEntry(source, target, origin))
    return memory


def tmx_files(config: Config) -> list[Path]:
    """The TMX files ``[memory] tmx`` names (globs, relative to the project).

    ``memory/boilerplate.tmx`` is never one of them, even where a glob matches
    it: the movement's fixed phrases are matched exactly, ahead of the memory
    (:mod:`uai18n.boilerplate`), and must not also give fuzzy matches.
    """
    found: dict[Path, None] = {}
    boilerplate = boilerplate_path(config)
    for pattern in config.memory_files:
        if Path(pattern).is_absolute():
            matches = [Path(pattern)] if Path(pattern).exists() else []
        else:
            matches = sorted(config.root.glob(pattern))
        for path in matches:
            if path != boilerplate:
                found.setdefault(path)
    return list(found)
