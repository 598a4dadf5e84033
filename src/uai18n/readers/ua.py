"""What an Urgent Action is: its sections, cue lines and addressee block.

Every reader (PDF-extracted text, HTML, Word) turns its source into
:class:`Paragraph` objects; the rules here give each its :class:`Role`, walking
the UA's sections in order (:func:`assign_roles`), split the addressee block
into verbatim lines and translatable labels (:func:`read_addressee`), and
refuse a document without the parts of an Urgent Action (:data:`REQUIRED`,
:func:`document_of`), whatever its format.

The cue phrases are the English UA template's ("URGENT ACTION", "TAKE
ACTION ...", "Dear ...,", "Yours sincerely,", "PREFERRED LANGUAGE TO ADDRESS
TARGET:", "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL:"); they live in one
table (:data:`CUES`) so that a Spanish or French template can be added beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from uai18n.errors import UserError
from uai18n.inline import balanced, renumber_links
from uai18n.locales import parse_language_names, parse_long_date
from uai18n.model import (
    ROLE_LABELS,
    AddresseeLine,
    Block,
    Document,
    LineKind,
    Role,
    Segment,
    Variable,
)
from uai18n.segment import split_sentences

BRACE_FORMAT = "python-brace-format"


@dataclass(frozen=True)
class Line:
    """A physical source line, whitespace-trimmed, with its 1-based number."""

    number: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Physical lines rejoined: its first line number and the joined text.

    Readers of marked-up formats also give the text with inline tags
    (``markup``, see :mod:`uai18n.inline`) and the links' targets; ``heading``
    says the source marked it as a heading (``<h2>``, a Word heading style)
    where the text layout would need capitals.
    """

    line: int
    text: str
    lines: tuple[Line, ...]
    markup: str = ""
    links: tuple[str, ...] = ()
    heading: bool = False


# --- cue lines of the English UA template ------------------------------------

CUES: dict[str, re.Pattern[str]] = {
    "banner": re.compile(r"^URGENT ACTION\b"),
    "call_to_action": re.compile(r"^TAKE ACTION\b"),
    "salutation": re.compile(r"^Dear\b.{0,80}[,:]$"),
    "closing": re.compile(
        r"^(?:Yours (?:sincerely|faithfully|truly)|Sincerely|Kind regards|Best regards)\b.{0,40}$",
        re.IGNORECASE,
    ),
    "preferred_languages": re.compile(r"^PREFERRED LANGUAGES? TO ADDRESS TARGETS?\b"),
    "own_language": re.compile(r"^You can also write in your own language\b"),
    "deadline": re.compile(r"^PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL\b"),
}

#: Words of office that make an addressee line a title ("Public Prosecutor").
OFFICE_WORDS = frozenset(
    [
        "president",
        "prime",
        "minister",
        "ministry",
        "prosecutor",
        "attorney",
        "general",
        "governor",
        "head",
        "chair",
        "chairman",
        "chairperson",
        "chairwoman",
        "director",
        "commissioner",
        "ambassador",
        "ombudsman",
        "ombudsperson",
        "judge",
        "justice",
        "chief",
        "secretary",
        "king",
        "queen",
        "emir",
        "sheikh",
        "mayor",
        "speaker",
        "counsellor",
        "councillor",
        "commander",
        "officer",
        "inspector",
        "representative",
        "deputy",
        "senator",
        "chancellor",
        "premier",
        "leader",
    ]
)

#: First words of an organisation line ("Office of the Public Prosecutor"):
#: part of the postal address, so verbatim.
ORGANISATION_WORDS = frozenset(
    [
        "office",
        "ministry",
        "embassy",
        "department",
        "administration",
        "court",
        "prison",
        "committee",
        "parliament",
        "council",
        "headquarters",
        "secretariat",
        "directorate",
        "agency",
    ]
)

#: Lowercase words that make a line read as a phrase ("President of the ...").
_CONNECTIVES = frozenset(["of", "for", "the", "and", "to", "in", "on", "at"])

