"""Word output: the source .docx with only its text replaced.

The source package is opened again (behind the same guards as the reader)
and every paragraph that gave a block gets the translation in place of its
runs: the paragraph's style, the first run's character formatting (font,
size, colour), headers, footers, section and page setup, images and every
other part stay as the author made them. ``<b>`` and ``<i>`` become bold and
italic runs; ``<a1>`` a hyperlink to the target the document kept, if the
HTML writer would link to it too (web, mail, phone: never ``javascript:``);
and an unsafe hyperlink left anywhere in the package (a header, a footer, a
paragraph no block came from, an image) loses its target and keeps its text.
The model letter in the target's preferred languages (:mod:`uai18n.letters`)
is appended at the end of the body: each block in a copy of the source
paragraph it came from (so in the author's style), under a heading in the
style of the author's section headings, every run marked with the letter's
language (``w:lang``) and, for Arabic and the like, right to left
(``w:bidi``, ``w:rtl``). The bytes are reproducible: the zip's dates are fixed.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from uai18n.errors import UserError
from uai18n.inline import runs
from uai18n.locales import html_lang, text_direction
from uai18n.localize import LocalizedBlock, LocalizedDocument, Piece, UiText
from uai18n.model import Role
from uai18n.readers.docx import body_paragraphs, open_docx
from uai18n.writers.html import _link as html_link

_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def render_docx(document: LocalizedDocument) -> bytes:
    """The localized document as a .docx made from its source .docx."""
    if not document.source_file.endswith(".docx"):
        raise UserError("a .docx is only built from a .docx source", document.source_file)
    word = open_docx(Path(document.source_file).read_bytes(), document.source_file)
    paragraphs = list(body_paragraphs(word))
    for block in document.blocks:
        for number, lines in _paragraph_lines(block):
            if 1 <= number <= len(paragraphs):
                _rewrite(paragraphs[number - 1], lines, document.sentence_separator, word)
    _append_letters(document, paragraphs, word)
    _drop_unsafe_links(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return _reproducible(buffer.getvalue())


def _paragraph_lines(block: LocalizedBlock) -> list[tuple[int, list[tuple[Piece, ...]]]]:
    """(source paragraph number, its lines of pieces) for a block."""
    if block.role is not Role.ADDRESSEE:
        return [(block.line, [block.pieces])]
    grouped: dict[int, list[tuple[Piece, ...]]] = {}
    for line in block.lines:
        grouped.setdefault(line.line, []).append(line.pieces)
    return list(grouped.items())


def _append_letters(document: LocalizedDocument, paragraphs: list, word) -> None:  # type: ignore[no-untyped-def]
    """The letters and the note on missing ones, after the last paragraph of the body."""
    if not paragraphs or not (document.letters or document.letters_note):
        return
    heading = _model(document, paragraphs, (Role.HEADING, Role.TITLE, Role.SALUTATION))
    plain = _model(document, paragraphs, (Role.CLOSING, Role.SALUTATION, Role.LETTER))
    for letter in document.letters:
        _append_text(word, heading, letter.heading)
        for block in letter.document.blocks:
            for number, lines in _paragraph_lines(block):
                if not 1 <= number <= len(paragraphs):
                    continue
                paragraph = _appended_copy(word, paragraphs[number - 1])
                _rewrite(paragraph, lines, letter.document.sentence_separator, word)
                _mark_language(paragraph, letter.document.language)
    if document.letters_note is not None:
        _append_text(word, plain, document.letters_note)


def _model(document: LocalizedDocument, paragraphs: list, roles: tuple[Role, ...]):  # type: ignore[no-untyped-def]
    """The source paragraph of the first block with one of ``roles`` (in that
    order of preference), else the first paragraph: a style to copy."""
    for role in roles:
        for block in document.blocks:
            if block.role is role and 1 <= block.line <= len(paragraphs):
                return paragraphs[block.line - 1]
    return paragraphs[0]


def _append_text(word, model, text: UiText) -> None:  # type: ignore[no-untyped-def]
    paragraph = _appended_copy(word, model)
    _rewrite(paragraph, [(Piece(text.text),)], " ", word)
    _mark_language(paragraph, text.language)


def _appended_copy(word, model):  # type: ignore[no-untyped-def]
    """An empty copy of ``model`` (its paragraph properties) at the end of the body."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    element = copy.deepcopy(model._p)
    for properties in element.findall(qn("w:pPr")):
        for section in properties.findall(qn("w:sectPr")):  # never a second section break
            properties.remove(section)
    body = word.element.body
    last = body.find(qn("w:sectPr"))
    if last is not None:
        last.addprevious(element)
    else:
        body.append(element)
    return Paragraph(element, word._body)


