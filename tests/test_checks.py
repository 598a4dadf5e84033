"""Entry-level QA checks: each check passes and fails in several languages."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from babel.numbers import format_decimal

from uai18n.checks import CHECKS, EntryContext, check_entry, suppressed_checks
from uai18n.po import read_catalog

REPO = Path(__file__).resolve().parent.parent
NBSP = "\u00a0"
NNBSP = "\u202f"


def run(
    check_id: str,
    msgid: str,
    msgstr: str,
    language: str,
    *,
    flags: tuple[str, ...] = (),
    source_language: str = "en",
    verbatim: tuple[str, ...] = (),
) -> list[str]:
    context = EntryContext(msgid, msgstr, flags, language, source_language, verbatim)
    return CHECKS[check_id].run(context)


def found(entry: polib.POEntry, language: str, **kwargs: object) -> list[tuple[str, str, str]]:
    """(check id, severity, message) of every finding of ``check_entry``."""
    return [(f.check, f.severity, f.message) for f in check_entry(entry, language, **kwargs)]


def catalog(language: str) -> polib.POFile:
    return read_catalog(REPO / "po" / language / "ua-2-19-chechnya.po")


def translation(language: str, msgid_start: str) -> polib.POEntry:
    """The bundled catalogue's entry whose msgid starts with ``msgid_start``."""
    return next(entry for entry in catalog(language) if entry.msgid.startswith(msgid_start))


# --- the registry -------------------------------------------------------------------


def test_registry_ids_severities_and_descriptions() -> None:
    assert list(CHECKS) == [
        "brace-fields",
        "handles",
        "urls",
        "emails",
        "phones",
        "verbatim",
        "numbers",
        "tags",
        "whitespace",
        "end-punctuation",
        "identical",
        "doubled-words",
        "boilerplate",
    ]
    warnings = {
        "numbers",
        "whitespace",
        "end-punctuation",
        "identical",
        "doubled-words",
        "boilerplate",
    }
    for check_id, check in CHECKS.items():
        assert check.id == check_id
        assert check.severity == ("warning" if check_id in warnings else "error")
        assert check.description and "\n" not in check.description
        assert len(check.description) <= 90
    assert "warning" in CHECKS["numbers"].description


# --- brace-fields -----------------------------------------------------------------

BRACE = ("python-brace-format",)


@pytest.mark.parametrize(
    ("language", "msgstr"),
    [
        ("fr", "JUSQU’AU : {deadline}"),
        ("es", "HASTA EL {deadline}"),
        ("ar", "حتى: {deadline}"),
        ("zh_Hans", "截止日期：{deadline}"),
    ],
)
def test_brace_fields_pass(language: str, msgstr: str) -> None:
    assert run("brace-fields", "UNTIL: {deadline}", msgstr, language, flags=BRACE) == []


def test_brace_fields_renamed_field_fails() -> None:
    messages = run("brace-fields", "UNTIL: {deadline}", "JUSQU’AU : {date}", "fr", flags=BRACE)
    assert messages == ["{deadline} is missing", "{date} is not a field of the msgid"]


@pytest.mark.parametrize("msgstr", ["BIS: {deadline", "BIS: deadline}", "BIS: {deadline}}"])
def test_brace_fields_unbalanced_braces_fail(msgstr: str) -> None:
    messages = run("brace-fields", "UNTIL: {deadline}", msgstr, "de", flags=BRACE)
    assert len(messages) == 1
    assert "unbalanced braces" in messages[0]


def test_brace_fields_only_for_brace_format_entries() -> None:
    assert run("brace-fields", "UNTIL: {deadline}", "HASTA: {fecha}", "es") == []
    assert run("brace-fields", "{{literal}} {n}", "{{littéral}} {n}", "fr", flags=BRACE) == []


def test_brace_fields_on_the_bundled_deadline_entry() -> None:
    entry = translation("fr", "PLEASE TAKE ACTION")
    assert check_entry(entry, "fr") == []
    entry.msgstr = entry.msgstr.replace("{deadline}", "{date_limite}")
    assert [finding[:2] for finding in found(entry, "fr")] == [
        ("brace-fields", "error"),
        ("brace-fields", "error"),
    ]


