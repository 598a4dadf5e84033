"""Plain text output: one paragraph a line, blank lines between blocks.

Meant for pasting into an e-mail or a web form. The addressee block keeps its
line breaks. A draft lists, after the text, the segments still in the source
language. The output ends with the model letter in each of the target's
preferred languages that has one (:mod:`uai18n.letters`), each under its
heading, and a sentence naming those that have none.
"""

from __future__ import annotations

from uai18n.inline import strip_tags
from uai18n.locales import language_name
from uai18n.localize import Letter, LocalizedBlock, LocalizedDocument
from uai18n.model import Role

DRAFT_RULE = "-" * 40
LETTER_RULE = "=" * 40


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
    for letter in document.letters:  # the output ends with the letters
        lines += ["", LETTER_RULE, letter_text(letter)]
    if document.letters_note is not None:
        lines += ["", LETTER_RULE, document.letters_note.text]
    return "\n".join(lines) + "\n"


def letter_text(letter: Letter) -> str:
    """A letter under its heading: the heading, a blank line, the letter's blocks."""
    blocks = letter.document.blocks
    separator = letter.document.sentence_separator
    return "\n\n".join([letter.heading.text, *(block_text(block, separator) for block in blocks)])


def render_letter_text(letter: Letter) -> str:
    """``<doc>.letter.txt``: one letter alone, ending with a newline."""
    return letter_text(letter) + "\n"
