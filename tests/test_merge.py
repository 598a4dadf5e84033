"""Update semantics (msgmerge --previous) and the never-lose-work property."""

from __future__ import annotations

import polib
from hypothesis import given, settings
from hypothesis import strategies as st

from uai18n.locales import plural_forms
from uai18n.merge import merge_catalog
from uai18n.po import dumps, parse_catalog
from uai18n.states import forms


def _template(*msgids: str) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {
        "Project-Id-Version": "ua",
        "POT-Creation-Date": "2026-11-26 10:00+0000",
    }
    for index, msgid in enumerate(msgids, 1):
        catalog.append(polib.POEntry(msgid=msgid, occurrences=[("source/ua.txt", str(index))]))
    return catalog


def _by_msgid(catalog: polib.POFile) -> dict[str, polib.POEntry]:
    return {entry.msgid: entry for entry in catalog}


def test_new_catalogue_gets_a_complete_header() -> None:
    merged = merge_catalog(_template("Hello."), None, "ru")
    assert merged.metadata["Language"] == "ru"
    assert merged.metadata["Plural-Forms"].startswith("nplurals=3;")
    assert merged.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_unchanged_msgid_keeps_translation_flags_and_comments() -> None:
    old = merge_catalog(_template("Hello."), None, "fr")
    entry = old[0]
    entry.msgstr = "Bonjour."
    entry.tcomment = "reviewed: Ana 2026-11-26 sha1:1a2b3c4d"
    merged = merge_catalog(_template("Hello.", "New."), old, "fr")
    kept = _by_msgid(merged)["Hello."]
    assert (kept.msgstr, kept.tcomment, kept.fuzzy) == (
        "Bonjour.",
        entry.tcomment,
        False,
    )
    assert _by_msgid(merged)["New."].msgstr == ""


def test_changed_msgid_gets_fuzzy_translation_with_previous_msgid() -> None:
    old = merge_catalog(_template("At least 40 individuals have been detained."), None, "fr")
    old[0].msgstr = "Au moins 40 personnes ont été détenues."
    merged = merge_catalog(_template("At least 45 individuals have been detained."), old, "fr")
    live = [entry for entry in merged if not entry.obsolete]
    assert live[0].fuzzy
    assert live[0].msgstr == "Au moins 40 personnes ont été détenues."
    assert live[0].previous_msgid == "At least 40 individuals have been detained."
    # as msgmerge does: the old entry lives on in the fuzzy one, not also as obsolete
    assert not [entry for entry in merged if entry.obsolete]


def test_unrelated_new_msgid_gets_no_guess() -> None:
    old = merge_catalog(_template("Dear President,"), None, "fr")
    old[0].msgstr = "Monsieur le Président,"
    merged = merge_catalog(_template("The report was issued on 20 December 2018."), old, "fr")
    live = [entry for entry in merged if not entry.obsolete]
    assert live[0].msgstr == "" and not live[0].fuzzy


def test_removed_msgid_becomes_obsolete_and_comes_back() -> None:
    old = merge_catalog(_template("One.", "Two."), None, "fr")
    old[1].msgstr = "Deux."
    gone = merge_catalog(_template("One."), old, "fr")
    assert [(e.msgid, e.obsolete) for e in gone] == [("One.", False), ("Two.", True)]
    back = merge_catalog(_template("One.", "Two."), gone, "fr")
    assert [(e.msgid, e.msgstr, e.obsolete) for e in back] == [
        ("One.", "", False),
        ("Two.", "Deux.", False),
    ]


def test_template_flags_and_references_win() -> None:
    """As msgmerge: flags (format, range, no-wrap) are the template's; only
    fuzzy comes from the old entry."""
    template = _template("UNTIL: {deadline}")
    template[0].flags = ["python-brace-format"]
    old = merge_catalog(_template("UNTIL: {deadline}"), None, "fr")
    old[0].msgstr = "JUSQU’AU : {deadline}"
    old[0].flags = ["fuzzy", "no-wrap"]
    merged = merge_catalog(template, old, "fr")
    assert merged[0].flags == ["fuzzy", "python-brace-format"]
    assert merged[0].occurrences == [("source/ua.txt", "1")]


# --- the property: across any sequence of template changes, no translation is lost


_words = st.sampled_from(
    [
        "the",
        "report",
        "men",
        "were",
        "detained",
        "tortured",
        "in",
        "Chechnya",
        "Moscow",
        "authorities",
        "urge",
        "you",
        "to",
        "investigate",
    ]
)
_sentences = st.lists(_words, min_size=1, max_size=8).map(
    lambda ws: " ".join(ws).capitalize() + "."
)
# an entry of a template version: (msgctxt, msgid, msgid_plural or None)
_template_entries = st.tuples(
    st.sampled_from([None, "letter"]), _sentences, st.sampled_from([None, "plural"])
)
_templates = st.lists(_template_entries, max_size=6, unique_by=lambda e: (e[0], e[1]))


