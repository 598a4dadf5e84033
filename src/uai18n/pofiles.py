"""Reading and writing PO files: strict where GNU gettext is strict.

polib is lenient: it accepts unterminated strings and keeps duplicate
msgids, and its line wrapping differs from gettext's. So reading first checks
the syntax the way ``msgfmt`` does (and names the file and line of the first
problem), then lets polib build the entries; writing goes through
:mod:`uai18n.poformat`, which wraps exactly as gettext does, and replaces the
file atomically, and only when a byte changes.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib

from uai18n.errors import UserError
from uai18n.poformat import dumps

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"])\s*(.*)$")
_ESCAPE = re.compile(r'\\(?:[\\"ntrabfv\'?]|[0-7]{1,3}|x[0-9a-fA-F]+)')


@dataclass
class _Entry:
    """What the syntax check tracks of one entry while scanning."""

    first_line: int = 0
    msgctxt: str | None = None
    msgid: str | None = None
    has_msgstr: bool = False
    obsolete: bool = False
    last: str = ""  # the last keyword seen, for continuation lines


def check_syntax(text: str, path: str) -> None:
    """Raise :class:`UserError` at the first line msgfmt would reject.

    Checks string quoting and escapes, stray text, keyword order (msgstr
    after msgid, msgid_plural before msgstr[N]), and duplicate definitions.
    """
    seen: dict[tuple[str | None, str], int] = {}
    entry = _Entry()

    def finish(line_number: int) -> None:
        nonlocal entry
        if entry.msgid is not None and not entry.has_msgstr:
            raise UserError("missing 'msgstr' after 'msgid'", path, line_number)
        if entry.msgid is not None and not entry.obsolete:
            key = (entry.msgctxt, entry.msgid)
            if key in seen:
                raise UserError(
                    f"duplicate message definition (first defined at line {seen[key]})",
                    path,
                    entry.first_line,
                )
            seen[key] = entry.first_line
        entry = _Entry()

    for number, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").strip()
        obsolete = False
        if line.startswith("#~"):
            line = line[2:].strip()
            obsolete = True
            if line.startswith("|"):
                continue  # previous msgid of an obsolete entry
        elif line.startswith("#") or not line:
            if not line and entry.has_msgstr:
                finish(number)
            continue
        if (
            entry.has_msgstr
            and line.startswith(("msgctxt", "msgid "))
            and entry.last.startswith("msgstr")
        ):
            finish(number)
        keyword = _KEYWORD.match(line)
        if keyword:
            name, rest = keyword.group(1), keyword.group(3)
            value = _string(rest, path, number)
            _check_order(entry, name, path, number)
            if name == "msgctxt":
                entry.first_line = entry.first_line or number
                entry.msgctxt = value
            elif name == "msgid":
                entry.first_line = entry.first_line or number
                entry.msgid = value
                entry.obsolete = obsolete
            elif name.startswith("msgstr"):
                entry.has_msgstr = True
            entry.last = name
            continue
        if line.startswith('"'):
            if not entry.last:
                raise UserError("string without a keyword before it", path, number)
            value = _string(line, path, number)
            if entry.last == "msgid" and entry.msgid is not None:
                entry.msgid += value
            elif entry.last == "msgctxt" and entry.msgctxt is not None:
                entry.msgctxt += value
            continue
        raise UserError(
            f"unexpected text {line[:30]!r} (not a keyword, string or comment)",
            path,
            number,
        )
    finish(text.count("\n") + 1)


def _check_order(entry: _Entry, name: str, path: str, number: int) -> None:
    if name == "msgctxt" and entry.msgid is not None:
        raise UserError("'msgctxt' after 'msgid' (missing 'msgstr'?)", path, number)
    if name == "msgid" and entry.msgid is not None:
        raise UserError("'msgid' without 'msgstr' before it", path, number)
    if name in {"msgid_plural"} and entry.msgid is None:
        raise UserError("'msgid_plural' without 'msgid'", path, number)
    if name.startswith("msgstr") and entry.msgid is None:
        raise UserError(f"'{name}' without 'msgid'", path, number)
    if name == "msgstr" and entry.last in {"msgid_plural"}:
        raise UserError("plural message needs 'msgstr[0]', not 'msgstr'", path, number)
    if (
        name.startswith("msgstr[")
        and entry.last not in {"msgid_plural"}
        and not entry.last.startswith("msgstr[")
    ):
        raise UserError("'msgstr[N]' without 'msgid_plural'", path, number)


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"\s*$')
_BACKSLASH = re.compile(r"\\(.?)")


def _string(rest: str, path: str, number: int) -> str:
    """Check one quoted string and return its raw (still escaped) content."""
    rest = rest.strip()
    if not rest.startswith('"'):
        raise UserError("expected a quoted string", path, number)
    quoted = _QUOTED.match(rest)
    if quoted is None:
        if re.match(r'"(?:[^"\\]|\\.)*"', rest):
            raise UserError("text after the closing quote", path, number)
        raise UserError("unterminated string", path, number)
    body = quoted.group(1)
    if "\\" in body:
        for escape in _BACKSLASH.finditer(body):
            if not _ESCAPE.match(body, escape.start()):
                raise UserError(f"invalid escape sequence '\\{escape.group(1)}'", path, number)
    return body


def read_catalog(path: Path, display: str | None = None) -> polib.POFile:
    """Read a PO or POT file strictly; every problem names file and line."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UserError(f"cannot read: {error.strerror}", name) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(
            "not UTF-8 (set Content-Type charset=UTF-8 and re-save)", name, line
        ) from None
    return parse_catalog(text, name)


def parse_catalog(text: str, name: str) -> polib.POFile:
    """Parse PO text already in memory (same checks as :func:`read_catalog`)."""
    text = text.removeprefix("\ufeff")
    check_syntax(text, name)
    try:
        catalog = polib.pofile(text, wrapwidth=79)
    except (OSError, ValueError) as error:
        raise UserError(f"cannot parse: {error}", name) from None
    charset = catalog.metadata.get("Content-Type", "charset=UTF-8")
    if "charset=" in charset and charset.split("charset=")[1].strip().upper() not in {
        "UTF-8",
        "CHARSET",
    }:
        raise UserError(
            f"declared charset {charset.split('charset=')[1]!r}; only UTF-8 is supported",
            name,
        )
    return catalog


def write_catalog(path: Path, catalog: polib.POFile) -> bool:
    """Write ``catalog`` in gettext's exact format; True if the file changed.

    The write is atomic (a temporary file in the same folder, then rename),
    and skipped when the bytes would not change, so reruns leave mtimes alone.
    """
    return write_text_atomic(path, dumps(catalog))


def write_text_atomic(path: Path, text: str) -> bool:
    """Replace ``path`` with ``text`` atomically, only if it differs."""
    data = text.encode("utf-8")
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


@dataclass(frozen=True)
class CatalogStats:
    """Counts of a catalogue's live entries by state."""

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent_translated(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def catalog_stats(catalog: polib.POFile) -> CatalogStats:
    """Translated (not fuzzy), fuzzy and untranslated live entries."""
    translated = fuzzy = untranslated = 0
    for entry in catalog:
        if entry.obsolete or entry.msgid == "":
            continue
        if entry.fuzzy:
            fuzzy += 1
        elif entry.translated():
            translated += 1
        else:
            untranslated += 1
    return CatalogStats(translated, fuzzy, untranslated)
