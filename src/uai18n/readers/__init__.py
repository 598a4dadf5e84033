"""Source readers: one module per format, each giving a :class:`Document`."""

from __future__ import annotations

from pathlib import Path

from uai18n.config import Config
from uai18n.errors import UserError
from uai18n.model import Document
from uai18n.readers.docx import read_docx
from uai18n.readers.html import read_html
from uai18n.readers.text import read_text
from uai18n.textfiles import read_utf8

#: File endings we can read, and the reader for each.
READERS = {".txt": read_text, ".html": read_html, ".htm": read_html, ".docx": read_docx}
#: Formats read as bytes (a zip), not as UTF-8 text.
BINARY = frozenset({".docx"})


def source_files(config: Config) -> list[Path]:
    """The documents in ``source/``, sorted; other files are an error."""
    if not config.source_dir.is_dir():
        raise UserError("no source/ folder", config.source_dir.relative_to(config.root))
    files = []
    for path in sorted(config.source_dir.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix not in READERS:
            known = ", ".join(sorted(READERS))
            raise UserError(
                f"cannot read {path.suffix or 'files without an ending'} (known: {known})",
                _relative(path, config),
            )
        files.append(path)
    return files


def read_document(path: Path, config: Config) -> Document:
    """Read one source file; errors name the file (and line)."""
    relative = _relative(path, config)
    content = path.read_bytes() if path.suffix in BINARY else read_utf8(path, relative)
    return READERS[path.suffix](
        content,
        doc_id=path.stem,
        source_path=relative,
        language=config.source_language,
        segment_mode=config.segment,
        abbreviations=config.abbreviations,
    )


def _relative(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
