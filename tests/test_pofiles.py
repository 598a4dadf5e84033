"""Strict PO reading: what msgfmt rejects, we reject with file and line."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import polib
import pytest
from conftest import gettext_or_skip

from uai18n.errors import UserError
from uai18n.po import parse_catalog, read_catalog
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
    with pytest.raises(OSError):
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
