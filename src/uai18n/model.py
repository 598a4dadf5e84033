"""The shared data model: what every stage reads and writes.

A source file is read into a :class:`Document`: ordered :class:`Block` s, each
with a :class:`Role`. Translatable text lives in :class:`Segment` s (one
sentence, or one paragraph); text that must reach a post office unchanged
(names, postal addresses, handles, numbers) is kept in the document as
verbatim and never becomes a msgid. Values the build fills per locale (the
deadline, the preferred languages) are :class:`Variable` s.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator
from dataclasses import dataclass, field


class Role(enum.StrEnum):
    """What a block is in an Urgent Action; the extracted comment names it."""

    BANNER = "banner"
    TITLE = "title"
    SUMMARY = "summary"
    CALL_TO_ACTION = "call_to_action"
    ADDRESSEE = "addressee"
    SALUTATION = "salutation"
    LETTER = "letter"
    CLOSING = "closing"
    HEADING = "heading"
    BACKGROUND = "background"
    PREFERRED_LANGUAGES = "preferred_languages"
    OWN_LANGUAGE = "own_language"
    DEADLINE = "deadline"
    DEADLINE_NOTE = "deadline_note"
    PARAGRAPH = "paragraph"


#: How a role reads in a translator's extracted comment ("letter, paragraph 2").
ROLE_LABELS: dict[Role, str] = {
    Role.BANNER: "banner",
    Role.TITLE: "title",
    Role.SUMMARY: "summary",
    Role.CALL_TO_ACTION: "call to action",
    Role.ADDRESSEE: "addressee",
    Role.SALUTATION: "salutation",
    Role.LETTER: "letter",
    Role.CLOSING: "closing",
    Role.HEADING: "section heading",
    Role.BACKGROUND: "background",
    Role.PREFERRED_LANGUAGES: "preferred languages",
    Role.OWN_LANGUAGE: "own language",
    Role.DEADLINE: "deadline",
    Role.DEADLINE_NOTE: "deadline note",
    Role.PARAGRAPH: "paragraph",
}


class LineKind(enum.StrEnum):
    """Kinds of line in an addressee block."""

    NAME = "name"  # verbatim: the addressee's name
    TITLE = "title"  # translatable: "President of the Russian Federation"
    ADDRESS = "address"  # verbatim: postal address line
    CONTACT = "contact"  # translatable label + verbatim value ("Fax:" "+7 ...")


@dataclass(frozen=True)
class Segment:
    """One unit a translator sees (a msgid).

    ``text`` is the msgid; ``line`` is the source line where the segment
    starts, for the ``#:`` reference; ``place`` says where it sits
    ("letter, paragraph 2, sentence 1") for the ``#.`` comment; ``flags`` are
    gettext flags such as ``python-brace-format``. Text from HTML or Word may
    hold inline tags (``<b>``, ``<i>``, ``<a1>``; see :mod:`uai18n.inline`);
    ``links`` are the targets of ``<a1>``, ``<a2>``..., kept here and never in
    the msgid.
    """

    text: str
    line: int
    place: str
    flags: tuple[str, ...] = ()
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Variable:
    """A value the build formats per locale instead of asking a translator."""

    name: str
    source_text: str  # as the source wrote it: "17 May 2019", "RUSSIAN, ENGLISH"
    date: datetime.date | None = None
    languages: tuple[str, ...] = ()
    uppercase: bool = False  # the source line is in capitals, so is the value


@dataclass(frozen=True)
class AddresseeLine:
    """One line of an addressee block.

    A name or address line is verbatim (``verbatim`` holds it). A title line
    is one segment (``label``). A contact line has a translatable label
    ("Fax:") and a verbatim value ("+7 495 9102134"), or, when the value is
    prose ("Salutation: Dear Counsellor"), a translatable ``value``.
    """

    kind: LineKind
    line: int
    label: Segment | None = None
    verbatim: str = ""
    value: Segment | None = None


@dataclass(frozen=True)
class Block:
    """A paragraph-level unit of the document, in source order."""

    role: Role
    line: int
    segments: tuple[Segment, ...] = ()
    lines: tuple[AddresseeLine, ...] = ()  # only for Role.ADDRESSEE
    variables: tuple[Variable, ...] = ()

    @property
    def text(self) -> str:
        """The source text of the block, segments joined with one space."""
        if self.role is Role.ADDRESSEE:
            return "\n".join(_addressee_line_text(line) for line in self.lines)
        return " ".join(segment.text for segment in self.segments)


def _addressee_line_text(line: AddresseeLine) -> str:
    label = line.label.text if line.label else ""
    value = line.value.text if line.value else line.verbatim
    return " ".join(part for part in (label, value) if part)


@dataclass(frozen=True)
class Document:
    """A parsed source document: its id (the file stem) and its blocks."""

    doc_id: str
    source_path: str  # as written in references: "source/ua-2-19-chechnya.txt"
    language: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def segments(self) -> Iterator[Segment]:
        """Every translatable segment, in document order."""
        for block in self.blocks:
            yield from block.segments
            for line in block.lines:
                if line.label is not None:
                    yield line.label
                if line.value is not None:
                    yield line.value

    def variables(self) -> dict[str, Variable]:
        """The variables of the document by name."""
        return {var.name: var for block in self.blocks for var in block.variables}

    def verbatim_strings(self) -> tuple[str, ...]:
        """The addressee's names and contact values (handles, numbers, e-mail).

        Where a sentence quotes one, a translation must copy it exactly (the
        check) and an engine must not see it (pre-translation masks it).
        Address lines are left out: "Russian Federation" is also ordinary
        prose that a translation rightly translates.
        """
        strings = []
        for block in self.blocks:
            for line in block.lines:
                if line.kind in {LineKind.NAME, LineKind.CONTACT} and line.verbatim:
                    strings.append(line.verbatim)
        return tuple(strings)
