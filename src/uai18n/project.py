"""A project: its config, its sources and where each of their files lives.

Every stage takes a :class:`Project`; paths are derived here and nowhere else.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

from uai18n.config import Config
from uai18n.model import Document
from uai18n.readers import read_document, source_files
from uai18n.stamps import Stamps, digest
from uai18n.writers import WRITERS


@dataclass
class Project:
    """A config, the stamp record, and the document being worked on."""

    config: Config
    stamps: Stamps = field(init=False)
    config_digest: str = field(init=False)
    _current: tuple[Path, Document] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.stamps = Stamps(self.config.root)
        # every setting, wherever it came from (uai18n.toml or pyproject.toml)
        self.config_digest = digest(repr(dataclasses.replace(self.config, root=Path("."))))

    def sources(self) -> list[Path]:
        return source_files(self.config)

    def document(self, path: Path) -> Document:
        """The parsed source; stages walk one source at a time, so one is kept."""
        if self._current is None or self._current[0] != path:
            self._current = (path, read_document(path, self.config))
        return self._current[1]

    def template_path(self, source: Path) -> Path:
        return self.config.templates_dir / f"{source.stem}.pot"

    def catalog_path(self, language: str, source: Path) -> Path:
        return self.config.po_dir / language / f"{source.stem}.po"

    def output_paths(self, language: str, source: Path) -> list[Path]:
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
        return path.relative_to(self.config.root).as_posix()
