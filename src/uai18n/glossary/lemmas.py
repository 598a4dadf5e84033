"""simplemma's lemmatizer, with its dictionaries' block index kept between runs.

simplemma 2.0 reads a language's dictionary as a front-coded stream
(``low_memory``): it decompresses it (10-80 ms), then walks every record once
to index a restart point every 32 records, in Python: 0.15 s for French,
0.6-0.9 s for German or Russian, paid by every process that meets a word
the key store does not have. That index is the same for the same simplemma,
Python and data file, so it is kept in ``.uai18n/lemma-index/<lang>.bin``
(:mod:`uai18n.packed`: checksummed, a damaged or foreign file is rebuilt) and
read back in a few milliseconds. The lookups, strategies and so the lemmas
are simplemma's own (``tests/test_glossary_keystore.py`` compares them).
"""

from __future__ import annotations

import functools
import marshal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from uai18n.packed import DAMAGED, load_packed, save_packed, section
from uai18n.stamps import library_versions

INDEX_DIR = "lemma-index"  # in .uai18n/
MAGIC = b"uai18n-lemma-index 1\n"


def lemmatizer(base: str, index: Path | None = None) -> Callable[[str], str] | None:
    """simplemma's ``lemmatize`` for a language (None when it has no dictionary),
    reading its dictionary as ``low_memory`` does; with ``index``, the block
    index is kept in that folder."""
    import simplemma
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES

    if base not in SUPPORTED_LANGUAGES:
        return None
    strategy = DefaultStrategy(dictionary_factory=_dictionaries(index))
    lemmatize = simplemma.Lemmatizer(lemmatization_strategy=strategy).lemmatize
    return functools.partial(lemmatize, lang=base)


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
            f"{sys.version_info[:2]} {marshal.version}",
        )
    )


def stream_map(lang: str, index: Path) -> Mapping[str, str]:
    """simplemma's ``StreamMap`` for ``lang``, its block index read from ``index``
    when it was stored there for this simplemma, else built and stored."""
    from simplemma.strategies.dictionaries import frontcode
    from simplemma.strategies.dictionaries.dictionary_factory import _read_decompressed
    from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

    path = index / f"{lang}.bin"
    key = _key(lang)
    stored = load_packed(path, MAGIC, key)
    if stored is not None:
        try:
            firsts, blocks = section(stored[1], 1), section(stored[1], 2)
            if not (isinstance(firsts, list) and isinstance(blocks, list)):
                raise TypeError("not lists")
            if len(firsts) != len(blocks):
                raise ValueError("one restart point per block")
            mapping = StreamMap.__new__(StreamMap)
            mapping._data = _read_decompressed(lang)
            mapping._rev, mapping._count, mapping._pos = frontcode._read_header(mapping._data)
            mapping._firsts, mapping._blocks = firsts, blocks
            return mapping
        except DAMAGED:
            pass
    mapping = StreamMap(lang)
    save_packed(path, MAGIC, {"key": key}, mapping._firsts, mapping._blocks)
    return mapping
