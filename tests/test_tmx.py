"""TMX import/export: round trips, other tools' files, and every way a file can be bad."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from uai18n.errors import UserError
from uai18n.pretranslate.tmx import TranslationUnit, read_tmx, write_tmx

# XML 1.0 can carry every character but C0 controls (tab, LF, CR aside),
# lone surrogates and U+FFFE/U+FFFF.
_XML_CHARACTERS = st.characters(
    exclude_categories=("Cs", "Cc"),
    include_characters="\t\n\r",
    exclude_characters="\ufffe\uffff",
)
# Characters that break naive XML, RTL text, bidi controls, emoji.
_TRICKY = st.sampled_from(
    ["<", ">", "&", '"', "'", "]]>", "&amp;", "ש", "ل", "\u202b", "🙂", "👩🏽‍⚖️"]
)
_TEXT = st.lists(st.one_of(_XML_CHARACTERS, _TRICKY), max_size=20).map("".join)
_TARGETS = st.sampled_from(["fr", "pt_BR", "ar", "zh_Hant", "uk", "fa", "sr_Cyrl_RS"])
_UNITS = st.lists(
    st.builds(TranslationUnit, st.just("en"), _TEXT, _TARGETS, _TEXT, _TEXT), max_size=5
)


@settings(max_examples=150, deadline=None)
@given(units=_UNITS)
def test_write_then_read_gives_back_the_units(units: list[TranslationUnit]) -> None:
    data = write_tmx(units, "en", "0.1.0")
    assert read_tmx(data, "m.tmx", "en") == units
    assert write_tmx(units, "en", "0.1.0") == data  # same units, same bytes


def test_written_tmx_is_tmx_14b() -> None:
    units = [TranslationUnit("en", "Write <b>now</b> & then", "pt_BR", "Escreva já", "po/x.po:3")]
    data = write_tmx(units, "en", "1.2.3")
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n<tmx version=\"1.4\">")
    text = data.decode("utf-8")
    assert (
        '<header creationtool="uai18n" creationtoolversion="1.2.3" datatype="plaintext"'
        ' segtype="sentence" adminlang="en" srclang="en" o-tmf="PO"/>'
    ) in text
    assert '<prop type="x-origin">po/x.po:3</prop>' in text
    assert '<tuv xml:lang="pt-BR">' in text
    assert "<seg>Write &lt;b&gt;now&lt;/b&gt; &amp; then</seg>" in text
    assert "creationdate" not in text


def test_gettext_modifiers_become_bcp47_scripts() -> None:
    data = write_tmx([TranslationUnit("en", "a", "sr@latin", "b")], "en", "0")
    assert b'<tuv xml:lang="sr-Latn">' in data
    assert read_tmx(data, "m.tmx", "en")[0].target_lang == "sr_Latn"


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (
            TranslationUnit("en", "ok", "fr", "bad\x01", "po/fr/ua.po:7"),
            "unit 2 (po/fr/ua.po:7): target",
        ),
        (TranslationUnit("en", "bad\x0b", "fr", "ok"), "unit 2: source: character U+000B"),
        (TranslationUnit("en", "lone \ud800", "fr", "ok"), "unit 2: source: character U+D800"),
        (
            TranslationUnit("en", "ok", "fr", "ok", "\uffff"),
            "unit 2 ('\\uffff'): origin: character U+FFFF",
        ),
        (TranslationUnit("de", "ok", "fr", "ok"), "unit 2: source language 'de', expected 'en'"),
        (TranslationUnit("en", "ok", "klingon", "ok"), "unit 2: 'klingon' is not a language code"),
        (
            TranslationUnit("en", "ok", "ca@valencia", "ok", "x.po:1"),
            "unit 2 (x.po:1): no BCP 47 spelling for language code 'ca@valencia'",
        ),
    ],
)
def test_write_refuses_what_tmx_cannot_hold(unit: TranslationUnit, expected: str) -> None:
    fine = TranslationUnit("en", "fine", "fr", "bien")
    with pytest.raises(UserError) as caught:
        write_tmx([fine, unit], "en", "0")
    assert str(caught.value).startswith(expected)


OMEGAT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OmegaT" creationtoolversion="6.0.0" datatype="html" segtype="sentence"
    adminlang="EN-US" srclang="EN" o-tmf="OmegaT TMX"/>
  <body>
    <tu tuid="1">
      <tuv xml:lang="EN"><seg>Write to <bpt i="1" x="1">&lt;b&gt;</bpt>the Minister<ept i="1"
        >&lt;/b&gt;</ept> before {deadline}.</seg></tuv>
      <tuv xml:lang="FR"><seg>Écrivez <bpt i="1" x="1">&lt;b&gt;</bpt>au ministre<ept i="1"
        >&lt;/b&gt;</ept> avant le {deadline}.</seg></tuv>
    </tu>
    <tu>
      <tuv lang="en"><seg><ph x="1">&lt;br/&gt;</ph> <hi type="b">Urgent</hi> <it
        pos="begin">&lt;i&gt;</it>now</seg></tuv>
      <tuv lang="pt-br"><seg><ph x="1">&lt;br/&gt;</ph> <hi type="b">Urgente</hi> <it
        pos="begin">&lt;i&gt;</it>já</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="fr"><seg>Seulement en français</seg></tuv>
      <tuv xml:lang="de"><seg>Nur Französisch und Deutsch</seg></tuv>
    </tu>
    <tu srclang="fr">
      <tuv xml:lang="fr"><seg>Dans l'autre sens</seg></tuv>
      <tuv xml:lang="en"><seg>The other way round</seg></tuv>
    </tu>
    <tu>
      <prop type="x-origin">po/ar/ua.po:12</prop>
      <tuv xml:lang="en"><seg>  Spaces  and
 lines  stay </seg></tuv>
      <tuv xml:lang="ar"><seg>نص</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def test_reads_another_tools_tmx_with_inline_codes() -> None:
    assert read_tmx(OMEGAT.encode(), "omegat.tmx", "en") == [
        TranslationUnit(
            "en",
            "Write to <b>the Minister</b> before {deadline}.",
            "fr",
            "Écrivez <b>au ministre</b> avant le {deadline}.",
            "omegat.tmx:7",
        ),
        TranslationUnit(
            "en", "<br/> Urgent <i>now", "pt_BR", "<br/> Urgente <i>já", "omegat.tmx:13"
        ),
        # no English tuv: skipped; srclang="fr": translates the other way, skipped
        TranslationUnit("en", "  Spaces  and\n lines  stay ", "ar", "نص", "po/ar/ua.po:12"),
    ]


def test_srclang_all_lets_any_tuv_be_the_source_and_a_tu_have_many_targets() -> None:
    data = b"""<tmx version="1.4"><header srclang="*all*" adminlang="en" datatype="plaintext"
  segtype="sentence" o-tmf="x" creationtool="x" creationtoolversion="1"/><body>
