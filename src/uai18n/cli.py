"""The ``uai18n`` command: parse options, call a stage, print, set the exit code.

Exit codes: 0 done; 1 ran but something fell short (a required or requested
language was not built); 2 bad input or usage. A :class:`UserError` is
printed as one line on stderr, never as a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import gc
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from uai18n import __version__, reports
from uai18n.config import OUTPUT_FORMATS, load_config
from uai18n.errors import UserError
from uai18n.project import Project
from uai18n.textfiles import write_bytes_atomic, write_chunks_atomic

if TYPE_CHECKING:
    from uai18n.pipeline import BuildResult, UpdateResult

# Each command imports its stage where it runs: ``uai18n check`` after an
# edit should not pay for the PDF writer, the merge or the reader of Word.

EXIT_SHORTFALL = 1
EXIT_BAD_INPUT = 2


def handles_user_errors(command: Callable[..., int | None]) -> Callable[..., None]:
    """Turn a UserError into one stderr line and exit 2; pass the exit code on."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        ctx = click.get_current_context()
        code = 0
        try:
            code = command(*args, **kwargs) or 0
        except UserError as error:
            click.echo(f"uai18n: {error}", err=True)
            code = EXIT_BAD_INPUT
        finally:
            project = ctx.obj.get("project")
            if project is not None:
                try:
                    project.save()
                except UserError as error:  # .uai18n/ unwritable: one line (the first only)
                    if code != EXIT_BAD_INPUT:
                        click.echo(f"uai18n: {error}", err=True)
                    code = EXIT_BAD_INPUT
        ctx.exit(code)

    return wrapper


jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    envvar="UAI18N_JOBS",
    metavar="N",
    help="Render PDFs in N processes (default: every core; env UAI18N_JOBS).",
)


def _iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> object:
    """``--today``: a calendar date written YYYY-MM-DD, nothing looser."""
    if value is None:
        return None
    try:
        if len(value) == 10 and value[4] == value[7] == "-":
            return datetime.date.fromisoformat(value)
    except ValueError:
        pass
    raise click.BadParameter(f"{value!r} is not a date written YYYY-MM-DD", ctx, param)


today_option = click.option(
    "--today",
    callback=_iso_date,
    metavar="YYYY-MM-DD",
    help="Judge deadlines in output/index.html and manifest.json against this date "
    "(default: the day their content last changed).",
)

lang_option = click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="L",
    help="Only this language (repeatable); default: every configured language.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in DIR (like git -C).",
)
@click.version_option(__version__, prog_name="uai18n")
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """Translate Urgent Action documents through gettext PO catalogues."""
    if not directory.is_dir():
        raise click.UsageError(f"-C {directory}: no such directory")
    ctx.obj = {"root": directory.resolve()}


def _open(ctx: click.Context, formats: str | None = None) -> Project:
    config = load_config(ctx.obj["root"])
    if formats is not None:
        wanted = tuple(dict.fromkeys(part.strip() for part in formats.split(",") if part.strip()))
        for fmt in wanted:
            if fmt not in OUTPUT_FORMATS:
                known = ", ".join(OUTPUT_FORMATS)
                raise UserError(f"--format: unknown format {fmt!r} (known: {known})")
        if not wanted:
            raise UserError("--format: no format given")
        config = dataclasses.replace(config, formats=wanted)
    project = Project(config)
    ctx.obj["project"] = project
    return project


@main.command("extract")
@click.pass_context
@handles_user_errors
def extract_command(ctx: click.Context) -> int:
    """Read source/ and write po/templates/<doc>.pot."""
    from uai18n.pipeline import extract

    project = _open(ctx)
    for result in extract(project):
        state = "written" if result.written else "unchanged"
        click.echo(f"{result.template}: {result.entries} entries, {state}")
    return 0


