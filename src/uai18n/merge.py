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
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import polib
from rapidfuzz import fuzz, process, utils

from uai18n.locales import language_name, plural_forms
from uai18n.po.flags import Flags
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
        if id(entry) not in used and has_translation(entry):
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
    return entry


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


# --- format checks (msgfmt -c, as msgmerge runs it) -----------------------------


def _possible(value: str | None) -> bool:
    return value in ("yes", "possible")


def format_fits(
    kind: str,
    msgid: str,
    msgid_plural: str | None,
    translations: Sequence[str],
    flags: Flags,
    plurals: Plurals,
) -> bool:
    """Whether ``msgfmt -c`` accepts ``translations`` as ``kind`` format strings.

    gettext's ``check_msgid_msgstr_format_i``: every form is checked against
    msgid_plural (or msgid); the check is strict (the same arguments) for a
    singular entry, a plural with one form, or a form the plural formula takes
    for infinitely many n (unless ``range:`` gives it at most one).
    """
    parser = _FORMAT_PARSERS.get(kind)
    if parser is None:
        return False  # a format we do not parse: let the translator look
    reference = parser(msgid_plural or msgid, False)
    if reference is None:
        return True  # an invalid msgid is not checked
    several = len(translations) > 1
    for index, text in enumerate(translations):
        spec = parser(text, True)
        if spec is None:
            return False
        often = plurals.often
        strict = (
            not msgid_plural
            or not several
            or (
                often is not None
                and index < len(often)
                and often[index]
                and not (
                    flags.range is not None
                    and plurals.histogram(flags.range[0], flags.range[1], index) <= 1
                )
            )
        )
        if not _FORMAT_CHECKS[kind](reference, spec, strict):
            return False
    return True