def _versioned_template(entries: list[tuple[str | None, str, str | None]]) -> polib.POFile:
    catalog = _template()
    for context, msgid, plural in entries:
        entry = polib.POEntry(msgctxt=context, msgid=msgid)
        if plural:
            entry.msgid_plural = f"{msgid} ({plural})"
            entry.msgstr_plural = {0: "", 1: ""}
        catalog.append(entry)
    return catalog


def _translations(catalog: polib.POFile) -> set[str]:
    """Every msgstr form of every entry, and the forms kept in comments."""
    found = {text for entry in catalog for text in forms(entry) if text}
    for entry in catalog:
        for line in (entry.tcomment or "").splitlines():
            if line.startswith("dropped msgstr["):
                found.add(line.split(": ", 1)[1][1:-1])
    return found


@settings(max_examples=200, deadline=None)
@given(versions=st.lists(_templates, min_size=1, max_size=6), data=st.data())
def test_merge_never_drops_a_translation(versions: list[list], data: st.DataObject) -> None:
    """Across template changes (msgids, contexts, plurals), with translators
    filling any forms, even partly, and every catalogue written and read back
    as update does, every text a translator wrote is still in the file."""
    language = data.draw(st.sampled_from(["fr", "ru", "ja"]))
    catalog = merge_catalog(_versioned_template(versions[0]), None, language)
    ever: set[str] = set()
    for version in versions[1:]:
        for entry in catalog:  # a translator fills some empty forms between updates
            if entry.obsolete or not data.draw(st.booleans()):
                continue
            if entry.msgid_plural:
                empty = sorted(i for i, form in entry.msgstr_plural.items() if not form)
                if not empty:
                    continue
                for index in data.draw(st.lists(st.sampled_from(empty), min_size=1, unique=True)):
                    entry.msgstr_plural[index] = f"T{len(ever)}"
                    ever.add(entry.msgstr_plural[index])
            elif not entry.msgstr:
                entry.msgstr = f"T{len(ever)}"
                ever.add(entry.msgstr)
            else:
                continue
            if data.draw(st.booleans()):
                entry.flags = ["fuzzy"]
        before = _translations(catalog)
        merged = merge_catalog(_versioned_template(version), catalog, language)
        catalog = parse_catalog(dumps(merged), f"po/{language}/ua.po")
        assert before <= _translations(catalog)
    assert ever <= _translations(catalog)


def test_a_translation_still_in_use_can_seed_a_fuzzy_entry() -> None:
    old = merge_catalog(_template("The report cites 8 complaints."), None, "fr")
    old[0].msgstr = "Le rapport cite 8 plaintes."
    merged = merge_catalog(
        _template("The report cites 8 complaints.", "The report cites 66 complaints."), old, "fr"
    )
    new = _by_msgid(merged)["The report cites 66 complaints."]
    assert new.fuzzy and new.msgstr == "Le rapport cite 8 plaintes."
    assert new.previous_msgid == "The report cites 8 complaints."
    assert new.previous_msgid_plural is None  # gettext writes no '#| msgid_plural' here
    assert not _by_msgid(merged)["The report cites 8 complaints."].fuzzy


def test_new_catalogue_plurals_have_the_language_number_of_forms() -> None:
    template = _template("Take action.")
    template.append(
        polib.POEntry(msgid="{n} letter", msgid_plural="{n} letters", msgstr_plural={0: "", 1: ""})
    )
    for language in ("ru", "ja", "de"):
        count = int(plural_forms(language).split(";")[0].split("=")[1])
        merged = merge_catalog(template, None, language)
        assert merged.metadata["Plural-Forms"] == plural_forms(language)
        assert len(_by_msgid(merged)["{n} letter"].msgstr_plural) == count
    assert [plural_forms(code)[:10] for code in ("ru", "ja")] == ["nplurals=3", "nplurals=1"]


def test_a_form_kept_only_in_a_comment_survives_its_entry_going_obsolete() -> None:
    """Found by the property above: a plural with only msgstr[1] filled is made
    singular (its text kept as a "dropped" comment), then removed from the
    template. gettext writes no empty obsolete entry, so the text moves to msgstr."""
    plural = merge_catalog(_versioned_template([(None, "The.", "plural")]), None, "fr")
    plural[0].msgstr_plural[1] = "Les rapports."
    singular = merge_catalog(_versioned_template([(None, "The.", None)]), plural, "fr")
    assert singular[0].msgstr == "" and "Les rapports." in singular[0].tcomment
    gone = merge_catalog(_versioned_template([]), singular, "fr")
    text = dumps(gone)
    assert '#~ msgstr "Les rapports."' in text
    (entry,) = parse_catalog(text, "fr.po")
    assert entry.obsolete and "fuzzy" in entry.flags and "dropped" not in entry.tcomment
