"""Document + catalogue -> localized document, ready for a writer.

This is the re-injection half of the po4a idea: every segment of the
:class:`Document` is looked up in the language's catalogue; verbatim text
(names, addresses, handles, numbers) is copied; variables are formatted for
the target locale from CLDR. Writers (txt, html) then only lay it out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polib

from uai18n.errors import UserError
from uai18n.inline import has_tags
from uai18n.inline import problem as tag_problem
from uai18n.locales import format_deadline, format_languages, joins_without_spaces
from uai18n.model import Block, Document, LineKind, Role, Segment, Variable
from uai18n.states import is_complete, is_live, is_suggestion
from uai18n.tokens import brace_fields


@dataclass(frozen=True)
class Piece:
    """A run of output text. ``fallback`` marks source text shown untranslated
    in a draft; ``verbatim`` marks text copied as written (names, numbers)."""

    text: str
    fallback: bool = False
    verbatim: bool = False
    machine: bool = False  # a pre-filled suggestion no person has accepted yet
    links: tuple[str, ...] = ()  # targets of <a1>, <a2>... in the text


@dataclass(frozen=True)
class LocalizedLine:
    """One line of an addressee block: label and/or value pieces."""

    kind: LineKind
    pieces: tuple[Piece, ...]
    line: int = 0  # the source line (paragraph of a .docx) it came from


@dataclass(frozen=True)
class LocalizedBlock:
    role: Role
    pieces: tuple[Piece, ...] = ()
    lines: tuple[LocalizedLine, ...] = ()
    line: int = 0  # the source line (paragraph of a .docx) it starts on


@dataclass(frozen=True)
class UiText:
    """Words of the tool itself (not of the document), and the language they are
    written in: the output's, or English where we have no words in it."""

    text: str
    language: str


@dataclass(frozen=True)
class Letter:
    """The model letter in one of the target's preferred languages, under a
    heading naming that language (see :mod:`uai18n.letters`)."""

    heading: UiText
    document: LocalizedDocument  # the letter's blocks, localized in its language


@dataclass(frozen=True)
class LocalizedDocument:
    """What a writer needs: the blocks, the language, and what fell back.

    ``letters`` end the output: the model letter in each preferred language
    that has one, and ``letters_note`` says which preferred languages have none.
    """

    doc_id: str
    language: str  # gettext code of the output ("fr", "qps")
    source_language: str
    blocks: tuple[LocalizedBlock, ...]
    missing: tuple[Segment, ...]  # segments shown in the source language (draft)
    draft: bool = False
    machine: tuple[Segment, ...] = ()  # segments shown as unaccepted suggestions
    refused: tuple[tuple[Segment, str], ...] = ()  # translations whose tags are broken, and why
    source_file: str = ""  # the source document's path, for writers that start from it (docx)
    sentence_separator: str = " "
    letters: tuple[Letter, ...] = ()
    letters_note: UiText | None = None
    letter_warnings: tuple[str, ...] = ()  # unknown names on the PREFERRED LANGUAGE line


Lookup = Callable[[str], str | None]


def catalogue_lookup(
    catalog: polib.POFile, where: str = "", *, machine_text: bool = False
) -> Lookup:
    """Translated, non-fuzzy entries; with ``machine_text``, pre-filled suggestions too.

    Fuzzy entries that ``pretranslate`` filled (their comment names the memory
    or engine) ship only where the language's policy allows machine text, and
    then marked; fuzzy entries left by a changed source never ship.

    A translation whose ``{fields}`` differ from its msgid's is refused here,
    with the file and line, before any output is written.
    """
    table = {}
    for entry in catalog:
        if not is_live(entry) or not is_complete(entry):
            continue
        if entry.fuzzy and not (machine_text and is_suggestion(entry)):
            continue
        if "python-brace-format" in entry.flags:
            expected, found = _fields(entry.msgid), _fields(entry.msgstr)
            if expected != found:
                raise UserError(
                    f"translation of {entry.msgid[:40]!r} must keep the fields "
                    f"{sorted(expected)}, has {sorted(found)}",
                    where or None,
                    getattr(entry, "msgid_line", None) or entry.linenum,
                )
        table[entry.msgid] = entry.msgstr
    return table.get


