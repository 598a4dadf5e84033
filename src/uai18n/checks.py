"""Entry-level QA checks: small named functions with ids, pofilter-style.

Each check compares one msgid with one translation and returns messages (an
empty list means it passes). A check has an id that users name to switch it
off, for a project or language (``disabled``) or for one entry, with a
translator comment that every PO tool keeps::

    # check-ok: numbers — spelled out as "une quarantaine"

Errors are what makes a published UA wrong or useless (a broken field, a
changed handle, phone number or URL); warnings are what a reviewer should look
at (a missing number, punctuation, a copied sentence). The checks are cheap:
regular expressions are compiled at import, locale data is read once per
language, and a check returns at once when its msgid has nothing to compare.
What a check reads from a msgid alone is memoized (a msgid recurs in every
language and in many UAs), so a translation costs one scan of its own text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polib

from uai18n.boilerplate import Boilerplate, same_wording
from uai18n.findings import CheckInfo, Finding, Severity, entry_line, registry
from uai18n.inline import nesting_problem, tags
from uai18n.locales import babel_locale, base_language
from uai18n.tokens import EMAIL, HANDLE, PHONE, PHONE_SEPARATORS, brace_fields, urls

if TYPE_CHECKING:
    from babel import Locale  # imported where used: a re-check may need no CLDR at all

__all__ = [
    "CHECKS",
    "Check",
    "EntryContext",
    "check_entry",
    "published_forms",
    "suppressed_checks",
]

BRACE_FORMAT = "python-brace-format"


@dataclass(frozen=True, slots=True)
class EntryContext:
    """What a check sees: one msgid, one translation of it, and the languages."""

    msgid: str
    msgstr: str  # for plural entries the check runner calls once per form
    flags: tuple[str, ...]
    language: str  # gettext code of the translation: "fr", "ar", "zh_Hans", "pt_BR"
    source_language: str = "en"
    verbatim: tuple[str, ...] = ()  # must be copied exactly where they occur in the msgid
    boilerplate: Boilerplate | None = None  # the movement's fixed phrases (memory/boilerplate.tmx)


@dataclass(frozen=True, slots=True)
class Check(CheckInfo):
    """A named check; ``run`` returns messages, ``[]`` when the entry passes."""

    run: Callable[[EntryContext], list[str]]


# --- languages ---------------------------------------------------------------


@functools.cache
def _locale(code: str) -> Locale | None:
    """The Babel locale, or None for a code CLDR does not know (the pseudo-locale)."""
    from babel import UnknownLocaleError

    try:
        return babel_locale(code)
    except (UnknownLocaleError, ValueError):
        return None


@functools.cache
def _script(code: str) -> str:
    """The script a language is written in (CLDR likely subtags): ``ru`` -> ``Cyrl``."""
    locale = _locale(code)
    if locale is not None and locale.script:
        return locale.script
    from babel.core import get_global

    likely = get_global("likely_subtags").get(base_language(code), "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"


# --- brace-fields --------------------------------------------------------------


def check_brace_fields(ctx: EntryContext) -> list[str]:
    """The build fills ``{fields}`` with str.format: a renamed or unbalanced one breaks it."""
    if BRACE_FORMAT not in ctx.flags:
        return []
    try:
        wanted = brace_fields(ctx.msgid)
    except ValueError:
        return []  # the template's own problem, not the translator's
    try:
        found = brace_fields(ctx.msgstr)
    except ValueError as error:
        return [f"unbalanced braces ({error}); write {{{{ and }}}} for a literal brace"]
    messages = [f"{{{name}}} is missing" for name in sorted(wanted - found)]
    messages += [f"{{{name}}} is not a field of the msgid" for name in sorted(found - wanted)]
    return messages


# --- handles, urls, emails, verbatim -------------------------------------------


def _missing(wanted: Iterable[str], found: Iterable[str], what: str) -> list[str]:
    present = set(found)
    missing = dict.fromkeys(item for item in wanted if item not in present)
    return [f"{what} {item} is missing or changed" for item in missing]


def check_handles(ctx: EntryContext) -> list[str]:
    """A changed social-media handle sends the appeal to someone else, or nowhere."""
    if "@" not in ctx.msgid:
        return []
    return _missing(
        HANDLE.findall(ctx.msgid),
        HANDLE.findall(ctx.msgstr) if "@" in ctx.msgstr else (),
        "handle",
    )


def check_urls(ctx: EntryContext) -> list[str]:
    """A changed URL is a dead or wrong link."""
    wanted = urls(ctx.msgid)
    return _missing(wanted, urls(ctx.msgstr), "URL") if wanted else []


def check_emails(ctx: EntryContext) -> list[str]:
    """A changed e-mail address bounces the appeal."""
    if "@" not in ctx.msgid:
        return []
    wanted = EMAIL.findall(ctx.msgid)
    if not wanted:
        return []
    return _missing(wanted, EMAIL.findall(ctx.msgstr) if "@" in ctx.msgstr else (), "e-mail")


def check_verbatim(ctx: EntryContext) -> list[str]:
    """Names and addresses of the addressee must reach them as written."""
    if not ctx.verbatim:
        return []
    return [
        f"{text!r} must be copied as written"
        for text in ctx.verbatim
        if text and text in ctx.msgid and text not in ctx.msgstr
    ]


# --- digits: phones and numbers ------------------------------------------------

_DIGIT = re.compile(r"\d")
#: Size of the memo of what checks read from a msgid (a msgid recurs per language).
_SOURCE_MEMO = 16384


def _ascii_digits(text: str) -> str:
    """Any script's decimal digits as ASCII digits ("٢٠١٨" -> "2018"); others kept."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.digit(char)) if char.isdecimal() else char for char in text)


