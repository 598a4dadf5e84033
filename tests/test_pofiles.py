"""Strict PO reading: what msgfmt rejects, we reject with file and line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import gettext_or_skip

from uai18n.errors import UserError
from uai18n.po import dumps, parse_catalog, read_catalog
from uai18n.states import catalog_stats
from uai18n.textfiles import write_text_atomic

GOOD = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

#: source/ua.txt:1
msgid "Dear President,"
msgstr "Monsieur le Président,"

#, fuzzy
msgid "Yours sincerely,"
msgstr "Cordialement,"

msgid "Fax:"
msgstr ""

#~ msgid "Gone."
#~ msgstr "Parti."
"""

BAD = {
    "unterminated string": ('msgid "Dear President,\nmsgstr ""\n', 1),
    "invalid escape sequence": ('msgid "a\\qb"\nmsgstr ""\n', 1),
    "unexpected text": ('msgid "a"\nmsgstr "b"\nhello there\n', 3),
    "text after the closing quote": ('msgid "a" x\nmsgstr ""\n', 1),
    "duplicate message definition": (
        'msgid "a"\nmsgstr "1"\n\nmsgid "a"\nmsgstr "2"\n',
        4,
    ),
    "without 'msgstr'": ('msgid "a"\n\nmsgid "b"\nmsgstr ""\n', 3),
    "string without a keyword": ('"orphan"\nmsgid "a"\nmsgstr ""\n', 1),
    "'msgstr[N]' without 'msgid_plural'": ('msgid "a"\nmsgstr[0] "x"\n', 2),
}


def test_good_file_parses_with_states() -> None:
    catalog = parse_catalog(GOOD, "po/fr/ua.po")
    stats = catalog_stats(catalog)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (1, 1, 1)
    assert [entry.msgid for entry in catalog.obsolete_entries()] == ["Gone."]


@pytest.mark.parametrize("problem", sorted(BAD))
def test_malformed_po_names_file_line_and_problem(problem: str) -> None:
    text, line = BAD[problem]
    with pytest.raises(UserError) as caught:
        parse_catalog(text, "po/fr/ua.po")
    message = str(caught.value)
    assert message.startswith(f"po/fr/ua.po:{line}: ")
    assert problem in message


@pytest.mark.parametrize("problem", sorted(BAD))
def test_what_we_reject_msgfmt_rejects_too(problem: str, tmp_path: Path) -> None:
    gettext_or_skip("msgfmt")
    path = tmp_path / "bad.po"
    path.write_text(BAD[problem][0], "utf-8")
    result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True)
    assert result.returncode != 0