_CONTACT = re.compile(r"^(?P<label>[^\W\d][\w’'\-]*(?: [\w’'\-]+){0,2}):\s*(?P<value>.*)$")
_VERBATIM_VALUE = re.compile(r"[\d@/]|\w\.\w")


def is_cue(text: str) -> bool:
    """One of the template's cue lines, which always stand alone."""
    return any(pattern.search(text) for pattern in CUES.values())


def is_heading(text: str) -> bool:
    """A line in capitals (at least two letters, none lowercase) is a heading:
    the template sets titles and section headings in capitals."""
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters if char.isalpha())


# --- roles ----------------------------------------------------------------


@dataclass
class _Builder:
    """Turns paragraphs with roles into blocks with segments."""

    doc_path: str
    language: str
    segment_mode: str
    abbreviations: tuple[str, ...]
    blocks: list[Block]
    counters: dict[Role, int]

    def add(self, role: Role, paragraph: Paragraph, *, split: bool = True) -> None:
        self.counters[role] = self.counters.get(role, 0) + 1
        place = ROLE_LABELS[role]
        if role in _NUMBERED_ROLES:
            place += f", paragraph {self.counters[role]}"
        text = paragraph.markup or paragraph.text
        if split and self.segment_mode == "sentence":
            sentences = keep_tags_together(split_sentences(text, self.language, self.abbreviations))
        else:
            sentences = [" ".join(text.split())]
        segments = []
        for index, sentence in enumerate(sentences):
            msgid, links = renumber_links(sentence, paragraph.links)
            segments.append(
                Segment(
                    text=msgid,
                    line=_line_of(sentence, paragraph, index, sentences),
                    place=f"{place}, sentence {index + 1}" if len(sentences) > 1 else place,
                    links=links,
                )
            )
        self.blocks.append(Block(role=role, line=paragraph.line, segments=tuple(segments)))

    def add_variable(self, role: Role, paragraph: Paragraph) -> None:
        """A cue line whose value the build fills per locale."""
        lead, sep, value = paragraph.text.partition(":")
        value = value.strip()
        if not sep or not value:
            raise UserError(
                f"expected 'LABEL: value' on the {ROLE_LABELS[role]} line",
                self.doc_path,
                paragraph.line,
            )
        uppercase = is_heading(value)
        if role is Role.DEADLINE:
            date = parse_long_date(value, self.language)
            if date is None:
                raise UserError(
                    f"cannot read the deadline date {value!r}",
                    self.doc_path,
                    paragraph.line,
                )
            variable = Variable("deadline", value, date=date, uppercase=uppercase)
        else:
            languages = parse_language_names(value, self.language)
            if languages is None:
                raise UserError(
                    f"unknown language name in {value!r}", self.doc_path, paragraph.line
                )
            variable = Variable("languages", value, languages=languages, uppercase=uppercase)
        msgid = f"{_escape_braces(lead)}: {{{variable.name}}}"
        segment = Segment(msgid, paragraph.line, ROLE_LABELS[role], (BRACE_FORMAT,))
        self.blocks.append(Block(role, paragraph.line, (segment,), variables=(variable,)))


_NUMBERED_ROLES = frozenset({Role.SUMMARY, Role.LETTER, Role.BACKGROUND, Role.PARAGRAPH})


def keep_tags_together(sentences: list[str]) -> list[str]:
    """Join sentences that a tag spans: each segment's tags must balance."""
    joined: list[str] = []
    for sentence in sentences:
        if joined and not balanced(joined[-1]):
            joined[-1] = f"{joined[-1]} {sentence}"
        else:
            joined.append(sentence)
    return joined


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _line_of(sentence: str, paragraph: Paragraph, index: int, sentences: list[str]) -> int:
    """The source line on which sentence ``index`` of the paragraph starts."""
    offset = sum(len(previous) + 1 for previous in sentences[:index])
    position = 0
    for line in paragraph.lines:
        position += len(line.text) + 1
        if offset < position:
            return line.number
    return paragraph.lines[-1].number