@main.command("update")
@lang_option
@click.pass_context
@handles_user_errors
def update_command(ctx: click.Context, languages: tuple[str, ...]) -> int:
    """Merge templates into po/<lang>/<doc>.po, keeping every translation."""
    from uai18n.pipeline import update

    project = _open(ctx)
    code = 0
    for result in update(project, project.config.select_languages(languages)):
        if result.error:
            click.echo(f"uai18n: {result.error}", err=True)
            code = EXIT_BAD_INPUT
            continue
        state = "created" if result.created else "updated" if result.written else "unchanged"
        stats = result.stats
        click.echo(
            f"{result.catalog}: {state}; {stats.translated} translated, {stats.fuzzy} fuzzy, "
            f"{stats.untranslated} untranslated"
        )
    return code


@main.command("build")
@lang_option
@click.option(
    "--draft",
    is_flag=True,
    help="Build below the threshold; untranslated text is marked.",
)
@click.option(
    "--pseudo",
    is_flag=True,
    help="Also build pseudo-localized English into output/qps/.",
)
@click.option(
    "--format",
    "formats",
    metavar="LIST",
    help="Formats to write, comma-separated: txt, html, pdf (default: formats in uai18n.toml).",
)
@jobs_option
@today_option
@click.pass_context
@handles_user_errors
def build_command(
    ctx: click.Context,
    languages: tuple[str, ...],
    draft: bool,
    pseudo: bool,
    formats: str | None,
    jobs: int | None,
    today: datetime.date | None,
) -> int:
    """Write output/<lang>/<doc>.txt and .html (and .pdf when asked)."""
    from uai18n.pipeline import build, build_pseudo

    project = _open(ctx, formats)
    selected = project.config.select_languages(languages)
    results = build(project, selected, draft=draft, jobs=jobs, today=today)
    if pseudo:
        results += build_pseudo(project)
    for result in results:
        if result.bad_input:
            click.echo(f"uai18n: {result.reason}", err=True)
        elif result.built:
            note = f" ({result.reason})" if result.reason else ""
            click.echo(f"{result.language}/{result.document}: built{note}")
        else:
            click.echo(f"{result.language}/{result.document}: not built: {result.reason}")
            if result.missing:
                click.echo(f"  {result.missing_count} missing, e.g. " + "; ".join(result.missing))
    return _exit_code(project, results, explicit=bool(languages))


@main.command("run")
@click.option("--draft", is_flag=True, help="Build every language, marking what is untranslated.")
@jobs_option
@today_option
@click.pass_context
@handles_user_errors
def run_command(
    ctx: click.Context, draft: bool, jobs: int | None, today: datetime.date | None
) -> int:
    """Extract, update and build the whole project; print a summary."""
    from uai18n.pipeline import build, extract, update

    project = _open(ctx)
    languages = project.config.select_languages(())
    extract(project)
    updates = update(project, languages)
    for result in updates:
        if result.error:
            click.echo(f"uai18n: {result.error}", err=True)
    results = build(project, languages, draft=draft, jobs=jobs, today=today)
    _print_summary(project, updates, results)
    return _exit_code(project, results, explicit=False)


