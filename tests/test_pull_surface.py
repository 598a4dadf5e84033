"""What section offices pull (issue 13): output/index.html, output/<lang>/index.html,
output/<lang>/feed.xml and output/manifest.json, as ``build`` and ``run`` write them.

The feeds are validated against RFC 4287's RELAX NG schema (Appendix B,
``tests/data/atom.rng``) and the rules of the RFC that the schema leaves to
Schematron or prose. The pages are opened in headless Chromium with
JavaScript off (skipped without it, except with ``UAI18N_REQUIRE_BROWSER=1``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import replace_once
from lxml import etree
from lxml import html as lxml_html
from test_dashboard import CHROMIUM, CHROMIUM_ARGS, _playwright_or_skip

from uai18n.config import load_config
from uai18n.errors import UserError
from uai18n.letters import LETTER_ENDINGS, covered_letter_languages
from uai18n.locales import format_languages
from uai18n.project import Project
from uai18n.writers import pull
from uai18n.writers.pull import PullFile, PullRecord, Surface

DOC = "ua-2-19-chechnya"
LANGUAGES = ["fr", "es", "ru", "ar", "de", "pt"]
ATOM = "{http://www.w3.org/2005/Atom}"
RNG = Path(__file__).resolve().parent / "data" / "atom.rng"
#: RFC 3339 date-time (section 5.6), as RFC 4287 section 3.3 requires it
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
NEXT_DAY = "1764237600"  # 2025-11-27 10:00 UTC: the conftest's epoch + one day


def _pulled(root: Path) -> list[str]:
    """The languages with a file to pull (and so pages of their own)."""
    manifest = _manifest(root)
    return [code for code in LANGUAGES if any(_record(manifest, code)["files"] for _ in [0])]


def _surface_files(root: Path) -> list[Path]:
    output = root / "output"
    files = [output / "manifest.json", output / "index.html"]
    for language in _pulled(root):
        files += [output / language / "index.html", output / language / "feed.xml"]
    return files


def _manifest(root: Path) -> dict:
    return json.loads((root / "output" / "manifest.json").read_text("utf-8"))


def _record(manifest: dict, language: str, document: str = DOC) -> dict:
    (found,) = [
        r for r in manifest["records"] if r["language"] == language and r["document"] == document
    ]
    return found


@pytest.fixture
def built(project: Path, cli) -> Path:
    result = cli("-C", str(project), "run")
    assert result.exit_code == 0, result.output
    return project


# --- the manifest ----------------------------------------------------------------------------


def test_run_writes_every_pull_file(built: Path) -> None:
    assert {"fr", "es"} <= set(_pulled(built))
    for path in _surface_files(built):
        assert path.is_file(), path
    for language in set(LANGUAGES) - set(_pulled(built)):  # nothing to pull, no folder
        assert not (built / "output" / language).exists()


def test_a_language_with_nothing_left_to_pull_loses_its_pages(built: Path, cli) -> None:
    replace_once(built / "uai18n.toml", "[languages.es]\n", "[languages.es]\nmin_reviewed = 50\n")
    assert cli("-C", str(built), "run").exit_code == 1  # es is required
    es = _record(_manifest(built), "es")
    assert es["state"] == "not-built"
    assert es["files"] == []  # min_reviewed holds back the es letter too (nothing reviewed)
    assert not (built / "output" / "es").exists()
    page = lxml_html.parse(str(built / "output" / "index.html")).getroot()
    assert not page.xpath("//a[starts-with(@href, 'es/')]")


def test_manifest_records_every_document_and_language(built: Path, cli) -> None:
    text = (built / "output" / "manifest.json").read_text("utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    manifest = json.loads(text)
    assert text == json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert manifest["version"] == 1
    assert manifest["languages"] == LANGUAGES
    assert manifest["content_changed"] == "2025-11-26"  # SOURCE_DATE_EPOCH's day
    assert manifest["judged_on"] == "2025-11-26"
    assert [(r["document"], r["language"]) for r in manifest["records"]] == [
        (DOC, language) for language in LANGUAGES
    ]
    status = json.loads(cli("-C", str(built), "status", "--format", "json").output)
    rows = {(row["lang"], row["document"]): row for row in status["catalogues"]}
    for record in manifest["records"]:
        assert record["deadline"] == "2019-05-17"
        assert record["past_deadline"] is True
        assert record["preferred_languages"] == ["ru", "en"]
        assert record["title"] == "HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES"
        row = rows[(record["language"], record["document"])]  # the status rows' numbers
        assert record["percent_complete"] == row["percent_complete"]
        assert record["percent_reviewed"] == row["percent_reviewed"]
        assert record["required"] == row["required"]
        for file in record["files"]:
            data = (built / "output" / file["path"]).read_bytes()
            assert file["sha256"] == hashlib.sha256(data).hexdigest()
            assert file["size"] == len(data)
    fr = _record(manifest, "fr")
    assert fr["state"] == "ready" and fr["required"] is True and fr["note"] == ""
    assert fr["percent_complete"] == 100.0
    paths = [file["path"] for file in fr["files"]]
    assert paths[:2] == [f"fr/{DOC}.txt", f"fr/{DOC}.html"]
    assert all(path.endswith(LETTER_ENDINGS) for path in paths[2:])  # then the letter files
    ru = _record(manifest, "ru")
    assert ru["state"] == "not-built"
    assert all(file["path"].endswith(LETTER_ENDINGS) for file in ru["files"])
    assert ru["percent_complete"] == 38.2
    assert ru["note"].startswith("38% translated < 100%")


def test_draft_builds_are_marked_draft(project: Path, cli) -> None:
    assert cli("-C", str(project), "run", "--draft").exit_code == 0
    manifest = _manifest(project)
    ru = _record(manifest, "ru")
    assert ru["state"] == "draft"
    assert [f["path"] for f in ru["files"]][:2] == [f"ru/{DOC}.txt", f"ru/{DOC}.html"]
    assert ru["note"].startswith("38% translated")
    assert _record(manifest, "fr")["state"] == "ready"


def test_a_build_of_one_language_keeps_every_language_on_the_surface(built: Path, cli) -> None:
    before = {path: path.read_bytes() for path in _surface_files(built)}
    assert cli("-C", str(built), "build", "--lang", "fr").exit_code == 0
    assert {path: path.read_bytes() for path in _surface_files(built)} == before


# --- byte-stable, and past deadline ----------------------------------------------------------


def test_unchanged_rerun_the_next_day_writes_nothing(
    built: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _surface_files(built)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NEXT_DAY)
    assert cli("-C", str(built), "run").exit_code == 0
    assert cli("-C", str(built), "build").exit_code == 0
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in files} == before
    # the stamp record lost, the same bytes still: the day is the manifest's
    for stamp in (built / ".uai18n").iterdir():
        stamp.unlink()
    assert cli("-C", str(built), "run").exit_code == 0
    assert {path: path.read_bytes() for path in files} == {p: b for p, (b, _) in before.items()}


def test_an_unchanged_rerun_renders_nothing(
    built: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("rendered on an unchanged rerun")

    for name in ("render_manifest", "render_index", "render_language_index", "render_feed"):
        monkeypatch.setattr(pull, name, refuse)
    assert cli("-C", str(built), "run").exit_code == 0
    (built / "output" / "index.html").write_text("edited by hand", "utf-8")
    monkeypatch.undo()
    assert cli("-C", str(built), "run").exit_code == 0  # an edited pull file is written again
    assert (built / "output" / "index.html").read_text("utf-8").startswith("<!DOCTYPE html>")


def test_a_content_change_records_the_day_it_changed(
    built: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_once(
        built / "po" / "fr" / f"{DOC}.po",
        'msgstr "LA RÉPRESSION HOMOPHOBE REPREND EN TCHÉTCHÉNIE"',
        'msgstr "LA RÉPRESSION HOMOPHOBE A REPRIS EN TCHÉTCHÉNIE"',
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NEXT_DAY)
    assert cli("-C", str(built), "run").exit_code == 0
    manifest = _manifest(built)
    assert manifest["content_changed"] == "2025-11-27"
    assert manifest["judged_on"] == "2025-11-27"
    html = (built / "output" / "fr" / f"{DOC}.html").read_bytes()
    (fr_html,) = [f for f in _record(manifest, "fr")["files"] if f["path"] == f"fr/{DOC}.html"]
    assert fr_html["sha256"] == hashlib.sha256(html).hexdigest()


def test_today_option_judges_the_deadline(built: Path, cli) -> None:
    def past(today: str) -> dict[str, bool]:
        result = cli("-C", str(built), "build", "--today", today)
        assert result.exit_code == 0, result.output
        manifest = _manifest(built)
        assert manifest["judged_on"] == today
        assert manifest["content_changed"] == "2025-11-26"  # the content did not change
        return {record["language"]: record["past_deadline"] for record in manifest["records"]}

    assert set(past("2019-05-01").values()) == {False}
    assert set(past("2019-05-17").values()) == {False}  # the deadline day is still open
    page = lxml_html.parse(str(built / "output" / "index.html")).getroot()
    assert not page.xpath("//tbody//*[@class='past']")
    assert page.xpath("//tbody/tr")[0].get("class") == "open"
    assert set(past("2019-05-18").values()) == {True}
    page = lxml_html.parse(str(built / "output" / "fr" / "index.html")).getroot()
    assert page.xpath("//tbody/tr")[0].get("class") == "past-deadline"
    assert "past deadline" in page.xpath("//td[@class='deadline']")[0].text_content()
    feed = etree.parse(str(built / "output" / "fr" / "feed.xml"))
    assert feed.xpath("//a:category/@term", namespaces={"a": ATOM[1:-1]}) == [
        "ready",
        "past-deadline",
    ]
    # without --today: judged against the day the content last changed again
    assert cli("-C", str(built), "build").exit_code == 0
    assert _manifest(built)["judged_on"] == "2025-11-26"


@pytest.mark.parametrize("value", ["2019-5-1", "20190501", "2019-02-30", "tomorrow", ""])
def test_today_must_be_a_date_written_yyyy_mm_dd(project: Path, cli, value: str) -> None:
    for command in ("build", "run"):
        result = cli("-C", str(project), command, "--today", value)
        assert result.exit_code == 2
        assert "YYYY-MM-DD" in result.output
    assert not (project / "output" / "manifest.json").exists()


# --- the pages -------------------------------------------------------------------------------


def _links(page_path: Path) -> list[Path]:
    """Every link of a page, resolved to the file it names; no link leaves output/."""
    page = lxml_html.parse(str(page_path)).getroot()
    targets = []
    for element in page.xpath("//*[@href] | //*[@src]"):
        href = element.get("href") or element.get("src")
        parts = urlsplit(href)
        assert not parts.scheme and not parts.netloc, href
        targets.append((page_path.parent / unquote(parts.path)).resolve())
    return targets


def test_index_is_static_and_every_link_works(built: Path) -> None:
    output = built / "output"
    pages = [output / "index.html"] + [output / code / "index.html" for code in _pulled(built)]
    for page_path in pages:
        text = page_path.read_text("utf-8")
        assert text.startswith("<!DOCTYPE html>")
        page = lxml_html.document_fromstring(text)
        assert not page.xpath("//script | //iframe | //img | //object | //form")
        assert not [
            name for element in page.iter() for name in element.attrib if name.startswith("on")
        ]
        for target in _links(page_path):
            assert target.is_file(), (page_path, target)
            assert output.resolve() in target.parents


def test_index_shows_documents_by_languages(built: Path) -> None:
    page = lxml_html.parse(str(built / "output" / "index.html")).getroot()
    assert page.get("lang") == "en"
    assert [th.get("data-language") for th in page.xpath("//thead//th[@data-language]")] == (
        LANGUAGES
    )
    (row,) = page.xpath("//tbody/tr")
    assert row.get("data-document") == DOC
    assert "May 17, 2019" in row.xpath("./td[@class='deadline']")[0].text_content()
    assert row.xpath("./td[@class='deadline']/time")[0].get("datetime") == "2019-05-17"
    cells = {td.get("data-language"): td for td in row.xpath("./td[@data-language]")}
    assert list(cells) == LANGUAGES
    assert cells["fr"].get("data-state") == "ready"
    text = " ".join(cells["fr"].text_content().split())
    assert "100% translated · 0% reviewed" in text
    links = [(a.text, a.get("href")) for a in cells["fr"].xpath(".//a")]
    assert links[:2] == [("txt", f"fr/{DOC}.txt"), ("html", f"fr/{DOC}.html")]
    assert all(text.startswith("letter.") for text, _ in links[2:])  # the model letter alone
    assert cells["ru"].get("data-state") == "not-built"
    assert all(a.text.startswith("letter.") for a in cells["ru"].xpath(".//a"))
    assert "38% translated" in cells["ru"].text_content()
    feeds = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']")
    assert [link.get("href") for link in feeds] == [f"{code}/feed.xml" for code in _pulled(built)]


def test_language_pages_speak_their_language_where_cldr_can(project: Path, cli) -> None:
    assert cli("-C", str(project), "run", "--draft").exit_code == 0  # every language built
    output = project / "output"
    fr = lxml_html.parse(str(output / "fr" / "index.html")).getroot()
    assert fr.get("lang") == "fr" and fr.get("dir") == "ltr"
    assert fr.findtext(".//title") == "Urgent Actions: français"
    assert fr.xpath("//td[@class='deadline']/time")[0].text == "17 mai 2019"
    assert fr.xpath("//td[@class='preferred']")[0].text == "russe et anglais"
    assert fr.xpath("//strong[@class='complete']")[0].text == "100\xa0%"  # CLDR's fr percent
    # the labels CLDR has no word for are English, and say so
    assert all(th.xpath("./span[@lang='en']") for th in fr.xpath("//thead//th"))
    assert [a.get("href") for a in fr.xpath("//td[@data-state]//a")][:2] == [
        f"{DOC}.txt",
        f"{DOC}.html",
    ]
    ar = lxml_html.parse(str(output / "ar" / "index.html")).getroot()
    assert ar.get("lang") == "ar" and ar.get("dir") == "rtl"
    assert ar.findtext(".//caption") == "العربية"
    assert "مايو" in ar.xpath("//td[@class='deadline']/time")[0].text
    es = lxml_html.parse(str(output / "es" / "index.html")).getroot()
    assert es.xpath("//td[@class='preferred']")[0].text == "ruso e inglés"


# --- the feeds -------------------------------------------------------------------------------


def _atom_problems(feed: etree._ElementTree) -> list[str]:
    """What RFC 4287 requires beyond its RELAX NG schema (Schematron rules, prose)."""
    problems = []
    schema = etree.RelaxNG(etree.parse(str(RNG)))
    if not schema.validate(feed):
        problems.append(f"RELAX NG: {schema.error_log}")
    root = feed.getroot()
    if root.tag != f"{ATOM}feed":
        return [*problems, f"root is {root.tag}"]
    entries = root.findall(f"{ATOM}entry")
    for element in [root, *entries]:
        name = element.tag.removeprefix(ATOM)
        for child in ("id", "title", "updated"):
            if len(element.findall(f"{ATOM}{child}")) != 1:
                problems.append(f"{name} must have exactly one {child}")
        for date in element.iterfind(f"{ATOM}updated"):
            if not RFC3339.fullmatch(date.text or ""):
                problems.append(f"{name} updated {date.text!r} is not RFC 3339")
        alternates = [
            (link.get("type"), link.get("hreflang"))
            for link in element.findall(f"{ATOM}link")
            if link.get("rel", "alternate") == "alternate"
        ]
        if len(alternates) != len(set(alternates)):
            problems.append(f"{name}: two alternate links with one type and hreflang")
        (ident,) = element.findall(f"{ATOM}id") or [None]
        if ident is not None and not re.fullmatch(r"[a-zA-Z][a-zA-Z0-9+.-]*:\S+", ident.text or ""):
            problems.append(f"{name} id {ident.text!r} is not an absolute IRI")
    if root.find(f"{ATOM}author") is None and any(
        entry.find(f"{ATOM}author") is None for entry in entries
    ):
        problems.append("a feed without author has an entry without author")
    for entry in entries:
        has_alternate = any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{ATOM}link")
        )
        if not has_alternate and entry.find(f"{ATOM}content") is None:
            problems.append("an entry without alternate link or content")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    if len(ids) != len(set(ids)):
        problems.append("two entries with one id")
    return problems


def test_rules_catch_broken_feeds() -> None:
    """The checks themselves: each broken feed is refused."""
    good = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:uuid:1</id><title>t</title>'
        "<updated>2019-01-01T00:00:00Z</updated><author><name>a</name></author>{}</feed>"
    )
    entry = (
        "<entry><id>urn:uuid:2</id><title>t</title><updated>{}</updated>"
        '<link rel="alternate" href="x.html"/></entry>'
    )
    assert _atom_problems(etree.ElementTree(etree.fromstring(good.format("")))) == []
    broken = [
        good.replace("<id>urn:uuid:1</id>", ""),
        good.replace("2019-01-01T00:00:00Z", "2019-01-01"),
        good.replace("2019-01-01T00:00:00Z", "2019-01-01T00:00Z"),
        good.format(entry.format("2019-01-01 00:00:00Z")),
        good.replace("<author><name>a</name></author>", "").format(
            entry.format("2019-01-01T00:00:00Z")
        ),
        good.format(entry.format("2019-01-01T00:00:00Z").replace('rel="alternate" ', 'rel="x" ')),
        good.format(entry.format("2019-01-01T00:00:00Z") * 2),
        good.format("").replace("</title>", "</title><updated>2019-01-01T00:00:00Z</updated>"),
    ]
    for text in broken:
        assert _atom_problems(etree.ElementTree(etree.fromstring(text))), text


def test_every_feed_is_valid_atom(built: Path) -> None:
    for language in _pulled(built):
        path = built / "output" / language / "feed.xml"
        assert path.read_bytes().startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
        feed = etree.parse(str(path))
        assert _atom_problems(feed) == [], language
        assert feed.getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == language


def test_feed_entries_link_the_built_files_with_content_dates(built: Path) -> None:
    feed = etree.parse(str(built / "output" / "fr" / "feed.xml")).getroot()
    (entry,) = feed.findall(f"{ATOM}entry")
    # PO-Revision-Date: 2026-11-26 12:00+0000 is newer than POT-Creation-Date 10:42
    assert entry.findtext(f"{ATOM}updated") == "2026-11-26T12:00:00Z"
    assert feed.findtext(f"{ATOM}updated") == "2026-11-26T12:00:00Z"
    assert entry.findtext(f"{ATOM}id") == pull.entry_id(DOC, "fr")
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", entry.findtext(f"{ATOM}id"))
    links = [
        (link.get("rel"), link.get("type"), link.get("href"))
        for link in entry.findall(f"{ATOM}link")
    ]
    assert links[:2] == [
        ("alternate", "text/plain", f"{DOC}.txt"),
        ("alternate", "text/html", f"{DOC}.html"),
    ]
    assert all(rel == "related" and ".letter." in href for rel, _, href in links[2:])
    for link in entry.findall(f"{ATOM}link"):
        target = built / "output" / "fr" / link.get("href")
        assert int(link.get("length")) == target.stat().st_size


def test_a_feed_without_entries_is_still_valid() -> None:
    surface = _evil_surface()
    feed = etree.fromstring(pull.render_feed(surface, "de"))
    assert _atom_problems(etree.ElementTree(feed)) == []
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == pull.UNKNOWN_TIME


def test_entry_time_follows_the_catalogue_never_the_clock(
    built: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    replace_once(
        built / "po" / "fr" / f"{DOC}.po",
        "PO-Revision-Date: 2026-11-26 12:00+0000",
        "PO-Revision-Date: 2027-03-04 05:06+0200",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NEXT_DAY)
    assert cli("-C", str(built), "build").exit_code == 0
    feed = etree.parse(str(built / "output" / "fr" / "feed.xml")).getroot()
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}updated") == "2027-03-04T03:06:00Z"
    assert _record(_manifest(built), "fr")["updated"] == "2027-03-04T03:06:00Z"
    # the entry keeps its id as it is updated
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}id") == pull.entry_id(DOC, "fr")


def test_header_dates() -> None:
    header = (
        b'msgid ""\nmsgstr ""\n"POT-Creation-Date: 2026-11-26 10:42+0000\\n"\n'
        b'"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n\n'
        b'msgid "x"\nmsgstr ""\n"PO-Revision-Date: 2030-01-01 00:00+0000\\n"\n'
    )
    assert [pull.rfc3339(d) for d in pull.header_dates(header)] == ["2026-11-26T10:42:00Z"]
    seconds = b'"PO-Revision-Date: 2019-05-01 12:00:30-0130\\n"\n'
    assert [pull.rfc3339(d) for d in pull.header_dates(seconds)] == ["2019-05-01T13:30:30Z"]


# --- a catalogue that cannot be read -------------------------------------------------------


def test_an_unreadable_catalogue_leaves_its_cell_unreadable(project: Path, cli) -> None:
    po = project / "po" / "de" / f"{DOC}.po"
    po.write_text(po.read_text("utf-8") + '\nmsgid "unterminated\n', "utf-8")
    result = cli("-C", str(project), "build")
    assert result.exit_code == 2
    manifest = _manifest(project)
    de = _record(manifest, "de")
    assert de["state"] == "unreadable" and de["percent_complete"] is None
    assert _record(manifest, "fr")["state"] == "ready"
    page = lxml_html.parse(str(project / "output" / "index.html")).getroot()
    (cell,) = page.xpath("//td[@data-language='de']")
    assert "catalogue unreadable" in cell.text_content()


def test_an_unreadable_catalogue_leaves_the_surface_as_it_was(built: Path, cli) -> None:
    """Its outputs are left as they were (the build touches nothing of it), so is its record."""
    before = {path: path.read_bytes() for path in _surface_files(built)}
    es = built / "po" / "es" / f"{DOC}.po"
    es.write_text(es.read_text("utf-8") + '\nmsgid "dangling"\n', "utf-8")
    assert cli("-C", str(built), "run").exit_code == 2
    assert {path: path.read_bytes() for path in _surface_files(built)} == before


# --- letters ---------------------------------------------------------------------------------


def test_letter_languages_are_the_letters_stage_answer(built: Path) -> None:
    project = Project(load_config(built))
    (source,) = project.sources()
    manifest = _manifest(built)
    for language in LANGUAGES:
        expected = covered_letter_languages(project, source, language)
        assert _record(manifest, language)["letter_languages"] == expected
        for ending in LETTER_ENDINGS:  # a letter file there is listed, with its digest
            path = built / "output" / language / f"{DOC}{ending}"
            listed = [f for f in _record(manifest, language)["files"] if f["path"].endswith(ending)]
            assert bool(listed) == path.is_file()
    fr = _record(manifest, "fr")["letter_languages"]
    page = lxml_html.parse(str(built / "output" / "fr" / "index.html")).getroot()
    cell = page.xpath("//td[@class='letters']")[0].text
    assert cell == (format_languages(tuple(fr), "fr") if fr else "–")


def test_a_letters_error_claims_no_letter(monkeypatch: pytest.MonkeyPatch, built: Path) -> None:
    def unreadable(project, source, language):
        raise UserError("bad catalogue", "po/ru/x.po", 3)

    monkeypatch.setattr(pull, "covered_letter_languages", unreadable)
    assert pull.covered_letters(Project(load_config(built)), Path("x"), "fr") == []


# --- escaping --------------------------------------------------------------------------------

SCRIPT = "<script>window.__pwned = 'script'</script>"
IMG = '"><img src=x onerror="window.__pwned = \'img\'">'


def _evil_surface() -> Surface:
    document = f"ua-9-99{IMG}#?%&"
    record = PullRecord(
        document=document,
        language="fr",
        title=f"TITLE {SCRIPT}\x07",
        state="draft",
        files=(PullFile(f"fr/{document}.html", "0" * 64, 10),),
        deadline="2019-05-17",
        preferred_languages=("ru",),
        letter_languages=(),
        percent_complete=50.0,
        percent_reviewed=0.0,
        required=False,
        updated="2019-01-01T00:00:00Z",
        note=f"50% translated < 100% {SCRIPT}",
    )
    day = datetime.date(2019, 6, 1)
    return Surface("en", ("fr",), (record,), day, day)


def test_strings_are_escaped_by_construction() -> None:
    surface = _evil_surface()
    record = surface.records[0]
    for text in (pull.render_index(surface), pull.render_language_index(surface, "fr")):
        page = lxml_html.document_fromstring(text)
        assert not page.xpath("//script | //img | //*[@onerror]")
        assert "<script" not in text and "<img" not in text
        content = page.text_content()
        assert record.document in content
        assert f"TITLE {SCRIPT}\ufffd" in content
        assert record.note in content
        (link,) = page.xpath("//td[@data-state]//a")
        href = link.get("href")
        assert unquote(href).endswith(f"{record.document}.html")
        assert not set(href) & set("<>\"'#? ")  # a file name, never a fragment or query
        (cell,) = page.xpath("//td[@data-state]")
        assert cell.get("data-document") == record.document
    feed = etree.fromstring(pull.render_feed(surface, "fr"))
    assert _atom_problems(etree.ElementTree(feed)) == []
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == f"TITLE {SCRIPT}\ufffd"
    assert unquote(entry.find(f"{ATOM}link").get("href")) == f"{record.document}.html"
    manifest = json.loads(pull.render_manifest(surface))
    assert manifest["records"][0]["document"] == record.document


# --- golden files ----------------------------------------------------------------------------


def _sample_surface() -> Surface:
    """Two documents (one past its deadline, one open) in French and Arabic, every
    state: fixed records, so the golden files change only when the rendering does."""

    def files(language: str, document: str, *endings: str) -> tuple[PullFile, ...]:
        return tuple(
            PullFile(
                f"{language}/{document}{ending}",
                hashlib.sha256(f"{language}{document}{ending}".encode()).hexdigest(),
                1000 + len(ending),
            )
            for ending in endings
        )

    def record(document: str, language: str, state: str, **fields) -> PullRecord:
        values = {
            "title": "HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES"
            if "chechnya" in document
            else "LAWYER DETAINED FOR DEFENDING PROTESTERS",
            "files": (),
            "deadline": "2019-05-17" if "chechnya" in document else "2020-03-01",
            "preferred_languages": ("ru", "en") if "chechnya" in document else ("tr",),
            "letter_languages": (),
            "percent_complete": 100.0,
            "percent_reviewed": 0.0,
            "required": language == "fr",
            "updated": "2019-05-02T08:30:00Z",
            "note": "",
        }
        values.update(fields)
        return PullRecord(document=document, language=language, state=state, **values)

    turkey, chechnya = "ua-1-20-turkey", "ua-2-19-chechnya"
    records = (
        record(turkey, "fr", "ready", files=files("fr", turkey, ".txt", ".html"),
               percent_reviewed=37.5, updated="2019-12-01T10:00:00Z"),
        record(turkey, "ar", "unreadable", percent_complete=None, percent_reviewed=None,
               note=pull.STATES["unreadable"][1]),
        record(chechnya, "fr", "ready", letter_languages=("ru", "en"),
               files=files("fr", chechnya, ".txt", ".html", ".letter.txt", ".letter.html")),
        record(chechnya, "ar", "draft", files=files("ar", chechnya, ".txt", ".html"),
               percent_complete=61.8, note="61% translated < 100% (13 entries untranslated)"),
    )  # fmt: skip
    return Surface(
        "en", ("fr", "ar"), records, datetime.date(2019, 5, 2), datetime.date(2019, 6, 1)
    )


@pytest.mark.parametrize(
    "name",
    ["manifest.json", "index.html", "fr/index.html", "fr/feed.xml", "ar/index.html", "ar/feed.xml"],
)
def test_golden_pull_files(name: str, file_regression) -> None:
    surface = _sample_surface()
    rendered = {
        "manifest.json": pull.render_manifest(surface),
        "index.html": pull.render_index(surface),
        "fr/index.html": pull.render_language_index(surface, "fr"),
        "fr/feed.xml": pull.render_feed(surface, "fr").decode("utf-8"),
        "ar/index.html": pull.render_language_index(surface, "ar"),
        "ar/feed.xml": pull.render_feed(surface, "ar").decode("utf-8"),
    }[name]
    suffix = Path(name).suffix
    file_regression.check(
        rendered, extension=suffix, basename="pull-" + name.replace("/", "-").removesuffix(suffix)
    )


def test_sample_surface_is_valid() -> None:
    surface = _sample_surface()
    for language in surface.languages:
        feed = etree.ElementTree(etree.fromstring(pull.render_feed(surface, language)))
        assert _atom_problems(feed) == []
    manifest = json.loads(pull.render_manifest(surface))
    past = {(r["document"], r["language"]): r["past_deadline"] for r in manifest["records"]}
    assert past == {
        ("ua-1-20-turkey", "fr"): False,
        ("ua-1-20-turkey", "ar"): False,
        ("ua-2-19-chechnya", "fr"): True,
        ("ua-2-19-chechnya", "ar"): True,
    }


# --- a real browser --------------------------------------------------------------------------


def test_pull_pages_in_headless_chromium_without_javascript(built: Path) -> None:
    sync_playwright = _playwright_or_skip()
    started = time.monotonic()
    index = built / "output" / "index.html"
    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            java_script_enabled=False,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.new_page()
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(index.as_uri(), wait_until="load")
            assert requests == [index.as_uri()]  # nothing else fetched
            text = page.inner_text("body")
            assert "HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES" in text
            assert "past deadline" in text and "May 17, 2019" in text
            fr = page.locator("td[data-language='fr']")
            assert "100% translated" in fr.inner_text()
            assert page.locator("td[data-language='ru'][data-state='not-built']").count() == 1
            page.screenshot(path="/tmp/pull-index-desktop.png", full_page=True)
            fr.get_by_role("link", name="html", exact=True).click()
            page.wait_for_load_state("load")
            assert page.url == (built / "output" / "fr" / f"{DOC}.html").as_uri()
            assert page.locator("html").get_attribute("lang") == "fr"

            page.goto((built / "output" / "fr" / "index.html").as_uri(), wait_until="load")
            assert "17 mai 2019" in page.inner_text("td.deadline")
            page.get_by_role("link", name="all languages").click()
            page.wait_for_load_state("load")
            assert page.url == index.as_uri()

            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(index.as_uri(), wait_until="load")
            # the page itself does not scroll sideways on a phone: the table does
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            page.screenshot(path="/tmp/pull-index-phone.png", full_page=True)
            assert problems == []
        finally:
            context.close()
    assert time.monotonic() - started < 15
