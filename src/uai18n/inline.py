"""Inline markup inside segments: a small set of placeholder tags.

A sentence from an HTML or Word source keeps its bold, italics and links as
tags a translator can move but must not drop:

* ``<b>…</b>``: bold (HTML ``<b>``/``<strong>``, Word bold runs);
* ``<i>…</i>``: italics (``<i>``/``<em>``, Word italic runs);
* ``<a1>…</a1>``, ``<a2>…</a2>``: the first, second... link of the segment.
  The link's target stays in the document (:attr:`Segment.links`), never in
  the msgid, so a translator cannot break or redirect it.

The ``tags`` check reports a translation whose tags differ; a build refuses
such a translation and shows the source sentence instead.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

TAG = re.compile(r"<(/?)(b|i|a[1-9][0-9]*)>")


@dataclass(frozen=True)
class Run:
    """A piece of text with the tags open around it (outermost first)."""

    text: str
    tags: tuple[str, ...]


def has_tags(text: str) -> bool:
    return "<" in text and bool(TAG.search(text))


def strip_tags(text: str) -> str:
    """The text without its placeholder tags (for plain-text output)."""
    return TAG.sub("", text) if "<" in text else text


def problem(source: str, translation: str) -> str | None:
    """Why ``translation``'s tags cannot be laid out as ``source``'s, or None."""
    wanted = Counter(match.group() for match in TAG.finditer(source))
    found = Counter(match.group() for match in TAG.finditer(translation))
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
    for match in TAG.finditer(text):
        if left[match.group()] > 0:
            left[match.group()] -= 1
            ordered.append(match.group())
    return ordered


def runs(text: str) -> list[Run]:
    """The text as runs with their open tags; ValueError if the tags do not nest."""
    found: list[Run] = []
    stack: list[str] = []
    at = 0
    for match in TAG.finditer(text):
        if match.start() > at:
            found.append(Run(text[at : match.start()], tuple(stack)))
        closing, name = match.groups()
        if not closing:
            if name in stack:
                raise ValueError(f"<{name}> opened twice")
            stack.append(name)
        elif not stack or stack[-1] != name:
            raise ValueError(f"</{name}> closes nothing open here")
        else:
            stack.pop()
        at = match.end()
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
    for match in TAG.finditer(text):
        name = match.group(2)
        if name.startswith("a") and name not in order:
            order[name] = len(order) + 1
    if not order:
        return text, ()
    renumbered = TAG.sub(
        lambda m: f"<{m.group(1)}a{order[m.group(2)]}>" if m.group(2) in order else m.group(),
        text,
    )
    targets = tuple(links[int(name[1:]) - 1] for name in order)
    return renumbered, targets
