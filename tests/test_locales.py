"""Locale data from CLDR: codes, dates, lists, plural forms, direction."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import gettext_or_skip

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
        ("zh_TW", "zh_TW"),  # no data file of its own: Babel resolves it (zh_Hant_TW)
        ("iw", "iw"),  # an alias (he)
    ],
)
def test_valid_codes_are_spelled_the_gettext_way(code: str, expected: str) -> None:
    assert validate_language(code, "--lang") == expected


@pytest.mark.parametrize(
    "code", ["../x", "fr/../../etc", "xx", "klingon", "", "fr\n", "FR_fr_x", 7, "en_XX", "sh"]
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
    # CLDR's rules as Babel 2.19 writes them (French and Spanish have a "many"
    # form for millions since CLDR 42)
    assert plural_forms("de") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("ja") == "nplurals=1; plural=0;"
    assert plural_forms("fr").startswith("nplurals=3; plural=(n == 0 || n == 1) ? 0 :")
    assert plural_forms("ru").startswith("nplurals=3;")
    assert plural_forms("ar").startswith("nplurals=6;")
    assert [text_direction(code) for code in ("ar", "fa", "he", "ur", "fr")] == ["rtl"] * 4 + [
        "ltr"
    ]


@pytest.mark.parametrize("code", ["fr", "es", "ru", "ar", "de", "pt", "pt_BR", "ja", "pl", "ga"])
def test_msgfmt_accepts_our_plural_forms(code: str, tmp_path: Path) -> None:
    msgfmt = gettext_or_skip("msgfmt")
    po = tmp_path / "p.po"
    po.write_text(
        f"""msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: {plural_forms(code)}\\n"

msgid "one file"
msgid_plural "{{n}} files"
msgstr[0] "x"
"""
        + "".join(f'msgstr[{index}] "x"\n' for index in range(1, _nplurals(code))),
        "utf-8",
    )
    result = subprocess.run(
        [msgfmt, "-c", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _nplurals(code: str) -> int:
    return int(plural_forms(code).split(";")[0].split("=")[1])


def test_configured_codes_are_validated_without_importing_babel(tmp_path: Path) -> None:
    """A code Babel has a data file for is known without importing Babel (4 ms of
    every command's start); the others still ask Babel."""
    script = (
        "import sys; from uai18n.locales import validate_language; "
        "[validate_language(code) for code in ('fr', 'pt_BR', 'sr@latin', 'zh_Hant')]; "
        "print('babel' in sys.modules); validate_language('zh_TW'); print('babel' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True
    )
    assert result.stdout.split() == ["False", "True"]
