"""The shared format-directive scanners (uai18n.po.directives) and what the
writer and the msgfmt -c check each make of one scan."""

from __future__ import annotations

import pytest

from uai18n.po.directives import (
    Argument,
    Directive,
    Invalid,
    c_directives,
    python_brace_protected,
    python_directives,
    scan_c,
    scan_python,
    scan_python_brace,
)
from uai18n.po.format_check import _c_format, _python_brace_format, _python_format

# --- c and objc --------------------------------------------------------------


def test_c_scan_gives_spans_and_argument_types() -> None:
    scan = scan_c("%d of %5.2f: %-*s %% %lu %<PRId64>", translated=False)
    assert scan.error is None
    assert scan.directives == (
        Directive(0, 1, (Argument(None, "i"),)),
        Directive(6, 10, (Argument(None, "f"),)),
        Directive(13, 16, (Argument(None, "i"), Argument(None, "s"))),
        Directive(18, 19, ()),
        Directive(21, 23, (Argument(None, "ul"),)),
        Directive(25, 33, (Argument(None, "i64"),)),
    )


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("%hhd %hd %lld %Lf %qd %zu %Zu %jd %td", ("ihh", "ih", "ill", "fL", "ill", "uz")),
        ("%lc %C %ls %S %p %n", ("cw", "cw", "sw", "sw", "p", "n")),
        ("%<PRIuMAX> %<PRIxLEAST8> %<PRIdFAST16> %<PRIoPTR>", ("uMAX", "uLEAST8", "iFAST16")),
    ],
)
def test_c_sizes_and_conversions(text: str, kinds: tuple[str, ...]) -> None:
    scan = scan_c(text, translated=False)
    assert scan.error is None
    found = tuple(a.kind for d in scan.directives for a in d.arguments)
    assert found[: len(kinds)] == kinds


def test_c_numbered_arguments_and_stars() -> None:
    scan = scan_c("%2$s %1$*3$d", translated=False)
    assert [d.arguments for d in scan.directives] == [
        (Argument(2, "s"),),
        (Argument(3, "i"), Argument(1, "i")),
    ]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("%d %y %d", [(0, 1)]),  # an unknown conversion stops the scan
        ("%s %0$d %s", [(0, 1)]),  # argument 0 does not exist
        ("%s %1$s", [(0, 1)]),  # numbered after positional
        ("%1$s %2$*1$d %s", [(0, 3), (5, 11)]),  # positional after numbered
        ("%*1$d", []),  # within one directive too
        ("%<PRId7> %d", []),  # a malformed <inttypes.h> macro
        ("50%", []),  # a directive cut off by the end of the string
        ("%@ %d", []),  # %@ is objc only
    ],
)
def test_c_scan_stops_at_the_first_error(text: str, spans: list[tuple[int, int]]) -> None:
    scan = scan_c(text, translated=False)
    assert scan.error is not None
    assert scan.spans == spans
    assert c_directives(text, False, False) == spans


def test_objc_and_translated_flags() -> None:
    assert scan_c("%@", translated=False, objc=True).directives[0].arguments == (
        Argument(None, "@"),
    )
    assert scan_c("%Id", translated=False).error is not None  # glibc's I flag: msgstr only
    assert scan_c("%Id", translated=True).spans == [(0, 2)]


def test_c_writer_and_check_disagree_after_the_last_directive() -> None:
    # format-c-parse.h marks %2$d before format-c.c finds argument 1 missing:
    # the writer protects it, the check refuses the string.
    assert c_directives("%2$d", False, False) == [(0, 3)]
    assert _c_format("%2$d", False) is None
    assert _c_format("%1$d %1$s", False) is None  # one number, two types
    assert c_directives("%1$d %1$s", False, False) == [(0, 3), (5, 8)]
    assert _c_format("%2$s %1$d", False) == ("i", "s")
    assert _c_format("%s %% %*d", False) == ("s", "i", "i")


