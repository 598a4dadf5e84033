"""The model letter in the languages the target reads (issue 13).

A UA exists to get appeals to an official in a language the official reads:
its ``PREFERRED LANGUAGE TO ADDRESS TARGET:`` line names them. Every output
of a language L ends with the model letter (the addressee, salutation,
letter and closing blocks) in each preferred language whose catalogue
*covers* the letter, under a heading in L naming that language by its CLDR
name; when a preferred language is not covered, one sentence in L says so.
A language whose letter is covered also gets ``output/<lang>/<doc>.letter.txt``
and ``.letter.html``, even when the rest of that language is not built.

**Covered** means: every segment of the letter blocks is translated by a
person (not fuzzy, not empty, judged against the template as the source
gives it now, as ``status`` judges it), and reviewed with a current sign-off
when the policy of L *or* of the letter's language asks for reviews
(``min_reviewed > 0``): the stricter of the two, so a letter never reaches
an official with less checking than either office requires. A translation a
layout cannot be made from (broken tags or ``{fields}``) does not cover.
The source language is always covered: its letter is the source text.

**Our own words** (the heading and the "not available" sentence) come from
the small table :data:`UI_TEXT`, in the languages we ship catalogues for,
with CLDR's language names filled in; any other language gets the English
sentence, marked as English (``lang="en"``) by the writers. They are the
tool's words, not the document's, so they live with the code that uses
them rather than in the UA's catalogues, where translators would meet them
once per document.

:func:`covered_letter_languages` is the one answer to "which letters does
this output carry": the build calls it, and so does anything that lists
outputs (the manifest).
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.errors import UserError
from uai18n.locales import base_language, format_languages, language_name, parse_language_names
from uai18n.localize import Letter, LocalizedDocument, UiText, localize
from uai18n.model import Block, Document, Role, Segment
from uai18n.stamps import Stamps, digest
from uai18n.states import State, entry_state
from uai18n.status import as_updated
from uai18n.textfiles import remove_file, write_text_atomic

if TYPE_CHECKING:
    from uai18n.project import Project

#: The blocks that make the model letter, in document order.
LETTER_ROLES = frozenset({Role.ADDRESSEE, Role.SALUTATION, Role.LETTER, Role.CLOSING})

#: Endings of the letter files a language gets when its letter is covered.
LETTER_ENDINGS = (".letter.txt", ".letter.html")

#: Our own words, per base language: the heading over a letter ("{language}":
#: the letter's language, CLDR's name in the output language) and the
#: sentence for preferred languages without a letter ("{languages}": their
#: names, joined CLDR's way). Built so that CLDR's name can stand as it is,
#: uninflected: "en russe", "auf Russisch", "باللغة الروسية", "на русский язык".
UI_TEXT: dict[str, tuple[str, str]] = {
    "en": (
        "Model letter in {language}",
        "The model letter is not yet available in {languages}.",
    ),
    "fr": (
        "Modèle de lettre en {language}",
        "Le modèle de lettre n’est pas encore disponible en {languages}.",
    ),
    "es": (
        "Modelo de carta en {language}",
        "El modelo de carta aún no está disponible en {languages}.",
    ),
    "pt": (
        "Modelo de carta em {language}",
        "O modelo de carta ainda não está disponível em {languages}.",
    ),
    "de": (
        "Musterbrief auf {language}",
        "Der Musterbrief ist noch nicht auf {languages} verfügbar.",
    ),
    "ru": (
        "Образец письма: {language} язык",
        "Образец письма ещё не переведён полностью на {languages} язык.",
    ),
    "ar": (
        "نموذج الرسالة باللغة {language}",
        "لا تتوفر بعد ترجمة كاملة لنموذج الرسالة ({languages}).",
    ),
}


# --- the preferred languages ----------------------------------------------------


@dataclass(frozen=True)
class Preferred:
    """The document's preferred languages as CLDR codes, in its order, and the
    names CLDR does not know (as written), which are warned about, not fatal."""

    codes: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    def warnings(self) -> list[str]:
        return [
            f"unknown language name {name!r} on the PREFERRED LANGUAGE line: no letter for it"
            for name in self.unknown
        ]


def preferred_languages(document: Document) -> Preferred:
    """The languages of the ``PREFERRED LANGUAGE TO ADDRESS TARGET:`` line.

    Names are read with CLDR's language names in the source language
    ("RUSSIAN, ENGLISH" -> ``ru``, ``en``), one list item at a time, so one
    name CLDR does not know is reported and the others still count.
    """
    codes: list[str] = []
    unknown: list[str] = []
    for block in document.blocks:
        if block.role is not Role.PREFERRED_LANGUAGES:
            continue
        for variable in block.variables:
            if variable.name != "languages":
                continue
            for part in re.split(r"[,;/]", variable.source_text):
                if not part.strip():
                    continue
                found = parse_language_names(part, document.language)
                if found is None:
                    unknown.append(part.strip())
                    continue
                codes.extend(code for code in found if code not in codes)
    return Preferred(tuple(codes), tuple(unknown))


# --- which letters are covered ------------------------------------------------


def letter_segments(document: Document) -> list[Segment]:
    """Every segment of the letter blocks (addressee titles and labels included)."""
    segments: list[Segment] = []
    for block in _letter_blocks(document):
        segments.extend(block.segments)
        for line in block.lines:
            segments.extend(part for part in (line.label, line.value) if part is not None)
    return segments


def covered_letter_languages(
    project: Project, document: Document | Path | str, language: str
) -> list[str]:
    """The preferred languages whose model letter an output in ``language`` carries.

    ``document`` is a document id (the source's stem), a source path (as
    ``project.sources()`` gives it) or the :class:`Document` read from one;
    an id no source has gives ``[]``. In the document's order; the source
    language always, other languages when their catalogue covers the letter
    (module docstring). ``language`` itself is listed when covered (its
    output's body is that letter; the build does not repeat it).

    The answer is kept in the stamp record under the digests of the source,
    the config and the preferred languages' catalogues: asked again on an
    unchanged tree, it parses nothing.
    """
    source = _source_of(project, document)
    if source is None:
        return []
    key = f"covered:{language}/{source.stem}"
    inputs = digest(
        project.config_digest, project.file_digest(source), letter_inputs(project, source)
    )
    record = project.stamps.fresh(key, inputs, [])
    if record is not None:
        return list(record["codes"])
    try:
        parsed = document if isinstance(document, Document) else project.document(source)
    except UserError:  # a source that cannot be read has no letter
        return []
    codes = [
        code
        for code in preferred_languages(parsed).codes
        if _covered_letter(project, source, parsed, code, language) is not None
    ]
    project.stamps.record(key, inputs, [], codes=codes)
    return codes


def reviews_required(project: Project, target: str, language: str) -> bool:
    """Whether the letter in ``target`` must be reviewed to go into ``language``'s output."""
    policies = (project.config.policy(target), project.config.policy(language))
    return any(policy.min_reviewed > 0 for policy in policies)


def catalogue_language(project: Project, source: Path, code: str) -> str:
    """The catalogue folder holding CLDR language ``code`` for this document:
    ``po/<code>/`` when ``code`` is configured or its catalogue exists, else
    the first configured variant of it with a catalogue (``pt_BR`` for
    ``pt``), else ``code``."""
    if any(policy.code == code for policy in project.config.languages):
        return code
    if project.catalog_path(code, source).exists():
        return code
    for policy in project.config.languages:
        if (
            base_language(policy.code) == code
            and project.catalog_path(policy.code, source).exists()
        ):
            return policy.code
    return code


def _covered_letter(
    project: Project, source: Path, document: Document, code: str, language: str
) -> LocalizedDocument | None:
    """The letter localized in ``code`` when covered for ``language``'s output, else None."""
    return _judge(project, source, document, code, language).letter


@dataclass(frozen=True)
class _Judged:
    letter: LocalizedDocument | None  # None: not covered
    readable: bool = True  # False: the catalogue cannot be read (build reports it)


def _judge(project: Project, source: Path, document: Document, code: str, language: str) -> _Judged:
    if code == document.language:
        return _Judged(_localize_letter(document, code, lambda text: text, variable_locale=None))
    target = catalogue_language(project, source, code)
    reviewed = reviews_required(project, target, language)
    po = project.catalog_path(target, source)
    key = (
        project.relative(po),
        project.file_digest(po),
        project.file_digest(source),
        project.config_digest,
        reviewed,
    )
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    judged = _cover(project, source, document, target, reviewed)
    _CACHE[key] = judged
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return judged


#: Letters already judged, by catalogue and source bytes: a build asks for the
#: same letter once per output language.
_CACHE: OrderedDict[tuple, _Judged] = OrderedDict()
_CACHE_SIZE = 256


def _cover(
    project: Project, source: Path, document: Document, target: str, reviewed: bool
) -> _Judged:
    accepted = {State.REVIEWED} if reviewed else {State.TRANSLATED, State.REVIEWED, State.STALE}
    try:
        catalog = project.catalog(target, source)
        if catalog is None:
            return _Judged(None)
        where = project.relative(project.catalog_path(target, source))
        entries = as_updated(project.template(source), catalog, target)
        states = [(entry, entry_state(entry, where)) for entry in entries]
    except UserError:  # bad syntax, a malformed sign-off: no letter, and nothing touched
        return _Judged(None, readable=False)
    table = {
        entry.msgid: entry.msgstr
        for entry, state in states
        if not entry.msgid_plural and state in accepted
    }
    if any(segment.text not in table for segment in letter_segments(document)):
        return _Judged(None)
    try:
        letter = _localize_letter(document, target, table.get, variable_locale=target)
    except UserError:  # a broken {field}: no output can be made from it
        return _Judged(None)
    if letter.missing or letter.refused:  # broken tags
        return _Judged(None)
    return _Judged(letter)


def _localize_letter(
    document: Document, code: str, lookup, *, variable_locale: str | None
) -> LocalizedDocument:  # type: ignore[no-untyped-def]
    """The letter blocks (and the variables, without their text) localized in ``code``."""
    blocks = tuple(
        block
        if block.role in LETTER_ROLES
        else Block(block.role, block.line, variables=block.variables)
        for block in document.blocks
        if block.role in LETTER_ROLES or block.variables
    )
    localized = localize(
        dataclasses.replace(document, blocks=blocks),
        code,
        lookup,
        variable_locale=variable_locale,
    )
    kept = tuple(block for block in localized.blocks if block.role in LETTER_ROLES)
    return dataclasses.replace(localized, blocks=kept)


def _letter_blocks(document: Document) -> Iterable[Block]:
    return (block for block in document.blocks if block.role in LETTER_ROLES)


def _source_of(project: Project, document: Document | Path | str) -> Path | None:
    """The source path of a document given by id, path or :class:`Document`."""
    if isinstance(document, Document):
        return project.config.root / document.source_path
    if isinstance(document, str):
        return next((path for path in project.sources() if path.stem == document), None)
    return document


# --- what an output carries ----------------------------------------------------


def ui_text(in_language: str, which: int, **values: tuple[str, ...] | str) -> UiText:
    """Our sentence ``which`` (0: heading, 1: not available) in ``in_language``, or English.

    Language names come from CLDR in the language the sentence is written in.
    """
    written = in_language if base_language(in_language) in UI_TEXT else "en"
    pattern = UI_TEXT[base_language(written)][which]
    filled = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            filled[name] = format_languages(value, written)
        else:
            filled[name] = language_name(value, written)
    return UiText(pattern.format_map(filled), written)


def with_letters(project: Project, source: Path, language: str, localized: LocalizedDocument):  # type: ignore[no-untyped-def]
    """``localized`` (the output of ``language``) with its appended letters and note."""
    document = project.document(source)
    preferred = preferred_languages(document)
    letters = []
    missing = []
    for code in preferred.codes:
        if base_language(code) == base_language(language):
            continue  # the output's body is the letter in its own language
        letter = _covered_letter(project, source, document, code, language)
        if letter is None:
            missing.append(code)
        else:
            letters.append(Letter(ui_text(language, 0, language=code), letter))
    note = ui_text(language, 1, languages=tuple(missing)) if missing else None
    return dataclasses.replace(
        localized,
        letters=tuple(letters),
        letters_note=note,
        letter_warnings=tuple(preferred.warnings()),
    )


def letter_inputs(project: Project, source: Path) -> str:
    """What the letters appended to a document's outputs depend on beyond the
    source, the config and the output's own catalogue: the catalogue of each
    preferred language, as ``code:catalogue:digest`` lines, for the build's
    stamps. An unchanged source's preferred languages are kept in the stamp
    record, so a no-op rebuild parses nothing and stats a file or two."""
    lines = []
    for code in _preferred_codes(project, source):
        if code == project.config.source_language:  # the source text itself
            continue
        target = catalogue_language(project, source, code)
        po = project.catalog_path(target, source)
        lines.append(f"{code}:{target}:{project.file_digest(po)}")
    return "\n".join(lines)


def _preferred_codes(project: Project, source: Path) -> tuple[str, ...]:
    """The document's preferred languages, remembered under the source's digest."""

    known = (project.config_digest, project.file_digest(source))
    remembered = _PREFERRED.setdefault(project.stamps, {})
    if known in remembered:
        return remembered[known]
    key = f"preferred:{project.relative(source)}"
    inputs = digest(*known)
    record = project.stamps.fresh(key, inputs, [])
    if record is not None:
        codes = tuple(record["codes"])
    else:
        try:
            codes = preferred_languages(project.document(source)).codes
        except UserError:  # the build reports a source it cannot read
            return ()
        project.stamps.record(key, inputs, [], codes=list(codes))
    remembered[known] = codes
    return codes


#: Per project (its stamp record, which holds them too): preferred languages by
#: (config digest, source digest), so a build asks the record once per document.
_PREFERRED: weakref.WeakKeyDictionary[Stamps, dict[tuple[str, str], tuple[str, ...]]] = (
    weakref.WeakKeyDictionary()
)


def letter_paths(project: Project, language: str, source: Path) -> list[Path]:
    """``output/<language>/<doc>.letter.txt`` and ``.letter.html``."""
    folder = project.config.output_dir / language
    return [folder / f"{source.stem}{ending}" for ending in LETTER_ENDINGS]


def write_letter_files(project: Project, languages: tuple[str, ...]) -> list[str]:
    """Write (or remove) every language's letter files; the paths written.

    A language whose letter is covered by its own policy gets them, whether
    or not its whole document is built; when it no longer is, they are
    removed, so no outdated letter is left for offices to pull. A catalogue
    that cannot be read leaves its letter files as they are (the build
    reports it, as it leaves that language's other outputs).
    """
    from uai18n.writers.html import render_letter_html
    from uai18n.writers.text import render_letter_text

    written = []
    for source in project.sources():
        source_digest = project.file_digest(source)
        for language in languages:
            paths = letter_paths(project, language, source)
            key = f"letter:{language}/{source.stem}"
            inputs = digest(
                project.config_digest,
                source_digest,
                project.file_digest(project.catalog_path(language, source)),
            )
            record = project.stamps.fresh(key, inputs, [path for path in paths if path.exists()])
            if record is None:
                try:
                    document = project.document(source)
                except UserError:  # the source itself is bad: the build reports it
                    continue
                judged = _judge(project, source, document, language, language)
                if not judged.readable:  # reported by the build; its files stay as they are
                    continue
                letter = judged.letter
                if letter is None:
                    for path in paths:
                        _remove(project, path)
                    project.stamps.record(key, inputs, [], written=False)
                    continue
                heading = ui_text(language, 0, language=language)
                full = Letter(heading, letter)
                write_text_atomic(paths[0], render_letter_text(full))
                write_text_atomic(paths[1], render_letter_html(full, source.stem))
                project.stamps.record(key, inputs, paths, written=True)
                record = {"written": True}
            if record.get("written"):
                written.extend(project.relative(path) for path in paths)
    return written


def _remove(project: Project, path: Path) -> None:
    remove_file(path, project.relative(path))
