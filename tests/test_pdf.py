"""Print-ready PDFs: A4, the fonts each script needs, isolated verbatim lines."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from conftest import BUNDLED_UA, pdf_fonts_or_skip

from uai18n.localize import localize
from uai18n.readers.text import read_text
from uai18n.writers.html import render_html
from uai18n.writers.pdf import print_page, render_pdf

A4 = (595.28, 841.89)


@pytest.fixture(autouse=True)
def _fonts() -> None:
    pdf_fonts_or_skip()


def _document():
    return read_text(BUNDLED_UA.read_text("utf-8"), doc_id="x", source_path="x", language="en")


def _fonts_of(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_build_writes_a4_pdfs_only_when_asked(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    assert not list((project / "output").rglob("*.pdf"))
    result = cli("-C", str(project), "build", "--lang", "fr", "--format", "pdf,txt")
    assert result.exit_code == 0, result.output
    pdf = project / "output/fr/ua-2-19-chechnya.pdf"
    data = pdf.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "ACTION URGENTE" in text and "Monsieur le Président" in text
    assert "17 mai 2019" in text  # the deadline, in French, from CLDR
    # the same input gives the same bytes (no dates in the file)
    pdf.unlink()
    assert cli("-C", str(project), "build", "--lang", "fr", "--format", "pdf").exit_code == 0
    assert pdf.read_bytes() == data


def test_unknown_format_is_bad_input(project: Path, cli) -> None:
    result = cli("-C", str(project), "build", "--format", "pdf,odt")
    assert result.exit_code == 2
    assert result.output == "uai18n: --format: unknown format 'odt' (known: txt, html, pdf, docx)\n"


@pytest.mark.parametrize(
    ("language", "sample", "font"),
    [
        ("ar", "المدافعون عن حقوق الإنسان", "Arabic"),
        ("zh", "人权捍卫者", "CJK"),
        ("ru", "правозащитники", "Noto"),
    ],
)
def test_each_script_gets_a_font_that_has_it(language: str, sample: str, font: str) -> None:
    document = _document()
    lookup = {segment.text: sample for segment in document.segments()}.get
    pdf = render_pdf(localize(document, language, lookup, variable_locale=language))
    assert any(font in name for name in _fonts_of(pdf)), _fonts_of(pdf)


def test_verbatim_lines_are_isolated_in_an_rtl_page() -> None:
    document = _document()
    lookup = {segment.text: "نص عربي" for segment in document.segments()}.get
    page = print_page(render_html(localize(document, "ar", lookup)))
    assert "\u2066+7 495 9102134\u2069" in page
    assert "\u2066@KremlinRussia @KremlinRussia_E\u2069" in page
