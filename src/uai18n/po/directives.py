"""Format directives (c, objc, python, python-brace) as gettext 0.21 parses them.

One scanner per format language reads a string's directives: where each one
is (the writer never breaks a line inside one, as gettext) and the arguments
it takes (what ``msgfmt -c`` compares, :mod:`uai18n.po.format_check`). A scan
stops at the first invalid directive, as gettext's parsers do; the writer
protects the directives before it, the check refuses the whole string.

The two uses follow different gettext files and read one scan differently
(the writer is compared byte for byte with msgcat, the check with msgmerge):

- c, objc and python: the writer takes the directives as ``format-c-parse.h``
  and ``format-python.c`` mark them while parsing; the check also applies
  what those parsers verify after the last directive (numbered arguments
  ``1..n`` without gaps, one type per number or name), so ``%2$d`` alone is
  protected from breaking yet refused as a format.
- python-brace: the writer reproduces gettext's misplaced marks
  (:func:`python_brace_protected`) and reads the UTF-8 bytes, as gettext does,
  so a fill character must be one byte; the check reads characters, so
  ``{x:é<10}`` passes it although msgfmt refuses it (a divergence the check
  had before the parsers were merged, kept so that no output changes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple


class _Text:
    """A string with a NUL sentinel past its end, as the C parsers read it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __getitem__(self, i: int) -> str:
        return self.text[i] if i < len(self.text) else "\0"


def _scan_digits(s: _Text, i: int) -> int:
    """Index after the decimal digits at ``i``."""
    while "0" <= s[i] <= "9":
        i += 1
    return i


class Argument(NamedTuple):
    """One argument a directive consumes.

    ``ref`` is the argument's number (c: ``%2$d``), name (python: ``%(n)s``)
    or field as written (python-brace: ``n:>4``); None for the next
    positional argument. ``kind`` is its type as gettext compares it (c:
    ``i``, ``uhh``, ``sw``...; python: ``s``, ``i``, ``f``, ``c``, and ``any``
    for ``%.0s``; python-brace: ``""``).
    """

    ref: int | str | None
    kind: str


class Directive(NamedTuple):
    """A valid directive: its first and last index and the arguments it takes
    (``%%`` and ``%m`` take none)."""

    start: int
    end: int
    arguments: tuple[Argument, ...]


class Invalid(NamedTuple):
    """Where a scan stopped: the index of the error and the start of the
    innermost directive it is in (a python-brace field nested in a spec is
    its own directive)."""

    at: int
    directive: int


@dataclass(frozen=True)
class Scan:
    """The valid directives of a string up to its first invalid one."""

    directives: tuple[Directive, ...]
    error: Invalid | None

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(d.start, d.end) for d in self.directives]


def _scan_percent(text: str, directive: Callable[[_Text, int], Directive | Invalid]) -> Scan:
    """Scan ``%`` directives, refusing a mix of numbered (or named) and
    positional arguments, as both the c and the python parser do."""
    s = _Text(text)
    found: list[Directive] = []
    by_ref = positional = False
    i = text.find("%")
    while i >= 0:
        result = directive(s, i)
        if isinstance(result, Invalid):
            return Scan(tuple(found), result)
        for argument in result.arguments:
            if argument.ref is None:
                positional = True
            else:
                by_ref = True
        if by_ref and positional:
            return Scan(tuple(found), Invalid(result.start, result.start))
        found.append(result)
        i = text.find("%", result.end + 1)
    return Scan(tuple(found), None)


def _width_and_precision(
    s: _Text, i: int, *, numbered_stars: bool
) -> tuple[int, tuple[Argument, ...] | None, bool]:
    """Read ``[width][.precision]`` at ``i``, as the c and python parsers do.

    Returns the index after them, the arguments their ``*`` take (c allows
    ``*N$``; None for the invalid ``*0$``) and whether the precision is all
    zeros (python's ``%.0s`` takes any argument).
    """
    stars: list[Argument] = []
    zero_precision = False
    for part in ("width", "precision"):
        if part == "precision":
            if s[i] != ".":
                break
            i += 1
        if s[i] == "*":
            number, i = _c_number(s, i + 1) if numbered_stars else (None, i + 1)
            if number == 0:
                return i, None, False
            stars.append(Argument(number, "i"))
        else:
            end = _scan_digits(s, i)
            zero_precision = part == "precision" and set(s.text[i:end]) == {"0"}
            i = end
    return i, tuple(stars), zero_precision


