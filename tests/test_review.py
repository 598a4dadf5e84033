"""Sign-offs: made, kept by gettext tools and our update, stale when edited."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from conftest import gettext_or_skip

from uai18n.errors import UserError
from uai18n.review import sign, unsign
from uai18n.states import State, approval_hash, entry_state, sign_offs

FR = "po/fr/ua-2-19-chechnya.po"


def _entry(msgstr: str = "Bonjour.", *, fuzzy: bool = False) -> polib.POEntry:
    entry = polib.POEntry(msgid="Hello.", msgstr=msgstr)
    if fuzzy:
        entry.flags.append("fuzzy")
    return entry


def test_states() -> None:
    assert entry_state(_entry("")) is State.UNTRANSLATED
    assert entry_state(_entry(fuzzy=True)) is State.MACHINE
    entry = _entry()
    assert entry_state(entry) is State.TRANSLATED
    sign(entry, "Ana Pérez", "2026-11-26")
    assert entry.tcomment == f"reviewed: Ana Pérez 2026-11-26 sha1:{approval_hash(entry)}"
    assert entry_state(entry) is State.REVIEWED
    entry.msgstr = "Salut."
    assert entry_state(entry) is State.STALE
    entry.msgstr = "Bonjour."
    entry.msgid = "Hello!"  # a source change the reviewer never saw
    assert entry_state(entry) is State.STALE


def test_fuzzy_and_empty_entries_cannot_be_signed() -> None:
    with pytest.raises(ValueError, match="fuzzy"):
        sign(_entry(fuzzy=True), "Ana", "2026-11-26")
    with pytest.raises(ValueError, match="not translated"):
        sign(_entry(""), "Ana", "2026-11-26")


def test_signing_again_replaces_and_unsign_removes_keeping_other_comments() -> None:
    entry = _entry()
    entry.tcomment = "keep this note"
    sign(entry, "Ana", "2026-11-25")
    sign(entry, "Bo", "2026-11-26")
    assert len(sign_offs(entry)) == 1 and sign_offs(entry)[0].name == "Bo"
    assert unsign(entry)
    assert entry.tcomment == "keep this note"


def test_malformed_sign_off_is_an_error_with_file_and_line() -> None:
    entry = _entry()
    entry.tcomment = "reviewed: Ana yesterday"
    entry.linenum = 12
    with pytest.raises(UserError, match=r"^po/fr/x.po:12: malformed sign-off"):
        entry_state(entry, "po/fr/x.po")


def test_review_command_signs_and_status_reports(project: Path, cli) -> None:
    result = cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana Pérez")
    assert result.exit_code == 0, result.output
    assert "34 signed off" in result.output
    text = (project / FR).read_text("utf-8")
    assert text.count("# reviewed: Ana Pérez ") == 34
    status = cli("-C", str(project), "status", "--lang", "fr", "--format", "json")
    row = __import__("json").loads(status.output)["catalogues"][0]
    assert row["entries"]["reviewed"] == 34 and row["percent_reviewed"] == 100.0


def test_review_refuses_fuzzy_entry_and_says_why(project: Path, cli) -> None:
    po = project / FR
    catalog = polib.pofile(str(po))
    catalog[2].flags.append("fuzzy")
    catalog.save(str(po))
    result = cli(
        "-C", str(project), "review", "--lang", "fr", "--entry", catalog[2].msgid, "--by", "Ana"
    )
    assert result.exit_code == 1
    assert "not signed" in result.output and "fuzzy" in result.output


def test_review_of_unknown_entry_writes_nothing(project: Path, cli) -> None:
    before = (project / FR).read_bytes()
    result = cli(
        "-C", str(project), "review", "--lang", "fr", "--entry", "No such text.", "--by", "Ana"
    )
    assert result.exit_code == 2 and "no entry with msgid" in result.output
    assert (project / FR).read_bytes() == before


def test_review_needs_all_or_entry(project: Path, cli) -> None:
    assert cli("-C", str(project), "review", "--lang", "fr", "--by", "Ana").exit_code == 2


def test_unsign(project: Path, cli) -> None:
    cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana")
    result = cli("-C", str(project), "review", "--lang", "fr", "--all", "--unsign")
    assert result.exit_code == 0 and "34 sign-off(s) removed" in result.output
    assert "reviewed:" not in (project / FR).read_text("utf-8")


def test_edit_after_review_is_stale_in_status(project: Path, cli) -> None:
    cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana")
    po = project / FR
    po.write_text(po.read_text("utf-8").replace("ACTION URGENTE", "URGENCE"), "utf-8")
    table = cli("-C", str(project), "status", "--lang", "fr").output
    assert table.splitlines()[1].split()[2:7] == ["0", "0", "0", "33", "1"]


def test_sign_off_survives_update_msgcat_and_msgmerge(project: Path, cli) -> None:
    cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana")
    po = project / FR
    assert cli("-C", str(project), "run").exit_code == 0
    assert po.read_text("utf-8").count("# reviewed: Ana ") == 34
    msgcat = gettext_or_skip("msgcat")
    assert subprocess.run([msgcat, str(po)], capture_output=True).stdout == po.read_bytes()
    msgmerge = gettext_or_skip("msgmerge")
    pot = project / "po" / "templates" / "ua-2-19-chechnya.pot"
    subprocess.run(
        [msgmerge, "-q", "--previous", "-U", "--backup=off", str(po), str(pot)], check=True
    )
    table = cli("-C", str(project), "status", "--lang", "fr").output
    assert table.splitlines()[1].split()[2:7] == ["0", "0", "0", "34", "0"]


def test_status_formats_and_width(project: Path, cli) -> None:
    table = cli("-C", str(project), "status").output
    assert all(len(line) <= 80 for line in table.splitlines())
    assert len(table.splitlines()) == 7
    csv_text = cli("-C", str(project), "status", "--format", "csv").output
    assert csv_text.splitlines()[0].startswith("lang,document,untranslated_entries")
    out = project / "status.json"
    assert cli("-C", str(project), "status", "--format", "json", "-o", str(out)).exit_code == 0
    data = __import__("json").loads(out.read_text("utf-8"))
    ru = next(row for row in data["catalogues"] if row["lang"] == "ru")
    assert ru["entries"]["translated"] == 13 and ru["entries"]["untranslated"] == 21
    assert ru["words"]["translated"] > 0 and not ru["meets_policy"]


def test_status_unknown_doc_is_bad_input(project: Path, cli) -> None:
    result = cli("-C", str(project), "status", "--doc", "nope")
    assert result.exit_code == 2 and "no document 'nope'" in result.output


def test_status_and_check_write_nothing(project: Path, cli) -> None:
    import shutil

    shutil.rmtree(project / "po" / "templates")
    (project / "po" / "de" / "ua-2-19-chechnya.po").unlink()
    before = sorted(p for p in project.rglob("*") if ".uai18n" not in p.parts)
    de = cli("-C", str(project), "status", "--lang", "de", "--format", "csv").output.splitlines()[1]
    assert de.startswith("de,ua-2-19-chechnya,34,0,0,0,0,")
    assert cli("-C", str(project), "check", "--lang", "de").exit_code == 1
    assert sorted(p for p in project.rglob("*") if ".uai18n" not in p.parts) == before


def test_reviewer_defaults_to_git_user_name(project: Path, cli) -> None:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "config", "user.name", "Lena Müller"], check=True)
    result = cli("-C", str(project), "review", "--lang", "es", "--all")
    assert result.exit_code == 0, result.output
    assert "# reviewed: Lena Müller " in (project / "po/es/ua-2-19-chechnya.po").read_text("utf-8")