# --- handles, urls, emails, verbatim -----------------------------------------------


@pytest.mark.parametrize(
    ("language", "msgstr"),
    [
        ("fr", "Écrivez à @KremlinRussia_E et @KremlinRussia sur Twitter."),
        ("ru", "Напишите @KremlinRussia_E и @KremlinRussia в Twitter."),
        ("zh_Hans", "请在推特上给@KremlinRussia_E和@KremlinRussia写信。"),
        ("ar", "اكتبوا إلى @KremlinRussia_E و@KremlinRussia على تويتر."),
    ],
)
def test_handles_pass(language: str, msgstr: str) -> None:
    msgid = "Write to @KremlinRussia_E and @KremlinRussia on Twitter."
    assert run("handles", msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("language", "msgstr"),
    [
        ("es", "Escribe a @KremlinRussia en Twitter."),  # the underscore handle lost
        ("de", "Schreiben Sie an @KremlinRussiaE auf Twitter."),
        ("ru", "Напишите @kremlinrussia_e в Twitter."),
    ],
)
def test_handles_changed_or_missing_fail(language: str, msgstr: str) -> None:
    messages = run("handles", "Write to @KremlinRussia_E on Twitter.", msgstr, language)
    assert messages == ["handle @KremlinRussia_E is missing or changed"]


def test_urls_and_emails() -> None:
    msgid = (
        "See https://www.amnesty.org/en/documents/eur46/0001/2019/en/ "
        "or write to uateam@amnesty.org."
    )
    good_fr = (
        "Voir https://www.amnesty.org/en/documents/eur46/0001/2019/en/ "
        "ou écrivez à uateam@amnesty.org."
    )
    good_ja = (
        "https://www.amnesty.org/en/documents/eur46/0001/2019/en/を参照するか、"
        "uateam@amnesty.orgまでご連絡ください。"
    )
    for language, msgstr in (("fr", good_fr), ("ja", good_ja)):
        assert run("urls", msgid, msgstr, language) == []
        assert run("emails", msgid, msgstr, language) == []
    bad = "Voir https://www.amnesty.org/fr/documents/eur46/0001/2019/fr/ ou uateam@amnesty.fr."
    assert run("urls", msgid, bad, "fr") == [
        "URL https://www.amnesty.org/en/documents/eur46/0001/2019/en/ is missing or changed"
    ]
    assert run("emails", msgid, bad, "fr") == ["e-mail uateam@amnesty.org is missing or changed"]
    assert run("urls", "Visit www.amnesty.org.", "Visite www.amnesty.org.ar.", "es") == [
        "URL www.amnesty.org is missing or changed"
    ]


def test_verbatim() -> None:
    msgid = "Write to Vladimir Putin, Ul. Ilyinka, 23, 103132 Moscow."
    verbatim = ("Vladimir Putin", "Ul. Ilyinka, 23", "Nobody")
    ok = "Écrivez à Vladimir Putin, Ul. Ilyinka, 23, 103132 Moscou."
    assert run("verbatim", msgid, ok, "fr", verbatim=verbatim) == []
    transliterated = "Напишите Владимиру Путину, Ul. Ilyinka, 23, 103132 Москва."
    assert run("verbatim", msgid, transliterated, "ru", verbatim=verbatim) == [
        "'Vladimir Putin' must be copied as written"
    ]


