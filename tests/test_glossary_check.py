"""The glossary check: findings per entry, suppression, and the commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import replace_once

from uai18n.glossary.check import GlossaryChecker
from uai18n.glossary.lint import lint
from uai18n.glossary.load import Glossary, load_glossary, read_csv

GLOSSARY = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
CHECKER = GlossaryChecker(GLOSSARY, "en")
FR = "po/fr/ua-2-19-chechnya.po"


def _ids(msgid: str, msgstr: str, language: str, comment: str = "") -> list[str]:
    return [f.check for f in CHECKER.check(msgid, msgstr, language, comment)]


def test_preferred_term_inflected_is_accepted() -> None:
    msgid = "Human rights defenders face enforced disappearance."
    assert (
        _ids(msgid, "Les défenseures des droits humains subissent des disparitions forcées.", "fr")
        == []
    )
    assert _ids(msgid, "Правозащитницы подвергаются насильственным исчезновениям.", "ru") == []


def test_a_msgid_is_analyzed_once_for_every_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each of a document's catalogues brings the same msgids: their source terms
    are found once, and every language is judged as if they were found anew."""
    msgid = "Human rights defenders face enforced disappearance."
    translations = {"fr": "Les défenseurs subissent des disparitions.", "es": "x"}
    expected = {
        language: GlossaryChecker(GLOSSARY, "en").check(msgid, text, language)
        for language, text in translations.items()
    }
    assert all(expected.values())  # findings in both languages to compare
    checker = GlossaryChecker(GLOSSARY, "en")
    calls: list[str] = []
    find = checker._source.find
    monkeypatch.setattr(checker._source, "find", lambda text: calls.append(text) or find(text))
    found = {
        language: checker.check(msgid, text, language) for language, text in translations.items()
    }
    assert found == expected
    assert calls == [msgid]


def test_missing_term_names_the_source_term_and_what_was_expected() -> None:
    [finding] = CHECKER.check(
        "He is a prisoner of conscience.", "Il est emprisonné pour ses opinions.", "fr"
    )
    assert finding.check == "glossary-missing" and finding.severity == "warning"
    assert finding.message == (
        '"prisoner of conscience" (prisoner-of-conscience): expected "prisonnier d\'opinion" '
        'or "prisonnière d\'opinion"; not found'
    )


def test_deprecated_term_is_an_error_and_says_when_it_was_inflected() -> None:
    [exact] = CHECKER.check("Human rights.", "Les droits de l'homme.", "fr")
    assert exact.check == "glossary-deprecated" and exact.severity == "error"
    assert exact.message == (
        'deprecated term "droits de l\'homme" (human-rights); '
        'use "droits humains" or "droits de la personne"'
    )
    [inflected] = CHECKER.check("Human rights.", "Les Droits de l’Hommes.", "fr")
    assert '(found as an inflected form "Droits de l’Hommes")' in inflected.message


@pytest.mark.parametrize("variant", ["fr_CA", "fr@latin"])
def test_a_variant_falls_back_to_its_base_language_in_check_and_lint(variant: str) -> None:
    """pt_BR, zh_Hant, sr@latin: the terms of pt, zh, sr, wherever the glossary looks."""
    assert [t.text for t in CHECKER.renderings("human-rights", variant)] == [
        t.text for t in CHECKER.renderings("human-rights", "fr")
    ]
    [finding] = CHECKER.check("Human rights.", "Les droits de l'homme.", variant)
    assert finding.check == "glossary-deprecated" and 'use "droits humains"' in finding.message
    assert lint(GLOSSARY, "en", (variant,)) == lint(GLOSSARY, "en", ("fr",))


