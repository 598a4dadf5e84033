"""Everything locale-specific, from CLDR through Babel.

Language codes are validated here (and only here) so that nothing a user
types can become a path outside ``po/`` or ``output/``. Dates, language names,
lists, plural forms and text direction all come from CLDR data; there are no
hand-written month or language tables in this project.
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import re
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.errors import UserError

if TYPE_CHECKING:
    from babel import Locale

# Babel is imported by the functions that need it: every command validates
# codes (from the names of Babel's data files, see validate_language), few
# format dates; importing Babel costs 4 ms of a 70 ms start.

#: The pseudo-locale of ``build --pseudo`` (Microsoft's convention).
PSEUDO_LOCALE = "qps"

# A gettext language code: ll, lll, ll_CC, ll_Scrp, ll_Scrp_CC, with an
# optional @modifier. Checked before Babel so that "../x" never reaches a path.
_CODE_SHAPE = re.compile(r"^[a-z]{2,3}(?:_[A-Z][a-z]{3})?(?:_(?:[A-Z]{2}|[0-9]{3}))?(?:@[a-z]+)?$")

#: Scripts written without spaces between sentences.
_NO_SPACE_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my"})


def normalize_code(code: str) -> str:
    """Spell a BCP 47 or gettext code the gettext way: ``pt-br`` -> ``pt_BR``."""
    parts = code.replace("-", "_").split("_")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.upper())
    return "_".join(out)


def validate_language(code: object, where: str = "") -> str:
    """Return the gettext spelling of ``code``, or raise :class:`UserError`.

    ``where`` names the place the code came from ("uai18n.toml", "--lang").
    """
    if not isinstance(code, str) or not code:
        raise UserError(f"language code must be a non-empty string, got {code!r}", where or None)
    normalized = normalize_code(code)
    if not _CODE_SHAPE.match(normalized):
        raise UserError(f"{code!r} is not a language code (expected e.g. fr, pt_BR)", where or None)
    if not _has_locale_data(normalized):
        from babel import UnknownLocaleError

        try:
            babel_locale(normalized)  # an alias or a likely subtag ("zh_TW")
        except (UnknownLocaleError, ValueError):
            message = f"unknown language code {code!r} (not in CLDR)"
            raise UserError(message, where or None) from None
    return normalized


@functools.cache
def _locale_data_folder() -> Path | None:
    """Babel's ``locale-data`` folder, found without importing Babel."""
    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "locale-data"


def _has_locale_data(code: str) -> bool:
    """Whether Babel has a data file of this very name: then ``Locale.parse``
    accepts the code (``babel.localedata.exists`` asks the same). Only a code
    of :data:`_CODE_SHAPE` comes here, so the name is never a path."""
    folder = _locale_data_folder()
    return folder is not None and (folder / f"{code.split('@')[0]}.dat").is_file()


@functools.cache
def base_language(code: str) -> str:
    """The language alone: ``pt_BR`` -> ``pt``, ``zh_Hant`` -> ``zh``, ``sr@latin`` -> ``sr``.

    For rules made per language, not per variant: end punctuation, grammatical
    doubled words, a glossary's fallback from ``pt_BR`` to ``pt`` terms.
    """
    return code.split("@")[0].split("_")[0].lower()


@functools.cache
def babel_locale(code: str) -> Locale:
    """The Babel locale for a gettext code (``sr@latin`` drops its modifier)."""
    from babel import Locale

    return Locale.parse(code.split("@")[0])


def plural_forms(code: str) -> str:
    """The Plural-Forms header value from CLDR, e.g. ``nplurals=2; plural=(n > 1);``."""
    from babel.messages.plurals import get_plural

    return str(get_plural(babel_locale(code)))


def text_direction(code: str) -> str:
    """``rtl`` for Arabic, Persian, Hebrew, Urdu ...; ``ltr`` otherwise."""
    return "rtl" if babel_locale(code).character_order == "right-to-left" else "ltr"