_PHONE_MIN_DIGITS = 7
_TARGET_DIGIT_RUN = re.compile(rf"[+(]?\d{PHONE_SEPARATORS}*\d")
_DIGIT_GROUP = re.compile(r"\d+")
_DIGIT_SPLIT = re.compile(r"(\d+)")


# a phone number has at least 7 digits in one run of digits and separators
_PHONE_HINT = re.compile(rf"\d{PHONE_SEPARATORS}{{5,}}\d")


@functools.lru_cache(maxsize=_SOURCE_MEMO)
def _phone_digits(text: str) -> tuple[str, ...]:
    """The digit string of every phone or fax number in a msgid."""
    if not _PHONE_HINT.search(text):
        return ()
    found = []
    for match in PHONE.finditer(text):
        number = match.group("labelled") or match.group()
        digits = "".join(_DIGIT_GROUP.findall(_ascii_digits(number)))
        if len(digits) >= _PHONE_MIN_DIGITS:
            found.append(digits)
    return tuple(dict.fromkeys(found))


def check_phones(ctx: EntryContext) -> list[str]:
    """Phone and fax numbers keep their digits and order; spacing may follow local habit."""
    wanted = _phone_digits(ctx.msgid)
    if not wanted:
        return []
    spans = [
        _DIGIT_GROUP.findall(_ascii_digits(match.group()))
        for match in _TARGET_DIGIT_RUN.finditer(ctx.msgstr)
    ]
    messages = []
    for digits in wanted:
        if not any(_groups_spell(groups, digits) for groups in spans):
            messages.append(f"phone number with digits {digits} is missing or changed")
    return messages


def _groups_spell(groups: list[str], digits: str) -> bool:
    """True if consecutive digit groups join to exactly ``digits``."""
    for start in range(len(groups)):
        joined = ""
        for group in groups[start:]:
            joined += group
            if joined == digits:
                return True
            if not digits.startswith(joined):
                break
    return False


# A number with its grouping and decimal separators: "1,200", "1 200", "3,5".
_NUMBER = re.compile(r"\d+(?:[.,'’ \u00a0\u202f\u2009\u066b\u066c\u060c]\d+)*")
_SPACES = frozenset(" \u00a0\u202f\u2009")
_APOSTROPHES = frozenset("'’")


#: Each language's (grouping, decimal) separators: read from CLDR once per
#: process, or given back from an earlier run's record (:func:`add_number_symbols`).
_NUMBER_SYMBOLS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _number_symbols(code: str) -> tuple[frozenset[str], frozenset[str]]:
    found = _NUMBER_SYMBOLS.get(code)
    if found is None:
        found = _NUMBER_SYMBOLS[code] = _cldr_number_symbols(code)
    return found