def test_non_utf8_po_is_rejected_with_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.po"
    path.write_bytes('msgid "a"\nmsgstr "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(UserError, match=r"latin1.po:2: not UTF-8"):
        read_catalog(path, "latin1.po")


def test_declared_non_utf8_charset_is_rejected() -> None:
    text = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    with pytest.raises(UserError, match="only UTF-8"):
        parse_catalog(text, "x.po")


def test_atomic_write_replaces_and_skips_identical(tmp_path: Path) -> None:
    path = tmp_path / "out" / "a.po"
    assert write_text_atomic(path, "one\n")
    mtime = path.stat().st_mtime_ns
    assert not write_text_atomic(path, "one\n")
    assert path.stat().st_mtime_ns == mtime
    assert write_text_atomic(path, "two\n")
    assert path.read_text() == "two\n"
    assert [p.name for p in path.parent.iterdir()] == ["a.po"]  # no temporary left


def test_failed_write_leaves_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.po"
    path.write_text("old\n")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(UserError, match=r"a\.po: cannot write: disk full"):
        write_text_atomic(path, "new\n")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.po"]


TRICKY = r"""# French translation.
# Copyright line
#
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: ua\n"
"Content-Type: text/plain; charset=UTF-8\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\n"

# translator note
# reviewed: Ana 2026-11-26 sha1:1a2b3c4d
#. letter, paragraph 1
#: source/ua.txt:12 source/ua.txt:40
#: odd-reference
#, fuzzy, python-brace-format
#| msgid "Old {deadline}"
msgid ""
"A long line that was wrapped "
"over two lines, with \"quotes\", a tab\t and a backslash \\."
msgstr "Une ligne\n"
"sur deux lignes."

msgctxt "menu"
msgid "One file"
msgid_plural "{n} files"
msgstr[0] "Un fichier"
msgstr[1] "{n} fichiers"

#, fuzzy
#~| msgid "Gone before"
#~ msgid "Gone."
#~ msgstr "Parti."
"""


def _entry_fields(entry: polib.POEntry) -> tuple:
    """What both readers must agree on (polib drops '#~|' lines; we keep them)."""
    previous = (
        ()
        if entry.obsolete
        else (entry.previous_msgctxt, entry.previous_msgid or None, entry.previous_msgid_plural)
    )
    return (
        entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, dict(entry.msgstr_plural),
        sorted(entry.flags), entry.comment, entry.tcomment, entry.occurrences,
        previous, bool(entry.obsolete), entry.linenum,
    )  # fmt: skip


def _bundled_catalogues() -> list[Path]:
    repo = Path(__file__).resolve().parent.parent
    return sorted((repo / "po").rglob("*.po*"))


_SAMPLES = {f"{p.parent.name}/{p.name}": p for p in _bundled_catalogues()}


@pytest.mark.parametrize("name", ["tricky", *_SAMPLES])
def test_our_reader_builds_what_polib_builds(name: str) -> None:
    paths = _SAMPLES
    text = TRICKY if name == "tricky" else paths[name].read_text("utf-8")
    ours, theirs = parse_catalog(text, name), polib.pofile(text)
    assert [_entry_fields(e) for e in ours] == [_entry_fields(e) for e in theirs]
    assert ours.header == theirs.header
    assert ours.metadata == theirs.metadata
    assert ours.metadata_is_fuzzy == theirs.metadata_is_fuzzy


# --- what no output can hold: controls, non-characters, escapes past Unicode
#
# GNU msgfmt -c (0.21) accepts every one of these silently: it reads "\x"
# escapes as bytes modulo 256 ("\x110000" is a form feed, "\xFFFFFFFF" an
# invalid UTF-8 byte), cuts the string at "\0", and lets controls through;
# lxml then refuses them when we write HTML. So the reader refuses them.

FR_PO = "po/fr/ua-2-19-chechnya.po"
BAD_TEXT = {
    "escape past U+10FFFF": (
        'msgstr "ACTION URGENTE"',
        'msgstr "ACTION\\xFFFFFFFF URGENTE"',
        "escape '\\xFFFFFFFF' is not a Unicode character",
    ),
    "escape just past U+10FFFF": (
        'msgstr "ACTION URGENTE"',
        'msgstr "ACTION\\x110000 URGENTE"',
        "escape '\\x110000' is not a Unicode character",
    ),
    "escaped surrogate": (
        'msgstr "ACTION URGENTE"',
        'msgstr "ACTION\\xD800 URGENTE"',
        "escape '\\xD800' is not a Unicode character",
    ),
    "form feed escape": (
        'msgstr "ACTION URGENTE"',
        'msgstr "ACTION\\f URGENTE"',
        "control character U+000C",
    ),
    "bell escape": ('msgstr "ACTION URGENTE"', 'msgstr "\\aACTION URGENTE"', "U+0007"),
    "NUL escape": ('msgstr "ACTION URGENTE"', 'msgstr "ACTION URGENTE\\0"', "U+0000"),
    "raw control": ('msgstr "ACTION URGENTE"', 'msgstr "ACTION\x01 URGENTE"', "U+0001"),
    "raw non-character": ('msgstr "ACTION URGENTE"', 'msgstr "ACTION\ufffe"', "U+FFFE"),
    "escape in msgid": ('msgid "URGENT ACTION"', 'msgid "URGENT\\x1b ACTION"', "U+001B"),
    "in msgctxt": (
        'msgid "URGENT ACTION"',
        'msgctxt "banner\\b"\nmsgid "URGENT ACTION"',
        "U+0008",
    ),
    "in a previous msgid": (
        'msgid "URGENT ACTION"',
        '#| msgid "URGENT\\vACTION"\nmsgid "URGENT ACTION"',
        "U+000B",
    ),
    "in a continuation line": (
        '"des personnes soupçonnées',
        '"des \x02personnes soupçonnées',
        "U+0002",
    ),
}


def _break_fr(root: Path, problem: str) -> tuple[bytes, int]:
    """Write the bad string into the French catalogue; its bytes and the line."""
    old, new, _ = BAD_TEXT[problem]
    path = root / FR_PO
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text, "utf-8")
    marker = new.splitlines()[0]
    line = next(n for n, text in enumerate(text.splitlines(), 1) if text.startswith(marker))
    return path.read_bytes(), line


@pytest.mark.parametrize("problem", sorted(BAD_TEXT))
def test_reader_refuses_what_no_output_can_hold(problem: str, project: Path) -> None:
    _, line = _break_fr(project, problem)
    with pytest.raises(UserError) as caught:
        read_catalog(project / FR_PO, FR_PO)
    assert str(caught.value).startswith(f"{FR_PO}:{line}: ")
    assert BAD_TEXT[problem][2] in str(caught.value)


@pytest.mark.parametrize("problem", sorted(BAD_TEXT))
def test_check_and_run_stop_on_it_in_one_line(problem: str, project: Path, cli) -> None:
    before, line = _break_fr(project, problem)
    for command in ("check", "run"):
        result = cli("-C", str(project), command)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output
        errors = [text for text in result.output.splitlines() if text.startswith("uai18n:")]
        assert len(errors) == 1 and errors[0].startswith(f"uai18n: {FR_PO}:{line}: ")
        assert BAD_TEXT[problem][2] in errors[0]
        assert (project / FR_PO).read_bytes() == before


def test_comments_stay_with_their_entry_without_a_header() -> None:
    """Leading comments are the header's only when a header entry follows;
    empty comment lines, leading or alone, are kept (msgcat keeps them)."""
    text = '#\n# first entry\n#.\nmsgid "a"\nmsgstr "b"\n\n#\nmsgid "c"\nmsgstr ""\n'
    catalog = parse_catalog(text, "x.po")
    assert catalog.header == "" and not catalog.metadata
    assert catalog[0].tcomment == "\nfirst entry" and catalog[0].comment == ""
    assert dumps(catalog) == text


def test_obsolete_twin_of_a_msgid_is_a_duplicate() -> None:
    text = 'msgid "a"\nmsgstr ""\n\n#~ msgid "a"\n#~ msgstr "b"\n'
    with pytest.raises(
        UserError, match=r"x\.po:4: duplicate message definition \(first at line 1\)"
    ):
        parse_catalog(text, "x.po")
