"""Find glossary terms in text by meaning, not by string.

Each language has an :class:`Analyzer` that splits text into word tokens and
gives every token a *key*: what remains of the word once inflection is taken
off. A term matches where the keys of its words follow each other in the text.
Small words (articles, prepositions, elided ``l'``/``d'``) may differ or come
between, so "défenseur des droits humains" is found in "défenseures de droits
humains", and "desaparición forzada" in "desapariciones forzadas".

Keys come from (see :data:`KEY_METHODS`):

* English: the simplemma lemmatizer alone;
* other languages: the simplemma lemma where simplemma knows the word, then
  the Snowball stem (PyStemmer), then a few folds of feminine forms that
  both keep apart ("défenseuse", "правозащитница");
* Chinese, Japanese and other languages written without spaces: no tokens;
  terms are found as substrings;
* German and other compounding languages: an accepted one-word term is also
  found at either end of a compound word.

Keys are compared without diacritics (ё/е, أ/ا, é/e): translators drop them
and the stemmer keeps them. ``benchmarks/eval_glossary.py`` measures these
choices against the alternatives on the labeled set in ``tests/data``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from uai18n.glossary.load import Status, Term
from uai18n.locales import base_language, joins_without_spaces
from uai18n.stamps import library_versions

if TYPE_CHECKING:
    from uai18n.glossary.lemmas import LemmaHelper

# simplemma (0.1 s to import, 1-1.5 s and ~100 MB per language dictionary),
# PyStemmer and Babel are imported where first needed: a run whose words are
# all in the key store (below) never loads them.

#: The most function words allowed between two content words of a term.
MAX_GAP = 3

#: Languages that write compounds as one word: a one-word term may be a part.
COMPOUNDING = frozenset({"de", "nl", "sv", "da", "nb", "nn", "no", "is"})
#: The shortest compound part looked for (shorter ones hide in too many words).
MIN_PART = 5
_PART_STATUSES = frozenset({Status.PREFERRED, Status.ADMITTED})

_APOSTROPHES = str.maketrans(dict.fromkeys("’‘ʼ`´′ʹ＇", "'"))


def _mark_ranges() -> str:
    """Combining marks (harakat, accents, matras) as a regex class body.

    Python's ``\\w`` does not include them, so without this an Arabic word
    with its vowels written would fall apart into pieces.
    """
    ranges: list[tuple[int, int]] = []
    for code in range(0x0300, 0x2000):
        if unicodedata.category(chr(code)).startswith("M") or code == 0x0640:
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(f"{chr(a)}-{chr(b)}" if a != b else chr(a) for a, b in ranges)


# A word: letters, digits, combining marks, joiners, and the middle dot of
# French inclusive writing inside a word ("défenseur·e·s").
_MARKS = _mark_ranges()
_WORD = re.compile(rf"(?:[^\W_]|[{_MARKS}\u200c\u200d])+(?:·[^\W\d_]+)*")
_MARK = re.compile(f"[{_MARKS}]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Words a term may have in another form, or without, and still be the same term.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words("a an the of for to in on at by with from and or s"),
    "fr": _words(
        "le la les l un une des de du d au aux à en et ou pour par sur dans avec qu que contre"
    ),
    "es": _words("el la los las lo un una unos unas de del al a en y e o u por para con contra"),
    "pt": _words(
        "o a os as um uma uns umas de do da dos das no na nos nas ao aos à às em e ou por "
        "para pelo pela pelos pelas com contra"
    ),
    "de": _words(
        "der die das den dem des ein eine einen einem einer eines und oder von vom zu zum "
        "zur für mit im in am an auf gegen"
    ),
    "ru": _words("и или в во на по к ко с со о об от для из за против"),
    "ar": _words("في من على إلى الى عن و أو او ل ب ضد"),
    "it": _words(
        "il lo la i gli le l un una uno di del della dei degli delle a al alla e o per con "
        "in nel nella"
    ),
}

#: Feminine and other forms Snowball keeps apart, folded before stemming
#: (on the lower-cased word) or after it (on the stem).
_BEFORE_STEM: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "fr": (
        (re.compile(r"·.*$"), ""),  # inclusive writing: "défenseur·e·s"
        (re.compile(r"euses?$"), "eur"),
        (re.compile(r"rices?$"), "eur"),
    ),
    "ru": ((re.compile("ё"), "е"),),  # most Russian text writes е; lemmas want it too
}
_AFTER_STEM: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    # Anwältin, Journalistinnen: Snowball takes -erin off, not -in after others
    "de": ((re.compile(r"(?<=\w{3}[^aeiouäöü\W])inn?$"), ""),),
    "ru": (
        (re.compile(r"тельниц$"), "тел"),
        (re.compile(r"ниц$"), "ник"),
        (re.compile(r"истк$"), "ист"),
    ),
}

# Arabic: a conjunction (wa-, fa-) before the article, which Snowball leaves on.
_ARABIC_CONJUNCTION = re.compile(r"^[وف](?=ال|لل)")


def _strip_marks(text: str) -> str:
    """Without accents, harakat and tatweel (é -> e, أ -> ا, ё -> е)."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _MARK.sub("", unicodedata.normalize("NFD", text)))


