"""HTML UAs: roles, inline tags and links, a clean round trip, and hostile pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import REPO, replace_once

from uai18n.errors import UserError
from uai18n.localize import localize
from uai18n.model import Role
from uai18n.readers.html import read_html
from uai18n.writers.html import render_html
from uai18n.writers.text import render_text

PAGE = Path(__file__).resolve().parent / "data" / "html" / "ua-5-19-defender.html"
DOC = "ua-5-19-defender"


def _read(text: str | None = None):
    source = PAGE.read_text("utf-8") if text is None else text
    return read_html(source, doc_id=DOC, source_path=f"source/{DOC}.html", language="en")


@pytest.fixture
def html_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "uai18n.toml", root / "uai18n.toml")
    shutil.copytree(REPO / "glossary", root / "glossary")
    shutil.copy(PAGE, root / "source" / PAGE.name)
    return root


def test_roles_and_segments_of_an_html_ua() -> None:
    document = _read()
    roles = [block.role for block in document.blocks]
    assert roles[:6] == [
        Role.BANNER, Role.TITLE, Role.SUMMARY, Role.CALL_TO_ACTION, Role.ADDRESSEE, Role.SALUTATION,
    ]  # fmt: skip
    assert roles[-4:] == [Role.PREFERRED_LANGUAGES, Role.OWN_LANGUAGE, Role.DEADLINE,
                          Role.DEADLINE_NOTE]  # fmt: skip
    texts = [segment.text for segment in document.segments()]
    assert (
        "She has had no access to a lawyer since her arrest, according to "
        "<a1>Amnesty International's report</a1>." in texts
    )
    assert "I urge you to release her <i>immediately and unconditionally</i>." in texts
    linked = [s for s in document.segments() if s.links]
    assert [s.links for s in linked] == [
        ("https://www.amnesty.org/en/documents/eur55/0001/2019/en/",),
        ("https://example.org/centre",),
    ]
    addressee = next(b for b in document.blocks if b.role is Role.ADDRESSEE)
    assert [(line.kind.value, line.verbatim) for line in addressee.lines][:3] == [
        ("name", "Kamran Aliyev"), ("title", ""), ("address", "7 Nizami Street"),
    ]  # fmt: skip
    assert document.verbatim_strings() == ("Kamran Aliyev", "@ProsecutorAz", "+994 12 492 0680")


def test_scripts_and_styles_never_reach_a_segment() -> None:
    text = " ".join(segment.text for segment in _read().segments())
    for word in ("alert", "document.cookie", "font-family", "stolen"):
        assert word not in text


def test_a_sentence_cut_from_a_paragraph_numbers_its_own_links() -> None:
    page = PAGE.read_text("utf-8").replace(
        "<p>I urge you to release her",
        '<p>See <a href="https://a.example/">one</a>. Then <a href="https://b.example/">two</a>'
        ' and <a href="https://c.example/">three</a>. I urge you to release her',
    )
    segments = {s.text: s.links for s in _read(page).segments()}
    assert segments["See <a1>one</a1>."] == ("https://a.example/",)
    assert segments["Then <a1>two</a1> and <a2>three</a2>."] == (
        "https://b.example/",
        "https://c.example/",
    )


def test_a_page_that_is_not_an_urgent_action_says_what_is_missing() -> None:
    with pytest.raises(UserError) as caught:
        _read("<html><body><h1>News</h1><p>Some text. More text.</p></body></html>")
    assert str(caught.value) == (
        f"source/{DOC}.html: not an Urgent Action layout: missing the call to action "
        "('TAKE ACTION ...'), the salutation ('Dear ...,'), the model letter, "
        "the closing ('Yours sincerely,')"
    )
    with pytest.raises(UserError, match="the document has no text"):
        _read("<html><body><script>x()</script></body></html>")


def _blocks(page: str) -> list[tuple[str, str]]:
    """(tag, text) of the page's blocks, and its inline elements with their targets."""
    tree = lxml.html.document_fromstring(page)
    for dropped in tree.xpath("//script|//style|//head"):
        dropped.drop_tree()
    for line_break in tree.iter("br"):
        line_break.tail = " " + (line_break.tail or "")
    found = []
    for element in tree.iter("p", "h1", "h2", "address", "b", "strong", "i", "em", "a"):
        tag = {"strong": "b", "em": "i"}.get(element.tag, element.tag)
        tag = "p" if tag in {"p", "h1", "h2", "address"} else tag
        text = " ".join(element.text_content().split())
        found.append((tag, text, element.get("href") or ""))
    return found


