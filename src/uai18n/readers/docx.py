"""Word UAs (.docx) -> Document, read with python-docx behind zip guards.

Every body paragraph (tables' cells included) becomes a paragraph numbered by
its place among the document's paragraphs, which the ``#:`` reference shows
("source/ua.docx:12" is the 12th paragraph) and the docx writer uses to put
each translation back where it came from. Bold and italic runs and
hyperlinks become the inline tags of :mod:`uai18n.inline`; a line break in a
paragraph (the addressee block) breaks lines; Heading and Title styles count
as headings. Then the UA rules of :mod:`readers.ua` apply, as for text and HTML.

A .docx is a zip of XML parts, so before python-docx sees one: no more than
:data:`MAX_MEMBERS` members, no member name that climbs out (``..``, a
leading ``/``, a backslash, a drive letter) or appears twice, only stored or
deflated members, no member that inflates more than :data:`MAX_RATIO` times
(past :data:`SMALL_PART`) or past :data:`MAX_TOTAL` bytes in all (zip
bombs), and no external relationship except hyperlinks (an external template
or object is how a document reaches out to the network). python-docx's XML
parser resolves no entities.

The sizes a zip declares are not trusted: each member is inflated in chunks
and its bytes counted, stopping past its limit, and python-docx is handed a
package rebuilt from the bytes so read, never the original (zipfile inflates a
whole member in one call before cutting it to the declared size, so a 1 MB
file declaring a tiny part that holds 1 GiB would cost gigabytes of memory).
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath

from lxml import etree

from uai18n.errors import UserError
from uai18n.model import Document
from uai18n.readers.markup import paragraph_from_markup
from uai18n.readers.ua import document_of
from uai18n.safexml import parse_untrusted

MAX_MEMBERS = 2000
MAX_TOTAL = 200 * 1024 * 1024
MAX_RATIO = 200
SMALL_PART = 1024 * 1024  # a part up to this size may inflate any number of times
CHUNK = 64 * 1024
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Word writes
_DRIVE = re.compile(r"^[A-Za-z]:")
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
HEADING_STYLES = ("Heading", "Title", "Subtitle")


def check_package(data: bytes, where: str) -> bytes:
    """Refuse what a docx must not be (not a zip, a zip bomb, climbing names,
    external relationships other than hyperlinks); give back the package
    rebuilt from the bytes actually inflated, for python-docx to open."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UserError("not a Word document (.docx is a zip; this is not one)", where) from None
    out = io.BytesIO()
    with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as rebuilt:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise UserError(f"{len(members)} parts in the package: refused (zip bomb?)", where)
        _check_names(members, where)
        if "word/document.xml" not in archive.namelist():
            raise UserError("not a Word document: no word/document.xml", where)
        total = sum(member.file_size for member in members)
        if total > MAX_TOTAL:
            raise UserError(f"{total} bytes unpacked: refused (zip bomb?)", where)
        for member in members:
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > SMALL_PART and ratio > MAX_RATIO:
                raise UserError(
                    f"part {member.filename!r} inflates {ratio} times: refused (zip bomb?)", where
                )
            part = _inflate(archive, member, where)
            if member.filename.endswith(".rels"):
                _check_relationships(part, f"{where}!{member.filename}")
            rebuilt.writestr(zipfile.ZipInfo(member.filename), part)  # 1980: dates may be bad
    return out.getvalue()


