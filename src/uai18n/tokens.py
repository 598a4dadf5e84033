"""Tokens a translation must carry over unchanged: handles, URLs, e-mail addresses,
phone numbers and ``{fields}``.

The QA checks (:mod:`uai18n.checks`) compare them between msgid and msgstr,
pretranslate's mask (:mod:`uai18n.pretranslate.mask`) hides them from
engines, and the build (:mod:`uai18n.localize`) fills the fields: one
definition, so what is masked is what is checked, and what the check passes
the build can fill.
"""

from __future__ import annotations

import re
import string

# ASCII classes on purpose: a handle or URL next to a CJK or Arabic letter
# ("请关注@amnesty上") still ends where the ASCII name ends.
HANDLE = re.compile(r"(?<![A-Za-z0-9_@./])@[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")
URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&*+,;=%]+", re.IGNORECASE)
#: Sentence punctuation after a URL ends the sentence, not the URL.
URL_TRAILING = ".,;:!?"
EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

#: What may stand between the digits of a phone number: spaces (no-break and
#: thin ones too), brackets, dots, dashes, slashes.
PHONE_SEPARATORS = r"[\d\s().\-/\u00a0\u202f\u2009]"
#: +7 495 9102134; (55) 5346 0000; a number after a phone or fax label (its
#: digits in the group ``labelled``).
PHONE = re.compile(
    rf"\+\s?\(?\d{PHONE_SEPARATORS}*\d"
    rf"|\(\d{{1,5}}\)[\s\u00a0.\-]?\d{PHONE_SEPARATORS}*\d"
    r"|\b(?i:fax|tel|tél|phone|telephone|teléfono|téléfono|téléphone|mobile)\b"
    rf"\.?\s*(?:(?i:no)\.?\s*)?:?\s*(?P<labelled>\d{PHONE_SEPARATORS}*\d)"
)


def urls(text: str) -> list[str]:
    """Every URL of ``text``, without the sentence punctuation that follows it."""
    if "www." not in text and "http" not in text.lower():
        return []
    return [match.group().rstrip(URL_TRAILING) for match in URL.finditer(text)]


_FORMATTER = string.Formatter()


def brace_fields(text: str) -> set[str]:
    """Field names of a python-brace-format string, those nested in a format spec too.

    ``""`` stands for a positional ``{}``. ValueError if the braces do not
    balance (``{{`` and ``}}`` are literal braces).
    """
    names: set[str] = set()
    for _literal, field, spec, _conversion in _FORMATTER.parse(text):
        if field is not None:
            names.add(field)
            if spec and "{" in spec:
                names |= brace_fields(spec)
    return names
