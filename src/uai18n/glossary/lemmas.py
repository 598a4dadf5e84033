"""simplemma's lemmatizer, with its dictionaries and their block index kept between runs.

simplemma 2.0 reads a language's dictionary as a front-coded stream
(``low_memory``): it decompresses it (LZMA: 10 ms for French, 55-75 ms for
Russian or German), then walks every record once to index a restart point
every 32 records, in Python: 0.15 s for French, 0.6-0.9 s for German or
Russian, paid by every process that meets a word the key store does not
have. The decompressed dictionary and that index are the same for the same
simplemma, Python and data file, so both are kept in
``.uai18n/lemma-index/<lang>.bin`` (:mod:`uai18n.packed`: checksummed, a
damaged or foreign file is rebuilt; 1.8 MB for French, 9-12.5 MB for German
or Russian) and read back in 3.5-19 ms. The lookups, strategies and so the lemmas
are simplemma's own (``tests/test_glossary_keystore.py`` compares them).
"""

from __future__ import annotations

import functools
import marshal
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from uai18n.packed import DAMAGED, load_packed, save_packed, section
from uai18n.stamps import library_versions

INDEX_DIR = "lemma-index"  # in .uai18n/
MAGIC = b"uai18n-lemma-index 2\n"  # 2: the decompressed dictionary, flat sections


def lemmatizer(base: str, index: Path | None = None) -> Callable[[str], str] | None:
    """simplemma's ``lemmatize`` for a language (None when it has no dictionary),
    reading its dictionary as ``low_memory`` does; with ``index``, the
    dictionary and its block index are kept in that folder."""
    import simplemma
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if base not in SUPPORTED_LANGUAGES:
        return None
    strategy = DefaultStrategy(dictionary_factory=_dictionaries(index))
    lemmatize = simplemma.Lemmatizer(lemmatization_strategy=strategy).lemmatize
    return functools.partial(lemmatize, lang=base)


class LemmaHelper:
    """Lemmas from a forked child (:class:`uai18n.forked.Helper`) that imports
    simplemma and reads the dictionaries of ``languages`` as soon as a check
    starts, while this process loads the glossary and reads the catalogues.

    A translator's re-check that meets a word no catalogue had needs
    simplemma: 30-45 ms to import (its package compiles every language's
    suffix rules), on this process's path before. The child lemmatizes with
    :func:`uai18n.glossary.match._lemmatizer`, as this process would; without
    a child (one core, threads) or when it fails, :meth:`lemma` answers None
    and the analyzer lemmatizes here. Forked before the glossary modules are
    imported: the child imports what it needs.
    """

    def __init__(self, languages: list[str], index: Path | None) -> None:
        from uai18n.forked import Helper

        self._index = index
        self._lemmatizers: dict[str, Callable[[str], str] | None] = {}
        self._helper = Helper(functools.partial(self._warm_up, languages), self._answer)

    def lemma(self, base: str, word: str) -> tuple[str, ...] | None:
        """``(lemma,)`` for simplemma's language ``base``, ``()`` when simplemma
        has no dictionary for it, or None when there is no child to ask."""
        return self._helper.ask((base, word))

    def stop(self) -> None:
        self._helper.stop()

    def _warm_up(self, languages: list[str]) -> Iterator[None]:  # in the child
        from uai18n.glossary.match import key_method
        from uai18n.locales import base_language

        for language in dict.fromkeys(languages):
            if "lemma" in key_method(language):
                self._lemmatizer(base_language(language))
                yield

    def _answer(self, question: tuple[str, str]) -> tuple[str, ...]:  # in the child
        base, word = question
        lemmatize = self._lemmatizer(base)
        return (lemmatize(word),) if lemmatize is not None else ()

    def _lemmatizer(self, base: str) -> Callable[[str], str] | None:
        from uai18n.glossary import match

        if base not in self._lemmatizers:
            self._lemmatizers[base] = match._lemmatizer(base, self._index)
        return self._lemmatizers[base]


def build_indexes(bases: list[str], index: Path) -> list[str]:
    """Store the dictionary and block index of each language (simplemma base
    codes) that has a dictionary and no current index in ``index``; the
    largest first, in forked workers when there are two or more. Returns the
    languages built.

    A first check with no key store walks one dictionary a language in Python
    (0.1-0.7 s each): on two cores the bundled project's first check takes
    1.3 s instead of 1.75.
    """
    from simplemma.strategies.dictionaries.dictionary_factory import (
        DATA_FOLDER,
        SUPPORTED_LANGUAGES,
    )

    from uai18n.forked import map_forked

    wanted = [
        base
        for base in dict.fromkeys(bases)
        if base in SUPPORTED_LANGUAGES
        and load_packed(index / f"{base}.bin", MAGIC, _key(base)) is None
    ]
    wanted.sort(key=lambda base: -(DATA_FOLDER / f"{base}.plzma").stat().st_size)
    for _ in map_forked(_build_index, index, wanted, parallel=len(wanted) > 1):
        pass
    return wanted


