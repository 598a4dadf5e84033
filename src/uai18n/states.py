"""What state a catalogue entry is in: the one definition every stage uses.

``merge`` (is there work to keep?), ``status``, ``check``, ``build``,
``pretranslate``'s memory and the dashboard all ask here, so a half-filled
plural or a stale sign-off reads the same everywhere.

A sign-off is a translator comment, which every PO tool keeps (msgmerge,
msgcat, Poedit, Weblate), unlike a custom ``#,`` flag:

    # reviewed: Ana Pérez 2026-11-26 sha1:1a2b3c4d

The hash covers what the reviewer approved: the msgctxt, the msgid and every
msgstr form. When any of them changes, the hash no longer matches and the
sign-off is *stale*: it is reported, never trusted. Signing and unsigning
are :mod:`uai18n.review`'s.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from uai18n.errors import UserError

if TYPE_CHECKING:
    import polib

SIGN_OFF_PREFIX = "reviewed:"
_SIGN_OFF = re.compile(
    r"^reviewed: (?P<name>\S.*?) (?P<date>\d{4}-\d{2}-\d{2}) sha1:(?P<hash>[0-9a-f]{8})$"
)


class State(enum.StrEnum):
    """The translation states of ``DESIGN.md``, disjoint."""

    UNTRANSLATED = "untranslated"  # some msgstr form is empty
    MACHINE = "machine"  # fuzzy: a suggestion (memory, machine, or a changed source)
    TRANSLATED = "translated"
    REVIEWED = "reviewed"
    STALE = "stale"  # translated, with a sign-off that no longer matches

    @property
    def done(self) -> bool:
        """Translated by a person (reviewed and stale included)."""
        return self in (State.TRANSLATED, State.REVIEWED, State.STALE)


#: Every state's value in order, and those of :attr:`State.done` (for counts
#: keyed by value: an enum member's ``.value`` costs an attribute lookup each).
STATE_VALUES: tuple[str, ...] = tuple(state.value for state in State)
DONE_VALUES: tuple[str, ...] = tuple(state.value for state in State if state.done)


def is_live(entry: polib.POEntry) -> bool:
    """A message of the catalogue: not the header, not obsolete."""
    return not entry.obsolete and entry.msgid != ""


def forms(entry: polib.POEntry) -> list[str]:
    """Every msgstr of an entry, in order (one for a singular entry)."""
    if not entry.msgid_plural:
        return [entry.msgstr or ""]
    plural = entry.msgstr_plural
    return [plural[index] for index in sorted(plural, key=int)] if plural else [""]


def has_translation(entry: polib.POEntry) -> bool:
    """Some msgstr form has text: work a merge must never drop."""
    return any(forms(entry))


def is_complete(entry: polib.POEntry) -> bool:
    """Every msgstr form has text (msgfmt counts a plural with an empty form as untranslated)."""
    return all(forms(entry))


@dataclass(frozen=True)
class SignOff:
    name: str
    date: str
    hash: str

    def comment(self) -> str:
        return f"{SIGN_OFF_PREFIX} {self.name} {self.date} sha1:{self.hash}"


def approval_hash(entry: polib.POEntry) -> str:
    """Short sha1 of what a reviewer approves: context, source and translation."""
    material = "\x04".join(
        [entry.msgctxt or "", entry.msgid, entry.msgid_plural or "", *forms(entry)]
    )
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
                getattr(entry, "msgid_line", None) or entry.linenum,
            )
        found.append(SignOff(match["name"], match["date"], match["hash"]))
    return found


# --- where a suggestion came from ------------------------------------------------
# pretranslate writes one of these as the first translator comment of an entry it
# fills; builds with machine_text ship exactly the entries that carry one.


def memory_provenance(score: float, origin: str) -> str:
    """The comment of a suggestion from translation memory."""
    return f"memory {int(score)}% from {origin}"


def machine_provenance(engine: str, date: str) -> str:
    """The comment of a suggestion from a machine-translation engine."""
    return f"machine: {engine} {date}"


_PROVENANCE = re.compile(r"^(?:memory \d+% from |machine: )", re.MULTILINE)


def is_suggestion(entry: polib.POEntry) -> bool:
    """A fuzzy entry pretranslate filled (memory or machine) for this very msgid.

    Once the source sentence changes, update keeps the old suggestion as a
    fuzzy match with the previous msgid (``#|``): it no longer translates the
    msgid, so it is no longer a suggestion a build may show.
    """
    return (
        entry.fuzzy
        and not entry.previous_msgid
        and is_complete(entry)
        and bool(_PROVENANCE.search(entry.tcomment or ""))
    )


def entry_state(entry: polib.POEntry, where: str = "") -> State:
    """Which of the five states an entry is in."""
    if not is_complete(entry):
        return State.UNTRANSLATED
    if entry.fuzzy:
        return State.MACHINE
    signed = sign_offs(entry, where)
    if not signed:
        return State.TRANSLATED
    return State.REVIEWED if signed[-1].hash == approval_hash(entry) else State.STALE


@dataclass(frozen=True)
class CatalogStats:
    """Counts of a catalogue's live entries: translated (by a person), fuzzy, untranslated."""

    translated: int
    fuzzy: int
    untranslated: int

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent_translated(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def catalog_stats(catalog: polib.POFile, where: str = "") -> CatalogStats:
    """:func:`entry_state` over the live entries, in the three kinds update reports."""
    counts = {State.MACHINE: 0, State.UNTRANSLATED: 0}
    translated = 0
    for entry in catalog:
        if not is_live(entry):
            continue
        state = entry_state(entry, where)
        if state.done:
            translated += 1
        else:
            counts[state] += 1
    return CatalogStats(translated, counts[State.MACHINE], counts[State.UNTRANSLATED])
