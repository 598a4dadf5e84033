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
The bytes are reproducible: the zip's dates are fixed.
"""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

from uai18n.errors import UserError
from uai18n.inline import runs
from uai18n.localize import LocalizedBlock, LocalizedDocument, Piece
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