def test_built_with_an_empty_catalogue_the_page_gives_back_the_source() -> None:
    """Round trip: with nothing translated (and the variables as the source wrote
    them) the page we build has the source's text, blocks, bold, italics and links."""
    document = _read()
    built = render_html(localize(document, "en", {}.get, variable_locale=None))
    tree = lxml.html.document_fromstring(built)
    for emphasis in tree.xpath("//p[@class='deadline']/strong"):
        emphasis.drop_tag()  # the house layout emphasizes the deadline line
    ours = _blocks(lxml.html.tostring(tree, encoding="unicode"))
    source = _blocks(PAGE.read_text("utf-8"))
    assert [item for item in ours if item[0] != "p"] == [
        item for item in source if item[0] != "p"
    ]  # bold, italics, links and their targets, in order
    assert [text for tag, text, _ in ours if tag == "p"] == [
        text for tag, text, _ in source if tag == "p"
    ]  # every block, in order, with its text
    text = render_text(localize(document, "en", {}.get, variable_locale=None))
    assert "<a1>" not in text and "Amnesty International's report" in text
    assert " ".join(text.split()) == " ".join(
        " ".join(text for tag, text, _ in source if tag == "p").split()
    )


def test_translators_move_tags_but_cannot_change_targets(html_project: Path, cli) -> None:
    assert cli("-C", str(html_project), "run").exit_code == 1  # nothing translated yet
    po = html_project / "po/fr" / f"{DOC}.po"
    msgid = (
        'msgid ""\n"She has had no access to a lawyer since her arrest, according to '
        '<a1>Amnesty "\n"International\'s report</a1>."\n'
    )
    replace_once(
        po,
        msgid + 'msgstr ""',
        msgid + 'msgstr "Selon <a1>le rapport d’Amnesty</a1>, elle n’a pas vu d’avocat."',
    )
    replace_once(
        po,
        'msgid "I urge you to release her <i>immediately and unconditionally</i>."\nmsgstr ""',
        'msgid "I urge you to release her <i>immediately and unconditionally</i>."\n'
        'msgstr "Je vous demande de la libérer immédiatement et sans condition."',
    )
    result = cli("-C", str(html_project), "build", "--lang", "fr", "--draft")
    assert result.exit_code == 0, result.output
    assert "1 translation(s) with broken tags shown in the source language" in result.output
    assert "missing <i> </i>" in result.output
    page = (html_project / "output/fr" / f"{DOC}.html").read_text("utf-8")
    tree = lxml.html.document_fromstring(page)
    [link] = [a for a in tree.iter("a") if a.text == "le rapport d’Amnesty"]
    assert link.get("href") == "https://www.amnesty.org/en/documents/eur55/0001/2019/en/"
    assert "immediately and unconditionally" in page  # the refused one: source shown
    check = cli("-C", str(html_project), "check", "--lang", "fr")
    assert "[tags]" in check.output


def test_unsafe_link_targets_are_not_written(html_project: Path, cli) -> None:
    page = html_project / "source" / PAGE.name
    replace_once(page, 'href="https://example.org/centre"', 'href="javascript:alert(1)"')
    assert cli("-C", str(html_project), "run", "--draft").exit_code == 0
    built = (html_project / "output/fr" / f"{DOC}.html").read_text("utf-8")
    assert "javascript:" not in built and "Baku Centre for Legal Aid" in built


def test_template_of_the_html_ua(html_project: Path, cli, file_regression) -> None:
    assert cli("-C", str(html_project), "extract").exit_code == 0
    pot = html_project / "po/templates" / f"{DOC}.pot"
    file_regression.check(pot.read_text("utf-8"), extension=".pot")
