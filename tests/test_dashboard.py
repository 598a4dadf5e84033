"""The HTML status dashboard: numbers, escaping, self-containment, and a real
headless browser (Playwright driving Debian's /usr/bin/chromium).

The browser test skips when Chromium or the ``playwright`` package is
missing, except with ``UAI18N_REQUIRE_BROWSER=1`` (CI), where that fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from lxml import html as lxml_html

from uai18n.status import StatusRow
from uai18n.writers.dashboard import STATES, render_dashboard

STATE_KEYS = ("untranslated", "machine", "translated", "reviewed", "stale")

SCRIPT_PAYLOAD = "<script>window.__pwned = 'script'</script>"
IMG_PAYLOAD = '"><img src=x onerror="window.__pwned = \'img\'">'
EVIL_DOCUMENT = f"ua-9-99{IMG_PAYLOAD}"
EVIL_NOTE = f"0% translated < 100% {SCRIPT_PAYLOAD}"
EVIL_CATALOG = f"po/de/{SCRIPT_PAYLOAD}.po"


def _counts(untranslated=0, machine=0, translated=0, reviewed=0, stale=0) -> dict[str, int]:
    return {
        "untranslated": untranslated,
        "machine": machine,
        "translated": translated,
        "reviewed": reviewed,
        "stale": stale,
    }


def _row(language, document, entries, *, meets=True, note="", required=False, catalog=None):
    words = {state: 7 * count + 1 for state, count in entries.items()}
    return StatusRow(
        language,
        document,
        catalog or f"po/{language}/{document}.po",
        entries=entries,
        words=words,
        meets_policy=meets,
        policy_note=note,
        required=required,
    )


def sample_rows() -> list[StatusRow]:
    """Four languages (given out of alphabetical order), three documents."""
    chechnya, turkey = "ua-2-19-chechnya", "ua-1-20-turkey"
    return [
        _row("fr", chechnya, _counts(reviewed=40)),
        _row(
            "fr",
            turkey,
            _counts(untranslated=21, machine=3, translated=11, reviewed=4, stale=1),
            meets=False,
            note="40% translated < 100%",
            required=True,
        ),
        _row("es", chechnya, _counts(translated=30, reviewed=10), required=False),
        _row("es", turkey, _counts(translated=40)),
        _row("ar", chechnya, _counts(untranslated=38, machine=2), meets=False, note="0% < 80%"),
        _row(
            "de",
            EVIL_DOCUMENT,
            _counts(untranslated=5, translated=5),
            meets=False,
            note=EVIL_NOTE,
            catalog=EVIL_CATALOG,
        ),
    ]


def parse(page: str):
    return lxml_html.document_fromstring(page)


def cell(tree, language: str, document: str):
    (found,) = [
        td
        for td in tree.xpath("//td[@data-document]")
        if td.get("data-language") == language and td.get("data-document") == document
    ]
    return found


# --- the page as lxml reads it -----------------------------------------------------------------


def test_page_is_a_complete_english_html_document() -> None:
    page = render_dashboard(sample_rows())
    assert page.startswith("<!DOCTYPE html>")
    tree = parse(page)
    assert tree.get("lang") == "en"
    assert tree.xpath("//meta[@charset]")[0].get("charset").lower() == "utf-8"
    assert tree.xpath("//meta[@name='viewport']")[0].get("content").startswith("width=device-width")
    assert tree.findtext(".//title") == "Translation status"
    assert tree.xpath("//style")
    # without JavaScript the headers are plain text: the script adds the sort buttons
    assert not tree.xpath("//button")


def test_cells_carry_and_show_the_rows_counts() -> None:
    rows = sample_rows()
    tree = parse(render_dashboard(rows))
    for row in rows:
        td = cell(tree, row.language, row.document)
        assert td.get("data-catalog") == row.catalog
        assert int(td.get("data-total")) == row.total
        assert td.get("data-meets-policy") == ("true" if row.meets_policy else "false")
        for state in STATE_KEYS:
            assert int(td.get(f"data-{state}")) == row.entries[state], (row, state)
            assert int(td.get(f"data-words-{state}")) == row.words[state]
            shown = td.xpath(f".//li[@data-state='{state}']//span[@class='n']")[0].text
            assert int(shown) == row.entries[state]
        assert float(td.get("data-percent-complete")) == pytest.approx(row.percent_complete)
        assert float(td.get("data-percent-reviewed")) == pytest.approx(row.percent_reviewed)


def test_the_example_cell_reads_as_specified() -> None:
    tree = parse(render_dashboard(sample_rows()))
    td = cell(tree, "fr", "ua-1-20-turkey")
    assert td.get("data-untranslated") == "21"
    assert td.get("data-machine") == "3"
    assert td.get("data-percent-complete") == "40"
    assert td.get("data-percent-reviewed") == "10"
    text = " ".join(td.text_content().split())
    assert "40% complete · 10% reviewed" in text
    assert "untranslated 21" in text and "machine (fuzzy) 3" in text
    assert "✗ 40% translated < 100%" in text
    assert "in progress" in text  # the state in words, not only as a colour
    widths = [span.get("style") for span in td.xpath(".//div[@class='bar']/span")]
    assert widths == ["width: 10%", "width: 2.5%", "width: 27.5%", "width: 7.5%", "width: 52.5%"]


def test_grid_order_languages_as_given_documents_sorted() -> None:
    tree = parse(render_dashboard(sample_rows()))
    assert [tr.get("data-language") for tr in tree.xpath("//tbody/tr")] == ["fr", "es", "ar", "de"]
    headers = [" ".join(th.text_content().split()) for th in tree.xpath("//thead/tr/th")]
    assert headers == [
        "Language",
        "All documents",
        "ua-1-20-turkey",
        "ua-2-19-chechnya",
        EVIL_DOCUMENT,
    ]
    # every row has a cell per document, a missing catalogue says so in words
    for tr in tree.xpath("//tbody/tr"):
        assert len(tr.xpath("./td[@data-document]")) == 3
    missing = cell(tree, "ar", "ua-1-20-turkey")
    assert missing.get("data-status") == "missing"
    assert "no catalogue" in missing.text_content()


def test_language_summary_adds_up_documents_and_policy() -> None:
    tree = parse(render_dashboard(sample_rows()))
    (fr,) = tree.xpath("//td[@class='summary'][@data-language='fr']")
    assert fr.get("data-total") == "80"
    assert fr.get("data-reviewed") == "44"
    assert fr.get("data-untranslated") == "21"
    assert fr.get("data-percent-complete") == "70"  # (40 + 11 + 4 + 1) / 80
    assert fr.get("data-percent-reviewed") == "55"
    assert fr.get("data-meets-policy") == "false"
    assert fr.get("data-required") == "true"
    text = " ".join(fr.text_content().split())
    assert "required" in text
    assert "✗ below policy: ua-1-20-turkey: 40% translated < 100%" in text
    (es,) = tree.xpath("//td[@class='summary'][@data-language='es']")
    assert es.get("data-meets-policy") == "true" and "✓ meets policy" in es.text_content()
    assert es.get("data-required") == "false" and "required" not in es.text_content()
    assert tree.xpath("//th[@scope='row']//span[@class='name']")[0].text == "French"


def test_row_strings_are_escaped_text_never_markup() -> None:
    page = render_dashboard(sample_rows(), title=f"Status {SCRIPT_PAYLOAD}")
    tree = parse(page)
    # one script (the constant sort script), no image, no event handler
    scripts = tree.xpath("//script")
    assert len(scripts) == 1 and "__pwned" not in scripts[0].text
    assert not tree.xpath("//img | //*[@onerror] | //*[@onload] | //*[@onclick]")
    text = tree.text_content()
    assert EVIL_DOCUMENT in text
    assert EVIL_NOTE in text
    assert EVIL_CATALOG in text
    assert f"Status {SCRIPT_PAYLOAD}" in tree.findtext(".//title")
    td = cell(tree, "de", EVIL_DOCUMENT)  # attribute values round-trip exactly
    assert td.get("data-catalog") == EVIL_CATALOG
    assert page.count("<script") == 1 and page.count("<img") == 0


def test_control_characters_in_row_strings_do_not_break_the_page() -> None:
    row = _row("fr", "ua\x00\x1b-1", _counts(translated=1), meets=False, note="bad\x0bnote")
    tree = parse(render_dashboard([row]))
    assert "ua\ufffd\ufffd-1" in tree.text_content()


def test_no_external_references() -> None:
    tree = parse(render_dashboard(sample_rows(), generated="2026-01-02 03:04 UTC"))
    for element in tree.xpath("//link | //img | //*[@src] | //*[@href]"):
        assert element.tag == "a" and element.get("href", "").startswith("#"), element.attrib
    style = tree.findtext(".//style")
    assert "url(" not in style and "@import" not in style and "//" not in style


def test_deterministic_and_generated_in_footer() -> None:
    assert render_dashboard(sample_rows()) == render_dashboard(sample_rows())
    stamped = render_dashboard(sample_rows(), generated="2026-01-02 03:04 UTC")
    footer = parse(stamped).xpath("//footer")[0]
    assert "2026-01-02 03:04 UTC" in footer.text_content()
    assert "2026" not in parse(render_dashboard(sample_rows())).xpath("//footer")[0].text_content()


def test_no_rows_and_duplicate_rows() -> None:
    tree = parse(render_dashboard([]))
    assert "No catalogues" in tree.text_content() and not tree.xpath("//table | //script")
    row = _row("fr", "ua", _counts(translated=1))
    with pytest.raises(ValueError, match="two status rows"):
        render_dashboard([row, row])


def test_empty_catalogue_is_not_reported_as_done_work() -> None:
    tree = parse(render_dashboard([_row("fr", "ua", _counts())]))
    td = cell(tree, "fr", "ua")
    assert td.get("data-status") == "empty" and "no entries" in td.text_content()
    assert not td.xpath(".//div[@class='bar']/span")


def test_states_are_the_status_module_states() -> None:
    from uai18n.states import State

    assert set(STATES) == {state.value for state in State}


# --- a real browser ----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _playwright_or_skip():
    """Playwright's sync API with Chromium at /usr/bin/chromium; skip without
    them, except in CI (UAI18N_REQUIRE_BROWSER=1), where that is a failure."""
    required = os.environ.get("UAI18N_REQUIRE_BROWSER") == "1"
    chromium = shutil.which(CHROMIUM)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if chromium and sync_playwright:
        return sync_playwright
    missing = ", ".join(
        name
        for name, present in (("chromium", chromium), ("playwright", sync_playwright))
        if not present
    )
    if required:
        pytest.fail(f"UAI18N_REQUIRE_BROWSER=1 but {missing} is not installed")
    pytest.skip(f"browser test needs {missing}")


def test_dashboard_in_headless_chromium(tmp_path: Path) -> None:
    sync_playwright = _playwright_or_skip()
    started = time.monotonic()
    rows = sample_rows()
    page_file = tmp_path / "dashboard.html"
    page_file.write_text(render_dashboard(rows, generated="2026-01-02 03:04 UTC"), "utf-8")

    problems: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 800},
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda message: (
                    problems.append(f"console {message.type}: {message.text}")
                    if message.type == "error"
                    else None
                ),
            )
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri(), wait_until="load")

            assert problems == []
            assert requests == [page_file.as_uri()]  # nothing else fetched
            assert page.evaluate("typeof window.__pwned") == "undefined"
            body_text = page.inner_text("body")
            assert EVIL_NOTE in body_text
            assert EVIL_DOCUMENT in body_text
            assert page.locator("img").count() == 0

            # the numbers, as the DOM has them
            for row in rows:
                shown = page.evaluate(
                    """([language, doc]) => {
                        const td = [...document.querySelectorAll("td[data-document]")].find(
                            c => c.dataset.language === language && c.dataset.document === doc);
                        const out = {};
                        td.querySelectorAll("li[data-state]").forEach(li => {
                            out[li.dataset.state] = Number(li.querySelector(".n").textContent);
                        });
                        return out;
                    }""",
                    [row.language, row.document],
                )
                assert shown == row.entries, row

            page.screenshot(path="/tmp/dashboard-desktop.png", full_page=True)

            # sorting: the script made the headers buttons
            def order() -> list[str]:
                return page.eval_on_selector_all(
                    "tbody tr", "rows => rows.map(r => r.dataset.language)"
                )

            assert order() == ["fr", "es", "ar", "de"]
            language_header = page.locator("thead th").nth(0)
            summary_header = page.locator("thead th").nth(1)
            language_header.locator("button").click()
            assert order() == ["ar", "de", "es", "fr"]
            assert language_header.get_attribute("aria-sort") == "ascending"
            language_header.locator("button").click()
            assert order() == ["fr", "es", "de", "ar"]
            assert language_header.get_attribute("aria-sort") == "descending"
            language_header.locator("button").click()
            assert order() == ["fr", "es", "ar", "de"]  # third click: as given
            assert language_header.get_attribute("aria-sort") is None
            summary_header.locator("button").click()  # % complete, worst first
            assert order() == ["ar", "de", "fr", "es"]
            assert page.evaluate("typeof window.__pwned") == "undefined"

            page.set_viewport_size({"width": 390, "height": 844})
            page.goto(page_file.as_uri(), wait_until="load")
            # the page itself does not scroll sideways on a phone: the table does
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
            assert page.evaluate(
                "(() => { const w = document.querySelector('.table-wrap');"
                " return w.scrollWidth > w.clientWidth; })()"
            )
            font_px = page.evaluate(
                "parseFloat(getComputedStyle(document.querySelector('ul.counts')).fontSize)"
            )
            assert font_px >= 11
            page.screenshot(path="/tmp/dashboard-phone.png", full_page=True)
            assert problems == []
        finally:
            context.close()
    assert time.monotonic() - started < 15