# --- phones ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr"),
    [
        ("Fax him on +7 495 9102134.", "fr", "Envoyez un fax au +7 495 910 21 34."),
        ("Fax him on +7 495 9102134.", "ru", "Отправьте факс по номеру +7 (495) 910-21-34."),
        ("Call +20 2 2577 4716 today.", "es", "Llame hoy al +20 2 2577 4716."),
        ("Call +20 2 2577 4716 today.", "ar", "اتصلوا اليوم على الرقم ‎+٢٠ ٢ ٢٥٧٧ ٤٧١٦."),
        ("Phone: (55) 5346 0000", "de", "Telefon: (55) 53 46 00 00"),
        ("Phone: (55) 5346 0000", "zh_Hans", "电话：(55) 5346 0000"),
        ("On 20 December 2018, 15 members", "de", "Am 20. Dezember 2018 haben 15 Mitglieder"),
    ],
)
def test_phones_pass(msgid: str, language: str, msgstr: str) -> None:
    assert run("phones", msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr"),
    [
        ("Fax him on +7 495 9102134.", "fr", "Envoyez un fax au +7 495 910 21 43."),
        ("Fax him on +7 495 9102134.", "de", "Faxen Sie an +7 9102134 495."),
        ("Call +20 2 2577 4716 today.", "es", "Llame hoy."),
        ("Phone: (55) 5346 0000", "ar", "الهاتف: (55) 5346 000"),
    ],
)
def test_phones_changed_digits_fail(msgid: str, language: str, msgstr: str) -> None:
    messages = run("phones", msgid, msgstr, language)
    assert len(messages) == 1
    assert "missing or changed" in messages[0]


# --- numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr"),
    [
        ("At least 40 individuals", "fr", "Au moins 40 personnes"),
        ("At least 40 individuals", "ar", "ما لا يقل عن ٤٠ شخصًا"),
        ("At least 40 individuals", "fa", "دست‌کم ۴۰ نفر"),
        ("At least 40 individuals", "hi", "कम से कम ४० लोग"),
        ("At least 40 individuals", "ja", "少なくとも40人"),
        ("the 2017 attacks", "ru", "нападения 2017 года"),
        ("On 1 April 2017, the daily", "fr", "Le 1er avril 2017, le quotidien"),
        ("On 1 April 2017, the daily", "es", "El 1 de abril de 2017, el diario"),
        ("On 1 April 2017, the daily", "zh_Hans", "2017年4月1日，日报"),
        ("On 20 December 2018", "ar", "في ٢٠ ديسمبر/كانون الأول ٢٠١٨"),
        ("On 20 December 2018", "de", "Am 20.12.2018"),
        ("1,200 people", "fr", f"{format_decimal(1200, locale='fr')} personnes"),
        ("1,200 people", "fr", f"1{NBSP}200 personnes"),
        ("1,200 people", "de", f"{format_decimal(1200, locale='de')} Menschen"),
        ("1,200 people", "es", "1200 personas"),
        ("1,200 people", "ar", "١٬٢٠٠ شخص"),
        ("1,234,567 signatures", "hi", "12,34,567 हस्ताक्षर"),
        ("3.5 million", "de", "3,5 Millionen"),
        ("under article 5.2", "fr", "en vertu de l’article 5.2"),  # not a French number: as written
        ("UNTIL: {deadline}", "fr", "JUSQU’AU : {deadline}"),  # no number at all
    ],
)
def test_numbers_pass(msgid: str, language: str, msgstr: str) -> None:
    assert run("numbers", msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr", "missing"),
    [
        ("At least 40 individuals", "fr", "Une quarantaine de personnes", "40"),
        ("the 2017 attacks", "ru", "нападения 2018 года", "2017"),
        ("On 20 December 2018", "ar", "في ٢١ ديسمبر/كانون الأول ٢٠١٨", "20"),
        ("1,200 people", "de", "1,200 Menschen", "1,200"),  # reads as 1.2 in German
        ("On 1 April 2017", "zh_Hans", "2017年4月", "1"),
    ],
)
def test_numbers_missing_fail(msgid: str, language: str, msgstr: str, missing: str) -> None:
    messages = run("numbers", msgid, msgstr, language)
    assert len(messages) == 1
    assert messages[0].startswith(f"number {missing} is missing")


def test_numbers_source_language_formatting() -> None:
    assert run("numbers", "1.200 personas", "1,200 people", "en", source_language="es") == []
    assert run("numbers", "1.200 personas", "1.2 people", "en", source_language="es") != []


