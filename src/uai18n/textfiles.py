"""Files in and out: UTF-8 checked with a line number, writes atomic.

Every stage reads and writes through these functions, so a bad byte or a
failing disk (read-only, full, a folder in the way) is always reported the
same way, as one :class:`UserError` naming the file, and no reader ever sees
a half-written file: a write goes to a temporary file beside the target,
which replaces the target only once it is complete and on disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

from uai18n.errors import UserError

try:
    import fcntl
except ImportError:  # pragma: no cover  (not POSIX: leftovers are then never cleaned)
    fcntl = None  # type: ignore[assignment]

#: Bytes of a streamed report kept in memory before they are written out.
BUFFER_BYTES = 1 << 20

#: The temporary files this module makes: ``.NAME.XXXXXXXX.tmp`` beside NAME
#: (tempfile.mkstemp's 8 random characters between our prefix and suffix).
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def display_name(path: Path) -> str:
    """How a message names ``path`` when the caller gave no name.

    As given when relative; else relative to the project it is in (the
    nearest folder up with ``uai18n.toml`` or ``pyproject.toml``), as every
    other message names project files; else in full. Only called when
    something has failed, so the walk up costs a run nothing.
    """
    from uai18n.config import CONFIG_NAME  # config imports Babel: only on failure

    if not path.is_absolute():
        return str(path)
    for folder in path.parents:
        if (folder / CONFIG_NAME).is_file() or (folder / "pyproject.toml").is_file():
            return path.relative_to(folder).as_posix()
    return str(path)


@contextlib.contextmanager
def _naming(path: Path, display: str | None, doing: str = "write") -> Iterator[None]:
    """Turn an OSError of the block into a UserError naming the file."""
    try:
        yield
    except OSError as error:
        reason = error.strerror or str(error)
        raise UserError(f"cannot {doing}: {reason}", display or display_name(path)) from None


def remove_file(path: Path, display: str | None = None) -> None:
    """Remove ``path`` if it is there; a failure is one UserError naming it."""
    with _naming(path, display, "remove"):
        path.unlink(missing_ok=True)


def describe(mode: int) -> str:
    """What a file that is not a regular one is, for messages ("a FIFO")."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"


def read_bytes(
    path: Path, display: str, *, limit: int | None = None, what: str = "a file"
) -> bytes:
    """The bytes of the regular file at ``path``; anything else is a UserError.

    The file is opened without blocking, so a FIFO is refused instead of
    waiting forever for a writer, and a device (``/dev/zero``) is refused
    before a byte is read. At most ``limit`` bytes are read, whatever size
    the file claims, so a huge or growing file cannot exhaust memory.
    """
    with _naming(path, display, "read"):
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            mode = os.fstat(handle).st_mode
        except BaseException:
            os.close(handle)
            raise
    if not stat.S_ISREG(mode):
        os.close(handle)
        raise UserError(f"cannot read: {describe(mode)}, not a regular file", display)
    with os.fdopen(handle, "rb") as stream, _naming(path, display, "read"):
        data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        size = f"{limit / 2**20:g} MiB" if limit >= 2**20 else f"{limit} bytes"
        raise UserError(f"too large: {what} may be at most {size}", display)
    return data


def read_utf8(
    path: Path, display: str, *, hint: str = "", limit: int | None = None, what: str = "a file"
) -> str:
    """The file's text; a missing file, one that is not a regular file (or
    larger than ``limit``) or a non-UTF-8 byte is a UserError naming
    ``display`` (and the line of the bad byte)."""
    data = read_bytes(path, display, limit=limit, what=what)
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        detail = hint or f"invalid byte 0x{data[error.start]:02x}"
        raise UserError(f"not UTF-8 ({detail})", display, line) from None


def write_text_atomic(
    path: Path,
    text: str,
    *,
    display: str | None = None,
    parents: bool = True,
    durable: bool = True,
) -> bool:
    """Replace ``path`` with ``text`` (UTF-8) atomically, only if it differs."""
    data = text.encode("utf-8")
    return write_bytes_atomic(path, data, display=display, parents=parents, durable=durable)


