"""Reports: the gate's findings and the status rows, in the formats users read.

Findings: ``text`` (``file:line: severity: message [check]``, as compilers
write, so editors and grep understand it), ``json`` (the schema documented in
the README), ``junit`` (XML CI servers render), ``github`` (workflow
annotations). Status: ``table`` (80 columns), ``json``, ``csv``, ``html``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from uai18n.findings import Severity
from uai18n.states import STATE_VALUES, State

if TYPE_CHECKING:
    from uai18n.gate import Report
    from uai18n.status import StatusRow

JSON_SCHEMA_VERSION = 1
_STATES = list(STATE_VALUES)
#: The status table's column for each state: heading and width.
_STATE_COLUMNS: dict[State, tuple[str, int]] = {
    State.UNTRANSLATED: ("untr", 5),
    State.MACHINE: ("mach", 5),
    State.TRANSLATED: ("tran", 5),
    State.REVIEWED: ("revw", 5),
    State.STALE: ("stale", 6),
}


def _excerpt(msgid: str, width: int = 50) -> str:
    text = " ".join(msgid.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- findings ------------------------------------------------------------------------


def findings_text(report: Report) -> Iterator[str]:
    """One line per finding, then one per language and the verdict."""
    for f in report.findings:
        where = f"{f.file}:{f.line}" if f.line else f.file
        about = f' (msgid "{_excerpt(f.msgid)}")' if f.msgid else ""
        yield f"{where}: {f.severity}: {f.message}{about} [{f.check}]\n"
    for language, summary in report.summary.items():
        verdict = "FAIL" if summary.fails(report.strict) else "ok"
        role = " (required)" if summary.required else ""
        errors, warnings = summary.errors, summary.warnings
        yield f"{language}{role}: {verdict}: {errors} error(s), {warnings} warning(s)\n"
    yield "check passed\n" if report.passed else "check FAILED\n"


def findings_json(report: Report) -> Iterator[str]:
    """The documented schema, streamed one finding per line: a tree of
    10,000 catalogues can have 350,000 findings."""
    yield f'{{"version": {JSON_SCHEMA_VERSION}, "passed": {json.dumps(report.passed)},\n'
    yield ' "findings": ['
    for index, finding in enumerate(report.findings):
        yield ("\n  " if index == 0 else ",\n  ") + json.dumps(finding.__dict__, ensure_ascii=False)
    summary = {
        language: {
            "required": summary.required,
            "passed": not summary.fails(report.strict),
            "errors": summary.errors,
            "warnings": summary.warnings,
            "documents": {
                row.document: {
                    "percent_complete": round(row.percent_complete, 1),
                    "percent_reviewed": round(row.percent_reviewed, 1),
                    "entries": row.entries,
                }
                for row in summary.documents
            },
        }
        for language, summary in report.summary.items()
    }
    yield "\n ],\n"
    yield ' "summary": ' + json.dumps(summary, indent=2, ensure_ascii=False) + "}\n"


def findings_junit(report: Report) -> Iterator[str]:
    """One test suite per language, one test case per catalogue."""
    from lxml import etree  # only this format needs it

    suites = etree.Element("testsuites", name="uai18n check")
    for language, summary in report.summary.items():
        by_catalogue: dict[str, list] = {row.catalog: [] for row in summary.documents}
        for finding in report.findings:
            if finding.lang == language:
                by_catalogue.setdefault(finding.file, []).append(finding)
        failures = sum(
            1 for items in by_catalogue.values() if any(f.fails(report.strict) for f in items)
        )
        suite = etree.SubElement(
            suites, "testsuite", name=language, tests=str(len(by_catalogue)),
            failures=str(failures), errors="0",
        )  # fmt: skip
        for catalogue, items in by_catalogue.items():
            case = etree.SubElement(suite, "testcase", classname=language, name=catalogue)
            failing = [f for f in items if f.fails(report.strict)]
            if failing:
                failure = etree.SubElement(
                    case, "failure", message=f"{len(failing)} problem(s)", type=failing[0].check
                )
                failure.text = "\n".join(
                    f"{f.file}:{f.line}: {f.check}: {f.message}" for f in failing
                )
            others = [f for f in items if not f.fails(report.strict)]
            if others:
                output = etree.SubElement(case, "system-out")
                output.text = "\n".join(
                    f"{f.file}:{f.line}: {f.severity}: {f.check}: {f.message}" for f in others
                )
    yield etree.tostring(
        suites,
        encoding="unicode",
        pretty_print=True,
        doctype='<?xml version="1.0" encoding="UTF-8"?>',
    )


def findings_github(report: Report) -> Iterator[str]:
    """GitHub Actions workflow commands: one annotation per finding."""
    for f in report.findings:
        level = Severity.ERROR if f.fails(report.strict) else Severity.WARNING
        location = f"file={_gh(f.file, True)}" + (f",line={f.line}" if f.line else "")
        yield f"::{level} {location},title={_gh(f.check, True)}::{_gh(f.message, False)}\n"


def _gh(text: str, is_property: bool) -> str:
    """Escape for a workflow command (data, or property with , and : too)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


FINDINGS_FORMATS = {
    "text": findings_text,
    "json": findings_json,
    "junit": findings_junit,
    "github": findings_github,
}


# --- status --------------------------------------------------------------------------


def status_table(rows: list[StatusRow]) -> str:
    """Fits 80 columns: one line per catalogue, then one per language."""
    columns = [(state, *_STATE_COLUMNS[state]) for state in State]
    header = f"{'lang':<6}{'document':<22}"
    header += "".join(f"{name:>{width}}" for _state, name, width in columns)
    header += f"{'done%':>7}{'rev%':>6}  policy"
    lines = [header]
    for row in rows:
        document = row.document if len(row.document) <= 21 else row.document[:20] + "…"
        counts = "".join(f"{row.entries[state]:>{width}}" for state, _name, width in columns)
        verdict = "ok" if row.meets_policy else ("FAIL" if row.required else "below")
        lines.append(
            f"{row.language:<6}{document:<22}{counts}"
            f"{row.percent_complete:>7.0f}{row.percent_reviewed:>6.0f}  {verdict}"
        )
    return "\n".join(line[:80] for line in lines) + "\n"


def status_json(rows: list[StatusRow]) -> str:
    data = [
        {
            "lang": row.language,
            "document": row.document,
            "catalog": row.catalog,
            "entries": row.entries,
            "words": row.words,
            "percent_complete": round(row.percent_complete, 1),
            "percent_reviewed": round(row.percent_reviewed, 1),
            "required": row.required,
            "meets_policy": row.meets_policy,
            "policy_note": row.policy_note,
        }
        for row in rows
    ]
    # one catalogue a line, as the findings: json's C encoder writes a line,
    # its Python one (any indent) took 0.8 s of a 1.2 s re-status of 10,000
    lines = ",\n  ".join(json.dumps(row) for row in data)
    body = f"\n  {lines}\n" if data else ""
    return f'{{"version": {JSON_SCHEMA_VERSION}, "catalogues": [{body}]}}\n'


def status_csv(rows: list[StatusRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["lang", "document", *(f"{s}_entries" for s in _STATES), *(f"{s}_words" for s in _STATES),
         "percent_complete", "percent_reviewed", "required", "meets_policy", "policy_note"]
    )  # fmt: skip
    for row in rows:
        writer.writerow(
            [row.language, row.document, *(row.entries[s] for s in _STATES),
             *(row.words[s] for s in _STATES), f"{row.percent_complete:.1f}",
             f"{row.percent_reviewed:.1f}", row.required, row.meets_policy, row.policy_note]
        )  # fmt: skip
    return out.getvalue()