# --- tags ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "msgstr"),
    [
        ("fr", 'Agissez <b>maintenant</b> : <a href="https://amnesty.org">signez</a>.<br>'),
        ("de", '<a href="https://amnesty.org">Unterschreiben</a> Sie <b>jetzt</b>.<br />'),
        ("ja", '<b>今すぐ</b><a href="https://amnesty.org">署名</a>してください。<br/>'),
    ],
)
def test_tags_pass(language: str, msgstr: str) -> None:
    msgid = 'Act <b>now</b>: <a href="https://amnesty.org">sign</a>.<br/>'
    assert run("tags", msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("language", "msgstr", "expected"),
    [
        ("fr", "Agissez maintenant.", ["<b> is missing", "</b> is missing"]),
        (
            "es",
            "Actúa <i>ya</i>.",
            [
                "<b> is missing",
                "</b> is missing",
                "<i> is not in the msgid",
                "</i> is not in the msgid",
            ],
        ),
        ("ru", "Действуйте <b>сейчас.", ["</b> is missing", "tags do not nest: <b> is not closed"]),
        ("de", "Handeln Sie </b>jetzt<b>.", ["tags do not nest: </b> closes no open tag"]),
    ],
)
def test_tags_fail(language: str, msgstr: str, expected: list[str]) -> None:
    assert run("tags", "Act <b>now</b>.", msgstr, language) == expected


def test_tags_attribute_values_are_compared() -> None:
    msgid = 'Read <a href="https://amnesty.org/en">this</a>.'
    msgstr = 'Lisez <a href="https://amnesty.org/fr">ceci</a>.'
    assert run("tags", msgid, msgstr, "fr") == [
        '<a href="https://amnesty.org/en"> is missing',
        '<a href="https://amnesty.org/fr"> is not in the msgid',
    ]
    single = "Read <a href='https://amnesty.org/en' class=x>this</a>."
    assert run("tags", single, "Lea <a class=x href='https://amnesty.org/en'>esto</a>.", "es") == []
    assert run("tags", single, "Lea <a href='https://amnesty.org/es' class=x>esto</a>.", "es") == [
        "<a href='https://amnesty.org/en' class=x> is missing",
        "<a href='https://amnesty.org/es' class=x> is not in the msgid",
    ]


def test_tags_nesting() -> None:
    msgid = "<b>Act <i>now</i></b>"
    assert run("tags", msgid, "<b><i>Agissez</i> maintenant</b>", "fr") == []
    assert run("tags", msgid, "<b>Agissez <i>maintenant</b></i>", "fr") == [
        "tags do not nest: </b> closes <i>"
    ]


# --- whitespace -----------------------------------------------------------------------


def test_whitespace() -> None:
    assert run("whitespace", "Fax: ", "Fax : ", "fr") == []
    assert run("whitespace", "Fax: ", "Факс:", "ru") == [
        "trailing whitespace '' differs from the msgid's ' '"
    ]
    assert run("whitespace", "\nDear President,", "Señor Presidente:", "es") == [
        "leading whitespace '' differs from the msgid's '\\n'"
    ]
    messages = run("whitespace", "The report, issued", "Der Bericht,  veröffentlicht", "de")
    assert messages == ["doubled space in 'Der Bericht,  veröffentlicht'"]
    assert run("whitespace", "Two  spaces", "Deux  espaces", "fr") == []
    assert run("whitespace", "Dear", f"Monsieur{NBSP}le", "fr") == []
    assert run("whitespace", "Dear", f"Monsieur{NBSP}{NBSP}le", "fr") != []


