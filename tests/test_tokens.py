"""The tokens a translation carries over unchanged, defined once for checks, mask and build."""

from __future__ import annotations

import polib
import pytest

from uai18n.checks import CHECKS, EntryContext
from uai18n.errors import UserError
from uai18n.localize import catalogue_lookup
from uai18n.tokens import EMAIL, HANDLE, PHONE, brace_fields, urls


def test_handles_end_where_the_ascii_name_ends() -> None:
    assert HANDLE.findall("请关注@amnesty上 or @AmnestyUK.") == ["@amnesty", "@AmnestyUK"]
    assert HANDLE.findall("write to info@amnesty.org") == []


def test_urls_leave_sentence_punctuation_out() -> None:
    text = "See https://www.amnesty.org/en/ua/. Or www.example.org, today"
    assert urls(text) == ["https://www.amnesty.org/en/ua/", "www.example.org"]
    assert urls("no link here") == []


def test_emails() -> None:
    assert EMAIL.findall("Email: info@kremlin.ru; or a.b+c@mail.example.org.") == [
        "info@kremlin.ru",
        "a.b+c@mail.example.org",
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Fax: +7 495 910 2134", "+7 495 910 2134"),
        ("Tel (55) 5346 0000 now", "(55) 5346 0000"),
        ("Phone no. 8 495 9102134", "8 495 9102134"),
    ],
)
def test_phones(text: str, number: str) -> None:
    match = PHONE.search(text)
    assert match is not None
    assert (match.group("labelled") or match.group()) == number


def test_brace_fields_reads_nested_and_positional_fields() -> None:
    assert brace_fields("UNTIL: {deadline}, in {languages}") == {"deadline", "languages"}
    assert brace_fields("{{literal}} {n:{width}}") == {"n", "width"}
    assert brace_fields("{} and {0}") == {"", "0"}
    assert brace_fields("no fields") == set()


@pytest.mark.parametrize("text", ["BIS: {deadline", "BIS: deadline}", "BIS: {deadline}}"])
def test_brace_fields_refuses_unbalanced_braces(text: str) -> None:
    with pytest.raises(ValueError):
        brace_fields(text)


@pytest.mark.parametrize(
    "msgstr",
    [
        "JUSQU’AU : {deadline}",
        "JUSQU’AU : {date}",
        "JUSQU’AU : {deadline",
        "JUSQU’AU : {deadline:{width}}",
        "JUSQU’AU : {deadline} {}",
        "JUSQU’AU : {{deadline}}",
    ],
)
def test_the_check_and_the_build_agree_on_fields(msgstr: str) -> None:
    """A translation the brace-fields check passes is one the build can fill, and only those."""
    msgid = "UNTIL: {deadline}"
    flags = ("python-brace-format",)
    catalog = polib.POFile()
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, flags=list(flags)))
    context = EntryContext(msgid, msgstr, flags, "fr")
    passes = CHECKS["brace-fields"].run(context) == []
    try:
        catalogue_lookup(catalog, "po/fr/ua.po")
    except UserError as error:
        assert not passes
        assert "must keep the fields ['deadline']" in error.message
    else:
        assert passes
