"""Print-ready PDF: our HTML page laid out on A4 by WeasyPrint.

WeasyPrint (Pango/HarfBuzz underneath) shapes Arabic right to left and
picks, per character, the first font of the stack that has it. The stack
names Noto (Latin, Cyrillic, Greek; Naskh Arabic; CJK) and falls back to
DejaVu; on Debian: ``apt-get install fonts-noto-core fonts-noto-cjk
fonts-dejavu-core``. The page fetches nothing: the fetcher refuses every URL,
so a page built from an untrusted source cannot read a file or call out.
The same input gives the same bytes (WeasyPrint writes no dates).
"""

from __future__ import annotations

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
    from weasyprint import HTML  # a heavy import: only when PDFs are asked for

    page = print_page(render_html(document))
    return HTML(string=page, url_fetcher=_refuse, base_url=None).write_pdf()
