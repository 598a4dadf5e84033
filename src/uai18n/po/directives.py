"""Format directives (c, objc, python, python-brace) as gettext 0.21 parses them.

gettext never breaks a line inside one, so the writer needs their spans.
"""

from __future__ import annotations

from collections.abc import Callable

# --------------------------------------------------------------------------
# Format directives: gettext never breaks a line inside one.


class _Text:
    """A string with a NUL sentinel past its end, as the C parsers read it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __getitem__(self, i: int) -> str:
        return self.text[i] if i < len(self.text) else "\0"


def _scan_digits(s: _Text, i: int) -> int:
    while "0" <= s[i] <= "9":
        i += 1
    return i


def c_directives(value: str, translated: bool, objc: bool) -> list[tuple[int, int]]:
    """Spans (first, last index) of the valid directives of a C format string.

    Follows gettext's ``format-c-parse.h``, which stops at the first error;
    directives after it are not protected.
    """
    s = _Text(value)
    spans: list[tuple[int, int]] = []
    numbered = unnumbered = 0
    i = 0
    while i < len(value):
        if value[i] != "%":
            i += 1
            continue
        start, i = i, i + 1
        number = 0
        if "0" <= s[i] <= "9":
            j = _scan_digits(s, i)
            if s[j] == "$":
                number = int(value[i:j])
                if number == 0:
                    return spans
                i = j + 1
        while s[i] in " +-#0'" or (translated and s[i] == "I"):
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if s[i] != ".":
                    break
                i += 1
            if s[i] == "*":
                i += 1
                arg_number = 0
                if "0" <= s[i] <= "9":
                    j = _scan_digits(s, i)
                    if s[j] == "$":
                        arg_number = int(value[i:j])
                        if arg_number == 0:
                            return spans
                        i = j + 1
                if arg_number:
                    if unnumbered:
                        return spans
                    numbered += 1
                else:
                    if numbered:
                        return spans
                    unnumbered += 1
            else:
                i = _scan_digits(s, i)
        takes_argument = True
        if s[i] == "<":  # <PRId64> and friends from <inttypes.h>
            end = _c99_macro_end(s, i)
            if end < 0:
                return spans
            i = end
        else:
            while s[i] in "hlLqjzZt":
                i += 1
            conversion = s[i]
            if conversion in "%m":
                takes_argument = False
            elif conversion not in "cCsSidouxXeEfFgGaApn" and not (objc and conversion == "@"):
                return spans
        if takes_argument:
            if number:
                if unnumbered:
                    return spans
                numbered += 1
            else:
                if numbered:
                    return spans
                unnumbered += 1
        spans.append((start, i))
        i += 1
    return spans


def _c99_macro_end(s: _Text, i: int) -> int:
    """Index of the ``>`` closing ``<PRI...>`` at ``i``, or -1 if malformed."""
    i += 1
    for expected in "PRI":
        if s[i] != expected:
            return -1
        i += 1
    if s[i] not in "diouxX":
        return -1
    i += 1
    rest = s.text[i:]
    for prefix in ("MAX", "PTR"):
        if rest.startswith(prefix):
            i += 3
            break
    else:
        for prefix in ("LEAST", "FAST", ""):
            if rest.startswith(prefix):
                i += len(prefix)
                break
        for bits in ("8", "16", "32", "64"):
            if s.text.startswith(bits, i):
                i += len(bits)
                break
        else:
            return -1
    return i if s[i] == ">" else -1


def python_directives(value: str) -> list[tuple[int, int]]:
    """Spans of the valid ``%`` directives, as gettext's ``format-python.c``."""
    s = _Text(value)
    spans: list[tuple[int, int]] = []
    named = unnamed = 0
    i = 0
    while i < len(value):
        if value[i] != "%":
            i += 1
            continue
        start, i = i, i + 1
        has_name = False
        if s[i] == "(":
            depth = 0
            i += 1
            while i < len(value):
                if value[i] == "(":
                    depth += 1
                elif value[i] == ")":
                    if depth == 0:
                        break
                    depth -= 1
                i += 1
            if i >= len(value):
                return spans
            has_name = True
            i += 1
        while s[i] in "-+ #0":
            i += 1
        if s[i] == "*":
            i += 1
            if named:
                return spans
            unnamed += 1
        else:
            i = _scan_digits(s, i)
        if s[i] == ".":
            i += 1
            if s[i] == "*":
                i += 1
                if named:
                    return spans
                unnamed += 1
            else:
                i = _scan_digits(s, i)
        if s[i] in "hlL":
            i += 1
        conversion = s[i]
        if conversion not in "%csriduoxXeEfgG":
            return spans
        if has_name:
            if unnamed:
                return spans
            named += 1
        elif conversion != "%":
            if named:
                return spans
            unnamed += 1
        spans.append((start, i))
        i += 1
    return spans


