"""HTML output: one self-contained page per document and language.

Built with lxml's element factory, so every translated string is a text node
and escaped by construction: a msgstr holding ``<script>`` shows as text.
The page carries ``lang`` and ``dir`` (rtl for Arabic, Persian, Hebrew,
Urdu), isolates verbatim Latin-script lines with their own direction, keeps
the addressee's line breaks, emphasizes the deadline, and has a print
stylesheet. The page ends with the model letter in the target's preferred
languages (:mod:`uai18n.letters`), each in a section with its own ``lang``
and ``dir``, under a heading in the page's language. No external resource
is referenced.
"""

from __future__ import annotations

import unicodedata

from lxml import etree
from lxml.html import builder as E

from uai18n.inline import has_tags, placeholders
from uai18n.locales import PSEUDO_LOCALE, html_lang, language_name, text_direction
from uai18n.localize import Letter, LocalizedBlock, LocalizedDocument, Piece, UiText
from uai18n.model import Role

STYLE = """
:root { --ink: #111; --accent: #ffdd00; --muted: #555; }
body { font: 16px/1.5 "Noto Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 46rem; padding: 1rem; }
.banner { display: inline-block; background: var(--accent); font-weight: 700;
          letter-spacing: .08em; padding: .2rem .6rem; margin: 0; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .6rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; }
.call-to-action { font-weight: 700; margin-top: 1.4rem; }
address { font-style: normal; border-inline-start: 4px solid var(--accent);
          padding-inline-start: .8rem; margin: 1rem 0; }
.model-letter { border: 1px solid #ccc; padding: .4rem 1rem; margin: 1rem 0; }
.deadline { font-size: 1.1rem; }
.deadline strong { background: var(--accent); padding: 0 .2rem; }
.untranslated { background: #fde2e1; outline: 1px dashed #c00; }
.draft-notice { border: 2px solid #c00; padding: .4rem .8rem; color: #900; }
.machine { background: #fff4cc; outline: 1px dotted #a67c00; }
.verbatim[dir=ltr] { direction: ltr; unicode-bidi: isolate; }
.verbatim[dir=rtl] { direction: rtl; unicode-bidi: isolate; }
.machine-notice { border: 2px solid #a67c00; padding: .4rem .8rem; color: #6b5000; }
.letters { margin-top: 2rem; border-top: 2px solid var(--accent); }
.letters-note { color: var(--muted); }
@media print {
  .letter-translation { break-before: page; }
  body { max-width: none; font-size: 11pt; padding: 0; }
  .banner, .deadline strong { background: none; border: 1px solid #000; }
  .model-letter { border: none; padding: 0; break-inside: avoid-page; }
  address { break-inside: avoid; }
  h2 { break-after: avoid; }
  .untranslated { background: none; outline: none; text-decoration: underline dotted; }
}
"""


def _spans(pieces: tuple[Piece, ...], document: LocalizedDocument) -> list:
    """Pieces as text or spans; a fallback is marked and in the source language."""
    out: list = []
    for index, piece in enumerate(pieces):
        if index:
            out.append(document.sentence_separator)
        if piece.verbatim:
            out.append(
                E.SPAN(piece.text, {"class": "verbatim", "dir": text_direction_of(piece.text)})
            )
            continue
        content = inline_html(piece.text, piece.links)
        if piece.fallback and document.draft:
            attributes = {
                "class": "untranslated",
                "lang": html_lang(document.source_language),
                "dir": text_direction(document.source_language),
                "title": "not translated yet",
            }
            out.append(E.SPAN(*content, attributes))
        elif piece.machine:
            attributes = {
                "class": "machine",
                "title": "machine suggestion, not checked by a person",
            }
            out.append(E.SPAN(*content, attributes))
        else:
            out.extend(content)
    return out