def number_symbols() -> dict[str, list[list[str]]]:
    """The separators read so far, to keep in a record (Babel's locale data
    takes 5-15 ms a language to load)."""
    return {
        code: [sorted(groups), sorted(decimals)]
        for code, (groups, decimals) in sorted(_NUMBER_SYMBOLS.items())
    }


def add_number_symbols(stored: dict[str, list[list[str]]]) -> None:
    """Separators :func:`number_symbols` gave in an earlier run (same Babel, same code)."""
    for code, (groups, decimals) in stored.items():
        _NUMBER_SYMBOLS.setdefault(code, (frozenset(groups), frozenset(decimals)))


def _cldr_number_symbols(code: str) -> tuple[frozenset[str], frozenset[str]]:
    """Grouping and decimal separators of a locale, in each of its numbering systems.

    A space-like group separator accepts every space (French writes U+202F,
    but U+00A0 or a plain space is read the same).
    """
    from babel.numbers import (
        UnsupportedNumberingSystemError,
        get_decimal_symbol,
        get_group_symbol,
    )

    locale = _locale(code) or _locale("en")
    systems = {"latn", locale.default_numbering_system, *locale.other_numbering_systems.values()}
    groups: set[str] = set()
    decimals: set[str] = set()
    for system in sorted(systems):
        try:
            groups.add(get_group_symbol(locale, numbering_system=system))
            decimals.add(get_decimal_symbol(locale, numbering_system=system))
        except UnsupportedNumberingSystemError:
            continue
    if groups & _SPACES:
        groups |= _SPACES
    if groups & _APOSTROPHES:
        groups |= _APOSTROPHES
    ambiguous = groups & decimals
    return frozenset(groups - ambiguous), frozenset(decimals - ambiguous)


def _canonical(integer: str, fraction: str = "") -> str:
    integer = integer.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{integer}.{fraction}" if fraction else integer


def _number_value(token: str, code: str) -> str | None:
    """The value of a number token written the locale's way, or None if it is not one.

    The locale's separators (CLDR) are only looked up for a token that has
    one: most numbers (years, days, counts) are digits alone.
    """
    parts = _DIGIT_SPLIT.split(token)  # ["", "1", ",", "200", ""]
    digits = parts[1::2]
    separators = parts[2:-1:2]
    if not separators:
        return _canonical(token)
    groups, decimals = _number_symbols(code)
    fraction = ""
    if separators[-1] in decimals:
        fraction = digits.pop()
        separators.pop()
    if not all(separator in groups for separator in separators):
        return None
    if separators and not (
        len(digits[0]) <= 3 and len(digits[-1]) == 3 and all(len(d) in (2, 3) for d in digits[1:])
    ):
        return None  # "2018 15" is two numbers, not a grouping
    return _canonical("".join(digits), fraction)


@functools.lru_cache(maxsize=_SOURCE_MEMO)
def _source_numbers(text: str, code: str) -> tuple[tuple[str, str, str], ...]:
    """(value, as written, as written in ASCII digits) of every number of a msgid."""
    if not _DIGIT.search(text):
        return ()
    found: dict[str, tuple[str, str]] = {}
    for match in _NUMBER.finditer(text):
        token = _ascii_digits(match.group())
        value = _number_value(token, code)
        if value is not None:
            found.setdefault(value, (match.group(), token))
        else:
            for run in _DIGIT_GROUP.findall(token):
                found.setdefault(_canonical(run), (run, run))
    return tuple((value, shown, token) for value, (shown, token) in found.items())


_AS_WRITTEN = "="  # prefix of a token kept as written in _target_numbers' result


def _target_numbers(text: str, code: str) -> set[str]:
    """Every value a translation can be read as containing (whole tokens and digit runs).

    A token the target locale cannot read as one number ("5.2" in French, a
    section number) also counts as written, so a copied "5.2" matches; a token
    it reads differently does not ("1,200" is 1.2 in German).
    """
    values: set[str] = set()
    for match in _NUMBER.finditer(text):
        token = _ascii_digits(match.group())
        value = _number_value(token, code)
        if value is not None:
            values.add(value)
        else:
            values.add(_AS_WRITTEN + token)
        values.update(_canonical(run) for run in _DIGIT_GROUP.findall(token))
    return values