# --------------------------------------------------------------------------
# c and objc (format-c-parse.h)

_C_MACRO = re.compile(r"PRI([diouxX])(MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")


def scan_c(text: str, translated: bool, objc: bool = False) -> Scan:
    """The directives of a C (or Objective-C) format string.

    ``translated``: a msgstr, where glibc's ``I`` flag (locale digits) is allowed.
    """
    return _scan_percent(text, lambda s, start: _c_directive(s, start, translated, objc))


def _c_number(s: _Text, i: int) -> tuple[int | None, int]:
    """An ``N$`` argument number at ``i`` and the index after it: (None, i)
    without one, (0, i) for the invalid ``0$``."""
    if "0" <= s[i] <= "9":
        j = _scan_digits(s, i)
        if s[j] == "$":
            number = int(s.text[i:j])
            return (number, j + 1) if number else (0, i)
    return None, i


_C_SIZES = {"L": "ll", "q": "ll", "Z": "z"}


def _c_directive(s: _Text, start: int, translated: bool, objc: bool) -> Directive | Invalid:
    number, i = _c_number(s, start + 1)
    if number == 0:
        return Invalid(i, start)
    while s[i] in " +-#0'" or (translated and s[i] == "I"):
        i += 1
    i, stars, _ = _width_and_precision(s, i, numbered_stars=True)
    if stars is None:
        return Invalid(i, start)
    arguments = list(stars)
    if s[i] == "<":  # <PRId64> and friends from <inttypes.h>
        macro = _C_MACRO.match(s.text, i + 1)
        if macro is None:
            return Invalid(i, start)
        kind = ("u" if macro.group(1) in "ouxX" else "i") + macro.group(2)
        arguments.append(Argument(number, kind))
        return Directive(start, macro.end() - 1, tuple(arguments))
    size = ""
    while s[i] in "hlLqjzZt":
        c = s[i]
        if c == "h":
            size = "hh" if size in ("h", "hh") else "h"
        elif c == "l":
            size = "ll" if size in ("l", "ll") else "l"
        else:
            size = _C_SIZES.get(c, c)
        i += 1
    kind = _c_kind(s[i], size, objc)
    if kind is None:
        return Invalid(i, start)
    if kind:
        arguments.append(Argument(number, kind))
    return Directive(start, i, tuple(arguments))


def _c_kind(conversion: str, size: str, objc: bool) -> str | None:
    """The argument type of a conversion ("" for none), None if invalid."""
    wide = "w" if size in ("l", "ll") else ""
    if conversion in "%m":
        return ""
    if conversion in "cs":
        return conversion + wide
    if conversion in "CS":
        return conversion.lower() + "w"
    if conversion in "id":
        return "i" + size
    if conversion in "uoxX":
        return "u" + size
    if conversion in "eEfFgGaA":
        return "f" + ("L" if size == "ll" else "")
    if conversion == "p":
        return "p"
    if conversion == "n":
        return "n" + size
    if conversion == "@" and objc:
        return "@"
    return None


def c_directives(value: str, translated: bool, objc: bool) -> list[tuple[int, int]]:
    """Spans (first, last index) of the directives before the first error."""
    return scan_c(value, translated, objc).spans


# --------------------------------------------------------------------------
# python (format-python.c)

_PYTHON_KINDS = {"%": "", "c": "c", "s": "s", "r": "s"}
_PYTHON_KINDS |= dict.fromkeys("iduoxX", "i") | dict.fromkeys("eEfgG", "f")


def scan_python(text: str) -> Scan:
    """The directives of a Python ``%`` format string."""
    return _scan_percent(text, _python_directive)


def _python_directive(s: _Text, start: int) -> Directive | Invalid:
    text = s.text
    i = start + 1
    name = None
    if s[i] == "(":
        depth, name_start = 0, i + 1
        i += 1
        while i < len(text) and not (text[i] == ")" and depth == 0):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
        if i >= len(text):
            return Invalid(i, start)
        name = text[name_start:i]
        i += 1
    while s[i] in "-+ #0":
        i += 1
    i, stars, zero_precision = _width_and_precision(s, i, numbered_stars=False)
    assert stars is not None  # only a numbered star can be invalid
    arguments = list(stars)
    if s[i] in "hlL":
        i += 1
    kind = _PYTHON_KINDS.get(s[i])
    if kind is None:
        return Invalid(i, start)
    if kind == "s" and zero_precision:
        kind = "any"  # "%.0s" prints nothing: any argument will do
    if name is not None:
        arguments.append(Argument(name, kind))
    elif kind:
        arguments.append(Argument(None, kind))
    return Directive(start, i, tuple(arguments))