def test_a_deprecated_short_form_counts_only_where_the_source_has_the_concept() -> None:
    # A glossary that deprecates "disparition" alone (the bundled one no longer
    # does: a back-reference, "cette disparition", is right; the lint asks for a
    # "sub-phrase:" reason): ordinary French elsewhere, wrong for the concept.
    checker = GlossaryChecker(
        Glossary(
            tuple(
                read_csv(
                    "concept,lang,term,status,pos,note\n"
                    "enforced-disappearance,en,enforced disappearance,preferred,,\n"
                    "enforced-disappearance,fr,disparition forcée,preferred,,\n"
                    "enforced-disappearance,fr,disparition,deprecated,,sub-phrase: test\n".encode(),
                    "glossary/test.csv",
                )
            )
        ),
        "en",
    )

    def ids(msgid: str, msgstr: str) -> list[str]:
        return [f.check for f in checker.check(msgid, msgstr, "fr")]

    assert (
        ids(
            "Nobody has investigated his disappearance.", "Personne n'a enquêté sur sa disparition."
        )
        == []
    )
    assert ids(
        "He was a victim of enforced disappearance.", "Il a été victime d'une disparition."
    ) == ["glossary-deprecated"]  # one finding, not "missing" as well
    # the bundled glossary: the short form is missing the term, not deprecated
    assert _ids(
        "He was a victim of enforced disappearance.", "Il a été victime d'une disparition.", "fr"
    ) == ["glossary-missing"]


def test_a_deprecated_term_inside_an_accepted_longer_one_is_not_flagged() -> None:
    # the UDHR's official French name keeps "droits de l'homme"
    msgid = "The Universal Declaration of Human Rights"
    assert _ids(msgid, "la Déclaration universelle des droits de l'homme", "fr") == []


def test_do_not_translate_terms_must_stay_as_written() -> None:
    msgid = "Amnesty International calls for his release."
    assert _ids(msgid, "Amnesty International demande sa libération.", "fr") == []
    assert _ids(msgid, "Amnesty International призывает освободить его.", "ru") == []
    [changed] = CHECKER.check(msgid, "Amnesty Internationale demande sa libération.", "fr")
    assert changed.check == "glossary-dnt" and changed.severity == "error"
    assert 'found as an inflected form "Amnesty Internationale"' in changed.message
    # a language with no rows of its own: the source term is copied
    assert _ids("LGBTI people are at risk.", "Les personnes LGBTI sont en danger.", "it") == []
    assert _ids("LGBTI people are at risk.", "Le persone omosessuali sono in pericolo.", "it") == [
        "glossary-dnt"
    ]


def test_languages_written_without_spaces_match_substrings() -> None:
    checker = GlossaryChecker(GLOSSARY, "en")
    chinese = [t for t in GLOSSARY.terms_in("zh")]
    if not chinese:
        pytest.skip("no zh terms in the shipped glossary")
    concept = chinese[0].concept
    source = next(t.text for t in GLOSSARY.concepts[concept] if t.lang == "en")
    assert checker.check(f"About {source}.", f"关于{chinese[0].text}。", "zh") == []


def test_glossary_ok_comment_suppresses_one_concept() -> None:
    msgid, msgstr = "He is a prisoner of conscience.", "Il est emprisonné pour ses opinions."
    assert _ids(msgid, msgstr, "fr", "glossary-ok: prisoner of conscience — paraphrase") == []
    assert _ids(msgid, msgstr, "fr", "glossary-ok: prisonnier d'opinion - style guide") == []
    assert _ids(msgid, msgstr, "fr", "glossary-ok: prisoner-of-conscience: paraphrase") == []
    assert _ids(msgid, msgstr, "fr", "glossary-ok: torture — another concept") == [
        "glossary-missing"
    ]


def test_project_switches_a_concept_off_for_one_language() -> None:
    checker = GlossaryChecker(GLOSSARY, "en", {"fr": ("prisoner of conscience",)})
    msgid, msgstr = "He is a prisoner of conscience.", "Il est emprisonné pour ses opinions."
    assert checker.check(msgid, msgstr, "fr") == []
    assert [f.check for f in checker.check(msgid, "Está preso.", "es")] == ["glossary-missing"]


# --- through the commands -------------------------------------------------------------


def _edit(project: Path, old: str, new: str, path: str = FR) -> None:
    replace_once(project / path, old, new)


