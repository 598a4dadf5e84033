"""Plain text output: one paragraph a line, blank lines between blocks.

Meant for pasting into an e-mail or a web form. The addressee block keeps its
line breaks. A draft lists, at the end, the segments still in the source
language.
"""

from __future__ import annotations

from uai18n.inline import strip_tags
from uai18n.locales import language_name
from uai18n.localize import LocalizedBlock, LocalizedDocument
from uai18n.model import Role

DRAFT_RULE = "-" * 40


def block_text(block: LocalizedBlock, separator: str) -> str:
    """The text of one block; addressee lines are kept as lines."""
    if block.role is Role.ADDRESSEE:
        return "\n".join(
            " ".join(strip_tags(piece.text) for piece in line.pieces) for line in block.lines
        )
    return separator.join(strip_tags(piece.text) for piece in block.pieces)


def render_text(document: LocalizedDocument) -> str:
    """The document as UTF-8 text, ending with a newline."""
    body = "\n\n".join(block_text(block, document.sentence_separator) for block in document.blocks)
    lines = [body]
    if document.machine:
        lines += [
            "",
            DRAFT_RULE,
            f"MACHINE TRANSLATION: {len(document.machine)} segment(s) are suggestions from "
            "translation memory or a machine that no person has checked (source lines):",
        ]
        for segment in document.machine:
            lines.append(f"- line {segment.line} ({segment.place}): {strip_tags(segment.text)}")
    if document.draft and document.missing:
        source = language_name(document.source_language)
        lines += [
            "",
            DRAFT_RULE,
            f"DRAFT: {len(document.missing)} segment(s) are not translated yet and appear in "
            f"{source}:",
        ]
        for segment in document.missing:
            lines.append(f"- line {segment.line} ({segment.place}): {strip_tags(segment.text)}")
    return "\n".join(lines) + "\n"
