"""Reader for UAs as PDF-extracted plain text: the layout.

The layout: lines wrapped at the page width, no blank line between
paragraphs, headings in capitals, the template's cue lines each on its own.
This module turns physical lines into paragraphs (:func:`paragraphs_of`),
rejoining wrapped lines with :func:`ends_paragraph`; what each paragraph *is*
(title, letter, addressee...) is decided by the rules of :mod:`readers.ua`,
which the HTML and Word readers share.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from uai18n.model import Document
from uai18n.readers.ua import Line, Paragraph, document_of, is_cue, is_heading

__all__ = [
    "Line",
    "Paragraph",
    "ends_paragraph",
    "ends_sentence",
    "is_cue",
    "is_heading",
    "next_word_would_fit",
    "paragraphs_of",
    "read_text",
    "regions_of",
]

_SENTENCE_END = re.compile(r"[.!?…]['’”»)\]]*$")


def ends_sentence(text: str) -> bool:
    """The line ends with . ! ? or an ellipsis, perhaps inside a closing quote."""
    return bool(_SENTENCE_END.search(text))


def next_word_would_fit(text: str, next_text: str, width: int) -> bool:
    """The next line's first word would have fitted on this line.

    PDF text is wrapped greedily: a line is only broken early when the
    paragraph ends there. So if the next word would have fitted, the line
    ended its paragraph.
    """
    first_word = next_text.split(" ", 1)[0]
    return len(text) + 1 + len(first_word) <= width


def ends_paragraph(line: Line, next_line: Line | None, width: int) -> bool:
    """Rejoin rule: a line ends its paragraph when the text says so.

    The last line of a region ends it; a cue line stands alone; a heading
    stands alone unless it wraps onto another line in capitals; a line
    ending a sentence ends the paragraph when the next word would have fitted
    on it (it was broken early on purpose).
    """
    if next_line is None or is_cue(line.text) or is_cue(next_line.text):
        return True
    if is_heading(line.text) and is_heading(next_line.text):
        return False  # a heading wrapped over two lines
    if is_heading(line.text) or is_heading(next_line.text):
        return True
    return ends_sentence(line.text) and next_word_would_fit(line.text, next_line.text, width)


def paragraphs_of(region: Sequence[Line]) -> list[Paragraph]:
    """Rejoin the wrapped lines of one region (lines between blank lines).

    The width is the region's longest line: sections of a UA are set in
    different widths (letter and background differ), so a global width
    would misjudge short-but-full lines.
    """
    width = max((len(line.text) for line in region), default=0)
    paragraphs: list[Paragraph] = []
    current: list[Line] = []
    for index, line in enumerate(region):
        current.append(line)
        next_line = region[index + 1] if index + 1 < len(region) else None
        if ends_paragraph(line, next_line, width):
            text = " ".join(part.text for part in current)
            paragraphs.append(Paragraph(current[0].number, text, tuple(current)))
            current = []
    return paragraphs


def regions_of(lines: Sequence[Line]) -> list[list[Line]]:
    """Split on blank lines."""
    regions: list[list[Line]] = [[]]
    for line in lines:
        if line.text:
            regions[-1].append(line)
        elif regions[-1]:
            regions.append([])
    return [region for region in regions if region]


# --- entry point ------------------------------------------------------------------


def read_text(
    text: str,
    *,
    doc_id: str,
    source_path: str,
    language: str,
    segment_mode: str = "sentence",
    abbreviations: tuple[str, ...] = (),
) -> Document:
    """Read a UA in the PDF-extracted text layout into a :class:`Document`."""
    lines = [Line(number, " ".join(raw.split())) for number, raw in enumerate(text.splitlines(), 1)]
    paragraphs = [paragraph for region in regions_of(lines) for paragraph in paragraphs_of(region)]
    return document_of(
        paragraphs,
        doc_id=doc_id,
        source_path=source_path,
        language=language,
        segment_mode=segment_mode,
        abbreviations=abbreviations,
    )