class _Text:
    """A string read the way C reads it: a NUL past its end."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __getitem__(self, index: int) -> str:
        return self.text[index] if index < len(self.text) else "\0"


def _digits_end(s: _Text, i: int) -> int:
    while "0" <= s[i] <= "9":
        i += 1
    return i


_C_MACRO = re.compile(r"PRI([diouxX])(MAX|PTR|(?:LEAST|FAST)?(?:8|16|32|64))>")


def _c_format(text: str, translated: bool, objc: bool = False) -> tuple[str, ...] | None:
    """The argument types of a C format string, or None if gettext finds it
    invalid (``format-c-parse.h``)."""
    s = _Text(text)
    numbered: list[tuple[int, str]] = []
    unnumbered: list[str] = []

    def add(number: int, kind: str) -> bool:
        if number:
            numbered.append((number, kind))
            return not unnumbered
        unnumbered.append(kind)
        return not numbered

    def argument_number(i: int) -> tuple[int, int]:
        """(number, index after ``N$``), (0, i) without one, (-1, i) for ``0$``."""
        if "0" <= s[i] <= "9":
            j = _digits_end(s, i)
            if s[j] == "$":
                number = int(text[i:j])
                return (number, j + 1) if number else (-1, i)
        return 0, i

    i = 0
    while i < len(text):
        if text[i] != "%":
            i += 1
            continue
        i += 1
        number, i = argument_number(i)
        if number < 0:
            return None
        while s[i] in " +-#0'" or (translated and s[i] == "I"):
            i += 1
        for part in ("width", "precision"):
            if part == "precision":
                if s[i] != ".":
                    break
                i += 1
            if s[i] == "*":
                star, i = argument_number(i + 1)
                if star < 0 or not add(star, "i"):
                    return None
            else:
                i = _digits_end(s, i)
        if s[i] == "<":
            macro = _C_MACRO.match(text, i + 1)
            if macro is None:
                return None
            kind = ("u" if macro.group(1) in "ouxX" else "i") + macro.group(2)
            i = macro.end()
            if not add(number, kind):
                return None
            continue
        size = ""
        while s[i] in "hlLqjzZt":
            c = s[i]
            if c == "h":
                size = "hh" if size in ("h", "hh") else "h"
            elif c == "l":
                size = "ll" if size in ("l", "ll") else "l"
            elif c in "Lq":
                size = "ll"
            else:
                size = {"Z": "z"}.get(c, c)
            i += 1
        conversion = s[i]
        wide = "w" if size in ("l", "ll") else ""
        if conversion in "%m":
            kind = ""
        elif conversion == "c":
            kind = "c" + wide
        elif conversion == "C":
            kind = "cw"
        elif conversion == "s":
            kind = "s" + wide
        elif conversion == "S":
            kind = "sw"
        elif conversion in "id":
            kind = "i" + size
        elif conversion in "uoxX":
            kind = "u" + size
        elif conversion in "eEfFgGaA":
            kind = "f" + ("L" if size == "ll" else "")
        elif conversion == "p":
            kind = "p"
        elif conversion == "n":
            kind = "n" + size
        elif conversion == "@" and objc:
            kind = "@"
        else:
            return None
        if kind and not add(number, kind):
            return None
        i += 1
    if numbered:
        by_number: dict[int, str] = {}
        for number, kind in numbered:
            if by_number.setdefault(number, kind) != kind:
                return None
        if sorted(by_number) != list(range(1, len(by_number) + 1)):
            return None
        return tuple(by_number[n] for n in sorted(by_number))
    return tuple(unnumbered)


def _c_check(reference: tuple[str, ...], spec: tuple[str, ...], strict: bool) -> bool:
    too_many = len(spec) > len(reference)
    if too_many or (strict and len(spec) != len(reference)):
        return False
    return all(a == b for a, b in zip(reference, spec, strict=False))


_PythonSpec = tuple[dict[str, str], tuple[str, ...]]


def _python_format(text: str, translated: bool) -> _PythonSpec | None:
    """Named and unnamed argument types of a Python ``%`` string (``format-python.c``)."""
    s = _Text(text)
    named: list[tuple[str, str]] = []
    unnamed: list[str] = []
    i = 0
    while i < len(text):
        if text[i] != "%":
            i += 1
            continue
        i += 1
        name = None
        if s[i] == "(":
            depth, start = 0, i + 1
            i += 1
            while i < len(text) and not (text[i] == ")" and depth == 0):
                depth += {"(": 1, ")": -1}.get(text[i], 0)
                i += 1
            if i >= len(text):
                return None
            name = text[start:i]
            i += 1
        while s[i] in "-+ #0":
            i += 1
        zero_precision = False
        for part in ("width", "precision"):
            if part == "precision":
                if s[i] != ".":
                    break
                i += 1
            if s[i] == "*":
                i += 1
                if named:
                    return None
                unnamed.append("i")
            elif "0" <= s[i] <= "9":
                end = _digits_end(s, i)
                zero_precision = part == "precision" and set(text[i:end]) == {"0"}
                i = end
        if s[i] in "hlL":
            i += 1
        conversion = s[i]
        if conversion == "%":
            kind = ""
        elif conversion == "c":
            kind = "c"
        elif conversion in "sr":
            kind = "any" if zero_precision else "s"
        elif conversion in "iduoxX":
            kind = "i"
        elif conversion in "eEfgG":
            kind = "f"
        else:
            return None
        if name is not None:
            if unnamed:
                return None
            named.append((name, kind))
        elif kind:
            if named:
                return None
            unnamed.append(kind)
        i += 1
    by_name: dict[str, str] = {}
    for name, kind in named:
        known = by_name.get(name)
        if known is None or known == "any":
            by_name[name] = kind
        elif kind not in ("any", known):
            return None
    return by_name, tuple(unnamed)


def _python_check(reference: _PythonSpec, spec: _PythonSpec, strict: bool) -> bool:
    (names1, unnamed1), (names2, unnamed2) = reference, spec
    if (names1 and unnamed2) or (unnamed1 and names2):
        return False
    if set(names2) - set(names1) or (strict and set(names1) - set(names2)):
        return False

    def same(a: str, b: str) -> bool:
        return a == b or (not strict and "any" in (a, b))

    if not all(same(names1[name], names2[name]) for name in names2):
        return False
    if unnamed1 or unnamed2:
        if len(unnamed1) != len(unnamed2):
            return False
        return all(same(a, b) for a, b in zip(unnamed1, unnamed2, strict=True))
    return True


_NAME = re.compile(r"[A-Za-z_][A-Za-z_0-9]*")
_NUMBER = re.compile(r"[0-9]+")


def _brace_field(text: str, i: int, toplevel: bool) -> int | None:
    """Index after the ``{...}`` field at ``text[i]``, or None if invalid
    (``format-python-brace.c``; ``{{`` is a literal brace)."""
    s = _Text(text)
    i += 1
    if s[i] == "{":
        return i + 1
    field = _NAME.match(text, i) or _NUMBER.match(text, i)
    if field is None:
        return None
    i = field.end()
    while s[i] in ".[":
        if s[i] == ".":
            field = _NAME.match(text, i + 1)
            if field is None:
                return None
            i = field.end()
        else:
            field = _NAME.match(text, i + 1) or _NUMBER.match(text, i + 1)
            if field is None or s[field.end()] != "]":
                return None
            i = field.end() + 1
    if s[i] == ":":
        if not toplevel:
            return None
        i += 1
        if s[i] == "{":
            after = _brace_field(text, i, False)
            if after is None:
                return None
            i = after
        else:
            if s[i + 1] in "<>=^":
                i += 2
            elif s[i] in "<>=^":
                i += 1
            if s[i] in "+- ":
                i += 1
            if s[i] == "#":
                i += 1
            if s[i] == "0":
                i += 1
            i = _digits_end(s, i)
            if s[i] == ".":
                i = _digits_end(s, i + 1)
            if s[i] in "bcdoxXneEfFgG%":
                i += 1
    if s[i] != "}":
        return None
    return i + 1


def _python_brace_format(text: str, translated: bool) -> frozenset[str] | None:
    """The fields of a ``str.format`` string, each as written between its
    braces (gettext compares ``{n:d}`` and ``{n}`` as different names)."""
    names = set()
    i = 0
    while i < len(text):
        if text[i] != "{":
            i += 1
            continue
        after = _brace_field(text, i, True)
        if after is None:
            return None
        if text[i + 1] != "{":
            names.add(text[i + 1 : after - 1])
        i = after
    return frozenset(names)


def _python_brace_check(reference: frozenset[str], spec: frozenset[str], strict: bool) -> bool:
    return reference == spec or not strict


_FORMAT_PARSERS: dict[str, Callable[[str, bool], object | None]] = {
    "c": _c_format,
    "objc": lambda text, translated: _c_format(text, translated, objc=True),
    "python": _python_format,
    "python-brace": _python_brace_format,
}
_FORMAT_CHECKS: dict[str, Callable[[object, object, bool], bool]] = {
    "c": _c_check,  # type: ignore[dict-item]
    "objc": _c_check,  # type: ignore[dict-item]
    "python": _python_check,  # type: ignore[dict-item]
    "python-brace": _python_brace_check,  # type: ignore[dict-item]
}


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
