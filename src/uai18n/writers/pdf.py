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
import multiprocessing.connection
import os
import pickle
import queue
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection

import lxml.html

from uai18n.errors import UserError
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
    """One PDF worker a core this process may use."""
    from uai18n.forked import usable_cores

    return usable_cores()


#: Imported once by the fork server, so every worker forked from it has them.
_WORKER_PRELOAD = ["uai18n.writers.pdf", "weasyprint"]

#: Pages handed to one worker at a time: the one it renders and the next, so
#: it never waits for this process to notice it is done.
_DEPTH = 2


def _worker_context() -> multiprocessing.context.BaseContext:
    """A fork server where there is one (Linux, macOS); spawn elsewhere (Windows)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(_WORKER_PRELOAD)  # no-op once the server runs
    return context


def _boot_fork_server(context: multiprocessing.context.BaseContext) -> None:
    """Start the fork server without waiting for it: its import of WeasyPrint
    (~0.5 s) then runs beside this process's own work. Starting a worker later
    waits only for what is left of it."""
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


class PdfRenders:
    """PDF renders handed out to ``jobs`` worker processes, results taken in any order.

    :meth:`render` boots the workers' fork server at the first page, in the
    background, and starts the workers at the second: one PDF (or ``jobs`` =
    1) is rendered in this process, since a worker costs more than one page.
    Workers are forked from a fork server, a clean process that never ran
    the caller's threads (a test's server, a pool's manager), so a lock held
    in the parent cannot be inherited; it imports WeasyPrint once, and each
    worker loads the fonts it needs once. Each render is a pure function of
    its page, so the bytes do not depend on which process made them. A
    worker that dies (killed, out of memory) fails the page it was rendering
    with a :class:`UserError` naming the file and the signal. As with any
    fork server or spawn, a script that builds through the API must start
    under ``if __name__ == "__main__":`` (its main module is imported again
    in each worker), or pass ``jobs=1``.
    """

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self._pool: _Pool | None = None
        self._context: multiprocessing.context.BaseContext | None = None
        self._held: _Render | None = None  # the first render, until a second one comes

    def render(self, page: str, where: str) -> _Render:
        """A handle whose :meth:`_Render.result` is the page's PDF (or raises its
        error); ``where`` names the PDF in errors."""
        handle = _Render(page, where)
        if self.jobs <= 1:
            return handle
        if self._context is None:
            try:
                self._context = _worker_context()
                _boot_fork_server(self._context)
            except (OSError, ImportError, NotImplementedError):  # no fork server: slower,
                self.jobs = 1  # not wrong; every page renders here
                return handle
        if self._pool is None and self._held is None:
            self._held = handle
            return handle
        if self._pool is None:
            try:
                self._pool = _Pool(self.jobs, self._context)
            except (OSError, ImportError, NotImplementedError):  # no semaphores, no pipes:
                self.jobs = 1  # slower, not wrong; both handles render here
                return handle
            assert self._held is not None
            self._pool.submit(self._held)
        self._pool.submit(handle)
        return handle

    def close(self) -> None:
        """Stop the workers; renders not taken yet are dropped."""
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __enter__(self) -> PdfRenders:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Render:
    """One page's PDF: rendered by a worker, or here when it was never handed out."""

    def __init__(self, page: str, where: str) -> None:
        self.page: str | None = page
        self.where = where
        self.pool: _Pool | None = None
        self.outcome: tuple[bool, object] | None = None  # (rendered, the PDF or the error)

    def done(self) -> bool:
        """Has a worker sent the result (without waiting for it)?"""
        if self.outcome is None and self.pool is not None:
            self.pool.poll(0)
        return self.outcome is not None

    def result(self) -> bytes:
        """The PDF; an error of the render (a UserError too) is raised as it was raised."""
        if self.outcome is None and self.pool is not None:
            self.pool.wait_for(self)
        if self.outcome is None:
            assert self.page is not None
            return pdf_from_html(self.page)
        rendered, value = self.outcome
        if not rendered:
            assert isinstance(value, BaseException)
            raise value
        assert isinstance(value, bytes)
        return value


