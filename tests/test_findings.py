"""The one vocabulary of findings: severities, check ids, the JSON shape."""

from __future__ import annotations

import dataclasses
import json

import polib

from uai18n import checks, gate
from uai18n.findings import CheckInfo, Finding, Severity, entry_line, registry
from uai18n.glossary.check import GLOSSARY_CHECKS
from uai18n.glossary.lint import LintProblem


def test_severity_reads_and_serializes_as_the_plain_strings() -> None:
    assert [str(severity) for severity in Severity] == ["error", "warning"]
    assert Severity("error") is Severity.ERROR and Severity.WARNING == "warning"
    assert json.dumps({"severity": Severity.ERROR}) == '{"severity": "error"}'
    assert f"{Severity.WARNING:<8}|" == "warning |"


def test_finding_fields_are_the_json_schema_in_order() -> None:
    names = [field.name for field in dataclasses.fields(Finding)]
    assert names == ["file", "line", "lang", "msgid", "check", "severity", "message"]


def test_a_finding_fails_when_it_is_an_error_or_strict() -> None:
    error = Finding("po/fr/ua.po", 3, "fr", "Hi", "tags", Severity.ERROR, "m")
    warning = dataclasses.replace(error, check="identical", severity=Severity.WARNING)
    assert error.fails(strict=False) and error.fails(strict=True)
    assert not warning.fails(strict=False) and warning.fails(strict=True)


def test_every_registry_speaks_severity_and_check_ids_lists_them_all() -> None:
    infos = [*gate.GATE_CHECKS.values(), *checks.CHECKS.values(), *GLOSSARY_CHECKS.values()]
    assert all(isinstance(info, CheckInfo) for info in infos)
    assert all(isinstance(info.severity, Severity) for info in infos)
    listed = gate.check_ids()
    assert list(listed) == [info.id for info in infos]
    assert listed["tags"] == (Severity.ERROR, checks.CHECKS["tags"].description)
    assert listed["glossary-missing"][0] is Severity.WARNING


def test_registry_keeps_the_order_given() -> None:
    second, first = CheckInfo("b", Severity.ERROR, "B"), CheckInfo("a", Severity.WARNING, "A")
    assert list(registry(second, first)) == ["b", "a"]


def test_entry_line_prefers_the_msgid_line() -> None:
    entry = polib.POEntry(msgid="x", msgstr="y", linenum=7)
    assert entry_line(entry) == 7
    entry.msgid_line = 9
    assert entry_line(entry) == 9


def test_lint_problems_share_the_severity() -> None:
    problem = LintProblem("glossary/a.csv", 4, Severity.WARNING, "duplicate")
    assert str(problem) == "glossary/a.csv:4: warning: duplicate"
