"""The stages over a whole project: extract, update, build, and run.

Each function walks ``source/`` and the configured languages, calls the
stage modules (readers, extract, merge, localize, writers) and skips any
piece whose inputs have not changed since the last run (:mod:`uai18n.stamps`).
They return plain results; the CLI prints them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from uai18n import review as review_module
from uai18n.errors import UserError
from uai18n.extract import template_for, write_template
from uai18n.letters import letter_inputs, with_letters, write_letter_files
from uai18n.locales import PSEUDO_LOCALE
from uai18n.localize import LocalizedDocument, catalogue_lookup, localize, machine_msgids
from uai18n.merge import merge_catalog
from uai18n.po import read_catalog, write_catalog
from uai18n.project import Project
from uai18n.pseudo import pseudolocalize
from uai18n.stamps import digest
from uai18n.states import CatalogStats, catalog_stats
from uai18n.status import StatusRow, catalogue_status, policy_shortfalls, row_from_record
from uai18n.textfiles import remove_file, write_bytes_atomic, write_text_atomic
from uai18n.writers import WRITERS
from uai18n.writers.html import render_html
from uai18n.writers.pdf import PdfRenders, default_jobs
from uai18n.writers.pull import write_pull_surface

#: How many missing segments a "not built" reason quotes.
MISSING_SHOWN = 3


# --- extract -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractResult:
    template: str
    entries: int
    written: bool


def extract(project: Project) -> list[ExtractResult]:
    """Write ``po/templates/<doc>.pot`` for every source document."""
    results = []
    for source in project.sources():
        pot = project.template_path(source)
        key, inputs = project.extract_stamp(source)
        record = project.stamps.fresh(key, inputs, [pot])
        if record is not None:
            results.append(ExtractResult(project.relative(pot), record["entries"], False))
            continue
        template = template_for(project.document(source))
        written = write_template(pot, template, project.relative(pot))
        entries = len(template)
        project.stamps.record(key, inputs, [pot], entries=entries)
        results.append(ExtractResult(project.relative(pot), entries, written))
    return results


# --- update ------------------------------------------------------------------------


@dataclass(frozen=True)
class UpdateResult:
    language: str
    catalog: str
    stats: CatalogStats
    written: bool
    created: bool
    error: str = ""  # the catalogue could not be read: left as it is, and why


def update(project: Project, languages: tuple[str, ...]) -> list[UpdateResult]:
    """Merge every template into ``po/<lang>/<doc>.po`` (created if missing).

    A catalogue that cannot be read is left untouched and reported in its
    result; the other languages are still updated.
    """
    results = []
    for source in project.sources():
        pot = project.template_path(source)
        if not pot.exists():
            extract(project)
        template: polib.POFile | None = None  # read once, only if some catalogue needs it
        for language in languages:
            po = project.catalog_path(language, source)
            key = f"update:{project.relative(po)}"
            inputs = digest(project.file_digest(pot), project.file_digest(po), language)
            record = project.stamps.fresh(key, inputs, [po])
            if record is not None:
                stats = CatalogStats(**record["stats"])
                results.append(UpdateResult(language, project.relative(po), stats, False, False))
                continue
            if template is None:
                template = read_catalog(pot, project.relative(pot))
            try:
                old = project.catalog(language, source)
                merged = merge_catalog(template, old, language)
                stats = catalog_stats(merged, project.relative(po))
            except UserError as error:
                results.append(
                    UpdateResult(
                        language, project.relative(po), CatalogStats(0, 0, 0), False, False,
                        error=str(error),
                    )
                )  # fmt: skip
                continue
            written = write_catalog(po, merged)
            # the stamp's inputs are the files as they are now: rerunning is a no-op
            now = digest(project.file_digest(pot), project.file_digest(po), language)
            project.stamps.record(key, now, [po], stats=stats.__dict__)
            results.append(
                UpdateResult(language, project.relative(po), stats, written, old is None)
            )
    return results


# --- build -------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildResult:
    language: str
    document: str
    built: bool
    reason: str  # why not built, or what a draft still misses
    outputs: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # the first missing segments: 'line 3 "The Chechen..."'
    missing_count: int = 0
    bad_input: bool = False  # the catalogue could not be read (syntax, encoding, sign-offs)


def build(
    project: Project,
    languages: tuple[str, ...],
    *,
    draft: bool = False,
    jobs: int | None = None,
    today: datetime.date | None = None,
) -> list[BuildResult]:
    """Write ``output/<lang>/<doc>.<fmt>`` where the language's policy allows.

    Each language and document stands alone: a catalogue that cannot be read
    or holds a string no output can be made from is not built, with the
    reason, and every other one still is.

    PDFs (~0.1-0.2 s each, the rest is cheap) are rendered by ``jobs``
    worker processes (default: every core) while this process prepares the
    next documents; every file and stamp is still written here, document by
    document in the sequential order, so the bytes, the stamps and what an
    error leaves behind are those of a one-process build: documents before
    the failing one are complete, later ones untouched.

    The letter files of every language (built or not) are written when the
    first PDF is asked for (else after the last document): the workers'
    fork server boots meanwhile, so this serial work costs no time.

    Then the pull surface of every configured language (index pages, Atom
    feeds, manifest: :mod:`uai18n.writers.pull`), deadlines judged against
    ``today`` (default: the day the manifest's content last changed).
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    window = 8 * jobs if jobs > 1 else 0  # documents prepared ahead of the writing
    results: list[BuildResult] = []
    pending: deque[_Step] = deque()
    letters_written = False
    with PdfRenders(jobs) as renders:
        for source in project.sources():
            for language in languages:
                try:
                    step = _build_one(project, source, language, draft, renders)
                except Exception:  # raised as the sequential build raises it: after
                    while pending:  # every document before this one is written
                        results.append(pending.popleft().finish())
                    raise
                pending.append(step)
                if step.pdf is not None and not letters_written:
                    write_letter_files(project, languages)  # output/<lang>/<doc>.letter.*
                    letters_written = True
                while pending and (pending[0].ready() or len(pending) > window):
                    results.append(pending.popleft().finish())
        while pending:
            results.append(pending.popleft().finish())
    if not letters_written:
        write_letter_files(project, languages)
    write_pull_surface(project, lambda *wanted: status(project, *wanted), today=today)
    return results


@dataclass
class _Step:
    """One document prepared: ``finish`` does its writes and records its stamp, in order.

    Preparing touches no file, so documents can be prepared ahead while
    their PDFs render elsewhere.
    """

    finish: Callable[[], BuildResult]
    pdf: Callable[[], bool] | None = None  # is the PDF rendered yet

    def ready(self) -> bool:
        return self.pdf is None or self.pdf()


def _build_one(
    project: Project, source: Path, language: str, draft: bool, renders: PdfRenders
) -> _Step:
    po = project.catalog_path(language, source)
    outputs = project.output_paths(language, source)
    key = f"build:{language}/{source.stem}"
    policy = project.config.policy(language)
    inputs = digest(
        project.config_digest,
        project.file_digest(source),
        project.file_digest(po),
        str(draft),
        str(policy),
        letter_inputs(project, source),  # the model letter in the preferred languages
    )
    record = project.stamps.fresh(key, inputs, [path for path in outputs if path.exists()])
    if record is not None:
        stored = record["result"]
        result = BuildResult(
            **{**stored, "outputs": tuple(stored["outputs"]), "missing": tuple(stored["missing"])}
        )
        return _Step(lambda: result)

    def not_built(reason: str, examples: tuple[str, ...] = (), count: int = 0) -> _Step:
        return _Step(lambda: remove_outputs(reason, examples, count))

    def remove_outputs(reason: str, examples: tuple[str, ...], count: int) -> BuildResult:
        for path in outputs:  # never leave an outdated translation for offices to pull
            remove_file(path, project.relative(path))
        result = BuildResult(language, source.stem, False, reason, (), examples, count)
        project.stamps.record(key, inputs, [], result=_as_record(result))
        return result

    document = project.document(source)
    where = project.relative(po)
    try:
        catalog = project.catalog(language, source)
        row = catalogue_status(
            project.template(source), catalog, language, source.stem, where, policy
        )
    except UserError as error:  # bad input: said, and nothing touched until it is fixed
        bad = BuildResult(language, source.stem, False, str(error), bad_input=True)
        return _Step(lambda: bad)
    try:
        localized = localize(
            document,
            language,
            catalogue_lookup(catalog or polib.POFile(), where, machine_text=policy.machine_text),
            draft=draft,
            variable_locale=language,
            where=where,
            machine=machine_msgids(catalog) if catalog and policy.machine_text else frozenset(),
        )
    except UserError as error:  # a string no output can be made from
        return not_built(str(error))
    shortfalls = policy_shortfalls(row, policy)
    if shortfalls and not draft:
        reason = "; ".join(message for _, message in shortfalls)
        if catalog is None:
            reason = f"no catalogue {where} (run uai18n update)"
        examples, count = _missing_examples(localized)
        return not_built(reason, examples, count)
    reasons = []
    missing = {segment.text for segment in localized.missing}
    if missing:
        reasons.append(
            f"{'draft: ' if draft else ''}{len(missing)} segment(s) shown in the source language"
        )
    if localized.refused:
        refused = "; ".join(
            f"{where}: {segment.text[:40]!r}: {why}" for segment, why in localized.refused[:3]
        )
        reasons.append(
            f"{len(localized.refused)} translation(s) with broken tags "
            f"shown in the source language ({refused})"
        )
    localized = dataclasses.replace(localized, source_file=str(source))
    localized = with_letters(project, source, language, localized)
    reasons.extend(localized.letter_warnings)
    pdf_path = next((path for path in outputs if path.suffix == WRITERS["pdf"][0]), None)
    pdf = renders.render(render_html(localized), project.relative(pdf_path)) if pdf_path else None

    def write() -> BuildResult:
        written = _write_outputs(localized, outputs, pdf.result if pdf else None)
        result = BuildResult(
            language,
            source.stem,
            True,
            "; ".join(reasons),
            tuple(project.relative(p) for p in written),
        )
        project.stamps.record(key, inputs, outputs, result=_as_record(result))
        return result

    return _Step(write, pdf.done if pdf else None)


def _missing_examples(localized: LocalizedDocument) -> tuple[tuple[str, ...], int]:
    """The first missing segments, quoted with their source line, and how many there are."""
    examples = []
    seen: set[str] = set()
    for segment in localized.missing:
        if segment.text in seen:
            continue
        seen.add(segment.text)
        if len(examples) < MISSING_SHOWN:
            text = segment.text if len(segment.text) <= 40 else segment.text[:37] + "..."
            examples.append(f'line {segment.line} "{text}"')
    return tuple(examples), len(seen)


def _write_outputs(
    localized: LocalizedDocument, outputs: list[Path], pdf: Callable[[], bytes] | None = None
) -> list[Path]:
    """Render and write each output in order; ``pdf`` gives a PDF rendered ahead
    (by a worker), taken only when its turn comes, so an error stops at the same file."""
    for path in outputs:
        if pdf is not None and path.suffix == WRITERS["pdf"][0]:
            rendered: str | bytes = pdf()
        else:
            render = next(render for ending, render in WRITERS.values() if ending == path.suffix)
            rendered = render(localized)
        if isinstance(rendered, bytes):
            write_bytes_atomic(path, rendered)
        else:
            write_text_atomic(path, rendered)
    return outputs


def _as_record(result: BuildResult) -> dict:
    return {**result.__dict__, "outputs": list(result.outputs), "missing": list(result.missing)}


def build_pseudo(project: Project) -> list[BuildResult]:
    """Pseudo-localized English in ``output/qps/``, from the msgids alone."""
    results = []
    for source in project.sources():
        document = project.document(source)
        localized = localize(document, PSEUDO_LOCALE, pseudolocalize, variable_locale=None)
        outputs = project.output_paths(PSEUDO_LOCALE, source)
        _write_outputs(localized, outputs)
        results.append(
            BuildResult(
                PSEUDO_LOCALE,
                source.stem,
                True,
                "pseudo-localized",
                tuple(project.relative(path) for path in outputs),
            )
        )
    return results


# --- review and status -----------------------------------------------------------


def select_sources(project: Project, documents: tuple[str, ...]) -> list[Path]:
    """The sources named by ``--doc`` (all when none); an unknown id is an error."""
    sources = project.sources()
    if not documents:
        return sources
    by_id = {source.stem: source for source in sources}
    for document in documents:
        if document not in by_id:
            known = ", ".join(sorted(by_id)) or "none"
            raise UserError(f"no document {document!r} in source/ (known: {known})", "--doc")
    return [by_id[document] for document in dict.fromkeys(documents)]


@dataclass
class ReviewResult:
    """What ``review`` did to one catalogue, and what it refused and why."""

    catalog: str
    signed: int = 0
    unsigned: int = 0
    refused: list[str] = field(default_factory=list)  # 'msgid excerpt: reason'


def review(
    project: Project,
    language: str,
    documents: tuple[str, ...],
    *,
    reviewer: str,
    date: str,
    msgids: tuple[str, ...] = (),
    unsign: bool = False,
) -> list[ReviewResult]:
    """Sign off (or ``unsign``) every translated entry, or only ``msgids``.

    Nothing is written unless every named msgid exists and every sign-off in
    the catalogues parses.
    """
    results = []
    changed: list[tuple[Path, polib.POFile]] = []
    wanted = set(msgids)
    found: set[str] = set()
    for source in select_sources(project, documents):
        po = project.catalog_path(language, source)
        if not po.exists():
            raise UserError("no catalogue to review (run uai18n update)", project.relative(po))
        catalog = read_catalog(po, project.relative(po))
        result = ReviewResult(project.relative(po))
        for entry in catalog:
            if entry.obsolete or entry.msgid == "" or (wanted and entry.msgid not in wanted):
                continue
            found.add(entry.msgid)
            if unsign:
                result.unsigned += review_module.unsign(entry)
                continue
            try:
                review_module.sign(entry, reviewer, date, result.catalog)
                result.signed += 1
            except ValueError as why:
                result.refused.append(f"{entry.msgid[:50]}: {why}")
        changed.append((po, catalog))
        results.append(result)
    unknown = wanted - found
    if unknown:
        raise UserError(f"no entry with msgid {sorted(unknown)[0]!r}", "--entry")
    for po, catalog in changed:
        write_catalog(po, catalog)
    return results


#: Catalogues to count before ``status`` spreads the work over every core.
PARALLEL_STATUS_MIN = 400


def status(
    project: Project, languages: tuple[str, ...], documents: tuple[str, ...] = ()
) -> list[StatusRow]:
    """One row per language and document, counted against the document's template.

    The counts of a catalogue are remembered with the digests of its source,
    the config and the catalogue itself, so a re-status of an unchanged tree
    reads no catalogue; the verdict is always judged anew. A large cold tree
    is counted by one process per core (the parent keeps the stamp record).
    """
    rows: list[StatusRow] = []
    to_count: dict[Path, list[tuple[str, str]]] = {}  # source -> (language, inputs)
    for source in select_sources(project, documents):
        _, source_inputs = project.extract_stamp(source)
        for language in languages:
            po = project.catalog_path(language, source)
            where = project.relative(po)
            inputs = digest(source_inputs, project.file_digest(po), language)
            record = project.stamps.fresh(f"status:{where}", inputs, [])
            if record is None:
                to_count.setdefault(source, []).append((language, inputs))
                continue
            policy = project.config.policy(language)
            rows.append(row_from_record(record, language, source.stem, where, policy))
    jobs = [(source, [language for language, _ in wanted]) for source, wanted in to_count.items()]
    for (_, wanted), counted_rows in zip(to_count.items(), _count_all(project, jobs), strict=True):
        for (_, inputs), row in zip(wanted, counted_rows, strict=True):
            project.stamps.record(
                f"status:{row.catalog}", inputs, [],
                entries=row.entries, words=row.words, suggestions=row.suggestions,
            )  # fmt: skip
            rows.append(row)
    return sorted(rows, key=lambda row: (languages.index(row.language), row.document))


def _count_all(project: Project, jobs: list[tuple[Path, list[str]]]) -> Iterator[list[StatusRow]]:
    """:func:`_count_source` for every job, in order; forked workers for many."""
    from uai18n.forked import map_forked

    catalogues = sum(len(languages) for _, languages in jobs)
    parallel = catalogues >= PARALLEL_STATUS_MIN
    return map_forked(_count_job, project, jobs, parallel=parallel)


def _count_job(project: Project, job: tuple[Path, list[str]]) -> list[StatusRow]:
    return _count_source(project, *job)


def _count_source(project: Project, source: Path, languages: list[str]) -> list[StatusRow]:
    """The judged rows of one document's catalogues in ``languages``."""
    rows = []
    for language in languages:
        po = project.catalog_path(language, source)
        where = project.relative(po)
        catalog = project.catalog(language, source)
        policy = project.config.policy(language)
        rows.append(
            catalogue_status(
                project.template(source), catalog, language, source.stem, where, policy
            )
        )
    return rows
