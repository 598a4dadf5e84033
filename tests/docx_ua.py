"""A Word UA written for the tests (python-docx), with what Word documents have:
styles, bold and italic runs split the way Word splits them, a hyperlink, two
addressees with line breaks, a header and a footer."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

LINK = "https://www.amnesty.org/en/documents/mde12/0001/2019/en/"


def _hyperlink(paragraph, text: str, url: str) -> None:  # type: ignore[no-untyped-def]
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = paragraph.add_run(text)
    run.underline = True
    link.append(run._r)
    paragraph._p.append(link)


def _lines(document, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    """One paragraph, its lines separated by line breaks (an addressee)."""
    paragraph = document.add_paragraph()
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        if index < len(lines) - 1:
            run.add_break()


def make_ua_docx(path: Path) -> Path:
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Amnesty International — UA 6/19"
    document.sections[0].footer.paragraphs[0].text = "Index: MDE 12/0001/2019"
    banner = document.add_paragraph()
    run = banner.add_run("URGENT ACTION")
    run.bold = True
    run.font.color.rgb = RGBColor(0xCC, 0x00, 0x00)
    document.add_heading("Two lawyers detained in Cairo", level=1)
    summary = document.add_paragraph("Lawyers ")
    summary.add_run("Mahmoud ").bold = True  # Word splits runs at will
    summary.add_run("Farid").bold = True
    summary.add_run(
        " and Hoda Nasr were arrested on 2 February 2019. They are held without charge."
    )
    call = document.add_paragraph()
    call.add_run(
        "TAKE ACTION: WRITE AN APPEAL IN YOUR OWN WORDS OR USING THIS MODEL LETTER"
    ).bold = True
    _lines(document, ["Counsellor Hamada al-Sawy", "Public Prosecutor",
                      "Office of the Public Prosecutor", "Madinat al-Rehab", "Cairo, Egypt",
                      "Fax: +202 2577 4716"])  # fmt: skip
    _lines(document, ["Mohamed Abdelghaffar", "Minister of Interior", "Ministry of Interior",
                      "25 Sheikh Rihan Street", "Cairo, Egypt", "Twitter: @moiegy"])  # fmt: skip
    document.add_paragraph("Dear Counsellor,")
    letter = document.add_paragraph(
        "I am writing to express my concern about the detention of two lawyers. According to "
    )
    _hyperlink(letter, "a report by Amnesty International", LINK)
    letter.add_run(", they were questioned without a lawyer present.")
    urge = document.add_paragraph("I urge you to release them ")
    urge.add_run("immediately and unconditionally").italic = True
    urge.add_run(".")
    for run in urge.runs:
        run.font.size = Pt(11)
    document.add_paragraph("Yours sincerely,")
    document.add_heading("ADDITIONAL INFORMATION", level=2)
    document.add_paragraph(
        "Both lawyers have represented families of people subjected to enforced disappearance."
    )
    document.add_paragraph("PREFERRED LANGUAGE TO ADDRESS TARGET: ARABIC, ENGLISH")
    document.add_paragraph("You can also write in your own language.")
    document.add_paragraph("PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: 30 March 2019")
    document.add_paragraph(
        "Please check with the Amnesty office in your country if you wish to send appeals "
        "after the deadline."
    )
    document.save(path)
    return path