def check_numbers(ctx: EntryContext) -> list[str]:
    """Dates, counts and years must survive translation; local digits and grouping are fine.

    A warning, not an error: a number written out as a word ("une quarantaine")
    is not recognised.
    """
    wanted = _source_numbers(ctx.msgid, ctx.source_language)
    if not wanted:
        return []
    found = _target_numbers(ctx.msgstr, ctx.language)
    return [
        f"number {shown} is missing (if written as a word, add 'check-ok: numbers — reason')"
        for value, shown, token in wanted
        if value not in found and _AS_WRITTEN + token not in found
    ]


# --- tags ----------------------------------------------------------------------


def check_tags(ctx: EntryContext) -> list[str]:
    """Inline markup is moved, never dropped, added or changed (attributes included).

    Only ``<...>`` tags: ``{{``/``}}`` are literal braces of brace-format and
    belong to brace-fields.
    """
    if "<" not in ctx.msgid and "<" not in ctx.msgstr:
        return []
    source = tags(ctx.msgid)
    target = tags(ctx.msgstr)
    if not source and not target:
        return []
    wanted = Counter(tag.key for tag in source)
    found = Counter(tag.key for tag in target)
    messages = []
    written = {tag.key: tag.written for tag in source + target}
    for tag, count in (wanted - found).items():
        messages.append(f"{written[tag]} is missing" + (f" ({count}×)" if count > 1 else ""))
    for tag, count in (found - wanted).items():
        messages.append(
            f"{written[tag]} is not in the msgid" + (f" ({count}×)" if count > 1 else "")
        )
    if nesting_problem(source) is None:
        problem = nesting_problem(target)
        if problem:
            messages.append(f"tags do not nest: {problem}")
    return messages


# --- whitespace ----------------------------------------------------------------

_DOUBLE_SPACE = re.compile(r"[ \t\u00a0\u202f\u2009\u3000]{2,}")
_OTHER_SPACES = ("\t", "\u00a0", "\u202f", "\u2009", "\u3000")


def _edges(text: str) -> tuple[str, str]:
    """Leading and trailing whitespace of ``text``."""
    if not text:
        return "", ""
    lead = text[: len(text) - len(text.lstrip())] if text[0].isspace() else ""
    trail = text[len(text.rstrip()) :] if text[-1].isspace() else ""
    return lead, trail


def check_whitespace(ctx: EntryContext) -> list[str]:
    """Leading and trailing whitespace is layout the build relies on; doubled spaces are typos."""
    source, target = ctx.msgid, ctx.msgstr
    messages = []
    (lead_source, trail_source), (lead_target, trail_target) = _edges(source), _edges(target)
    if lead_source != lead_target:
        messages.append(
            f"leading whitespace {lead_target!r} differs from the msgid's {lead_source!r}"
        )
    if trail_source != trail_target:
        messages.append(
            f"trailing whitespace {trail_target!r} differs from the msgid's {trail_source!r}"
        )
    core = target.strip() if lead_target or trail_target else target
    double = None
    if "  " in core or any(space in core for space in _OTHER_SPACES):
        double = _DOUBLE_SPACE.search(core)
    if double and not _DOUBLE_SPACE.search(source.strip()):
        at = core[max(0, double.start() - 15) : double.end() + 15]
        messages.append(f"doubled space in {at!r}")
    return messages


# --- end-punctuation -------------------------------------------------------------

#: The marks a sentence can end with, by kind, in most languages.
_DEFAULT_MARKS: dict[str, tuple[str, ...]] = {
    ".": (".",),
    "!": ("!",),
    "?": ("?",),
    ":": (":",),
    ";": (";",),
    ",": (",",),
    "…": ("…", "..."),
}
_ARABIC_SCRIPT = {"?": ("؟",), ",": ("،",), ";": ("؛",)}
_CJK = {
    ".": ("。", "．"),
    "!": ("！",),
    "?": ("？",),
    ":": ("：", ":"),  # a label may keep the ASCII colon ("Twitter:")
    ";": ("；",),
    ",": ("，",),
    "…": ("……", "…"),
}
_DANDA = {".": ("।", ".")}
_ETHIOPIC = {".": ("።",), ",": ("፣",), ";": ("፤",), "?": ("?", "፧")}

