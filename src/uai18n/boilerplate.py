"""The movement's fixed UA phrases: ``memory/boilerplate.tmx``.

Headings ("ADDITIONAL INFORMATION"), the banner, salutations, closings and the
like have one wording per language that every section office uses. They live
in one TMX 1.4b file of the project, each translation with a ``<note>`` naming
where it was published. Two stages read it:

* ``pretranslate`` fills an empty entry whose msgid is exactly a boilerplate
  segment (the same exact match the translation memory makes: the msgid as it
  is, no fuzzy match) before asking any other memory; the suggestion is fuzzy
  like every other one, with a ``memory 100% from ... (boilerplate)`` comment,
  and an entry that has any translation is never touched;
* ``check`` warns (``boilerplate``) where a published translation of such a
  msgid says it otherwise.

The file is parsed once per file version (path, size and modification time),
so a check run reads it once however many entries it checks. A file that is
not valid TMX, or that gives one segment two wordings in one language, is a
:class:`~uai18n.errors.UserError` naming the file and line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from uai18n.config import Config
from uai18n.errors import UserError
from uai18n.states import memory_provenance
from uai18n.textfiles import read_bytes

#: The boilerplate of a project, relative to its root.
BOILERPLATE_FILE = "memory/boilerplate.tmx"

_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'"})


@dataclass(frozen=True)
class Phrase:
    """The fixed wording of one segment in one language, and where it is kept."""

    target: str
    origin: str  # "memory/boilerplate.tmx:50": file and line of its <tu>

    @property
    def comment(self) -> str:
        """The translator comment of an entry pretranslate fills with it."""
        return boilerplate_provenance(self.origin)


class Boilerplate:
    """(language, English segment) -> :class:`Phrase`; empty when the project has none."""

    def __init__(self, phrases: dict[tuple[str, str], Phrase] | None = None):
        self.phrases = dict(phrases or {})

    def __len__(self) -> int:
        return len(self.phrases)

    def lookup(self, language: str, msgid: str) -> Phrase | None:
        """The fixed wording of exactly this msgid in this language, if there is one."""
        return self.phrases.get((language, msgid))


def boilerplate_provenance(origin: str) -> str:
    """The comment of a boilerplate suggestion: a memory provenance (an exact
    match, so builds and ``status`` read it as every other suggestion) that
    says where the fixed wording came from."""
    return f"{memory_provenance(100, origin)} (boilerplate)"


def same_wording(translation: str, fixed: str) -> bool:
    """Whether a translation says the fixed wording: typographic variants of the
    apostrophe, Unicode normalization and runs of spaces do not count."""
    return _normal(translation) == _normal(fixed)


def _normal(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).translate(_APOSTROPHES)).strip()


def read_boilerplate(data: bytes, where: str, source_language: str) -> Boilerplate:
    """The boilerplate in TMX bytes (``where`` names the file in errors and origins)."""
    from uai18n.pretranslate.tmx import read_tmx  # lxml: only when there is a file

    phrases: dict[tuple[str, str], Phrase] = {}
    for unit in read_tmx(data, where, source_language):
        if not unit.source or not unit.target:
            continue
        key = (unit.target_lang, unit.source)
        phrase = Phrase(unit.target, unit.origin)
        kept = phrases.setdefault(key, phrase)
        if kept.target != phrase.target:
            line = _line(unit.origin)
            raise UserError(
                f"{unit.source!r} has two fixed wordings in {unit.target_lang!r}: "
                f"{kept.target!r} ({kept.origin}) and {phrase.target!r}",
                where,
                line,
            )
    return Boilerplate(phrases)


def _line(origin: str) -> int | None:
    _, _, line = origin.rpartition(":")
    return int(line) if line.isdigit() else None


def boilerplate_path(config: Config) -> Path:
    return config.root / BOILERPLATE_FILE


def load_boilerplate(config: Config) -> Boilerplate:
    """The project's boilerplate (empty without ``memory/boilerplate.tmx``); callers
    load it once per run (gate, pretranslate)."""
    path = boilerplate_path(config)
    if not path.exists():
        return Boilerplate()
    return read_boilerplate(
        read_bytes(path, BOILERPLATE_FILE), BOILERPLATE_FILE, config.source_language
    )
