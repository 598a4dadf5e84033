"""``uai18n check`` keeps each catalogue's findings in the stamp record.

A re-check of an unchanged project reads no catalogue and says the same; a
change to anything a finding depends on (the catalogue, its source, the
config, the glossary, the boilerplate, a library, the code) checks that
catalogue again, and what it then says equals a check from scratch.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO, replace_once

import uai18n.gate
import uai18n.po.read

FR = "po/fr/ua-2-19-chechnya.po"
LANGS = ("ar", "de", "es", "fr", "pt", "ru")
GLOSSARY = "glossary/human-rights.csv"


def _check(cli, project: Path, *options: str) -> tuple[int, dict]:
    out = project.parent / "check.json"
    result = cli("-C", str(project), "check", "--format", "json", "-o", str(out), *options)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(out.read_text("utf-8"))


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The catalogues (and templates) read from now on, by file name."""
    read: list[str] = []
    original = uai18n.po.read.read_catalog

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        read.append(Path(path).name if Path(path).suffix == ".pot" else str(path))
        return original(path, *args, **kwargs)

    monkeypatch.setattr(uai18n.po.read, "read_catalog", counting)
    return read


def test_a_recheck_reads_no_catalogue_and_says_the_same(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(cli, project)
    assert first[1]["findings"], "the bundled project has findings to keep"
    read = _count_reads(monkeypatch)
    assert _check(cli, project) == first
    assert read == []


def test_findings_are_kept_apart_from_the_stamp_record(project: Path, cli) -> None:
    """Only check reads findings.json: status and run load stamps.json alone."""
    _check(cli, project)
    folder = project / ".uai18n"
    stamps = json.loads((folder / "stamps.json").read_text("utf-8"))["records"]
    findings = json.loads((folder / "findings.json").read_text("utf-8"))["records"]
    assert sorted(findings) == [f"check:po/{lang}/ua-2-19-chechnya.po" for lang in sorted(LANGS)]
    assert not [key for key in stamps if key.startswith(("check:", "glossary-check:"))]
    (folder / "findings.json").write_text("{damaged", "utf-8")
    status = cli("-C", str(project), "status", "--format", "json")
    assert status.exit_code == 0, status.output
    assert (folder / "findings.json").read_text("utf-8") == "{damaged"  # not even read
    assert _check(cli, project)[1]["findings"]  # a damaged record costs one full check


def test_an_edited_catalogue_alone_is_checked_again(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(cli, project)
    replace_once(project / FR, "violations des droits humains", "violations des droits de l'homme")
    read = _count_reads(monkeypatch)
    _, report = _check(cli, project)
    assert [Path(path).relative_to(project).as_posix() for path in read if "/" in path] == [FR]
    assert any(f["check"] == "glossary-deprecated" and f["file"] == FR for f in report["findings"])
    shutil.rmtree(project / ".uai18n")  # French checked anew, the rest from the record:
    assert _check(cli, project)[1] == report  # the same report


def _edit_glossary(project: Path) -> None:
    with (project / GLOSSARY).open("a", encoding="utf-8") as out:
        out.write("test-chechnya,en,Chechnya,preferred,proper noun,a test row\n")
        out.write("test-chechnya,fr,Tchétchénie,deprecated,proper noun,a test row\n")


def _edit_boilerplate(project: Path) -> None:
    """Boilerplate whose French wording differs from the catalogue's."""
    tmx = (REPO / "memory" / "boilerplate.tmx").read_text("utf-8")
    (project / "memory").mkdir(exist_ok=True)
    (project / "memory" / "boilerplate.tmx").write_text(
        tmx.replace("<seg>ACTION URGENTE</seg>", "<seg>APPEL URGENT</seg>"), "utf-8"
    )


def _edit_config(project: Path) -> None:
    replace_once(
        project / "uai18n.toml", "[languages.ar]\n", "[languages.ar]\nmin_translated = 0\n"
    )


def _edit_source(project: Path) -> None:
    replace_once(project / "source" / "ua-2-19-chechnya.txt", "URGENT ACTION", "URGENT ACTIONS")


EDITS: dict[str, Callable[[Path], None]] = {
    "glossary": _edit_glossary,
    "boilerplate": _edit_boilerplate,
    "config": _edit_config,
    "source": _edit_source,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_each_input_of_the_findings_checks_again(project: Path, cli, edit: str) -> None:
    before = _check(cli, project)
    EDITS[edit](project)
    after = _check(cli, project)
    assert after != before, "the edit changes what check says"
    shutil.rmtree(project / ".uai18n")
    assert _check(cli, project) == after  # the same as a check from scratch


def test_other_library_versions_check_everything_again(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _check(cli, project)
    monkeypatch.setattr(uai18n.gate, "library_versions", lambda: "babel=0")
    read = _count_reads(monkeypatch)
    assert _check(cli, project) == first
    assert len([path for path in read if path.endswith(".po")]) == 6


def test_the_glossary_check_keeps_its_own_record(project: Path, cli) -> None:
    replace_once(project / FR, "violations des droits humains", "violations des droits de l'homme")
    _check(cli, project)
    result = cli("-C", str(project), "glossary", "check", "--format", "json")
    findings = json.loads(result.output)["findings"]
    assert findings and all(f["check"].startswith("glossary-") for f in findings)
    _, full = _check(cli, project)
    assert {f["check"] for f in full["findings"]} > {f["check"] for f in findings}


def test_a_recheck_after_an_edit_reads_the_template_not_the_source(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first check finds the .pot is what extract would write and says so in the
    stamp record (as extract would); the source's verbatim strings are kept there too."""
    import uai18n.readers

    _check(cli, project)
    replace_once(project / FR, "violations des droits humains", "violations des droits de l'homme")

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the source was read again")

    monkeypatch.setattr(uai18n.readers, "read_document", no_reading)
    read = _count_reads(monkeypatch)
    _, report = _check(cli, project)
    assert "ua-2-19-chechnya.pot" in read
    assert any(f["check"] == "glossary-deprecated" for f in report["findings"])


def test_a_template_that_is_not_the_sources_is_not_trusted(project: Path, cli) -> None:
    pot = project / "po" / "templates" / "ua-2-19-chechnya.pot"
    replace_once(pot, 'msgid "URGENT ACTION"', 'msgid "URGENT ACTIONS"')
    before = _check(cli, project)
    assert "extract:po/templates" not in (project / ".uai18n" / "stamps.json").read_text("utf-8")
    shutil.rmtree(project / ".uai18n")
    assert _check(cli, project) == before


def test_a_recheck_after_an_edit_parses_no_tmx_and_reads_no_cldr_separators(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The boilerplate and the number separators of the first check are kept in
    the stamp record: the re-check of an edited catalogue finds the same."""
    import uai18n.boilerplate
    import uai18n.checks

    def edit() -> None:
        replace_once(
            project / FR, "violations des droits humains", "violations des droits de l'homme"
        )
        replace_once(project / FR, "meurtre de 100 hommes", "meurtre de 1\u202f000 hommes")

    _edit_boilerplate(project)
    _check(cli, project)
    edit()  # "1 000": a separator, which only CLDR tells French uses
    expected = _check(cli, project)
    (project / FR).write_bytes((REPO / FR).read_bytes())
    _check(cli, project)  # the record holds the unedited catalogue again
    edit()

    def refuse(*args: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(uai18n.boilerplate, "read_boilerplate", refuse)
    monkeypatch.setattr(uai18n.checks, "_cldr_number_symbols", refuse)
    monkeypatch.setattr(uai18n.checks, "_NUMBER_SYMBOLS", {})  # as in a new process
    assert _check(cli, project) == expected
    assert any(f["check"] == "boilerplate" for f in expected[1]["findings"])
    assert any(f["check"] == "glossary-deprecated" for f in expected[1]["findings"])
    assert any(f["check"] == "numbers" for f in expected[1]["findings"])  # 100 is not 1 000


def test_numbers_without_separators_need_no_cldr(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first check of the bundled project (its numbers are years, days and
    counts) loads no locale's separators: Babel's data takes 5-15 ms a language."""
    import uai18n.checks

    read: list[str] = []
    cldr = uai18n.checks._cldr_number_symbols

    def counting(code: str) -> tuple[frozenset[str], frozenset[str]]:
        read.append(code)
        return cldr(code)

    monkeypatch.setattr(uai18n.checks, "_cldr_number_symbols", counting)
    monkeypatch.setattr(uai18n.checks, "_NUMBER_SYMBOLS", {})
    _check(cli, project)
    assert read == []
    replace_once(project / FR, "meurtre de 100 hommes", "meurtre de 1\u202f000 hommes")
    _check(cli, project)
    assert read == ["fr"]


# A fresh clone: no stamp record, so the committed .pot is trusted only once
# the source is read and extracted again, which a forked worker does while the
# check loads the glossary (Project.read_sources_ahead).


def _count_source_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources this process reads from now on (a worker's reads not included)."""
    import uai18n.project

    read: list[str] = []
    original = uai18n.project.Project.document

    def counting(self: uai18n.project.Project, path: Path) -> object:
        read.append(path.name)
        return original(self, path)

    monkeypatch.setattr(uai18n.project.Project, "document", counting)
    return read


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})


def _stamps(project: Path) -> dict:
    return json.loads((project / ".uai18n/stamps.json").read_text("utf-8"))["records"]


def test_a_fresh_clone_s_source_is_read_by_a_worker_and_says_the_same(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch, two_cores: None, tmp_path: Path
) -> None:
    alone = tmp_path / "alone"
    shutil.copytree(project, alone)
    monkeypatch.setattr("uai18n.forked.can_fork", lambda: False)
    expected = _check(cli, alone)
    expected_stamps = _stamps(alone)
    monkeypatch.undo()

    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1})
    read = _count_source_reads(monkeypatch)
    assert _check(cli, project) == expected
    assert read == []  # the worker read it
    assert _stamps(project) == expected_stamps  # the .pot is trusted from now on
    assert "extract:po/templates/ua-2-19-chechnya.pot" in expected_stamps


def test_a_source_the_worker_cannot_read_is_the_same_one_line_error(
    project: Path, cli, two_cores: None
) -> None:
    """The worker gives up; this process reads the source and says what is wrong."""
    replace_once(project / "source/ua-2-19-chechnya.txt", "UNTIL: 17 May 2019", "UNTIL: soon")
    result = cli("-C", str(project), "check")
    assert result.exit_code == 2
    assert (
        result.output.strip()
        .splitlines()[-1]
        .startswith("uai18n: source/ua-2-19-chechnya.txt:57: cannot read the deadline date 'soon'")
    )


def test_a_stale_template_is_not_trusted_because_a_worker_read_the_source(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch, two_cores: None
) -> None:
    """An edited source the .pot does not hold yet: the check counts the
    messages the source gives (one more here), as without a worker."""
    replace_once(
        project / "source/ua-2-19-chechnya.txt",
        "UNTIL: 17 May 2019",
        "UNTIL: 17 May 2019\n\nA new paragraph no catalogue has.",
    )
    _, with_worker = _check(cli, project)
    assert not any(key.startswith("extract:") for key in _stamps(project))
    shutil.rmtree(project / ".uai18n")
    monkeypatch.setattr("uai18n.forked.can_fork", lambda: False)
    assert _check(cli, project)[1] == with_worker


def test_a_worker_that_dies_leaves_the_check_to_this_process(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch, two_cores: None, tmp_path: Path
) -> None:
    import os

    import uai18n.project

    alone = tmp_path / "alone"
    shutil.copytree(project, alone)
    expected = _check(cli, alone)

    def dying(self: object, sources: list[Path]):
        yield from ()
        os._exit(3)

    monkeypatch.setattr(uai18n.project.Project, "_read_sources", dying)
    read = _count_source_reads(monkeypatch)
    assert _check(cli, project) == expected
    assert set(read) == {"ua-2-19-chechnya.txt"}