def _special(path: Path) -> bool:
    """An existing path that is a device, FIFO or socket (/dev/null, /dev/stdout).

    Renaming a temporary file over it would replace the device itself (as
    root: ``-o /dev/null`` would leave a plain file there), so it is written
    to directly instead. A folder is not special: it is refused.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def write_bytes_atomic(
    path: Path,
    data: bytes,
    *,
    display: str | None = None,
    parents: bool = True,
    durable: bool = True,
) -> bool:
    """Replace ``path`` with ``data`` atomically, only if it differs.

    ``display`` names the file in errors (default: :func:`display_name`);
    ``parents`` creates missing folders (not for a path the user typed).
    ``durable`` False: the bytes are not synced to disk before the rename,
    for what is rebuilt when lost (caches, reports): readers still see the
    old file or the new one, never a mix, but a power cut may leave it empty.
    The sync costs 0.2-12 ms a file, as the disk is busy.
    """
    if _special(path):
        _write_through(path, display, [data])
        return True
    _refuse_folder(path, display)
    _clean_leftovers(path)
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    _replace(path, display, [data], parents, durable)
    return True


def write_chunks_atomic(
    path: Path,
    chunks: Iterable[str],
    *,
    display: str | None = None,
    parents: bool = True,
    durable: bool = True,
) -> None:
    """Stream ``chunks`` into ``path`` atomically: for reports too large to
    hold as one string. A failure midway leaves the old file in place; an
    error raised by ``chunks`` itself passes through unchanged. ``durable``:
    as for :func:`write_bytes_atomic`."""
    pieces = (chunk.encode("utf-8") for chunk in chunks)
    if _special(path):
        _write_through(path, display, pieces)
        return
    _refuse_folder(path, display)
    _clean_leftovers(path)
    _replace(path, display, pieces, parents, durable)


def _refuse_folder(path: Path, display: str | None) -> None:
    """A folder where the file goes: say so before any temporary file is made."""
    if path.is_dir():
        raise UserError("cannot write: a folder is in the way", display or display_name(path))


def _write_through(path: Path, display: str | None, pieces: Iterable[bytes]) -> None:
    """Write into a device or FIFO as it is (nothing to replace atomically)."""
    with _naming(path, display):
        handle = os.open(path, os.O_WRONLY | os.O_TRUNC)
    try:
        _fill(handle, pieces, path, display)
    finally:
        with contextlib.suppress(OSError):
            os.close(handle)


def _fill(handle: int, pieces: Iterable[bytes], path: Path, display: str | None) -> None:
    """Write ``pieces`` to ``handle`` in large blocks; only our writes' errors
    name the file, the producer's own errors pass through as they are."""
    buffer = bytearray()
    for piece in pieces:
        buffer += piece
        if len(buffer) >= BUFFER_BYTES:
            _write_all(handle, buffer, path, display)
            buffer.clear()
    _write_all(handle, buffer, path, display)


def _write_all(handle: int, data: bytes | bytearray, path: Path, display: str | None) -> None:
    """os.write until every byte is out (it may write fewer than asked)."""
    with memoryview(data) as view, _naming(path, display):
        while view:
            view = view[os.write(handle, view) :]


def _replace(
    path: Path, display: str | None, pieces: Iterable[bytes], parents: bool, durable: bool
) -> None:
    """Write a temporary file beside ``path``, sync it (when ``durable``), rename
    it over ``path``.

    On any failure (a full disk, a read-only folder, an interrupt) the
    temporary file is removed and ``path`` is as it was.
    """
    folder = path.parent
    if parents:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            failed = Path(error.filename) if error.filename else folder
            name = display_name(failed)
            raise UserError(
                f"cannot create folder {name}: {error.strerror or error}",
                display or display_name(path),
            ) from None
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    handle, temporary = _temporary(path, display)
    try:
        try:
            _fill(handle, pieces, path, display)
            if durable:
                with _naming(path, display):
                    os.fsync(handle)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(handle)
            raise
        with _naming(path, display):
            os.close(handle)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    finally:
        _remember(folder)