def assign_roles(paragraphs: Sequence[Paragraph], builder: _Builder) -> None:
    """Walk the UA's sections in order and give each paragraph its role.

    Sections: banner, title, summary, call to action, addressee, salutation,
    letter, closing, then headed sections of background, then the closing
    cue lines (preferred languages, own language, deadline, deadline note).
    """
    section = "start"
    addressee: list[Paragraph] = []
    for paragraph in paragraphs:
        text = paragraph.text
        role = _cue_role(text)
        if section == "addressee" and role is not Role.SALUTATION:
            addressee.append(paragraph)
            continue
        if role is Role.BANNER and section == "start":
            builder.add(Role.BANNER, paragraph, split=False)
            section = "title"
        elif role is Role.CALL_TO_ACTION and section in {"title", "summary", "start"}:
            builder.add(Role.CALL_TO_ACTION, paragraph, split=False)
            section = "addressee"
        elif role is Role.SALUTATION and section in {"addressee", "letter"}:
            if addressee:
                builder.blocks.append(read_addressee(addressee, builder))
                addressee = []
            builder.add(Role.SALUTATION, paragraph, split=False)
            section = "letter"
        elif role is Role.CLOSING and section == "letter":
            builder.add(Role.CLOSING, paragraph, split=False)
            section = "after_letter"
        elif role in {Role.PREFERRED_LANGUAGES, Role.DEADLINE}:
            builder.add_variable(role, paragraph)
            section = "end"
        elif role is Role.OWN_LANGUAGE:
            builder.add(Role.OWN_LANGUAGE, paragraph)
            section = "end"
        elif is_heading(text) or paragraph.heading:
            if section in {"start", "title"}:
                builder.add(Role.TITLE, paragraph, split=False)
                section = "summary"
            else:
                builder.add(Role.HEADING, paragraph, split=False)
                if section in {"after_letter", "background"}:
                    section = "background"
        else:
            builder.add(_prose_role(section, builder), paragraph)
    if section == "addressee" or addressee:
        raise UserError(
            "no salutation line ('Dear ...,') after the addressee block",
            builder.doc_path,
        )


def _cue_role(text: str) -> Role | None:
    for name, pattern in CUES.items():
        if pattern.search(text):
            return Role(name)
    return None


def _prose_role(section: str, builder: _Builder) -> Role:
    if section in {"summary", "title", "start"}:
        return Role.SUMMARY
    if section == "letter":
        return Role.LETTER
    if section == "background":
        return Role.BACKGROUND
    if section == "end":
        return (
            Role.DEADLINE_NOTE
            if builder.blocks
            and builder.blocks[-1].role
            in {
                Role.DEADLINE,
                Role.DEADLINE_NOTE,
            }
            else Role.PARAGRAPH
        )
    return Role.PARAGRAPH


# --- the addressee block ---------------------------------------------------------


def is_contact(text: str) -> bool:
    """``Label: value`` with a short label: "Fax: +7 ...", "Salutation: Dear ..."."""
    return bool(_CONTACT.match(text)) and not text.startswith(("http:", "https:"))


def is_address_line(text: str) -> bool:
    """A postal address line: it carries a number (street, postcode, PO box)."""
    return any(char.isdigit() for char in text)


def is_organisation_line(text: str) -> bool:
    """An organisation's name opens the postal address ("Ministry of ...")."""
    first = text.split(" ", 1)[0].casefold()
    return first in ORGANISATION_WORDS


def is_title_line(text: str) -> bool:
    """An addressee's title names an office and no person.

    "President of the Russian Federation" and "Public Prosecutor" are titles;
    "Counsellor Hany Mahmoud Shehata" (an office word, then a full name) is a
    name line with an honorific.
    """
    words = re.findall(r"[^\W\d_]+", text)
    if not any(word.casefold() in OFFICE_WORDS for word in words):
        return False
    if any(word in _CONNECTIVES for word in words):
        return True
    others = [word for word in words if word.casefold() not in OFFICE_WORDS and word[0].isupper()]
    return len(others) <= 1