<tu><tuv xml:lang="de"><seg>Freiheit</seg></tuv><tuv xml:lang="en"><seg>Freedom</seg></tuv>
<tuv xml:lang="fr"><seg>Libert\xc3\xa9</seg></tuv><tuv xml:lang="es"><seg>Libertad</seg></tuv></tu>
<tu srclang="de"><tuv xml:lang="de"><seg>Haft</seg></tuv><tuv xml:lang="en"><seg>Detention</seg>
</tuv></tu>
</body></tmx>"""
    units = read_tmx(data, "all.tmx", "en")
    assert [(u.source, u.target_lang, u.target, u.origin) for u in units] == [
        ("Freedom", "de", "Freiheit", "all.tmx:3"),
        ("Freedom", "fr", "Liberté", "all.tmx:3"),
        ("Freedom", "es", "Libertad", "all.tmx:3"),
    ]
    assert read_tmx(data, "all.tmx", "de")[-1] == TranslationUnit(
        "de", "Haft", "en", "Detention", "all.tmx:5"
    )


HEAD = '<tmx version="1.4"><header srclang="en"/>'


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("<tmx>\n<header/>\n<body>\n</tmx>", "m.tmx:4: not well-formed XML: "),
        ("", "m.tmx:1: not well-formed XML: "),
        ("<martif/>", "m.tmx:1: root element <martif>, expected <tmx>"),
        ("<x:tmx xmlns:x='urn:x'/>", "m.tmx:1: root element <{urn:x}tmx>, expected <tmx>"),
        ("\n<tmx><body/></tmx>", "m.tmx:2: no <header> element"),
        ("<tmx>\n<header/></tmx>", "m.tmx:1: no <body> element"),
        (
            HEAD + "<body>\n<tu><tuv><seg>x</seg></tuv></tu></body></tmx>",
            "m.tmx:2: <tuv> without xml:lang",
        ),
        (
            HEAD + "<body><tu>\n<tuv xml:lang='en'><note>x</note></tuv></tu></body></tmx>",
            "m.tmx:2: <tuv> without <seg>",
        ),
        (
            HEAD + "<body><tu>\n\n<tuv xml:lang='klingon'><seg>x</seg></tuv></tu></body></tmx>",
            "m.tmx:3: 'klingon' is not a language code",
        ),
        (
            HEAD + "<body><tu>\n<tuv xml:lang='xx'><seg>x</seg></tuv></tu></body></tmx>",
            "m.tmx:2: unknown language code 'xx' (not in CLDR)",
        ),
        (
            HEAD + "<body><tu>\n<tuv xml:lang='../../etc'><seg>x</seg></tuv></tu></body></tmx>",
            "m.tmx:2: '../../etc' is not a language code",
        ),
        ('<tmx>\n<header srclang="english"/><body/></tmx>', "m.tmx:2: 'english' is not a"),
        (
            HEAD + '<body>\n<tu srclang="e n"><tuv xml:lang="en"><seg/></tuv></tu></body></tmx>',
            "m.tmx:2: 'e n' is not a language code",
        ),
        (
            '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY a "aaaa">\n]>\n'
            + HEAD
            + "<body/></tmx>",
            "m.tmx:3: entity 'a' declared: refused",
        ),
        (
            '<!DOCTYPE tmx [\n\n<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">]>\n'
            + HEAD
            + "<body/></tmx>",
            "m.tmx:3: external entity 'p' declared: refused",
        ),
        (
            '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'
            + HEAD
            + "<body><tu>\n<tuv xml:lang='en'><seg>&nbsp;</seg></tuv></tu></body></tmx>",
            "m.tmx:3: entity reference &nbsp; refused",
        ),
    ],
)
def test_bad_tmx_names_file_and_line(data: str, expected: str) -> None:
    with pytest.raises(UserError) as caught:
        read_tmx(data.encode(), "m.tmx", "en")
    assert str(caught.value).startswith(expected)


def test_entity_expansion_bomb_is_refused() -> None:
    data = """<?xml version="1.0"?>
