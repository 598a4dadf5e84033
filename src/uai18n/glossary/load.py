"""Read the glossary: every ``*.csv`` and ``*.tbx`` file in ``glossary/``.

Both forms become the same :class:`Term` rows, grouped by concept id, so a
concept may be split across files (one file per language team, say). Every
problem is a :class:`UserError` naming the file and line: a glossary that
half-loads would silently check less than people think it does.
"""

from __future__ import annotations

import csv
import enum
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.errors import UserError
from uai18n.locales import validate_language

if TYPE_CHECKING:
    from lxml import etree

CSV_COLUMNS = ("concept", "lang", "term", "status", "pos", "note")
GLOSSARY_DIR = "glossary"


class Status(enum.StrEnum):
    """A term's administrative status, as TBX-Basic has it (plus do-not-translate)."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"
    DEPRECATED = "deprecated"
    DNT = "dnt"

    @property
    def acceptable(self) -> bool:
        return self is not Status.DEPRECATED


@dataclass(frozen=True)
class Term:
    """One term of one concept in one language, and where it was read."""

    concept: str
    lang: str
    text: str
    status: Status
    pos: str = ""
    note: str = ""
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Glossary:
    """Terms grouped by concept; a language without its own rows falls back to its base.

    ``pt_BR`` uses the ``pt`` rows of a concept unless it has rows of its own.
    """

    terms: tuple[Term, ...]

    @property
    def concepts(self) -> dict[str, tuple[Term, ...]]:
        grouped: dict[str, list[Term]] = defaultdict(list)
        for term in self.terms:
            grouped[term.concept].append(term)
        return {concept: tuple(terms) for concept, terms in grouped.items()}

    def languages(self) -> set[str]:
        return {term.lang for term in self.terms}

    def terms_in(self, language: str) -> tuple[Term, ...]:
        """Every concept's terms for ``language`` (with the base-language fallback)."""
        base = language.split("_")[0].split("@")[0]
        found: list[Term] = []
        for terms in self.concepts.values():
            own = [term for term in terms if term.lang == language]
            if not own and base != language:
                own = [term for term in terms if term.lang == base]
            found += own
        return tuple(found)


GLOSSARY_SUFFIXES = (".csv", ".tbx")


def glossary_files(directory: Path) -> list[Path]:
    """The glossary's files in ``directory``: every ``*.csv`` and ``*.tbx``, by name."""
    if not directory.is_dir():
        return []
    return [
        path
        for path in sorted(directory.iterdir())
        if path.suffix.lower() in GLOSSARY_SUFFIXES and path.is_file()
    ]


def load_glossary(directory: Path, shown_as: str = GLOSSARY_DIR) -> Glossary:
    """Every ``*.csv`` and ``*.tbx`` in ``directory`` (none if it does not exist)."""
    terms: list[Term] = []
    for path in glossary_files(directory):
        where = f"{shown_as}/{path.name}"
        if path.suffix.lower() == ".csv":
            terms += read_csv(path.read_bytes(), where)
        else:
            terms += read_tbx(path.read_bytes(), where)
    return Glossary(tuple(terms))


# --- CSV -----------------------------------------------------------------------------


