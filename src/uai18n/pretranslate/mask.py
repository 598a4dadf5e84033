"""Keep what an engine must not touch out of its reach.

Before a segment goes to a machine-translation engine, every ``{field}``,
inline tag, handle, URL, e-mail address, phone or fax number and verbatim
name is replaced by a numbered token ``⟦0⟧``, ``⟦1⟧``... that engines leave
alone; afterwards the tokens are put back. An answer that lost, doubled or
invented a token is rejected, never saved: a translation with a wrong
handle sends the appeal nowhere.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from uai18n.inline import tags
from uai18n.tokens import EMAIL, HANDLE, PHONE, URL, URL_TRAILING

_FIELD = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_TOKEN = re.compile(r"⟦(\d+)⟧")


@dataclass(frozen=True)
class Masked:
    """A segment as sent (``text``) and what its tokens stand for."""

    text: str
    originals: tuple[str, ...]

    def unmask(self, answer: str) -> str:
        """The answer with the originals back; ValueError if a token was lost or added."""
        found = Counter(int(number) for number in _TOKEN.findall(answer))
        expected = Counter(range(len(self.originals)))
        if found != expected:
            lost = sorted(expected - found)
            extra = sorted(found - expected)
            problems = []
            if lost:
                problems.append("dropped " + ", ".join(f"⟦{n}⟧" for n in lost))
            if extra:
                problems.append("added or doubled " + ", ".join(f"⟦{n}⟧" for n in extra))
            raise ValueError("; ".join(problems))
        return _TOKEN.sub(lambda match: self.originals[int(match.group(1))], answer)


def _spans(text: str, verbatim: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where the protected pieces are: (start, end), left to right, no overlaps."""
    spans: list[tuple[int, int]] = [(tag.start, tag.end) for tag in tags(text)]
    for pattern in (_FIELD, URL, EMAIL, HANDLE):
        for match in pattern.finditer(text):
            start, end = match.span()
            if pattern is URL:
                end -= len(match.group()) - len(match.group().rstrip(URL_TRAILING))
            spans.append((start, end))
    for match in PHONE.finditer(text):
        group = "labelled" if match.group("labelled") else 0
        spans.append(match.span(group))
    for name in verbatim:
        if name:
            start = text.find(name)
            while start >= 0:
                spans.append((start, start + len(name)))
                start = text.find(name, start + len(name))
    spans.sort(key=lambda span: (span[0], -span[1]))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mask(text: str, verbatim: tuple[str, ...] = ()) -> Masked:
    """``text`` with its protected pieces replaced by ``⟦n⟧`` tokens.

    A text that already holds a ``⟦n⟧`` token has it protected too, so the
    unmasking can never confuse the two.
    """
    spans = _spans(text, verbatim)
    for match in _TOKEN.finditer(text):
        spans.append(match.span())
    spans = sorted(set(spans))
    pieces, originals, at = [], [], 0
    for start, end in spans:
        if start < at:
            continue
        pieces.append(text[at:start])
        pieces.append(f"⟦{len(originals)}⟧")
        originals.append(text[start:end])
        at = end
    pieces.append(text[at:])
    return Masked("".join(pieces), tuple(originals))
