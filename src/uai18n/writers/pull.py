"""What section offices pull: the index pages, the Atom feeds and the manifest.

``build`` (and so ``run``) ends by writing, from the status rows and the
files in ``output/``:

- ``output/index.html``: documents x languages, each cell with its state,
  % translated and reviewed, and links to the built files; the deadline of
  each document, marked when it has passed;
- ``output/<lang>/index.html``: the same for one language, in that language
  where CLDR gives the words (``lang``/``dir``, language names, dates,
  percentages); the few labels CLDR has no word for stay English, marked
  ``lang="en"``;
- ``output/<lang>/feed.xml``: an Atom feed (RFC 4287) of the language's
  built documents;
- ``output/manifest.json``: one record per document and language.

The pages are static (no script), built with lxml's element factory like
:mod:`uai18n.writers.dashboard`: every string from a document or a
catalogue is a text node or an attribute value, escaped by construction,
and every link is percent-encoded.

**Dates.** An entry's ``updated`` time is the newest content date the
language's catalogue carries in its header: ``PO-Revision-Date`` (set when a
translation changes) and ``POT-Creation-Date`` (set by ``extract`` when the
source changes, and copied in by ``update``); without a catalogue, the
template's ``POT-Creation-Date``; without either, 1970-01-01T00:00:00Z.
Never the clock of the build. A feed's ``updated`` is its newest entry's.

**Past deadline** is judged against ``--today`` when given, else against
the date recorded in the manifest as the day the content (files, counts,
deadlines: everything but the verdict) last changed: an unchanged rerun,
the next day or a year later, keeps that date and so writes the same bytes;
a change of content records the day of that build (``SOURCE_DATE_EPOCH``
when set). A deadline day itself is not past.

**Cost.** What each document's source gives (title, deadline, preferred
languages) and what each catalogue and output gives (header dates, each
file's SHA-256 and size) is kept in the stamp record under the digests of
those files, so an unchanged rerun only stats them.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import hashlib
import json
import math
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_percent
from lxml import etree
from lxml.builder import ElementMaker
from lxml.html import builder as E

from uai18n import __version__
from uai18n.errors import UserError
from uai18n.letters import (
    LETTER_ENDINGS,
    covered_letter_languages,
    letter_inputs,
    letter_paths,
)
from uai18n.locales import (
    babel_locale,
    format_languages,
    html_lang,
    text_direction,
)
from uai18n.model import Role
from uai18n.stamps import digest
from uai18n.status import StatusRow
from uai18n.textfiles import remove_file, write_bytes_atomic
from uai18n.timestamps import now
from uai18n.writers.dashboard import display_name, xml_text
from uai18n.writers.html import serialize_page

if TYPE_CHECKING:
    from uai18n.project import Project

MANIFEST_VERSION = 1
ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'

#: Entry and feed ids are ``urn:uuid:`` UUIDv5s in this namespace, of the
#: document id and language: the same entry keeps its id as it is updated.
ID_NAMESPACE = uuid.UUID("dd4bb952-d622-456c-9072-93729fc3d68c")

#: When no catalogue or template gives a date (RFC 4287 requires one).
UNKNOWN_TIME = "1970-01-01T00:00:00Z"

FEED_AUTHOR = "Urgent Action translators"

MEDIA_TYPES = {
    ".html": "text/html",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}

#: A record's state: (label, what it means).
STATES: dict[str, tuple[str, str]] = {
    "ready": ("ready", "built and meets its language's policy"),
    "draft": ("draft", "built below policy (--draft): untranslated text is marked"),
    "not-built": ("not built", "below its language's policy: nothing to pull yet"),
    "unreadable": ("catalogue unreadable", "the catalogue cannot be read: see uai18n check"),
}

#: States whose document files are there to pull (a feed entry each).
BUILT = ("ready", "draft")

#: Counts the status rows: (languages, documents) -> rows, as ``pipeline.status``.
StatusCounter = Callable[[tuple[str, ...], tuple[str, ...]], list[StatusRow]]


# --- the records ---------------------------------------------------------------------


@dataclass(frozen=True)
class PullFile:
    path: str  # relative to output/: "fr/ua-2-19-chechnya.html"
    sha256: str
    size: int

    def kind(self, document: str) -> str:
        """What the file is, by its ending: "html", "txt", "letter.html"..."""
        name = self.path.rsplit("/", 1)[-1]
        return name.removeprefix(document).lstrip(".") or name

    def media_type(self) -> str:
        ending = "." + self.path.rsplit(".", 1)[-1]
        return MEDIA_TYPES.get(ending, "application/octet-stream")

    def is_letter(self) -> bool:
        return self.path.endswith(LETTER_ENDINGS)


@dataclass(frozen=True)
class PullRecord:
    """One document in one language, as the manifest and the pages show it."""

    document: str
    language: str
    title: str
    state: str  # a key of STATES
    files: tuple[PullFile, ...]
    deadline: str | None  # ISO date
    preferred_languages: tuple[str, ...]
    letter_languages: tuple[str, ...]
    percent_complete: float | None  # None when the catalogue cannot be read
    percent_reviewed: float | None
    required: bool
    updated: str  # RFC 3339, UTC
    note: str = ""  # why it is not ready

    def as_json(self, *, past: bool) -> dict:
        return {
            "document": self.document,
            "language": self.language,
            "title": self.title,
            "state": self.state,
            "files": [file.__dict__ for file in self.files],
            "deadline": self.deadline,
            "past_deadline": past,
            "preferred_languages": list(self.preferred_languages),
            "letter_languages": list(self.letter_languages),
            "percent_complete": self.percent_complete,
            "percent_reviewed": self.percent_reviewed,
            "required": self.required,
            "updated": self.updated,
            "note": self.note,
        }


@dataclass(frozen=True)
class Surface:
    """Everything the pull files show."""

    source_language: str
    languages: tuple[str, ...]
    records: tuple[PullRecord, ...]  # by document, then language in configured order
    changed_on: datetime.date  # the day the content last changed
    judged_on: datetime.date  # what "past deadline" is judged against

    def past(self, record: PullRecord) -> bool:
        return record.deadline is not None and record.deadline < self.judged_on.isoformat()

    def pulled(self, language: str) -> bool:
        """Whether the language has any file to pull (and so pages of its own)."""
        return any(record.files for record in self.records if record.language == language)

    def documents(self) -> list[str]:
        return list(dict.fromkeys(record.document for record in self.records))


def covered_letters(project: Project, source: Path, language: str) -> list[str]:
    """The languages whose model letter the document's output in ``language`` carries.

    The one answer is :func:`uai18n.letters.covered_letter_languages`; a
    catalogue it cannot read (reported by the build) covers nothing here.
    """
    try:
        return list(covered_letter_languages(project, source, language))
    except UserError:
        return []


# --- writing ---------------------------------------------------------------------------


def write_pull_surface(
    project: Project,
    count: StatusCounter,
    *,
    today: datetime.date | None = None,
) -> list[Path]:
    """Write the manifest and index of every configured language, and the
    index page and feed of each language with files to pull.

    ``count`` gives the status rows (``pipeline.status``); ``today`` judges
    deadlines (default: the date recorded in the manifest). A language with
    nothing to pull has no folder of its own made (and loses the pages it
    had). Returns the files written (those whose bytes changed).
    """
    output = project.config.output_dir
    manifest_path = output / "manifest.json"
    languages = tuple(policy.code for policy in project.config.languages)
    sources = project.sources()
    rows = _rows(count, languages, tuple(source.stem for source in sources))
    records = []
    unreadable = []
    for source in sources:
        facts = _document_facts(project, source)
        for language in languages:
            row = rows.get((language, source.stem))
            if row is None:
                unreadable.append(len(records))
            records.append(_record(project, source, language, facts, row))
    # the same records, the same --today and the pull files untouched: the same bytes,
    # so nothing is rendered (CLDR's locale data alone costs more than the rest)
    key = "pull:surface"
    inputs = digest(project.config.source_language, repr(languages), repr(records), repr(today))
    pulled = {record.language for record in records if record.files}
    pull_files = [manifest_path, output / "index.html"] + [
        output / language / name
        for language in languages
        if language in pulled
        for name in ("index.html", "feed.xml")
    ]
    if not unreadable and project.stamps.fresh(key, inputs, pull_files) is not None:
        return []
    previous = _previous(manifest_path)
    if unreadable:  # its files are left as they were (build touched nothing), so is its record
        before = {
            (record.get("document"), record.get("language")): record
            for record in (previous or {}).get("records", [])
            if isinstance(record, dict)
        }
        for index in unreadable:
            record = records[index]
            records[index] = _as_before(before.get((record.document, record.language))) or record
    surface = _dated(project.config.source_language, languages, tuple(records), previous, today)
    written = []
    pages: list[tuple[Path, bytes]] = [(manifest_path, render_manifest(surface).encode("utf-8"))]
    pages.append((output / "index.html", render_index(surface).encode("utf-8")))
    for language in languages:
        folder = output / language
        if surface.pulled(language):
            pages.append((folder / "index.html", render_language_index(surface, language).encode()))
            pages.append((folder / "feed.xml", render_feed(surface, language)))
            continue
        for path in (folder / "index.html", folder / "feed.xml"):
            remove_file(path, project.relative(path))
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: nothing to pull, no folder
    for path, data in pages:
        if write_bytes_atomic(path, data, display=project.relative(path)):
            written.append(path)
    project.stamps.record(key, inputs, [path for path, _ in pages])
    return written


def _as_before(stored: dict | None) -> PullRecord | None:
    """A record of the last manifest, as it was (None when it does not read as one)."""
    if stored is None:
        return None
    try:
        fields = {key: value for key, value in stored.items() if key != "past_deadline"}
        fields["files"] = tuple(PullFile(**file) for file in fields["files"])
        for name in ("preferred_languages", "letter_languages"):
            fields[name] = tuple(fields[name])
        return PullRecord(**fields)
    except (KeyError, TypeError):
        return None


def _rows(
    count: StatusCounter, languages: tuple[str, ...], documents: tuple[str, ...]
) -> dict[tuple[str, str], StatusRow]:
    """The status rows by (language, document). A catalogue that cannot be read
    (build has reported it) leaves its cell without a row, not the surface unwritten."""
    try:
        rows = count(languages, ())
    except UserError:
        rows = []
        for language in languages:
            try:
                rows += count((language,), ())
                continue
            except UserError:
                pass
            for document in documents:
                with contextlib.suppress(UserError):
                    rows += count((language,), (document,))
    return {(row.language, row.document): row for row in rows}


@dataclass(frozen=True)
class _Facts:
    title: str
    deadline: str | None
    preferred: tuple[str, ...]


def _document_facts(project: Project, source: Path) -> _Facts:
    """Title, deadline and preferred languages of a source (remembered by its digest)."""
    key = f"pull:{project.relative(source)}"
    _, inputs = project.extract_stamp(source)
    record = project.stamps.fresh(key, inputs, [])
    if record is None:
        document = project.document(source)
        variables = document.variables()
        deadline = variables.get("deadline")
        preferred = variables.get("languages")
        title = next(
            (block.text for block in document.blocks if block.role is Role.TITLE), source.stem
        )
        record = {
            "title": title,
            "deadline": deadline.date.isoformat() if deadline and deadline.date else None,
            "preferred": list(preferred.languages) if preferred else [],
        }
        project.stamps.record(key, inputs, [], **record)
    return _Facts(record["title"], record["deadline"], tuple(record["preferred"]))


def _record(
    project: Project,
    source: Path,
    language: str,
    facts: _Facts,
    row: StatusRow | None,
) -> PullRecord:
    """One document in one language. What it takes from files (each file's
    SHA-256 and size, the catalogue's dates, the letters covered) is
    remembered under the digests of everything it is read from."""
    document = source.stem
    outputs = project.output_paths(language, source)
    files_to_pull = outputs + letter_paths(project, language, source)
    po = project.catalog_path(language, source)
    pot = project.template_path(source)
    key = f"pull:{language}/{document}"
    inputs = digest(
        project.config_digest,
        project.file_digest(source),
        project.file_digest(pot),
        project.file_digest(po),
        letter_inputs(project, source),  # the preferred languages' catalogues
        *(f"{project.relative(path)}={project.file_digest(path)}" for path in files_to_pull),
    )
    stored = project.stamps.fresh(key, inputs, [])
    if stored is None:
        files = []
        for path in files_to_pull:
            try:
                data = path.read_bytes()
            except OSError:  # not built (or not a file): nothing to pull
                continue
            name = path.relative_to(project.config.output_dir).as_posix()
            files.append(
                {"path": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            )
        stored = {
            "files": files,
            "built": any(path.is_file() for path in outputs),
            "updated": _content_time(po, pot),
            "letters": covered_letters(project, source, language),
        }
        project.stamps.record(key, inputs, [], **stored)
    files = tuple(PullFile(**file) for file in stored["files"])
    if row is None:
        state, complete, reviewed, note = "unreadable", None, None, STATES["unreadable"][1]
        required = project.config.policy(language).required
    else:
        complete = round(row.percent_complete, 1)
        reviewed = round(row.percent_reviewed, 1)
        required = row.required
        if not stored["built"]:
            state, note = "not-built", row.policy_note or "not built yet"
        elif row.meets_policy:
            state, note = "ready", ""
        else:
            state, note = "draft", row.policy_note
    return PullRecord(
        document=document,
        language=language,
        title=facts.title,
        state=state,
        files=files,
        deadline=facts.deadline,
        preferred_languages=facts.preferred,
        letter_languages=tuple(stored["letters"]),
        percent_complete=complete,
        percent_reviewed=reviewed,
        required=required,
        updated=stored["updated"],
        note=note,
    )


_HEADER_DATE = re.compile(
    rb'^"(PO-Revision-Date|POT-Creation-Date): *'
    rb"(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d)?) *([+-]\d{4})?\\n\"",
    re.MULTILINE,
)


def header_dates(data: bytes) -> list[datetime.datetime]:
    """The content dates of a PO header (placeholders and bad dates skipped)."""
    head = data[: data.find(b"\n\n") if b"\n\n" in data else 8192]
    dates = []
    for _, day, time, zone in _HEADER_DATE.findall(head):
        text = f"{day.decode()} {time.decode()}{zone.decode() or '+0000'}"
        for fmt in ("%Y-%m-%d %H:%M%z", "%Y-%m-%d %H:%M:%S%z"):
            try:
                dates.append(datetime.datetime.strptime(text, fmt))
                break
            except ValueError:
                continue
    return dates


def _content_time(po: Path, pot: Path) -> str:
    """The newest content date of the catalogue's header, else the template's."""
    for path in (po, pot):
        try:
            dates = header_dates(path.read_bytes())
        except OSError:
            continue
        if dates:
            return rfc3339(max(dates))
    return UNKNOWN_TIME


def rfc3339(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the content date ------------------------------------------------------------------


def _content(source_language: str, languages: Iterable[str], records: Iterable[dict]) -> dict:
    """What "the content" is: everything but the verdict (past deadline, judged on)."""
    return {
        "source_language": source_language,
        "languages": list(languages),
        "records": [
            {k: v for k, v in record.items() if k != "past_deadline"} for record in records
        ],
    }


def _previous(path: Path) -> dict | None:
    try:
        manifest = json.loads(path.read_bytes())
        if manifest.get("version") != MANIFEST_VERSION:
            return None
        manifest["content_changed"] = datetime.date.fromisoformat(manifest["content_changed"])
        return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _dated(
    source_language: str,
    languages: tuple[str, ...],
    records: tuple[PullRecord, ...],
    previous: dict | None,
    today: datetime.date | None,
) -> Surface:
    """The surface, with the day its content last changed kept from the last
    manifest when nothing changed, else today's (``--today``, else the clock)."""
    content = _content(
        source_language, languages, (record.as_json(past=False) for record in records)
    )
    if previous is not None and _content(
        previous.get("source_language"), previous.get("languages", []), previous.get("records", [])
    ) == json.loads(json.dumps(content)):
        changed_on = previous["content_changed"]
    else:
        changed_on = today or now().date()
    return Surface(source_language, languages, records, changed_on, today or changed_on)


# --- the manifest ----------------------------------------------------------------------


def render_manifest(surface: Surface) -> str:
    """``output/manifest.json``: sorted keys, records by document then language."""
    manifest = {
        "version": MANIFEST_VERSION,
        "generator": f"uai18n {__version__}",
        "source_language": surface.source_language,
        "languages": list(surface.languages),
        "content_changed": surface.changed_on.isoformat(),
        "judged_on": surface.judged_on.isoformat(),
        "records": [record.as_json(past=surface.past(record)) for record in surface.records],
    }
    return json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


# --- the pages -------------------------------------------------------------------------

STYLE = """
:root { --ink: #111; --muted: #555; --line: #c9c9c9; --bad: #b00020; --good: #006b3c; }
* { box-sizing: border-box; }
body { font: 15px/1.45 "Noto Sans", "Segoe UI", Arial, sans-serif; color: var(--ink);
       margin: 0; padding: .75rem; }
h1 { font-size: 1.35rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.overview { margin: 0 0 .75rem; color: var(--muted); }
.table-wrap { overflow-x: auto; max-width: 100%; width: fit-content;
              border: 1px solid var(--line); }
table { border-collapse: separate; border-spacing: 0; font-size: .85rem; }
th, td { border-bottom: 1px solid var(--line); border-inline-end: 1px solid var(--line);
         padding: .4rem .5rem; vertical-align: top; text-align: start; }
thead th { background: #f2f2f2; white-space: nowrap; }
tbody th { font-weight: 400; min-width: 12rem; max-width: 22rem; }
.doc { font-weight: 700; overflow-wrap: anywhere; }
.title { display: block; color: var(--muted); font-size: .8rem; }
.name { display: block; color: var(--muted); font-weight: 400; }
td.cell { min-width: 9rem; }
.state { display: inline-block; font-weight: 700; font-size: .78rem; padding: 0 .35rem;
         border-radius: .2rem; border: 1px solid currentColor; }
.state-ready { color: var(--good); }
.state-draft { color: #7a5200; }
.state-not-built, .state-unreadable { color: var(--bad); }
.cell-ready { background: #e3f3ec; }
.cell-draft { background: #fff6e0; }
.cell-not-built, .cell-unreadable { background: #f6f6f6; color: var(--muted); }
.past { display: inline-block; font-weight: 700; font-size: .78rem; color: #fff;
        background: var(--bad); padding: 0 .35rem; border-radius: .2rem; }
.numbers { margin: .2rem 0; }
ul.files { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap;
           gap: .1rem .6rem; }
ul.files a { font-weight: 700; }
.note { font-size: .78rem; margin: .2rem 0 0; }
.feeds a { margin-inline-end: .6rem; }
footer { margin-top: 1.2rem; font-size: .8rem; color: var(--muted); }
@media print { .table-wrap { overflow: visible; border: none; } }
"""


def _href(path: str) -> str:
    """A relative link to a file: every byte that is not a plain path character escaped."""
    return quote(path, safe="/")


@functools.lru_cache(maxsize=4096)
def _percent(value: float | None, language: str = "en") -> str:
    """Whole percent, rounded down ("100 %" only when all done), in the locale's form."""
    if value is None:
        return "–"
    return format_percent(math.floor(value + 1e-9) / 100, locale=_locale(language))


def _locale(language: str) -> Locale:
    try:
        return babel_locale(language)
    except (UnknownLocaleError, ValueError, TypeError):
        return babel_locale("en")


@functools.lru_cache(maxsize=4096)
def _long_date(iso: str, language: str) -> str:
    return format_date(datetime.date.fromisoformat(iso), format="long", locale=_locale(language))


def _deadline_cell(surface: Surface, record: PullRecord, language: str, en: Callable) -> list:
    if record.deadline is None:
        return [en("no deadline")]
    cell: list = [E.TIME({"datetime": record.deadline}, _long_date(record.deadline, language))]
    if surface.past(record):
        cell += [" ", E.SPAN({"class": "past"}, en("past deadline"))]
    return cell


def _numbers(record: PullRecord, language: str, en: Callable) -> etree._Element:
    return E.P(
        {"class": "numbers"},
        E.STRONG({"class": "complete"}, _percent(record.percent_complete, language)),
        " ",
        en("translated"),
        " · ",
        E.SPAN({"class": "reviewed"}, _percent(record.percent_reviewed, language)),
        " ",
        en("reviewed"),
    )


def _files(record: PullRecord, base: str) -> etree._Element:
    """Links to the built files, relative to the page's folder (``base``)."""
    return E.UL(
        {"class": "files"},
        *(
            E.LI(
                E.A(
                    {
                        "href": _href(file.path[len(base) :]),
                        "type": file.media_type(),
                        "hreflang": html_lang(record.language),
                        "data-sha256": file.sha256,
                    },
                    xml_text(file.kind(record.document)),
                )
            )
            for file in record.files
        ),
    )


def _state(record: PullRecord, en: Callable) -> etree._Element:
    return E.SPAN({"class": f"state state-{record.state}"}, en(STATES[record.state][0]))


def _cell(
    surface: Surface, record: PullRecord, base: str, language: str, en: Callable
) -> etree._Element:
    attributes = {
        "class": f"cell cell-{record.state}",
        "data-language": xml_text(record.language),
        "data-document": xml_text(record.document),
        "data-state": record.state,
    }
    if record.percent_complete is not None:
        attributes["data-percent-complete"] = f"{record.percent_complete:g}"
        attributes["data-percent-reviewed"] = f"{record.percent_reviewed:g}"
    children: list = [_state(record, en), _numbers(record, language, en)]
    if record.files:
        children.append(_files(record, base))
    if record.note:
        children.append(E.P({"class": "note", "lang": "en", "dir": "auto"}, xml_text(record.note)))
    return E.TD(attributes, *children)


def _document_header(surface: Surface, record: PullRecord) -> etree._Element:
    return E.TH(
        {"scope": "row"},
        E.SPAN({"class": "doc", "dir": "auto"}, xml_text(record.document)),
        E.SPAN(
            {"class": "title", "lang": html_lang(surface.source_language), "dir": "auto"},
            xml_text(record.title),
        ),
    )


def _table(caption: Any, header: Any, rows: list, empty: Any) -> list:
    """The page's table in a scrollable, labelled region; a sentence when it has no rows."""
    if not rows:
        return [E.P({"class": "empty"}, empty)]
    region = {
        "class": "table-wrap",
        "role": "region",
        "aria-labelledby": "caption",
        "tabindex": "0",
    }
    table = E.TABLE(E.CAPTION({"id": "caption"}, caption), E.THEAD(header), E.TBODY(*rows))
    return [E.DIV(region, table)]


def _page(title: str, language: str, head_links: list, body: list) -> str:
    page = E.HTML(
        E.HEAD(
            E.META(charset="utf-8"),
            E.META(name="viewport", content="width=device-width, initial-scale=1"),
            E.META(name="generator", content="uai18n"),
            E.TITLE(title),
            *head_links,
            E.STYLE(STYLE),
        ),
        E.BODY(*body),
        lang=html_lang(language),
        dir=text_direction(language),
    )
    return serialize_page(page)


def _feed_link(language: str, href: str) -> etree._Element:
    return E.LINK(
        rel="alternate",
        type="application/atom+xml",
        href=_href(href),
        hreflang=html_lang(language),
        title=f"Urgent Actions: {display_name(language) or xml_text(language)}",
    )


def _footer(surface: Surface, manifest: str) -> etree._Element:
    """English (``lang="en"``, left to right, on every page)."""
    return E.FOOTER(
        {"lang": "en", "dir": "ltr"},
        "Content last changed on ",
        E.TIME({"datetime": surface.changed_on.isoformat()}, surface.changed_on.isoformat()),
        "; deadlines judged on ",
        E.TIME({"datetime": surface.judged_on.isoformat()}, surface.judged_on.isoformat()),
        ". Generated by uai18n; ",
        E.A({"href": manifest, "type": "application/json"}, "manifest.json"),
        ".",
    )


def render_index(surface: Surface) -> str:
    """``output/index.html``: one row per document, one column per language."""
    by_key = {(record.document, record.language): record for record in surface.records}
    documents = surface.documents()
    header = E.TR(
        E.TH({"scope": "col"}, "Document"),
        E.TH({"scope": "col"}, "Deadline"),
        *(
            E.TH(
                {"scope": "col", "data-language": xml_text(language)},
                E.A(
                    {"href": _href(f"{language}/index.html"), "hreflang": html_lang(language)},
                    xml_text(language),
                )
                if surface.pulled(language)
                else E.SPAN(xml_text(language)),
                E.SPAN({"class": "name"}, display_name(language)),
            )
            for language in surface.languages
        ),
    )
    body_rows = []
    for document in documents:
        first = by_key[(document, surface.languages[0])] if surface.languages else None
        if first is None:
            continue
        body_rows.append(
            E.TR(
                {
                    "data-document": xml_text(document),
                    "class": "past-deadline" if surface.past(first) else "open",
                },
                _document_header(surface, first),
                E.TD({"class": "deadline"}, *_deadline_cell(surface, first, "en", str)),
                *(
                    _cell(surface, by_key[(document, language)], "", "en", str)
                    for language in surface.languages
                ),
            )
        )
    ready = sum(record.state == "ready" for record in surface.records)
    past = sum(
        surface.past(record)
        for record in surface.records
        if record.language == surface.languages[0]
    )
    overview = (
        f"{len(documents)} document(s) × {len(surface.languages)} language(s): "
        f"{ready} ready to pull; {past} document(s) past their deadline "
        f"(judged on {surface.judged_on.isoformat()})."
    )
    content = _table(
        "Documents and languages: what is ready", header, body_rows, "No documents yet."
    )
    pulled = [language for language in surface.languages if surface.pulled(language)]
    feeds = E.P(
        {"class": "feeds"},
        "Atom feeds: ",
        *(
            E.A(
                {"href": _href(f"{language}/feed.xml"), "type": "application/atom+xml"},
                xml_text(language),
            )
            for language in pulled
        ),
        *([] if pulled else ["none yet: nothing is built."]),
    )
    return _page(
        "Urgent Actions: what is ready to pull",
        "en",
        [_feed_link(language, f"{language}/feed.xml") for language in pulled],
        [
            E.HEADER(
                E.H1("Urgent Actions: what is ready to pull"),
                E.P({"class": "overview"}, overview),
                feeds,
            ),
            E.MAIN(*content, _legend()),
            _footer(surface, "manifest.json"),
        ],
    )


def _english(text: str) -> etree._Element:
    """A label CLDR has no word for: English, said so for readers and screen readers."""
    return E.SPAN({"lang": "en", "dir": "ltr"}, text)


def _legend() -> etree._Element:
    """English (``lang="en"``, left to right, on every page)."""
    return E.SECTION(
        {"class": "legend", "lang": "en", "dir": "ltr"},
        E.H2("Legend"),
        E.UL(
            *(
                E.LI(E.SPAN({"class": f"state state-{key}"}, label), " ", meaning)
                for key, (label, meaning) in STATES.items()
            ),
            E.LI(E.SPAN({"class": "past"}, "past deadline"), " the deadline to act has passed"),
        ),
    )


def render_language_index(surface: Surface, language: str) -> str:
    """``output/<lang>/index.html``: the language's documents, in its locale."""
    en = _english
    records = [record for record in surface.records if record.language == language]
    own = display_name(language, language) or display_name(language) or xml_text(language)
    header = E.TR(
        E.TH({"scope": "col"}, en("Document")),
        E.TH({"scope": "col"}, en("Deadline")),
        E.TH({"scope": "col"}, en("State")),
        E.TH({"scope": "col"}, en("Preferred languages")),
        E.TH({"scope": "col"}, en("Letter languages")),
    )
    body_rows = []
    for record in records:
        state = _cell(surface, record, f"{language}/", language, en)
        body_rows.append(
            E.TR(
                {
                    "data-document": xml_text(record.document),
                    "class": "past-deadline" if surface.past(record) else "open",
                },
                _document_header(surface, record),
                E.TD({"class": "deadline"}, *_deadline_cell(surface, record, language, en)),
                state,
                E.TD({"class": "preferred"}, _names(record.preferred_languages, language)),
                E.TD({"class": "letters"}, _names(record.letter_languages, language)),
            )
        )
    ready = sum(record.state == "ready" for record in records)
    content = _table(own, header, body_rows, en("No documents yet."))
    return _page(
        f"Urgent Actions: {own}",
        language,
        [_feed_link(language, "feed.xml")],
        [
            E.HEADER(
                E.H1(en("Urgent Actions"), ": ", own),
                E.P(
                    {"class": "overview"},
                    f"{ready}/{len(records)} ",
                    en("ready to pull"),
                    " · ",
                    E.A({"href": "feed.xml", "type": "application/atom+xml"}, en("Atom feed")),
                    " · ",
                    E.A({"href": "../index.html"}, en("all languages")),
                ),
            ),
            E.MAIN(*content, _legend()),
            _footer(surface, "../manifest.json"),
        ],
    )


def _names(codes: tuple[str, ...], language: str) -> str:
    """Language names in ``language``, as CLDR names and lists them ("russe et anglais")."""
    if not codes:
        return "–"
    try:
        return xml_text(format_languages(codes, language))
    except (UnknownLocaleError, ValueError, TypeError):
        return xml_text(", ".join(codes))


# --- the feed --------------------------------------------------------------------------


def entry_id(document: str, language: str) -> str:
    """A document's entry in a language: the same id however often it is updated."""
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, "entry\n" + document + "\n" + language))


