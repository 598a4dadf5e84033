"""What the readers of marked-up formats (HTML, Word) share.

Both turn a block of the source (an HTML block element, a Word paragraph)
into a :class:`Paragraph` whose text may carry inline tags, then let the
text layout's role rules (:func:`readers.text.assign_roles`) give each its
role. Unlike the text layout, a page or a Word file may be anything at all,
so the result must have the parts of an Urgent Action or it is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from uai18n.errors import UserError
from uai18n.inline import balanced, strip_tags
from uai18n.model import Document, Role
from uai18n.readers.text import Line, Paragraph, _Builder, assign_roles

#: Roles without which a document is not an Urgent Action we can lay out again.
REQUIRED = {
    Role.CALL_TO_ACTION: "the call to action ('TAKE ACTION ...')",
    Role.SALUTATION: "the salutation ('Dear ...,')",
    Role.LETTER: "the model letter",
    Role.CLOSING: "the closing ('Yours sincerely,')",
}


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


def document_from_paragraphs(
    paragraphs: Sequence[Paragraph],
    *,
    doc_id: str,
    source_path: str,
    language: str,
    segment_mode: str,
    abbreviations: tuple[str, ...],
) -> Document:
    """Roles for the paragraphs; refused unless they make an Urgent Action."""
    if not paragraphs:
        raise UserError("the document has no text", source_path)
    builder = _Builder(source_path, language, segment_mode, abbreviations, [], {})
    assign_roles(paragraphs, builder)
    found = {block.role for block in builder.blocks}
    missing = [description for role, description in REQUIRED.items() if role not in found]
    if missing:
        raise UserError("not an Urgent Action layout: no " + ", no ".join(missing), source_path)
    return Document(
        doc_id=doc_id, source_path=source_path, language=language, blocks=tuple(builder.blocks)
    )
