"""Inline markup inside segments: a small set of placeholder tags.

A sentence from an HTML or Word source keeps its bold, italics and links as
tags a translator can move but must not drop:

* ``<b>…</b>``: bold (HTML ``<b>``/``<strong>``, Word bold runs);
* ``<i>…</i>``: italics (``<i>``/``<em>``, Word italic runs);
* ``<a1>…</a1>``, ``<a2>…</a2>``: the first, second... link of the segment.
  The link's target stays in the document (:attr:`Segment.links`), never in
  the msgid, so a translator cannot break or redirect it.

The ``tags`` check reports a translation whose tags differ; a build refuses
such a translation and shows the source sentence instead. Both read tags with
:func:`tags`, the one tag parser: the check compares every tag (other markup a
catalogue holds too), the build lays out the placeholders among them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

# --- every tag: the one tag parser ----------------------------------------------------

#: Any markup tag a msgid or translation may hold: ``<b>``, ``</a1>``, ``<br/>``,
#: ``<span class="x">``. The ``tags`` check compares them all; the build lays
#: out only our placeholders among them.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:\s[^<>]*?)?)\s*(/?)>")
_ATTRIBUTE = re.compile(r"""([^\s=/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link", "area", "col", "source"})
#: Our placeholders, exactly as the readers write them.
_PLACEHOLDER = re.compile(r"</?(?:b|i|a[1-9][0-9]*)>")


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag of a text, where it is."""

    kind: str  # "open", "close" or "void" (<br>, <img/>)
    name: str  # lower case
    attributes: tuple[tuple[str, str], ...]  # (name, value), sorted
    written: str  # as in the text
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """What a translation's tag must share with the msgid's (case and quoting may differ)."""
        return self.kind, self.name, self.attributes

    @property
    def placeholder(self) -> bool:
        """One of our ``<b>``, ``<i>``, ``<aN>`` tags (the build lays these out)."""
        return _PLACEHOLDER.fullmatch(self.written) is not None


def tags(text: str) -> list[Tag]:
    """Every tag of ``text``, in order."""
    if "<" not in text:
        return []
    found = []
    for match in _TAG.finditer(text):
        closing, name, attributes, self_closing = match.groups()
        name = name.lower()
        if closing:
            kind = "close"
        elif self_closing or name in _VOID:
            kind = "void"
        else:
            kind = "open"
        pairs = tuple(
            sorted(
                (key.lower(), "".join(values))  # one of the three value groups matched
                for key, *values in _ATTRIBUTE.findall(attributes)
            )
        )
        found.append(Tag(kind, name, pairs, match.group(), match.start(), match.end()))
    return found


def nesting_problem(found: list[Tag]) -> str | None:
    """Why the tags do not nest, or None when they do (void tags need no end tag)."""
    open_names: list[str] = []
    for tag in found:
        if tag.kind == "open":
            open_names.append(tag.name)
        elif tag.kind == "close":
            if not open_names:
                return f"{tag.written} closes no open tag"
            if open_names[-1] != tag.name:
                return f"{tag.written} closes <{open_names[-1]}>"
            open_names.pop()
    if open_names:
        return f"<{open_names[-1]}> is not closed"
    return None


# --- our placeholders -----------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text with the tags open around it (outermost first)."""

    text: str
    tags: tuple[str, ...]


def placeholders(text: str) -> list[Tag]:
    """The placeholder tags of ``text``, in order; other markup is text to the build."""
    return [tag for tag in tags(text) if tag.placeholder]


def has_tags(text: str) -> bool:
    return "<" in text and any(tag.placeholder for tag in tags(text))


def strip_tags(text: str) -> str:
    """The text without its placeholder tags (for plain-text output)."""
    return _respell(text, placeholders(text), lambda tag: "") if "<" in text else text


def _respell(text: str, found: list[Tag], spell: Callable[[Tag], str]) -> str:
    """``text`` with each tag of ``found`` written as ``spell`` says."""
    pieces, at = [], 0
    for tag in found:
        pieces += (text[at : tag.start], spell(tag))
        at = tag.end
    pieces.append(text[at:])
    return "".join(pieces)


def problem(source: str, translation: str) -> str | None:
    """Why ``translation``'s tags cannot be laid out as ``source``'s, or None."""
    wanted = Counter(tag.written for tag in placeholders(source))
    found = Counter(tag.written for tag in placeholders(translation))
    if wanted != found:
        missing = _in_order(source, wanted - found)
        extra = _in_order(translation, found - wanted)
        parts = []
        if missing:
            parts.append("missing " + " ".join(missing))
        if extra:
            parts.append("extra " + " ".join(extra))
        return "; ".join(parts)
    try:
        runs(translation)
    except ValueError as error:
        return str(error)
    return None


def _in_order(text: str, surplus: Counter[str]) -> list[str]:
    """The tags of ``surplus`` as they come in ``text``."""
    left = Counter(surplus)
    ordered = []
    for tag in placeholders(text):
        if left[tag.written] > 0:
            left[tag.written] -= 1
            ordered.append(tag.written)
    return ordered


def runs(text: str) -> list[Run]:
    """The text as runs with their open tags; ValueError if the tags do not nest."""
    found: list[Run] = []
    stack: list[str] = []
    at = 0
    for tag in placeholders(text):
        if tag.start > at:
            found.append(Run(text[at : tag.start], tuple(stack)))
        name = tag.name
        if tag.kind != "close":
            if name in stack:
                raise ValueError(f"<{name}> opened twice")
            stack.append(name)
        elif not stack or stack[-1] != name:
            raise ValueError(f"</{name}> closes nothing open here")
        else:
            stack.pop()
        at = tag.end
    if at < len(text):
        found.append(Run(text[at:], tuple(stack)))
    if stack:
        raise ValueError(f"<{stack[-1]}> is never closed")
    return found


def balanced(text: str) -> bool:
    try:
        runs(text)
    except ValueError:
        return False
    return True


def renumber_links(text: str, links: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Links numbered from 1 in this text, with their targets in that order.

    A paragraph numbers its links a1, a2, a3; a sentence cut from it that
    holds a2 and a3 gets them as a1 and a2, so the same sentence reads the
    same in every document (and translation memory finds it).
    """
    order: dict[str, int] = {}
    found = placeholders(text)
    for tag in found:
        if tag.name.startswith("a") and tag.name not in order:
            order[tag.name] = len(order) + 1
    if not order:
        return text, ()
    renumbered = _respell(
        text,
        found,
        lambda tag: (
            f"<{'/' if tag.kind == 'close' else ''}a{order[tag.name]}>"
            if tag.name in order
            else tag.written
        ),
    )
    targets = tuple(links[int(name[1:]) - 1] for name in order)
    return renumbered, targets
