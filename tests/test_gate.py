"""uai18n check: the CI gate on a copy of the bundled project."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import gettext_or_skip, replace_once
from lxml import etree

FR = "po/fr/ua-2-19-chechnya.po"


def _edit(project: Path, old: str, new: str, path: str = FR) -> None:
    replace_once(project / path, old, new)


def _line_of(project: Path, needle: str, path: str = FR) -> int:
    lines = (project / path).read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if needle in line)


def test_bundled_project_passes_required_languages(project: Path, cli) -> None:
    result = cli("-C", str(project), "check")
    assert result.exit_code == 0, result.output
    assert "fr (required): ok" in result.output and "es (required): ok" in result.output
    assert "ru: FAIL" in result.output  # reported, not required
    assert result.output.rstrip().endswith("check passed")


def test_requested_language_that_fails_exits_1(project: Path, cli) -> None:
    result = cli("-C", str(project), "check", "--lang", "ru")
    assert result.exit_code == 1
    assert "[policy-translated]" in result.output


def test_broken_field_is_an_error_at_the_msgid_line(project: Path, cli) -> None:
    _edit(project, "DATE LIMITE\u00a0: {deadline}", "DATE LIMITE\u00a0: {date}")
    result = cli("-C", str(project), "check")
    assert result.exit_code == 1
    line = _line_of(project, 'msgid "PLEASE TAKE ACTION')
    assert f"{FR}:{line}: error:" in result.output
    assert "[brace-fields]" in result.output


def test_changed_number_is_a_warning_failing_only_with_strict(project: Path, cli) -> None:
    _edit(project, "Au moins 40 personnes", "Au moins 41 personnes")
    result = cli("-C", str(project), "check", "--lang", "fr")
    assert "[numbers]" in result.output
    assert result.exit_code == 0
    assert cli("-C", str(project), "check", "--lang", "fr", "--strict").exit_code == 1


def test_stale_review_fails(project: Path, cli) -> None:
    cli("-C", str(project), "review", "--lang", "fr", "--all", "--by", "Ana")
    _edit(project, "ACTION URGENTE", "URGENCE")
    result = cli("-C", str(project), "check")
    assert result.exit_code == 1 and "[stale-review]" in result.output


def test_entry_suppression_and_project_switch(project: Path, cli) -> None:
    _edit(project, "DATE LIMITE\u00a0: {deadline}", "DATE LIMITE\u00a0: {date}")
    _edit(
        project,
        'msgid "PLEASE TAKE ACTION',
        '# check-ok: brace-fields \u2014 testing suppression\nmsgid "PLEASE TAKE ACTION',
    )
    assert cli("-C", str(project), "check").exit_code == 0
    _edit(project, "# check-ok: brace-fields \u2014 testing suppression\n", "")
    config = project / "uai18n.toml"
    config.write_text(config.read_text() + '\n[checks]\ndisabled = ["brace-fields"]\n')
    assert cli("-C", str(project), "check").exit_code == 0


def test_json_schema(project: Path, cli) -> None:
    _edit(project, "DATE LIMITE\u00a0: {deadline}", "DATE LIMITE\u00a0: {date}")
    out = project / "report.json"
    result = cli("-C", str(project), "check", "--format", "json", "-o", str(out))
    assert result.exit_code == 1 and result.output == ""
    data = json.loads(out.read_text("utf-8"))
    assert data["version"] == 1 and data["passed"] is False
    finding = next(f for f in data["findings"] if f["check"] == "brace-fields")
    assert set(finding) >= {"file", "line", "lang", "msgid", "check", "severity", "message"}
    assert finding["file"] == FR and finding["lang"] == "fr" and finding["severity"] == "error"
    assert finding["msgid"].startswith("PLEASE TAKE ACTION")
    assert data["summary"]["fr"]["errors"] >= 1 and data["summary"]["fr"]["required"] is True
    assert data["summary"]["es"]["passed"] is True


def test_junit_and_github_formats(project: Path, cli) -> None:
    _edit(project, "DATE LIMITE\u00a0: {deadline}", "DATE LIMITE\u00a0: {date}")
    junit = cli("-C", str(project), "check", "--format", "junit").output
    root = etree.fromstring(junit.encode("utf-8"))
    fr = root.find("testsuite[@name='fr']")
    assert fr is not None and fr.get("failures") == "1"
    assert fr.find("testcase/failure").get("type") == "brace-fields"
    github = cli("-C", str(project), "check", "--format", "github").output
    line = _line_of(project, 'msgid "PLEASE TAKE ACTION')
    assert f"::error file={FR},line={line},title=brace-fields::" in github


def test_check_list_names_every_check(cli) -> None:
    listed = cli("check", "--list").output
    for check_id in ("brace-fields", "numbers", "stale-review", "policy-translated", "handles"):
        assert check_id in listed


def test_unparsable_catalogue_is_bad_input(project: Path, cli) -> None:
    _edit(project, 'msgid "URGENT ACTION"', 'msgid "URGENT ACTION')
    result = cli("-C", str(project), "check")
    assert result.exit_code == 2 and "unterminated string" in result.output


def test_policy_naming_unknown_language_is_bad_input(project: Path, cli) -> None:
    config = project / "uai18n.toml"
    config.write_text(config.read_text() + "\n[languages.zz]\nrequired = true\n")
    result = cli("-C", str(project), "check")
    assert result.exit_code == 2 and "unknown language code 'zz'" in result.output


def test_bundled_translations_pass_even_strict(project: Path, cli) -> None:
    result = cli("-C", str(project), "check", "--lang", "fr", "--lang", "es", "--strict")
    assert result.exit_code == 0, result.output


def test_malformed_sign_off_is_bad_input_and_nothing_is_rewritten(project: Path, cli) -> None:
    _edit(project, "#. banner\n", "#. banner\n# reviewed: Ana yesterday\n")
    before = (project / FR).read_bytes()
    for command in (("check",), ("status",), ("review", "--lang", "fr", "--all", "--by", "Ana")):
        result = cli("-C", str(project), *command)
        assert result.exit_code == 2, command
        assert f"{FR}:" in result.output and "malformed sign-off" in result.output
        assert (project / FR).read_bytes() == before


def test_newline_mismatch_is_found_as_msgfmt_finds_it(project: Path, cli) -> None:
    _edit(project, 'msgstr "ACTION URGENTE"', 'msgstr "ACTION URGENTE\\n"')
    result = cli("-C", str(project), "check", "--lang", "fr")
    assert result.exit_code == 1 and "[msgfmt-newlines]" in result.output
    msgfmt = gettext_or_skip("msgfmt")
    checked = subprocess.run(
        [msgfmt, "-c", "-o", os.devnull, str(project / FR)], capture_output=True, text=True
    )
    assert checked.returncode != 0 and "\\n" in checked.stderr