def python_directives(value: str) -> list[tuple[int, int]]:
    """Spans (first, last index) of the directives before the first error."""
    return scan_python(value).spans


# --------------------------------------------------------------------------
# python-brace (format-python-brace.c)

_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_NUMBER = re.compile(r"[0-9]+")


def scan_python_brace(text: str) -> Scan:
    """The fields of a ``str.format`` string, each an argument named as
    written between its braces (gettext compares ``{n:d}`` and ``{n}`` as
    different names). ``{{`` is a literal brace, not a directive."""
    s = _Text(text)
    found: list[Directive] = []
    i = text.find("{")
    while i >= 0:
        after = _brace_field(s, i, toplevel=True)
        if isinstance(after, Invalid):
            return Scan(tuple(found), after)
        if s[i + 1] != "{":
            found.append(Directive(i, after - 1, (Argument(text[i + 1 : after - 1], ""),)))
        i = text.find("{", after)
    return Scan(tuple(found), None)


def _brace_field(s: _Text, start: int, *, toplevel: bool) -> int | Invalid:
    """The index after the ``{...}`` field at ``start``, or where it is invalid."""
    text = s.text
    i = start + 1
    if s[i] == "{":  # "{{"
        return i + 1
    field = _NAME.match(text, i) or _NUMBER.match(text, i)
    if field is None:
        return Invalid(i, start)
    i = field.end()
    while s[i] in ".[":  # .attribute and [index] chains
        if s[i] == ".":
            field = _NAME.match(text, i + 1)
            if field is None:
                return Invalid(i + 1, start)
            i = field.end()
        else:
            field = _NAME.match(text, i + 1) or _NUMBER.match(text, i + 1)
            if field is None:
                return Invalid(i + 1, start)
            if s[field.end()] != "]":
                return Invalid(field.end() + 1, start)
            i = field.end() + 1
    if s[i] == ":":  # then a format spec
        if not toplevel:
            return Invalid(i, start)
        i += 1
        if s[i] == "{":  # a nested field
            after = _brace_field(s, i, toplevel=False)
            if isinstance(after, Invalid):
                return after
            i = after
        else:  # [[fill]align][sign][#][0][width][.precision][type]
            if s[i + 1] in "<>=^":
                i += 2
            elif s[i] in "<>=^":
                i += 1
            if s[i] in "+- ":
                i += 1
            if s[i] == "#":
                i += 1
            if s[i] == "0":
                i += 1
            i = _scan_digits(s, i)
            if s[i] == ".":
                i = _scan_digits(s, i + 1)
            if s[i] in "bcdoxXneEfFgG%":
                i += 1
    if s[i] != "}":
        return Invalid(i, start)
    return i + 1


def python_brace_protected(value: str) -> set[int]:
    """Indices of ``value`` where gettext forbids a break for python-brace.

    gettext 0.21's ``format-python-brace.c`` records directive boundaries
    relative to the start of each directive instead of the start of the
    string (its ``format_start`` is local to ``parse_directive``). So every
    valid field marks a start at byte 0 and an end at byte ``len(field) - 1``,
    and an invalid one an error at its offset within the field; msgcat then
    protects bytes ``1..n`` of the *string*, where ``n`` is the first end
    mark, unless an error mark comes first. We reproduce that, bug for bug,
    on the UTF-8 bytes as gettext sees them (one character per byte).
    """
    scan = scan_python_brace(value.encode("utf-8").decode("latin-1"))
    if not scan.directives:
        return set()
    first_end = min(d.end - d.start for d in scan.directives)
    if scan.error is not None and scan.error.at - scan.error.directive <= first_end:
        return set()  # an invalid directive: no protection
    protected = set()
    offset = 0
    for index, ch in enumerate(value):
        if 1 <= offset <= first_end:
            protected.add(index)
        offset += len(ch.encode("utf-8"))
    return protected
