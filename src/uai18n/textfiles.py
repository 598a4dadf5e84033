"""Text files in and out: UTF-8 checked with a line number, writes atomic.

Every stage reads and writes through these two functions, so a bad byte is
always reported the same way and no reader ever sees a half-written file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from uai18n.errors import UserError


def read_utf8(path: Path, display: str, *, hint: str = "") -> str:
    """The file's text; a missing file or a non-UTF-8 byte is a UserError
    naming ``display`` and the line of the bad byte."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", display) from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        detail = hint or f"invalid byte 0x{data[error.start]:02x}"
        raise UserError(f"not UTF-8 ({detail})", display, line) from None


def write_text_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` (UTF-8) atomically, only if it differs."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def _special(path: Path) -> bool:
    """An existing path that is not a regular file (/dev/null, /dev/stdout, a FIFO).

    Renaming a temporary file over it would replace the device itself (as
    root: ``-o /dev/null`` would leave a plain file there), so it is written
    to directly instead.
    """
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def write_bytes_atomic(path: Path, data: bytes) -> bool:
    """Replace ``path`` with ``data`` atomically, only if it differs."""
    if _special(path):
        with path.open("wb") as stream:
            stream.write(data)
        return True
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def write_chunks_atomic(path: Path, chunks: Iterable[str]) -> None:
    """Stream ``chunks`` into ``path`` atomically: for reports too large to
    hold as one string. A failure midway leaves the old file in place."""
    if _special(path):
        with path.open("w", encoding="utf-8", newline="") as stream:
            for chunk in chunks:
                stream.write(chunk)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            for chunk in chunks:
                stream.write(chunk)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