def _check_names(members: list[zipfile.ZipInfo], where: str) -> None:
    """No part name may leave the package, whichever system unpacks it, or repeat."""
    seen: set[str] = set()
    for member in members:
        name = member.filename
        path = PurePosixPath(name)
        if path.is_absolute() or ".." in path.parts or "\\" in name or _DRIVE.match(name):
            raise UserError(f"part name {name!r} leaves the package: refused", where)
        if name in seen:
            raise UserError(f"part {name!r} appears twice: refused", where)
        seen.add(name)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, where: str) -> bytes:
    """The member's bytes, inflated a chunk at a time and counted, whatever it declares.

    The declared sizes have passed the ratio and total limits, so the declared
    size is the limit: the member is opened as if it declared one byte more (and
    no CRC: ours is checked once the size is known), so zipfile reads past a
    lying size far enough to show the lie, and no further.
    """
    name = member.filename
    if member.flag_bits & 0x1:
        raise UserError(f"part {name!r} is encrypted: refused", where)
    if member.compress_type not in _METHODS:
        raise UserError(f"part {name!r}: compression method {member.compress_type} refused", where)
    limit = member.file_size
    probe = copy.copy(member)
    probe.file_size = limit + 1
    probe.CRC = None  # type: ignore[assignment]  # zipfile then checks none
    chunks: list[bytes] = []
    size = crc = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise UserError(
                        f"part {name!r} holds more than the {limit} bytes it declares: "
                        "refused (zip bomb?)",
                        where,
                    )
                crc = zlib.crc32(chunk, crc)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise UserError(f"part {name!r} is damaged: {error}", where) from None
    if size != member.file_size:
        raise UserError(
            f"part {name!r} declares {member.file_size} bytes but holds {size}: refused", where
        )
    if crc != member.CRC:
        raise UserError(f"part {name!r} is damaged: its CRC-32 does not match", where)
    return b"".join(chunks)


def _check_relationships(data: bytes, where: str) -> None:
    root = parse_untrusted(data, where)
    for relationship in root.iter(f"{_RELS_NS}Relationship"):
        external = relationship.get("TargetMode") == "External"
        if external and relationship.get("Type") != _HYPERLINK:
            kind = (relationship.get("Type") or "").rsplit("/", 1)[-1]
            target = relationship.get("Target")
            raise UserError(
                f"external relationship ({kind}) to {target!r}: refused", where,
                relationship.sourceline,
            )  # fmt: skip


def open_docx(data: bytes, where: str):  # type: ignore[no-untyped-def]
    """The python-docx Document, after :func:`check_package`."""
    import docx

    package = check_package(data, where)
    try:
        return docx.Document(io.BytesIO(package))
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile) as error:
        raise UserError(f"cannot read the Word document: {error}", where) from None


def body_paragraphs(document) -> Iterator:  # type: ignore[no-untyped-def]
    """Every paragraph of the body in order, tables' cells included."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph

    def walk(container):  # type: ignore[no-untyped-def]
        for item in container.iter_inner_content():
            if isinstance(item, DocxParagraph):
                yield item
            elif isinstance(item, Table):
                for row in item.rows:
                    for cell in row.cells:
                        yield from walk(cell)

    yield from walk(document)


def read_docx(
    data: bytes,
    *,
    doc_id: str,
    source_path: str,
    language: str,
    segment_mode: str = "sentence",
    abbreviations: tuple[str, ...] = (),
) -> Document:
    """Read a Word UA into a :class:`Document`."""
    document = open_docx(data, source_path)
    paragraphs = []
    for number, paragraph in enumerate(body_paragraphs(document), 1):
        content, links = paragraph_markup(paragraph)
        style = paragraph.style.name if paragraph.style is not None else ""
        read = paragraph_from_markup(
            content, links, number, heading=style.startswith(HEADING_STYLES)
        )
        if read is not None:
            paragraphs.append(read)
    return document_of(
        paragraphs,
        doc_id=doc_id,
        source_path=source_path,
        language=language,
        segment_mode=segment_mode,
        abbreviations=abbreviations,
    )


def paragraph_markup(paragraph) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    """The paragraph's text with inline tags ("\\n" for line breaks), and its links."""
    from docx.text.hyperlink import Hyperlink

    pieces: list[str] = []
    links: list[str] = []
    for item in paragraph.iter_inner_content():
        if isinstance(item, Hyperlink):
            url = item.url
            runs = "".join(_run_markup(run) for run in item.runs)
            if url:
                links.append(url)
                pieces.append(f"<a{len(links)}>{runs}</a{len(links)}>")
            else:
                pieces.append(runs)
        else:
            pieces.append(_run_markup(item))
    return "".join(pieces), links


def _run_markup(run) -> str:  # type: ignore[no-untyped-def]
    text = run.text.replace("<", "‹").replace("\t", " ")
    if not text.strip():
        return text
    if run.italic:
        text = f"<i>{text}</i>"
    if run.bold:
        text = f"<b>{text}</b>"
    return text
