"""Signing translations off, and taking sign-offs back.

The sign-off format and the states it gives an entry are
:mod:`uai18n.states`'; this module changes entries.
"""

from __future__ import annotations

import re

import polib

from uai18n.errors import UserError
from uai18n.states import SIGN_OFF_PREFIX, SignOff, State, approval_hash, entry_state

#: A reviewer's name: letters first, then letters, digits, spaces, dots,
#: apostrophes or hyphens, on one line (it becomes part of a comment line).
_NAME = re.compile(r"[^\W\d_][\w.' -]{0,80}(?<! )")


def check_reviewer(name: str) -> str:
    """The name as given, or a UserError: it must fit on one sign-off line."""
    if not _NAME.fullmatch(name):
        raise UserError(
            f"reviewer name {name!r} must be letters, spaces, dots, apostrophes or hyphens "
            "on one line",
            "--by",
        )
    return name


def sign(entry: polib.POEntry, name: str, date: str, where: str = "") -> SignOff:
    """Sign ``entry`` off (replacing earlier sign-offs); refuses fuzzy or empty ones."""
    check_reviewer(name)
    state = entry_state(entry, where)
    if state is State.UNTRANSLATED:
        raise ValueError("it is not translated")
    if state is State.MACHINE:
        raise ValueError("it is fuzzy (a suggestion): accept or fix it first")
    sign_off = SignOff(name, date, approval_hash(entry))
    unsign(entry)
    entry.tcomment = "\n".join(filter(None, [entry.tcomment, sign_off.comment()]))
    return sign_off


#: The tail of a sign-off whose name held a line break (written by versions
#: that let ``--by $'Ana\n'`` through): "reviewed: Ana" + "2026-12-05 sha1:…".
_ORPHAN_TAIL = re.compile(r"\s*\d{4}-\d{2}-\d{2} sha1:[0-9a-f]{8}\s*")


def unsign(entry: polib.POEntry) -> bool:
    """Remove every sign-off (a broken one's orphaned tail line too); True if there was one."""
    kept: list[str] = []
    removed = previous_removed = False
    for line in (entry.tcomment or "").split("\n"):
        if line.startswith(SIGN_OFF_PREFIX) or (previous_removed and _ORPHAN_TAIL.fullmatch(line)):
            removed = previous_removed = True
            continue
        previous_removed = False
        kept.append(line)
    entry.tcomment = "\n".join(kept)
    return removed
