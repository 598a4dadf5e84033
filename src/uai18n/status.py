"""Per language and document: how far the translation is, by state and words.

The numbers every report shows (table, JSON, CSV, the HTML dashboard) come
from :func:`catalogue_status`; the writers only lay them out.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from uai18n.config import LanguagePolicy
from uai18n.states import DONE_VALUES, STATE_VALUES, State, entry_state, is_live, is_suggestion

if TYPE_CHECKING:
    import polib


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
    suggestions: int = 0  # "machine" entries that are pre-filled suggestions (machine_text)

    @property
    def total(self) -> int:
        return sum(self.entries.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def done(self) -> int:
        """Translated entries (reviewed and stale included), fuzzy excluded."""
        return sum(self.entries[value] for value in DONE_VALUES)

    @property
    def percent_complete(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0

    @property
    def percent_reviewed(self) -> float:
        return 100.0 * self.entries["reviewed"] / self.total if self.total else 100.0


def catalogue_status(
    template: polib.POFile,
    catalog: polib.POFile | None,
    language: str,
    document: str,
    path: str,
    policy: LanguagePolicy,
) -> StatusRow:
    """Count the document's messages by state and judge them against the policy.

    The messages are the template's, as the source gives them now, not the
    catalogue's: an entry the catalogue lacks (a missing, stale, truncated or
    emptied file) counts as untranslated, and one whose msgid changed counts
    as update would leave it (a fuzzy suggestion), so status and check say
    what build will do before anyone runs update.
    """
    entries = {state.value: 0 for state in State}
    words = {state.value: 0 for state in State}
    suggestions = 0
    for entry in as_updated(template, catalog, language):
        state = entry_state(entry, path)
        entries[state.value] += 1
        words[state.value] += word_count(entry.msgid)
        suggestions += state is State.MACHINE and is_suggestion(entry)
    row = StatusRow(
        language, document, path, entries, words, True,
        required=policy.required, suggestions=suggestions,
    )  # fmt: skip
    return judge(row, policy)


def row_record(row: StatusRow) -> dict[str, object]:
    """What a stamp record keeps of a counted row: the counts, not the verdict."""
    return {"entries": row.entries, "words": row.words, "suggestions": row.suggestions}


def row_from_record(
    record: dict, language: str, document: str, path: str, policy: LanguagePolicy
) -> StatusRow:
    """The row :func:`row_record` kept, judged anew against today's ``policy``."""
    entries, words = record["entries"], record["words"]
    row = StatusRow(
        language, document, path,
        {value: entries[value] for value in STATE_VALUES},
        {value: words[value] for value in STATE_VALUES},
        True, suggestions=record["suggestions"],
    )  # fmt: skip
    return judge(row, policy)


def as_updated(
    template: polib.POFile, catalog: polib.POFile | None, language: str
) -> list[polib.POEntry]:
    """The live entries ``update`` would give ``catalog`` against ``template``.

    A catalogue that is up to date (the common case) is its own answer; only
    one that lags behind its template pays for a merge in memory.
    """
    wanted = [(e.msgctxt, e.msgid, e.msgid_plural) for e in template if is_live(e)]
    if catalog is None:
        return [entry for entry in template if is_live(entry)]
    live = [entry for entry in catalog if is_live(entry)]
    if [(e.msgctxt, e.msgid, e.msgid_plural) for e in live] == wanted:
        return live
    from uai18n.merge import merge_catalog  # rapidfuzz: only for a catalogue that lags

    merged = merge_catalog(template, catalog, language)
    return [entry for entry in merged if is_live(entry)]


def policy_shortfalls(row: StatusRow, policy: LanguagePolicy) -> list[tuple[str, str]]:
    """Where a catalogue falls short of its policy: (check id, message) pairs.

    The one verdict: ``build`` publishes a catalogue only when this is empty
    (or ``--draft``), ``check`` turns each pair into a ``policy-*`` error, and
    ``status`` shows them as the row's note. What counts as translated:
    entries a person translated; with ``machine_text``, also the pre-filled
    suggestions a build would ship (marked); with ``fuzzy_counts``, every
    fuzzy entry (the build then shows the source sentence for those).
    """
    shortfalls = []
    done = row.done
    if policy.fuzzy_counts:
        done += row.entries[State.MACHINE.value]
    elif policy.machine_text:
        done += row.suggestions
    complete = 100.0 * done / row.total if row.total else 100.0
    if complete < policy.min_translated:
        shortfalls.append(
            (
                "policy-translated",
                f"{math.floor(complete)}% translated < {policy.min_translated:g}% "
                f"({row.total - done} entries untranslated or fuzzy)",
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


def judge(row: StatusRow, policy: LanguagePolicy) -> StatusRow:
    """``row`` with its verdict (``meets_policy``, ``policy_note``) against ``policy``."""
    notes = [message for _, message in policy_shortfalls(row, policy)]
    return dataclasses.replace(
        row, meets_policy=not notes, policy_note="; ".join(notes), required=policy.required
    )
