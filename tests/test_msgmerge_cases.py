r"""``update`` against GNU ``msgmerge --previous`` (gettext 0.21), case by case.

Each case writes an old catalogue and a new template, runs the installed
``msgmerge --previous --lang=LL`` on them and our :func:`merge_catalog` on
the same text, and compares the results entry by entry (msgctxt, msgid,
msgid_plural, msgstr forms, fuzzy, ``#|`` strings, translator and extracted
comments, references, format flags, range, no-wrap, obsolete), then the
header and the bytes. Our output must also pass ``msgfmt -c`` and come back
unchanged from ``msgcat``.

The cases follow what gettext's own ``msgmerge-*`` tests cover, with our own
data. ``--lang`` is given because update knows the language of
``po/<lang>/``; where msgmerge and update differ on purpose, the case says
so (README, "How update compares with msgmerge").

A differential property test at the end generates catalogues with plurals,
contexts, format flags, ``range:``, ``no-wrap``, obsolete and fuzzy entries
and translator comments, built so that "similar" is unambiguous (one old and
one new variant per sentence, sentences with no words in common) and
requires identical files.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from conftest import gettext_or_skip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from uai18n.errors import UserError
from uai18n.merge import merge_catalog
from uai18n.po import dumps, parse_catalog
from uai18n.po.flags import Flags
from uai18n.states import forms

# --------------------------------------------------------------------------
# Running both merges


@dataclass(frozen=True)
class Merged:
    ours: str
    gnu: str
    gnu_passes_msgfmt: bool


def _msgfmt_c(folder: Path, name: str) -> subprocess.CompletedProcess:
    msgfmt = gettext_or_skip("msgfmt")
    command = [msgfmt, "-c", "-o", "/dev/null", name]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True)


def _merge_both(
    tmp_path: Path, old: str, pot: str, language: str = "fr", *, strict: bool = True
) -> Merged:
    """Run msgmerge and update on the same files; check our output with gettext.

    Our output must pass ``msgfmt -c``; with ``strict=False``, only when
    msgmerge's does (a translation that fails its format stays as it is in
    both merges when the flag is not new, even in an obsolete entry that
    comes back, which msgfmt had not checked).
    """
    msgmerge = gettext_or_skip("msgmerge")
    msgcat = gettext_or_skip("msgcat")
    (tmp_path / "old.po").write_text(old, "utf-8")
    (tmp_path / "new.pot").write_text(pot, "utf-8")
    options = ["--previous", "-q", "--force-po", f"--lang={language}"]
    run = subprocess.run(
        [msgmerge, *options, "old.po", "new.pot", "-o", "gnu.po"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    gnu = (tmp_path / "gnu.po").read_text("utf-8")
    merged = merge_catalog(parse_catalog(pot, "new.pot"), parse_catalog(old, "old.po"), language)
    ours = dumps(merged)
    (tmp_path / "ours.po").write_text(ours, "utf-8")
    checked = _msgfmt_c(tmp_path, "ours.po")
    gnu_passes = _msgfmt_c(tmp_path, "gnu.po").returncode == 0
    if strict or gnu_passes:
        assert checked.returncode == 0, checked.stderr
    cat = subprocess.run(  # --force-po: a header-only file is written, not dropped
        [msgcat, "--force-po", "ours.po"], cwd=tmp_path, capture_output=True, text=True
    )
    assert cat.stdout == ours, "msgcat rewrites our output"
    return Merged(ours, gnu, gnu_passes)


def _fields(entry: polib.POEntry) -> tuple:
    flags = Flags(entry.flags or ())
    return (
        entry.msgctxt,
        entry.msgid,
        entry.msgid_plural or None,
        tuple(forms(entry)),
        flags.fuzzy,
        (entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural),
        entry.tcomment.split("\n") if entry.tcomment else [],
        entry.comment.split("\n") if entry.comment else [],
        list(entry.occurrences),
        flags.significant_formats(),
        flags.range,
        flags.no_wrap,
        bool(entry.obsolete),
    )


def _entries(text: str) -> list[tuple]:
    return [_fields(entry) for entry in parse_catalog(text, "merged.po")]


def _header(text: str) -> tuple:
    catalog = parse_catalog(text, "merged.po")
    return catalog.header, list(catalog.metadata.items()), bool(catalog.metadata_is_fuzzy)


def _body(text: str) -> str:
    """The text after the header entry (all of it if there is none)."""
    head, _, rest = text.partition("\n\n")
    return rest if 'msgid ""\nmsgstr ' in head + "\n" and head.count("\nmsgid ") <= 1 else text


def _assert_same(merged: Merged, *, header: bool = True) -> None:
    assert _entries(merged.ours) == _entries(merged.gnu)
    if header:
        assert _header(merged.ours) == _header(merged.gnu)
        assert merged.ours == merged.gnu
    else:
        assert _body(merged.ours) == _body(merged.gnu)


HEADER = r"""# French translation of the Urgent Action ua-57-20.
# Ana Pérez <ana@example.org>, 2026.
#
msgid ""
msgstr ""
"Project-Id-Version: ua-57-20\n"
"Report-Msgid-Bugs-To: \n"
"POT-Creation-Date: 2026-03-02 09:00+0000\n"
"PO-Revision-Date: 2026-03-05 14:12+0100\n"
"Last-Translator: Ana Pérez <ana@example.org>\n"
"Language-Team: French\n"
"Language: fr\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"""

