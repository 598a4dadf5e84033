"""Output writers: a :class:`LocalizedDocument` laid out in one format each."""

from __future__ import annotations

from collections.abc import Callable

from uai18n.localize import LocalizedDocument
from uai18n.writers.docx import render_docx
from uai18n.writers.html import render_html
from uai18n.writers.pdf import render_pdf
from uai18n.writers.text import render_text

#: Output format -> (file ending, renderer: text or bytes).
WRITERS: dict[str, tuple[str, Callable[[LocalizedDocument], str | bytes]]] = {
    "txt": (".txt", render_text),
    "html": (".html", render_html),
    "pdf": (".pdf", render_pdf),
    "docx": (".docx", render_docx),
}
