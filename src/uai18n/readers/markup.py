"""What the readers of marked-up formats (HTML, Word) share.

Both turn a block of the source (an HTML block element, a Word paragraph)
into a :class:`Paragraph` whose text may carry inline tags, then let the UA
rules of :mod:`readers.ua` give each its role and refuse a document that is
not an Urgent Action (as for the text layout).
"""

from __future__ import annotations

from collections.abc import Sequence

from uai18n.inline import balanced, strip_tags
from uai18n.readers.ua import Line, Paragraph


def paragraph_from_markup(
    content: str, links: Sequence[str], line: int, *, heading: bool = False
) -> Paragraph | None:
    """A block's content (inline tags; "\\n" for line breaks) as a paragraph.

    Tags that do not nest within the block (a link wrapped around two
    paragraphs) are dropped rather than passed on broken. None for a block
    without text.
    """
    for tag in ("b", "i"):  # Word and editors split runs at will: one bold name
        content = content.replace(f"</{tag}><{tag}>", "")
    markup_lines = [" ".join(part.split()) for part in content.split("\n")]
    markup_lines = [part for part in markup_lines if strip_tags(part).strip()]
    if not markup_lines:
        return None
    plain = [" ".join(strip_tags(part).split()) for part in markup_lines]
    markup = " ".join(markup_lines)
    if not balanced(markup):
        markup, links = "", ()
    return Paragraph(
        line,
        " ".join(plain),
        tuple(Line(line, text) for text in plain),
        markup=markup if markup != " ".join(plain) else "",
        links=tuple(links),
        heading=heading,
    )
