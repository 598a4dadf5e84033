"""The movement's fixed UA phrases: memory/boilerplate.tmx, pretranslate, the check."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from conftest import REPO
from lxml import etree

from uai18n.boilerplate import (
    BOILERPLATE_FILE,
    Boilerplate,
    Phrase,
    load_boilerplate,
    read_boilerplate,
    same_wording,
)
from uai18n.checks import CHECKS, check_entry
from uai18n.config import load_config
from uai18n.po import read_catalog
from uai18n.pretranslate.memory import tmx_files

BUNDLED = REPO / BOILERPLATE_FILE
FR = "po/fr/ua-2-19-chechnya.po"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _with_boilerplate(project: Path, data: bytes | None = None) -> Path:
    path = project / BOILERPLATE_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(BUNDLED.read_bytes() if data is None else data)
    return path


def _origin(source: str) -> str:
    """Where the bundled file keeps a segment: its <tu>'s file and line."""
    root = etree.fromstring(BUNDLED.read_bytes())
    for tu in root.iter("tu"):
        if any(seg.text == source for seg in tu.iter("seg")):
            return f"{BOILERPLATE_FILE}:{tu.sourceline}"
    raise AssertionError(source)


def _entries(project: Path, path: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in read_catalog(project / path, path) if e.msgid and not e.obsolete}


def _unit(source: str, **targets: str) -> str:
    tuvs = "".join(
        f'<tuv xml:lang="{lang}"><note>Source: test</note><seg>{text}</seg></tuv>'
        for lang, text in targets.items()
    )
    return f'<tu><tuv xml:lang="en"><seg>{source}</seg></tuv>{tuvs}</tu>'


def _tmx(*units: str) -> bytes:
    body = "\n".join(units)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n'
        '<header creationtool="test" creationtoolversion="1" datatype="plaintext" '
        'segtype="sentence" adminlang="en" srclang="en" o-tmf="TMX"/>\n'
        f"<body>\n{body}\n</body>\n</tmx>\n"
    ).encode()


# --- the bundled file ---------------------------------------------------------------


def test_bundled_boilerplate_is_valid_tmx_with_a_source_for_every_unit() -> None:
    data = BUNDLED.read_bytes()
    data.decode("utf-8")  # UTF-8, and says so
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(data)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "en"
    for attribute in ("creationtool", "creationtoolversion", "datatype", "segtype", "o-tmf"):
        assert header.get(attribute), attribute  # TMX 1.4b's required header attributes
    assert b"creationdate" not in data and b"changedate" not in data  # nothing that churns
    template = {e.msgid for e in read_catalog(REPO / "po/templates/ua-2-19-chechnya.pot", "pot")}
    tus = root.findall("body/tu")
    assert tus
    for tu in tus:
        tuvs = tu.findall("tuv")
        [english] = [tuv for tuv in tuvs if tuv.get(XML_LANG) == "en"]
        assert english.findtext("seg") in template  # a segment of the UA template, exactly
        translations = [tuv for tuv in tuvs if tuv.get(XML_LANG) != "en"]
        assert translations
        for tuv in translations:
            note = tuv.findtext("note") or ""
            assert note.startswith("Source: "), etree.tostring(tuv)
            assert "http" in note or "AI Index" in note, note
            assert (tuv.findtext("seg") or "").strip()
    boilerplate = read_boilerplate(data, BOILERPLATE_FILE, "en")
    assert boilerplate.lookup("fr", "ADDITIONAL INFORMATION").target == "COMPLÉMENT D’INFORMATION"
    assert {language for language, _ in boilerplate.phrases} <= {"fr", "es", "ru", "ar", "de", "pt"}


def test_the_bundled_catalogues_say_the_fixed_wording() -> None:
    config = load_config(REPO)
    boilerplate = load_boilerplate(config)
    assert len(boilerplate)
    for language in ("fr", "es", "ru", "ar", "de", "pt"):
        path = f"po/{language}/ua-2-19-chechnya.po"
        for entry in read_catalog(REPO / path, path):
            found = check_entry(entry, language, file=path, boilerplate=boilerplate)
            assert [f for f in found if f.check == "boilerplate"] == [], path


# --- pretranslate --------------------------------------------------------------------


