"""HTML UAs (a UA web page, or an export from a word processor) -> Document.

The page's block elements become paragraphs (a ``<br>`` breaks lines, as in
an addressee block); their bold, italics and links become the inline tags of
:mod:`uai18n.inline`; then the same role rules as for the text layout apply
(``readers.text.assign_roles``), with ``<h1>``-``<h6>`` counting as headings.

Nothing in the page runs or is fetched: scripts, styles, frames and objects
are dropped with their content, lxml's HTML parser resolves no entities and
reaches no network, and huge trees are refused.
"""

from __future__ import annotations

from lxml import etree, html

from uai18n.errors import UserError
from uai18n.inline import balanced, strip_tags
from uai18n.model import Document, Role
from uai18n.readers.text import Line, Paragraph, _Builder, assign_roles

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

#: Roles without which a page is not an Urgent Action we can lay out again.
REQUIRED = {
    Role.CALL_TO_ACTION: "the call to action ('TAKE ACTION ...')",
    Role.SALUTATION: "the salutation ('Dear ...,')",
    Role.LETTER: "the model letter",
    Role.CLOSING: "the closing ('Yours sincerely,')",
}


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
    body = _body(text, source_path)
    paragraphs = _paragraphs(body)
    if not paragraphs:
        raise UserError("the page has no text", source_path)
    builder = _Builder(source_path, language, segment_mode, abbreviations, [], {})
    assign_roles(paragraphs, builder)
    found = {block.role for block in builder.blocks}
    missing = [description for role, description in REQUIRED.items() if role not in found]
    if missing:
        raise UserError("not an Urgent Action layout: no " + ", no ".join(missing), source_path)
    return Document(doc_id=doc_id, source_path=source_path, language=language,
                    blocks=tuple(builder.blocks))  # fmt: skip


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
        paragraph = _paragraph("".join(self.pieces), self.links, self.line, self.heading)
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


def _paragraph(content: str, links: list[str], line: int, heading: bool) -> Paragraph | None:
    """One block's content as a paragraph: plain lines, and the text with inline tags.

    Tags that do not nest within the block (a link wrapped around two
    paragraphs) are dropped rather than passed on broken.
    """
    markup_lines = [" ".join(part.split()) for part in content.split("\n")]
    markup_lines = [part for part in markup_lines if strip_tags(part).strip()]
    if not markup_lines:
        return None
    plain = [" ".join(strip_tags(part).split()) for part in markup_lines]
    markup = " ".join(markup_lines)
    if not balanced(markup):
        markup, links = "", []
    return Paragraph(
        line,
        " ".join(plain),
        tuple(Line(line, text) for text in plain),
        markup=markup if markup != " ".join(plain) else "",
        links=tuple(links),
        heading=heading,
    )


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