def read_csv(data: bytes, where: str) -> list[Term]:
    """The CSV form: header ``concept,lang,term,status,pos,note``, one term per row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(f"not UTF-8 (byte {error.start})", where, line) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    terms = []
    try:
        header = next(reader, None)
        if header is None:
            raise UserError("empty file; expected the header " + ",".join(CSV_COLUMNS), where, 1)
        _check_header([cell.strip() for cell in header], where)
        start = reader.line_num + 1
        for row in reader:
            if "".join(row).strip():  # a row of empty cells is no term
                terms.append(_csv_term(row, where, start))
            start = reader.line_num + 1
    except csv.Error as error:
        raise UserError(f"bad CSV: {error}", where, reader.line_num) from None
    return terms


def _check_header(header: list[str], where: str) -> None:
    if tuple(header) == CSV_COLUMNS:
        return
    missing = [name for name in CSV_COLUMNS if name not in header]
    extra = [name for name in header if name not in CSV_COLUMNS]
    if missing:
        problem = f"missing column(s) {', '.join(missing)}"
    elif extra:
        problem = f"unknown column(s) {', '.join(extra)}"
    else:
        problem = "columns out of order"
    raise UserError(f"{problem}; the header must be {','.join(CSV_COLUMNS)}", where, 1)


def _csv_term(row: list[str], where: str, line: int) -> Term:
    if len(row) != len(CSV_COLUMNS):
        raise UserError(f"{len(row)} fields, expected {len(CSV_COLUMNS)}", where, line)
    concept, lang, term, status, pos, note = map(str.strip, row)
    return _term(concept, lang, term, status, pos, note, where, line)


def _term(
    concept: str, lang: str, text: str, status: str, pos: str, note: str, where: str, line: int
) -> Term:
    if not concept:
        raise UserError("empty concept id", where, line)
    if not text:
        raise UserError(f"concept {concept!r}: empty term", where, line)
    code = _language(lang, where, line)
    parsed = _STATUSES.get(status.strip().lower())
    if parsed is None:
        known = ", ".join(status.value for status in Status)
        raise UserError(f"unknown status {status!r} (known: {known})", where, line)
    return Term(concept, code, " ".join(text.split()), parsed, pos, note, where, line)


_STATUSES = {status.value: status for status in Status}
#: Codes already validated: a glossary names a few languages in a thousand rows.
_VALID_CODES: dict[str, str] = {}


def _language(code: str, where: str, line: int) -> str:
    valid = _VALID_CODES.get(code)
    if valid is not None:
        return valid
    try:
        valid = _VALID_CODES[code] = validate_language(code)
    except UserError as error:
        raise UserError(error.message, where, line) from None
    return valid


# --- TBX -----------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: administrativeStatus values (TBX-Basic's, Weblate's and plain words) to statuses.
_TBX_STATUS = {
    "preferredterm-admn-sts": Status.PREFERRED,
    "preferred": Status.PREFERRED,
    "admittedterm-admn-sts": Status.ADMITTED,
    "admitted": Status.ADMITTED,
    "deprecatedterm-admn-sts": Status.DEPRECATED,
    "supersededterm-admn-sts": Status.DEPRECATED,
    "deprecated": Status.DEPRECATED,
    "superseded": Status.DEPRECATED,
    "forbidden": Status.DEPRECATED,
    "obsolete": Status.DEPRECATED,
    "donottranslate": Status.DNT,
    "dnt": Status.DNT,
}


def read_tbx(data: bytes, where: str) -> list[Term]:
    """TBX-Basic, either TBX 2 (``martif``/``termEntry``/``langSet``/``tig``)
    or TBX 3 (``tbx``/``conceptEntry``/``langSec``/``termSec``).

    A do-not-translate term is one whose ``translationNote`` says ``no`` (as
    Weblate writes it) or whose ``administrativeStatus`` is ``doNotTranslate``.
    Entity declarations are refused outright: a glossary has no use for them,
    and an external one is how XXE attacks start.
    """
    from uai18n.safexml import parse_untrusted  # lxml: only a TBX glossary is XML

    root = parse_untrusted(data, where)
    if _local(root) not in {"martif", "tbx"}:
        raise UserError(f"root element <{_local(root)}>, expected <martif> or <tbx>", where, 1)
    body = _child_path(root, ("text", "body"))
    if body is None:
        raise UserError("no <text><body> element", where, root.sourceline)
    terms: list[Term] = []
    for entry in body:
        if not isinstance(entry.tag, str):
            continue
        if _local(entry) not in {"termEntry", "conceptEntry"}:
            continue
        concept = entry.get("id") or f"{Path(where).stem}-line-{entry.sourceline}"
        terms += _tbx_entry(entry, concept, where)
    if not terms:
        raise UserError("no <termEntry> or <conceptEntry> with terms", where, body.sourceline)
    return terms


def _tbx_entry(entry: etree._Element, concept: str, where: str) -> Iterator[Term]:
    for section in _children(entry, {"langSet", "langSec"}):
        lang = section.get(_XML_LANG) or section.get("lang")
        if not lang:
            raise UserError(f"<{_local(section)}> without xml:lang", where, section.sourceline)
        groups = list(_children(section, {"tig", "ntig", "termSec"}))
        if not groups:
            raise UserError(f"<{_local(section)}> without a term", where, section.sourceline)
        for group in groups:
            yield _tbx_term(group, concept, lang, where)


def _tbx_term(group: etree._Element, concept: str, lang: str, where: str) -> Term:
    term_element = next(_descendants(group, "term"), None)
    text = "".join(term_element.itertext()).strip() if term_element is not None else ""
    if not text:
        raise UserError(f"<{_local(group)}> without a <term>", where, group.sourceline)
    status = Status.PREFERRED
    pos = ""
    notes = []
    for note in _descendants(group, "termNote"):
        kind = (note.get("type") or "").lower()
        value = "".join(note.itertext()).strip()
        if kind == "administrativestatus":
            found = _TBX_STATUS.get(value.lower())
            if found is None:
                raise UserError(f"unknown administrativeStatus {value!r}", where, note.sourceline)
            status = found
        elif kind == "partofspeech":
            pos = value
        elif kind == "translationnote" and value.lower() == "no":
            status = Status.DNT
    for element in (*_descendants(group, "note"), *_descendants(group, "descrip")):
        value = " ".join("".join(element.itertext()).split())
        if value:
            notes.append(value)
    line = term_element.sourceline if term_element is not None else group.sourceline
    return _term(concept, lang, text, status.value, pos, "; ".join(notes), where, line or 0)


def _local(element: etree._Element) -> str:
    from lxml import etree

    return etree.QName(element).localname


def _children(element: etree._Element, names: set[str]) -> Iterable[etree._Element]:
    return (child for child in element if isinstance(child.tag, str) and _local(child) in names)


def _descendants(element: etree._Element, name: str) -> Iterator[etree._Element]:
    for child in element.iter():
        if isinstance(child.tag, str) and child is not element and _local(child) == name:
            yield child


def _child_path(element: etree._Element, names: tuple[str, ...]) -> etree._Element | None:
    for name in names:
        element = next(_children(element, {name}), None)
        if element is None:
            return None
    return element