class _Worker:
    """One worker process and its two pipes: pages in, results out, in order."""

    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        pages_out, self.pages = context.Pipe(duplex=False)  # (reader, writer)
        self.results, results_in = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(pages_out, results_in), name="uai18n-pdf", daemon=True
        )
        try:
            self.process.start()
        finally:  # the worker has its ends: a dead worker is then an end of file here
            pages_out.close()
            results_in.close()
        self.taken: deque[_Render] = deque()  # sent, result not back yet, in order
        self.alive = True

    def send(self, handle: _Render) -> bool:
        """Hand the page over; False when the worker is gone (died since the last look)."""
        try:
            self.pages.send((pdf_from_html, handle.page))  # the name, looked up now: tests swap it
        except OSError:  # BrokenPipeError: nobody reads the other end any more
            return False
        handle.page = None  # the worker has it now
        self.taken.append(handle)
        return True

    def receive(self) -> bool:
        """Take every result waiting; False once the worker is gone."""
        try:
            while self.results.poll():
                rendered, value = self.results.recv()
                self.taken.popleft().outcome = (rendered, value)
        except (EOFError, OSError):
            return False
        return True

    def died(self) -> None:
        """The worker is gone: the page it was rendering (and those after) fail, naming it."""
        self.alive = False
        self.process.join(5)
        what = _death(self.process.exitcode)
        for handle in self.taken:
            error = UserError(f"PDF not written: the process rendering it {what}", handle.where)
            handle.outcome = (False, error)
        self.taken.clear()

    def stop(self) -> None:
        """Ask the worker to end (end of file on its pages); kill it if it is busy."""
        with contextlib.suppress(OSError):
            self.pages.close()
        if self.taken and self.process.is_alive():
            self.process.terminate()

    def reap(self) -> None:
        self.process.join(5)
        if self.process.is_alive():  # pragma: no cover - a worker stuck in a render
            self.process.kill()
            self.process.join()
        self.results.close()


def _death(exitcode: int | None) -> str:
    """How a worker ended, for the message: the signal, or the exit status."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        hint = " (out of memory?)" if -exitcode == signal.SIGKILL else ""
        return f"was killed by {name}{hint}"
    if exitcode:
        return f"exited with status {exitcode}"
    return "stopped without sending it"


class _Pool:
    """``jobs`` workers, each given at most :data:`_DEPTH` pages, fed whenever
    this process looks (:meth:`poll`): no threads here, so nothing for a fork
    to inherit and no locks between the caller and a feeder."""

    def __init__(self, jobs: int, context: multiprocessing.context.BaseContext) -> None:
        self.workers: list[_Worker] = []
        try:
            for _ in range(jobs):
                self.workers.append(_Worker(context))
        except BaseException:
            self.close()
            raise
        self.queue: deque[_Render] = deque()

    def submit(self, handle: _Render) -> None:
        handle.pool = self
        self.queue.append(handle)
        self._feed()

    def _feed(self) -> None:
        """Hand queued pages to the least busy workers; with none left alive,
        the pages render in this process (slower, not wrong)."""
        while self.queue:
            alive = [worker for worker in self.workers if worker.alive]
            if not alive:
                for handle in self.queue:
                    handle.pool = None
                self.queue.clear()
                return
            worker = min(alive, key=lambda worker: len(worker.taken))
            if len(worker.taken) >= _DEPTH:
                return
            if not worker.send(self.queue[0]):
                worker.died()  # its pages fail, naming how it ended; this one goes elsewhere
                continue
            self.queue.popleft()

    def poll(self, timeout: float | None) -> None:
        """Take the results sent (waiting up to ``timeout`` for one), note dead workers, feed."""
        alive = [worker for worker in self.workers if worker.alive]
        waiting = {worker.results: worker for worker in alive}
        waiting.update({worker.process.sentinel: worker for worker in alive})
        for ready in multiprocessing.connection.wait(list(waiting), timeout):
            worker = waiting[ready]
            if worker.alive and not worker.receive():
                worker.died()
            elif worker.alive and ready == worker.process.sentinel and worker.receive():
                worker.died()  # exited with its pipe still open (only by a bug)
        self._feed()

    def wait_for(self, handle: _Render) -> None:
        while handle.outcome is None and handle.pool is self:
            self.poll(None)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        for worker in self.workers:
            worker.reap()
        self.workers = []


def _serve(pages: Connection, results: Connection) -> None:
    """A worker: render each page it is sent, send back the PDF or the error.

    A thread reads the pages as they come, so this process never blocks
    sending a large PDF while the parent blocks sending it a page. Ctrl-C is
    the parent's to handle: it stops the workers.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    inbox: queue.SimpleQueue[tuple[Callable[[str], bytes], str] | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            while True:
                inbox.put(pages.recv())
        except (EOFError, OSError):
            inbox.put(None)

    threading.Thread(target=read, daemon=True).start()
    while (job := inbox.get()) is not None:
        render, page = job
        try:
            outcome: tuple[bool, object] = (True, render(page))
        except Exception as error:  # sent back, raised in the parent
            outcome = (False, _picklable(error))
        results.send(outcome)


def _picklable(error: Exception) -> Exception:
    """The error as it was raised when it pickles; its type and text when not."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:  # anything pickle raises
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error
