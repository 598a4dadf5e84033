"""Template + catalogue -> catalogue, never losing a translator's work.

The semantics are ``msgmerge --previous``'s:

* a msgid still in the template keeps its translation, flags and translator
  comments (a msgid that had become obsolete comes back with its translation);
* a new msgid close enough to an old translated one gets that translation
  as ``fuzzy``, with the old msgid kept as ``#| msgid`` so the translator sees
  what changed; below the threshold it stays empty (no guess beats a wrong
  one);
* an old msgid no longer in the template, whose translation was not carried
  into a fuzzy entry, becomes obsolete (``#~``).

A non-empty msgstr therefore never disappears: it is kept, fuzzy or obsolete.
"""

from __future__ import annotations

import copy

import polib
from rapidfuzz import fuzz, process, utils

from uai18n.locales import language_name, plural_forms
from uai18n.timestamps import now_header_date

#: Minimum similarity (0-100, rapidfuzz ratio) for a fuzzy match.
FUZZY_THRESHOLD = 70.0

Key = tuple[str | None, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def merge_catalog(
    template: polib.POFile,
    old: polib.POFile | None,
    language: str,
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> polib.POFile:
    """Return the new catalogue for ``language``; ``old`` is not modified."""
    merged = polib.POFile(wrapwidth=79)
    if old is None:
        merged.header = new_header_comment(template, language)
        merged.metadata = new_metadata(template, language)
        old_entries: list[polib.POEntry] = []
    else:
        merged.header = old.header
        merged.metadata = updated_metadata(old.metadata, template, language)
        merged.metadata_is_fuzzy = old.metadata_is_fuzzy
        old_entries = [entry for entry in old if entry.msgid != ""]

    by_key: dict[Key, polib.POEntry] = {}
    for entry in old_entries:  # a live entry wins over an obsolete one
        if _key(entry) not in by_key or by_key[_key(entry)].obsolete:
            by_key[_key(entry)] = entry
    template_keys = {_key(entry) for entry in template if entry.msgid != ""}
    # like msgmerge, any old translation may seed a fuzzy entry, even one still in use
    translated = [entry for entry in by_key.values() if _has_translation(entry)]
    matcher = _FuzzyMatcher(translated, threshold)

    carried: set[Key] = set()  # old entries whose translation now lives in a fuzzy entry
    for new in template:
        if new.msgid == "":
            continue
        old_entry = by_key.get(_key(new))
        if old_entry is not None:
            merged.append(_carry_over(new, old_entry))
            continue
        match = matcher.best(new)
        if match is not None:
            carried.add(_key(match))
        merged.append(_fuzzy_or_empty(new, match))

    for entry in by_key.values():
        key = _key(entry)
        if key not in template_keys and key not in carried and _has_translation(entry):
            merged.append(_obsolete(entry))
    return merged


def _template_copy(new: polib.POEntry) -> polib.POEntry:
    """A fresh entry with the template's msgid, references and comments."""
    return polib.POEntry(
        msgctxt=new.msgctxt,
        msgid=new.msgid,
        msgid_plural=new.msgid_plural,
        msgstr="",
        msgstr_plural={},
        occurrences=list(new.occurrences),
        comment=new.comment,
        flags=[flag for flag in new.flags if flag != "fuzzy"],
    )


def _carry_over(new: polib.POEntry, old: polib.POEntry) -> polib.POEntry:
    """Same msgid: the translator's msgstr, fuzzy state and comments survive."""
    entry = _template_copy(new)
    entry.msgstr = old.msgstr
    entry.msgstr_plural = dict(old.msgstr_plural)
    entry.tcomment = old.tcomment
    extra_flags = [
        flag for flag in old.flags if flag not in entry.flags and not flag.endswith("-format")
    ]
    entry.flags = _ordered_flags(entry.flags + extra_flags)
    if old.fuzzy:
        entry.previous_msgctxt = old.previous_msgctxt
        entry.previous_msgid = old.previous_msgid
        entry.previous_msgid_plural = old.previous_msgid_plural or None
    return entry


def _fuzzy_or_empty(new: polib.POEntry, match: polib.POEntry | None) -> polib.POEntry:
    entry = _template_copy(new)
    if match is None:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: "", 1: ""}
        return entry
    entry.tcomment = match.tcomment
    entry.flags = _ordered_flags(["fuzzy", *entry.flags])
    entry.previous_msgctxt = match.msgctxt
    entry.previous_msgid = match.msgid
    entry.previous_msgid_plural = match.msgid_plural or None
    if entry.msgid_plural:
        plural = dict(match.msgstr_plural) or {0: match.msgstr, 1: match.msgstr}
        entry.msgstr_plural = plural
    else:
        entry.msgstr = match.msgstr or match.msgstr_plural.get(0, "")
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    entry = copy.deepcopy(old)
    entry.obsolete = True
    entry.occurrences = []
    entry.comment = ""
    return entry


def _ordered_flags(flags: list[str]) -> list[str]:
    """``fuzzy`` first, as gettext writes it; no duplicates."""
    unique = list(dict.fromkeys(flags))
    return sorted(unique, key=lambda flag: flag != "fuzzy")


class _FuzzyMatcher:
    """Finds the closest old translated msgid, or None below the threshold."""

    def __init__(self, candidates: list[polib.POEntry], threshold: float):
        self.candidates = candidates
        self.choices = [entry.msgid for entry in candidates]
        self.threshold = threshold

    def best(self, new: polib.POEntry) -> polib.POEntry | None:
        if not self.choices:
            return None
        found = process.extractOne(
            new.msgid,
            self.choices,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=self.threshold,
        )
        if found is None:
            return None
        _, _, index = found
        return self.candidates[index]


# --- headers --------------------------------------------------------------------


def new_header_comment(template: polib.POFile, language: str) -> str:
    project = template.metadata.get("Project-Id-Version", "")
    return (
        f"{language_name(language)} translation of the Urgent Action {project}.\n"
        "Translators: edit the msgstr lines; keep {fields} as they are."
    )


def new_metadata(template: polib.POFile, language: str) -> dict[str, str]:
    """A complete header for a new catalogue, as ``msginit`` would write it."""
    metadata = dict(template.metadata)
    metadata["PO-Revision-Date"] = template.metadata.get("POT-Creation-Date") or now_header_date()
    metadata["Last-Translator"] = "Automatically generated"
    metadata["Language-Team"] = "none"
    metadata["Language"] = language
    metadata["MIME-Version"] = "1.0"
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata["Content-Transfer-Encoding"] = "8bit"
    metadata["Plural-Forms"] = plural_forms(language)
    return _header_order(metadata)


def updated_metadata(old: dict[str, str], template: polib.POFile, language: str) -> dict[str, str]:
    """The translator's header, with the template's date and required fields."""
    metadata = dict(old)
    metadata["POT-Creation-Date"] = template.metadata.get("POT-Creation-Date", "")
    metadata.setdefault("Language", language)
    if not metadata.get("Language"):
        metadata["Language"] = language
    metadata.setdefault("Plural-Forms", plural_forms(language))
    metadata["Content-Type"] = "text/plain; charset=UTF-8"
    metadata.setdefault("MIME-Version", "1.0")
    metadata.setdefault("Content-Transfer-Encoding", "8bit")
    return metadata


_HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def _header_order(metadata: dict[str, str]) -> dict[str, str]:
    ordered = {key: metadata[key] for key in _HEADER_ORDER if key in metadata}
    ordered.update({key: value for key, value in metadata.items() if key not in ordered})
    return ordered