def text_direction_of(text: str) -> str:
    """ "ltr" or "rtl" from the first strongly directional character.

    What ``dir="auto"`` means, decided here: print engines (WeasyPrint)
    ignore ``auto``, and a handle or fax number in an Arabic page must still
    read left to right.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in {"R", "AL"}:
            return "rtl"
    return "ltr"


#: Link targets a page may carry: the web, mail and phone (never javascript:).
_SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


def inline_html(text: str, links: tuple[str, ...]) -> list:
    """Text with inline tags as text and elements: <b>, <i>, <a href>.

    The text's tags balance (localize refuses a translation whose tags do
    not), and every piece of text is a text node, escaped by lxml.
    """
    if not has_tags(text):
        return [text]
    holder = E.SPAN()
    stack = [holder]
    at = 0
    for tag in placeholders(text):
        _append_text(stack[-1], text[at : tag.start])
        if tag.kind == "close":
            stack.pop()
        else:
            name = tag.name
            element = E.B() if name == "b" else E.I() if name == "i" else _link(name, links)
            stack[-1].append(element)
            stack.append(element)
        at = tag.end
    _append_text(stack[-1], text[at:])
    return [holder.text or "", *holder]


def _link(name: str, links: tuple[str, ...]) -> etree._Element:
    number = int(name[1:])
    target = links[number - 1] if number <= len(links) else ""
    if target.lower().startswith(_SAFE_SCHEMES):
        return E.A(href=target)
    return E.A()


def _append_text(element: etree._Element, text: str) -> None:
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def _block(block: LocalizedBlock, document: LocalizedDocument):
    content = _spans(block.pieces, document)
    role = block.role
    if role is Role.BANNER:
        return E.P(E.CLASS("banner"), *content)
    if role is Role.TITLE:
        return E.H1(*content)
    if role is Role.HEADING:
        return E.H2(*content)
    if role is Role.CALL_TO_ACTION:
        return E.P(E.CLASS("call-to-action"), *content)
    if role is Role.DEADLINE:
        return E.P(E.CLASS("deadline"), E.STRONG(*content))
    if role is Role.ADDRESSEE:
        children: list = []
        for index, line in enumerate(block.lines):
            if index:
                children.append(E.BR())
            children.extend(_spans(line.pieces, document))
        return E.ADDRESS(E.CLASS("addressee"), *children)
    return E.P(E.CLASS(role.value.replace("_", "-")), *content)


_LETTER_ROLES = frozenset({Role.SALUTATION, Role.LETTER, Role.CLOSING})


def render_html(document: LocalizedDocument) -> str:
    """The whole page as a string (UTF-8, with a doctype)."""
    lang = "en-XA" if document.language == PSEUDO_LOCALE else html_lang(document.language)
    direction = "ltr" if document.language == PSEUDO_LOCALE else text_direction(document.language)
    title = next(
        (
            " ".join(piece.text for piece in block.pieces)
            for block in document.blocks
            if block.role is Role.TITLE
        ),
        document.doc_id,
    )
    body: list = []
    if document.draft and document.missing:
        source = language_name(document.source_language)
        body.append(
            E.P(
                {
                    "class": "draft-notice",
                    "lang": html_lang(document.source_language),
                    "dir": text_direction(document.source_language),
                },
                f"DRAFT: {len(document.missing)} segment(s) are not translated yet "
                f"and are shown in {source}.",
            )
        )
    if document.machine:
        body.append(
            E.P(
                {"class": "machine-notice", "lang": "en", "dir": "ltr"},
                f"MACHINE TRANSLATION: {len(document.machine)} segment(s), marked, are "
                "suggestions from translation memory or a machine that no person has checked.",
            )
        )
    letter = None
    for block in document.blocks:
        element = _block(block, document)
        if block.role in _LETTER_ROLES:
            if letter is None:
                letter = E.SECTION(E.CLASS("model-letter"))
                body.append(letter)
            letter.append(element)
            continue
        letter = None
        body.append(element)
    appendix = letters_section(document)
    if appendix is not None:
        body.append(appendix)
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.META(name="generator", content="uai18n"),
            E.TITLE(title),
            E.STYLE(STYLE),
        ),
        E.BODY(E.E.main(*body, {"class": "ua"})),
        lang=lang,
        dir=direction,
    )
    return serialize_page(page)


def letters_section(document: LocalizedDocument) -> etree._Element | None:
    """The letters that end the page and the note on those missing; None when neither."""
    if not document.letters and document.letters_note is None:
        return None
    section = E.SECTION(E.CLASS("letters"))
    for letter in document.letters:
        section.append(
            E.SECTION(
                E.CLASS("letter-translation"),
                E.H2(letter.heading.text, _language_of(letter.heading, document.language)),
                letter_element(letter),
            )
        )
    note = document.letters_note
    if note is not None:
        section.append(
            E.P(note.text, {"class": "letters-note", **_language_of(note, document.language)})
        )
    return section


def letter_element(letter: Letter) -> etree._Element:
    """The letter's blocks in a section carrying the letter's ``lang`` and ``dir``."""
    language = letter.document.language
    return E.SECTION(
        {"class": "model-letter", "lang": html_lang(language), "dir": text_direction(language)},
        *(_block(block, letter.document) for block in letter.document.blocks),
    )


def _language_of(text: UiText, around: str) -> dict[str, str]:
    """``lang``/``dir`` for our words when they are not in the surrounding language."""
    if text.language == around:
        return {}
    return {"lang": html_lang(text.language), "dir": text_direction(text.language)}


def render_letter_html(letter: Letter, doc_id: str) -> str:
    """``<doc>.letter.html``: one letter alone, as a page in the letter's language."""
    language = letter.document.language
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.META(name="generator", content="uai18n"),
            E.TITLE(f"{letter.heading.text} — {doc_id}"),
            E.STYLE(STYLE),
        ),
        E.BODY(
            E.E.main(
                E.H1(letter.heading.text, _language_of(letter.heading, language)),
                letter_element(letter),
                {"class": "ua letter"},
            )
        ),
        lang=html_lang(language),
        dir=text_direction(language),
    )
    return serialize_page(page)


def serialize_page(page: etree._Element) -> str:
    """An HTML5 page as text: doctype, lxml's escaping, stable layout."""
    return etree.tostring(
        page,
        method="html",
        encoding="unicode",
        doctype="<!DOCTYPE html>",
        pretty_print=True,
    )