# --- python ----------------------------------------------------------------------


def test_python_scan_gives_names_and_types() -> None:
    scan = scan_python("%(name)s has %(n)d %(x)% and %(t).0s")
    assert scan.error is None
    assert [d.arguments for d in scan.directives] == [
        (Argument("name", "s"),),
        (Argument("n", "i"),),
        (Argument("x", ""),),
        (Argument("t", "any"),),
    ]
    assert scan.spans == [(0, 7), (13, 17), (19, 23), (29, 35)]


def test_python_names_may_hold_parentheses() -> None:
    assert scan_python("%(a(b))s").directives[0].arguments == (Argument("a(b)", "s"),)


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("%s %(a)s", [(0, 1)]),  # named after unnamed
        ("%(a)s %*d", [(0, 4)]),  # a * width is unnamed
        ("%(a)s %(b", [(0, 4)]),  # unterminated name
        ("%d %k", [(0, 1)]),
        ("100%", []),
    ],
)
def test_python_scan_stops_at_the_first_error(text: str, spans: list[tuple[int, int]]) -> None:
    assert scan_python(text).error is not None
    assert python_directives(text) == spans


def test_python_check_refuses_a_name_with_two_types() -> None:
    assert python_directives("%(a)s %(a)d") == [(0, 4), (6, 10)]
    assert _python_format("%(a)s %(a)d", False) is None
    assert _python_format("%(a).0s %(a)d", False) == ({"a": "i"}, ())
    assert _python_format("%s %*.*f %%", False) == ({}, ("s", "i", "i", "f"))


# --- python-brace ----------------------------------------------------------------


def test_brace_scan_names_fields_as_written() -> None:
    scan = scan_python_brace("{{literal}} {0} {a.b[1]:>10} {x:{w}}")
    assert scan.error is None
    assert [(d.start, d.end, d.arguments[0].ref) for d in scan.directives] == [
        (12, 14, "0"),
        (16, 27, "a.b[1]:>10"),
        (29, 35, "x:{w}"),
    ]
    assert _python_brace_format("{a} {a:d} {a}", False) == frozenset({"a", "a:d"})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("{}", Invalid(1, 0)),  # gettext 0.21 has no positional {}
        ("ab {a.}", Invalid(6, 3)),
        ("{a[}", Invalid(3, 0)),
        ("{a[1}", Invalid(5, 0)),  # gettext's offset: one past the missing "]"
        ("{x:{y:z}}", Invalid(5, 3)),  # the nested field is the innermost directive
        ("{a!r}", Invalid(2, 0)),
        ("{a", Invalid(2, 0)),
    ],
)
def test_brace_errors_are_placed_in_their_innermost_field(text: str, error: Invalid) -> None:
    assert scan_python_brace(text).error == error
    assert _python_brace_format(text, False) is None


def test_brace_writer_reads_bytes_and_the_check_reads_characters() -> None:
    # A fill character must be one byte for gettext: "é" is two in UTF-8.
    assert scan_python_brace("{x:é<5}").error is None
    assert scan_python_brace("{x:é<5}".encode().decode("latin-1")).error is not None
    assert python_brace_protected("{x:é<5}") == set()
    assert python_brace_protected("{x:e<5}") == {1, 2, 3, 4, 5, 6}


def test_brace_protection_reproduces_gettexts_offset_bug() -> None:
    # Every field marks its end at len(field) - 1 from the start of the string.
    assert python_brace_protected("say {name} now") == {1, 2, 3, 4, 5}
    assert python_brace_protected("{a} and {long}") == {1, 2}
    assert python_brace_protected("{a}{") == set()  # the error at offset 1 comes first
    assert python_brace_protected("{abc} {") == set()  # offset 1 again
    assert python_brace_protected("{a} {bcdef!}") == {1, 2}  # the error at 6 comes after 2
    assert python_brace_protected("no fields {{here}}") == set()
