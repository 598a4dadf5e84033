"""Template + catalogue -> catalogue, never losing a translator's work.

A non-empty msgstr never disappears: it is kept, fuzzy or obsolete.

``merge_catalog`` does what ``msgmerge --previous --lang=L`` (gettext 0.21)
does with one catalogue, so a translator who runs either tool gets the same
file, and every decision below is gettext's:

* an entry of the template whose (msgctxt, msgid) is in the old catalogue,
  live or obsolete, keeps its translation, its fuzzy state and its translator
  comments, and takes the template's extracted comments, references and
  flags (format flags, ``range:``, ``no-wrap``); an obsolete one comes back.
  It becomes fuzzy when ``msgfmt -c`` would otherwise refuse it or when the
  translation no longer fits the msgid: ``msgid_plural`` appeared, vanished
  or changed; a format flag was added and the translation does not pass its
  check; the ``range:`` is no longer inside the old one;
* any other entry gets the translation of the most similar old msgid (any
  old entry whose first msgstr has text, fuzzy and obsolete ones included,
  whatever its msgctxt), fuzzy, or stays as the template has it (untranslated
  plurals with the header's ``nplurals`` forms);
* a fuzzy entry keeps, as ``#| msgid``, the msgid its translation was made
  for: the old msgid of a translated entry, or the old ``#|`` of an entry
  that was already fuzzy (an old fuzzy entry without ``#|``, such as a
  pretranslate suggestion, was made for its own msgid, which we keep where
  msgmerge keeps nothing: the suggestion must not pass for one made for
  the new msgid);
* a singular translation for a msgid that became plural is copied into every
  form, and a plural one for a msgid that became singular keeps its first
  form, fuzzy either way;
* an old entry neither kept nor used for a fuzzy translation becomes
  obsolete (``#~``) with its translator comments;
* the header keeps every field, in gettext's order, with the template's
  ``POT-Creation-Date`` and ``Report-Msgid-Bugs-To``.

Where we differ from msgmerge, on purpose (README, "How update compares
with msgmerge"): similarity is rapidfuzz's ratio (``FUZZY_THRESHOLD``), not
gettext's ``fstrcmp``; a catalogue without a header, or whose header lacks
what ``msgfmt -c`` needs (charset, ``Plural-Forms`` when there are plural
entries, ``Language``), gets it; a new format flag in a language whose
format strings we do not parse (not c, objc, python, python-brace) makes the
entry fuzzy instead of being checked; a fuzzy entry without ``#|`` that
seeds a changed msgid gets its own msgid as ``#|``; and, so that no text is
lost, a plural translation made singular keeps its other forms in translator
comments (``# dropped msgstr[1]: "..."``), and an obsolete plural whose first
form is empty (which no gettext tool writes) gets its first non-empty form as
first form, fuzzy.
"""

from __future__ import annotations

import copy
import gettext
import re
from collections.abc import Callable
from dataclasses import dataclass

import polib
from rapidfuzz import fuzz, process, utils

from uai18n.locales import language_name, plural_forms
from uai18n.po.flags import Flags
from uai18n.po.format_check import format_fits
from uai18n.po.read import BadText, unescape
from uai18n.states import forms, has_translation
from uai18n.timestamps import now_header_date

#: Minimum similarity (0-100, rapidfuzz ratio) for a fuzzy match.
FUZZY_THRESHOLD = 70.0

Key = tuple[str | None, str]


def _key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def _is_header(entry: polib.POEntry) -> bool:
    return entry.msgid == "" and entry.msgctxt is None


def _first_form_done(entry: polib.POEntry) -> bool:
    """gettext's test for a translated entry: the first msgstr has text."""
    return forms(entry)[0] != ""