# --- end-punctuation --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr"),
    [
        ("Fax:", "fr", f"Fax{NBSP}:"),
        ("Why?", "fr", f"Pourquoi{NNBSP}?"),
        ("Act now!", "fr", f"Agissez{NNBSP}!"),
        ("He said “stop!”", "fr", f"Il a dit «{NNBSP}arrêtez{NNBSP}!{NNBSP}»"),
        ("Why?", "fr_CA", "Pourquoi?"),
        ("Why?", "es", "¿Por qué?"),
        ("Act now!", "es", "¡Actúa ya!"),
        ("Why?", "ar", "لماذا؟"),
        ("Why?", "fa", "چرا؟"),
        ("Why?", "ur", "کیوں؟"),
        ("He was detained.", "ur", "انہیں حراست میں لیا گیا۔"),
        ("Why?", "he", "למה?"),
        ("He was detained.", "zh_Hans", "他被拘留了。"),
        ("Why?", "zh_Hant", "為什麼？"),
        ("Act now!", "ja", "今すぐ行動を！"),
        ("Fax:", "ja", "ファックス："),
        ("Twitter:", "zh_Hans", "推特:"),
        ("He was detained.", "ko", "그는 구금되었다."),
        ("Why?", "el", "Γιατί;"),
        ("Why?", "el", "Γιατί\u037e"),
        ("He was detained.", "hi", "उन्हें हिरासत में लिया गया।"),
        ("He was detained.", "hy", "Նրան ձերբակալեցին։"),
        ("Why?", "hy", "Ինչու՞։"),
        ("Wait...", "de", "Warten Sie …"),
        ("UNTIL: {deadline}", "de", "BIS: {deadline}"),
        ("ADDITIONAL INFORMATION", "ru", "ДОПОЛНИТЕЛЬНАЯ ИНФОРМАЦИЯ"),
        ("(OSCE)", "fr", "(OSCE)"),
        # letter salutations: comma, colon or exclamation mark
        ("Dear President,", "es", "Señor Presidente:"),
        ("Dear President,", "ru", "Уважаемый господин Президент!"),
        ("Dear President,", "de", "Sehr geehrter Herr Präsident,"),
        ("Dear President,", "fr", "Monsieur le Président,"),
        ("Dear President,", "ar", "سيادة الرئيس،"),
        ("Dear President,", "zh_Hans", "尊敬的总统先生："),
    ],
)
def test_end_punctuation_pass(msgid: str, language: str, msgstr: str) -> None:
    assert run("end-punctuation", msgid, msgstr, language) == []


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr", "expected"),
    [
        ("He was detained.", "ru", "Его задержали", "ends with no punctuation"),
        ("He was detained.", "de", "Er wurde festgenommen!", "ends with '!'"),
        ("Why?", "ar", "لماذا?", "expected '؟'"),
        ("He was detained.", "zh_Hans", "他被拘留了.", "expected '。' (U+3002) or '．' (U+FF0E)"),
        ("Why?", "ja", "なぜ?", "expected '？'"),
        ("Why?", "el", "Γιατί?", "expected ';' or '\u037e' (U+037E)"),
        ("Where?", "hy", "Որտե՞ղ.", "ends with '.'"),
        ("Dear President,", "es", "Señor Presidente;", "expected ',' or ':' or '!'"),
        (
            "Yours sincerely,",
            "fr",
            "Veuillez agréer l’expression de ma haute considération.",
            "ends with '.'",
        ),
        ("ADDITIONAL INFORMATION", "es", "INFORMACIÓN ADICIONAL.", "without punctuation"),
        ("Why?", "fr", "Pourquoi?", "French puts a no-break space"),
    ],
)
def test_end_punctuation_fail(msgid: str, language: str, msgstr: str, expected: str) -> None:
    messages = run("end-punctuation", msgid, msgstr, language)
    assert len(messages) == 1
    assert expected in messages[0]


def test_end_punctuation_french_plain_space_hint() -> None:
    assert run("end-punctuation", "Fax:", "Fax :", "fr") == [
        "plain space before ':': use a no-break space (U+00A0 or U+202F) "
        "so the mark cannot wrap to the next line"
    ]
    assert run("end-punctuation", "Why?", "Pourquoi ?", "fr_CA") != []


