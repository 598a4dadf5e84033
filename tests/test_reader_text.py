"""The PDF-extracted text reader: layout rules and roles on several UAs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import BUNDLED_UA, UA_DIR

from uai18n.errors import UserError
from uai18n.model import Document, LineKind, Role
from uai18n.readers import ua
from uai18n.readers.html import read_html
from uai18n.readers.text import (
    Line,
    ends_paragraph,
    ends_sentence,
    next_word_would_fit,
    paragraphs_of,
    read_text,
)
from uai18n.readers.ua import is_contact, is_heading, is_title_line, is_verbatim_value
from uai18n.segment import split_sentences

CASES = sorted(path.name.removesuffix(".expected.json") for path in UA_DIR.glob("*.expected.json"))


def _read(stem: str) -> Document:
    path = BUNDLED_UA if stem == BUNDLED_UA.stem else UA_DIR / f"{stem}.txt"
    return read_text(path.read_text("utf-8"), doc_id=stem, source_path=path.name, language="en")


def _as_expected(document: Document) -> list[dict]:
    """The document in the schema of the hand-written *.expected.json files."""
    blocks: list[dict] = []
    for block in document.blocks:
        if block.role is Role.ADDRESSEE:
            lines = []
            for line in block.lines:
                if line.kind is LineKind.CONTACT:
                    value = line.value.text if line.value else line.verbatim
                    lines.append({"kind": "contact", "label": line.label.text, "value": value})
                else:
                    text = line.label.text if line.label else line.verbatim
                    lines.append({"kind": line.kind.value, "text": text})
            blocks.append({"role": "addressee", "lines": lines})
            continue
        text = block.text
        for variable in block.variables:
            text = text.replace("{" + variable.name + "}", variable.source_text)
        blocks.append({"role": block.role.value, "text": text})
    return blocks


@pytest.mark.parametrize("stem", CASES)
def test_roles_and_paragraphs_match_hand_annotation(stem: str) -> None:
    expected = json.loads((UA_DIR / f"{stem}.expected.json").read_text("utf-8"))["blocks"]
    assert _as_expected(_read(stem)) == expected


def test_cases_cover_the_layout_variants() -> None:
    assert len(CASES) >= 5  # the bundled UA and four composed ones


def test_bundled_ua_variables_keep_date_and_language_codes() -> None:
    document = _read(BUNDLED_UA.stem)
    variables = document.variables()
    assert str(variables["deadline"].date) == "2019-05-17"
    assert variables["languages"].languages == ("ru", "en")
    msgids = [segment.text for segment in document.segments()]
    assert "PLEASE TAKE ACTION AS SOON AS POSSIBLE UNTIL: {deadline}" in msgids
    assert "PREFERRED LANGUAGE TO ADDRESS TARGET: {languages}" in msgids


def test_verbatim_addressee_text_never_becomes_a_msgid() -> None:
    msgids = {segment.text for segment in _read(BUNDLED_UA.stem).segments()}
    for verbatim in (
        "Vladimir Putin",
        "Ul. Ilyinka, 23",
        "103132 Moscow",
        "+7 495 9102134",
    ):
        assert not any(verbatim in msgid for msgid in msgids)
    assert {"President of the Russian Federation", "Twitter:", "Fax:"} <= msgids


def test_sentence_references_point_at_the_line_where_each_sentence_starts() -> None:
    document = _read(BUNDLED_UA.stem)
    lines = BUNDLED_UA.read_text("utf-8").splitlines()
    for segment in document.segments():
        if "{" in segment.text:
            continue
        first_words = " ".join(segment.text.split()[:2])
        assert (
            first_words in lines[segment.line - 1]
            or segment.text.split()[0] in lines[segment.line - 1]
        )


def test_paragraph_mode_gives_one_segment_per_paragraph() -> None:
    text = BUNDLED_UA.read_text("utf-8")
    document = read_text(text, doc_id="x", source_path="x", language="en", segment_mode="paragraph")
    letters = [block for block in document.blocks if block.role is Role.LETTER]
    assert [len(block.segments) for block in letters] == [1, 1, 1, 1]
    assert letters[0].segments[0].place == "letter, paragraph 1"


# --- the named layout rules ------------------------------------------------------


def test_is_heading() -> None:
    assert is_heading("ADDITIONAL INFORMATION")
    assert is_heading("HOMOPHOBIC CRACKDOWN IN CHECHNYA RESUMES")
    assert not is_heading("Dear President,")
    assert not is_heading("23")


def test_ends_sentence_accepts_closing_quotes() -> None:
    assert ends_sentence("was closed.")
    assert ends_sentence("a crime.”")
    assert ends_sentence("really?")
    assert not ends_sentence("the authorities in")


def test_next_word_would_fit() -> None:
    assert next_word_would_fit("short line.", "Around 40", 117)
    assert not next_word_would_fit("x" * 114 + ".", "Around", 117)


def test_ends_paragraph_needs_sentence_end_and_room() -> None:
    width = 117
    full = Line(1, "a" * 110 + " in")
    assert not ends_paragraph(full, Line(2, "of Argun"), width)
    early = Line(1, "a" * 100 + " Chechnya.")
    assert ends_paragraph(early, Line(2, "Around 40 people"), width)
    # a full line that happens to end with an abbreviation does not end a paragraph
    abbreviation = Line(1, "b" * 111 + " Dr.")
    assert not ends_paragraph(abbreviation, Line(2, "Farghaly said"), width)


def test_heading_wrapped_over_two_lines_is_one_title() -> None:
    region = [
        Line(1, "A VERY LONG TITLE ABOUT"),
        Line(2, "SOMETHING"),
        Line(3, "Text here."),
    ]
    assert [p.text for p in paragraphs_of(region)] == [
        "A VERY LONG TITLE ABOUT SOMETHING",
        "Text here.",
    ]


def test_contact_and_title_rules() -> None:
    assert is_contact("Fax: +7 495 9102134")
    assert is_contact("Salutation: Dear Counsellor,")
    assert not is_contact("https://example.org/x")
    assert is_verbatim_value("@KremlinRussia")
    assert is_verbatim_value("info@example.org")
    assert not is_verbatim_value("Dear Counsellor,")
    assert is_title_line("President of the Russian Federation")
    assert is_title_line("Public Prosecutor")
    assert not is_title_line("Counsellor Hany Mahmoud Shehata")
    assert not is_title_line("Vladimir Putin")


def test_unreadable_deadline_is_an_error_naming_the_line() -> None:
    text = BUNDLED_UA.read_text("utf-8").replace("17 May 2019", "sometime soon")
    with pytest.raises(UserError) as error:
        read_text(text, doc_id="x", source_path="source/x.txt", language="en")
    assert str(error.value).startswith("source/x.txt:57: cannot read the deadline date")


def test_unknown_preferred_language_is_an_error() -> None:
    text = BUNDLED_UA.read_text("utf-8").replace("RUSSIAN, ENGLISH", "RUSSIAN, KLINGONESE")
    with pytest.raises(UserError, match=r"source/x.txt:55: unknown language name"):
        read_text(text, doc_id="x", source_path="source/x.txt", language="en")


def test_empty_document_is_an_error() -> None:
    with pytest.raises(UserError, match="the document has no text"):
        read_text("\n\n", doc_id="x", source_path="source/x.txt", language="en")


def test_missing_salutation_is_an_error() -> None:
    text = BUNDLED_UA.read_text("utf-8").replace("Dear President,", "Hello President")
    with pytest.raises(UserError, match="no salutation line"):
        read_text(text, doc_id="x", source_path="source/x.txt", language="en")


# --- the Urgent Action check (one definition for text, HTML and Word) ----------------


def test_a_text_that_is_not_an_urgent_action_says_what_is_missing() -> None:
    minutes = "MINUTES OF THE BOARD\n\nWe discussed the budget. It was approved.\n"
    with pytest.raises(UserError) as caught:
        read_text(minutes, doc_id="x", source_path="source/x.txt", language="en")
    assert str(caught.value) == (
        "source/x.txt: not an Urgent Action layout: missing the call to action "
        "('TAKE ACTION ...'), the salutation ('Dear ...,'), the model letter, "
        "the closing ('Yours sincerely,')"
    )


def test_a_text_without_the_closing_is_refused() -> None:
    text = BUNDLED_UA.read_text("utf-8").replace("Yours sincerely,", "Thank you for reading.")
    with pytest.raises(UserError) as caught:
        read_text(text, doc_id="x", source_path="source/x.txt", language="en")
    assert str(caught.value) == (
        "source/x.txt: not an Urgent Action layout: missing the closing ('Yours sincerely,')"
    )


def test_every_reader_uses_the_one_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """HTML and text refuse through readers.ua.REQUIRED, not copies of it."""
    monkeypatch.setitem(ua.REQUIRED, Role.BACKGROUND, "the additional information")
    with pytest.raises(UserError, match="missing the additional information"):
        _read("ua-short-minimal")  # it has no background section
    html = (UA_DIR.parent / "html" / "ua-5-19-defender.html").read_text("utf-8")
    read_html(html, doc_id="x", source_path="x.html", language="en")  # it has one


def test_a_text_source_that_is_not_a_ua_is_bad_input_and_nothing_is_written(
    project: Path, cli
) -> None:
    (project / "source" / "minutes.txt").write_text(
        "MINUTES OF THE BOARD\n\nWe discussed the budget. It was approved.\n", "utf-8"
    )
    before = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    result = cli("-C", str(project), "run")
    assert result.exit_code == 2
    assert result.output == (
        "uai18n: source/minutes.txt: not an Urgent Action layout: missing the call to action "
        "('TAKE ACTION ...'), the salutation ('Dear ...,'), the model letter, "
        "the closing ('Yours sincerely,')\n"
    )
    after = {path: path.read_bytes() for path in project.rglob("*") if path.is_file()}
    assert after == before


# --- segmentation: abbreviations of numbering -----------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "See General Comment No. 24, para. 12, and Art. 5.",
            "en",
            ["See General Comment No. 24, para. 12, and Art. 5."],
        ),
        ("See paras. 10-12 and Arts. 5 and 6.", "en", ["See paras. 10-12 and Arts. 5 and 6."]),
        ("This is stated in para. 4 of the decision.", "fr", None),
        ("See pp. 12-14 of the report.", "pt", None),
        ("See pp. 12-14 of the report.", "ru", None),
        ("General Comment no. 24 applies.", "fr", None),
        ("Under General Comment No. 24 it applies.", "en", None),
        ("The Committee (para. 12) agreed.", "en", None),
        ("See <i>para.</i> 12 of it.", "en", None),
        ("Ward No. 12 of Tora Prison.", "en", None),
        # no number after it: the end of a sentence like any word
        (
            "The answer was No. The motion failed.",
            "en",
            ["The answer was No.", "The motion failed."],
        ),
        ("She said no. That was all.", "en", ["She said no.", "That was all."]),
        # the other rules still hold
        ("A. M. Hassan was held at Ul. Ilyinka, 23.", "en", None),
        ("He was arrested. He was released.", "en", ["He was arrested.", "He was released."]),
    ],
)
def test_an_abbreviation_of_numbering_before_a_number_does_not_end_a_sentence(
    text: str, language: str, expected: list[str] | None
) -> None:
    assert split_sentences(text, language) == (expected or [text])


def test_project_abbreviations_still_never_end_a_sentence() -> None:
    text = "Write to him at Pr. Mira, 12. He is in charge."
    assert split_sentences(text, "en") == ["Write to him at Pr.", "Mira, 12.", "He is in charge."]
    assert split_sentences(text, "en", ("Pr.",)) == [
        "Write to him at Pr. Mira, 12.",
        "He is in charge.",
    ]


def test_a_letter_citing_general_comment_no_24_keeps_the_reference_in_one_segment() -> None:
    text = BUNDLED_UA.read_text("utf-8")
    assert "Dear President," in text
    cited = (
        "Dear President,\nAs General Comment No. 24 of the Committee, para. 12, makes clear, "
        "this is binding. "
    )
    document = read_text(
        text.replace("Dear President,\n", cited, 1),
        doc_id="x",
        source_path="x",
        language="en",
    )
    msgids = [segment.text for segment in document.segments()]
    assert (
        "As General Comment No. 24 of the Committee, para. 12, makes clear, this is binding."
        in msgids
    )
