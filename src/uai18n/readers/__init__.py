"""Source readers: one module per format, each giving a :class:`Document`."""

from __future__ import annotations

import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.config import Config
from uai18n.errors import UserError
from uai18n.textfiles import describe, read_bytes, read_utf8

if TYPE_CHECKING:
    from uai18n.model import Document

#: File endings we can read, and the reader for each (``module:function``,
#: imported when a file of that kind is read: listing sources needs none).
READERS = {
    ".txt": "uai18n.readers.text:read_text",
    ".html": "uai18n.readers.html:read_html",
    ".htm": "uai18n.readers.html:read_html",
    ".docx": "uai18n.readers.docx:read_docx",
}
#: Formats read as bytes (a zip), not as UTF-8 text.
BINARY = frozenset({".docx"})
#: The most we read of one source file. A UA is some kilobytes of text, a Word
#: one with photographs a few megabytes; a larger file is a mistake, and its
#: reading and segmenting could exhaust memory.
MAX_SOURCE_BYTES = 20 * 2**20


def source_files(config: Config) -> list[Path]:
    """The documents in ``source/``, sorted; other files are an error.

    Only regular files inside the project are read: a FIFO would hang the run,
    a link to ``/dev/zero`` would fill memory, and a link to a file outside
    (``/etc/passwd``) would copy it into catalogues that leave the building.
    Two sources with one name (``ua.txt``, ``ua.html``) would share one
    catalogue, and one of them would never be translated.
    """
    where = config.source_dir.relative_to(config.root)
    if not config.source_dir.is_dir():
        raise UserError("no source/ folder", where)
    try:
        paths = sorted(config.source_dir.iterdir())
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror or error}", where) from None
    files = []
    names: dict[str, Path] = {}
    for path in paths:
        if path.name.startswith(".") or not _is_source_file(path, config):
            continue
        if path.suffix not in READERS:
            known = ", ".join(sorted(READERS))
            raise UserError(
                f"cannot read {path.suffix or 'files without an ending'} (known: {known})",
                _relative(path, config),
            )
        name = path.stem.casefold()  # ua.txt and UA.html clash where case is folded (macOS)
        if name in names:
            raise UserError(
                f"same document name as {_relative(names[name], config)}: both would be "
                f"po/<lang>/{path.stem}.po; rename one",
                _relative(path, config),
            )
        names[name] = path
        files.append(path)
    return files


def _is_source_file(path: Path, config: Config) -> bool:
    """True for a regular file inside the project (through links too), False
    for a folder (skipped); anything else is a UserError naming the file."""
    relative = _relative(path, config)
    try:
        target = path.resolve(strict=True)
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        raise UserError("a symbolic link to nothing", relative) from None
    except RuntimeError:  # Python < 3.13 on a link loop
        raise UserError("a symbolic link loop", relative) from None
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror or error}", relative) from None
    if not target.is_relative_to(config.root.resolve()):
        raise UserError(
            f"links to {target}, outside the project: only files inside it are read", relative
        )
    if stat.S_ISDIR(mode):
        return False
    if not stat.S_ISREG(mode):
        raise UserError(f"{describe(mode)}, not a regular file: cannot be a source", relative)
    return True


def read_document(path: Path, config: Config) -> Document:
    """Read one source file; errors name the file (and line)."""
    relative = _relative(path, config)
    if not _is_source_file(path, config):
        raise UserError("a folder, not a source file", relative)
    content: str | bytes
    if path.suffix in BINARY:
        content = read_bytes(path, relative, limit=MAX_SOURCE_BYTES, what="a source file")
    else:
        content = read_utf8(path, relative, limit=MAX_SOURCE_BYTES, what="a source file")
    return reader(path.suffix)(
        content,
        doc_id=path.stem,
        source_path=relative,
        language=config.source_language,
        segment_mode=config.segment,
        abbreviations=config.abbreviations,
    )


def reader(suffix: str) -> Callable[..., Document]:
    """The reader function for a file ending of :data:`READERS`."""
    module, _, name = READERS[suffix].partition(":")
    function: Callable[..., Document] = getattr(importlib.import_module(module), name)
    return function


def _relative(path: Path, config: Config) -> str:
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)
