"""A project: its config, its sources and where each of their files lives.

Every stage takes a :class:`Project`; paths are derived here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from uai18n.config import Config
from uai18n.errors import UserError
from uai18n.readers import source_files
from uai18n.stamps import FINDINGS_NAME, Stamps, digest, relative_name

if TYPE_CHECKING:
    import polib

    from uai18n.boilerplate import Boilerplate
    from uai18n.forked import HeadStart
    from uai18n.model import Document

# Readers, templates, catalogues and writers are imported where first used: a
# command that finds everything in the stamp record (a re-check, a re-status)
# never pays for them.


class SourceRead(NamedTuple):
    """What a worker found reading a source ahead (:meth:`Project.read_sources_ahead`)."""

    inputs: str  # the digest of the source and config it read
    template: str  # the digest of the .pot when it holds the source's template, else ""
    entries: int
    verbatim: tuple[str, ...]


@dataclass
class Project:
    """A config, the stamp record, and the document being worked on."""

    config: Config
    stamps: Stamps = field(init=False)
    config_digest: str = field(init=False)
    _current: tuple[Path, Document] | None = field(default=None, init=False)
    _template: tuple[Path, polib.POFile] | None = field(default=None, init=False)
    _ahead: HeadStart | None = field(default=None, init=False)
    _read_ahead: dict[str, SourceRead] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.stamps = Stamps(self.config.root)
        # every setting, wherever it came from (uai18n.toml or pyproject.toml)
        self.config_digest = digest(repr(dataclasses.replace(self.config, root=Path("."))))

    @functools.cached_property
    def findings(self) -> Stamps:
        """The check's findings per catalogue (``.uai18n/findings.json``), loaded by
        check alone: other commands never read them."""
        return Stamps(self.config.root, FINDINGS_NAME)

    def save(self) -> None:
        """Write the stamp record, and the findings if this run loaded them."""
        self.stamps.save()
        if "findings" in self.__dict__:
            self.findings.save()

    def sources(self) -> list[Path]:
        return source_files(self.config)

    def document(self, path: Path) -> Document:
        """The parsed source; stages walk one source at a time, so one is kept."""
        if self._current is None or self._current[0] != path:
            from uai18n.readers import read_document

            self._current = (path, read_document(path, self.config))
        return self._current[1]

    def extract_stamp(self, source: Path) -> tuple[str, str]:
        """The stamp key of a source's template and the digest of what it is made from."""
        key = f"extract:{self.relative(self.template_path(source))}"
        return key, digest(self.config_digest, self.file_digest(source))

    def template(self, source: Path) -> polib.POFile:
        """The document's messages as the source gives them now.

        The .pot on disk when extract wrote it from this very source and
        config (its stamp says so, and it is untouched since), else the
        template extracted in memory: a stale or missing .pot never decides
        what status and check count.
        """
        if self._template is None or self._template[0] != source:
            from uai18n.po.read import read_catalog

            pot = self.template_path(source)
            key, inputs = self.extract_stamp(source)
            trusted = self.stamps.fresh(key, inputs, [pot]) is not None
            if not trusted:
                ahead = self._source_read(source, inputs)
                if ahead is not None and ahead.template and ahead.template == self.file_digest(pot):
                    # what extract would record, having nothing to write
                    self.stamps.record(key, inputs, [pot], entries=ahead.entries)
                    trusted = True
            if trusted:
                template = read_catalog(pot, self.relative(pot))
            else:
                template, current = self._template_from_source(source)
                if current:
                    # what extract would record, having nothing to write: the
                    # next command reads the .pot instead of the source
                    self.stamps.record(key, inputs, [pot], entries=len(template))
            self._template = (source, template)
        return self._template[1]

    def _template_from_source(self, source: Path) -> tuple[polib.POFile, bool]:
        """The template extracted from the source, and whether the .pot holds it."""
        from uai18n.extract import template_for, template_is_current

        pot = self.template_path(source)
        template = template_for(self.document(source))
        try:
            current = template_is_current(pot, template, self.relative(pot))
        except UserError:  # a damaged .pot: extract will say so and replace it
            current = False
        return template, current

    def read_sources_ahead(self, sources: list[Path]) -> None:
        """Have the sources among these whose .pot has no fresh stamp read in a
        forked worker, while this process goes on (:class:`~uai18n.forked.HeadStart`).

        A check of a fresh clone must read the source to trust the committed
        .pot: its reader, its CLDR data (Babel's English locale) and the
        comparison took 40-60 ms of the 170, now spent beside the glossary's
        loading. :meth:`template` and :meth:`verbatim_strings` take the
        worker's answers; without them they read the source themselves.
        Call :meth:`stop_reading_ahead` when done.
        """
        unread = [
            source
            for source in dict.fromkeys(sources)
            if self.stamps.fresh(*self.extract_stamp(source), [self.template_path(source)]) is None
        ]
        if unread and self._ahead is None:
            from uai18n.forked import HeadStart

            self._ahead = HeadStart(functools.partial(self._read_sources, unread))

    @property
    def reading_sources_ahead(self) -> bool:
        """Whether a worker :meth:`read_sources_ahead` started may still be reading."""
        return self._ahead is not None

    def _read_sources(self, sources: list[Path]) -> Iterator[tuple[object, ...]]:
        """In the worker: each source's :class:`SourceRead`, as a tuple."""
        for source in sources:
            _, inputs = self.extract_stamp(source)
            template, current = self._template_from_source(source)
            pot = self.file_digest(self.template_path(source)) if current else ""
            strings = self.document(source).verbatim_strings()
            yield (str(source), inputs, pot, len(template), tuple(strings))

    def _source_read(self, source: Path, inputs: str) -> SourceRead | None:
        """The worker's reading of ``source``, when it read the bytes ``inputs`` digests."""
        name = str(source)
        while name not in self._read_ahead and self._ahead is not None:
            found = self._ahead.next()
            if found is None:
                self.stop_reading_ahead()
                break
            read = SourceRead(*found[1:])
            self._read_ahead[found[0]] = read
        read = self._read_ahead.get(name)
        return read if read is not None and read.inputs == inputs else None

    def stop_reading_ahead(self) -> None:
        """End the worker :meth:`read_sources_ahead` started, if it runs still."""
        if self._ahead is not None:
            self._ahead.stop()
            self._ahead = None

    def verbatim_strings(self, source: Path) -> tuple[str, ...]:
        """The source's :meth:`Document.verbatim_strings`, remembered with the
        digest of the source and config, so a check reads no source to know them."""
        key = f"verbatim:{self.relative(source)}"
        _, inputs = self.extract_stamp(source)
        record = self.stamps.fresh(key, inputs, [])
        if record is not None:
            return tuple(record["strings"])
        ahead = self._source_read(source, inputs)
        strings = ahead.verbatim if ahead is not None else self.document(source).verbatim_strings()
        self.stamps.record(key, inputs, [], strings=list(strings))
        return strings

    def boilerplate(self) -> Boilerplate:
        """The project's boilerplate (``memory/boilerplate.tmx``), remembered in the
        stamp record with the file's digest, so a re-check parses no TMX."""
        from uai18n.boilerplate import Boilerplate, Phrase, boilerplate_path, load_boilerplate

        path = boilerplate_path(self.config)
        inputs = digest(self.file_digest(path), self.config.source_language)  # and the code
        record = self.stamps.fresh("boilerplate", inputs, [])
        if record is not None:
            return Boilerplate(
                {
                    (lang, msgid): Phrase(target, origin)
                    for lang, msgid, target, origin in record["phrases"]
                }
            )
        found = load_boilerplate(self.config)
        phrases = [
            [*key, phrase.target, phrase.origin] for key, phrase in sorted(found.phrases.items())
        ]
        self.stamps.record("boilerplate", inputs, [], phrases=phrases)
        return found

    def template_path(self, source: Path) -> Path:
        return self.config.templates_dir / f"{source.stem}.pot"

    def catalog_path(self, language: str, source: Path) -> Path:
        return self.config.po_dir / language / f"{source.stem}.po"

    def catalog(self, language: str, source: Path) -> polib.POFile | None:
        """The language's catalogue of a document, read strictly; None when it has none yet."""
        from uai18n.po.read import read_catalog

        po = self.catalog_path(language, source)
        return read_catalog(po, self.relative(po)) if po.exists() else None

    def output_paths(self, language: str, source: Path) -> list[Path]:
        from uai18n.writers import WRITERS

        folder = self.config.output_dir / language
        formats = list(self.config.formats)
        if source.suffix == ".docx" and "docx" not in formats:
            formats.append("docx")  # a Word source gives a Word document too
        if source.suffix != ".docx" and "docx" in formats:
            formats.remove("docx")  # only a .docx has the layout a .docx is made from
        return [folder / f"{source.stem}{WRITERS[fmt][0]}" for fmt in formats]

    def file_digest(self, path: Path) -> str:
        return self.stamps.file_digest(path)

    def relative(self, path: Path) -> str:
        """``path`` relative to the project root, with ``/`` (string slicing when
        it is inside, as the stamp record names files: this runs for every
        catalogue of every re-status)."""
        inside = relative_name(self.stamps.prefix, path)
        return inside if inside is not None else path.relative_to(self.config.root).as_posix()
