"""Print-ready PDFs: A4, the fonts each script needs, isolated verbatim lines."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import time
from pathlib import Path

import pypdf
import pytest
from conftest import BUNDLED_UA, pdf_fonts_or_skip

from uai18n.errors import UserError
from uai18n.localize import localize
from uai18n.readers.text import read_text
from uai18n.writers import pdf as pdf_writer
from uai18n.writers.html import render_html
from uai18n.writers.pdf import print_page, render_pdf

A4 = (595.28, 841.89)


@pytest.fixture(autouse=True)
def _fonts() -> None:
    pdf_fonts_or_skip()


def _document():
    return read_text(BUNDLED_UA.read_text("utf-8"), doc_id="x", source_path="x", language="en")


def _fonts_of(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_build_writes_a4_pdfs_only_when_asked(project: Path, cli) -> None:
    assert cli("-C", str(project), "run").exit_code == 0
    assert not list((project / "output").rglob("*.pdf"))
    result = cli("-C", str(project), "build", "--lang", "fr", "--format", "pdf,txt")
    assert result.exit_code == 0, result.output
    pdf = project / "output/fr/ua-2-19-chechnya.pdf"
    data = pdf.read_bytes()
    reader = pypdf.PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "ACTION URGENTE" in text and "Monsieur le Président" in text
    assert "17 mai 2019" in text  # the deadline, in French, from CLDR
    # the same input gives the same bytes (no dates in the file)
    pdf.unlink()
    assert cli("-C", str(project), "build", "--lang", "fr", "--format", "pdf").exit_code == 0
    assert pdf.read_bytes() == data


def test_unknown_format_is_bad_input(project: Path, cli) -> None:
    result = cli("-C", str(project), "build", "--format", "pdf,odt")
    assert result.exit_code == 2
    assert result.output == "uai18n: --format: unknown format 'odt' (known: txt, html, pdf, docx)\n"


@pytest.mark.parametrize(
    ("language", "sample", "font"),
    [
        ("ar", "المدافعون عن حقوق الإنسان", "Arabic"),
        ("zh", "人权捍卫者", "CJK"),
        ("ru", "правозащитники", "Noto"),
    ],
)
def test_each_script_gets_a_font_that_has_it(language: str, sample: str, font: str) -> None:
    document = _document()
    lookup = {segment.text: sample for segment in document.segments()}.get
    pdf = render_pdf(localize(document, language, lookup, variable_locale=language))
    assert any(font in name for name in _fonts_of(pdf)), _fonts_of(pdf)


def test_verbatim_lines_are_isolated_in_an_rtl_page() -> None:
    document = _document()
    lookup = {segment.text: "نص عربي" for segment in document.segments()}.get
    page = print_page(render_html(localize(document, "ar", lookup)))
    assert "\u2066+7 495 9102134\u2069" in page
    assert "\u2066@KremlinRussia @KremlinRussia_E\u2069" in page


# --- PDFs rendered in worker processes ------------------------------------------------------

PARALLEL_LANGUAGES = ("--lang", "fr", "--lang", "ar")
FAIL_MARK = "Zqxfailmark"


def _three_documents(project: Path) -> None:
    """Three documents (the bundled UA twice more, its catalogues reused); the
    third has a word no catalogue translates, which a draft shows as is."""
    bundled = project / "source/ua-2-19-chechnya.txt"
    text = bundled.read_text("utf-8")
    (project / "source/ua-b.txt").write_text(text, "utf-8")
    (project / "source/ua-c.txt").write_text(
        text.replace("Dear President,", f"Dear President {FAIL_MARK},", 1), "utf-8"
    )
    for language in ("fr", "ar"):
        catalogue = project / "po" / language / "ua-2-19-chechnya.po"
        for doc in ("ua-b", "ua-c"):
            (project / "po" / language / f"{doc}.po").write_bytes(catalogue.read_bytes())


def _built_files(project: Path) -> dict[str, bytes]:
    return {
        path.relative_to(project).as_posix(): path.read_bytes()
        for path in sorted((project / "output").rglob("*"))
        if path.is_file()
    }


def _stamp_records(project: Path) -> dict:
    """The records of the stamp file (its digest cache holds inodes and mtimes)."""
    return json.loads((project / ".uai18n/stamps.json").read_text("utf-8"))["records"]


def _twin_projects(project: Path, tmp_path: Path) -> tuple[Path, Path]:
    _three_documents(project)
    twin = tmp_path / "twin"
    shutil.copytree(project, twin)
    return project, twin


def test_parallel_pdfs_are_the_sequential_bytes_and_stamps(
    project: Path, tmp_path: Path, cli
) -> None:
    sequential, parallel = _twin_projects(project, tmp_path)
    build = ("build", "--draft", "--format", "txt,pdf", *PARALLEL_LANGUAGES)
    one = cli("-C", str(sequential), *build, "-j", "1")
    two = cli("-C", str(parallel), *build, "-j", "2")
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert one.output == two.output
    files = _built_files(sequential)
    assert len([name for name in files if name.endswith(".pdf")]) == 6
    assert _built_files(parallel) == files
    assert _stamp_records(parallel) == _stamp_records(sequential)
    # a rerun skips everything, by the parallel build's stamps too
    again = cli("-C", str(parallel), *build, "-j", "2")
    assert again.output == two.output and _built_files(parallel) == files


def failing_render(page: str) -> bytes:
    """Stands in for pdf_from_html in the workers: refuses the marked page."""
    if FAIL_MARK in page:
        raise UserError("cannot lay out the page", "output/x.pdf", 7)
    return b"%PDF-stand-in " + str(len(page)).encode()


def test_a_failing_render_in_a_worker_is_the_sequential_failure(
    project: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker's UserError reaches the CLI as one line, exit 2, and leaves
    what a one-process build leaves: the documents before it built and
    stamped, the txt written before its PDF, nothing after it."""
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)  # pickled by name
    sequential, parallel = _twin_projects(project, tmp_path)
    build = ("build", "--draft", "--format", "txt,pdf", *PARALLEL_LANGUAGES)
    one = cli("-C", str(sequential), *build, "-j", "1")
    two = cli("-C", str(parallel), *build, "-j", "2")
    assert one.exit_code == two.exit_code == 2
    assert one.stderr == two.stderr == "uai18n: output/x.pdf:7: cannot lay out the page\n"
    files = _built_files(sequential)
    assert "output/fr/ua-b.pdf" in files and "output/ar/ua-b.pdf" in files
    assert "output/fr/ua-c.txt" in files and "output/fr/ua-c.pdf" not in files
    assert not any(name.startswith("output/ar/ua-c") for name in files)
    assert _built_files(parallel) == files
    assert _stamp_records(parallel) == _stamp_records(sequential)