# --- identical ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "language"),
    [
        ("Twitter:", "es"),
        ("Fax:", "de"),
        ("E-mail:", "ru"),
        ("WhatsApp:", "ar"),
        ("OSCE", "ru"),
        ("LGBTI", "zh_Hans"),
        ("Argun", "ru"),
        ("Information", "fr"),  # one word, same script as the source
        ("+7 495 9102134", "ar"),
        ("@KremlinRussia_E", "ja"),
        ("https://www.amnesty.org", "fr"),
        ("{deadline}", "de"),
        ("The authorities resumed their persecution.", "en_GB"),
    ],
)
def test_identical_pass(msgid: str, language: str) -> None:
    assert run("identical", msgid, msgid, language) == []


@pytest.mark.parametrize(
    ("msgid", "language"),
    [
        ("The authorities resumed their persecution.", "fr"),
        ("The authorities resumed their persecution.", "ar"),
        ("ADDITIONAL INFORMATION", "es"),
        ("CHECHNYA", "ru"),  # one word, but neither a name in capitals ≤ 6 nor Title case
    ],
)
def test_identical_fail(msgid: str, language: str) -> None:
    assert run("identical", msgid, msgid, language) == ["the translation is the msgid, unchanged"]


def test_identical_only_when_equal() -> None:
    assert run("identical", "Dear President,", "Señor Presidente:", "es") == []


# --- doubled-words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "msgstr", "word"),
    [
        ("fr", "Le rapport a a également relevé le le climat d’impunité.", "a"),
        ("de", "Der Bericht stellte fest, dass der der Straflosigkeit", "der"),
        ("es", "El informe señaló también que que existe", "que"),
        ("ru", "Доклад также также отметил", "также"),
        ("fr", "Le le rapport", "le"),
    ],
)
def test_doubled_words_fail(language: str, msgstr: str, word: str) -> None:
    messages = run("doubled-words", "The report also noted", msgstr, language)
    assert f"doubled word {word!r}" in messages


@pytest.mark.parametrize(
    ("msgid", "language", "msgstr"),
    [
        ("We commit ourselves", "fr", "Nous nous engageons"),
        ("The 100 100 gay men", "fr", "Les 100 100 hommes"),  # numbers are not words
        ("Sirhan Sirhan was convicted", "fr", "Sirhan Sirhan a été condamné"),  # msgid has it
        ("The report also noted", "zh_Hans", "报告还指出"),
        ("The report also noted", "fr", "Le rapport a également relevé"),
    ],
)
def test_doubled_words_pass(msgid: str, language: str, msgstr: str) -> None:
    assert run("doubled-words", msgid, msgstr, language) == []


# --- suppression, disabling, entry states ---------------------------------------------------


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("check-ok: numbers — spelled out", {"numbers"}),
        ("check-ok: numbers - spelled out", {"numbers"}),
        ("check-ok: numbers: spelled out", {"numbers"}),
        ("check-ok: numbers", {"numbers"}),
        ("check-ok: end-punctuation – closing formula", {"end-punctuation"}),
        ("check-ok: numbers, end-punctuation — both deliberate", {"numbers", "end-punctuation"}),
        ("reviewed: Ana 2026-11-26 sha1:1a2b3c4d\ncheck-ok: urls — local page", {"urls"}),
        ("a note that mentions check-ok: numbers in passing", set()),
        ("", set()),
    ],
)
def test_suppressed_checks(comment: str, expected: set[str]) -> None:
    assert suppressed_checks(comment) == expected


def entry(msgid: str, msgstr: str, **kwargs: object) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, **kwargs)


def test_check_entry_findings_and_suppression() -> None:
    bad = entry("At least 40 individuals.", "Une quarantaine de personnes")
    assert found(bad, "fr") == [
        (
            "numbers",
            "warning",
            "number 40 is missing (if written as a word, add 'check-ok: numbers — reason')",
        ),
        (
            "end-punctuation",
            "warning",
            "ends with no punctuation where the msgid ends with '.': expected '.'",
        ),
    ]
    bad.tcomment = "check-ok: numbers — spelled out"
    assert [finding.check for finding in check_entry(bad, "fr")] == ["end-punctuation"]
    assert check_entry(bad, "fr", disabled=frozenset({"end-punctuation"})) == []
    assert [
        f.check
        for f in check_entry(entry(bad.msgid, bad.msgstr), "fr", disabled=frozenset({"numbers"}))
    ] == ["end-punctuation"]