doc_option = click.option(
    "--doc", "documents", multiple=True, metavar="D", help="Only this document (repeatable)."
)
findings_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(reports.FINDINGS_FORMATS)),
    default="text",
    show_default=True,
)
output_option = click.option(
    "-o", "output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)


def _emit(text: str | Iterable[str], output: Path | None) -> None:
    """Print, or write atomically to -o FILE; a report may come in chunks."""
    chunks = [text] if isinstance(text, str) else text
    if output is None:
        for chunk in chunks:
            click.echo(chunk, nl=False)
    else:
        write_chunks_atomic(output, chunks, display=str(output), parents=False, durable=False)


@main.command("review")
@click.option("--lang", "language", required=True, metavar="L", help="The language to review.")
@doc_option
@click.option("--by", "reviewer", metavar="NAME", help="Reviewer (default: git config user.name).")
@click.option("--all", "everything", is_flag=True, help="Every translated entry.")
@click.option("--entry", "msgids", multiple=True, metavar="MSGID", help="This entry (repeatable).")
@click.option("--unsign", is_flag=True, help="Remove sign-offs instead of adding them.")
@click.pass_context
@handles_user_errors
def review_command(
    ctx: click.Context,
    language: str,
    documents: tuple[str, ...],
    reviewer: str | None,
    everything: bool,
    msgids: tuple[str, ...],
    unsign: bool,
) -> int:
    """Sign translations off (a hashed comment that survives PO tools)."""
    from uai18n.pipeline import review
    from uai18n.timestamps import now

    if everything == bool(msgids):
        raise click.UsageError("give either --all or --entry MSGID")
    project = _open(ctx)
    (code,) = project.config.select_languages((language,))
    name = reviewer or ("" if unsign else _git_user(project.config.root))
    results = review(
        project, code, documents, reviewer=name, date=now().date().isoformat(),
        msgids=msgids, unsign=unsign,
    )  # fmt: skip
    refused = 0
    for result in results:
        done = f"{result.unsigned} sign-off(s) removed" if unsign else f"{result.signed} signed off"
        click.echo(f"{result.catalog}: {done}")
        for reason in result.refused:
            click.echo(f"  not signed: {reason}")
        refused += len(result.refused)
    return EXIT_SHORTFALL if refused and msgids else 0


def _git_user(root: Path) -> str:
    import subprocess

    try:
        name = subprocess.run(
            ["git", "config", "user.name"], cwd=root, capture_output=True, text=True, check=False
        ).stdout.strip()
    except OSError:
        name = ""
    if not name:
        raise UserError("no reviewer name: pass --by NAME or set git config user.name", "--by")
    return name


@main.command("status")
@lang_option
@doc_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "html"]),
    default="table",
    show_default=True,
)
@output_option
@click.pass_context
@handles_user_errors
def status_command(
    ctx: click.Context,
    languages: tuple[str, ...],
    documents: tuple[str, ...],
    fmt: str,
    output: Path | None,
) -> int:
    """Counts and words by state, per language and document."""
    from uai18n.pipeline import status

    project = _open(ctx)
    rows = status(project, project.config.select_languages(languages), documents)
    if fmt == "html":
        from uai18n.writers.dashboard import render_dashboard

        text = render_dashboard(rows)
    else:
        text = {"table": reports.status_table, "json": reports.status_json,
                "csv": reports.status_csv}[fmt](rows)  # fmt: skip
    _emit(text, output)
    return 0


@main.command("check")
@lang_option
@findings_format_option
@output_option
@click.option("--strict", is_flag=True, help="Warnings fail too.")
@click.option("--list", "list_checks", is_flag=True, help="List the checks and exit.")
@click.pass_context
@handles_user_errors
def check_command(
    ctx: click.Context,
    languages: tuple[str, ...],
    fmt: str,
    output: Path | None,
    strict: bool,
    list_checks: bool,
) -> int:
    """The CI gate: policy, gettext rules, stale reviews, QA checks."""
    from uai18n import gate  # imports every check: only when checking

    if list_checks:
        for check_id, (severity, description) in gate.check_ids().items():
            click.echo(f"{check_id:<20} {severity:<8} {description}")
        return 0
    project = _open(ctx)
    selected = project.config.select_languages(languages)
    report = gate.run_checks(project, selected, requested=bool(languages), strict=strict)
    _emit(reports.FINDINGS_FORMATS[fmt](report), output)
    return 0 if report.passed else EXIT_SHORTFALL


@main.group("glossary")
def glossary_group() -> None:
    """The human-rights glossary in glossary/ (*.csv, *.tbx)."""