#: What follows ``w:bidi`` in a paragraph's properties, and ``w:rtl``/``w:lang``
#: in a run's (ECMA-376's order, which Word insists on).
_AFTER_BIDI = (
    "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _mark_language(paragraph, language: str) -> None:  # type: ignore[no-untyped-def]
    """Every run of the paragraph in ``language``; right to left where it is written so."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tag = html_lang(language)
    rtl = text_direction(language) == "rtl"
    if rtl:
        properties = paragraph._p.get_or_add_pPr()
        if properties.find(qn("w:bidi")) is None:
            properties.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)
    for run in paragraph._p.iter(qn("w:r")):
        properties = run.get_or_add_rPr()
        if rtl and properties.find(qn("w:rtl")) is None:
            properties.insert_element_before(OxmlElement("w:rtl"), *_AFTER_RTL)
        for old in properties.findall(qn("w:lang")):
            properties.remove(old)
        lang = OxmlElement("w:lang")
        script = "w:bidi" if rtl else "w:eastAsia" if tag[:2] in {"zh", "ja", "ko"} else "w:val"
        lang.set(qn(script), tag)
        properties.insert_element_before(lang, *_AFTER_LANG)


def _rewrite(paragraph, lines, separator: str, word) -> None:  # type: ignore[no-untyped-def]
    """Replace the paragraph's runs and links; keep its properties."""
    from docx.oxml.ns import qn

    first = paragraph._p.find(f".//{qn('w:r')}/{qn('w:rPr')}")
    base = copy.deepcopy(first) if first is not None else None
    if base is not None:
        for name in ("w:b", "w:bCs", "w:i", "w:iCs"):
            for element in base.findall(qn(name)):
                base.remove(element)
    for child in list(paragraph._p):
        if child.tag != qn("w:pPr"):
            paragraph._p.remove(child)
    for index, pieces in enumerate(lines):
        if index:
            paragraph.add_run().add_break()
        for number, piece in enumerate(pieces):
            if number and separator:
                _add_run(paragraph, separator, (), base)
            for run in runs(piece.text):
                link = next((tag for tag in run.tags if tag.startswith("a")), None)
                target = _target(link, piece.links)
                element = _add_run(paragraph, run.text, run.tags, base)
                if target:
                    _wrap_in_link(paragraph, element, target, word)


def _add_run(paragraph, text: str, tags: tuple[str, ...], base):  # type: ignore[no-untyped-def]
    run = paragraph.add_run(text)
    if base is not None:
        run._r.insert(0, copy.deepcopy(base))
    if "b" in tags:
        run.bold = True
    if "i" in tags:
        run.italic = True
    return run._r


def _target(link: str | None, links: tuple[str, ...]) -> str | None:
    """The target of ``<aN>``, if the HTML writer would link to it."""
    if link is None:
        return None
    target = html_link(link, links).get("href")
    return str(target) if target is not None else None


def safe_target(target: str) -> bool:
    """Whether a link may point at ``target``: the HTML writer's rule, not a copy
    of it, so Word and HTML output never disagree."""
    return html_link("a1", (target,)).get("href") is not None


def _drop_unsafe_links(word) -> None:  # type: ignore[no-untyped-def]
    """Every external hyperlink of every part with an unsafe target: gone, and
    the elements pointing at it unwrapped (``w:hyperlink``: its runs stay) or
    removed (a drawing's ``a:hlinkClick``)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    for part in word.part.package.iter_parts():
        element = getattr(part, "element", None)
        for rid, relationship in list(part.rels.items()):
            if (
                relationship.reltype != RELATIONSHIP_TYPE.HYPERLINK
                or not relationship.is_external
                or safe_target(relationship.target_ref)
            ):
                continue
            if element is not None:
                users = [node for node in element.iter() if node.get(qn("r:id")) == rid]
                for user in users:
                    if user.tag == qn("w:hyperlink"):
                        for child in list(user):
                            user.addprevious(child)
                    user.getparent().remove(user)
            part.rels.pop(rid)


def _wrap_in_link(paragraph, run_element, target: str, word) -> None:  # type: ignore[no-untyped-def]
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relationship = word.part.relate_to(target, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship)
    run_element.addprevious(hyperlink)
    hyperlink.append(run_element)


def _reproducible(data: bytes) -> bytes:
    """The same zip with fixed member dates: the same input, the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, source.read(member))
    return out.getvalue()