def python_brace_protected(value: str) -> set[int]:
    """Indices of ``value`` where gettext forbids a break for python-brace.

    gettext 0.21's ``format-python-brace.c`` records directive boundaries
    relative to the start of each directive instead of the start of the
    string (its ``format_start`` is local to ``parse_directive``). So every
    valid field marks a start at byte 0 and an end at byte ``len(field) - 1``,
    and an invalid one an error at its offset within the field; msgcat then
    protects bytes ``1..n`` of the *string*, where ``n`` is the first end
    mark, unless an error mark comes first. We reproduce that, bug for bug,
    on the UTF-8 bytes as gettext sees them.
    """
    data = value.encode("utf-8")
    ends: list[int] = []
    error: int | None = None
    i = 0
    while i < len(data):
        if data[i] != 0x7B:  # "{"
            i += 1
            continue
        ok, after = _brace_field(data, i, toplevel=True)
        if not ok:
            error = after
            break
        if data[i + 1] != 0x7B:  # "{{" is a literal brace, not a field
            ends.append(after - 1 - i)
        i = after
    if not ends:
        return set()
    first_end = min(ends)
    if error is not None and error <= first_end:
        return set()  # an invalid directive: no protection
    protected = set()
    offset = 0
    for index, ch in enumerate(value):
        if 1 <= offset <= first_end:
            protected.add(index)
        offset += len(ch.encode("utf-8"))
    return protected


def _brace_field(data: bytes, start: int, *, toplevel: bool) -> tuple[bool, int]:
    """Parse the ``{...}`` field at ``data[start]`` as gettext does.

    Returns ``(True, index after the field)`` or ``(False, offset of the
    error relative to the innermost field being parsed)``.
    """

    def at(i: int) -> int:
        return data[i] if i < len(data) else 0

    def is_name_start(c: int) -> bool:
        return c == 0x5F or 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A

    def is_digit(c: int) -> bool:
        return 0x30 <= c <= 0x39

    def skip(i: int, pred: Callable[[int], bool]) -> int:
        while pred(at(i)):
            i += 1
        return i

    def name_or_number(i: int) -> int:
        """Index after a field name or number at ``i``, or -1."""
        if is_name_start(at(i)):
            return skip(i, lambda c: is_name_start(c) or is_digit(c))
        if is_digit(at(i)):
            return skip(i, is_digit)
        return -1

    i = start + 1
    if at(i) == 0x7B:  # "{{"
        return True, i + 1
    after = name_or_number(i)
    if after < 0:
        return False, i - start
    i = after
    while True:  # .attribute and [index] chains
        c = at(i)
        if c == 0x2E:  # "."
            i += 1
            if not is_name_start(at(i)):
                return False, i - start
            i = skip(i, lambda c: is_name_start(c) or is_digit(c))
        elif c == 0x5B:  # "["
            after = name_or_number(i + 1)
            if after < 0:
                return False, i + 1 - start
            if at(after) != 0x5D:  # "]"
                return False, after + 1 - start
            i = after + 1
        else:
            break
    if c == 0x3A:  # ":" then a format spec
        if not toplevel:
            return False, i - start
        i += 1
        if at(i) == 0x7B:  # a nested field
            ok, after = _brace_field(data, i, toplevel=False)
            if not ok:
                return False, after
            i = after
            if at(i) != 0x7D:
                return False, i - start
        else:  # [[fill]align][sign][#][0][width][.precision][type]
            if at(i + 1) in b"<>=^":
                i += 2
            elif at(i) in b"<>=^":
                i += 1
            if at(i) in b"+- ":
                i += 1
            if at(i) == 0x23:  # "#"
                i += 1
            if at(i) == 0x30:  # "0"
                i += 1
            i = skip(i, is_digit)
            if at(i) == 0x2E:  # "."
                i = skip(i + 1, is_digit)
            if at(i) in b"bcdoxXneEfFgG%":
                i += 1
            if at(i) != 0x7D:
                return False, i - start
        c = at(i)
    if c != 0x7D:  # "}"
        return False, i - start
    return True, i + 1