def merge_catalog(
    template: polib.POFile,
    old: polib.POFile | None,
    language: str,
    *,
    threshold: float = FUZZY_THRESHOLD,
) -> polib.POFile:
    """Return the new catalogue for ``language``; ``old`` is not modified."""
    templates = [entry for entry in template if not _is_header(entry)]
    has_plurals = any(entry.msgid_plural and not entry.obsolete for entry in templates)
    merged = polib.POFile(wrapwidth=79)
    if old is not None and old.metadata:
        merged.header = old.header
        merged.metadata = updated_metadata(old.metadata, template, language, has_plurals)
        merged.metadata_is_fuzzy = old.metadata_is_fuzzy
    else:  # a new catalogue, or one without a header (msgfmt -c refuses those)
        merged.header = (old.header if old is not None else "") or new_header_comment(
            template, language
        )
        merged.metadata = new_metadata(template, language)
        if old is not None:
            merged.metadata_is_fuzzy = old.metadata_is_fuzzy
    plurals = Plurals.from_header(merged.metadata.get("Plural-Forms", ""))

    old_entries = [entry for entry in old or () if not _is_header(entry)]
    by_key: dict[Key, polib.POEntry] = {}
    for entry in old_entries:
        # the reader refuses a "#~" twin of a msgid as gettext does; in memory
        # the translated one wins, then the live one
        known = by_key.get(_key(entry))
        if known is None or (has_translation(entry), not entry.obsolete) > (
            has_translation(known),
            not known.obsolete,
        ):
            by_key[_key(entry)] = entry
    matcher = _FuzzyMatcher([e for e in old_entries if _first_form_done(e)], threshold)

    used: set[int] = set()  # id() of old entries kept or carried into a fuzzy one
    for new in templates:
        old_entry = by_key.get(_key(new))
        if old_entry is not None:
            used.add(id(old_entry))
            merged.append(_merge(old_entry, new, force_fuzzy=False, plurals=plurals))
            continue
        match = matcher.best(new)
        if match is not None:
            used.add(id(match))
            merged.append(_merge(match, new, force_fuzzy=True, plurals=plurals))
        else:
            merged.append(_from_template(new, plurals))

    for entry in old_entries:
        if id(entry) not in used and (has_translation(entry) or _dropped_forms(entry)):
            merged.append(_obsolete(entry))
    return merged


# --- entries --------------------------------------------------------------------


def _merge(
    old: polib.POEntry, new: polib.POEntry, *, force_fuzzy: bool, plurals: Plurals
) -> polib.POEntry:
    """msgmerge's ``message_merge``: the template's msgid, comments and flags,
    the old translation and translator comments, fuzzy where it must be."""
    old_flags, new_flags = Flags(old.flags or ()), Flags(new.flags or ())
    old_forms = forms(old)
    fuzzy = old_flags.fuzzy or force_fuzzy
    if (new.msgid_plural or None) != (old.msgid_plural or None):
        fuzzy = True
    for kind, value in new_flags.formats.items():
        if fuzzy:
            break
        if _possible(value) and not _possible(old_flags.formats.get(kind)):
            fits = format_fits(kind, new.msgid, new.msgid_plural, old_forms, new_flags, plurals)
            fuzzy = not fits
    if not fuzzy and old_flags.range is not None:
        fits = new_flags.range is not None and (
            new_flags.range[0] >= old_flags.range[0] and new_flags.range[1] <= old_flags.range[1]
        )
        fuzzy = not fits
    entry = polib.POEntry(
        msgctxt=new.msgctxt,
        msgid=new.msgid,
        msgid_plural=new.msgid_plural or "",
        occurrences=list(new.occurrences),
        comment=new.comment,
        tcomment=old.tcomment,
        obsolete=bool(new.obsolete),
    )
    if new.msgid_plural and not old.msgid_plural:  # one translation for every form
        entry.msgstr_plural = dict.fromkeys(range(plurals.count), old_forms[0])
    elif new.msgid_plural:
        entry.msgstr_plural = dict(old.msgstr_plural) or {0: ""}
    else:
        entry.msgstr = old_forms[0]
        entry.tcomment = _with_dropped_forms(old.tcomment, old_forms, entry.msgstr)
    own = (old.msgctxt, old.msgid, old.msgid_plural or None)
    if old_flags.fuzzy and old.previous_msgid is not None:
        previous = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural)
    elif old_flags.fuzzy and own == (new.msgctxt, new.msgid, new.msgid_plural or None):
        previous = (None, None, None)  # still the msgid it was made for
    else:  # a fuzzy entry without "#|" (a suggestion) was made for its own msgid
        previous = own
    entry.flags = (["fuzzy"] if fuzzy else []) + [f for f in new.flags or () if f != "fuzzy"]
    if fuzzy and _first_form_done(entry):
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = previous
    return entry