@functools.cache
def stemmer_name(language: str) -> str | None:
    """PyStemmer's algorithm for a language code (None when Snowball has none)."""
    import Stemmer
    from babel import Locale

    try:
        name = Locale.parse(base_language(language)).english_name
    except (ValueError, TypeError):
        return None
    algorithm = (name or "").lower()
    return algorithm if algorithm in Stemmer.algorithms() else None


def _lemmatizer(base: str, index: Path | None = None) -> Callable[[str], str] | None:
    """simplemma for a language (None when it has no dictionary); loads it on first use.

    Its dictionary is read as simplemma's ``low_memory`` reads it (~10 MB
    instead of ~100 MB a language); ``index``: the folder where its block
    index is kept between runs (:mod:`uai18n.glossary.lemmas`).
    """
    from uai18n.glossary.lemmas import lemmatizer

    return lemmatizer(base, index)


def _stemmer(algorithm: str | None) -> Callable[[str], str] | None:
    import Stemmer

    return Stemmer.Stemmer(algorithm).stemWord if algorithm else None


#: Bump when keys change in a way the stamp below cannot see.
KEY_STORE_VERSION = 1
#: A key store that does not say which stemmer its language has.
UNKNOWN = object()


@functools.cache
def _code_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def key_stamp(language: str) -> str:
    """What a language's stored keys were computed with: when it changes they are dropped.

    A word's keys depend on the language, its key method, simplemma's and
    PyStemmer's versions (their dictionaries and algorithms), Babel's and
    Unicode's, and this module's code (folds, regexes); not on the glossary,
    so one store serves any glossary and survives its edits.
    """
    base = base_language(language)
    method = key_method(language)
    libraries = library_versions("babel", "simplemma", "Stemmer")
    parts = [str(KEY_STORE_VERSION), base, method, libraries, _code_digest()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class KeyStore:
    """Every word's keys for one language, kept in ``<folder>/<lang>.json``.

    The folder is ``[glossary] keys`` (``.uai18n/glossary-keys`` unless a
    project commits it). Computing a key may load simplemma's dictionary for
    the language (0.15-0.9 s); a stored key is what that computation gave, so
    a rerun that meets no new word loads no dictionary and finds the same
    matches. The file is a cache: deleting it costs one slow run; a stale
    stamp empties it. One word a line, sorted, so that a committed store
    diffs and merges as text.
    """

    def __init__(self, folder: Path, language: str) -> None:
        self.path = folder / f"{language}.json"
        self.stamp = key_stamp(language)
        self.words: dict[str, frozenset[str]] = {}
        #: PyStemmer's algorithm for the language (None: Snowball has none), as
        #: :func:`stemmer_name` found it: asking again loads Babel's English
        #: locale data (20 ms) for the first new word of a run.
        self.stemmer: str | object | None = UNKNOWN
        self.added = 0
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("stamp") == self.stamp:
            stemmer = data.get("stemmer", UNKNOWN)
            if stemmer is None or isinstance(stemmer, str):
                self.stemmer = stemmer
            words = data.get("words")
            if isinstance(words, dict):
                self.words = {
                    word: frozenset(keys)
                    for word, keys in words.items()
                    if isinstance(keys, list) and all(isinstance(key, str) for key in keys)
                }

    def save(self) -> None:
        """Write the store when words were added; a folder we cannot write is no error."""
        if not self.added:
            return
        from uai18n.errors import UserError
        from uai18n.textfiles import write_text_atomic

        dumps = functools.partial(json.dumps, ensure_ascii=False)
        words = sorted(self.words.items())
        lines = [f"{dumps(word)}: {dumps(sorted(keys))}" for word, keys in words]
        stemmer = "" if self.stemmer is UNKNOWN else f'"stemmer": {dumps(self.stemmer)}, '
        head = f'{{"stamp": "{self.stamp}", {stemmer}"words": {{\n'
        text = head + ",\n".join(lines) + "\n}}\n"
        try:
            write_text_atomic(self.path, text, durable=False)
        except (OSError, UserError, ValueError):  # ValueError: a lone surrogate in a word
            return
        self.added = 0


#: How a language's keys are made: alternatives separated by "|", each a
#: chain of steps joined by "+": "word" (the folded word), "lemma" (simplemma),
#: "stem" (Snowball). Two words match when any of their keys are equal.
#:
#: * English, "lemma|word": Snowball's English stemmer makes "prisoner" and
#:   "prison", "policy" and "police" one word; simplemma lemmatizes "killing"
#:   as the verb "kill" but "killings" as "killing", which the word itself joins.
#: * elsewhere, "lemma+stem|stem": the lemma joins what stems keep apart
#:   ("пыток"/"пытка", "gais"/"gay", "traduite"/"traduire", Arabic broken
#:   plurals "سجناء"/"سجين"), the stem joins what the lemmatizer does not know
#:   ("défenseures"), and the plain stem survives a lemma that is wrong for
#:   one form of a word and right for another (Arabic, Russian participles).
#:
#: ``benchmarks/eval_glossary.py`` compares these with the alternatives.
KEY_METHODS: dict[str, str] = {"en": "lemma|word"}
DEFAULT_KEY_METHOD = "lemma+stem|stem"


def key_method(language: str) -> str:
    """How the language's keys are made (:data:`KEY_METHODS`)."""
    return KEY_METHODS.get(base_language(language), DEFAULT_KEY_METHOD)


def _chains(method: str) -> tuple[tuple[str, ...], ...]:
    chains = tuple(tuple(chain.split("+")) for chain in method.split("|"))
    for chain in chains:
        for step in chain:
            if step not in {"word", "lemma", "stem", "none"}:
                raise ValueError(f"unknown key step {step!r} in {method!r}")
    return chains


@dataclass(frozen=True, slots=True)
class Token:
    """One word: as written (folded case), its keys, where it is, whether it is small."""

    surface: str
    keys: frozenset[str]
    start: int
    end: int
    function: bool


class Analyzer:
    """Tokens and keys for one language; remembers every word it has seen."""

    def __init__(
        self,
        language: str,
        store: KeyStore | None = None,
        lemma_index: Path | None = None,
        helper: LemmaHelper | None = None,
    ) -> None:
        self.language = language
        self._lemma_index = lemma_index
        self._helper = helper
        base = self._base = base_language(language)
        self.substrings = joins_without_spaces(base)
        self.function_words = FUNCTION_WORDS.get(base, frozenset())
        self._chains = _chains(key_method(language))
        inflects = self._chains != (("none",),)
        self._before = _BEFORE_STEM.get(base, ()) if inflects else ()
        self._after = _AFTER_STEM.get(base, ()) if inflects else ()
        self._arabic = base == "ar" and inflects
        self.store = store
        # the store's dictionary is this memo: what is computed is what is saved
        self._keys: dict[str, frozenset[str]] = store.words if store is not None else {}

    @staticmethod
    def normalize(text: str) -> str:
        """Case, Unicode form and apostrophes folded; offsets stay those of the text.

        NFC keeps the length of text already in NFC (nearly all text); where it
        would not, the text is only case- and apostrophe-folded.
        """
        folded = text.translate(_APOSTROPHES)
        composed = unicodedata.normalize("NFC", folded)
        if len(composed) == len(folded):
            folded = composed
        lowered = folded.lower()
        return lowered if len(lowered) == len(folded) else folded

    def keys(self, word: str) -> frozenset[str]:
        """The word with inflection taken off, one way or more (``word`` normalized)."""
        found = self._keys.get(word)
        if found is None:
            found = self._keys[word] = self._compute_keys(word)
            if self.store is not None:
                self.store.added += 1
        return found

    def _compute_keys(self, word: str) -> frozenset[str]:
        if self._arabic:
            word = _ARABIC_CONJUNCTION.sub("", word)
        for pattern, replacement in self._before:
            word = pattern.sub(replacement, word)
        keys = set()
        for chain in self._chains:
            key = word
            for step in chain:
                if step == "lemma":
                    key = self._lemma(key)
                elif step == "stem" and self._stem is not None:
                    key = self._stem(key)
            for pattern, replacement in self._after:
                key = pattern.sub(replacement, key)
            keys.add(_strip_marks(key))
        return frozenset(keys)

    def _lemma(self, word: str) -> str:
        """simplemma's lemma, the word itself where simplemma has no dictionary.

        A number is its own lemma (simplemma's first rule), so a new number in
        an edited translation does not load a dictionary (0.25-0.9 s).
        """
        if word.isnumeric():
            return word
        if self._helper is not None:
            answer = self._helper.lemma(self._base, word)
            if answer is not None:
                return answer[0].lower() if answer else word
            self._helper = None  # gone: lemmatized here from now on
        lemmatize = self._lemmatize
        return lemmatize(word).lower() if lemmatize is not None else word

    @functools.cached_property
    def _lemmatize(self) -> Callable[[str], str] | None:
        return _lemmatizer(self._base, self._lemma_index)

    @functools.cached_property
    def _stem(self) -> Callable[[str], str] | None:
        store = self.store
        if store is not None and (store.stemmer is None or isinstance(store.stemmer, str)):
            return _stemmer(store.stemmer)
        algorithm = stemmer_name(self._base)
        if store is not None:
            store.stemmer = algorithm
        return _stemmer(algorithm)

    def tokens(self, text: str) -> list[Token]:
        normalized = self.normalize(text)
        function_words = self.function_words
        elision = bool(function_words)  # "l'", "d'" are small words where there are any
        known = self._keys
        found = []
        for match in _WORD.finditer(normalized):
            word = match.group()
            start, end = match.span()
            keys = known.get(word)
            if keys is None:
                keys = self.keys(word)
            small = word in function_words or (
                elision and len(word) <= 3 and normalized.startswith("'", end)
            )
            found.append(Token(word, keys, start, end, small))
        return found


@dataclass(frozen=True)
class CompiledTerm:
    """A term as the index looks for it."""

    term: Term
    keys: tuple[frozenset[str], ...]  # content words' keys, in order
    surfaces: tuple[str, ...]  # every word as written, folded
    text: str  # the folded text (substring languages)


@dataclass(frozen=True)
class Match:
    """Where a term was found; ``exact`` when written as in the glossary (case aside)."""

    term: Term
    start: int
    end: int
    exact: bool
    found: str  # the text as written there

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class TermIndex:
    """The terms of one language, indexed by the key of their first content word.

    Built once per language; :meth:`find` then costs one dictionary lookup
    per word of the text plus a short comparison per candidate.
    """

    def __init__(self, terms: Iterable[Term], analyzer: Analyzer) -> None:
        self.analyzer = analyzer
        self._by_first: dict[str, list[CompiledTerm]] = defaultdict(list)
        self._candidates: dict[frozenset[str], tuple[CompiledTerm, ...]] = {}
        # one-word accepted terms, by key, for languages that write compounds
        self._parts: dict[str, list[CompiledTerm]] = defaultdict(list)
        self._compounding = base_language(analyzer.language) in COMPOUNDING
        self._split: dict[str, tuple[CompiledTerm, ...]] = {}
        for term in terms:
            compiled = self._compile(term)
            if compiled is None:
                continue
            if analyzer.substrings:
                self._by_first[compiled.text[0]].append(compiled)
                continue
            for key in compiled.keys[0]:
                self._by_first[key].append(compiled)
            one_word = len(compiled.keys) == 1 and len(compiled.surfaces) == 1
            part = one_word and len(compiled.surfaces[0]) >= MIN_PART
            if self._compounding and part and term.status in _PART_STATUSES:
                for key in compiled.keys[0]:
                    self._parts[key].append(compiled)

    def _compile(self, term: Term) -> CompiledTerm | None:
        folded = self.analyzer.normalize(term.text)
        if self.analyzer.substrings:
            text = "".join(folded.split())
            return CompiledTerm(term, (), (), text) if text else None
        tokens = self.analyzer.tokens(term.text)
        if not tokens:
            return None
        content = [index for index, token in enumerate(tokens) if not token.function]
        if content:
            # A match starts and ends on content words: so does the exact form.
            tokens = tokens[content[0] : content[-1] + 1]
        keys = tuple(token.keys for token in tokens if not token.function or not content)
        return CompiledTerm(term, keys, tuple(token.surface for token in tokens), folded)

    def _compound_parts(self, word: str) -> tuple[CompiledTerm, ...]:
        """Accepted one-word terms that begin or end a compound word.

        German writes "Menschenrechtsorganisationen" and
        "Menschenrechtsanwältin" as one word: the first holds "Menschenrechte"
        (with the linking s), the second "Anwalt". Only accepted terms are
        looked for this way: a part found in a compound may satisfy a
        required term, never make a deprecated one.
        """
        found = self._split.get(word)
        if found is not None:
            return found
        parts: dict[int, CompiledTerm] = {}
        keys = self.analyzer.keys
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head, tail = word[:cut], word[cut:]
            candidates = [tail, head, head[:-1] if head.endswith(("s", "n")) else ""]
            for piece in filter(None, candidates):
                for key in keys(piece):
                    for compiled in self._parts.get(key, ()):
                        if compiled.surfaces[0] != word:
                            parts.setdefault(id(compiled), compiled)
        found = self._split[word] = tuple(parts.values())
        return found

    def _starting_with(self, keys: frozenset[str]) -> tuple[CompiledTerm, ...]:
        """Terms whose first content word has one of ``keys`` (no term twice)."""
        found: dict[int, CompiledTerm] = {}
        for key in sorted(keys):
            for compiled in self._by_first.get(key, ()):
                found.setdefault(id(compiled), compiled)
        return tuple(found.values())

    def find(self, text: str) -> list[Match]:
        """Every occurrence of every term (overlapping ones included)."""
        if not text:
            return []
        if self.analyzer.substrings:
            return self._find_substrings(text)
        tokens = self.analyzer.tokens(text)
        found = []
        for position, token in enumerate(tokens):
            if self._compounding and len(token.surface) >= 2 * MIN_PART:
                for compiled in self._compound_parts(token.surface):
                    if not compiled.keys[0].isdisjoint(token.keys):
                        continue  # the whole word is the term: matched below
                    found.append(
                        Match(compiled.term, token.start, token.end, False,
                              text[token.start : token.end])
                    )  # fmt: skip
            candidates = self._candidates.get(token.keys)
            if candidates is None:
                candidates = self._candidates[token.keys] = self._starting_with(token.keys)
            for compiled in candidates:
                last = _match_from(tokens, position, compiled.keys)
                if last is None:
                    continue
                surfaces = tuple(token.surface for token in tokens[position : last + 1])
                start, end = token.start, tokens[last].end
                found.append(
                    Match(compiled.term, start, end, surfaces == compiled.surfaces, text[start:end])
                )
        return found

    def _find_substrings(self, text: str) -> list[Match]:
        folded = self.analyzer.normalize(text)
        found = []
        for position, char in enumerate(folded):
            for compiled in self._by_first.get(char, ()):
                if folded.startswith(compiled.text, position):
                    end = position + len(compiled.text)
                    found.append(Match(compiled.term, position, end, True, text[position:end]))
        return found


def _match_from(tokens: list[Token], position: int, keys: tuple[frozenset[str], ...]) -> int | None:
    """Index of the last token when ``keys`` match from ``position``, else None."""
    at = position
    for key in keys[1:]:
        at += 1
        gap = 0
        while at < len(tokens) and tokens[at].function and key.isdisjoint(tokens[at].keys):
            gap += 1
            at += 1
        if gap > MAX_GAP or at >= len(tokens) or key.isdisjoint(tokens[at].keys):
            return None
    return at


def longest(matches: list[Match]) -> list[list[Match]]:
    """Non-overlapping matches, longest first; matches on the very same span stay together.

    "desaparición" inside "desaparición forzada" is not a match of its own,
    and "human rights" inside "human rights defender" is not either.
    """
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.term.concept))
    groups: list[list[Match]] = []
    # the characters kept matches cover: an overlap test is one slice, not a
    # comparison with every kept match (a long letter has dozens)
    taken = bytearray(max((match.end for match in matches), default=0))
    for match in ordered:
        if groups and groups[-1][0].span == match.span:
            groups[-1].append(match)
            continue
        if 1 in taken[match.start : match.end]:
            continue
        taken[match.start : match.end] = b"\x01" * (match.end - match.start)
        groups.append([match])
    groups.sort(key=lambda group: group[0].start)
    return groups


def acceptable(match: Match) -> bool:
    return match.term.status is not Status.DEPRECATED