@glossary_group.command("check")
@lang_option
@findings_format_option
@output_option
@click.option("--strict", is_flag=True, help="Warnings (terms missing) fail too.")
@click.pass_context
@handles_user_errors
def glossary_check_command(
    ctx: click.Context, languages: tuple[str, ...], fmt: str, output: Path | None, strict: bool
) -> int:
    """Translations against the glossary: missing, deprecated, do-not-translate terms.

    The same glossary-* findings as in `uai18n check`, in the same formats.
    """
    from uai18n import gate

    project = _open(ctx)
    selected = project.config.select_languages(languages)
    report = gate.run_checks(
        project, selected, requested=bool(languages), strict=strict, glossary_only=True
    )
    _emit(reports.FINDINGS_FORMATS[fmt](report), output)
    return 0 if report.passed else EXIT_SHORTFALL


@glossary_group.command("show")
@click.argument("term")
@click.pass_context
@handles_user_errors
def glossary_show_command(ctx: click.Context, term: str) -> int:
    """Print the concept(s) TERM names (an id, or a term in any language and form)."""
    from uai18n.glossary.lint import describe, find_concepts
    from uai18n.glossary.load import load_glossary

    project = _open(ctx)
    glossary = load_glossary(project.config.glossary_dir)
    concepts = find_concepts(glossary, term)
    if not concepts:
        click.echo(f"uai18n: no glossary concept matches {term!r}", err=True)
        return EXIT_SHORTFALL
    click.echo("\n".join(describe(glossary, concept) for concept in concepts), nl=False)
    return 0


@glossary_group.command("lint")
@click.pass_context
@handles_user_errors
def glossary_lint_command(ctx: click.Context) -> int:
    """Validate the glossary: duplicates, contradictions, deprecated sub-phrases,
    concepts without a term.

    Exit 1 when there is an error (warnings are printed only).
    """
    from uai18n.findings import Severity
    from uai18n.glossary.lint import lint
    from uai18n.glossary.load import load_glossary

    project = _open(ctx)
    glossary = load_glossary(project.config.glossary_dir)
    languages = tuple(policy.code for policy in project.config.languages)
    problems = lint(glossary, project.config.source_language, languages)
    for problem in problems:
        click.echo(str(problem))
    errors = sum(problem.severity == Severity.ERROR for problem in problems)
    concepts = len(glossary.concepts)
    click.echo(
        f"{concepts} concepts, {len(glossary.terms)} terms: {errors} error(s), "
        f"{len(problems) - errors} warning(s)"
    )
    return EXIT_SHORTFALL if errors else 0


@main.command("pretranslate")
@lang_option
@doc_option
@click.option(
    "--engine", metavar="NAME", help="Engine for every language ([engines.NAME] or a kind)."
)
@click.option("--engine-url", metavar="URL", help="Server URL (LibreTranslate-compatible).")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds an engine may take per attempt (the whole request: headers and body).",
)
@click.option("--dry-run", is_flag=True, help="Count what would be sent; send and write nothing.")
@click.option(
    "--max-chars", type=click.IntRange(min=0), help="Stop before sending more characters."
)
@click.option("--memory-only", is_flag=True, help="Translation memory only; never the network.")
@click.pass_context
@handles_user_errors
def pretranslate_command(
    ctx: click.Context,
    languages: tuple[str, ...],
    documents: tuple[str, ...],
    engine: str | None,
    engine_url: str | None,
    timeout: float,
    dry_run: bool,
    max_chars: int | None,
    memory_only: bool,
) -> int:
    """Fill empty entries from translation memory, then machine translation.

    Every pre-filled entry is fuzzy, with a comment naming where it came from;
    an entry that has a translation is never touched.
    """
    from uai18n.pipeline import select_sources
    from uai18n.pretranslate.run import Options, pretranslate

    project = _open(ctx)
    selected = project.config.select_languages(languages)
    sources = select_sources(project, documents)
    if engine is not None:
        project.config.engine(engine)  # an unknown name is bad input before anything runs
    options = Options(engine, engine_url, timeout, dry_run, max_chars, memory_only)
    quiet = not sys.stderr.isatty()
    with click.progressbar(
        length=len(sources) * len(selected),
        label="pretranslate",
        file=sys.stderr,
        hidden=quiet,
        item_show_func=lambda text: text,
    ) as bar:

        def progress(result) -> None:  # type: ignore[no-untyped-def]
            sent = sum(result.sent_chars.values())
            hits = sum(result.cache_hits.values())
            filled = sum(result.filled.values())
            bar.update(1, f"{filled} filled, {sent} chars sent, {hits} cache hits")

        result = pretranslate(project, selected, sources, options, progress=progress)
    for line in result.catalogues:
        click.echo(line)
    for (name, language), characters in sorted(result.sent_chars.items()):
        segments = result.sent_segments[(name, language)]
        verb = "would send" if dry_run else "sent"
        click.echo(f"{name} {language}: {verb} {segments} segment(s), {characters} character(s)")
    for (name, language), hits in sorted(result.cache_hits.items()):
        verb = "would take" if dry_run else "took"
        click.echo(f"{name} {language}: {verb} {hits} answer(s) from the cache")
    for line in result.notices:
        click.echo(line, err=True)
    for line in result.problems:
        click.echo(line, err=True)
    if not result.catalogues and not result.sent_chars:
        click.echo("nothing to fill")
    return EXIT_SHORTFALL if result.failed else 0