POT_HEADER = r"""# Template for the Urgent Action ua-57-20.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: ua-57-20\n"
"Report-Msgid-Bugs-To: actions@example.org\n"
"POT-Creation-Date: 2026-04-11 16:30+0000\n"
"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\n"
"Last-Translator: FULL NAME <EMAIL@ADDRESS>\n"
"Language-Team: LANGUAGE <LL@li.org>\n"
"MIME-Version: 1.0\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Content-Transfer-Encoding: 8bit\n"
"X-Generator: uai18n 1.0\n"
"""


def _po(body: str, header: str = HEADER) -> str:
    return header + "\n" + body.strip("\n") + "\n"


# --------------------------------------------------------------------------
# The cases


def test_kept_entry_takes_template_comments_and_keeps_translator_ones(tmp_path: Path) -> None:
    old = _po(r"""
# check-ok: numbers — spelled out
#
#. letter, paragraph 1
#: source/ua-57-20.txt:4
msgid "Dear Prosecutor General,"
msgstr "Monsieur le Procureur général,"
""")
    pot = _po(
        r"""
#. salutation
#.
#: source/ua-57-20.txt:9 source/ua-57-20.txt:31
msgid "Dear Prosecutor General,"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_changed_msgid_becomes_fuzzy_with_previous(tmp_path: Path) -> None:
    old = _po(r"""
#: source/ua-57-20.txt:12
msgid "At least 40 students were detained during the peaceful protest in Minsk."
msgstr "Au moins 40 étudiants ont été détenus pendant la manifestation pacifique à Minsk."
""")
    pot = _po(
        r"""
#: source/ua-57-20.txt:12
msgid "At least 45 students were detained during the peaceful protest in Minsk."
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_unrelated_msgid_stays_empty_and_old_one_becomes_obsolete(tmp_path: Path) -> None:
    old = _po(r"""
# a translator's note
#. heading
#: source/ua-57-20.txt:1
msgid "URGENT ACTION"
msgstr "ACTION URGENTE"

msgid "Fax:"
msgstr ""
""")
    pot = _po(
        r"""
#: source/ua-57-20.txt:40
msgid "Please send appeals before 30 April 2026."
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_obsolete_entry_comes_back_translated(tmp_path: Path) -> None:
    old = _po(r"""
msgid "Yours sincerely,"
msgstr "Veuillez agréer l'expression de ma haute considération,"

# restored from the 2025 appeal
#~ msgid "PREFERRED LANGUAGE TO ADDRESS TARGET: Belarusian, Russian"
#~ msgstr "LANGUE À PRIVILÉGIER POUR LA CIBLE : biélorusse, russe"

#, fuzzy
#~| msgid "Release him immediately"
#~ msgid "Release him immediately and unconditionally"
#~ msgstr "Libérez-le immédiatement"
""")
    pot = _po(
        r"""
#: source/ua-57-20.txt:2
msgid "PREFERRED LANGUAGE TO ADDRESS TARGET: Belarusian, Russian"
msgstr ""

#: source/ua-57-20.txt:3
msgid "Release him immediately and unconditionally"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_second_change_keeps_the_msgid_the_translation_was_made_for(tmp_path: Path) -> None:
    first = _po(r"""
msgid "The court hearing is scheduled for 12 May in Gomel."
msgstr "L'audience est prévue le 12 mai à Gomel."
""")
    pot1 = _po(
        r"""
msgid "The court hearing is scheduled for 19 May in Gomel."
msgstr ""
""",
        POT_HEADER,
    )
    step = _merge_both(tmp_path, first, pot1)
    _assert_same(step)
    pot2 = _po(
        r"""
msgid "The court hearing is now scheduled for 26 May in Gomel."
msgstr ""
""",
        POT_HEADER,
    )
    again = _merge_both(tmp_path, step.gnu, pot2)
    _assert_same(again)
    assert '#| msgid "The court hearing is scheduled for 12 May in Gomel."' in again.ours


def test_msgid_becomes_plural(tmp_path: Path) -> None:
    old = _po(r"""
#, python-brace-format
msgid "{count} prisoner of conscience"
msgstr "{count} prisonnier d'opinion"
""")
    pot = _po(
        r"""
#, python-brace-format
msgid "{count} prisoner of conscience"
msgid_plural "{count} prisoners of conscience"
msgstr[0] ""
msgstr[1] ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_msgid_becomes_plural_with_three_forms(tmp_path: Path) -> None:
    header = HEADER.replace("Language: fr", "Language: ru").replace(
        "nplurals=2; plural=(n > 1);",
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);",
    )
    old = _po(
        r"""
msgid "One activist remains in detention"
msgstr "Одна активистка остаётся под стражей"
""",
        header,
    )
    pot = _po(
        r"""
msgid "One activist remains in detention"
msgid_plural "Several activists remain in detention"
msgstr[0] ""
msgstr[1] ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot, "ru"))


def test_msgid_becomes_singular(tmp_path: Path) -> None:
    """As msgmerge, the first form is kept, fuzzy; deliberate difference: the
    other forms' text is kept in a translator comment."""
    old = _po(r"""
msgid "One lawyer was denied access"
msgid_plural "Lawyers were denied access"
msgstr[0] "Un avocat s'est vu refuser l'accès"
msgstr[1] "Des avocats se sont vu refuser l'accès"
""")
    pot = _po(
        r"""
msgid "One lawyer was denied access"
msgstr ""
""",
        POT_HEADER,
    )
    merged = _merge_both(tmp_path, old, pot)
    dropped = '# dropped msgstr[1]: "Des avocats se sont vu refuser l\'accès"\n'
    assert dropped in merged.ours
    _assert_same(Merged(merged.ours.replace(dropped, ""), merged.gnu, merged.gnu_passes_msgfmt))


def test_changed_msgid_plural_becomes_fuzzy(tmp_path: Path) -> None:
    old = _po(r"""
#, c-format
msgid "%d day in solitary confinement"
msgid_plural "%d days in solitary confinement"
msgstr[0] "%d jour à l'isolement"
msgstr[1] "%d jours à l'isolement"
""")
    pot = _po(
        r"""
#, c-format
msgid "%d day in solitary confinement"
msgid_plural "%d days held in solitary confinement"
msgstr[0] ""
msgstr[1] ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


@pytest.mark.parametrize(
    ("language", "plural_forms"),
    [("ru", "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
             "(n%100<10 || n%100>=20) ? 1 : 2);"),
     ("ja", "nplurals=1; plural=0;")],
)  # fmt: skip
def test_new_plural_gets_the_header_number_of_forms(
    tmp_path: Path, language: str, plural_forms: str
) -> None:
    header = HEADER.replace("Language: fr", f"Language: {language}")
    header = header.replace("nplurals=2; plural=(n > 1);", plural_forms)
    old = _po('msgid "Take action"\nmsgstr "X"\n', header)
    pot = _po(
        r"""
msgid "Take action"
msgstr ""

msgid "{count} letter was sent"
msgid_plural "{count} letters were sent"
msgstr[0] ""
msgstr[1] ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot, language))


