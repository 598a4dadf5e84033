"""Write PO files byte for byte as GNU gettext's ``msgcat`` writes them.

Why this exists: polib's ``str(pofile)`` wraps long strings with
:mod:`textwrap`, while gettext (``msgcat``, ``msgmerge``, ``xgettext``) wraps
them with Unicode line breaking and a display-width count. Every file polib
writes is therefore rewritten by the next gettext tool that touches it, and
the churn shows up as noise in diffs and reviews. :func:`dumps` produces the
text ``msgcat FILE`` prints for the same catalogue (default options, page
width 79, UTF-8), so running gettext over our output changes nothing.

What is reproduced (gettext 0.21's ``write-po.c`` on libunistring 1.0):

* Entry layout and order: translator comments ``#``, extracted comments
  ``#.``, references ``#:``, flags ``#,``, previous strings ``#|``, then
  msgctxt, msgid, msgid_plural, msgstr / msgstr[N]; one blank line between
  entries; the header first, the entries in catalogue order, obsolete entries
  (``#~``, with ``#~|`` previous strings) last.
* Flags as gettext normalises them: ``fuzzy`` first (dropped when the first
  msgstr is empty), then the ``*-format`` flags in gettext's fixed language
  order (``possible-`` written as plain, ``impossible-`` dropped), then
  ``range:``, then ``no-wrap``. Unknown flags, ``wrap`` and ``*-check`` are
  dropped as msgcat drops them. Obsolete entries keep only ``fuzzy``, the
  format flags and ``no-wrap``, and are left out when their msgstr is empty.
* References: read back as gettext reads them (including Sun-style
  ``# File: x.c, line:12`` translator comments, which become references),
  ``./`` prefixes stripped, duplicates dropped, as many per line as fit in
  79 columns.
* Strings (:func:`wrap_string`): C escapes (``\\\\ \\" \\n \\t \\r`` and
  ``\\a \\b \\f \\v``; other characters are written raw), a break after every
  embedded newline, the ``msgid ""`` form whenever the string takes several
  lines or has a newline before its end, and otherwise a greedy fill at the
  line-break opportunities of Unicode UAX #14 as libunistring implements
  it: after spaces, but also after hyphens, slashes and dashes (and other
  punctuation), between CJK ideographs and kana, never before ``,.:;!?)]}``
  and so on. Widths are display widths: two columns for East Asian wide and
  fullwidth characters, none for combining marks. A word too long for a line
  overflows it.
* No break inside a format directive of the entry's first ``*-format``
  language, for c, objc and python (``%(name)s``). For python-brace, gettext
  0.21 records directive offsets relative to the directive instead of the
  string, so it protects the *start of the string* instead; reproduced bug
  for bug (see :func:`python_brace_protected`).

The line-breaking classes and widths are a compact restatement of
libunistring's: rules on the Unicode general category plus short lists of
exceptions. They were checked code point by code point against libunistring
1.0 for the whole BMP and the CJK and emoji planes (identical), so Latin,
Greek, Cyrillic, Hebrew, Arabic, CJK, Hangul, Indic and other modern scripts
and emoji wrap exactly as gettext wraps them; about 200 punctuation marks of
scripts in plane 1, mostly historic (Brahmi, Kharoshthi, Egyptian hieroglyph
controls, but also Adlam, Newa), do not. Widths match for every code point.

Not reproduced: directives of other format languages (java, sh, perl-brace,
...) are not protected from breaking; a catalogue with nothing but a header
is written as ``msgcat --force-po`` writes it (plain msgcat writes nothing at
all).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

import polib

from uai18n.po.directives import c_directives, python_brace_protected, python_directives
from uai18n.po.flags import Flags
from uai18n.po.linebreak import (
    PAGE_WIDTH,
    PROHIBITED,
    char_width,
    fill,
    possible_linebreaks,
)
from uai18n.textfiles import write_text_atomic

# --------------------------------------------------------------------------
# Strings

_ESCAPES = {
    "\a": "a",
    "\b": "b",
    "\f": "f",
    "\n": "n",
    "\r": "r",
    "\t": "t",
    "\v": "v",
    "\\": "\\",
    '"': '"',
}
_ESCAPE_TABLE = str.maketrans({ch: "\\" + letter for ch, letter in _ESCAPES.items()})


def _protected_positions(value: str, language: str | None, name: str) -> set[int]:
    """Indices inside format directives, where gettext forbids a break."""
    if not value or language is None:
        return set()
    translated = name.startswith("msgstr")
    if language in ("c", "objc"):
        spans = c_directives(value, translated, language == "objc")
    elif language == "python":
        spans = python_directives(value)
    elif language == "python-brace":
        return python_brace_protected(value)
    else:
        return set()
    return {i for first, last in spans for i in range(first + 1, last + 1)}


def _wrap(
    keyword: str,
    value: str,
    *,
    prefix: str = "",
    width: int = PAGE_WIDTH,
    no_wrap: bool = False,
    language: str | None = None,
) -> list[str]:
    """:func:`_wrap_lines`, memoized: a msgid recurs in every language's
    catalogue, and line breaking is the costly part of writing a file."""
    return list(_wrap_lines(keyword, value, prefix, width, no_wrap, language))


@lru_cache(maxsize=65536)
def _wrap_lines(
    keyword: str, value: str, prefix: str, width: int, no_wrap: bool, language: str | None
) -> tuple[str, ...]:
    """The lines gettext's ``wrap()`` writes for ``keyword "value"``.

    Each portion of ``value`` up to and including a newline is escaped and
    filled on its own; the first is written after ``keyword`` unless it
    needs several lines or more portions follow.
    """
    protected = _protected_positions(value, language, keyword)
    # After a break a line starts with the prefix and the opening quote;
    # every line keeps a column free for the closing quote.
    line_width = (2**31 - 1 if no_wrap else width) - 1 - (len(prefix) + 1)
    lines: list[str] = []
    first_line = True
    start = 0
    while True:
        end = value.find("\n", start) + 1 or len(value)
        text = value[start:end].translate(_ESCAPE_TABLE)
        column = len(keyword) + 1 if first_line else 0
        possible: list[int] = []
        widths: list[int] = []
        breaks: list[bool] = []
        # len() is an upper bound of the width of ASCII (controls take none).
        total = len(text) if text.isascii() else sum(map(char_width, text))
        if column + total > line_width:
            possible = _portion_breaks(value, start, end, text, protected)
            widths = list(map(char_width, text))
            breaks = fill(possible, widths, line_width, column)
        if first_line and text and (end < len(value) or column > line_width or any(breaks)):
            lines.append(f'{prefix}{keyword} ""')
            first_line = False
            if any(breaks):  # fill again from the start of a line
                breaks = fill(possible, widths, line_width, 0)
        cuts = [0, *(i for i, brk in enumerate(breaks) if brk), len(text)]
        pieces = [text[a:b] for a, b in itertools.pairwise(cuts)]
        head = f"{prefix}{keyword} " if first_line else prefix
        lines.append(f'{head}"{pieces[0]}"')
        lines += [f'{prefix}"{piece}"' for piece in pieces[1:]]
        first_line = False
        start = end
        if start >= len(value):
            return tuple(lines)


def _portion_breaks(value: str, start: int, end: int, text: str, protected: set[int]) -> list[int]:
    """Break values of ``text``, the escaped ``value[start:end]``.

    As gettext does: no break inside an escape sequence, inside a format
    directive, or just before the ``\\n`` that ends a portion.
    """
    possible = possible_linebreaks(text)
    if not protected and len(text) == end - start:
        return possible  # nothing was escaped
    j = 0
    for index in range(start, end):
        if index in protected:
            possible[j] = PROHIBITED
        if value[index] in _ESCAPES:
            possible[j + 1] = PROHIBITED
            j += 2
        else:
            j += 1
    if value[end - 1] == "\n":
        possible[-2] = PROHIBITED
    return possible


def wrap_string(
    keyword: str, value: str, *, prefix: str = "", width: int = PAGE_WIDTH
) -> list[str]:
    """Lines for ``keyword "value"`` wrapped exactly as gettext wraps them.

    Any other wrapping makes the next msgcat or msgmerge run rewrite the
    string. ``prefix`` starts every line: ``"#~ "`` for obsolete entries, ``"#| "``
    for previous strings. Short strings stay on one line
    (``['msgid "Hello"']``); a string that needs several lines, or contains
    a newline before its end, starts with ``keyword ""`` and continues on
    quoted lines that break after each ``\\n`` and at Unicode line-break
    opportunities, each line at most ``width`` columns wide where possible.
    """
    return _wrap(keyword, value, prefix=prefix, width=width)


# --------------------------------------------------------------------------
# Entries


def _comment_lines(marker: str, lines: Iterable[str]) -> list[str]:
    """An empty line is the bare marker (compared, not tested for truth: the
    reader's one-empty-line comment is a true empty string)."""
    return [f"{marker} {line}" if line != "" else marker for line in lines]


# A Sun-style position, "# File: NAME, line:NUMBER", which gettext reads as a
# reference rather than as a translator comment.
_SOLARIS_REFERENCE = re.compile(
    r" [Ff]ile:[ \t]*(.*?)[ \t]*,[ \t]*line[ \t]*(?:number[ \t]*)?:([0-9]+)[ \t\n]*\Z"
)


def _translator_comments(text: str | None) -> tuple[list[str], list[tuple[str, int]]]:
    """Translator comment lines, and the file positions gettext finds among them."""
    comments: list[str] = []
    references: list[tuple[str, int]] = []
    for line in text.split("\n") if text else ():
        match = _SOLARIS_REFERENCE.match(" " + line)
        if match:
            references.append((match.group(1), int(match.group(2))))
        else:
            comments.append(line)
    return comments, references


def _parse_references(text: str) -> list[tuple[str, int | None]]:
    """File positions in a ``#:`` line, read as gettext's reader reads them.

    A port of ``po_parse_comment_filepos``: words separated by spaces, tabs
    or newlines, each ``FILE:LINE`` (or ``FILE : LINE``) or a bare ``FILE``.
    """
    blanks = " \t\n"
    refs: list[tuple[str, int | None]] = []
    n = len(text)

    def skip_blanks(i: int) -> int:
        while i < n and text[i] in blanks:
            i += 1
        return i

    def number_end(i: int) -> int:
        """End of the number at ``i`` if a blank or the end follows it."""
        j = i
        while j < n and "0" <= text[j] <= "9":
            j += 1
        return j if j > i and (j == n or text[j] in blanks) else -1

    i = skip_blanks(0)
    while i < n:
        start = i
        while i < n and text[i] not in blanks:
            i += 1
        word = text[start:i]
        colon = skip_blanks(i)
        if colon < n and text[colon] == ":":  # "FILE :LINE" or "FILE : LINE"
            digits = skip_blanks(colon + 1)
            end = number_end(digits)
            if end >= 0:
                refs.append((word, int(text[digits:end])))
                i = skip_blanks(end)
                continue
        if word.endswith(":"):  # "FILE: LINE"
            digits = skip_blanks(i)
            end = number_end(digits)
            if end >= 0:
                refs.append((word[:-1], int(text[digits:end])))
                i = skip_blanks(end)
                continue
        name, _, line = word.rpartition(":")  # "FILE:LINE"
        if len(name) >= 1 and line and all("0" <= c <= "9" for c in line):
            refs.append((name, int(line)))
        else:
            refs.append((word, None))
        i = skip_blanks(i)
    return refs


def _reference_lines(occurrences: Iterable[tuple[str, str | int | None]]) -> list[str]:
    """The ``#:`` lines for ``occurrences``, as gettext writes them back.

    A file name with a space in it comes back as two references, as it does
    when gettext reads the line.
    """
    words = [name if line in ("", None) else f"{name}:{line}" for name, line in occurrences]
    seen = set()
    refs = []
    for name, line in _parse_references(" ".join(words)):
        while name.startswith("./"):
            name = name[2:]
        if (name, line) not in seen:
            seen.add((name, line))
            refs.append(f"{name}:{line}" if line is not None else name)
    if not refs:
        return []
    lines = []
    line = "#:"
    column = 2
    for ref in refs:
        size = len(ref.encode("utf-8")) + 1
        if column > 2 and column + size > PAGE_WIDTH:
            lines.append(line)
            line, column = "#:", 2
        line += " " + ref
        column += size
    lines.append(line)
    return lines


def _msgstrs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(keyword, value) of each msgstr line of ``entry``."""
    if not entry.msgid_plural:
        return [("msgstr", entry.msgstr or "")]
    plurals = entry.msgstr_plural or {0: "", 1: ""}
    return [(f"msgstr[{index}]", plurals[index]) for index in sorted(plurals, key=int)]


def format_entry(entry: polib.POEntry, *, obsolete: bool = False) -> list[str]:
    """The lines msgcat writes for ``entry``, without the separating blank.

    Comments, references and flags come out normalised as gettext
    normalises them, so the entry survives msgcat unchanged. ``obsolete``
    (or ``entry.obsolete``) writes it as an obsolete ``#~`` entry; gettext
    writes nothing at all for an obsolete entry whose msgstr is empty, so
    neither do we (an empty list).
    """
    obsolete = obsolete or bool(entry.obsolete)
    flags = Flags(entry.flags or ())
    msgstrs = _msgstrs(entry)
    translated = msgstrs[0][1] != ""
    if obsolete and not translated:
        return []
    comments, positions = _translator_comments(entry.tcomment)
    lines = _comment_lines("#", comments)
    lines += _comment_lines("#.", entry.comment.split("\n") if entry.comment else ())
    lines += _reference_lines([*positions, *(entry.occurrences or ())])
    words = []
    if flags.fuzzy and (translated or obsolete):
        words.append("fuzzy")
    words += flags.significant_formats()
    if flags.range is not None and not obsolete:
        words.append("range: {}..{}".format(*flags.range))
    if flags.no_wrap:
        words.append("no-wrap")
    if words:
        lines.append("#, " + ", ".join(words))

    def wrap(keyword: str, value: str, prefix: str) -> list[str]:
        return _wrap(
            keyword,
            value,
            prefix=prefix,
            no_wrap=flags.no_wrap,
            language=flags.wrapping_language(),
        )

    previous_prefix = "#~| " if obsolete else "#| "
    for keyword, value in (
        ("msgctxt", entry.previous_msgctxt),
        ("msgid", entry.previous_msgid),
        ("msgid_plural", entry.previous_msgid_plural),
    ):
        if value is not None:
            lines += wrap(keyword, value, previous_prefix)
    prefix = "#~ " if obsolete else ""
    if entry.msgctxt is not None:
        lines += wrap("msgctxt", entry.msgctxt, prefix)
    lines += wrap("msgid", entry.msgid or "", prefix)
    if entry.msgid_plural:
        lines += wrap("msgid_plural", entry.msgid_plural, prefix)
    for keyword, value in msgstrs:
        lines += wrap(keyword, value, prefix)
    return lines


def header_entry(catalog: polib.POFile) -> polib.POEntry | None:
    """The ``msgid ""`` entry holding the catalogue's metadata, if it has any.

    The metadata is written in the order of ``catalog.metadata`` (the file's
    order when polib read it) rather than polib's canonical order, so that a
    catalogue read and written back keeps its header unchanged.
    """
    fuzzy = catalog.metadata_is_fuzzy
    if not (catalog.header or catalog.metadata or fuzzy):
        return None
    flags = ["fuzzy"] if fuzzy else []
    if isinstance(fuzzy, list | tuple):  # polib keeps all the header's flags
        flags = list(fuzzy)
    msgstr = "".join(f"{key}: {value}\n" for key, value in catalog.metadata.items())
    return polib.POEntry(msgid="", msgstr=msgstr, tcomment=catalog.header, flags=flags)


def entry_blocks(catalog: polib.POFile) -> list[str]:
    """The text of each entry as msgcat writes it: the header, the live
    entries in catalogue order, then the obsolete ones (none are empty)."""
    blocks = []
    header = header_entry(catalog)
    if header is not None:
        blocks.append(format_entry(header))
    blocks += [format_entry(entry) for entry in catalog if not entry.obsolete]
    blocks += [format_entry(entry) for entry in catalog if entry.obsolete]
    return ["\n".join(block) for block in blocks if block]


def dumps(catalog: polib.POFile, layout: Mapping[str, str] | None = None) -> str:
    """The whole PO file text for ``catalog``, as ``msgcat`` would print it.

    Writing what gettext writes means files we produce stay byte-identical
    when translators or build scripts run gettext tools over them. The
    header comes first, then the entries in catalogue order, then the
    obsolete entries; entries are separated by a blank line and the text
    ends with a newline (an empty catalogue gives an empty string).

    ``layout`` (from :func:`uai18n.po.layout.kept_layout`) maps an entry's
    msgcat text to the text another tool wrote for the same entry: such an
    entry is written as that tool wrote it.
    """
    return _joined(entry_blocks(catalog), layout)


def _joined(blocks: list[str], layout: Mapping[str, str] | None = None) -> str:
    if layout:
        blocks = [layout.get(block, block) for block in blocks]
    text = "\n\n".join(blocks)
    return text + "\n" if text else ""


def write_catalog(path: Path, catalog: polib.POFile) -> bool:
    """Write ``catalog`` in gettext's exact format; True if the file changed.

    An entry that is the same as in the file being replaced keeps that
    file's text for it, line breaks and header order included (see
    :mod:`uai18n.po.layout`): only entries that change are written in
    msgcat's form. The write is atomic (a temporary file in the same folder,
    then rename), and skipped when the bytes would not change, so reruns
    leave mtimes alone.
    """
    from uai18n.po.layout import kept_layout  # layout reads PO text: import late

    blocks = entry_blocks(catalog)
    text = _joined(blocks)
    layout = kept_layout(path, text)
    return write_text_atomic(path, _joined(blocks, layout) if layout else text)
