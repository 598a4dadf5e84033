"""HTML UAs (a UA web page, or an export from a word processor) -> Document.

The page's block elements become paragraphs (a ``<br>`` breaks lines, as in
an addressee block); their bold, italics and links become the inline tags of
:mod:`uai18n.inline`; then the same role rules as for the text layout apply
(:mod:`readers.ua`), with ``<h1>``-``<h6>`` counting as headings.

Nothing in the page runs or is fetched: scripts, styles, frames and objects
are dropped with their content, lxml's HTML parser resolves no entities and
reaches no network, and huge trees are refused.
"""

from __future__ import annotations

from lxml import etree, html

from uai18n.errors import UserError
from uai18n.model import Document
from uai18n.readers.markup import paragraph_from_markup
from uai18n.readers.ua import Paragraph, document_of

#: Elements dropped with everything inside them.
DROPPED = frozenset(
    {"script", "style", "noscript", "template", "iframe", "object", "embed", "head", "svg"}
)
#: Elements that make a paragraph of their own.
BLOCKS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "address", "blockquote", "dd", "dt",
        "figcaption", "td", "th", "pre", "div", "section", "article", "header", "footer",
        "main", "ul", "ol", "table", "tbody", "thead", "tr", "body", "aside", "nav",
    }
)  # fmt: skip
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BOLD = frozenset({"b", "strong"})
ITALIC = frozenset({"i", "em"})


def read_html(
    text: str,
    *,
    doc_id: str,
    source_path: str,
    language: str,
    segment_mode: str = "sentence",
    abbreviations: tuple[str, ...] = (),
) -> Document:
    """Read an HTML UA into a :class:`Document`."""
    return document_of(
        _paragraphs(_body(text, source_path)),
        doc_id=doc_id,
        source_path=source_path,
        language=language,
        segment_mode=segment_mode,
        abbreviations=abbreviations,
    )


def _body(text: str, where: str) -> etree._Element:
    parser = html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, huge_tree=False
    )
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise UserError(f"cannot read the HTML: {error}", where) from None
    for element in list(root.iter(*DROPPED)):
        element.drop_tree()
    body = root.find("body")
    return body if body is not None else root


class _Collector:
    """Gathers the inline content of the current block into paragraphs."""

    def __init__(self) -> None:
        self.paragraphs: list[Paragraph] = []
        self._start(1, heading=False)

    def _start(self, line: int, *, heading: bool) -> None:
        self.pieces: list[str] = []  # text with inline tags; "\n" for <br>
        self.links: list[str] = []
        self.line = line
        self.heading = heading

    def flush(self, next_line: int, *, heading: bool = False) -> None:
        paragraph = paragraph_from_markup(
            "".join(self.pieces), self.links, self.line, heading=self.heading
        )
        if paragraph is not None:
            self.paragraphs.append(paragraph)
        self._start(next_line, heading=heading)

    def text(self, text: str | None) -> None:
        if text:
            self.pieces.append(text.replace("<", "‹"))  # never one of our tags

    def walk(self, node: etree._Element) -> None:
        block = node.tag in BLOCKS
        if block:
            self.flush(node.sourceline or self.line, heading=node.tag in HEADINGS)
        self.text(node.text)
        for child in node:
            if isinstance(child.tag, str):
                if child.tag == "br":
                    self.pieces.append("\n")
                else:
                    name = _inline_name(child, self.links)
                    if name:
                        self.pieces.append(f"<{name}>")
                    self.walk(child)
                    if name:
                        self.pieces.append(f"</{name}>")
            self.text(child.tail)
        if block:
            self.flush(node.sourceline or self.line)


def _paragraphs(body: etree._Element) -> list[Paragraph]:
    """Block elements in document order, each as one paragraph."""
    collector = _Collector()
    collector.walk(body)
    collector.flush(1)
    return collector.paragraphs


def _inline_name(element: etree._Element, links: list[str]) -> str | None:
    tag = element.tag.lower()
    if tag in BOLD:
        return "b"
    if tag in ITALIC:
        return "i"
    if tag == "a" and element.get("href"):
        links.append(element.get("href"))
        return f"a{len(links)}"
    return None
