"""The ``#,`` flags of an entry as gettext reads and writes them."""

from __future__ import annotations

import re
from collections.abc import Iterable

# --------------------------------------------------------------------------
# Flags


# gettext 0.21's format languages, in the order it writes their flags.
_FORMAT_LANGUAGES = [
    "c", "objc", "python", "python-brace", "java", "java-printf", "csharp",
    "javascript", "scheme", "lisp", "elisp", "librep", "ruby", "sh", "awk", "lua",
    "object-pascal", "smalltalk", "qt", "qt-plural", "kde", "kde-kuit", "boost",
    "tcl", "perl", "perl-brace", "php", "gcc-internal", "gfc-internal", "ycp",
]  # fmt: skip
_FLAG_SEPARATORS = "\n \t\r\f\v,"


class Flags:
    """The flags of an entry as gettext understands them (``#,`` line)."""

    def __init__(self, flags: Iterable[str]) -> None:
        self.fuzzy = False
        self.formats: dict[str, str] = {}  # language -> yes/no/possible/...
        self.range: tuple[int, int] | None = None
        self.no_wrap = False
        tokens = _split_flags(", ".join(flags))
        while tokens:
            token = tokens.pop(0)
            if token == "fuzzy":
                self.fuzzy = True
            elif token.endswith("-format"):
                self._format(token[: -len("-format")])
            elif token == "range:":
                self._range(tokens.pop(0) if tokens else "")
            elif token in ("wrap", "no-wrap"):
                self.no_wrap = token == "no-wrap"
            # Anything else is unknown to gettext 0.21 (or a *-check flag,
            # which it does not write back) and is dropped.

    def _format(self, name: str) -> None:
        value = "yes"
        for prefix in ("no-", "possible-", "impossible-"):
            if name.startswith(prefix):
                value, name = prefix[:-1], name[len(prefix) :]
                break
        if name in _FORMAT_LANGUAGES:
            self.formats[name] = value

    def _range(self, token: str) -> None:
        match = re.match(r"([0-9]+)\.\.([0-9]+)", token)
        if match:
            low, high = (min(int(n), 2**31 - 1) for n in match.groups())
            if low <= high:
                self.range = (low, high)

    def significant_formats(self) -> list[str]:
        """Format flags as gettext writes them, in its language order."""
        words = []
        for language in _FORMAT_LANGUAGES:
            value = self.formats.get(language)
            if value in ("yes", "possible"):
                words.append(f"{language}-format")
            elif value == "no":
                words.append(f"no-{language}-format")
        return words

    def wrapping_language(self) -> str | None:
        """The format whose directives gettext keeps unbroken, if any."""
        for language in _FORMAT_LANGUAGES:
            if self.formats.get(language) in ("yes", "possible"):
                return language
        return None


def _split_flags(text: str) -> list[str]:
    tokens = []
    token = ""
    for ch in text:
        if ch in _FLAG_SEPARATORS:
            if token:
                tokens.append(token)
            token = ""
        else:
            token += ch
    if token:
        tokens.append(token)
    return tokens