<!DOCTYPE tmx [
  <!ENTITY a "aaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<tmx><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&b;</seg></tuv></tu></body></tmx>
"""
    with pytest.raises(UserError, match=r"^m\.tmx:3: entity 'a' declared: refused"):
        read_tmx(data.encode(), "m.tmx", "en")


def _tmx_using(doctype: str, reference: str) -> bytes:
    return f"""<?xml version="1.0"?>
{doctype}
<tmx version="1.4"><header srclang="en"/><body><tu>
<tuv xml:lang="en"><seg>{reference}</seg></tuv><tuv xml:lang="fr"><seg>x</seg></tuv>
</tu></body></tmx>
""".encode()


def test_external_entities_never_read_local_files(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", "utf-8")
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "TOP-SECRET">', "utf-8")
    attempts = {
        "general": _tmx_using(f'<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file://{secret}">]>', "&xxe;"),
        "parameter": _tmx_using(
            f'<!DOCTYPE tmx [<!ENTITY % xxe SYSTEM "file://{dtd}"> %xxe;]>', "&leak;"
        ),
        "external subset": _tmx_using(f'<!DOCTYPE tmx SYSTEM "file://{dtd}">', "&leak;"),
    }
    expected = {
        "general": "m.tmx:2: external entity 'xxe' declared: refused",
        "parameter": "m.tmx:2: external entity 'xxe' declared: refused",
        "external subset": "m.tmx:4: entity reference &leak; refused",
    }
    for name, data in attempts.items():
        with pytest.raises(UserError) as caught:
            read_tmx(data, "m.tmx", "en")
        assert str(caught.value) == expected[name], name
        assert "TOP-SECRET" not in str(caught.value)


def test_an_external_dtd_alone_is_fine_and_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "tmx14.dtd"
    dtd.write_text('<!ATTLIST seg leak CDATA "TOP-SECRET">', "utf-8")
    data = _tmx_using(f'<!DOCTYPE tmx SYSTEM "file://{dtd}">', "Free them")
    units = read_tmx(data, "m.tmx", "en")
    assert units == [TranslationUnit("en", "Free them", "fr", "x", "m.tmx:3")]
    assert "TOP-SECRET" not in repr(units)