#: Where a language ends sentences differently (merged over the defaults).
_LANGUAGE_MARKS: dict[str, dict[str, tuple[str, ...]]] = {
    "ar": _ARABIC_SCRIPT,
    "fa": _ARABIC_SCRIPT,
    "ps": _ARABIC_SCRIPT,
    "sd": _ARABIC_SCRIPT,
    "ug": _ARABIC_SCRIPT,
    "ckb": _ARABIC_SCRIPT,
    "ur": {**_ARABIC_SCRIPT, ".": ("۔", ".")},
    "zh": _CJK,
    "yue": _CJK,
    "ja": {**_CJK, ",": ("、", "，")},
    "el": {"?": (";", "\u037e"), ";": ("\u0387", "\u00b7")},  # Greek question mark; ano teleia
    "hy": {".": ("։", ":"), "?": ("?", "՞"), "!": ("!", "՜")},  # ":" often stands for "։"
    "hi": _DANDA,
    "mr": _DANDA,
    "ne": _DANDA,
    "bn": _DANDA,
    "pa": _DANDA,
    "as": _DANDA,
    "or": _DANDA,
    "sa": _DANDA,
    "am": _ETHIOPIC,
    "ti": _ETHIOPIC,
    "my": {".": ("။",), ",": ("၊",)},
    "km": {".": ("។",)},
    "th": {".": (".", "")},  # Thai and Lao may end a sentence with no mark
    "lo": {".": (".", "")},
}

#: A letter salutation ("Dear President,") ends with a comma, a colon
#: (Spanish "Señor Presidente:") or an exclamation mark (Russian "...Президент!").
_SALUTATION_KINDS = (",", ":", "!")
#: French puts a no-break space before these; a plain space would let them wrap.
_FRENCH_SPACED = frozenset(":;!?")
_NO_BREAK_SPACES = frozenset("\u00a0\u202f")
#: Closing quotes and brackets stripped before reading the final mark.
_CLOSERS = "\"'”’»›)]」』）】〕》〉"


@functools.cache
def _marks(code: str) -> dict[str, tuple[str, ...]]:
    """Kind of end mark -> marks that end a sentence of that kind in ``code``."""
    marks = {**_DEFAULT_MARKS, **_LANGUAGE_MARKS.get(base_language(code), {})}
    salutation = [mark for kind in _SALUTATION_KINDS for mark in marks[kind]]
    marks[","] = tuple(dict.fromkeys(salutation))
    return marks


@functools.cache
def _mark_kinds(code: str) -> dict[str, str]:
    """Final mark -> its kind, for reading how a text in ``code`` ends.

    The language's own marks first (Greek ";" is a question mark), then every
    other language's: a translation ending with a foreign mark still ends with
    punctuation.
    """
    found: dict[str, str] = {}
    for table in (
        {**_DEFAULT_MARKS, **_LANGUAGE_MARKS.get(base_language(code), {})},
        _DEFAULT_MARKS,
    ):
        for kind, marks in table.items():
            for mark in marks:
                if mark:
                    found.setdefault(mark, kind)
    for table in _LANGUAGE_MARKS.values():
        for kind, marks in table.items():
            for mark in marks:
                if mark:
                    found.setdefault(mark, kind)
    return found


_LONGEST_MARK = max(
    len(mark)
    for table in (_DEFAULT_MARKS, *_LANGUAGE_MARKS.values())
    for marks in table.values()
    for mark in marks
)


def _strip_end(text: str) -> str:
    return text.rstrip().rstrip(_CLOSERS + " \u00a0\u202f\t\n")


