"""The uai18n command end to end on a copy of the bundled project."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import polib
import pytest
from conftest import gettext_or_skip


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha1(path.read_bytes()).hexdigest()
        for folder in ("po", "output")
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


def test_run_builds_translated_languages_and_reports_the_rest(project: Path, cli) -> None:
    result = cli("-C", str(project), "run")
    assert result.exit_code == 0, result.output
    for lang in ("fr", "es"):
        assert (project / "output" / lang / "ua-2-19-chechnya.txt").exists()
        assert (project / "output" / lang / "ua-2-19-chechnya.html").exists()
    for lang in ("ru", "ar", "de", "pt"):
        assert (project / "po" / lang / "ua-2-19-chechnya.po").exists()
        assert not (project / "output" / lang / "ua-2-19-chechnya.txt").exists()
        assert not (project / "output" / lang / "ua-2-19-chechnya.html").exists()
    # the Russian model letter is complete: pulled alone though Russian is not built
    assert (project / "output" / "ru" / "ua-2-19-chechnya.letter.txt").exists()
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert "built" in lines["fr"] and "NOT BUILT" in lines["ar"]
    assert set(lines) == {"fr", "es", "ru", "ar", "de", "pt"}
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_second_run_changes_no_byte(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    first = _tree_digest(project)
    mtimes = {p: p.stat().st_mtime_ns for p in (project / "po").rglob("*.po")}
    assert cli("-C", str(project), "run").exit_code == 0
    assert _tree_digest(project) == first
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_rerun_without_cache_changes_no_byte(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    first = _tree_digest(project)
    shutil.rmtree(project / ".uai18n")
    assert cli("-C", str(project), "run").exit_code == 0
    assert _tree_digest(project) == first


def test_each_command_runs_on_its_own(project: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    assert cli("extract").exit_code == 0
    assert (project / "po" / "templates" / "ua-2-19-chechnya.pot").exists()
    assert cli("update", "--lang", "de").exit_code == 0
    assert (project / "po" / "de" / "ua-2-19-chechnya.po").exists()
    result = cli("build", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "output" / "fr").glob("ua-2-19-chechnya.*")) == [
        "ua-2-19-chechnya.html",
        "ua-2-19-chechnya.letter.html",
        "ua-2-19-chechnya.letter.txt",
        "ua-2-19-chechnya.txt",
    ]


def test_requested_language_below_threshold_exits_1_and_says_what_is_missing(
    project: Path, cli
) -> None:
    cli("-C", str(project), "update")
    result = cli("-C", str(project), "build", "--lang", "ru")
    assert result.exit_code == 1
    assert "not built" in result.output and "missing" in result.output and "line 1" in result.output
    assert not (project / "output" / "ru" / "ua-2-19-chechnya.txt").exists()
    assert not (project / "output" / "ru" / "ua-2-19-chechnya.html").exists()


def test_draft_builds_anyway(project: Path, cli) -> None:
    cli("-C", str(project), "update")
    result = cli("-C", str(project), "build", "--lang", "ru", "--draft")
    assert result.exit_code == 0
    text = (project / "output" / "ru" / "ua-2-19-chechnya.txt").read_text("utf-8")
    assert "DRAFT:" in text
    assert "Уважаемый" in text  # the Russian model letter is translated


def test_required_language_falling_short_fails_run(project: Path, cli) -> None:
    cli("-C", str(project), "run")
    po = project / "po" / "fr" / "ua-2-19-chechnya.po"
    catalog = polib.pofile(str(po))
    catalog[3].msgstr = ""
    catalog.save(str(po))
    result = cli("-C", str(project), "run")
    assert result.exit_code == 1
    assert not (
        project / "output" / "fr" / "ua-2-19-chechnya.html"
    ).exists()  # no stale output left


def test_fuzzy_entries_are_not_used_in_a_normal_build(project: Path, cli) -> None:
    cli("-C", str(project), "run")
    po = project / "po" / "es" / "ua-2-19-chechnya.po"
    catalog = polib.pofile(str(po))
    catalog[1].flags.append("fuzzy")
    catalog.save(str(po))
    assert cli("-C", str(project), "build", "--lang", "es").exit_code == 1


def test_pseudo_build(project: Path, cli) -> None:
    result = cli("-C", str(project), "build", "--lang", "fr", "--pseudo")
    assert result.exit_code == 0, result.output
    html = (project / "output" / "qps" / "ua-2-19-chechnya.html").read_text("utf-8")
    assert "[ÜŔĜÉÑŢ ÅÇŢÎÖÑ" in html


def test_source_change_keeps_translations_fuzzy_or_obsolete(project: Path, cli) -> None:
    cli("-C", str(project), "run")
    source = project / "source" / "ua-2-19-chechnya.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("At least 40 individuals", "At least 45 individuals"), "utf-8")
    result = cli("-C", str(project), "run")
    assert result.exit_code == 1  # fr and es now have a fuzzy entry
    catalog = polib.pofile(str(project / "po" / "fr" / "ua-2-19-chechnya.po"))
    changed = next(e for e in catalog if e.msgid.startswith("At least 45"))
    assert changed.fuzzy and changed.previous_msgid.startswith("At least 40") and changed.msgstr
    assert not any(e.msgid.startswith("At least 40") for e in catalog)  # carried, not duplicated


# --- bad input: one line, exit 2, no traceback, nothing half-written


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            lambda p: (p / "po" / "fr" / "ua-2-19-chechnya.po").write_text('msgid "x\nmsgstr ""\n'),
            "po/fr/ua-2-19-chechnya.po:1: unterminated string",
        ),
        (
            lambda p: (p / "po" / "fr" / "ua-2-19-chechnya.po").write_bytes(
                b'msgid "a"\nmsgstr "\xe9"\n'
            ),
            "po/fr/ua-2-19-chechnya.po:2: not UTF-8",
        ),
        (
            lambda p: (p / "source" / "ua-2-19-chechnya.txt").write_bytes(
                b"URGENT ACTION\ncaf\xe9\n"
            ),
            "source/ua-2-19-chechnya.txt:2: not UTF-8",
        ),
        (lambda p: (p / "source" / "ua-2-19-chechnya.txt").unlink(), "source"),
        (
            lambda p: (p / "uai18n.toml").write_text('[languages.fr]\nmin_translated = "x"\n'),
            "uai18n.toml:2: languages.fr.min_translated",
        ),
        (
            lambda p: (p / "uai18n.toml").write_text('[languages."../../etc"]\n'),
            "is not a language code",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project: Path, cli, setup, message: str) -> None:
    setup(project)
    if not any((project / "source").iterdir()):
        (project / "source").rmdir()
    result = cli("-C", str(project), "run")
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len([line for line in result.output.splitlines() if line.startswith("uai18n:")]) == 1


def test_unknown_lang_option_is_refused_before_any_path_is_built(project: Path, cli) -> None:
    for code in ("../x", "xx", "en"):
        result = cli("-C", str(project), "update", "--lang", code)
        assert result.exit_code == 2, code
        assert result.output.startswith("uai18n: --lang: ")
    assert not (project / "x").exists() and not (project / "po" / "xx").exists()


def test_broken_po_leaves_every_file_untouched(project: Path, cli) -> None:
    cli("-C", str(project), "run")
    before = _tree_digest(project)
    es = project / "po" / "es" / "ua-2-19-chechnya.po"
    es.write_text(es.read_text("utf-8") + '\nmsgid "dangling"\n', "utf-8")
    broken = _tree_digest(project)
    assert cli("-C", str(project), "run").exit_code == 2
    assert _tree_digest(project) == broken
    assert {k: v for k, v in before.items() if "es/" not in k} == {
        k: v for k, v in broken.items() if "es/" not in k
    }


def test_usage_errors_exit_2(cli) -> None:
    assert cli("frobnicate").exit_code == 2
    assert cli("-C", "/nonexistent/dir", "run").exit_code == 2


# --- GNU gettext is the reference


def test_every_catalogue_passes_msgfmt_and_survives_msgcat(project: Path, cli) -> None:
    gettext_or_skip()
    assert cli("-C", str(project), "run").exit_code == 0
    files = sorted((project / "po").rglob("*.po*"))
    assert len(files) == 7
    for path in files:
        check = subprocess.run(
            ["msgfmt", "-c", "--check-format", "-o", os.devnull, str(path)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, (path, check.stderr)
        cat = subprocess.run(["msgcat", str(path)], capture_output=True)
        assert cat.stdout == path.read_bytes(), path


def test_msgmerge_and_our_update_agree_on_keeping_work(project: Path, cli) -> None:
    """After msgmerge rewrites a catalogue, our update reads it and keeps it."""
    gettext_or_skip("msgmerge")
    cli("-C", str(project), "run")
    po = project / "po" / "fr" / "ua-2-19-chechnya.po"
    pot = project / "po" / "templates" / "ua-2-19-chechnya.pot"
    subprocess.run(
        ["msgmerge", "--previous", "-q", "-U", "--backup=off", str(po), str(pot)],
        check=True,
    )
    assert cli("-C", str(project), "run").exit_code == 0
    catalog = polib.pofile(str(po))
    assert catalog.percent_translated() == 100


def test_a_broken_field_stops_that_language_only(project: Path, cli) -> None:
    """One bad string: fr is not built (file:line and why), es still is, exit 1."""
    assert cli("-C", str(project), "build").exit_code == 0
    po = project / "po" / "fr" / "ua-2-19-chechnya.po"
    text = po.read_text("utf-8")
    assert "DATE LIMITE\u00a0: {deadline}" in text
    broken = text.replace("DATE LIMITE\u00a0: {deadline}", "DATE LIMITE\u00a0: {date}")
    po.write_text(broken, "utf-8")
    line = next(
        number
        for number, text in enumerate(broken.splitlines(), 1)
        if text.startswith("msgid") and "{deadline}" in text
    )
    result = cli("-C", str(project), "build")
    assert result.exit_code == 1
    assert f"fr/ua-2-19-chechnya: not built: po/fr/ua-2-19-chechnya.po:{line}: " in result.output
    assert "must keep the fields ['deadline']" in result.output
    assert "es/ua-2-19-chechnya: built" in result.output
    assert not (project / "output" / "fr" / "ua-2-19-chechnya.html").exists()
    assert (project / "output" / "es" / "ua-2-19-chechnya.html").exists()
    assert po.read_text("utf-8") == broken
    check = cli("-C", str(project), "check", "--lang", "fr", "--format", "json")
    assert check.exit_code == 1
    assert any(
        f["check"] == "brace-fields" and f["line"] == line
        for f in json.loads(check.output)["findings"]
    )


def test_an_edit_right_after_a_run_is_not_missed(project: Path, cli) -> None:
    """Same size, same second: the digest cache must not hide the change."""
    assert cli("-C", str(project), "run").exit_code == 0
    po = project / "po" / "fr" / "ua-2-19-chechnya.po"
    text = po.read_text("utf-8")
    po.write_text(text.replace("ACTION URGENTE", "ACTION URGENTX"), "utf-8")
    assert cli("-C", str(project), "run").exit_code == 0
    assert "ACTION URGENTX" in (project / "output" / "fr" / "ua-2-19-chechnya.txt").read_text(
        "utf-8"
    )


def test_stat_cache_is_used_for_old_files_and_dropped_when_they_change(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    old = 1_000_000_000
    for path in project.rglob("*"):
        if path.is_file() and ".uai18n" not in path.parts:
            os.utime(path, (old, old))
    assert cli("-C", str(project), "run").exit_code == 0  # records the old files' stats
    po = project / "po" / "es" / "ua-2-19-chechnya.po"
    po.write_text(po.read_text("utf-8").replace("ACCIÓN URGENTE", "ACCIÓN URGENTX"), "utf-8")
    os.utime(po, (old + 5, old + 5))
    assert cli("-C", str(project), "run").exit_code == 0
    assert "ACCIÓN URGENTX" in (project / "output" / "es" / "ua-2-19-chechnya.txt").read_text(
        "utf-8"
    )


def test_template_date_is_stable_when_a_sentence_repeats_on_one_line(project: Path, cli) -> None:
    source = project / "source" / "ua-2-19-chechnya.txt"
    text = source.read_text("utf-8")
    source.write_text(
        text.replace("tortured to death.", "tortured to death. Twice. Twice."), "utf-8"
    )
    assert cli("-C", str(project), "extract").exit_code == 0
    pot = project / "po" / "templates" / "ua-2-19-chechnya.pot"
    first = pot.read_bytes()
    shutil.rmtree(project / ".uai18n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1893456000")  # a later "now"
        assert cli("-C", str(project), "extract").exit_code == 0
    assert pot.read_bytes() == first


def test_writing_a_report_to_a_device_writes_through_it(project: Path, cli, tmp_path: Path) -> None:
    """``-o /dev/null`` must not replace the device with a file (atomic writes rename)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = cli("-C", str(project), "status", "--format", "json", "-o", str(fifo))
    reader.join(timeout=10)
    assert result.exit_code == 0
    assert fifo.is_fifo()  # still a pipe, not a regular file
    assert received and received[0].startswith(b"{")


