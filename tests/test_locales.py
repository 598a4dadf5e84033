"""Locale data from CLDR: codes, dates, lists, plural forms, direction."""

from __future__ import annotations

import datetime

import pytest

from uai18n.errors import UserError
from uai18n.locales import (
    format_deadline,
    format_languages,
    parse_language_names,
    parse_long_date,
    plural_forms,
    text_direction,
    validate_language,
)

MAY_17 = datetime.date(2019, 5, 17)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fr", "fr"),
        ("pt-br", "pt_BR"),
        ("pt_BR", "pt_BR"),
        ("zh_Hant", "zh_Hant"),
        ("sr@latin", "sr@latin"),
    ],
)
def test_valid_codes_are_spelled_the_gettext_way(code: str, expected: str) -> None:
    assert validate_language(code, "--lang") == expected


@pytest.mark.parametrize(
    "code", ["../x", "fr/../../etc", "xx", "klingon", "", "fr\n", "FR_fr_x", 7]
)
def test_unknown_or_unsafe_codes_are_refused(code: object) -> None:
    with pytest.raises(UserError, match=r"^--lang: "):
        validate_language(code, "--lang")


def test_deadline_in_each_locale_from_cldr() -> None:
    assert format_deadline(MAY_17, "fr") == "17 mai 2019"
    assert format_deadline(MAY_17, "ru").startswith("17 мая 2019")
    assert format_deadline(MAY_17, "es") == "17 de mayo de 2019"
    assert "مايو" in format_deadline(MAY_17, "ar")  # Arabic month name


def test_language_lists_in_each_locale() -> None:
    assert format_languages(("ru", "en"), "fr") == "russe et anglais"
    assert format_languages(("ru", "en"), "es") == "ruso e inglés"
    assert format_languages(("ru",), "de") == "Russisch"


def test_parse_source_values() -> None:
    assert parse_long_date("17 May 2019", "en") == MAY_17
    assert parse_long_date("17 de mayo de 2019", "es") == MAY_17
    assert parse_long_date("31 February 2019", "en") is None
    assert parse_language_names("RUSSIAN, ENGLISH", "en") == ("ru", "en")
    assert parse_language_names("Arabic and English", "en") == ("ar", "en")
    assert parse_language_names("RUSSIAN, ELVISH", "en") is None


def test_plural_forms_and_direction() -> None:
    assert plural_forms("fr") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("ru").startswith("nplurals=3;")
    assert [text_direction(code) for code in ("ar", "fa", "he", "ur", "fr")] == ["rtl"] * 4 + [
        "ltr"
    ]
