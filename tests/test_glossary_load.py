"""Loading the glossary: CSV and TBX forms, and every way a file can be bad."""

from __future__ import annotations

from pathlib import Path

import pytest

from uai18n.errors import UserError
from uai18n.glossary.load import Status, load_glossary, read_csv, read_tbx

HEADER = "concept,lang,term,status,pos,note\n"


def test_csv_rows_become_terms_with_their_lines() -> None:
    data = (
        HEADER
        + "enforced-disappearance,en,enforced disappearance,preferred,noun,\n"
        + 'human-rights,fr,droits de l\'homme,deprecated,noun,"Amnesty: ""droits\nhumains"""\n'
        + "osce,pt-BR,OSCE,dnt,,\n"
    ).encode()
    terms = read_csv(data, "g.csv")
    assert [(t.concept, t.lang, t.text, t.status, t.line) for t in terms] == [
        ("enforced-disappearance", "en", "enforced disappearance", Status.PREFERRED, 2),
        ("human-rights", "fr", "droits de l'homme", Status.DEPRECATED, 3),
        ("osce", "pt_BR", "OSCE", Status.DNT, 5),  # after a two-line quoted note
    ]
    assert terms[1].note == 'Amnesty: "droits\nhumains"'


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("concept,lang,term,status,note\n", "g.csv:1: missing column(s) pos"),
        ("concept,lang,term,status,pos,note,x\n", "g.csv:1: unknown column(s) x"),
        ("lang,concept,term,status,pos,note\n", "g.csv:1: columns out of order"),
        ("", "g.csv:1: empty file"),
        (HEADER + "a,fr,terme,preferred,,\nb,xx-Q,terme,preferred,,\n", "g.csv:3: "),
        (HEADER + "a,fr,terme,preferred,,\nb,klingon,t,preferred,,\n", "g.csv:3: 'klingon'"),
        (HEADER + "a,fr,terme,favourite,,\n", "g.csv:2: unknown status 'favourite'"),
        (HEADER + "a,fr,terme,preferred\n", "g.csv:2: 4 fields, expected 6"),
        (HEADER + "a,fr,,preferred,,\n", "g.csv:2: concept 'a': empty term"),
        (HEADER + ",fr,t,preferred,,\n", "g.csv:2: empty concept id"),
    ],
)
def test_bad_csv_names_file_and_line(data: str, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        read_csv(data.encode(), "g.csv")
    assert str(caught.value).startswith(expected)


def test_csv_not_utf8_names_the_line() -> None:
    with pytest.raises(UserError, match=r"^g\.csv:3: not UTF-8"):
        read_csv(
            (HEADER + "a,fr,t,preferred,,\nb,fr,d\xe9,preferred,,\n").encode("latin-1"), "g.csv"
        )


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en">
  <martifHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="enforced-disappearance">
      <langSet xml:lang="en"><tig><term>enforced disappearance</term>
        <termNote type="partOfSpeech">noun</termNote>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig></langSet>
      <langSet xml:lang="de">
        <tig><term>Verschwindenlassen</term>
          <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          <note>ICPPED German text</note></tig>
        <ntig><termGrp><term>erzwungenes Verschwinden</term>
          <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termGrp></ntig>
      </langSet>
    </termEntry>
    <termEntry id="osce">
      <langSet xml:lang="fr"><tig><term>OSCE</term>
        <termNote type="translationNote">no</termNote></tig></langSet>
    </termEntry>
  </body></text>
</martif>
"""

TBX3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader><fileDesc><sourceDesc><p>test</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="torture">
      <langSec xml:lang="ru"><termSec><term>пытка</term>
        <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx2_basic() -> None:
    terms = read_tbx(TBX2.encode(), "g.tbx")
    assert [(t.concept, t.lang, t.text, t.status) for t in terms] == [
        ("enforced-disappearance", "en", "enforced disappearance", Status.PREFERRED),
        ("enforced-disappearance", "de", "Verschwindenlassen", Status.PREFERRED),
        ("enforced-disappearance", "de", "erzwungenes Verschwinden", Status.DEPRECATED),
        ("osce", "fr", "OSCE", Status.DNT),
    ]
    assert terms[0].pos == "noun" and terms[1].note == "ICPPED German text"
    assert terms[2].line == 13


def test_tbx3_basic() -> None:
    [term] = read_tbx(TBX3.encode(), "g.tbx")
    assert (term.concept, term.lang, term.text, term.status) == (
        "torture",
        "ru",
        "пытка",
        Status.ADMITTED,
    )


def test_external_entity_is_refused_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    data = f"""<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY xxe SYSTEM "file://{secret}">
]>
<martif><text><body><termEntry id="a"><langSet xml:lang="en">
<tig><term>&xxe;</term></tig></langSet></termEntry></body></text></martif>
"""
    with pytest.raises(UserError) as caught:
        read_tbx(data.encode(), "g.tbx")
    assert str(caught.value) == "g.tbx:3: external entity 'xxe' declared: refused"
    assert "TOP-SECRET" not in str(caught.value)


def test_entity_expansion_bomb_is_refused() -> None:
    data = """<?xml version="1.0"?>
