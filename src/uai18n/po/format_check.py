"""Whether a translation fits its msgid's format, as ``msgfmt -c`` checks it.

msgmerge runs this check when a template adds a format flag (``c-format``,
``python-brace-format``...) to a translated entry: a translation that fails
turns fuzzy. The directives come from :mod:`uai18n.po.directives`; here is
what gettext makes of them (its ``format_parse`` and ``format_check``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from uai18n.po.directives import Argument, Scan, scan_c, scan_python, scan_python_brace
from uai18n.po.flags import Flags


class PluralForms(Protocol):
    """What the check needs of a catalogue's Plural-Forms (``merge.Plurals``)."""

    @property
    def often(self) -> tuple[bool, ...] | None:
        """Per form, whether the formula takes it for infinitely many n."""

    def histogram(self, low: int, high: int, form: int) -> int:
        """How many n in [low, high] take ``form``."""


def format_fits(
    kind: str,
    msgid: str,
    msgid_plural: str | None,
    translations: Sequence[str],
    flags: Flags,
    plurals: PluralForms,
) -> bool:
    """Whether ``msgfmt -c`` accepts ``translations`` as ``kind`` format strings.

    gettext's ``check_msgid_msgstr_format_i``: every form is checked against
    msgid_plural (or msgid); the check is strict (the same arguments) for a
    singular entry, a plural with one form, or a form the plural formula takes
    for infinitely many n (unless ``range:`` gives it at most one).
    """
    parser = _FORMAT_PARSERS.get(kind)
    if parser is None:
        return False  # a format we do not parse: let the translator look
    reference = parser(msgid_plural or msgid, False)
    if reference is None:
        return True  # an invalid msgid is not checked
    several = len(translations) > 1
    for index, text in enumerate(translations):
        spec = parser(text, True)
        if spec is None:
            return False
        often = plurals.often
        strict = (
            not msgid_plural
            or not several
            or (
                often is not None
                and index < len(often)
                and often[index]
                and not (
                    flags.range is not None
                    and plurals.histogram(flags.range[0], flags.range[1], index) <= 1
                )
            )
        )
        if not _FORMAT_CHECKS[kind](reference, spec, strict):
            return False
    return True


def _arguments(scan: Scan) -> list[Argument]:
    return [argument for directive in scan.directives for argument in directive.arguments]


def _c_format(text: str, translated: bool, objc: bool = False) -> tuple[str, ...] | None:
    """The argument types of a C format string in argument order, or None if
    gettext finds it invalid: a bad directive, or numbered arguments that
    skip a number or give one two types (``format-c.c``)."""
    scan = scan_c(text, translated, objc)
    if scan.error is not None:
        return None
    arguments = _arguments(scan)
    if arguments and arguments[0][0] is None:
        return tuple(kind for _, kind in arguments)  # all positional (scan_c refuses a mix)
    by_number: dict[int, str] = {}
    for number, kind in arguments:
        assert isinstance(number, int)
        if by_number.setdefault(number, kind) != kind:
            return None
    if sorted(by_number) != list(range(1, len(by_number) + 1)):
        return None
    return tuple(by_number[n] for n in sorted(by_number))


def _c_check(reference: tuple[str, ...], spec: tuple[str, ...], strict: bool) -> bool:
    too_many = len(spec) > len(reference)
    if too_many or (strict and len(spec) != len(reference)):
        return False
    return all(a == b for a, b in zip(reference, spec, strict=False))


_PythonSpec = tuple[dict[str, str], tuple[str, ...]]


def _python_format(text: str, translated: bool) -> _PythonSpec | None:
    """Named and unnamed argument types of a Python ``%`` string, or None if
    invalid: a bad directive, or a name used with two types (``format-python.c``;
    ``any``, from ``%.0s``, goes with every type)."""
    scan = scan_python(text)
    if scan.error is not None:
        return None
    by_name: dict[str, str] = {}
    unnamed: list[str] = []
    for name, kind in _arguments(scan):
        if name is None:
            unnamed.append(kind)
            continue
        assert isinstance(name, str)
        known = by_name.get(name)
        if known is None or known == "any":
            by_name[name] = kind
        elif kind not in ("any", known):
            return None
    return by_name, tuple(unnamed)


def _python_check(reference: _PythonSpec, spec: _PythonSpec, strict: bool) -> bool:
    (names1, unnamed1), (names2, unnamed2) = reference, spec
    if (names1 and unnamed2) or (unnamed1 and names2):
        return False
    if set(names2) - set(names1) or (strict and set(names1) - set(names2)):
        return False

    def same(a: str, b: str) -> bool:
        return a == b or (not strict and "any" in (a, b))

    if not all(same(names1[name], names2[name]) for name in names2):
        return False
    if unnamed1 or unnamed2:
        if len(unnamed1) != len(unnamed2):
            return False
        return all(same(a, b) for a, b in zip(unnamed1, unnamed2, strict=True))
    return True


def _python_brace_format(text: str, translated: bool) -> frozenset[str] | None:
    """The fields of a ``str.format`` string as written between their braces,
    or None if one is invalid."""
    scan = scan_python_brace(text)
    if scan.error is not None:
        return None
    return frozenset(str(name) for name, _ in _arguments(scan))


def _python_brace_check(reference: frozenset[str], spec: frozenset[str], strict: bool) -> bool:
    return reference == spec or not strict


_FORMAT_PARSERS: dict[str, Callable[[str, bool], object | None]] = {
    "c": _c_format,
    "objc": lambda text, translated: _c_format(text, translated, objc=True),
    "python": _python_format,
    "python-brace": _python_brace_format,
}
_FORMAT_CHECKS: dict[str, Callable[[object, object, bool], bool]] = {
    "c": _c_check,  # type: ignore[dict-item]
    "objc": _c_check,  # type: ignore[dict-item]
    "python": _python_check,  # type: ignore[dict-item]
    "python-brace": _python_brace_check,  # type: ignore[dict-item]
}
