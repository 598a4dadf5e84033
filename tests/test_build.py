"""Localized output: escaping, direction, variables, drafts, pseudo, round trips."""

from __future__ import annotations

import re
import textwrap

import lxml.html
from conftest import BUNDLED_UA, UA_DIR
from hypothesis import given, settings
from hypothesis import strategies as st

from uai18n.localize import localize
from uai18n.model import Document
from uai18n.pseudo import pseudolocalize
from uai18n.readers.text import read_text
from uai18n.writers.html import render_html
from uai18n.writers.text import DRAFT_RULE, render_text


def _bundled() -> Document:
    return read_text(
        BUNDLED_UA.read_text("utf-8"),
        doc_id="ua",
        source_path="source/ua.txt",
        language="en",
    )


def _all_uas() -> list[tuple[str, str]]:
    paths = [BUNDLED_UA, *sorted(UA_DIR.glob("*.txt"))]
    return [(path.name, path.read_text("utf-8")) for path in paths]


def _normalized_source_paragraphs(text: str) -> str:
    return " ".join(text.split())


def test_empty_catalogue_gives_back_the_source_text() -> None:
    for name, text in _all_uas():
        document = read_text(text, doc_id="x", source_path=name, language="en")
        built = render_text(localize(document, "fr", {}.get, draft=True))
        body = built.split(DRAFT_RULE)[0]
        assert " ".join(body.split()) == _normalized_source_paragraphs(text), name
        # and the paragraphs are the reader's paragraphs, in order
        assert body.strip().split("\n\n") == [block.text for block in _with_values(document)]


def _with_values(document: Document) -> list:
    class _B:
        def __init__(self, text: str) -> None:
            self.text = text

    out = []
    for block in document.blocks:
        text = block.text
        for variable in block.variables:
            text = text.replace("{" + variable.name + "}", variable.source_text)
        out.append(_B(text))
    return out


_WORDS = st.sampled_from(
    [
        "authorities",
        "detained",
        "tortured",
        "Chechnya",
        "report",
        "men",
        "women",
        "investigation",
        "justice",
        "urge",
        "ensure",
        "safety",
        "officials",
        "lawyers",
        "media",
        "the",
        "of",
        "and",
        "in",
        "to",
        "a",
    ]
)
_SENTENCE = st.lists(_WORDS, min_size=3, max_size=25).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(letter=st.lists(_PARAGRAPH, min_size=1, max_size=4), width=st.integers(60, 130))
def test_any_letter_in_the_layout_round_trips(letter: list[str], width: int) -> None:
    """Wrap random paragraphs like a PDF, read them, build with no translation:
    the same words come back in the same order, with nothing dropped."""
    wrapped = "\n".join("\n".join(textwrap.wrap(paragraph, width)) for paragraph in letter)
    text = BUNDLED_UA.read_text("utf-8")
    start = text.index("Dear President,\n") + len("Dear President,\n")
    end = text.index("Yours sincerely,")
    ua = text[:start] + wrapped + "\n" + text[end:]
    document = read_text(ua, doc_id="x", source_path="x", language="en")
    built = render_text(localize(document, "fr", {}.get, draft=True)).split(DRAFT_RULE)[0]
    assert " ".join(built.split()) == " ".join(ua.split())
    letters = [b.text for b in document.blocks if b.role.value == "letter"]
    assert " ".join(letters) == " ".join(" ".join(letter).split())


def test_translator_markup_is_escaped_in_html() -> None:
    document = _bundled()
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    lookup = {
        "HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES": attack,
        "Dear President,": "a & b <c>",
        "Yours sincerely,": "Bien <b>à vous</b>,",  # our own tag, not in the msgid
    }.get
    localized = localize(document, "fr", lookup, draft=True)
    page = render_html(localized)
    tree = lxml.html.document_fromstring(page)
    assert tree.xpath("//script") == [] and tree.xpath("//img") == [] and tree.xpath("//b") == []
    assert tree.xpath("//h1")[0].text_content() == attack
    assert "&lt;script&gt;" in page and "a &amp; b &lt;c&gt;" in page
    # a tag the msgid does not have is refused: the source sentence is shown
    assert [(s.text, why) for s, why in localized.refused] == [
        ("Yours sincerely,", "extra <b> </b>")
    ]
    assert "Yours sincerely," in page