def _temporary(path: Path, display: str | None) -> tuple[int, str]:
    """A new temporary file beside ``path``, locked while it is open.

    The lock (flock) tells :func:`_clean_leftovers` that a live process is
    writing it. A cleaner may take a file in the instant between mkstemp and
    flock for a leftover and delete it; the link count then reads 0 and
    another file is made.
    """
    while True:
        with _naming(path, display):
            handle, temporary = _make_temporary(path)
        if fcntl is None:
            return handle, temporary
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)  # waits only for a cleaner's instant
            if os.fstat(handle).st_nlink > 0:
                return handle, temporary
        except OSError:  # no locks on this file system: cleaners cannot lock either
            return handle, temporary
        os.close(handle)


#: The characters of a temporary file's random part (as mkstemp's).
_RANDOM_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
#: How a temporary file is opened: created, never an existing file or link.
_CREATE = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def _make_temporary(path: Path) -> tuple[int, str]:
    """``.NAME.XXXXXXXX.tmp`` beside ``path``, made as :func:`tempfile.mkstemp`
    makes its files (exclusive create, mode 0600, not inherited by children),
    without the 3 ms of imports (random, shutil) every command writing a
    report paid."""
    while True:
        letters = "".join(_RANDOM_CHARACTERS[byte % 37] for byte in os.urandom(8))
        temporary = os.path.join(path.parent, f".{path.name}.{letters}.tmp")
        try:
            return os.open(temporary, _CREATE | getattr(os, "O_CLOEXEC", 0), 0o600), temporary
        except FileExistsError:
            continue


#: Per folder: its mtime when last listed (or after our own last change
#: there) and the leftovers found then, by target name. A long build writes
#: thousands of files into one folder; listing it for each would cost more
#: than the writes.
_listed: dict[str, tuple[int, dict[str, list[str]]]] = {}


def _leftovers(folder: Path) -> dict[str, list[str]]:
    """The temporary files in ``folder`` by target name (listed again when
    the folder changed behind our back)."""
    key = os.fspath(folder)
    try:
        mtime = os.stat(key).st_mtime_ns
    except OSError:
        return {}
    known = _listed.get(key)
    if known is not None and known[0] == mtime:
        return known[1]
    found: dict[str, list[str]] = defaultdict(list)
    try:
        with os.scandir(key) as entries:
            for entry in entries:
                match = _TEMPORARY.fullmatch(entry.name)
                if match:
                    found[match["target"]].append(entry.name)
    except OSError:
        return {}
    _listed[key] = (mtime, found)
    return found


def _remember(folder: Path) -> None:
    """Note the folder's mtime after our own change, so it is not listed again."""
    key = os.fspath(folder)
    known = _listed.get(key)
    if known is not None:
        try:
            _listed[key] = (os.stat(key).st_mtime_ns, known[1])
        except OSError:
            _listed.pop(key, None)


def _clean_leftovers(path: Path) -> None:
    """Remove the temporary files a killed write of ``path`` left beside it.

    Safe because both conditions must hold: the name is one only this module
    makes for this very target (``.NAME.XXXXXXXX.tmp``: a hidden file with
    the target's full name, mkstemp's eight random characters and ``.tmp``;
    no one names their own files so), and no live process is writing it:
    every writer holds an flock on its temporary file until it is renamed,
    and the kernel drops that lock when the process dies, so a lock we can
    take is a dead writer's. Without flock (not POSIX, or a file system
    without locks) nothing is removed.
    """
    if fcntl is None:
        return
    found = _leftovers(path.parent)
    names = found.pop(path.name, None)
    if not names:
        return
    kept = [name for name in names if not _remove_if_dead(path.parent / name)]
    if kept:  # a live writer's: tried again next time
        found[path.name] = kept
    _remember(path.parent)


def _remove_if_dead(leftover: Path) -> bool:
    """Remove a temporary file unless a live writer holds its lock; True when
    it is gone."""
    assert fcntl is not None
    try:
        handle = os.open(leftover, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return True
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False  # not a file this module made
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        leftover.unlink()
        return True
    except FileNotFoundError:
        return True
    except OSError:
        return False  # a live writer holds the lock, or it is not ours to remove
    finally:
        os.close(handle)