def _final_mark(text: str, code: str) -> tuple[str, str | None]:
    """The mark ``text`` ends with and its kind; ("", None) if none."""
    kinds = _mark_kinds(code)
    for size in range(_LONGEST_MARK, 0, -1):
        kind = kinds.get(text[-size:])
        if kind is not None:
            return text[-size:], kind
    return "", None


@functools.lru_cache(maxsize=_SOURCE_MEMO)
def _source_end(msgid: str, code: str) -> tuple[str, str | None, bool]:
    """(final mark, its kind, whether the msgid ends a word or a field) of a msgid."""
    core = _strip_end(msgid)
    if not core:
        return "", None, False
    mark, kind = _final_mark(core, code)
    return mark, kind, core[-1].isalnum() or core[-1] == "}"


def _show(mark: str) -> str:
    """A mark for a message; non-ASCII ones with their code point (Greek ";" is not ";")."""
    if mark.isascii():
        return repr(mark)
    return f"{mark!r} ({', '.join(f'U+{ord(char):04X}' for char in mark)})"


def _french_spacing(core: str, mark: str, code: str) -> list[str]:
    """French (France) puts a no-break space before : ; ! ?; Canadian and Swiss only before :."""
    if mark not in _FRENCH_SPACED:
        return []
    before = core[-len(mark) - 1 : -len(mark)]
    if before in _NO_BREAK_SPACES:
        return []
    optional = mark != ":" and code.replace("-", "_") in {"fr_CA", "fr_CH"}
    if before == " ":
        return [
            f"plain space before {mark!r}: use a no-break space (U+00A0 or U+202F) "
            "so the mark cannot wrap to the next line"
        ]
    if optional:
        return []
    return [f"French puts a no-break space (U+00A0 or U+202F) before {mark!r}"]


def check_end_punctuation(ctx: EntryContext) -> list[str]:
    """The translation ends like the msgid, in the target language's punctuation."""
    if not ctx.msgid.strip():
        return []
    source_mark, kind, ends_word = _source_end(ctx.msgid, ctx.source_language)
    target_core = _strip_end(ctx.msgstr)
    if not target_core:
        return []
    target_mark, target_kind = _final_mark(target_core, ctx.language)
    if kind is None:
        if not ends_word or target_kind is None:
            return []  # a msgid ending with a dash or a slash has nothing to map
        return [f"ends with {_show(target_mark)}, the msgid ends without punctuation"]
    allowed = _marks(ctx.language)[kind]
    ok = target_mark in allowed or ("" in allowed and target_kind is None)
    if (
        not ok
        and base_language(ctx.language) == "hy"
        and kind in ("?", "!")
        and target_mark in ("։", ":")
    ):
        # Armenian marks a question or an exclamation on the stressed word
        ok = ("՞" if kind == "?" else "՜") in target_core
    if not ok:
        expected = " or ".join(_show(mark) for mark in allowed if mark)
        ending = _show(target_mark) if target_mark else "no punctuation"
        return [
            f"ends with {ending} where the msgid ends with {source_mark!r}: expected {expected}"
        ]
    if base_language(ctx.language) == "fr":
        return _french_spacing(target_core, target_mark, ctx.language)
    return []


# --- identical -------------------------------------------------------------------

#: Labels that read the same in many languages.
_SHARED_LABELS = frozenset(
    {
        "fax",
        "twitter",
        "x",
        "email",
        "e-mail",
        "facebook",
        "instagram",
        "whatsapp",
        "telegram",
        "signal",
        "viber",
        "skype",
        "youtube",
        "tiktok",
        "linkedin",
    }
)
_NOT_PROSE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@\w+|\{[^{}]*\}|<[^<>]*>|\d+",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ACRONYM_MAX = 6