def test_html_has_lang_dir_and_rtl_for_arabic() -> None:
    document = _bundled()
    for code, direction in (
        ("ar", "rtl"),
        ("fa", "rtl"),
        ("he", "rtl"),
        ("ur", "rtl"),
        ("fr", "ltr"),
    ):
        tree = lxml.html.document_fromstring(
            render_html(localize(document, code, {}.get, draft=True))
        )
        assert tree.get("lang") == code and tree.get("dir") == direction


def test_html_is_self_contained_with_print_styles() -> None:
    page = render_html(localize(_bundled(), "fr", {}.get, draft=True))
    tree = lxml.html.document_fromstring(page)
    assert not tree.xpath("//link | //script | //*[@src]")
    assert "@media print" in tree.xpath("//style")[0].text
    assert page.startswith("<!DOCTYPE html>")
    # the addressee keeps its line breaks; the deadline is emphasized
    address = tree.xpath("//address")[0]
    assert len(address.xpath(".//br")) == 6
    assert tree.xpath("//p[@class='deadline']/strong")


def test_draft_marks_untranslated_segments() -> None:
    document = _bundled()
    lookup = {"Dear President,": "Monsieur le Président,"}.get
    localized = localize(document, "fr", lookup, draft=True)
    tree = lxml.html.document_fromstring(render_html(localized))
    marked = tree.xpath("//span[@class='untranslated']")
    assert len(marked) == len(localized.missing) > 0
    assert all(span.get("lang") == "en" for span in marked)
    assert tree.xpath("//p[@class='draft-notice']")
    text = render_text(localized)
    assert "DRAFT:" in text.split(DRAFT_RULE)[1]
    assert "Monsieur le Président," in text.split(DRAFT_RULE)[0]


def test_variables_are_filled_from_cldr_per_locale() -> None:
    document = _bundled()
    lookup = {
        "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: {deadline}": "AGISSEZ AVANT LE : {deadline}",
        "PREFERRED LANGUAGE TO ADDRESS TARGET: {languages}": "LANGUES : {languages}",
    }.get
    text = render_text(localize(document, "fr", lookup, variable_locale="fr"))
    assert "AGISSEZ AVANT LE : 17 mai 2019" in text
    assert "LANGUES : RUSSE ET ANGLAIS" in text
    ru = render_text(localize(document, "ru", {}.get, draft=True, variable_locale="ru"))
    assert "UNTIL: 17 мая 2019" in ru


def test_chinese_and_japanese_join_sentences_without_spaces() -> None:
    document = _bundled()
    summary = next(b for b in document.blocks if b.role.value == "summary")
    lookup = {segment.text: f"句子{index}。" for index, segment in enumerate(summary.segments)}.get
    for code in ("zh", "ja"):
        text = render_text(localize(document, code, lookup, draft=True))
        assert "句子0。句子1。句子2。" in text
    assert "句子0。 句子1。" in render_text(localize(document, "fr", lookup, draft=True))


def test_pseudo_localization_is_longer_bracketed_and_keeps_fields() -> None:
    text = "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: {deadline}"
    pseudo = pseudolocalize(text)
    assert pseudo.startswith("[") and pseudo.endswith("]")
    assert "{deadline}" in pseudo
    assert len(pseudo) >= 1.3 * len(text)
    assert not re.search(r"[A-Za-z]{3,}", pseudo.replace("{deadline}", ""))


def test_pseudo_build_leaves_no_source_text_outside_the_addressee() -> None:
    """Any English word left in the pseudo build bypassed the catalogues."""
    document = _bundled()
    page = render_html(localize(document, "qps", pseudolocalize))
    tree = lxml.html.document_fromstring(page)
    for verbatim in tree.xpath("//span[@class='verbatim']"):
        verbatim.drop_tree()
    visible = " ".join(tree.xpath("//body")[0].itertext())
    for variable in document.variables().values():
        visible = visible.replace(variable.source_text, "")
    leftovers = re.findall(r"\b[A-Za-z]{3,}\b", visible)
    assert leftovers == []
