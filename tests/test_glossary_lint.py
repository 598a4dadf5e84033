"""``uai18n glossary lint``: a deprecated term that is a sub-phrase of an accepted one."""

from __future__ import annotations

from pathlib import Path

import pytest

from uai18n.findings import Severity
from uai18n.glossary.lint import lint, sub_phrases
from uai18n.glossary.load import load_glossary, read_csv

REPO = Path(__file__).resolve().parent.parent
HEADER = "concept,lang,term,status,pos,note\n"


def _sub_phrases(rows: str) -> list[str]:
    terms = read_csv((HEADER + rows).encode("utf-8"), "glossary/test.csv")
    return [f"{p.line}: {p.severity}: {p.message}" for p in sub_phrases(terms)]


@pytest.mark.parametrize(
    "rows",
    [
        # the reviewer's case: "cette disparition" then becomes an error
        "x,en,enforced disappearance,preferred,,\n"
        "x,fr,disparition forcée,preferred,,\n"
        "x,fr,disparition,deprecated,,\n",
        # inflected, and the accepted term need not be preferred
        "x,en,enforced disappearance,preferred,,\n"
        "x,es,desaparición forzada de personas,admitted,,\n"
        "x,es,desapariciones,deprecated,,\n",
        # case and diacritics folded as the matcher folds them
        "x,en,enforced disappearance,preferred,,\n"
        "x,pt,Desaparecimento forçado,preferred,,\n"
        "x,pt,DESAPARECIMENTO,deprecated,,\n",
        # the head of a German compound, which the check treats alike
        "x,en,enforced disappearance,preferred,,\n"
        "x,de,Verschwindenlassen,preferred,,\n"
        "x,de,Verschwinden,deprecated,,\n",
        # Chinese: a substring
        "x,en,enforced disappearance,preferred,,\n"
        "x,zh,强迫失踪,preferred,,\n"
        "x,zh,失踪,deprecated,,\n",
    ],
)
def test_a_deprecated_sub_phrase_of_an_accepted_term_is_an_error(rows: str) -> None:
    [problem] = _sub_phrases(rows)
    assert problem.startswith("4: error: ")
    assert "is deprecated (x) and a sub-phrase of" in problem
    assert "(glossary/test.csv:" in problem and "'sub-phrase: ...'" in problem


def test_a_note_with_the_marker_and_a_reason_keeps_it() -> None:
    rows = (
        "x,en,lesbian,preferred,,\n"
        "x,ja,レズビアン,preferred,,\n"
        'x,ja,レズ,deprecated,,"Pejorative. Sub-phrase: the slur, never a back-reference"\n'
    )
    assert _sub_phrases(rows) == []
    # the marker without a reason does not count
    assert (
        len(
            _sub_phrases(
                rows.replace("Sub-phrase: the slur, never a back-reference", "sub-phrase:")
            )
        )
        == 1
    )


@pytest.mark.parametrize(
    "rows",
    [
        # the whole term inflected, not a part of it
        "x,en,transgender,preferred,,\nx,en,transgendered,deprecated,,\n",
        # another concept's longer term: the check's longest match settles that
        "x,en,disappearance,preferred,,\nx,fr,disparition,deprecated,,\n"
        "y,en,enforced disappearance,preferred,,\ny,fr,disparition forcée,preferred,,\n",
        # another language
        "x,en,enforced disappearance,preferred,,\nx,fr,disparition forcée,preferred,,\n"
        "x,es,disparition,deprecated,,\n",
        # a different word that merely starts alike
        "x,en,human rights defender,preferred,,\nx,fr,défenseur des droits humains,preferred,,\n"
        "x,fr,défense,deprecated,,\n",
    ],
)
def test_what_is_not_a_sub_phrase(rows: str) -> None:
    assert _sub_phrases(rows) == []


def test_the_bundled_glossary_has_no_unjustified_sub_phrase_and_no_lint_error() -> None:
    glossary = load_glossary(REPO / "glossary")
    assert sub_phrases(glossary.terms) == []
    problems = lint(glossary, "en", ("fr", "es", "ru", "ar", "de", "pt"))
    assert [p for p in problems if p.severity is Severity.ERROR] == []


def test_every_bundled_row_names_a_source_or_says_uncertain() -> None:
    glossary = load_glossary(REPO / "glossary")
    for term in glossary.terms:
        assert term.note.strip(), f"{term.file}:{term.line}: no note"
        assert "bundled" not in term.note.casefold(), f"{term.file}:{term.line}: own translation"


def test_the_command_reports_it_and_fails(project: Path, cli) -> None:
    (project / "glossary" / "extra.csv").write_text(
        HEADER + "new-concept,en,death row,preferred,,\n"
        "new-concept,fr,couloir de la mort,preferred,,\n"
        "new-concept,fr,couloir,deprecated,,\n",
        "utf-8",
    )
    result = cli("-C", str(project), "glossary", "lint")
    assert result.exit_code == 1
    assert (
        "glossary/extra.csv:4: error: fr 'couloir' is deprecated (new-concept) and a sub-phrase "
        "of preferred 'couloir de la mort' (glossary/extra.csv:3)" in result.output
    )