def check_identical(ctx: EntryContext) -> list[str]:
    """A translation equal to its msgid is usually a copy someone forgot to translate.

    Not reported when the target is a variant of the source language (en_GB for
    an English source), when the msgid is only codes, numbers, handles or URLs,
    when it is a label shared by many languages ("Fax:", "Twitter:"), or when it
    is one word that is a proper noun or an acronym ("Argun", "OSCE", "LGBTI");
    a one-word msgid is also not reported in a language written in the source's
    script ("Information" is French and German too).
    """
    if ctx.msgstr != ctx.msgid or base_language(ctx.language) == base_language(ctx.source_language):
        return []
    prose = _NOT_PROSE.sub(" ", ctx.msgid)
    words = _WORD.findall(prose)
    if not words:
        return []
    label = ctx.msgid.strip().rstrip(":：").strip().casefold()
    if label in _SHARED_LABELS:
        return []
    if len(words) == 1:
        word = words[0]
        if _script(ctx.language) == _script(ctx.source_language):
            return []
        if word.isupper() and len(word) <= _ACRONYM_MAX:
            return []
        if word[0].isupper() and not word.isupper():
            return []
    return ["the translation is the msgid, unchanged"]


# --- doubled-words ---------------------------------------------------------------

_DOUBLED = re.compile(r"(?<!\w)([^\W\d_]+)\s+(\1)(?!\w)", re.IGNORECASE)
#: Doublings that are grammar, not typos: French "nous nous" (reflexive),
#: English "had had", "that that", Dutch "dat dat".
_GRAMMATICAL_DOUBLES: dict[str, frozenset[str]] = {
    "fr": frozenset({"nous", "vous"}),
    "en": frozenset({"had", "that"}),
    "nl": frozenset({"dat"}),
}


def check_doubled_words(ctx: EntryContext) -> list[str]:
    """A doubled word ("le le", "der der") is a typo the eye skips, unless the msgid has it."""
    words = ctx.msgstr.casefold().split()
    # cheap test first: a word followed by itself (maybe with punctuation after it)
    if not any(map(str.startswith, words[1:], words)):
        return []
    doubles = [match.group(1).casefold() for match in _DOUBLED.finditer(ctx.msgstr)]
    if not doubles:
        return []
    allowed = _GRAMMATICAL_DOUBLES.get(base_language(ctx.language), frozenset())
    in_source = {match.group(1).casefold() for match in _DOUBLED.finditer(ctx.msgid)}
    return [
        f"doubled word {word!r}"
        for word in dict.fromkeys(doubles)
        if word not in allowed and word not in in_source
    ]


# --- boilerplate -----------------------------------------------------------------


def check_boilerplate(ctx: EntryContext) -> list[str]:
    """A fixed UA phrase ("ADDITIONAL INFORMATION") says what the movement says in
    that language, as ``memory/boilerplate.tmx`` records it.

    Only a msgid that is exactly a boilerplate segment is compared; typographic
    apostrophes, Unicode normalization and runs of spaces do not count as a
    difference. A dictionary look-up per entry: the file is read once per run.
    """
    if not ctx.boilerplate:
        return []
    phrase = ctx.boilerplate.lookup(ctx.language, ctx.msgid)
    if phrase is None or same_wording(ctx.msgstr, phrase.target):
        return []
    return [f"the movement's fixed wording is {phrase.target!r} ({phrase.origin})"]


# --- the registry ----------------------------------------------------------------

CHECKS: dict[str, Check] = registry(
    Check(
        "brace-fields",
        Severity.ERROR,
        "python-brace-format: the same {fields} as the msgid, and balanced braces",
        check_brace_fields,
    ),
    Check(
        "handles", Severity.ERROR, "social-media handles (@name) copied unchanged", check_handles
    ),
    Check("urls", Severity.ERROR, "URLs (http, https, www.) copied unchanged", check_urls),
    Check("emails", Severity.ERROR, "e-mail addresses copied unchanged", check_emails),
    Check(
        "phones",
        Severity.ERROR,
        "phone and fax numbers keep their digits in order (spacing may differ)",
        check_phones,
    ),
    Check(
        "verbatim",
        Severity.ERROR,
        "names and addresses that must be copied as written are copied as written",
        check_verbatim,
    ),
    Check(
        "numbers",
        Severity.WARNING,
        "every number of the msgid, in local digits/format (warning: words are not read)",
        check_numbers,
    ),
    Check(
        "tags",
        Severity.ERROR,
        "inline <tags>: the same tags and attributes as the msgid, properly nested",
        check_tags,
    ),
    Check(
        "whitespace",
        Severity.WARNING,
        "same leading/trailing whitespace as the msgid; no doubled spaces",
        check_whitespace,
    ),
    Check(
        "end-punctuation",
        Severity.WARNING,
        "ends like the msgid, in the language's punctuation (French spaces, ؟, 。)",
        check_end_punctuation,
    ),
    Check(
        "identical",
        Severity.WARNING,
        "translation equal to the msgid (names, acronyms and shared labels excepted)",
        check_identical,
    ),
    Check(
        "doubled-words",
        Severity.WARNING,
        "the same word twice in a row, unless the msgid has it too",
        check_doubled_words,
    ),
    Check(
        "boilerplate",
        Severity.WARNING,
        "a fixed UA phrase differs from the movement's wording in memory/boilerplate.tmx",
        check_boilerplate,
    ),
)


