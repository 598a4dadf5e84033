"""Finding terms across inflection, elision, script and spacing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uai18n.glossary.load import Status, Term, load_glossary
from uai18n.glossary.match import Analyzer, Match, TermIndex, longest

GLOSSARY = load_glossary(Path(__file__).resolve().parent.parent / "glossary")


def _index(language: str, *texts: str) -> TermIndex:
    terms = [Term(f"c{n}", language, text, Status.PREFERRED) for n, text in enumerate(texts)]
    return TermIndex(terms, Analyzer(language))


@pytest.mark.parametrize(
    ("language", "term", "text"),
    [
        ("en", "enforced disappearance", "Victims of Enforced Disappearances and their families"),
        ("en", "prisoner of conscience", "She is one of the prisoners of conscience"),
        ("fr", "défenseur des droits humains", "les défenseures de droits humains"),
        ("fr", "défenseur des droits humains", "deux défenseuses des droits humains"),
        ("fr", "prisonnier d'opinion", "des prisonnières d’opinion"),
        ("fr", "traduire en justice", "les responsables seront traduits en justice"),
        ("fr", "disparition forcée", "DISPARITIONS FORCÉES"),
        ("es", "desaparición forzada", "las desapariciones forzadas"),
        ("es", "defensor de derechos humanos", "las defensoras de los derechos humanos"),
        ("es", "gay", "personas consideradas gais"),
        ("pt", "defensor dos direitos humanos", "as defensoras de direitos humanos"),
        ("pt", "desaparecimento forçado", "desaparecimentos forçados"),
        ("ru", "насильственное исчезновение", "жертвы насильственных исчезновений"),
        ("ru", "узник совести", "узницы совести"),
        ("ru", "правозащитник", "с правозащитницами"),
        ("ru", "пытка", "в результате пыток"),
        ("de", "Menschenrechtsverteidiger", "die Menschenrechtsverteidigerinnen"),
        ("de", "Verschwindenlassen", "Opfer des Verschwindenlassens"),
        ("de", "gewaltloser politischer Gefangener", "gewaltlose politische Gefangene"),
        ("ar", "الاختفاء القسري", "تعرض للاختفاء القسري"),
        ("ar", "الاختفاء القسري", "ضحايا الاختفاءِ القسريِّ والتعذيب"),
        ("ar", "المدافع عن حقوق الإنسان", "والمدافعات عن حقوق الإنسان"),
        ("ar", "سجين الرأي", "سجناء الرأي"),
    ],
)
def test_inflected_forms_are_found_and_said_to_be_inflected(
    language: str, term: str, text: str
) -> None:
    [match] = _index(language, term).find(text)
    assert not match.exact
    assert text[match.start : match.end] == match.found


@pytest.mark.parametrize(
    ("language", "term", "text"),
    [
        ("fr", "droits de l'homme", "la Déclaration des Droits de l’Homme"),
        ("en", "ill-treatment", "torture and other ill treatment"),  # the same words
        ("es", "desaparición forzada", "la desaparición forzada"),
        ("ar", "الاختفاء القسري", "الاختفاء القسري"),
        ("zh", "强迫失踪", "他遭到强迫失踪。"),
        ("ja", "良心の囚人", "彼女は良心の囚人です"),
    ],
)
def test_written_as_in_the_glossary_is_exact(language: str, term: str, text: str) -> None:
    [match] = _index(language, term).find(text)
    assert match.exact


@pytest.mark.parametrize(
    ("language", "term", "text"),
    [
        ("en", "prison", "prisoners of conscience"),  # Snowball would say "prison"
        ("en", "police", "a new policy"),
        ("fr", "droits humains", "les droits de tous et de chacun des humains"),  # words between
        ("fr", "disparition forcée", "une disparition soudaine forcée"),  # a content word between
        ("es", "desaparición", "desaparecidos"),
        ("zh", "失踪", "失"),
    ],
)
def test_different_words_do_not_match(language: str, term: str, text: str) -> None:
    assert _index(language, term).find(text) == []


def test_compounds_hold_accepted_terms_never_deprecated_ones() -> None:
    """German writes compounds as one word: an accepted one-word term is found
    as the first or last part of one (inflected), a deprecated one never is."""
    terms = [
        Term("human-rights", "de", "Menschenrechte", Status.PREFERRED),
        Term("lawyer", "de", "Anwalt", Status.PREFERRED),
        Term("enforced-disappearance", "de", "Verschwinden", Status.DEPRECATED),
    ]
    index = TermIndex(terms, Analyzer("de"))
    found = index.find("Die Menschenrechtsanwältin ist Opfer des Verschwindenlassens.")
    assert sorted((m.term.text, m.found, m.exact) for m in found) == [
        ("Anwalt", "Menschenrechtsanwältin", False),
        ("Menschenrechte", "Menschenrechtsanwältin", False),
    ]
    assert index.find("Staatsanwaltschaft") == []  # a part inside, not at an end
    assert TermIndex(terms, Analyzer("fr")).find("Menschenrechtsanwältin") == []


def test_the_longest_term_wins_and_the_same_span_stays_one_group() -> None:
    index = _index("es", "desaparición", "desaparición forzada", "forzada")
    groups = longest(index.find("una desaparición forzada y otra desaparición"))
    assert [[m.term.text for m in group] for group in groups] == [
        ["desaparición forzada"],
        ["desaparición"],
    ]


def _longest_by_definition(matches: list[Match]) -> list[list[Match]]:
    """Longest first; a match overlapping one already kept is dropped; the same span groups."""
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), m.start, m.term.concept))
    groups: list[list[Match]] = []
    for match in ordered:
        if groups and groups[-1][0].span == match.span:
            groups[-1].append(match)
        elif not any(match.start < g[0].end and g[0].start < match.end for g in groups):
            groups.append([match])
    return sorted(groups, key=lambda group: group[0].start)


_SPANS = st.lists(
    st.tuples(st.integers(0, 40), st.integers(1, 12), st.sampled_from("abc")), max_size=30
)


@given(_SPANS)
def test_longest_keeps_what_its_definition_keeps(spans: list[tuple[int, int, str]]) -> None:
    matches = [
        Match(Term(concept, "en", "x", Status.PREFERRED), start, start + size, False, "x")
        for start, size, concept in spans
    ]
    assert longest(matches) == _longest_by_definition(matches)


def test_every_shipped_term_finds_itself_exactly() -> None:
    for language in sorted(GLOSSARY.languages()):
        terms = [term for term in GLOSSARY.terms if term.lang == language]
        index = TermIndex(terms, Analyzer(language))
        for term in terms:
            found = [m for m in index.find(term.text) if m.exact and m.term == term]
            assert found, (language, term.text)


_FILLER = st.lists(
    st.sampled_from(["le", "rapport", "a", "confirmé", "des", "cas", "graves", "en", "2019", ","]),
    max_size=8,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(before=_FILLER, after=_FILLER, upper=st.booleans(), curly=st.booleans())
def test_a_term_is_found_whatever_surrounds_it(
    before: str, after: str, upper: bool, curly: bool
) -> None:
    """Property: context, case and apostrophe style never hide a term."""
    term = "prisonnier d'opinion"
    written = term.upper() if upper else term
    if curly:
        written = written.replace("'", "’")
    text = f"{before} {written} {after}"
    matches = _index("fr", term).find(text)
    assert [m.found for m in matches] == [written]
