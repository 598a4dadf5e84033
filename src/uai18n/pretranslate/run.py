"""``uai18n pretranslate``: fill empty entries from memory, then from an engine.

Order per empty entry: the movement's fixed phrases (``memory/boilerplate.tmx``,
exact matches only), translation memory (exact, then fuzzy above the minimum
score), then machine translation through the language's engine (masked,
cached, checked). Every pre-filled entry is ``#, fuzzy`` with a
translator comment naming where it came from; glossary violations of the
suggestion are named in further comment lines. An entry with any msgstr is
never touched. Each catalogue is written (atomically) as soon as it is done,
so whatever was obtained before a failure is kept.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import polib

from uai18n.boilerplate import Boilerplate
from uai18n.config import EngineSettings
from uai18n.glossary.check import GlossaryChecker, project_checker
from uai18n.po import parse_catalog, read_catalog, write_catalog
from uai18n.pretranslate.cache import AnswerCache
from uai18n.pretranslate.engines import (
    BACKOFF,
    Engine,
    EngineDown,
    EngineError,
    Factory,
    api_key,
    deep_translator_factory,
    engine_language,
)
from uai18n.pretranslate.mask import Masked, mask
from uai18n.pretranslate.memory import TranslationMemory, project_memory
from uai18n.project import Project
from uai18n.states import machine_provenance
from uai18n.textfiles import read_bytes
from uai18n.timestamps import now

FactoryMaker = Callable[[EngineSettings, str | None], Factory]


@dataclass
class PretranslateResult:
    """What a run did, for the summary and the exit code."""

    filled: Counter[str] = field(default_factory=Counter)  # "boilerplate", "memory", "machine"...
    sent_chars: Counter[tuple[str, str]] = field(default_factory=Counter)  # (engine, lang)
    sent_segments: Counter[tuple[str, str]] = field(default_factory=Counter)
    cache_hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)  # one line per segment that failed
    notices: list[str] = field(default_factory=list)  # engine down, budget reached, ...
    catalogues: list[str] = field(default_factory=list)  # one summary line per catalogue
    stopped: bool = False  # the budget stopped machine translation

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.stopped

    def merge(self, part: PretranslateResult) -> None:
        """Add what a later part of the run did (a forked worker's documents)."""
        self.filled.update(part.filled)
        self.sent_chars.update(part.sent_chars)
        self.sent_segments.update(part.sent_segments)
        self.cache_hits.update(part.cache_hits)
        self.problems += part.problems
        self.notices += part.notices
        self.catalogues += part.catalogues
        self.stopped = self.stopped or part.stopped


@dataclass(frozen=True)
class Options:
    engine: str | None = None  # --engine: for every language
    engine_url: str | None = None
    timeout: float = 10.0
    dry_run: bool = False
    max_chars: int | None = None
    memory_only: bool = False
    backoff: float = BACKOFF


class _Run:
    """One run's state: memory, engines, cache, budget."""

    def __init__(
        self,
        project: Project,
        languages: tuple[str, ...],
        options: Options,
        make_factory: FactoryMaker,
    ) -> None:
        self.project = project
        self.options = options
        self.make_factory = make_factory
        self.boilerplate: Boilerplate = project.boilerplate()
        self.memory: TranslationMemory = project_memory(project.config, languages, project)
        self.glossary: GlossaryChecker | None = project_checker(project.config)
        self.engines: dict[str, Engine] = {}
        self.result = PretranslateResult()
        self.settings = {language: self._settings(language) for language in languages}
        wants_engine = any(self.settings.values())
        self.cache: AnswerCache | None = None
        if wants_engine:
            self.cache = AnswerCache(project.config.cache_dir, read_only=options.dry_run)
        self.today = now().date().isoformat()
        self._counted: set[tuple[str, str, str]] = set()  # what a dry run would have sent

    def _settings(self, language: str) -> EngineSettings | None:
        if self.options.memory_only:
            return None
        name = self.options.engine or self.project.config.policy(language).engine
        if name is None:
            return None
        settings = self.project.config.engine(name)
        if self.options.engine_url:
            settings = dataclasses.replace(settings, url=self.options.engine_url)
        if not self.options.dry_run:
            api_key(settings)  # a missing key is bad input before anything is sent
        return settings

    def engine(self, settings: EngineSettings) -> Engine:
        engine = self.engines.get(settings.name)
        if engine is None:
            key = api_key(settings)
            engine = Engine(
                settings,
                self.make_factory(settings, key),
                timeout=self.options.timeout,
                backoff=self.options.backoff,
                secret=key,
            )
            self.engines[settings.name] = engine
        return engine

    @property
    def forkable(self) -> bool:
        """No language uses an engine: each catalogue depends on the memory alone,
        never on the cache, the budget or what an earlier catalogue sent."""
        return not any(self.settings.values())

    def document(self, source: Path, languages: tuple[str, ...], after: Callable[[], None]) -> None:
        """Fill one document's catalogues; ``after`` is called after each."""
        for language in languages:
            po = self.project.catalog_path(language, source)
            if not po.exists():
                self.result.notices.append(
                    f"{self.project.relative(po)}: no catalogue (run uai18n update)"
                )
            else:
                self.catalogue(po, language, source)
            after()

    def catalogue(self, po: Path, language: str, source: Path) -> None:
        """Memory first, entry by entry; what needs the engine is collected and
        sent in as few requests as the engine allows, then filled in entry order.

        A catalogue without an empty msgstr is not parsed: nothing in it can
        be filled, and the memory has just read it (or its digest is unchanged
        since it was read), so a broken one has already been reported.
        """
        where = self.project.relative(po)
        data = read_bytes(po, where)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            catalog = read_catalog(po, where)  # says what is wrong, as everywhere else
        else:
            if not _EMPTY_MSGSTR.search(text):
                return
            catalog = parse_catalog(text, where)
        counts: Counter[str] = Counter()
        outbox = _Outbox()
        found: list[tuple[polib.POEntry, tuple[str, str] | _Pending]] = []
        for entry in catalog:
            if entry.obsolete or not entry.msgid or entry.msgid_plural or entry.msgstr:
                continue
            suggestion = self._suggest(entry, language, where, source, counts, outbox)
            if suggestion is not None:
                found.append((entry, suggestion))
        settings = self.settings.get(language)
        if outbox.texts and settings is not None:
            self._send(outbox, settings, language)
        for entry, suggestion in found:
            if isinstance(suggestion, _Pending):
                answered = self._answered(suggestion, outbox, language, where, counts)
                if answered is None:
                    continue
                suggestion = answered
            text, origin = suggestion
            entry.msgstr = text
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            lines = [origin]
            if self.glossary is not None:
                for finding in self.glossary.check(entry.msgid, text, language):
                    lines.append(f"glossary: {finding.message} [{finding.check}]")
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, *lines]))
        if counts and not self.options.dry_run:
            write_catalog(po, catalog)
        if counts:
            done = ", ".join(f"{count} {kind}" for kind, count in sorted(counts.items()))
            verb = "would fill" if self.options.dry_run else "filled"
            self.result.catalogues.append(f"{where}: {verb} {done}")
        self.result.filled.update(counts)

    def _suggest(
        self,
        entry: polib.POEntry,
        language: str,
        where: str,
        source: Path,
        counts: Counter[str],
        outbox: _Outbox,
    ) -> tuple[str, str] | _Pending | None:
        phrase = self.boilerplate.lookup(language, entry.msgid)
        if phrase is not None:  # the movement's fixed wording beats any memory
            counts["from boilerplate"] += 1
            return phrase.target, phrase.comment
        match = self.memory.lookup(language, entry.msgid)
        if match is not None:
            counts["from memory" if match.score == 100 else "from fuzzy memory"] += 1
            return match.entry.target, match.comment
        settings = self.settings.get(language)
        if settings is None or self.result.stopped:
            return None
        return self._machine(entry, language, where, source, settings, outbox)

    def _machine(
        self,
        entry: polib.POEntry,
        language: str,
        where: str,
        document: Path,
        settings: EngineSettings,
        outbox: _Outbox,
    ) -> _Pending | None:
        """From the cache, or put in the outbox (counted against the budget before
        anything is sent); a dry run only counts. The source document is read
        only here (for its verbatim strings): memory alone never needs it."""
        source = self.project.config.source_language
        masked = mask(entry.msgid, self.project.document(document).verbatim_strings())
        pair = (settings.name, language)
        line = getattr(entry, "msgid_line", entry.linenum)
        assert self.cache is not None
        answer = self.cache.get(settings.name, source, language, masked.text)
        counted = (settings.name, language, masked.text) in self._counted
        queued = masked.text in outbox.texts
        if answer is not None or counted or queued:  # a repeated segment is sent once
            self.result.cache_hits[pair] += 1
            return None if counted else _Pending(entry, masked, line, answer)
        engine = None if self.options.dry_run else self.engine(settings)
        if engine is not None and engine.down:
            return None
        spent = sum(self.result.sent_chars.values()) + outbox.chars
        budget = self.options.max_chars
        if budget is not None and spent + len(masked.text) > budget:
            self.result.stopped = True
            self.result.notices.append(
                f"budget of {budget} characters reached: stopped before {where}:{line} "
                f"({_excerpt(entry.msgid)}); {spent} characters sent"
            )
            return None
        if engine is None:  # --dry-run: counted, not sent
            self.result.sent_chars[pair] += len(masked.text)
            self.result.sent_segments[pair] += 1
            self._counted.add((settings.name, language, masked.text))
            return None
        outbox.texts[masked.text] = None
        outbox.chars += len(masked.text)
        return _Pending(entry, masked, line, None)

    def _send(self, outbox: _Outbox, settings: EngineSettings, language: str) -> None:
        """The outbox's texts through the engine (batched where it can); every
        answer cached at once; a text counts as sent unless the engine was down."""
        assert self.cache is not None
        engine = self.engine(settings)
        source = self.project.config.source_language
        pair = (settings.name, language)
        was_down = engine.down
        texts = list(outbox.texts)
        outcomes = engine.translate_many(
            texts,
            engine_language(settings.kind, source),
            engine_language(settings.kind, language),
        )
        for text, outcome in zip(texts, outcomes, strict=True):
            outbox.outcomes[text] = outcome
            if isinstance(outcome, EngineDown):
                continue
            self.result.sent_chars[pair] += len(text)
            self.result.sent_segments[pair] += 1
            if isinstance(outcome, str):
                self.cache.put(settings.name, source, language, text, outcome)
        if engine.down and not was_down:
            self.result.notices.append(
                f"{engine.name} failed {engine.failures_in_a_row} times in a row: "
                "not used for the rest of this run"
            )

    def _answered(
        self,
        pending: _Pending,
        outbox: _Outbox,
        language: str,
        where: str,
        counts: Counter[str],
    ) -> tuple[str, str] | None:
        """The suggestion for a pending entry, or None with its problem reported."""
        settings = self.settings[language]
        assert settings is not None
        entry, line = pending.entry, pending.line
        answer = pending.answer
        if answer is None:
            outcome = outbox.outcomes.get(pending.masked.text)
            if outcome is None or isinstance(outcome, EngineDown):
                return None
            if isinstance(outcome, EngineError):
                self.result.problems.append(
                    f"{where}:{line}: {outcome.message} ({_excerpt(entry.msgid)})"
                )
                return None
            answer = outcome
        try:
            text = pending.masked.unmask(answer)
        except ValueError as error:
            self.result.problems.append(
                f"{where}:{line}: {settings.name}: suggestion rejected, it {error} "
                f"({_excerpt(entry.msgid)})"
            )
            return None
        counts["from machine"] += 1
        return text, machine_provenance(settings.name, self.today)