def test_check_entry_skips_untranslated_fuzzy_obsolete_and_header() -> None:
    assert check_entry(entry("At least 40 individuals.", ""), "fr") == []
    assert check_entry(entry("At least 40 individuals.", "x", flags=["fuzzy"]), "fr") == []
    assert check_entry(entry("At least 40 individuals.", "x", obsolete=True), "fr") == []
    assert check_entry(entry("", "Language: fr\n"), "fr") == []
    plural = polib.POEntry(
        msgid="{n} person", msgid_plural="{n} people", msgstr_plural={0: "", 1: ""}
    )
    assert check_entry(plural, "ru") == []


def test_check_entry_plural_forms() -> None:
    plural = polib.POEntry(
        msgid="{n} person was detained.",
        msgid_plural="{n} people were detained.",
        msgstr_plural={
            0: "{n} человек задержан.",
            1: "{n} человека задержаны.",
            2: "{count} человек задержаны",
        },
        flags=["python-brace-format"],
    )
    assert found(plural, "ru") == [
        ("brace-fields", "error", "msgstr[2]: {n} is missing"),
        ("brace-fields", "error", "msgstr[2]: {count} is not a field of the msgid"),
        (
            "end-punctuation",
            "warning",
            "msgstr[2]: ends with no punctuation where the msgid ends with '.': expected '.'",
        ),
    ]
    # form 0 is checked against msgid, the others against msgid_plural
    numbers = polib.POEntry(
        msgid="1 person",
        msgid_plural="2 people",
        msgstr_plural={0: "1 personne", 1: "1 personnes"},
    )
    assert found(numbers, "fr") == [
        (
            "numbers",
            "warning",
            "msgstr[1]: number 2 is missing"
            " (if written as a word, add 'check-ok: numbers — reason')",
        )
    ]


def test_check_entry_verbatim_and_source_language() -> None:
    spanish = entry("Escriba a Vladimir Putin antes del 17 de mayo.", "Write to Putin by 17 May.")
    findings = found(spanish, "en", source_language="es", verbatim=("Vladimir Putin",))
    assert findings == [("verbatim", "error", "'Vladimir Putin' must be copied as written")]


# --- the bundled catalogues ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "es"])
def test_bundled_catalogues_have_no_errors(language: str) -> None:
    entries = [e for e in catalog(language) if e.translated()]
    assert len(entries) > 30
    findings = [finding for e in entries for finding in check_entry(e, language)]
    assert [finding for finding in findings if finding.severity == "error"] == []


def test_bundled_french_warnings_are_justified_by_check_ok_comments() -> None:
    """The two warnings of the French catalogue are deliberate and say why."""
    checked = {}
    for e in catalog("fr"):
        if e.translated():
            e.tcomment = ""
            for finding in check_entry(e, "fr"):
                checked[e.msgid[:20]] = finding.check
    assert checked == {"Around 40 people bel": "numbers", "Yours sincerely,": "end-punctuation"}


def test_real_sentences_broken() -> None:
    """Breaking a published sentence is caught, in French and in Spanish."""
    french = translation("fr", "On 30 August 2018")
    assert check_entry(french, "fr") == []
    french.msgstr = french.msgstr.replace("2018", "2017", 1).replace("(OSCE)", "(OSCE) ")
    assert [finding.check for finding in check_entry(french, "fr")] == ["numbers", "whitespace"]

    spanish = translation("es", "The Russian authorities’ failure")
    assert check_entry(spanish, "es") == []
    spanish.msgstr = spanish.msgstr.replace("100", "cien").replace("todavía", "todavía todavía")
    assert [f.check for f in check_entry(spanish, "es")] == ["numbers", "doubled-words"]

    salutation = translation("es", "Dear President,")
    assert salutation.msgstr == "Señor Presidente:"
    assert check_entry(salutation, "es") == []

    label = translation("es", "Twitter:")
    assert label.msgstr == label.msgid
    assert check_entry(label, "es") == []
