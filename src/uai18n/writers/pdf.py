"""Print-ready PDF: our HTML page laid out on A4 by WeasyPrint.

WeasyPrint (Pango/HarfBuzz underneath) shapes Arabic right to left and
picks, per character, the first font of the stack that has it. The stack
names Noto (Latin, Cyrillic, Greek; Naskh Arabic; CJK) and falls back to
DejaVu; on Debian: ``apt-get install fonts-noto-core fonts-noto-cjk
fonts-dejavu-core``. The page fetches nothing: the fetcher refuses every URL,
so a page built from an untrusted source cannot read a file or call out.
The same input gives the same bytes, in any process (WeasyPrint writes no
dates; the date fontTools puts in font subsets is pinned).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

import lxml.html

from uai18n.localize import LocalizedDocument
from uai18n.writers.html import render_html, serialize_page

#: A4, the house look kept, and the fonts that cover our languages.
PRINT_STYLE = """
@page { size: A4; margin: 18mm 16mm 20mm;
        @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { max-width: none; padding: 0; font-size: 10.5pt;
       font-family: "Noto Sans", "Noto Naskh Arabic", "Noto Sans Arabic", "Noto Sans CJK SC",
                    "Noto Sans CJK JP", "DejaVu Sans", sans-serif; }
.banner { background: #ffdd00; border: none; }
.deadline strong { background: #ffdd00; border: none; }
.model-letter { border: 1px solid #bbb; padding: .3rem .8rem; break-inside: auto; }
a { color: inherit; }
"""


class _NoFetching(Exception):
    pass


def _refuse(url: str, *args: object, **kwargs: object) -> dict:
    raise _NoFetching(f"fetching {url!r} is not allowed")


#: Unicode isolates by direction: LRI or RLI ... PDI.
_ISOLATES = {"ltr": ("\u2066", "\u2069"), "rtl": ("\u2067", "\u2069")}


def print_page(page: str) -> str:
    """Our HTML page made ready for print: the A4 style, isolated verbatim lines.

    The print style goes into the page itself, after the screen style, so it
    wins over it (a stylesheet handed to WeasyPrint separately would not).
    Each verbatim span's text is wrapped in Unicode isolate marks: WeasyPrint
    does not isolate a ``dir`` span inside a line of the other direction (a
    fax number in an Arabic line comes out scrambled) but follows the marks.
    Only the PDF gets them: in HTML they would ride along when someone copies
    a handle.
    """
    tree = lxml.html.document_fromstring(page)
    head = tree.find("head")
    if head is not None:
        style = lxml.html.Element("style")
        style.text = PRINT_STYLE
        head.append(style)
    for span in tree.xpath("//span[@class='verbatim']"):
        start, end = _ISOLATES.get(span.attrib.pop("dir", "ltr"), _ISOLATES["ltr"])
        span.text = start + (span.text or "")
        if len(span):
            span[-1].tail = (span[-1].tail or "") + end
        else:
            span.text += end
    return serialize_page(tree)


def render_pdf(document: LocalizedDocument) -> bytes:
    """The document as an A4 PDF."""
    return pdf_from_html(render_html(document))


def pdf_from_html(page: str) -> bytes:
    """Our HTML page (as :func:`render_html` writes it) as an A4 PDF.

    Takes the page as a string so a worker process gets a few kilobytes of
    text, not a pickled document.
    """
    from weasyprint import HTML  # a heavy import: only when PDFs are asked for

    html = HTML(string=print_page(page), url_fetcher=_refuse, base_url=None)
    with _fixed_font_timestamp():
        return html.write_pdf()


#: The "modified" date of embedded font subsets when SOURCE_DATE_EPOCH is not set (2000-01-01).
FONT_EPOCH = "946684800"


@contextlib.contextmanager
def _fixed_font_timestamp() -> Iterator[None]:
    """Without HarfBuzz-Subset, WeasyPrint subsets fonts with fontTools, which
    stamps each subset's ``head.modified`` with the time of the render unless
    SOURCE_DATE_EPOCH is set: the same page would give other bytes a second
    later, or in another process. Pinned here for the render only."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = FONT_EPOCH
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def default_jobs() -> int:
    """The cores this process may use (its affinity mask, which a container or
    ``taskset`` narrows; ``os.cpu_count`` would count every core of the host)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: Imported once by the fork server, so every worker forked from it has them.
_WORKER_PRELOAD = ["uai18n.writers.pdf", "weasyprint"]


def _worker_context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (Linux, macOS); spawn elsewhere (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_WORKER_PRELOAD)  # no-op once the server runs
    return context


class PdfRenders:
    """PDF renders handed out to ``jobs`` worker processes, results taken in any order.

    The pool starts only at the second render asked for: one PDF (or
    ``jobs`` = 1) is rendered in this process, since starting workers costs
    more than one page. Workers are forked from a fork server, a clean
    process that never ran the caller's threads (a test's server, a pool's
    manager), so a lock held in the parent cannot be inherited; it imports
    WeasyPrint once, and each worker loads the fonts it needs once. Each
    render is a pure function of its page, so the bytes do not depend on
    which process made them. As with any fork server or spawn, a script that
    builds through the API must start under ``if __name__ == "__main__":``
    (its main module is imported again in each worker), or pass ``jobs=1``.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: ProcessPoolExecutor | None = None
        self._held: _Render | None = None  # the first render, until a second one comes

    def render(self, page: str) -> _Render:
        """A handle whose :meth:`_Render.result` is the page's PDF (or raises its error)."""
        handle = _Render(page)
        if self.jobs <= 1:
            return handle
        if self._pool is None and self._held is None:
            self._held = handle
            return handle
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(self.jobs, _worker_context())
            except (OSError, ImportError, NotImplementedError):  # no semaphores, no fork server:
                self.jobs = 1  # slower, not wrong; both handles render here
                return handle
            assert self._held is not None
            self._held.submit(self._pool.submit)
        handle.submit(self._pool.submit)
        return handle

    def close(self) -> None:
        """Stop the workers; renders not taken yet are cancelled."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PdfRenders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Render:
    """One page's PDF: rendered by a worker, or here when it was never handed out."""

    def __init__(self, page: str) -> None:
        self.page: str | None = page
        self.future: Future[bytes] | None = None

    def submit(self, submit: Callable[..., Future[bytes]]) -> None:
        self.future = submit(pdf_from_html, self.page)
        self.page = None  # the worker has it now

    def done(self) -> bool:
        return self.future is not None and self.future.done()

    def result(self) -> bytes:
        """The PDF; an error of the render (a UserError too) is raised as it was raised."""
        if self.future is not None:
            return self.future.result()
        assert self.page is not None
        return pdf_from_html(self.page)