@dataclass
class _Pending:
    """An entry whose suggestion comes from the engine: cached, or to be sent."""

    entry: polib.POEntry
    masked: Masked
    line: int
    answer: str | None  # from the cache; None: from the outbox


@dataclass
class _Outbox:
    """One catalogue's texts for the engine, each once, in order, and their outcomes."""

    texts: dict[str, None] = field(default_factory=dict)  # an ordered set
    chars: int = 0
    outcomes: dict[str, str | EngineError] = field(default_factory=dict)


def pretranslate(
    project: Project,
    languages: tuple[str, ...],
    sources: list[Path],
    options: Options,
    *,
    make_factory: FactoryMaker = deep_translator_factory,
    progress: Callable[[PretranslateResult], None] | None = None,
) -> PretranslateResult:
    """Fill the empty entries of ``po/<lang>/<doc>.po`` for these languages and sources.

    Without an engine, documents are shared among forked workers (each
    catalogue is written by the one that filled it; their reports are
    merged in document order, so the output does not depend on how many).
    """
    run = _Run(project, languages, options, make_factory)

    def after() -> None:
        if progress is not None:
            progress(run.result)

    try:
        if run.forkable:
            for part in _fill_all(run, sources, languages):
                run.result.merge(part)
                for _ in languages:
                    after()
        else:
            for source in sources:
                run.document(source, languages, after)
    finally:
        if run.cache is not None:
            run.cache.close()
    return run.result