def _with_dropped_forms(comment: str, old_forms: list[str], kept: str) -> str:
    """A plural translation made singular keeps only its first form (as in
    msgmerge); the text of the others goes into translator comments, since a
    translation never disappears."""
    lines = [
        f'dropped msgstr[{index}]: "{_c_escape(text)}"'
        for index, text in enumerate(old_forms)
        if index and text and text != kept
    ]
    if not lines:
        return comment
    return "\n".join([*([comment] if comment else []), *lines])


def _c_escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\r", "\\r")
    )


def _from_template(new: polib.POEntry, plurals: Plurals) -> polib.POEntry:
    """A msgid nothing old matches: the template's entry as it is, comments
    included; an untranslated plural gets the catalogue's number of forms."""
    entry = copy.deepcopy(new)
    if entry.msgid_plural and not has_translation(entry):
        entry.msgstr_plural = dict.fromkeys(range(plurals.count), "")
    if not (Flags(entry.flags or ()).fuzzy and _first_form_done(entry)):
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
    return entry


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    """``#~``: translator comments, flags and ``#|`` stay; references and
    extracted comments go, as msgmerge does."""
    entry = copy.deepcopy(old)
    entry.obsolete = True
    entry.occurrences = []
    entry.comment = ""
    if entry.msgid_plural and not _first_form_done(entry):
        # gettext writes no obsolete entry whose first msgstr is empty: move text there
        plural = dict(entry.msgstr_plural)
        first = min(plural, key=int)
        plural[first] = next(text for text in forms(entry) if text)
        entry.msgstr_plural = plural
        if "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
    elif not entry.msgid_plural and not entry.msgstr and _dropped_forms(entry):
        # an empty entry that holds dropped plural forms only in comments would vanish
        # (gettext writes no empty obsolete entry): its first dropped form becomes msgstr
        line, text = _dropped_forms(entry)[0]
        entry.msgstr = text
        entry.tcomment = "\n".join(x for x in entry.tcomment.split("\n") if x != line)
        if "fuzzy" not in entry.flags:
            entry.flags = ["fuzzy", *entry.flags]
    return entry


_DROPPED = re.compile(r'dropped msgstr\[\d+\]: "(.*)"')