def test_format_flag_added_fuzzy_only_when_the_translation_fails_it(tmp_path: Path) -> None:
    old = _po(r"""
msgid "Send appeals until {deadline}."
msgstr "Envoyez des appels jusqu'au {deadline}."

msgid "Write to {name} in {language}."
msgstr "Écrivez à {nom} en {language}."

#, c-format
msgid "Appeals from {count} countries"
msgstr "Appels de %d pays"
""")
    pot = _po(
        r"""
#, python-brace-format
msgid "Send appeals until {deadline}."
msgstr ""

#, python-brace-format
msgid "Write to {name} in {language}."
msgstr ""

#, python-brace-format
msgid "Appeals from {count} countries"
msgstr ""
""",
        POT_HEADER,
    )
    merged = _merge_both(tmp_path, old, pot)
    _assert_same(merged)
    assert merged.ours.count("#, fuzzy, python-brace-format") == 2


def test_c_format_added(tmp_path: Path) -> None:
    old = _po(r"""
msgid "%s was arrested on %d March"
msgstr "%s a été arrêté le %d mars"

msgid "%s was sentenced to %d years"
msgstr "%d ans de prison pour %s"

msgid "%1$s was sentenced to %2$d months"
msgstr "%2$d mois de prison pour %1$s"

msgid "100% of appeals count"
msgstr "100 % des appels comptent"
""")
    pot = _po(
        r"""
#, c-format
msgid "%s was arrested on %d March"
msgstr ""

#, c-format
msgid "%s was sentenced to %d years"
msgstr ""

#, c-format
msgid "%1$s was sentenced to %2$d months"
msgstr ""

#, c-format
msgid "100% of appeals count"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_python_format_added_to_a_plural(tmp_path: Path) -> None:
    old = _po(r"""
msgid "%(n)d detainee"
msgid_plural "%(n)d detainees"
msgstr[0] "un détenu"
msgstr[1] "%(n)d détenus"

msgid "%(n)d witness"
msgid_plural "%(n)d witnesses"
msgstr[0] "%(n)d témoin"
msgstr[1] "des témoins"
""")
    pot = _po(
        r"""
#, python-format
msgid "%(n)d detainee"
msgid_plural "%(n)d detainees"
msgstr[0] ""
msgstr[1] ""

#, python-format
msgid "%(n)d witness"
msgid_plural "%(n)d witnesses"
msgstr[0] ""
msgstr[1] ""
""",
        POT_HEADER,
    )
    merged = _merge_both(tmp_path, old, pot)
    _assert_same(merged)


def test_range_changes(tmp_path: Path) -> None:
    entries = [
        ("week", "range: 1..6", "range: 2..5"),  # narrower: still fits
        ("month", "range: 1..6", "range: 0..6"),  # wider: fuzzy
        ("year", "range: 1..6", ""),  # gone: fuzzy
        ("hour", "", "range: 1..24"),  # new: no reason to look again
    ]
    old = pot = ""
    for word, before, after in entries:
        old += (
            f"#, c-format{', ' + before if before else ''}\n"
            f'msgid "one {word}"\nmsgid_plural "%d {word}s"\n'
            f'msgstr[0] "un {word}"\nmsgstr[1] "%d {word}s"\n\n'
        )
        pot += (
            f"#, c-format{', ' + after if after else ''}\n"
            f'msgid "one {word}"\nmsgid_plural "%d {word}s"\n'
            'msgstr[0] ""\nmsgstr[1] ""\n\n'
        )
    merged = _merge_both(tmp_path, _po(old), _po(pot, POT_HEADER))
    _assert_same(merged)


def test_no_wrap_comes_from_the_template(tmp_path: Path) -> None:
    long_en = (
        "The authorities must release all those detained solely for peacefully "
        "exercising their right to freedom of expression"
    )
    long_fr = (
        "Les autorités doivent libérer toutes les personnes détenues uniquement pour "
        "avoir exercé pacifiquement leur droit à la liberté d'expression"
    )
    old = _po(f'#, no-wrap\nmsgid "{long_en}"\nmsgstr "{long_fr}"\n\n'
              f'msgid "{long_en}!"\nmsgstr "{long_fr} !"\n')  # fmt: skip
    pot = _po(f'msgid "{long_en}"\nmsgstr ""\n\n#, no-wrap\nmsgid "{long_en}!"\nmsgstr ""\n',
              POT_HEADER)  # fmt: skip
    _assert_same(_merge_both(tmp_path, old, pot))


def test_msgctxt_changes(tmp_path: Path) -> None:
    old = _po(r"""
msgctxt "letter"
msgid "Release him"
msgstr "Libérez-le"

msgctxt "heading"
msgid "Background information"
msgstr "Complément d'information"

msgid "Take action"
msgstr "Agissez"
""")
    pot = _po(
        r"""
msgctxt "appeal"
msgid "Release him"
msgstr ""

msgid "Background information"
msgstr ""

msgctxt "button"
msgid "Take action"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_po_without_header_keeps_its_first_comment_on_its_first_entry(tmp_path: Path) -> None:
    """Deliberate difference: msgmerge writes no header (and msgfmt -c then
    refuses the file); update writes a complete one. The entries agree.
    (ASCII only: without a charset msgmerge cannot read anything else.)"""
    old = r"""# who translated this: Ana
#
#. letter
#: source/ua-57-20.txt:5
msgid "Dear Minister,"
msgstr "Madame la Ministre,"

msgid "Yours sincerely,"
msgstr "Veuillez agreer,"
"""
    pot = _po(
        r"""
#: source/ua-57-20.txt:6
msgid "Dear Minister,"
msgstr ""
""",
        POT_HEADER,
    )
    merged = _merge_both(tmp_path, old, pot)
    _assert_same(merged, header=False)
    assert not merged.gnu_passes_msgfmt
    assert merged.ours.count('msgid ""') == 1


def test_template_translator_comments_and_empty_comment_lines(tmp_path: Path) -> None:
    old = _po(r"""
#
# kept by the translator
msgid "URGENT ACTION"
msgstr "ACTION URGENTE"
""")
    pot = _po(
        r"""
# ignored: the entry has a translator already
msgid "URGENT ACTION"
msgstr ""

#
# a note from the template
#
#.
#. appeal, paragraph 1
#: source/ua-57-20.txt:20
msgid "Release Ales Bialiatski now"
msgstr ""

#
msgid "Fax"
msgstr ""

#.
msgid "Email"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_header_fields_are_kept_in_gettext_order(tmp_path: Path) -> None:
    header = r"""# Traduction française.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: ua-57-20\n"
"X-Poedit-Basepath: ../..\n"
"Language-Team: French <fr@example.org>\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"
"Last-Translator: Ana\n"
"MIME-Version: 1.0\n"
"POT-Creation-Date: 2025-01-01 00:00+0000\n"
"X-Generator: Poedit 3.4\n"
"""
    old = _po('msgid "Take action"\nmsgstr "Agissez"\n', header)
    pot = _po('msgid "Take action"\nmsgstr ""\n', POT_HEADER)
    _assert_same(_merge_both(tmp_path, old, pot))


def test_template_without_creation_date_keeps_the_catalogue_one(tmp_path: Path) -> None:
    old = _po('msgid "Take action"\nmsgstr "Agissez"\n')
    pot_header = POT_HEADER.replace('"POT-Creation-Date: 2026-04-11 16:30+0000\\n"\n', "")
    pot_header = pot_header.replace('"Report-Msgid-Bugs-To: actions@example.org\\n"\n', "")
    assert "POT-Creation-Date" not in pot_header
    merged = _merge_both(tmp_path, old, _po('msgid "Take action"\nmsgstr ""\n', pot_header))
    _assert_same(merged)
    assert '"POT-Creation-Date: 2026-03-02 09:00+0000\\n"' in merged.ours


def test_missing_language_is_filled(tmp_path: Path) -> None:
    old = _po('msgid "Take action"\nmsgstr "Agissez"\n', HEADER.replace('"Language: fr\\n"\n', ""))
    assert "Language: fr" not in old
    _assert_same(_merge_both(tmp_path, old, _po('msgid "Take action"\nmsgstr ""\n', POT_HEADER)))


def test_fuzzy_entry_stays_fuzzy(tmp_path: Path) -> None:
    old = _po(r"""
#, fuzzy
msgid "Take action now"
msgstr "Agissez maintenant"

#, fuzzy
#| msgid "Take action today"
msgid "Take action tomorrow"
msgstr "Agissez aujourd'hui"

#, fuzzy
msgid "Stay informed"
msgstr ""
""")
    pot = _po(
        r"""
msgid "Take action now"
msgstr ""

msgid "Take action tomorrow"
msgstr ""

msgid "Stay informed"
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_a_translation_in_use_also_seeds_a_fuzzy_entry(tmp_path: Path) -> None:
    old = _po(r"""
msgid "The report lists 8 complaints of torture in custody."
msgstr "Le rapport recense 8 plaintes pour torture en détention."
""")
    pot = _po(
        r"""
msgid "The report lists 8 complaints of torture in custody."
msgstr ""

msgid "The report lists 66 complaints of torture in custody."
msgstr ""
""",
        POT_HEADER,
    )
    _assert_same(_merge_both(tmp_path, old, pot))


def test_obsolete_entries_keep_translator_comments_flags_and_previous(tmp_path: Path) -> None:
    old = _po(r"""
# reviewed: Ana 2026-03-05 sha1:0a1b2c3d
#. letter
#: source/ua-57-20.txt:3
#, c-format, no-wrap
msgid "Gone since %d days"
msgstr "Disparu depuis %d jours"

#, fuzzy
#~| msgid "An old sentence"
#~ msgid "An old sentence, changed"
#~ msgstr "Une vieille phrase"
""")
    pot = _po('msgid "Something else entirely"\nmsgstr ""\n', POT_HEADER)
    _assert_same(_merge_both(tmp_path, old, pot))


def test_obsolete_twin_of_a_live_msgid_is_refused_as_msgmerge_refuses_it(tmp_path: Path) -> None:
    """msgmerge, msgcat and msgfmt stop on a "#~" duplicate of a msgid, live
    entry translated or not; so does our reader, naming both lines."""
    msgmerge = gettext_or_skip("msgmerge")
    old = _po('msgid "Take action"\nmsgstr ""\n\n#~ msgid "Take action"\n#~ msgstr "Agissez"\n')
    (tmp_path / "old.po").write_text(old, "utf-8")
    (tmp_path / "new.pot").write_text(_po('msgid "Take action"\nmsgstr ""\n', POT_HEADER))
    result = subprocess.run(
        [msgmerge, "--previous", "-q", "old.po", "new.pot", "-o", "gnu.po"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "duplicate message definition" in result.stderr
    first = old.splitlines().index('msgid "Take action"') + 1
    with pytest.raises(UserError, match=rf"old.po:{first + 3}: duplicate .*line {first}\)"):
        parse_catalog(old, "old.po")


def test_suggestion_carried_to_a_changed_msgid_names_its_msgid(tmp_path: Path) -> None:
    """Deliberate difference: a fuzzy entry without "#|" (what pretranslate
    writes: a suggestion for its own msgid) that seeds a changed msgid gets
    that msgid as "#|"; msgmerge writes none, and the suggestion would pass
    for one made for the new sentence."""
    old = _po(r"""
# machine: libre 2026-03-01
#, fuzzy
msgid "Around 40 people were detained at the rally in Vitebsk."
msgstr "Environ 40 personnes ont été détenues lors du rassemblement à Vitebsk."
""")
    pot = _po(
        r"""
msgid "About 40 people were detained at the rally in Vitebsk."
msgstr ""
""",
        POT_HEADER,
    )
    merged = _merge_both(tmp_path, old, pot)
    previous = '#| msgid "Around 40 people were detained at the rally in Vitebsk."\n'
    assert previous in merged.ours and previous not in merged.gnu
    assert merged.ours.replace(previous, "") == merged.gnu


# --------------------------------------------------------------------------
# Differential property: generated catalogues, both merges, identical files

# Sentences that share no word, so that only variants of one sentence are
# similar (for rapidfuzz and for gettext's fstrcmp alike).
SENTENCES = [
    "The authorities detained the journalist outside her office in Grozny",
    "Write to the prosecutor general urging an impartial investigation now",
    "Seven members of a youth movement remain missing since early March",
    "Lawyers have been denied access to their clients for several weeks",
    "Please send appeals before the deadline in Russian or in English",
    "Relatives fear that prisoners could be tortured or even killed",
    "A court sentenced him on fabricated charges after a closed hearing",
    "Human rights defenders face harassment, threats and smear campaigns",
    "Activist Ilya began hunger strike protesting harsh prison conditions",
    "Ensure medical care is provided without further delay",
]
DROPPED = "# dropped msgstr["
VARIANT_WORDS = ["", "recently", "reportedly"]
SUFFIXES = ["", " ({n})", " (%d)"]
LANGUAGES = {
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
    "(n%100<10 || n%100>=20) ? 1 : 2);",
    "ja": "nplurals=1; plural=0;",
}


def _text(base: int, variant: int, suffix: int) -> str:
    words = SENTENCES[base].split()
    if VARIANT_WORDS[variant]:
        words.insert(len(words) // 2, VARIANT_WORDS[variant])
    return " ".join(words) + SUFFIXES[suffix]


@st.composite
def _entry_shape(draw: st.DrawFn) -> dict:
    return {
        "variant": draw(st.integers(0, 2)),
        "suffix": draw(st.integers(0, 2)),
        "context": draw(st.sampled_from([None, "letter"])),
        "plural": draw(st.sampled_from([None, "times", "cases"])),
        "format": draw(st.sampled_from([None, "c-format", "python-brace-format"])),
        "range": draw(st.sampled_from([None, "range: 0..5", "range: 1..3", "range: 2..100"])),
        "no_wrap": draw(st.booleans()),
        "comment": draw(st.sampled_from([None, "note", "\nafter a blank line", "one\n\ntwo"])),
    }


def _entry(shape: dict, base: int) -> polib.POEntry:
    msgid = _text(base, shape["variant"], shape["suffix"])
    entry = polib.POEntry(msgctxt=shape["context"], msgid=msgid, msgstr="")
    if shape["plural"]:
        entry.msgid_plural = f"{msgid} {shape['plural']}"
    entry.flags = [f for f in (shape["format"], shape["no_wrap"] and "no-wrap") if f]
    if shape["range"] and shape["plural"]:
        entry.flags.append(shape["range"])
    return entry


def _translate(text: str, how: str) -> str:
    if how == "swap":  # the placeholders of the other format
        text = text.replace("{n}", "\0").replace("%d", "{n}").replace("\0", "%d")
    elif how == "drop":
        text = text.replace("{n}", "N").replace("%d", "D")
    return "FR " + text


@st.composite
def _catalogues(draw: st.DrawFn) -> tuple[str, str, str]:
    language = draw(st.sampled_from(sorted(LANGUAGES)))
    nplurals = int(LANGUAGES[language].split(";")[0].split("=")[1])
    bases = range(len(SENTENCES))
    old_bases = draw(st.lists(st.sampled_from(bases), unique=True, max_size=7))
    new_bases = draw(st.lists(st.sampled_from(bases), unique=True, max_size=7))
    old = polib.POFile()
    old.header = "Generated for the differential test."
    old.metadata = {
        "Project-Id-Version": "ua",
        "POT-Creation-Date": "2026-01-01 10:00+0000",
        "Language": draw(st.sampled_from(["", language])),
        "Content-Type": "text/plain; charset=UTF-8",
        "Plural-Forms": LANGUAGES[language],
    }
    old_shapes = {}
    for base in old_bases:
        shape = old_shapes[base] = draw(_entry_shape())
        entry = _entry(shape, base)
        # (a fuzzy entry without "#|" is left out: where it seeds another entry,
        # update writes its msgid as "#|" on purpose, see the case above)
        state = draw(st.sampled_from(["empty", "done", "fuzzy-previous"]))
        how = draw(st.sampled_from(["keep", "keep", "swap", "drop"]))
        if state != "empty":
            if entry.msgid_plural:
                texts = [entry.msgid, *[entry.msgid_plural] * (nplurals - 1)]
                entry.msgstr_plural = {i: _translate(t, how) for i, t in enumerate(texts)}
            else:
                entry.msgstr = _translate(entry.msgid, how)
        elif entry.msgid_plural:
            entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
        if state.startswith("fuzzy"):
            entry.flags.insert(0, "fuzzy")
        if state == "fuzzy-previous":
            entry.previous_msgid = _text(base, (shape["variant"] + 1) % 3, shape["suffix"])
        entry.tcomment = shape["comment"] or ""
        entry.obsolete = draw(st.booleans()) and state != "empty"
        old.append(entry)
    template = polib.POFile()
    template.metadata = {
        "Project-Id-Version": "ua",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": draw(st.sampled_from(["2026-02-02 12:00+0000", None])),
        "Content-Type": "text/plain; charset=UTF-8",
    }
    if template.metadata["POT-Creation-Date"] is None:
        del template.metadata["POT-Creation-Date"]
    for number, base in enumerate(new_bases, 1):
        shape = draw(_entry_shape())
        if base in old_shapes and draw(st.booleans()):  # the same msgid, often the same plural
            same = ("variant", "suffix", "context", *(("plural",) * draw(st.booleans())))
            shape.update({key: old_shapes[base][key] for key in same})
        entry = _entry(shape, base)
        if entry.msgid_plural:
            entry.msgstr_plural = {0: "", 1: ""}
        entry.tcomment = draw(st.sampled_from(["", "from the template"]))
        entry.comment = draw(st.sampled_from(["", "letter, paragraph 2", "\nafter"]))
        entry.occurrences = [("source/ua.txt", str(number))]
        template.append(entry)
    return dumps(old), dumps(template), language


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(catalogues=_catalogues())
def test_update_is_msgmerge_on_generated_catalogues(
    tmp_path: Path, catalogues: tuple[str, str, str]
) -> None:
    old, pot, language = catalogues
    merged = _merge_both(tmp_path, old, pot, language, strict=False)
    # a plural made singular: update keeps the other forms in comments, msgmerge drops them
    ours = "".join(
        line for line in merged.ours.splitlines(keepends=True) if not line.startswith(DROPPED)
    )
    _assert_same(Merged(ours, merged.gnu, merged.gnu_passes_msgfmt))