def test_pdf_bytes_do_not_depend_on_the_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """fontTools dates font subsets with the clock unless SOURCE_DATE_EPOCH is set."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    page = render_html(localize(_document(), "en", lambda text: None))
    monkeypatch.setattr(time, "time", lambda: 1_800_000_000.0)
    first = pdf_writer.pdf_from_html(page)
    monkeypatch.setattr(time, "time", lambda: 1_900_000_000.0)
    assert pdf_writer.pdf_from_html(page) == first
    assert "SOURCE_DATE_EPOCH" not in os.environ


def killed_render(page: str) -> bytes:
    """Stands in for pdf_from_html in the workers: the worker given the marked
    page dies of SIGKILL, as the kernel's out-of-memory killer ends it."""
    if FAIL_MARK in page:
        os.kill(os.getpid(), signal.SIGKILL)
    return failing_render(page)


def test_a_worker_that_died_unnoticed_is_not_sent_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker killed between two looks at the pool: the next page handed to it
    went into a pipe nobody reads (BrokenPipeError, a traceback). It is now
    found dead there, and the page renders elsewhere (here, none being left)."""
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)
    pool = pdf_writer._Pool(1, pdf_writer._worker_context())
    try:
        worker = pool.workers[0]
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.join()
        assert worker.alive  # not noticed yet: nothing has looked since
        page = pdf_writer._Render("<p>page</p>", "output/fr/x.pdf")
        pool.submit(page)
        assert not worker.alive
        assert page.result() == failing_render("<p>page</p>")
    finally:
        pool.close()


def test_a_killed_worker_is_one_line_naming_the_pdf(
    project: Path, tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker killed while rendering is no traceback but one line naming the
    PDF and the signal, exit 2, and the build stops there as a failing render
    does: the same files (no half-written one, no temporary file) and stamps."""
    sequential, parallel = _twin_projects(project, tmp_path)
    build = ("build", "--draft", "--format", "txt,pdf", *PARALLEL_LANGUAGES)
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)
    assert cli("-C", str(sequential), *build, "-j", "1").exit_code == 2
    monkeypatch.setattr(pdf_writer, "pdf_from_html", killed_render)  # pickled by name
    killed = cli("-C", str(parallel), *build, "-j", "2")
    assert killed.exit_code == 2
    assert killed.stderr == (
        "uai18n: output/fr/ua-c.pdf: PDF not written: "
        "the process rendering it was killed by SIGKILL (out of memory?)\n"
    )
    files = _built_files(parallel)
    assert "output/fr/ua-c.txt" in files and "output/fr/ua-c.pdf" not in files
    assert files == _built_files(sequential)
    assert _stamp_records(parallel) == _stamp_records(sequential)
    # the workers are gone, and a rerun with a sound renderer builds the rest
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)
    (parallel / "source/ua-c.txt").write_text(
        (parallel / "source/ua-b.txt").read_text("utf-8"), "utf-8"
    )
    again = cli("-C", str(parallel), *build, "-j", "2")
    assert again.exit_code == 0, again.output
    assert "output/ar/ua-c.pdf" in _built_files(parallel)


def test_without_worker_processes_pdfs_render_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """A platform without process pools (no sem_open) renders in the process itself."""

    def no_pool(*args: object, **kwargs: object) -> None:
        raise ImportError("This platform lacks a functioning sem_open implementation")

    monkeypatch.setattr(pdf_writer, "_Pool", no_pool)
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)
    pages = ("<p>a</p>", "<p>bb</p>", "<p>ccc</p>")
    with pdf_writer.PdfRenders(2) as renders:
        handles = [renders.render(page, f"output/x{len(page)}.pdf") for page in pages]
        assert [handle.result() for handle in handles] == [failing_render(p) for p in pages]


def test_workers_render_in_order_whatever_comes_back_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """More pages than workers can hold, taken in any order, each its own PDF;
    an error is raised by its own page's result only."""
    monkeypatch.setattr(pdf_writer, "pdf_from_html", failing_render)
    pages = [f"<p>{'x' * size}</p>" for size in range(1, 12)] + [f"<p>{FAIL_MARK}</p>"]
    with pdf_writer.PdfRenders(2) as renders:
        handles = [renders.render(page, "output/x.pdf") for page in pages]
        with pytest.raises(UserError, match="cannot lay out the page"):
            handles[-1].result()
        assert [handle.result() for handle in handles[:-1]] == [
            failing_render(page) for page in pages[:-1]
        ]
