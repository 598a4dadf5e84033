"""The translation memory kept between runs: ``.uai18n/memory-<lang>.bin``.

Reading every catalogue of a large project costs far more than any lookup,
and between two runs few catalogues change. So each language's file keeps
what every catalogue gave the memory (its rows, under the file's digest) and
the finished index; a run stats the catalogues (through the stamp record's
digest cache), loads the index when nothing changed, and otherwise reads
only the catalogues whose digest changed and rebuilds the index from the
stored rows. TMX files are kept the same way in ``memory-tmx.bin``.

A file is used only when its key matches: the format, uai18n's code, the
rapidfuzz and Python versions, ``min_score``, the source language and the
language; and only when the set of catalogues and TMX files and their
digests are the ones it was made from. The format is :mod:`marshal` of
plain data in checksummed sections (:mod:`uai18n.packed`): its postings
(lists of numbers) load about twice as fast as from JSON, it cannot run
code, and a partial or damaged file is ignored (and rebuilt), never trusted.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path

import rapidfuzz

from uai18n.packed import DAMAGED, load_packed, save_packed, section
from uai18n.pretranslate.memory import (
    POSTING_TYPE,
    LanguageIndex,
    TranslationMemory,
    catalogue_paths,
    catalogue_rows,
    tmx_files,
    tmx_rows,
)
from uai18n.project import Project
from uai18n.stamps import code_digest

PREFIX = "memory-"  # the files in .uai18n/: memory-fr.bin ..., memory-tmx.bin
MAGIC = b"uai18n-memory 2\n"  # 2: CRC-32 sections
#: A digest that is never stored: the file is no regular file, or vanished.
_UNREADABLE = "-"

Rows = dict[str, list]  # file name -> what it gave the memory


def _key(project: Project, what: str) -> str:
    """Everything besides the input files that the stored data depends on."""
    config = project.config
    parts = (
        MAGIC.decode(),
        code_digest(),
        rapidfuzz.__version__,
        f"{sys.version_info[:2]} {marshal.version} {sys.byteorder}",
        f"{POSTING_TYPE}{array(POSTING_TYPE).itemsize}",
        repr(float(config.memory_min_score)),
        config.source_language,
        what,
    )
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=16).hexdigest()


def _load(path: Path, key: str) -> tuple[dict, list[memoryview]] | None:
    """The meta data and sections of a stored file (see :func:`uai18n.packed.load_packed`)."""
    return load_packed(path, MAGIC, key)


def _save(path: Path, *sections: object) -> None:
    save_packed(path, MAGIC, *sections)


def _stored_rows(stored: tuple[dict, list[memoryview]] | None, number: int) -> Rows:
    if stored is None:
        return {}
    try:
        rows = section(stored[1], number)
    except DAMAGED:
        return {}
    return rows if isinstance(rows, dict) else {}


def _fresh_rows(
    current: dict[str, tuple[Path, str]],
    stored: tuple[dict, list[memoryview]] | None,
    number: int,
    read: list[str],
    reader: Callable[[Path, str], list],
) -> Rows:
    """Rows per file: the stored ones where the digest is unchanged, else read
    (and named in ``read``). Rows are only unmarshalled when some file changed."""
    digests = stored[0].get("files", {}) if stored is not None else {}
    rows: Rows = {}
    old: Rows | None = None
    for name, (path, digest) in current.items():
        if digest != _UNREADABLE and digests.get(name) == digest:
            if old is None:
                old = _stored_rows(stored, number)
            if name in old:
                rows[name] = old[name]
                continue
        rows[name] = reader(path, name)
        read.append(name)
    return rows


class _Tmx:
    """The TMX files' rows, read or from ``tmx.bin``, once per run."""

    def __init__(self, project: Project, folder: Path) -> None:
        self.project = project
        self.path = folder / f"{PREFIX}tmx.bin"
        self.current = {
            self._name(path): (path, project.file_digest(path))
            for path in tmx_files(project.config)
        }
        self.digests = sorted((name, digest) for name, (_, digest) in self.current.items())
        self._rows: Rows | None = None

    def _name(self, path: Path) -> str:
        root = self.project.config.root
        return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)

    def rows(self, read: list[str]) -> Rows:
        if self._rows is None:
            key = _key(self.project, "tmx")
            stored = _load(self.path, key)
            config = self.project.config
            rows = _fresh_rows(
                self.current, stored, 1, read, lambda path, name: tmx_rows(config, path)
            )
            if stored is None or stored[0].get("files") != self._digests():
                _save(self.path, {"key": key, "files": self._digests()}, rows)
            self._rows = rows
        return self._rows

    def _digests(self) -> dict[str, str]:
        return {name: digest for name, digest in self.digests if digest != _UNREADABLE}


def cached_memory(project: Project, languages: tuple[str, ...]) -> TranslationMemory:
    """The project's memory for these languages, through ``.uai18n/memory-*.bin``.

    The same entries as reading everything (:func:`~uai18n.pretranslate.memory.
    project_memory` without a project); :attr:`TranslationMemory.read` names
    the files that had to be read.
    """
    config = project.config
    folder = config.cache_dir
    memory = TranslationMemory(config.memory_min_score)
    tmx = _Tmx(project, folder)
    for language in languages:
        key = _key(project, f"po:{language}")
        path = folder / f"{PREFIX}{language}.bin"
        current = {
            project.relative(po): (po, project.file_digest(po))
            for po in catalogue_paths(config, language)
        }
        digests = {name: digest for name, (_, digest) in current.items()}
        stored = _load(path, key)
        if (
            stored is not None
            and _UNREADABLE not in digests.values()
            and stored[0].get("files") == digests
            and stored[0].get("tmx") == tmx.digests
        ):
            try:
                memory.set_index(language, LanguageIndex.from_data(section(stored[1], 1)))
                continue
            except DAMAGED:
                pass
        rows = _fresh_rows(current, stored, 2, memory.read, catalogue_rows)
        index = LanguageIndex.build(_language_rows(language, rows, tmx.rows(memory.read)))
        memory.set_index(language, index)
        meta = {"key": key, "files": digests, "tmx": tmx.digests}
        _save(path, meta, index.to_data(), rows)
    return memory


def _language_rows(language: str, po: Rows, tmx: Rows) -> Iterator[tuple[str, str, str, bool]]:
    """Every row of a language: its catalogues', then the TMX files' (the order
    does not matter: the index keeps the best ranked of equal pairs)."""
    for name in sorted(po):
        for source, target, reviewed in po[name]:
            yield source, target, name, reviewed
    for name in sorted(tmx):
        for target_lang, source, target, origin in tmx[name]:
            if target_lang == language:
                yield source, target, origin, False
