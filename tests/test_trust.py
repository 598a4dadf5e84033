"""The gate says what build will do: one entry state, one policy verdict.

Each test is a way the gate or the counts misled users before: a catalogue
judged by the entries it happens to hold rather than by its document, a
half-filled plural counted as translated, machine_text judged one way by
check and another by build.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from conftest import replace_once

from uai18n.config import LanguagePolicy
from uai18n.states import CatalogStats, State, catalog_stats, entry_state, is_suggestion
from uai18n.status import catalogue_status

SOURCE = "source/ua-2-19-chechnya.txt"
FR = "po/fr/ua-2-19-chechnya.po"


def _fr(report: dict) -> dict:
    return report["summary"]["fr"]["documents"]["ua-2-19-chechnya"]


def _check(cli, project: Path, *args: str) -> tuple[int, dict]:
    result = cli("-C", str(project), "check", "--format", "json", *args)
    return result.exit_code, json.loads(result.output)


def _status(cli, project: Path) -> dict:
    result = cli("-C", str(project), "status", "--format", "json", "--lang", "fr")
    assert result.exit_code == 0, result.output
    return next(row for row in json.loads(result.output)["catalogues"] if row["lang"] == "fr")


def test_an_edited_source_fails_check_before_update(project: Path, cli) -> None:
    """Edit one sentence, no update: check, status and build agree that fr lacks it."""
    assert _check(cli, project, "--lang", "fr")[0] == 0
    replace_once(
        project / SOURCE,
        "At least two people are reported to have",
        "At least three people are reported to have",
    )
    code, report = _check(cli, project, "--lang", "fr")
    assert code == 1
    assert any(f["check"] == "policy-translated" for f in report["findings"])
    assert _fr(report)["percent_complete"] < 100
    row = _status(cli, project)
    assert row["percent_complete"] < 100 and not row["meets_policy"]
    build = cli("-C", str(project), "build", "--lang", "fr")
    assert build.exit_code == 1 and "not built" in build.output


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: "", id="emptied"),
        pytest.param(lambda text: text[: len(text) // 3].rsplit("\n\n", 1)[0] + "\n", id="cut"),
    ],
)
def test_an_emptied_or_truncated_catalogue_counts_what_it_lacks(project: Path, cli, damage) -> None:
    po = project / FR
    po.write_text(damage(po.read_text("utf-8")), "utf-8")
    code, report = _check(cli, project, "--lang", "fr")
    assert code == 1
    assert _fr(report)["percent_complete"] < 50
    assert _fr(report)["entries"]["untranslated"] > 0
    assert _status(cli, project)["percent_complete"] < 50


def test_a_missing_catalogue_counts_every_entry_untranslated(project: Path, cli) -> None:
    (project / FR).unlink()
    code, report = _check(cli, project, "--lang", "fr")
    assert code == 1
    assert _fr(report)["percent_complete"] == 0
    assert any(f["check"] == "missing-catalogue" for f in report["findings"])


def test_machine_text_check_and_build_give_one_verdict(project: Path, cli) -> None:
    """A pre-filled suggestion with machine_text: check passes and build builds, marked."""
    po = project / FR
    catalog = polib.pofile(str(po))
    entry = next(e for e in catalog if e.msgid and "Chechen authorities" in e.msgid)
    entry.flags.append("fuzzy")
    entry.tcomment = "machine: deepl 2026-11-26"
    catalog.save(str(po))
    assert _check(cli, project, "--lang", "fr")[0] == 1
    assert cli("-C", str(project), "build", "--lang", "fr").exit_code == 1
    replace_once(project / "uai18n.toml", "[languages.fr]", "[languages.fr]\nmachine_text = true")
    code, report = _check(cli, project, "--lang", "fr")
    assert code == 0, report["findings"]
    build = cli("-C", str(project), "build", "--lang", "fr")
    assert build.exit_code == 0, build.output
    html = (project / "output" / "fr" / "ua-2-19-chechnya.html").read_text("utf-8")
    assert entry.msgstr.split()[0] in html


def _plural(*forms: str, fuzzy: bool = False) -> polib.POEntry:
    return polib.POEntry(
        msgid="one day",
        msgid_plural="{n} days",
        msgstr_plural=dict(enumerate(forms)),
        flags=["fuzzy"] if fuzzy else [],
    )


def test_a_half_filled_plural_is_untranslated_everywhere() -> None:
    half = _plural("un jour", "")
    assert entry_state(half) is State.UNTRANSLATED
    assert entry_state(_plural("un jour", "{n} jours")) is State.TRANSLATED
    catalog = polib.POFile()
    catalog.append(half)
    assert catalog_stats(catalog) == CatalogStats(0, 0, 1)
    template = polib.POFile()
    template.metadata = {"Project-Id-Version": "ua", "POT-Creation-Date": ""}
    template.append(_plural("", ""))
    row = catalogue_status(template, catalog, "fr", "ua", FR, LanguagePolicy("fr"))
    assert row.entries["untranslated"] == 1 and not row.meets_policy


def test_a_suggestion_whose_source_changed_is_no_longer_one() -> None:
    entry = polib.POEntry(msgid="a", msgstr="b", flags=["fuzzy"], tcomment="machine: x 2026-01-01")
    assert is_suggestion(entry)
    entry.previous_msgid = "an older a"
    assert not is_suggestion(entry)
    assert not is_suggestion(_plural("x", "", fuzzy=True))


def test_a_reviewer_name_with_a_line_break_is_refused(project: Path, cli) -> None:
    before = (project / FR).read_bytes()
    result = cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana\n")
    assert result.exit_code == 2
    assert result.output.startswith("uai18n: --by: ")
    assert (project / FR).read_bytes() == before


def test_unsign_removes_a_broken_sign_off_and_its_orphan_tail(project: Path, cli) -> None:
    """What `--by $'Ana\\n'` wrote before the name was checked can be taken back."""
    po = project / FR
    text = po.read_text("utf-8")
    first = text.index('\nmsgid "URGENT ACTION"')
    po.write_text(
        text[:first] + "\n# reviewed: Ana\n# 2026-12-01 sha1:0123abcd" + text[first:], "utf-8"
    )
    assert cli("-C", str(project), "status").exit_code == 2  # a malformed sign-off is reported
    result = cli("-C", str(project), "review", "--lang", "fr", "--all", "--unsign")
    assert result.exit_code == 0, result.output
    assert po.read_text("utf-8") == text
    assert cli("-C", str(project), "status").exit_code == 0


def test_unknown_check_ids_in_the_config_are_refused(project: Path, cli) -> None:
    toml = project / "uai18n.toml"
    toml.write_text(toml.read_text("utf-8") + '\n[checks]\ndisabled = ["identicall"]\n', "utf-8")
    result = cli("-C", str(project), "check")
    assert result.exit_code == 2
    assert "identicall" in result.output and result.output.startswith("uai18n: uai18n.toml")


def _refuse_reading_catalogues(monkeypatch: pytest.MonkeyPatch) -> None:
    import uai18n.pipeline
    import uai18n.po

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged catalogue was read again")

    for module in (uai18n.pipeline, uai18n.po):  # catalogues and templates
        monkeypatch.setattr(module, "read_catalog", no_reading)


def test_a_restatus_reads_no_catalogue_and_says_the_same(project: Path, cli, monkeypatch) -> None:
    first = cli("-C", str(project), "status", "--format", "json").output
    _refuse_reading_catalogues(monkeypatch)
    assert cli("-C", str(project), "status", "--format", "json").output == first
    monkeypatch.undo()
    replace_once(project / FR, 'msgstr "ACTION URGENTE"', 'msgstr ""')
    after = json.loads(cli("-C", str(project), "status", "--format", "json").output)
    fr = next(row for row in after["catalogues"] if row["lang"] == "fr")
    assert fr["entries"]["untranslated"] == 1


def test_status_counted_in_worker_processes_equals_one_process(
    project: Path, cli, monkeypatch
) -> None:
    import os

    import uai18n.pipeline

    monkeypatch.setattr(uai18n.pipeline, "PARALLEL_STATUS_MIN", 10**9)
    alone = cli("-C", str(project), "status", "--format", "json").output
    for stamps in (project / ".uai18n").glob("stamps.json"):
        stamps.unlink()
    monkeypatch.setattr(uai18n.pipeline, "PARALLEL_STATUS_MIN", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    (project / "source" / "ua-copy.txt").write_bytes((project / SOURCE).read_bytes())
    forked = json.loads(cli("-C", str(project), "status", "--format", "json").output)
    rows = [row for row in forked["catalogues"] if row["document"] != "ua-copy"]
    assert rows == json.loads(alone)["catalogues"]
    assert {row["document"] for row in forked["catalogues"]} == {"ua-2-19-chechnya", "ua-copy"}


def test_min_reviewed_stops_build_as_it_fails_check(project: Path, cli) -> None:
    replace_once(project / "uai18n.toml", "[languages.fr]", "[languages.fr]\nmin_reviewed = 50")
    code, report = _check(cli, project, "--lang", "fr")
    assert code == 1 and any(f["check"] == "policy-reviewed" for f in report["findings"])
    build = cli("-C", str(project), "build", "--lang", "fr")
    assert build.exit_code == 1 and "0% reviewed < 50%" in build.output
    assert not (project / "output" / "fr" / "ua-2-19-chechnya.html").exists()
    signed = cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana Pérez")
    assert signed.exit_code == 0, signed.output
    assert _check(cli, project, "--lang", "fr")[0] == 0
    assert cli("-C", str(project), "build", "--lang", "fr").exit_code == 0