def machine_msgids(catalog: polib.POFile) -> frozenset[str]:
    """The msgids whose msgstr is an unaccepted suggestion."""
    return frozenset(entry.msgid for entry in catalog if is_live(entry) and is_suggestion(entry))


def localize(
    document: Document,
    language: str,
    lookup: Lookup,
    *,
    draft: bool = False,
    variable_locale: str | None = None,
    where: str = "",
    machine: frozenset[str] = frozenset(),
) -> LocalizedDocument:
    """Translate every segment of ``document`` with ``lookup``.

    A segment ``lookup`` does not know falls back to the source text and is
    listed in ``missing``. ``variable_locale`` is the locale variables are
    formatted in (None: as the source wrote them). Segments whose msgid is in
    ``machine`` are marked as suggestions and listed in ``machine``.
    """
    missing: list[Segment] = []
    suggested: list[Segment] = []
    refused: list[tuple[Segment, str]] = []
    values = _variable_values(document, variable_locale)

    def translate(segment: Segment) -> Piece:
        text = lookup(segment.text)
        fallback = text is None
        if fallback:
            missing.append(segment)
            text = segment.text
        elif has_tags(segment.text) or has_tags(text):
            broken = tag_problem(segment.text, text)
            if broken is not None:  # a layout cannot be built from it: the source instead
                refused.append((segment, broken))
                text = segment.text
        suggestion = not fallback and segment.text in machine
        if suggestion:
            suggested.append(segment)
        if "python-brace-format" in segment.flags:
            text = _fill(text, values, segment, where)
        return Piece(text, fallback=fallback, machine=suggestion, links=segment.links)

    blocks = tuple(_localize_block(block, translate) for block in document.blocks)
    separator = "" if joins_without_spaces(language) else " "
    return LocalizedDocument(
        doc_id=document.doc_id,
        language=language,
        source_language=document.language,
        blocks=blocks,
        missing=tuple(missing),
        draft=draft,
        sentence_separator=separator,
        machine=tuple(suggested),
        refused=tuple(refused),
    )


def _localize_block(block: Block, translate: Callable[[Segment], Piece]) -> LocalizedBlock:
    if block.role is not Role.ADDRESSEE:
        pieces = tuple(translate(segment) for segment in block.segments)
        return LocalizedBlock(block.role, pieces=pieces, line=block.line)
    lines = []
    for line in block.lines:
        pieces = []
        if line.label is not None:
            pieces.append(translate(line.label))
        if line.value is not None:
            pieces.append(translate(line.value))
        if line.verbatim:
            pieces.append(Piece(line.verbatim, verbatim=True))
        lines.append(LocalizedLine(line.kind, tuple(pieces), line.line))
    return LocalizedBlock(block.role, lines=tuple(lines), line=block.line)


def _variable_values(document: Document, locale: str | None) -> dict[str, str]:
    values = {}
    for name, variable in document.variables().items():
        values[name] = variable.source_text if locale is None else format_variable(variable, locale)
    return values


def format_variable(variable: Variable, locale: str) -> str:
    """The value of a variable in ``locale``, from CLDR."""
    if variable.date is not None:
        text = format_deadline(variable.date, locale)
    else:
        text = format_languages(variable.languages, locale)
    return text.upper() if variable.uppercase else text


def _fields(text: str) -> set[str]:
    """The ``{fields}`` of ``text``; unbalanced braces read as a field no balanced text has."""
    try:
        return brace_fields(text)
    except ValueError:
        return {"<unbalanced braces>"}


def _fill(text: str, values: dict[str, str], segment: Segment, where: str) -> str:
    """Fill ``{deadline}`` and friends; a broken field is the translator's error."""
    try:
        fields = brace_fields(text)
        unknown = fields - values.keys()
        if unknown:
            raise KeyError(sorted(unknown)[0])
        return text.format_map(values)
    except (KeyError, ValueError, IndexError) as error:
        raise UserError(
            f"translation of {segment.text[:40]!r} has a broken field ({error}); "
            f"keep {{fields}} exactly as in the msgid",
            where or None,
        ) from None
