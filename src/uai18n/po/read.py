"""Reading PO files: strict where GNU gettext is strict.

Entries read here carry ``msgid_line``, the line of their ``msgid`` keyword,
which is where checks and reports point.

polib is lenient: it accepts unterminated strings and keeps duplicate
msgids, and its line wrapping differs from gettext's. So reading first checks
the syntax the way ``msgfmt`` does (and names the file and line of the first
problem), then lets polib build the entries; writing goes through
:mod:`uai18n.po.write`, which wraps exactly as gettext does, and replaces the
file atomically, and only when a byte changes.

Comments belong to the entry they precede (the header entry's are the file's
header comment; a file without a header entry has none), empty ``#`` and
``#.`` lines included, as gettext keeps them. A string may not hold what no
output can (XML-forbidden characters, escapes past Unicode), although msgfmt
lets those through.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib

from uai18n.errors import UserError
from uai18n.textfiles import read_utf8

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)(?=[\s\"])\s*(.*)$")
_ESCAPE = re.compile(r'\\(?:[\\"ntrabfv\'?]|[0-7]{1,3}|x[0-9a-fA-F]+)')


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


_UNESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}

# What XML 1.0 forbids (C0 controls but tab, newline and carriage return;
# surrogates; U+FFFE and U+FFFF): the HTML and docx writers cannot write it,
# so no such character may get past the reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadText(ValueError):
    """A string the reader refuses; the message says why (the caller adds where)."""


def unescape(body: str) -> str:
    """A C string body (as checked by :func:`_string`) to its text.

    Raises :class:`BadText` for an escape that is no Unicode scalar value
    (above U+10FFFF, or a surrogate) and for a character XML cannot hold:
    gettext itself takes ``\\x`` escapes as bytes modulo 256 and lets
    controls through, which would only fail later, in the HTML writer.
    """
    if "\\" in body:

        def replace(match: re.Match[str]) -> str:
            escape = match.group(0)[1:]
            if escape[0] in "01234567":
                code = int(escape, 8)
            elif escape[0] == "x":
                code = int(escape[1:], 16)
            else:
                return _UNESCAPES.get(escape, escape)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                shown = escape if len(escape) <= 12 else escape[:12] + "..."
                raise BadText(f"escape '\\{shown}' is not a Unicode character")
            return chr(code)

        body = _ESCAPE.sub(replace, body)
    bad = _NOT_XML.search(body)
    if bad is not None:
        code = ord(bad.group())
        kind = "control character" if code < 0x20 else "non-character"
        raise BadText(f"{kind} U+{code:04X} in a string (no HTML or Word output can hold it)")
    return body


_MARKED = frozenset(".:,|")  # "#." extracted, "#:" references, "#," flags, "#|" previous
_PREVIOUS = {
    "msgctxt": "previous_msgctxt",
    "msgid": "previous_msgid",
    "msgid_plural": "previous_msgid_plural",
}


class BlankComment(str):
    """A comment that is a single empty line (``#`` alone): kept, so unlike ""
    (no comment at all) it is true; msgcat and msgmerge keep such lines."""

    def __bool__(self) -> bool:
        return True


class _Reader:
    """One pass over PO text: checks what msgfmt checks, builds polib entries.

    Entries are polib's (the data model every stage shares); the reading is
    ours because polib accepts what gettext rejects and does not say where.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.catalog = polib.POFile(wrapwidth=79)
        self.entry: polib.POEntry | None = None
        self.last = ""  # the keyword the next continuation string belongs to
        self.has_msgid = False
        self.has_msgstr = False
        self.started: set[str] = set()  # comment attributes the entry has lines in
        self.seen: dict[tuple[str | None, str], int] = {}

    def error(self, message: str, number: int) -> UserError:
        return UserError(message, self.path, number)

    def text(self, quoted: str, number: int) -> str:
        """The text of one quoted string on line ``number``, checked."""
        try:
            return unescape(_string(quoted, self.path, number))
        except BadText as problem:
            raise self.error(str(problem), number) from None

    def current(self, number: int, *, closing: bool = True) -> polib.POEntry:
        """The entry being read; a complete one is closed first if ``closing``."""
        if closing and self.entry is not None and self.has_msgstr:
            self.close()
        if self.entry is None:
            self.entry = polib.POEntry(linenum=number)
            self.started = set()
            self.last = ""
            self.has_msgid = self.has_msgstr = False
        return self.entry

    def close(self) -> None:
        entry = self.entry
        if entry is None:
            return
        if not self.has_msgid:
            return  # trailing comments: ignored, as gettext does
        if not self.has_msgstr:
            raise self.error(f"missing 'msgstr' after '{self.last}'", entry.linenum)
        # an obsolete entry counts too: msgmerge, msgcat and msgfmt refuse a "#~" twin
        key = (entry.msgctxt, entry.msgid)
        if key in self.seen:
            first = self.seen[key]
            raise self.error(
                f"duplicate message definition (first at line {first})", entry.msgid_line
            )
        self.seen[key] = entry.msgid_line
        self.catalog.append(entry)
        self.entry = None
        self.has_msgstr = False
        self.last = ""

    def comment(self, line: str, number: int) -> None:
        """A comment line belongs to the entry that follows (the header's are
        the file's header comment); empty ``#`` and ``#.`` lines are kept."""
        kind = line[1:2]
        entry = self.current(number)
        text = line[2:].removeprefix(" ") if kind in _MARKED else line[1:].removeprefix(" ")
        if kind == ".":
            self.add_line(entry, "comment", text)
        elif kind == ":":
            for reference in text.split():
                path, _, line_number = reference.rpartition(":")
                if path and line_number.isdigit():
                    entry.occurrences.append((path, line_number))
                else:
                    entry.occurrences.append((reference, ""))
        elif kind == ",":
            entry.flags += [flag.strip() for flag in text.split(",") if flag.strip()]
        elif kind == "|":
            self.previous(text, number)
        else:
            self.add_line(entry, "tcomment", text)

    def add_line(self, entry: polib.POEntry, attribute: str, text: str) -> None:
        """One more line of a comment; a comment that is one empty line stays one."""
        if attribute in self.started:
            setattr(entry, attribute, getattr(entry, attribute) + "\n" + text)
        else:
            setattr(entry, attribute, text or BlankComment())
            self.started.add(attribute)

    def previous(self, text: str, number: int) -> None:
        """``#| msgid "..."`` lines: the msgid a fuzzy translation was made for."""
        entry = self.current(number)
        keyword = _KEYWORD.match(text)
        if keyword and keyword.group(1) in _PREVIOUS:
            attribute = _PREVIOUS[keyword.group(1)]
            setattr(entry, attribute, self.text(keyword.group(3), number))
            self.last = attribute
        elif text.startswith('"') and self.last in _PREVIOUS.values():
            value = getattr(entry, self.last) + self.text(text, number)
            setattr(entry, self.last, value)
        else:
            raise self.error(f"unexpected text {text[:30]!r} in a '#|' line", number)
        self.last = self.last if self.last in _PREVIOUS.values() else ""

    def keyword(self, name: str, rest: str, number: int, obsolete: bool) -> None:
        """``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr`` or ``msgstr[N]``."""
        value = self.text(rest, number)
        entry = self.current(number, closing=name in {"msgctxt", "msgid"})
        self.check_order(entry, name, number)
        if name == "msgctxt":
            entry.msgctxt = value
        elif name == "msgid":
            entry.msgid = value
            entry.obsolete = obsolete
            entry.msgid_line = number  # where reports point (polib's linenum is the first comment)
            self.has_msgid = True
        elif name == "msgid_plural":
            entry.msgid_plural = value
        elif name.startswith("msgstr["):
            entry.msgstr_plural[int(name[7:-1])] = value
            self.has_msgstr = True
        else:
            entry.msgstr = value
            self.has_msgstr = True
        self.last = name

    def continuation(self, line: str, number: int) -> None:
        entry = self.entry
        if entry is None or not self.last or self.last in _PREVIOUS.values():
            raise self.error("string without a keyword before it", number)
        value = self.text(line, number)
        if self.last.startswith("msgstr["):
            index = int(self.last[7:-1])
            entry.msgstr_plural[index] += value
        else:
            setattr(entry, self.last, getattr(entry, self.last) + value)

    def check_order(self, entry: polib.POEntry, name: str, number: int) -> None:
        last = self.last
        if name == "msgctxt" and self.has_msgid:
            raise self.error("'msgctxt' after 'msgid' (missing 'msgstr'?)", number)
        if name == "msgid" and last in {"msgid", "msgid_plural"}:
            raise self.error("'msgid' without 'msgstr' before it", number)
        if name == "msgid_plural" and last != "msgid":
            raise self.error("'msgid_plural' must follow 'msgid'", number)
        if name.startswith("msgstr") and not self.has_msgid:
            raise self.error(f"'{name}' without 'msgid'", number)
        if name == "msgstr" and last == "msgid_plural":
            raise self.error("plural message needs 'msgstr[0]', not 'msgstr'", number)
        if name.startswith("msgstr[") and last != "msgid_plural" and not last.startswith("msgstr["):
            raise self.error("'msgstr[N]' without 'msgid_plural'", number)

    def read(self, text: str) -> polib.POFile:
        for number, raw in enumerate(text.split("\n"), 1):
            line = raw.rstrip("\r").strip()
            if not line:
                continue
            obsolete = line.startswith("#~")
            if obsolete:
                line = line[2:].lstrip()
                if line.startswith("|"):
                    self.previous(line[1:].lstrip(), number)
                    continue
                if not line:
                    continue
            elif line.startswith("#"):
                self.comment(line, number)
                continue
            keyword = _KEYWORD.match(line)
            if keyword:
                self.keyword(keyword.group(1), keyword.group(3), number, obsolete)
            elif line.startswith('"'):
                self.continuation(line, number)
            else:
                raise self.error(
                    f"unexpected text {line[:30]!r} (not a keyword, string or comment)", number
                )
        self.close()
        self._take_header()
        return self.catalog

    def _take_header(self) -> None:
        """The msgid "" entry becomes the catalogue's metadata, as in polib."""
        header = next((e for e in self.catalog if e.msgid == "" and e.msgctxt is None), None)
        if header is None:
            return
        self.catalog.remove(header)
        self.catalog.header_linenum = header.linenum  # where its text starts (po.layout)
        self.catalog.metadata_is_fuzzy = header.flags
        self.catalog.header = header.tcomment
        key = None
        for line in header.msgstr.splitlines():
            name, colon, value = line.partition(":")
            if colon:
                key = name
                self.catalog.metadata[key] = value.strip()
            elif key is not None:
                self.catalog.metadata[key] += "\n" + line.strip()


def read_catalog(path: Path, display: str | None = None) -> polib.POFile:
    """Read a PO or POT file strictly; every problem names file and line."""
    name = display or str(path)
    text = read_utf8(path, name, hint="set Content-Type charset=UTF-8 and re-save")
    return parse_catalog(text, name)


def parse_catalog(text: str, name: str) -> polib.POFile:
    """Parse PO text already in memory (same checks as :func:`read_catalog`)."""
    text = text.removeprefix("\ufeff")
    catalog = _Reader(name).read(text)
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
