"""Reviewer sign-offs kept in plain PO, and the states they give an entry.

A sign-off is a translator comment, which every PO tool keeps (msgmerge,
msgcat, Poedit, Weblate), unlike a custom ``#,`` flag:

    # reviewed: Ana Pérez 2026-11-26 sha1:1a2b3c4d

The hash covers what the reviewer approved: the msgctxt, the msgid and every
msgstr form. When any of them changes, the hash no longer matches and the
sign-off is *stale*: it is reported, never trusted.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass

import polib

from uai18n.errors import UserError

SIGN_OFF_PREFIX = "reviewed:"
_NAME = re.compile(r"^[^\W\d_][\w.' -]{0,80}(?<! )$")
_SIGN_OFF = re.compile(
    r"^reviewed: (?P<name>\S.*?) (?P<date>\d{4}-\d{2}-\d{2}) sha1:(?P<hash>[0-9a-f]{8})$"
)


class State(enum.StrEnum):
    """The translation states of ``DESIGN.md``, disjoint."""

    UNTRANSLATED = "untranslated"
    MACHINE = "machine"  # fuzzy: a suggestion (memory, machine, or a changed source)
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    STALE = "stale"  # translated, with a sign-off that no longer matches


@dataclass(frozen=True)
class SignOff:
    name: str
    date: str
    hash: str

    def comment(self) -> str:
        return f"{SIGN_OFF_PREFIX} {self.name} {self.date} sha1:{self.hash}"


def approval_hash(entry: polib.POEntry) -> str:
    """Short sha1 of what a reviewer approves: context, source and translation."""
    forms = (
        [entry.msgstr]
        if not entry.msgid_plural
        else [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    )
    material = "\x04".join([entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", *forms])
    return hashlib.sha1(material.encode("utf-8")).hexdigest()[:8]


def sign_offs(entry: polib.POEntry, where: str = "") -> list[SignOff]:
    """The sign-offs in an entry's translator comments; a malformed one is an error."""
    found = []
    for line in (entry.tcomment or "").splitlines():
        if not line.startswith(SIGN_OFF_PREFIX):
            continue
        match = _SIGN_OFF.match(line.strip())
        if match is None:
            raise UserError(
                f"malformed sign-off {line!r} (expected 'reviewed: NAME YYYY-MM-DD sha1:xxxxxxxx')",
                where or None,
                entry.linenum,
            )
        found.append(SignOff(match["name"], match["date"], match["hash"]))
    return found


def entry_state(entry: polib.POEntry, where: str = "") -> State:
    """Which of the five states an entry is in."""
    translated = bool(entry.msgstr) or any(entry.msgstr_plural.values())
    if not translated:
        return State.UNTRANSLATED
    if entry.fuzzy:
        return State.MACHINE
    signed = sign_offs(entry, where)
    if not signed:
        return State.TRANSLATED
    return State.REVIEWED if signed[-1].hash == approval_hash(entry) else State.STALE


def sign(entry: polib.POEntry, name: str, date: str, where: str = "") -> SignOff:
    """Sign ``entry`` off (replacing earlier sign-offs); refuses fuzzy or empty ones."""
    if not _NAME.match(name):
        raise UserError(f"reviewer name {name!r} must be letters, spaces, dots or hyphens", "--by")
    state = entry_state(entry, where)
    if state is State.UNTRANSLATED:
        raise ValueError("it is not translated")
    if state is State.MACHINE:
        raise ValueError("it is fuzzy (a suggestion): accept or fix it first")
    sign_off = SignOff(name, date, approval_hash(entry))
    unsign(entry)
    entry.tcomment = "\n".join(filter(None, [entry.tcomment, sign_off.comment()]))
    return sign_off


def unsign(entry: polib.POEntry) -> bool:
    """Remove every sign-off; True if there was one."""
    lines = (entry.tcomment or "").splitlines()
    kept = [line for line in lines if not line.startswith(SIGN_OFF_PREFIX)]
    entry.tcomment = "\n".join(kept)
    return len(kept) != len(lines)