@main.group("weblate")
def weblate_group() -> None:
    """Weblate as the team's translation server ([weblate] in uai18n.toml)."""


@weblate_group.command("sync")
@click.option("--prune", is_flag=True, help="Also remove components of documents gone from "
              "source/, and add-ons that rewrite our PO files.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@click.pass_context
@handles_user_errors
def weblate_sync_command(ctx: click.Context, prune: bool, dry_run: bool) -> int:
    """One Weblate component per document in source/, and the glossary."""
    from uai18n.weblate import PartialSync, sync

    project = _open(ctx)
    try:
        report = sync(project, prune=prune, dry_run=dry_run)
    except PartialSync as partial:
        for line in partial.done:
            click.echo(line)
        click.echo(f"uai18n: partial sync: {partial}", err=True)
        return EXIT_SHORTFALL
    for line in report.changes:
        click.echo(line)
    for line in report.notes:
        click.echo(f"note: {line}")
    if not report.changes:
        click.echo(f"unchanged: {len(report.unchanged)} component(s) and glossaries up to date")
    return 0


@weblate_group.command("pull-reviews")
@lang_option
@click.option("--dry-run", is_flag=True, help="Say what would be signed; write nothing.")
@click.pass_context
@handles_user_errors
def weblate_pull_reviews_command(
    ctx: click.Context, languages: tuple[str, ...], dry_run: bool
) -> int:
    """Write Weblate's approvals into the PO files as sign-offs."""
    from uai18n.weblate import pull_reviews

    project = _open(ctx)
    codes = project.config.select_languages(languages)
    results = pull_reviews(project, codes, dry_run=dry_run)
    verb = "would be " if dry_run else ""
    for result in results:
        if result.signed or result.unsigned or result.skipped:
            click.echo(
                f"{result.catalog}: {result.signed} {verb}signed off, "
                f"{result.unsigned} {verb}unsigned"
            )
        for reason in result.skipped:
            click.echo(f"  skipped: {reason}")
    if not any(result.signed or result.unsigned for result in results):
        click.echo("no change: the PO files agree with Weblate's approvals")
    return 0


@main.group("tm")
def tm_group() -> None:
    """Translation memory as TMX 1.4b."""


@tm_group.command("export")
@click.option("--lang", "language", required=True, metavar="L", help="The target language.")
@click.option(
    "-o",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The TMX file to write.",
)
@click.pass_context
@handles_user_errors
def tm_export_command(ctx: click.Context, language: str, output: Path) -> int:
    """Write every translated entry of po/L/*.po as TMX (for other tools)."""
    from uai18n.pretranslate.memory import project_memory
    from uai18n.pretranslate.tmx import TranslationUnit, write_tmx

    project = _open(ctx)
    code = project.config.select_languages((language,))[0]
    memory = project_memory(dataclasses.replace(project.config, memory_files=()), (code,))
    source = project.config.source_language
    units = [
        TranslationUnit(source, entry.source, code, entry.target, entry.origin)
        for entry in memory.entries(code)
    ]
    write_bytes_atomic(
        output, write_tmx(units, source, __version__), display=str(output), parents=False
    )
    click.echo(f"{output}: {len(units)} translation unit(s) ({source} -> {code})")
    return 0


@tm_group.command("import")
@click.argument("tmx", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
@handles_user_errors
def tm_import_command(ctx: click.Context, tmx: Path) -> int:
    """Check a TMX file and copy it into memory/ for pretranslate to use."""
    from uai18n.pretranslate.memory import tmx_files
    from uai18n.pretranslate.tmx import read_tmx

    project = _open(ctx)
    data = tmx.read_bytes()
    units = read_tmx(data, str(tmx), project.config.source_language)
    target = project.config.root / "memory" / tmx.name
    write_bytes_atomic(target, data, display=project.relative(target))
    languages = Counter(unit.target_lang for unit in units)
    listed = ", ".join(f"{code} {count}" for code, count in sorted(languages.items()))
    click.echo(f"{project.relative(target)}: {len(units)} translation unit(s) ({listed or 'none'})")
    if target not in tmx_files(project.config):
        click.echo("note: [memory] tmx in uai18n.toml does not list memory/; nothing reads it")
    return 0


def _exit_code(project: Project, results: list[BuildResult], *, explicit: bool) -> int:
    """2 when a catalogue could not be read; 1 when a required (or explicitly
    requested) language was not built; else 0."""
    if any(result.bad_input for result in results):
        return EXIT_BAD_INPUT
    for result in results:
        if not result.built and (explicit or project.config.policy(result.language).required):
            return EXIT_SHORTFALL
    return 0


def _print_summary(
    project: Project, updates: list[UpdateResult], results: list[BuildResult]
) -> None:
    """One line per language (fits 80 columns), then what blocks each build."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for update_result in updates:
        counts = totals[update_result.language]
        counts[0] += update_result.stats.translated
        counts[1] += update_result.stats.fuzzy
        counts[2] += update_result.stats.untranslated
    by_language: dict[str, list[BuildResult]] = defaultdict(list)
    for result in results:
        by_language[result.language].append(result)
    click.echo(f"{'lang':<7}{'translated':>10}{'fuzzy':>7}{'untransl.':>10}  output")
    for language, counts in totals.items():
        done = [result for result in by_language[language] if result.built]
        blocked = [result for result in by_language[language] if not result.built]
        required = " (required)" if project.config.policy(language).required else ""
        if not blocked:
            output = f"built: {len(done)} document(s)"
        elif len(blocked) == 1:
            output = f"NOT BUILT{required}: {blocked[0].reason}"
        else:
            output = f"NOT BUILT{required}: {len(blocked)} of {len(blocked) + len(done)} documents"
        line = f"{language:<7}{counts[0]:>10}{counts[1]:>7}{counts[2]:>10}  {output}"
        click.echo(_fit(line))
        for result in blocked:
            if result.missing:
                if required:
                    detail = f"{result.document}: {result.missing_count} missing, e.g. "
                    click.echo(_fit(f"{'':<7}{detail}" + "; ".join(result.missing)))
            elif len(blocked) > 1 or _fit(line) != line:  # an error's file:line, in full
                click.echo(f"{'':<7}{result.document}: {result.reason}")


def _fit(line: str, width: int = 80) -> str:
    return line if len(line) <= width else line[: width - 3] + "..."


def run() -> None:
    """The ``uai18n`` console script: :func:`main`, then no collection at exit.

    Python's shutdown runs a last garbage collection over every object the
    command made (the glossary, the catalogues, the modules), to free memory
    the process is about to give back anyway: after a check, the exit took
    22 ms with it and 8 ms without. Freezing the objects first skips it; the exit code,
    atexit hooks and finalizers (the key store's save) are unchanged. Tests
    call :func:`main` and keep collecting.
    """
    try:
        main()
    finally:
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
