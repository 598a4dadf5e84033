"""The CI gate: every catalogue against its policy and the QA checks.

``uai18n check`` collects :class:`Finding` s from four sources:

* the language's policy (``policy-translated``, ``policy-reviewed``);
* gettext's own rules that msgfmt applies beyond syntax (``msgfmt-newlines``,
  ``msgfmt-plurals``, ``msgfmt-header``); syntax errors stop the run (exit 2);
* reviews whose hash no longer matches (``stale-review``);
* the entry checks of :mod:`uai18n.checks` (fields, handles, numbers, ...);
* the glossary (``glossary-*``, :mod:`uai18n.glossary.check`).

A language *fails* when it has an error-severity finding (or any finding with
``strict``); the gate fails when a required or explicitly requested language
fails.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.config import CONFIG_NAME, LanguagePolicy
from uai18n.errors import UserError
from uai18n.findings import CheckInfo, Finding, Severity, entry_line, registry
from uai18n.project import Project
from uai18n.stamps import digest, library_versions
from uai18n.states import State, entry_state
from uai18n.status import StatusRow, policy_shortfalls, row_from_record, row_record

if TYPE_CHECKING:
    import polib

    from uai18n.boilerplate import Boilerplate
    from uai18n.glossary.check import GlossaryChecker
    from uai18n.glossary.lemmas import LemmaHelper

# The entry checks, the glossary and Babel are imported by the first catalogue
# that is checked (see _Checker): a re-check whose catalogues are all in
# .uai18n/findings.json reads none of them.

#: Checks of this module (the entry checks are in uai18n.checks.CHECKS).
GATE_CHECKS: dict[str, CheckInfo] = registry(
    CheckInfo(
        "missing-catalogue",
        Severity.ERROR,
        "the language has no catalogue for a document (run update)",
    ),
    CheckInfo("policy-translated", Severity.ERROR, "fewer translated entries than min_translated"),
    CheckInfo("policy-reviewed", Severity.ERROR, "fewer reviewed entries than min_reviewed"),
    CheckInfo("stale-review", Severity.ERROR, "a sign-off whose hash no longer matches the entry"),
    CheckInfo(
        "msgfmt-newlines",
        Severity.ERROR,
        "msgid and msgstr disagree on a leading or trailing newline",
    ),
    CheckInfo(
        "msgfmt-plurals", Severity.ERROR, "a plural entry's number of forms differs from nplurals"
    ),
    CheckInfo(
        "msgfmt-header",
        Severity.WARNING,
        "a required header field is missing (Language, Plural-Forms, ...)",
    ),
)

_REQUIRED_HEADER = ("Project-Id-Version", "Content-Type", "Language", "Plural-Forms")


@dataclass
class LanguageSummary:
    """Per-language totals for the report's summary."""

    required: bool
    requested: bool
    errors: int = 0
    warnings: int = 0
    documents: list[StatusRow] = field(default_factory=list)

    def fails(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


@dataclass
class Report:
    findings: list[Finding]
    summary: dict[str, LanguageSummary]
    strict: bool = False

    @property
    def passed(self) -> bool:
        """True when no required (or requested) language fails."""
        return not any(
            summary.fails(self.strict)
            for summary in self.summary.values()
            if summary.required or summary.requested
        )


def run_checks(
    project: Project,
    languages: tuple[str, ...],
    *,
    requested: bool = False,
    strict: bool = False,
    glossary_only: bool = False,
) -> Report:
    """Check every document's catalogue in every language.

    ``glossary_only``: the glossary's findings alone (``uai18n glossary check``).

    A catalogue's findings and counts are kept in ``.uai18n/findings.json`` under a
    digest of all they depend on: the catalogue, its source and the config
    (so its template and policy), the glossary and boilerplate files, the
    libraries that decide what a finding is, and this code. A re-check reads
    again only the catalogues whose inputs changed; the verdict is always
    judged anew.
    """
    _refuse_unknown_ids(project, languages)
    report = Report([], {}, strict)
    checker = _Checker(project, glossary_only)
    for language in languages:
        policy = project.config.policy(language)
        report.summary[language] = LanguageSummary(policy.required, requested)
    checked: list[tuple[StatusRow, list[Finding]] | None] = []
    pending: list[tuple[int, Path, str, str, str, str]] = []
    # a source whose .pot has no fresh stamp must be read to trust the .pot:
    # a worker starts on it now, while the glossary loads
    sources = project.sources()
    project.read_sources_ahead(sources)
    try:
        for source in sources:
            _, source_inputs = project.extract_stamp(source)
            for language in languages:
                policy = project.config.policy(language)
                po = project.catalog_path(language, source)
                where = project.relative(po)
                key = f"{checker.mode}:{where}"
                inputs = digest(source_inputs, project.file_digest(po), language, checker.inputs)
                record = project.findings.fresh(key, inputs, [])
                if record is None:
                    pending.append((len(checked), source, language, where, key, inputs))
                    checked.append(None)
                    continue
                row = row_from_record(record, language, source.stem, where, policy)
                findings = [
                    Finding(where, line, language, msgid, check, Severity(severity), message)
                    for line, msgid, check, severity, message in record["findings"]
                ]
                checked.append((row, findings))
        if pending and not project.reading_sources_ahead:
            checker.start_lemma_helper([language for _, _, language, *_ in pending])
        if pending:
            checker.prepare([(source, language) for _, source, language, *_ in pending])
        for at, source, language, where, key, inputs in pending:
            policy = project.config.policy(language)
            row, findings = checker.check(source, language, where, policy)
            kept = [[f.line, f.msgid, f.check, f.severity.value, f.message] for f in findings]
            project.findings.record(key, inputs, [], findings=kept, **row_record(row))
            checked[at] = (row, findings)
    finally:
        project.stop_reading_ahead()
        checker.stop_helpers()
    for done in checked:
        assert done is not None
        row, findings = done
        report.summary[row.language].documents.append(row)
        report.findings += findings
    checker.finish()
    report.findings = [f for f in report.findings if f.check not in _disabled(project, f.lang)]
    for finding in report.findings:
        summary = report.summary[finding.lang]
        if finding.severity == Severity.ERROR:
            summary.errors += 1
        else:
            summary.warnings += 1
    return report


#: Catalogues :meth:`_Checker.prepare` reads and keeps for the check: a few.
_KEPT_CATALOGUES = 64

#: The stamp record's key for the number separators of the languages checked.
_NUMBER_SYMBOLS = "number-symbols"


class _Checker:
    """Checks one catalogue at a time; what every catalogue shares is loaded once,
    by the first one that is not in the stamp record."""

    def __init__(self, project: Project, glossary_only: bool) -> None:
        self.project = project
        self.glossary_only = glossary_only
        self.mode = "glossary-check" if glossary_only else "check"
        self._catalogs: dict[tuple[Path, str], polib.POFile | None] = {}
        self._helper: LemmaHelper | None = None

    @functools.cached_property
    def _shared(self) -> tuple[GlossaryChecker | None, Boilerplate | None]:
        from uai18n.checks import add_number_symbols
        from uai18n.glossary.check import project_checker

        symbols = self.project.stamps.fresh(_NUMBER_SYMBOLS, self._symbols_inputs, [])
        if symbols is not None:
            add_number_symbols(symbols["symbols"])
        glossary = project_checker(self.project.config)
        if glossary is not None:
            glossary.use_lemma_helper(self._helper)
        boilerplate = None if self.glossary_only else self.project.boilerplate()
        return glossary, boilerplate

    @functools.cached_property
    def _symbols_inputs(self) -> str:
        return digest(library_versions())  # and the code, as every digest

    def prepare(self, catalogues: list[tuple[Path, str]]) -> None:
        """Before checking these (source, language) catalogues: a language whose
        key store is empty and whose catalogues have translations gets its
        lemma dictionary indexed now, every such language at once (the first
        check of a project with no key store: 1.6 s sequentially)."""
        from uai18n.checks import published_forms

        glossary, _ = self._shared
        if glossary is None:
            return
        empty = set(glossary.languages_without_keys([language for _, language in catalogues]))
        translated: list[str] = []
        for source, language in catalogues:
            if language not in empty or language in translated:
                continue
            catalog = self.project.catalog(language, source)
            if len(self._catalogs) < _KEPT_CATALOGUES:  # read once, not twice
                self._catalogs[(source, language)] = catalog
            if catalog is not None and any(published_forms(entry) for entry in catalog):
                translated.append(language)
        if empty:  # every word needs a dictionary: indexed on every core, here
            self.stop_helpers()
            glossary.use_lemma_helper(None)
        if translated:
            glossary.prepare_dictionaries(translated)

    def start_lemma_helper(self, languages: list[str]) -> None:
        """A re-check: a translator's new word will need simplemma (30-45 ms to
        import), made ready meanwhile in a forked child
        (:class:`~uai18n.glossary.lemmas.LemmaHelper`), before the glossary
        loads. Not while the sources are read in another, or dictionaries
        indexed on every core."""
        from uai18n.glossary.lemmas import INDEX_DIR, LemmaHelper
        from uai18n.glossary.load import glossary_files

        config = self.project.config
        if glossary_files(config.glossary_dir):
            # the source language's dictionary is read when asked for: a word
            # new in a msgid is rarer, and the warm-up is not interrupted
            # while it reads one
            self._helper = LemmaHelper(languages, config.cache_dir / INDEX_DIR)

    def stop_helpers(self) -> None:
        """End the lemma helper, if one was started."""
        if self._helper is not None:
            self._helper.stop()
            self._helper = None

    def _catalog(self, source: Path, language: str) -> polib.POFile | None:
        """The catalogue :meth:`prepare` read, or read now."""
        if (source, language) in self._catalogs:
            return self._catalogs.pop((source, language))
        return self.project.catalog(language, source)

    def finish(self) -> None:
        """Keep the number separators read from CLDR in this run for the next."""
        if "_shared" not in self.__dict__:
            return  # every catalogue came from the record
        from uai18n.checks import number_symbols

        symbols = number_symbols()
        stored = self.project.stamps.fresh(_NUMBER_SYMBOLS, self._symbols_inputs, [])
        if stored is None or stored["symbols"] != symbols:
            self.project.stamps.record(_NUMBER_SYMBOLS, self._symbols_inputs, [], symbols=symbols)

    @functools.cached_property
    def inputs(self) -> str:
        """A digest of what every catalogue's findings depend on besides its own
        inputs: the glossary's and boilerplate's files and the libraries' versions."""
        from uai18n.boilerplate import boilerplate_path
        from uai18n.glossary.load import glossary_files

        config = self.project.config
        parts = [self.mode, library_versions()]
        for path in [*glossary_files(config.glossary_dir), boilerplate_path(config)]:
            parts += [self.project.relative(path), self.project.file_digest(path)]
        return digest(*parts)

    def check(
        self, source: Path, language: str, where: str, policy: LanguagePolicy
    ) -> tuple[StatusRow, list[Finding]]:
        """The catalogue's counted row and its findings (before ``disabled``)."""
        from uai18n.status import catalogue_status

        project = self.project
        _, boilerplate = self._shared
        catalog = self._catalog(source, language)
        disabled = frozenset(project.config.disabled_checks + policy.disabled_checks)
        glossary_findings: list[Finding] | None = None
        if project.reading_sources_ahead:  # first what does not wait for the source
            glossary_findings = self._glossary_of(catalog, language, where, disabled)
        template = project.template(source)
        row = catalogue_status(template, catalog, language, source.stem, where, policy)
        findings: list[Finding] = []
        if catalog is None and not self.glossary_only:
            findings.append(
                _finding(where, 0, language, "", "missing-catalogue", "no catalogue yet")
            )
        if not self.glossary_only:
            findings += _policy_findings(row, policy, where)
        if catalog is None:
            return row, findings
        if not self.glossary_only:
            findings += _catalogue_findings(
                catalog,
                language,
                where,
                project.config.source_language,
                project.verbatim_strings(source),
                disabled,
                boilerplate,
            )
        if glossary_findings is None:  # last: a new word's lemma may wait for the helper
            glossary_findings = self._glossary_of(catalog, language, where, disabled)
        return row, findings + glossary_findings

    def _glossary_of(
        self, catalog: polib.POFile | None, language: str, where: str, disabled: frozenset[str]
    ) -> list[Finding]:
        glossary, _ = self._shared
        if glossary is None or catalog is None:
            return []
        return _glossary_findings(catalog, language, where, glossary, disabled)


def _refuse_unknown_ids(project: Project, languages: tuple[str, ...]) -> None:
    """A misspelt id in ``disabled`` would switch nothing off, silently: refuse it."""
    root = project.config.root
    where = CONFIG_NAME if (root / CONFIG_NAME).is_file() else "pyproject.toml"
    for key, ids in [
        ("[checks] disabled", project.config.disabled_checks),
        *(
            (f"[languages.{code}] disabled_checks", project.config.policy(code).disabled_checks)
            for code in languages
        ),
    ]:
        for check_id in ids:
            if check_id not in check_ids():
                raise UserError(
                    f"{key}: unknown check id {check_id!r} (uai18n check --list shows them)",
                    where,
                )


def _disabled(project: Project, language: str) -> set[str]:
    return set(project.config.disabled_checks) | set(
        project.config.policy(language).disabled_checks
    )


def _finding(file: str, line: int, lang: str, msgid: str, check: str, message: str) -> Finding:
    severity = GATE_CHECKS[check].severity
    return Finding(file, line, lang, msgid, check, severity, message)


def _policy_findings(row: StatusRow, policy: LanguagePolicy, where: str) -> list[Finding]:
    return [
        _finding(where, 0, row.language, "", check_id, message)
        for check_id, message in policy_shortfalls(row, policy)
    ]


def _catalogue_findings(
    catalog: polib.POFile,
    language: str,
    where: str,
    source_language: str,
    verbatim: tuple[str, ...],
    disabled: frozenset[str],
    boilerplate: Boilerplate | None = None,
) -> list[Finding]:
    from uai18n import checks
    from uai18n.locales import plural_forms

    found = []
    missing = [key for key in _REQUIRED_HEADER if not catalog.metadata.get(key)]
    if missing:
        found.append(
            _finding(where, 1, language, "", "msgfmt-header", f"header lacks {', '.join(missing)}")
        )
    nplurals = _nplurals(catalog.metadata.get("Plural-Forms") or plural_forms(language))
    for entry in catalog:
        if entry.obsolete or entry.msgid == "":
            continue
        line = entry_line(entry)
        excerpt = entry.msgid
        state = entry_state(entry, where)
        if state is State.STALE:
            found.append(
                _finding(
                    where,
                    line,
                    language,
                    excerpt,
                    "stale-review",
                    "the translation or its source changed after the sign-off: review it again",
                )
            )
        if state in {State.UNTRANSLATED, State.MACHINE}:
            continue
        found += _msgfmt_findings(entry, where, line, language, nplurals)
        found += checks.check_entry(
            entry,
            language,
            file=where,
            source_language=source_language,
            verbatim=verbatim,
            disabled=disabled,
            boilerplate=boilerplate,
        )
    return found


def _glossary_findings(
    catalog: polib.POFile,
    language: str,
    where: str,
    glossary: GlossaryChecker,
    disabled: frozenset[str],
) -> list[Finding]:
    """The glossary against what a build would publish (translated, reviewed)."""
    from uai18n import checks

    found = []
    for entry in catalog:
        pairs = checks.published_forms(entry)
        if not pairs:
            continue
        skipped = disabled | checks.suppressed_checks(entry.tcomment or "")
        line = entry_line(entry)
        for _prefix, source, target in pairs:
            for finding in glossary.check(source, target, language, entry.tcomment or ""):
                if finding.check not in skipped:
                    found.append(
                        Finding(
                            where,
                            line,
                            language,
                            entry.msgid,
                            finding.check,
                            finding.severity,
                            finding.message,
                        )
                    )
    return found


def _msgfmt_findings(
    entry: polib.POEntry, where: str, line: int, language: str, nplurals: int | None
) -> list[Finding]:
    """What ``msgfmt -c`` rejects in a translated entry, by gettext's rules."""
    found = []
    forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    for form in forms:
        if not form:
            continue
        for side, test in (("start", str.startswith), ("end", str.endswith)):
            if test(entry.msgid, "\n") != test(form, "\n"):
                found.append(
                    _finding(
                        where,
                        line,
                        language,
                        entry.msgid,
                        "msgfmt-newlines",
                        f"msgid and msgstr disagree on a newline at the {side}",
                    )
                )
    if entry.msgid_plural and nplurals is not None and len(entry.msgstr_plural) != nplurals:
        found.append(
            _finding(
                where,
                line,
                language,
                entry.msgid,
                "msgfmt-plurals",
                f"{len(entry.msgstr_plural)} plural forms, the header says nplurals={nplurals}",
            )
        )
    return found


def _nplurals(plural_header: str) -> int | None:
    for part in plural_header.split(";"):
        name, _, value = part.partition("=")
        if name.strip() == "nplurals" and value.strip().isdigit():
            return int(value)
    return None


@functools.cache
def check_ids() -> dict[str, tuple[Severity, str]]:
    """Every check id with its severity and description, for ``check --list``."""
    from uai18n import checks
    from uai18n.glossary.check import GLOSSARY_CHECKS

    return {
        info.id: (info.severity, info.description)
        for info in (
            *GATE_CHECKS.values(),
            *checks.CHECKS.values(),
            *GLOSSARY_CHECKS.values(),
        )
    }