def test_status_json_is_one_catalogue_a_line() -> None:
    from uai18n.reports import status_json
    from uai18n.status import StatusRow

    counts = {"untranslated": 1, "machine": 0, "translated": 2, "reviewed": 0, "stale": 0}
    rows = [
        StatusRow(lang, "ua-1", f"po/{lang}/ua-1.po", counts, counts, False)
        for lang in ("fr", "es")
    ]
    text = status_json(rows)
    assert [json.loads(line.strip().rstrip(",")) for line in text.splitlines()[1:-1]] == (
        json.loads(text)["catalogues"]
    )
    assert json.loads(status_json([])) == {"version": 1, "catalogues": []}


_RUN_SCRIPT = """
import gc, sys
from uai18n.cli import run
sys.argv = ["uai18n", *sys.argv[1:]]
try:
    run()
finally:
    print("frozen", gc.get_freeze_count() > 0, file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("arguments", "code"), [(["--version"], 0), (["-C", "no-such-folder", "status"], 2)]
)
def test_the_console_script_keeps_exit_codes_and_skips_the_last_collection(
    tmp_path: Path, arguments: list[str], code: int
) -> None:
    """``uai18n`` is :func:`uai18n.cli.run`: main's exit code, objects frozen at exit."""
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="uai18n")
    assert script.value == "uai18n.cli:run"
    result = subprocess.run(
        [sys.executable, "-c", _RUN_SCRIPT, *arguments],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == code, result.stderr
    assert result.stderr.endswith("frozen True\n")
