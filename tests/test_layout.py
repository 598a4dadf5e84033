"""Living beside Weblate: an entry nobody changes keeps the bytes another tool wrote.

Weblate saves PO files through translate-toolkit (3.16.3 in Weblate 5.14.3,
the version pinned in the test extras), which breaks lines differently from
msgcat and rewrites the header. These tests save the bundled catalogues
with translate-toolkit itself, then run our stages over them.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import gettext_or_skip
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from translate.storage import pypo

from uai18n.cli import main
from uai18n.po import dumps, parse_catalog, read_catalog, write_catalog
from uai18n.po.layout import entry_texts

FR = "po/fr/ua-2-19-chechnya.po"

# What translators type that translate-toolkit and msgcat break differently
# (the cases the issue lists: an em dash before d’, CJK, a tab, a space
# before "(", a narrow no-break space before "?").
TRICKY = [
    "Au moins 40 personnes ont été détenues arbitrairement — d’après « nos sources » — "
    "et torturées en Tchétchénie (une république du sud de la Russie)\u202f?",
    "据报道，车臣当局自2018年12月底以来在该共和国发起了新一轮恐同袭击，至少40人遭到任意拘留和酷刑，"
    "其中至少两人死亡。",
    "Les autorités\tont détruit les passeports de ces personnes, ce qui les empêchera "
    "(à l’avenir) de fuir la Tchétchénie.",
]


def weblate_save(path: Path, edits: dict[int, str]) -> None:
    """Save ``path`` as Weblate does: translate-toolkit's PO writer, with
    unit ``index`` given a new translation and a Weblate-style header."""
    store = pypo.pofile.parsestring(path.read_bytes())
    units = [unit for unit in store.units if not unit.isheader()]
    for index, text in edits.items():
        units[index].target = text
    store.updateheader(
        add=True,
        PO_Revision_Date="2026-12-05 16:24+0000",
        Last_Translator="Ana Pérez <ana@example.org>",
        Language_Team="French <https://weblate.example.org/projects/ua/ua-2-19/fr/>",
        X_Generator="Weblate 5.14.3",
    )
    header = store.header()
    header.target = header.target.replace("plural=(n > 1);", "plural=n > 1;")
    path.write_bytes(bytes(store))


@pytest.fixture
def weblate_edited(project: Path) -> Path:
    """The bundled project after Weblate saved three tricky French edits."""
    main(["-C", str(project), "run"], standalone_mode=False)
    weblate_save(project / FR, dict(zip((4, 9, 14), TRICKY, strict=True)))
    return project


def test_translate_toolkit_wraps_the_tricky_edits_unlike_msgcat(weblate_edited: Path) -> None:
    """The premise: without keeping layout, our writer would change these lines."""
    text = (weblate_edited / FR).read_text("utf-8")
    assert dumps(parse_catalog(text, FR)) != text


def test_run_after_a_weblate_commit_changes_no_byte(weblate_edited: Path) -> None:
    before = (weblate_edited / FR).read_bytes()
    main(["-C", str(weblate_edited), "run"], standalone_mode=False)
    main(["-C", str(weblate_edited), "update"], standalone_mode=False)
    assert (weblate_edited / FR).read_bytes() == before


def test_review_and_pretranslate_rewrite_only_what_they_change(weblate_edited: Path) -> None:
    path = weblate_edited / FR
    before = path.read_text("utf-8")
    entry = read_catalog(path)[0]
    main(
        ["-C", str(weblate_edited), "review", "--lang", "fr", "--by", "Ana", "--entry",
         entry.msgid],
        standalone_mode=False,
    )  # fmt: skip
    after = path.read_text("utf-8")
    assert "# reviewed: Ana " in after
    removed = [line for line in before.splitlines() if line not in after.splitlines()]
    assert removed == []  # only lines added: the sign-off; the tricky edits kept their breaks
    main(["-C", str(weblate_edited), "pretranslate", "--memory-only"], standalone_mode=False)
    assert path.read_text("utf-8") == after


def test_a_changed_source_rewrites_that_entry_only(weblate_edited: Path) -> None:
    """A new source sentence is merged (fuzzy, previous msgid) in msgcat's form;
    every entry the change does not touch keeps translate-toolkit's text."""
    path = weblate_edited / FR
    before = entry_texts(path.read_text("utf-8"), FR)
    assert len(before) >= 2  # two tricky edits are broken unlike msgcat
    assert not any("a republic in the south" in text for text in before.values())
    source = weblate_edited / "source" / "ua-2-19-chechnya.txt"
    text = source.read_text("utf-8")
    source.write_text(text.replace("a republic in the south of Russia", "a Russian republic"))
    main(["-C", str(weblate_edited), "run"], standalone_mode=False)
    after_text = path.read_text("utf-8")
    kept = [written for written in before.values() if written in after_text]
    assert len(kept) == len(before)
    changed = next(entry for entry in read_catalog(path) if entry.previous_msgid)
    assert "fuzzy" in changed.flags and "a Russian republic" in changed.msgid


def test_msgfmt_accepts_what_weblate_and_update_leave(weblate_edited: Path, tmp_path: Path) -> None:
    msgfmt = gettext_or_skip("msgfmt")
    main(["-C", str(weblate_edited), "run"], standalone_mode=False)
    run = subprocess.run(
        [msgfmt, "-c", "-o", "/dev/null", str(weblate_edited / FR)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr


def test_a_file_in_msgcat_form_is_written_as_before(project: Path) -> None:
    """For files we wrote, keeping layout is the plain msgcat rewrite."""
    main(["-C", str(project), "run"], standalone_mode=False)
    for path in sorted((project / "po").glob("*/*.po")):
        text = path.read_text("utf-8")
        assert entry_texts(text, str(path)) == {}
        assert dumps(parse_catalog(text, str(path))) == text


# --------------------------------------------------------------------------
# The property: any edit saved by translate-toolkit survives update.

TEXT = st.text(
    alphabet=st.sampled_from([*"abc déf — ’«» ()?!:;\t中文字符，。", "\u202f", "\u00a0"]),
    min_size=1,
    max_size=160,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edits=st.dictionaries(st.integers(0, 33), TEXT, min_size=1, max_size=6))
def test_update_keeps_every_translate_toolkit_save(
    bundled_po: Path, tmp_path_factory: pytest.TempPathFactory, edits: dict[int, str]
) -> None:
    folder = tmp_path_factory.mktemp("weblate")
    path = folder / "fr.po"
    shutil.copyfile(bundled_po, path)
    weblate_save(path, edits)
    saved = path.read_bytes()
    catalog = read_catalog(path)
    write_catalog(path, catalog)
    assert path.read_bytes() == saved


@pytest.fixture
def bundled_po(project: Path) -> Path:
    return project / FR