def test_boilerplate_beats_every_other_memory(project: Path, cli) -> None:
    _with_boilerplate(project)
    # the catalogues' memory and a TMX memory both say it otherwise
    po = project / FR
    text = po.read_text("utf-8")
    text = text.replace(
        'msgstr "COMPLÉMENT D’INFORMATION"', 'msgstr "INFORMATIONS COMPLÉMENTAIRES"'
    )
    po.write_text(text, "utf-8")
    (project / "memory/other.tmx").write_bytes(
        _tmx(_unit("ADDITIONAL INFORMATION", fr="AUTRES INFORMATIONS"))
    )
    source = (project / "source/ua-2-19-chechnya.txt").read_text("utf-8")
    (project / "source/ua-3-19-second.txt").write_text(source, "utf-8")
    assert cli("-C", str(project), "update").exit_code == 0
    before = po.read_bytes()
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0, result.output
    assert po.read_bytes() == before  # a translated catalogue is never touched
    entries = _entries(project, "po/fr/ua-3-19-second.po")
    heading = entries["ADDITIONAL INFORMATION"]
    assert heading.msgstr == "COMPLÉMENT D’INFORMATION"
    assert heading.fuzzy  # a suggestion, like every pre-filled entry
    assert heading.tcomment == f"memory 100% from {_origin('ADDITIONAL INFORMATION')} (boilerplate)"
    banner = entries["URGENT ACTION"]
    assert banner.fuzzy and banner.tcomment.endswith("(boilerplate)")
    # what the boilerplate lacks still comes from the memory
    closing = entries["Yours sincerely,"]
    assert closing.fuzzy and closing.tcomment == f"memory 100% from {FR}"
    assert "3 from boilerplate" in result.output


def test_boilerplate_fills_exact_matches_only(project: Path, cli) -> None:
    _with_boilerplate(
        project,
        _tmx(
            _unit("ADDITIONAL INFORMATION", fr="COMPLÉMENT D’INFORMATION"),
            _unit("Yours sincerely", fr="Cordialement"),  # near "Yours sincerely,", not it
        ),
    )
    config = load_config(project)
    assert tmx_files(config) == []  # never a fuzzy memory too
    (project / FR).unlink()  # no catalogue memory: the boilerplate is all there is
    assert cli("-C", str(project), "update", "--lang", "fr").exit_code == 0
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0, result.output
    entries = _entries(project, FR)
    assert entries["ADDITIONAL INFORMATION"].msgstr == "COMPLÉMENT D’INFORMATION"
    assert entries["Yours sincerely,"].msgstr == ""
    filled = [e.msgid for e in entries.values() if e.msgstr]
    assert filled == ["ADDITIONAL INFORMATION"]


def test_a_boilerplate_suggestion_never_overwrites_a_translation(project: Path, cli) -> None:
    _with_boilerplate(project)
    po = project / FR
    text = po.read_text("utf-8")
    po.write_text(text.replace("COMPLÉMENT D’INFORMATION", "INFORMATIONS COMPLÉMENTAIRES"), "utf-8")
    before = po.read_bytes()
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0, result.output
    assert po.read_bytes() == before