def test_check_reports_glossary_findings_and_fails_on_deprecated(project: Path, cli) -> None:
    _edit(project, "violations des droits humains", "violations des droits de l’homme")
    result = cli("-C", str(project), "check", "--lang", "fr", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    [finding] = [f for f in report["findings"] if f["check"].startswith("glossary-")]
    assert finding["check"] == "glossary-deprecated" and finding["severity"] == "error"
    assert finding["file"] == FR and finding["lang"] == "fr" and finding["line"] > 1
    assert "droits de l’homme" in finding["message"]
    lines = (project / FR).read_text("utf-8").splitlines()
    assert lines[finding["line"] - 1].startswith("msgid")


def test_glossary_check_shows_glossary_findings_only(project: Path, cli) -> None:
    _edit(project, "violations des droits humains", "violations des droits de l’homme")
    _edit(project, "quarantaine", "40", FR)  # a numbers finding, not the glossary's
    result = cli("-C", str(project), "glossary", "check", "--lang", "fr")
    assert result.exit_code == 1
    assert "[glossary-deprecated]" in result.output and "[numbers]" not in result.output
    assert "[glossary-missing]" not in result.output  # the deprecated term is the finding
    assert cli("-C", str(project), "glossary", "check", "--lang", "es").exit_code == 0


def test_entry_comment_and_project_setting_silence_the_finding(project: Path, cli) -> None:
    _edit(project, "violations des droits humains", "violations des droits de l’homme")
    _edit(
        project,
        "#. letter, paragraph 1\n",
        "# glossary-ok: human rights violation — quoted from the report\n#. letter, paragraph 1\n",
    )
    assert cli("-C", str(project), "glossary", "check", "--lang", "fr").exit_code == 0
    toml = project / "uai18n.toml"
    toml.write_text(
        toml.read_text("utf-8").replace(
            "[languages.es]", 'glossary_disabled = ["nonsense-term"]\n\n[languages.es]'
        ),
        "utf-8",
    )
    result = cli("-C", str(project), "glossary", "check")
    assert result.exit_code == 2
    assert '"nonsense-term" is not a glossary concept or term' in result.output


def test_broken_glossary_is_bad_input_for_every_command(project: Path, cli) -> None:
    (project / "glossary" / "extra.csv").write_text(
        "concept,lang,term,status,pos,note\nx,fr,terme,preferred,,\ny,xx-XX-bad,t,preferred,,\n",
        "utf-8",
    )
    for command in (
        ["check"],
        ["glossary", "check"],
        ["glossary", "lint"],
        ["glossary", "show", "x"],
    ):
        result = cli("-C", str(project), *command)
        assert result.exit_code == 2, command
        assert result.output.startswith("uai18n: glossary/extra.csv:3: "), result.output
        assert "Traceback" not in result.output


def test_show_finds_a_concept_from_any_language_and_form(project: Path, cli) -> None:
    result = cli("-C", str(project), "glossary", "show", "насильственных исчезновений")
    assert result.exit_code == 0
    assert result.output.startswith("enforced-disappearance\n")
    assert "disparition forcée" in result.output and "deprecated" in result.output
    assert cli("-C", str(project), "glossary", "show", "no such thing").exit_code == 1


def test_lint_passes_the_shipped_glossary_and_catches_contradictions(project: Path, cli) -> None:
    result = cli("-C", str(project), "glossary", "lint")
    assert result.exit_code == 0, result.output
    (project / "glossary" / "bad.csv").write_text(
        "concept,lang,term,status,pos,note\n"
        "torture,fr,torture,preferred,,\n"
        "torture,fr,torture,preferred,,\n"
        "ill-treatment,fr,torture,deprecated,,\n"
        "new-concept,fr,nouveau,preferred,,\n",
        "utf-8",
    )
    result = cli("-C", str(project), "glossary", "lint")
    assert result.exit_code == 1
    assert "glossary/bad.csv:3: error: duplicate of line 2" in result.output
    assert (
        "glossary/bad.csv:4: error: fr 'torture' is deprecated (ill-treatment) and preferred"
        in result.output
    )
    assert "glossary/bad.csv:5: warning: concept 'new-concept' has no en term" in result.output
    assert "concept 'new-concept' has no preferred es term" in result.output


def test_check_list_includes_the_glossary_checks(cli) -> None:
    result = cli("check", "--list")
    for check_id in ("glossary-missing", "glossary-deprecated", "glossary-dnt"):
        assert check_id in result.output