def feed_id(language: str) -> str:
    return "urn:uuid:" + str(uuid.uuid5(ID_NAMESPACE, "feed\n" + language))


def render_feed(surface: Surface, language: str) -> bytes:
    """``output/<lang>/feed.xml``: an Atom feed of the language's built documents,
    newest first; links relative to the feed's own folder."""
    records = sorted(
        (r for r in surface.records if r.language == language and r.state in BUILT),
        key=lambda r: (r.updated, r.document),
        reverse=True,
    )
    atom = ElementMaker(namespace=ATOM, nsmap={None: ATOM})
    own = display_name(language, language) or display_name(language) or xml_text(language)
    feed = atom.feed(
        {XML_LANG: html_lang(language)},
        atom.id(feed_id(language)),
        atom.title(f"Urgent Actions: {own}"),
        atom.updated(records[0].updated if records else UNKNOWN_TIME),
        atom.author(atom.name(FEED_AUTHOR)),
        atom.link(rel="alternate", type="text/html", href="index.html"),
        atom.link(rel="self", type="application/atom+xml", href="feed.xml"),
        atom.generator({"version": __version__}, "uai18n"),
    )
    prefix = f"{language}/"
    for record in records:
        entry = atom.entry(
            atom.id(entry_id(record.document, record.language)),
            atom.title({XML_LANG: html_lang(surface.source_language)}, xml_text(record.title)),
            atom.updated(record.updated),
        )
        for file in record.files:
            entry.append(
                atom.link(
                    # a letter file is "related": one alternate per type and language
                    rel="related" if file.is_letter() else "alternate",
                    type=file.media_type(),
                    href=_href(file.path.removeprefix(prefix)),
                    hreflang=html_lang(language),
                    length=str(file.size),
                    **({"title": "model letter"} if file.is_letter() else {}),
                )
            )
        entry.append(atom.category(term=record.state, label=STATES[record.state][0]))
        if surface.past(record):
            entry.append(atom.category(term="past-deadline", label="past deadline"))
        entry.append(atom.summary({XML_LANG: "en"}, _summary(surface, record)))
        feed.append(entry)
    return XML_DECLARATION + etree.tostring(feed, encoding="utf-8", pretty_print=True)


def _summary(surface: Surface, record: PullRecord) -> str:
    parts = [f"{xml_text(record.document)}: {STATES[record.state][0]}"]
    if record.deadline is not None:
        when = _long_date(record.deadline, "en")
        parts.append(f"deadline {when}" + (" (passed)" if surface.past(record) else ""))
    parts.append(
        f"{_percent(record.percent_complete)} translated, "
        f"{_percent(record.percent_reviewed)} reviewed"
    )
    if record.note:
        parts.append(xml_text(record.note))
    return "; ".join(parts) + "."