def _build_index(index: Path, base: str) -> None:
    stream_map(base, index)  # stored there; the worker's copy is not sent back


@functools.cache
def _dictionaries(index: Path | None) -> object:
    """One dictionary factory per index folder (it caches what it has read)."""
    from simplemma.strategies.dictionaries.stream_dictionary_factory import (
        StreamDictionaryFactory,
    )

    class IndexedStreams(StreamDictionaryFactory):
        __slots__ = ()

        def _get_dictionary_uncached(self, lang: str) -> Mapping[str, str]:
            return stream_map(lang, index)

    return IndexedStreams() if index is not None else StreamDictionaryFactory()


def _key(lang: str) -> str:
    """What the block index depends on: simplemma (its version and data file), Python."""
    from simplemma.strategies.dictionaries.dictionary_factory import DATA_FOLDER

    status = (DATA_FOLDER / f"{lang}.plzma").stat()
    return "\0".join(
        (
            MAGIC.decode(),
            library_versions("simplemma"),
            lang,
            f"{status.st_size} {status.st_mtime_ns}",
            f"{sys.version_info[:2]} {marshal.version} {sys.byteorder}",
        )
    )


class _Items:
    """Byte strings laid end to end, item ``i`` between ``bounds[i]`` and
    ``bounds[i + 1]``: read back without making 40,000 objects (a list of
    them took 3-17 ms to unmarshal); a lookup slices the few it bisects.
    Indexable and sized, as :func:`bisect.bisect_right` needs."""

    __slots__ = ("_blob", "_bounds")

    def __init__(self, blob: bytes, bounds: array[int]) -> None:
        self._blob, self._bounds = blob, bounds

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, index: int) -> bytes:
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._blob[self._bounds[index] : self._bounds[index + 1]]


class _Seeds:
    """simplemma's per-block resume seeds ``(offset, previous key, previous value)``,
    kept flat and made into a tuple for the block a lookup decodes."""

    __slots__ = ("_keys", "_starts", "_values")

    def __init__(self, starts: array[int], keys: _Items, values: _Items) -> None:
        self._starts, self._keys, self._values = starts, keys, values

    def __len__(self) -> int:
        return len(self._starts)

    def __getitem__(self, index: int) -> tuple[int, bytes, bytes]:
        return (self._starts[index], self._keys[index], self._values[index])


def _flat(items: list[bytes]) -> tuple[bytes, bytes]:
    """The sections an :class:`_Items` is read back from: the bytes, the bounds."""
    bounds = array("q", [0])
    for item in items:
        bounds.append(bounds[-1] + len(item))
    return b"".join(items), bounds.tobytes()


def _int64s(data: object) -> array[int]:
    if not isinstance(data, bytes):
        raise TypeError("not bytes")
    numbers = array("q")
    numbers.frombytes(data)
    return numbers


def _items(blob: object, bounds: object) -> _Items:
    offsets = _int64s(bounds)
    if not isinstance(blob, bytes):
        raise TypeError("not bytes")
    if not offsets or offsets[0] != 0 or offsets[-1] != len(blob):
        raise ValueError("the bounds do not cover the bytes")
    return _Items(blob, offsets)


def stream_map(lang: str, index: Path) -> Mapping[str, str]:
    """simplemma's ``StreamMap`` for ``lang``, its dictionary and block index read
    from ``index`` when they were stored there for this simplemma, else built
    and stored."""
    from simplemma.strategies.dictionaries import frontcode
    from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

    path = index / f"{lang}.bin"
    key = _key(lang)
    stored = load_packed(path, MAGIC, key)
    if stored is not None:
        try:
            parts = [section(stored[1], number) for number in range(1, 9)]
            firsts = _items(parts[0], parts[1])
            starts = _int64s(parts[2])
            seeds = _Seeds(starts, _items(parts[3], parts[4]), _items(parts[5], parts[6]))
            data = parts[7]
            if not isinstance(data, bytes):
                raise TypeError("not bytes")
            if not len(firsts) == len(starts) == len(seeds._keys) == len(seeds._values):
                raise ValueError("one restart point per block")
            mapping = StreamMap.__new__(StreamMap)
            mapping._data = data
            mapping._rev, mapping._count, mapping._pos = frontcode._read_header(mapping._data)
            mapping._firsts, mapping._blocks = firsts, seeds
            return mapping
        except DAMAGED:
            pass
    mapping = StreamMap(lang)
    starts = array("q", (start for start, _, _ in mapping._blocks))
    save_packed(
        path,
        MAGIC,
        {"key": key},
        *_flat(mapping._firsts),
        starts.tobytes(),
        *_flat([seed for _, seed, _ in mapping._blocks]),
        *_flat([seed for _, _, seed in mapping._blocks]),
        mapping._data,
    )
    return mapping