@pytest.mark.parametrize(
    ("data", "line", "message"),
    [
        (b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header/>\n<body>\n<tu>\n</body>', 6, ""),
        (
            _tmx(
                _unit("URGENT ACTION", fr="ACTION URGENTE"),
                _unit("URGENT ACTION", fr="ACTION IMMÉDIATE"),
            ),
            6,
            "two fixed wordings",
        ),
        (_tmx("<tu><tuv><seg>URGENT ACTION</seg></tuv></tu>"), 5, "without xml:lang"),
    ],
)
def test_an_invalid_boilerplate_is_one_line_with_file_and_line(
    project: Path, cli, data: bytes, line: int, message: str
) -> None:
    _with_boilerplate(project, data)
    before = (project / FR).read_bytes()
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 2
    [error] = result.output.strip().splitlines()
    assert error.startswith(f"uai18n: {BOILERPLATE_FILE}:{line}: "), error
    assert message in error
    assert "Traceback" not in result.output
    assert (project / FR).read_bytes() == before


def test_check_reads_the_boilerplate_once_per_run(project: Path, monkeypatch, cli) -> None:
    """Six catalogues are checked; the TMX is read and parsed once."""
    _with_boilerplate(project)
    reads: list[str] = []
    import uai18n.boilerplate as module

    real = module.read_bytes
    monkeypatch.setattr(module, "read_bytes", lambda *a, **k: reads.append(a[1]) or real(*a, **k))
    cli("-C", str(project), "check")
    assert reads == [BOILERPLATE_FILE]


def test_no_boilerplate_file_is_no_boilerplate(project: Path) -> None:
    assert len(load_boilerplate(load_config(project))) == 0


# --- the check -----------------------------------------------------------------------

BOILERPLATE = Boilerplate(
    {("fr", "ADDITIONAL INFORMATION"): Phrase("COMPLÉMENT D’INFORMATION", "memory/b.tmx:9")}
)


def _findings(msgstr: str, tcomment: str = "", language: str = "fr", **kwargs):
    entry = polib.POEntry(msgid="ADDITIONAL INFORMATION", msgstr=msgstr, tcomment=tcomment)
    found = check_entry(entry, language, file=FR, boilerplate=BOILERPLATE, **kwargs)
    return [f for f in found if f.check == "boilerplate"]


def test_the_check_warns_on_a_differing_translation() -> None:
    [finding] = _findings("INFORMATIONS COMPLÉMENTAIRES")
    assert finding.severity == "warning" and finding.file == FR
    assert "'COMPLÉMENT D’INFORMATION'" in finding.message
    assert "memory/b.tmx:9" in finding.message


def test_the_check_is_quiet_on_the_fixed_wording() -> None:
    assert _findings("COMPLÉMENT D’INFORMATION") == []
    assert _findings("COMPLÉMENT D'INFORMATION") == []  # a straight apostrophe is the same
    assert _findings("COMPLÉMENT  D’INFORMATION") == []
    assert _findings("AUTRE CHOSE", language="es") == []  # no fixed wording in Spanish
    assert _findings("AUTRE CHOSE", tcomment="check-ok: boilerplate — house style") == []
    assert _findings("AUTRE CHOSE", disabled=frozenset({"boilerplate"})) == []
    entry = polib.POEntry(msgid="ADDITIONAL INFORMATION", msgstr="AUTRE CHOSE")
    assert [f for f in check_entry(entry, "fr") if f.check == "boilerplate"] == []


def test_the_check_is_registered_as_a_warning(cli) -> None:
    assert CHECKS["boilerplate"].severity == "warning"
    result = cli("check", "--list")
    assert any(
        line.split()[:2] == ["boilerplate", "warning"] for line in result.output.splitlines()
    )


def test_same_wording_is_exact_beyond_typography() -> None:
    assert same_wording("Señor Presidente:", "Señor Presidente:")
    assert not same_wording("Señor Presidente,", "Señor Presidente:")
    assert not same_wording("Monsieur le président,", "Monsieur le Président,")
    assert same_wording("e\u0301", "é")  # NFD and NFC


def test_check_reports_a_differing_phrase_once_per_run(project: Path, cli) -> None:
    _with_boilerplate(project)
    po = project / FR
    po.write_text(
        po.read_text("utf-8").replace("COMPLÉMENT D’INFORMATION", "INFORMATIONS COMPLÉMENTAIRES"),
        "utf-8",
    )
    result = cli("-C", str(project), "check", "--lang", "fr", "--format", "json")
    assert result.exit_code == 0, result.output  # a warning
    report = json.loads(result.output)
    [finding] = [f for f in report["findings"] if f["check"] == "boilerplate"]
    assert finding["msgid"] == "ADDITIONAL INFORMATION" and finding["severity"] == "warning"
    entry = _entries(project, FR)["ADDITIONAL INFORMATION"]
    assert finding["file"] == FR and finding["line"] == entry.msgid_line
    assert _origin("ADDITIONAL INFORMATION") in finding["message"]
    assert cli("-C", str(project), "check", "--lang", "fr", "--strict").exit_code == 1
    # the bundled catalogues pass with the bundled boilerplate
    po.write_bytes((REPO / FR).read_bytes())
    result = cli("-C", str(project), "check", "--strict", "--lang", "fr", "--lang", "es")
    assert result.exit_code == 0, result.output


def test_check_refuses_an_invalid_boilerplate_in_one_line(project: Path, cli) -> None:
    _with_boilerplate(project, b'<?xml version="1.0"?>\n<tmx version="1.4">\n<header>\n</tmx>\n')
    result = cli("-C", str(project), "check", "--lang", "fr")
    assert result.exit_code == 2
    [error] = result.output.strip().splitlines()
    assert error.startswith(f"uai18n: {BOILERPLATE_FILE}:4: "), error