def joins_without_spaces(code: str) -> bool:
    """Chinese, Japanese and a few others join sentences without a space."""
    return base_language(code) in _NO_SPACE_LANGUAGES


def html_lang(code: str) -> str:
    """The BCP 47 tag for an HTML ``lang`` attribute: ``pt_BR`` -> ``pt-BR``."""
    return code.split("@")[0].replace("_", "-")


def language_name(code: str, in_language: str = "en") -> str:
    """The CLDR name of language ``code`` in ``in_language``."""
    return babel_locale(code).get_display_name(babel_locale(in_language)) or code


def format_deadline(date: datetime.date, code: str) -> str:
    """The deadline as CLDR's long date in the target locale ("17 mai 2019")."""
    from babel.dates import format_date

    return format_date(date, format="long", locale=babel_locale(code))


def format_languages(codes: tuple[str, ...], code: str) -> str:
    """Language names joined the target locale's way ("russe et anglais")."""
    from babel.lists import format_list

    locale = babel_locale(code)
    names = [babel_locale(lang).get_language_name(locale) or lang for lang in codes]
    text = format_list(names, locale=locale)
    if locale.language == "es":
        text = _spanish_conjunctions(text)
    return text


def _spanish_conjunctions(text: str) -> str:
    """Spanish writes "y" as "e" before an /i/ sound and "o" as "u" before /o/.

    CLDR's list patterns lack this rule (ICU's ListFormatter adds it in code,
    as we do): "ruso e inglés", "siete u ocho".
    """
    text = re.sub(r" y (?=(?:[iIíÍ]|[hH][iIíÍ])(?![aeouáéóú]))", " e ", text)
    return re.sub(r" o (?=(?:[oOóÓ]|[hH][oOóÓ]))", " u ", text)


def parse_long_date(text: str, code: str) -> datetime.date | None:
    """Read a date written out in the source language ("17 May 2019").

    Month names come from CLDR for the source locale (wide and abbreviated,
    format and stand-alone), so a Spanish or French UA parses too.
    """
    locale = babel_locale(code)
    months: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months[context][width].items():
                months.setdefault(name.casefold().rstrip("."), number)
    words = re.findall(r"\d+|[^\W\d_]+", text)
    day = year = month = None
    for word in words:
        if word.isdigit():
            if len(word) == 4:
                year = int(word)
            elif day is None and len(word) <= 2:
                day = int(word)
        elif word.casefold() in months and month is None:
            month = months[word.casefold()]
    if day is None or month is None or year is None:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_language_names(text: str, code: str) -> tuple[str, ...] | None:
    """Read "RUSSIAN, ENGLISH" in the source language into ``("ru", "en")``.

    The names are looked up in CLDR's language names for the source locale.
    Returns None when any name is not a known language.
    """
    locale = babel_locale(code)
    by_name = {name.casefold(): key for key, name in locale.languages.items() if "_" not in key}
    conjunctions = _list_conjunctions(code)
    found: list[str] = []
    for part in re.split(r"[,;/]", text):
        words = part.strip()
        for conjunction in conjunctions:
            words = re.sub(rf"^{re.escape(conjunction)}\s+", "", words, flags=re.IGNORECASE)
        if not words:
            continue
        names = [words]
        for conjunction in conjunctions:
            split = re.split(rf"\s+{re.escape(conjunction)}\s+", words, flags=re.IGNORECASE)
            if len(split) > 1:
                names = split
                break
        for name in names:
            key = by_name.get(name.strip().casefold())
            if key is None:
                return None
            found.append(key)
    return tuple(found) or None


@functools.cache
def _list_conjunctions(code: str) -> tuple[str, ...]:
    """The word CLDR puts before a list's last item ("and", "et", "y")."""
    from babel.lists import format_list

    sample = format_list(["\x00", "\x01"], locale=babel_locale(code))
    word = sample.split("\x00")[1].split("\x01")[0].strip(" ,")
    return (word,) if word else ()