#: Fewer catalogues than this are filled in this process: forking costs more.
PARALLEL_MIN = 200


def _fill_all(
    run: _Run, sources: list[Path], languages: tuple[str, ...]
) -> Iterator[PretranslateResult]:
    """Each document's part of the result, in order; forked workers for many
    (the run, its memory included, is inherited by the workers, never pickled)."""
    from uai18n.forked import map_forked

    parallel = len(sources) * len(languages) >= PARALLEL_MIN
    jobs = [(source, languages) for source in sources]
    return map_forked(_fill_job, run, jobs, parallel=parallel, chunks_per_worker=16)


def _fill_job(run: _Run, job: tuple[Path, tuple[str, ...]]) -> PretranslateResult:
    return _fill_one(run, *job)


def _fill_one(run: _Run, source: Path, languages: tuple[str, ...]) -> PretranslateResult:
    """One document's catalogues filled; what it did, apart from the rest of the run."""
    whole, run.result = run.result, PretranslateResult()
    try:
        run.document(source, languages, lambda: None)
        return run.result
    finally:
        run.result = whole


#: An empty msgstr: ``msgstr ""``, maybe continued by more empty strings, and no text.
_EMPTY_MSGSTR = re.compile(
    r'^[ \t]*msgstr[ \t]*""(?:[ \t\r\n]*"")*[ \t]*(?:\r?\n(?![ \t]*")|\Z)', re.MULTILINE
)


def _excerpt(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return f'msgid "{text[: width - 1]}…"' if len(text) > width else f'msgid "{text}"'
