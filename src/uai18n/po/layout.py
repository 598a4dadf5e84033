"""Keeping another tool's text for entries we do not change.

Weblate, Poedit and Lokalize write PO files with their own line breaking
(translate-toolkit breaks after a narrow no-break space and around CJK text
where msgcat does not) and their own header order. If ``update``,
``pretranslate`` or ``review`` rewrote every entry in msgcat's form, each
run after a Weblate commit would change lines nobody edited, Weblate would
commit them back, and the two would flip-flop for ever.

So a catalogue is written entry by entry: an entry whose msgcat form is the
same as the msgcat form of an entry in the file being replaced keeps that
file's text, byte for byte; an entry that changes, or is new, is written as
msgcat writes it. A file we wrote ourselves is msgcat's form throughout, so
for it nothing differs from a plain rewrite, and ``msgcat`` leaves it as it is.
"""

from __future__ import annotations

from pathlib import Path

from uai18n.errors import UserError
from uai18n.po.read import parse_catalog
from uai18n.po.write import format_entry, header_entry


def kept_layout(path: Path, new_text: str) -> dict[str, str]:
    """msgcat text -> the text in ``path`` of every entry ``path`` holds.

    Empty when the file is missing, unreadable, the same as ``new_text``,
    already in msgcat's form, or has CR line ends (which we do not mix).
    """
    try:
        old_text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    if old_text == new_text or "\r" in old_text:
        return {}
    try:
        return entry_texts(old_text.removeprefix("\ufeff"), str(path))
    except UserError:  # the caller has read it already; a file that changed under us
        return {}


def entry_texts(text: str, name: str) -> dict[str, str]:
    """msgcat text -> text as written, for each entry of PO ``text``.

    An entry's text runs from its first comment line to the line before the
    next entry's first line, without the blank lines that end it.
    """
    catalog = parse_catalog(text, name)
    header = header_entry(catalog)
    starts: list[tuple[int, list[str]]] = []
    if header is not None and hasattr(catalog, "header_linenum"):
        starts.append((catalog.header_linenum, format_entry(header)))
    starts += [(entry.linenum, format_entry(entry)) for entry in catalog]
    starts.sort(key=lambda start: start[0])
    lines = text.split("\n")
    texts: dict[str, str] = {}
    for index, (first, canonical) in enumerate(starts):
        end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
        block = lines[first - 1 : end]
        while block and not block[-1].strip():
            block.pop()
        if canonical and block:
            written = "\n".join(block)
            key = "\n".join(canonical)
            if written != key:
                texts[key] = written
    return texts
