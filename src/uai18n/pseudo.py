"""Pseudo-localization: English made visibly foreign and ~30% longer.

``build --pseudo`` renders every msgid through :func:`pseudolocalize` into
``output/qps/``. Text that still reads as plain English there did not go
through a catalogue; brackets show truncation; the extra length shows layouts
that break with longer languages. ``{fields}`` and inline tags (``<b>``, ``<a1>``) are kept intact.
"""

from __future__ import annotations

import math
import re

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥíĵķĺɱñöþʠŕšţüṽŵẋýžÅßÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÜṼŴẊÝŽ",
)
_FIELD = re.compile(r"(\{\{|\}\}|\{[^{}]*\}|</?(?:b|i|a[1-9][0-9]*)>)")
_PADDING = "·ẋ"
EXPANSION = 0.3


def pseudolocalize(text: str) -> str:
    """``"Dear President,"`` -> ``"[Đéàŕ Þŕéšíđéñţ, ·ẋ·ẋ·]"``."""
    parts = _FIELD.split(text)
    accented = "".join(
        part if _FIELD.fullmatch(part) else part.translate(_ACCENTED) for part in parts
    )
    pad = math.ceil(len(text) * EXPANSION)
    padding = (_PADDING * pad)[:pad]
    return f"[{accented} {padding}]" if text else text