def is_verbatim_value(text: str) -> bool:
    """A contact value to copy exactly (handle, number, e-mail, URL), not prose."""
    return bool(_VERBATIM_VALUE.search(text))


def read_addressee(paragraphs: Sequence[Paragraph], builder: _Builder) -> Block:
    """Classify each line of the addressee block.

    Each addressee is a group: name and title lines, then address lines (from
    the first line with a number, or naming an organisation, on), then
    contact lines ("Label: value").
    A name or title line after contact lines starts the next addressee.
    """
    lines: list[AddresseeLine] = []
    group = 0
    stage = "contacts"  # so that the first line opens group 1
    for line in (line for paragraph in paragraphs for line in paragraph.lines):
        text = line.text
        if is_contact(text):
            stage = "contacts"
            lines.append(_contact_line(line, group, builder))
            continue
        if stage == "contacts":
            group += 1
            stage = "head"
        if stage == "head" and (is_address_line(text) or is_organisation_line(text)):
            stage = "address"
        if stage == "head" and is_title_line(text):
            segment = Segment(text, line.number, f"addressee {group}, title")
            lines.append(AddresseeLine(LineKind.TITLE, line.number, label=segment))
        elif stage == "head":
            lines.append(AddresseeLine(LineKind.NAME, line.number, verbatim=text))
        else:
            lines.append(AddresseeLine(LineKind.ADDRESS, line.number, verbatim=text))
    first = paragraphs[0].line
    return Block(Role.ADDRESSEE, first, lines=tuple(lines))


def _contact_line(line: Line, group: int, builder: _Builder) -> AddresseeLine:
    match = _CONTACT.match(line.text)
    assert match is not None
    label = Segment(f"{match['label']}:", line.number, f"addressee {max(group, 1)}, contact label")
    value = match["value"].strip()
    if value and not is_verbatim_value(value):
        prose = Segment(value, line.number, f"addressee {max(group, 1)}, {match['label'].lower()}")
        return AddresseeLine(LineKind.CONTACT, line.number, label=label, value=prose)
    return AddresseeLine(LineKind.CONTACT, line.number, label=label, verbatim=value)


# --- the Urgent Action check -------------------------------------------------------

#: Roles without which a document is not an Urgent Action we can lay out again.
REQUIRED = {
    Role.CALL_TO_ACTION: "the call to action ('TAKE ACTION ...')",
    Role.SALUTATION: "the salutation ('Dear ...,')",
    Role.LETTER: "the model letter",
    Role.CLOSING: "the closing ('Yours sincerely,')",
}


def document_of(
    paragraphs: Sequence[Paragraph],
    *,
    doc_id: str,
    source_path: str,
    language: str,
    segment_mode: str,
    abbreviations: tuple[str, ...],
) -> Document:
    """Roles for a reader's paragraphs; refused unless they make an Urgent Action.

    A source of any format may be anything at all (minutes of a meeting, a
    press release): without the call to action, salutation, letter and
    closing it cannot be laid out as a UA again, so it is refused, naming
    what is missing, rather than extracted into a catalogue of nonsense.
    """
    if not paragraphs:
        raise UserError("the document has no text", source_path)
    builder = _Builder(source_path, language, segment_mode, abbreviations, [], {})
    assign_roles(paragraphs, builder)
    found = {block.role for block in builder.blocks}
    missing = [description for role, description in REQUIRED.items() if role not in found]
    if missing:
        raise UserError("not an Urgent Action layout: missing " + ", ".join(missing), source_path)
    return Document(
        doc_id=doc_id, source_path=source_path, language=language, blocks=tuple(builder.blocks)
    )