def _dropped_forms(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(comment line, text) of each plural form kept by :func:`_with_dropped_forms`."""
    found = []
    for line in (entry.tcomment or "").split("\n"):
        match = _DROPPED.fullmatch(line)
        if match:
            try:
                found.append((line, unescape(match.group(1))))
            except BadText:
                continue
    return found


class _FuzzyMatcher:
    """The closest old translated msgid, or None below the threshold.

    Like msgmerge, a candidate with no msgctxt or the same msgctxt as the new
    entry wins a tie; otherwise the first in catalogue order does.
    """

    def __init__(self, candidates: list[polib.POEntry], threshold: float):
        self.candidates = candidates
        self.choices = [entry.msgid for entry in candidates]
        self.threshold = threshold

    def best(self, new: polib.POEntry) -> polib.POEntry | None:
        if not self.choices:
            return None
        found = process.extract(
            new.msgid,
            self.choices,
            scorer=fuzz.ratio,
            processor=utils.default_process,
            score_cutoff=self.threshold,
            limit=None,
        )
        best: polib.POEntry | None = None
        best_score = -1.0
        for _, score, index in sorted(found, key=lambda hit: hit[2]):
            candidate = self.candidates[index]
            if candidate.msgctxt is None or candidate.msgctxt == new.msgctxt:
                score += 0.001  # msgmerge's bonus, on our 0-100 scale
            if score > best_score:
                best, best_score = candidate, score
        return best


# --- plural forms --------------------------------------------------------------


@dataclass(frozen=True)
class Plurals:
    """``nplurals`` and the plural formula of a Plural-Forms header, as gettext
    reads them (a missing or broken one means ``nplurals=2; plural=(n != 1)``),
    with the forms the formula takes for infinitely many n (``often``)."""

    count: int
    formula: Callable[[int], int] | None
    often: tuple[bool, ...] | None

    @classmethod
    def from_header(cls, value: str) -> Plurals:
        count_match = re.search(r"nplurals\s*=\s*([0-9]+)", value)
        formula_match = re.search(r"plural\s*=\s*([^;\n]+)", value)
        count, formula = 2, gettext.c2py("n != 1")
        if count_match and formula_match and int(count_match.group(1)) > 0:
            try:
                count, formula = int(count_match.group(1)), gettext.c2py(formula_match.group(1))
            except (ValueError, SyntaxError, RecursionError):
                count, formula = 2, gettext.c2py("n != 1")
        return cls(count, formula, _often(formula, count))

    def histogram(self, low: int, high: int, form: int) -> int:
        """How many n in [low, high] (at most 1001 of them) take ``form``."""
        low = max(low, 0)
        high = min(high, low + 1000)
        assert self.formula is not None
        return sum(1 for n in range(low, high + 1) if self.formula(n) == form)


def _often(formula: Callable[[int], int], count: int) -> tuple[bool, ...] | None:
    """msgfmt's distribution: a form is 'often' if n in 0..1000 takes it 5 times."""
    seen = [0] * count
    try:
        for n in range(1001):
            value = int(formula(n))
            if not 0 <= value < count:
                return None
            seen[value] += 1
    except ArithmeticError:
        return None
    return tuple(times >= 5 for times in seen)


# --- format checks (msgfmt -c, as msgmerge runs it: uai18n.po.format_check) ---------


def _possible(value: str | None) -> bool:
    return value in ("yes", "possible")


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
    return _header_order(metadata, (*_HEADER_ORDER, "Plural-Forms"))


def updated_metadata(
    old: dict[str, str], template: polib.POFile, language: str, has_plurals: bool = False
) -> dict[str, str]:
    """The translator's header as msgmerge rewrites it.

    Every field stays, the ten fields gettext knows first in its order
    (names as gettext spells them), the others after them in their order;
    ``POT-Creation-Date`` and ``Report-Msgid-Bugs-To`` come from the template
    when it has them; the charset becomes UTF-8 (msgmerge converts to the
    template's). We also fill what msgfmt -c would miss: an empty or missing
    ``Language`` (as ``msgmerge --lang``), a missing ``Content-Type``, and a
    missing ``Plural-Forms`` when there are plural entries.
    """
    known = {name.lower(): name for name in _HEADER_ORDER}
    metadata: dict[str, str] = {}
    for name, value in old.items():
        metadata[known.get(name.lower(), name)] = value
    for name in ("Report-Msgid-Bugs-To", "POT-Creation-Date"):
        if name in template.metadata:
            metadata[name] = template.metadata[name]
    if not metadata.get("Language"):
        metadata["Language"] = language
    content_type = metadata.get("Content-Type")
    if content_type is None:
        metadata["Content-Type"] = "text/plain; charset=UTF-8"
    else:
        metadata["Content-Type"] = re.sub(r"(charset=)[^\s;]*", r"\1UTF-8", content_type)
    if has_plurals and "Plural-Forms" not in metadata:
        metadata["Plural-Forms"] = plural_forms(language)
    return _header_order(metadata)


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
)


def _header_order(
    metadata: dict[str, str], order: tuple[str, ...] = _HEADER_ORDER
) -> dict[str, str]:
    """msgmerge's order: the fields it knows, then the others as they came."""
    ordered = {key: metadata[key] for key in order if key in metadata}
    ordered.update({key: value for key, value in metadata.items() if key not in ordered})
    return ordered