<!DOCTYPE martif [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&b;</term></tig>
</langSet></termEntry></body></text></martif>
"""
    with pytest.raises(UserError, match=r"^g\.tbx:3: entity 'a' declared: refused"):
        read_tbx(data.encode(), "g.tbx")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<martif><text><body><termEntry>", "g.tbx:1: not well-formed XML"),
        ("<glossary/>", "g.tbx:1: root element <glossary>, expected <martif> or <tbx>"),
        ("<martif>\n<text/></martif>", "g.tbx:1: no <text><body> element"),
        ("<martif><text><body>\n</body></text></martif>", "g.tbx:1: no <termEntry>"),
        (
            "<martif><text><body><termEntry>\n<langSet><tig><term>x</term></tig></langSet>"
            "</termEntry></body></text></martif>",
            "g.tbx:2: <langSet> without xml:lang",
        ),
        (
            "<martif><text><body><termEntry><langSet xml:lang='en'>\n<tig><note>n</note></tig>"
            "</langSet></termEntry></body></text></martif>",
            "g.tbx:2: <tig> without a <term>",
        ),
        (
            "<martif><text><body><termEntry><langSet xml:lang='en'><tig><term>x</term>\n"
            "<termNote type='administrativeStatus'>maybe</termNote></tig>"
            "</langSet></termEntry></body></text></martif>",
            "g.tbx:2: unknown administrativeStatus 'maybe'",
        ),
        (
            "<martif><text><body><termEntry><langSet xml:lang='zz-top'><tig><term>x</term>"
            "</tig></langSet></termEntry></body></text></martif>",
            "g.tbx:1: 'zz-top' is not a language code",
        ),
    ],
)
def test_bad_tbx_names_file_and_line(data: str, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        read_tbx(data.encode(), "g.tbx")
    assert str(caught.value).startswith(expected)


def test_concepts_merge_across_files_and_languages_fall_back_to_base(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(HEADER + "torture,en,torture,preferred,,\n", "utf-8")
    (tmp_path / "b.tbx").write_text(TBX3, "utf-8")
    (tmp_path / "c.csv").write_text(HEADER + "torture,pt,tortura,preferred,,\n", "utf-8")
    (tmp_path / "notes.txt").write_text("not a glossary", "utf-8")
    glossary = load_glossary(tmp_path, "glossary")
    assert sorted(glossary.concepts) == ["torture"]
    assert [t.file for t in glossary.concepts["torture"]] == [
        "glossary/a.csv",
        "glossary/b.tbx",
        "glossary/c.csv",
    ]
    assert [t.text for t in glossary.terms_in("pt_BR")] == ["tortura"]
    assert [t.text for t in glossary.terms_in("ru")] == ["пытка"]


def test_the_shipped_glossary_loads_with_the_concepts_the_issue_lists() -> None:
    glossary = load_glossary(Path(__file__).resolve().parent.parent / "glossary")
    concepts = glossary.concepts
    assert len(concepts) >= 60
    for concept in (
        "enforced-disappearance",
        "prisoner-of-conscience",
        "human-rights-defender",
        "arbitrary-detention",
        "incommunicado-detention",
        "torture-and-other-ill-treatment",
        "fair-trial",
        "death-penalty",
        "lgbti",
        "sexual-orientation",
        "gender-identity",
        "hate-crime",
        "impunity",
        "extrajudicial-execution",
        "freedom-of-expression",
        "freedom-of-peaceful-assembly",
        "freedom-of-association",
        "amnesty-international",
        "osce",
    ):
        languages = {t.lang for t in concepts[concept] if t.status is not Status.DEPRECATED}
        assert {"en", "fr", "es", "ru", "ar", "de", "pt"} <= languages, concept
    fr = {t.text: t.status for t in concepts["human-rights"] if t.lang == "fr"}
    assert fr["droits humains"] is Status.PREFERRED
    assert fr["droits de l'homme"] is Status.DEPRECATED