# --- running -----------------------------------------------------------------------

_CHECK_OK = re.compile(
    r"^\s*check-ok\s*:\s*(?P<ids>[\w-]+(?:\s*,\s*[\w-]+)*)\s*(?:(?:[—–:]|-(?=\s)).*)?$",
    re.IGNORECASE,
)


def suppressed_checks(tcomment: str) -> set[str]:
    """ids named by translator-comment lines 'check-ok: <id> — reason'.

    A translator who has looked at a finding says so in the entry itself, where
    the next translator sees it; ' - ' or ':' may stand for the dash, and one
    line may name several ids separated by commas.
    """
    if not tcomment or "check-ok" not in tcomment.lower():
        return set()
    found: set[str] = set()
    for line in tcomment.splitlines():
        match = _CHECK_OK.match(line)
        if match:
            found.update(name.strip().lower() for name in match["ids"].split(","))
    return found


@functools.lru_cache(maxsize=64)
def _active(skipped: frozenset[str]) -> tuple[Check, ...]:
    return tuple(check for check in CHECKS.values() if check.id not in skipped)


def published_forms(entry: polib.POEntry) -> list[tuple[str, str, str]]:
    """(prefix, source, translation) of every msgstr form a build would publish.

    [] for fuzzy and obsolete entries and the header; empty forms are left out.
    Form 0 translates the msgid, the others msgid_plural; the prefix
    ("msgstr[N]: ", "" for a singular entry) names the form in messages.
    """
    if entry.obsolete or not entry.msgid or "fuzzy" in entry.flags:
        return []
    if entry.msgid_plural:
        return [
            (f"msgstr[{index}]: ", entry.msgid if index == 0 else entry.msgid_plural, text)
            for index, text in sorted(entry.msgstr_plural.items())
            if text
        ]
    return [("", entry.msgid, entry.msgstr)] if entry.msgstr else []


def check_entry(
    entry: polib.POEntry,
    language: str,
    *,
    file: str = "",
    source_language: str = "en",
    verbatim: tuple[str, ...] = (),
    disabled: frozenset[str] = frozenset(),
    boilerplate: Boilerplate | None = None,
) -> list[Finding]:
    """Findings in ``file`` for one translated, non-fuzzy, non-obsolete entry.

    [] for untranslated, fuzzy and obsolete entries (and the header): only what
    a build would publish is checked. Skips ids in ``disabled`` and those the
    entry's own check-ok comments name. Plural entries: every msgstr form is
    checked, form 0 against msgid and the others against msgid_plural; their
    messages start with "msgstr[N]: ". ``boilerplate`` (the project's, loaded once
    per run with :func:`uai18n.boilerplate.load_boilerplate`) turns on the
    ``boilerplate`` check.
    """
    pairs = published_forms(entry)
    if not pairs:
        return []
    skipped = frozenset(disabled)
    if entry.tcomment:
        skipped |= suppressed_checks(entry.tcomment)
    active = _active(skipped)
    flags = tuple(entry.flags)
    line = entry_line(entry)
    findings = []
    for prefix, source, target in pairs:
        ctx = EntryContext(source, target, flags, language, source_language, verbatim, boilerplate)
        for check in active:
            for message in check.run(ctx):
                findings.append(
                    Finding(
                        file,
                        line,
                        language,
                        entry.msgid,
                        check.id,
                        check.severity,
                        prefix + message,
                    )
                )
    return findings
