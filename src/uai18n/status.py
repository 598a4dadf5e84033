"""Per language and document: how far the translation is, by state and words.

The numbers every report shows (table, JSON, CSV, the HTML dashboard) come
from :func:`catalogue_status`; the writers only lay them out.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import polib

from uai18n.config import LanguagePolicy
from uai18n.states import State, entry_state


def word_count(text: str) -> int:
    """Words of the source text (whitespace-separated, as pocount counts)."""
    return len(text.split())


@dataclass(frozen=True)
class StatusRow:
    """One catalogue (language x document): entries and source words per state.

    ``entries`` and ``words`` map every :class:`State` value ("untranslated",
    "machine", "translated", "reviewed", "stale") to a count; the states are
    disjoint, so the counts add up to ``total``.
    """

    language: str
    document: str
    catalog: str  # the PO file, relative to the project root
    entries: dict[str, int]
    words: dict[str, int]
    meets_policy: bool
    policy_note: str = ""  # why not, when it does not
    required: bool = False
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(self.entries.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def percent_complete(self) -> float:
        """Translated entries (reviewed and stale included), fuzzy excluded."""
        done = sum(self.entries[state] for state in ("translated", "reviewed", "stale"))
        return 100.0 * done / self.total if self.total else 100.0

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.entries["reviewed"] / self.total if self.total else 100.0


def catalogue_status(
    catalog: polib.POFile, language: str, document: str, path: str, policy: LanguagePolicy
) -> StatusRow:
    """Count a catalogue's live entries by state and judge it against its policy."""
    entries = {state.value: 0 for state in State}
    words = {state.value: 0 for state in State}
    for entry in catalog:
        if entry.obsolete or entry.msgid == "":
            continue
        state = entry_state(entry, path).value
        entries[state] += 1
        words[state] += word_count(entry.msgid)
    row = StatusRow(language, document, path, entries, words, True, required=policy.required)
    return _judge(row, policy)


def policy_shortfalls(row: StatusRow, policy: LanguagePolicy) -> list[tuple[str, str]]:
    """Where a catalogue falls short of its policy: (check id, message) pairs.

    The one place the policy is judged; status notes and the gate's
    ``policy-*`` findings both come from here.
    """
    shortfalls = []
    complete = row.percent_complete
    missing = row.entries["untranslated"] + row.entries["machine"]
    if policy.fuzzy_counts and row.total:
        complete += 100.0 * row.entries["machine"] / row.total
        missing = row.entries["untranslated"]
    if complete < policy.min_translated:
        shortfalls.append(
            (
                "policy-translated",
                f"{math.floor(complete)}% translated < {policy.min_translated:g}% "
                f"({missing} entries untranslated or fuzzy)",
            )
        )
    if row.percent_reviewed < policy.min_reviewed:
        shortfalls.append(
            (
                "policy-reviewed",
                f"{math.floor(row.percent_reviewed)}% reviewed < {policy.min_reviewed:g}%",
            )
        )
    return shortfalls


def _judge(row: StatusRow, policy: LanguagePolicy) -> StatusRow:
    notes = [message for _, message in policy_shortfalls(row, policy)]
    if notes:
        return dataclasses.replace(row, meets_policy=False, policy_note="; ".join(notes))
    return row
