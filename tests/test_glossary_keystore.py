"""The glossary's key store: stored keys give the same findings as computed ones.

A run stores every word's keys in the ``[glossary] keys`` folder (the
bundled project commits it as ``glossary/keys/``); a rerun reads them and
loads no dictionary. These tests compare the findings of both paths
on the bundled project and on the labeled set, with simplemma and PyStemmer
made unavailable for the stored run, and check what invalidates the store.
"""

from __future__ import annotations

import functools
import gc
import json
import shutil
from pathlib import Path

import polib
import pytest
from conftest import REPO, replace_once
from glossary_labeled import read_rows

from uai18n.glossary import match
from uai18n.glossary.check import GlossaryChecker
from uai18n.glossary.load import load_glossary
from uai18n.glossary.match import KeyStore

GLOSSARY = load_glossary(REPO / "glossary")


def _no_dictionaries(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(base: str, *args: object) -> None:
        raise AssertionError(f"a dictionary or stemmer was needed for {base}")

    monkeypatch.setattr(match, "_lemmatizer", refuse)
    monkeypatch.setattr(match, "_stemmer", refuse)


def _check(cli, project: Path, out: Path) -> list[dict]:
    result = cli("-C", str(project), "check", "--format", "json", "-o", str(out))
    assert result.exit_code in (0, 1), result.output
    gc.collect()  # the checker's store is written when it is collected
    return json.loads(out.read_text("utf-8"))["findings"]


def test_the_bundled_project_checks_the_same_from_stored_keys(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two findings the bundled catalogues do not have: a deprecated term, a missing one
    french = project / "po" / "fr" / "ua-2-19-chechnya.po"
    replace_once(french, "violations des droits humains", "violations des droits de l'homme")
    replace_once(french, "mortes sous la torture", "mortes sous les coups")
    shutil.rmtree(project / "glossary" / "keys")  # the committed store: computed afresh
    computed = _check(cli, project, tmp_path / "computed.json")
    stored = sorted((project / "glossary" / "keys").glob("*.json"))
    assert [path.stem for path in stored] == ["en", "es", "fr", "ru"]
    glossary = {f["check"] for f in computed if f["check"].startswith("glossary-")}
    assert glossary == {"glossary-deprecated", "glossary-missing"}
    _no_dictionaries(monkeypatch)
    (project / ".uai18n" / "findings.json").unlink()  # findings recorded there: check again
    assert _check(cli, project, tmp_path / "stored.json") == computed


def _findings(checker: GlossaryChecker) -> list[tuple]:
    return [
        (row.line, f.check, f.concept, f.message)
        for row in read_rows()
        for f in checker.check(row.source, row.translation, row.lang)
    ]


def test_the_labeled_set_checks_the_same_from_stored_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = _findings(GlossaryChecker(GLOSSARY, "en"))
    first = GlossaryChecker(GLOSSARY, "en", key_store=tmp_path)
    assert _findings(first) == computed
    first.save_keys()
    _no_dictionaries(monkeypatch)
    assert _findings(GlossaryChecker(GLOSSARY, "en", key_store=tmp_path)) == computed


def test_a_store_made_with_other_libraries_or_code_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = KeyStore(tmp_path, "fr")
    store.words["droits"] = frozenset({"made-up"})
    store.added = 1
    store.save()
    assert KeyStore(tmp_path, "fr").words == {"droits": frozenset({"made-up"})}
    assert KeyStore(tmp_path, "es").words == {}  # one store per language
    monkeypatch.setattr(match, "library_versions", lambda *modules: "simplemma=9 pystemmer=9")
    assert KeyStore(tmp_path, "fr").words == {}
    monkeypatch.undo()
    monkeypatch.setattr(match, "_code_digest", lambda: "other code")
    assert KeyStore(tmp_path, "fr").words == {}
    monkeypatch.undo()
    monkeypatch.setitem(match.KEY_METHODS, "fr", "stem")
    assert KeyStore(tmp_path, "fr").words == {}


def test_a_store_is_one_sorted_word_a_line(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "fr")
    store.words.update({"droits": frozenset({"droit"}), "a": frozenset({"avoir", "a"})})
    store.added = 2
    store.save()
    text = (tmp_path / "fr.json").read_text("utf-8")
    assert text.splitlines()[1:] == ['"a": ["a", "avoir"],', '"droits": ["droit"]', "}}"]
    assert json.loads(text)["words"] == {"a": ["a", "avoir"], "droits": ["droit"]}
    again = KeyStore(tmp_path, "fr")
    again.save()  # nothing added: not written
    assert (tmp_path / "fr.json").read_text("utf-8") == text


def test_the_committed_store_serves_a_fresh_clone(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``glossary/keys/`` holds every word of the bundled project: its first check
    (no ``.uai18n/``) loads no dictionary and changes no stored file.

    When this fails after a change to ``glossary/match.py`` or an upgrade of
    simplemma, PyStemmer or Babel: run ``uai18n check`` in the repository and
    commit ``glossary/keys/``.
    """
    keys = project / "glossary" / "keys"
    before = {path.name: path.read_bytes() for path in keys.iterdir()}
    _no_dictionaries(monkeypatch)
    findings = _check(cli, project, tmp_path / "fresh.json")
    assert {path.name: path.read_bytes() for path in keys.iterdir()} == before
    assert not (project / ".uai18n" / "glossary-keys").exists()
    assert len(findings) == len(_check(cli, project, tmp_path / "again.json"))


def test_a_broken_or_unwritable_store_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "fr.json").write_text("{not json", "utf-8")
    assert KeyStore(tmp_path, "fr").words == {}
    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")
    checker = GlossaryChecker(GLOSSARY, "en", key_store=blocked)  # a file, not a folder
    assert [f.check for f in checker.check("enforced disappearance", "disparition", "fr")]
    checker.save_keys()  # nothing written, no error
    assert blocked.read_text("utf-8") == ""


def _words_by_language() -> dict[str, set[str]]:
    """Every word the bundled project, its glossary and the labeled set give a key to."""
    texts: dict[str, list[str]] = {}
    for term in GLOSSARY.terms:
        texts.setdefault(term.lang, []).append(term.text)
    for row in read_rows():
        texts.setdefault(row.lang, []).append(row.translation)
        texts.setdefault("en", []).append(row.source)
    for path in sorted((REPO / "po").glob("*/*.po")):
        for entry in polib.pofile(str(path)):
            texts.setdefault(path.parent.name, []).append(entry.msgstr)
            texts.setdefault("en", []).append(entry.msgid)
    words: dict[str, set[str]] = {}
    for language, found in texts.items():
        analyzer = match.Analyzer(language)
        if not analyzer.substrings:
            words[language] = {token.surface for text in found for token in analyzer.tokens(text)}
    return words


def test_simplemma_low_memory_gives_the_full_dictionary_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The check reads simplemma's dictionaries with ``low_memory``: same keys as a full dict."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory

    words = _words_by_language()
    low_memory = match._lemmatizer
    assert {"en", "fr", "es", "ru", "ar", "de", "pt"} <= set(words)
    for language, found in sorted(words.items()):
        analyzer = match.Analyzer(language)
        fast = {word: analyzer.keys(word) for word in sorted(found)}
        factory = DefaultDictionaryFactory()  # its own cache: freed after each language
        full = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))

        def lemmatizer(base: str, index: object = None, full: Lemmatizer = full):
            return functools.partial(full.lemmatize, lang=base) if low_memory(base) else None

        with monkeypatch.context() as patch:
            patch.setattr(match, "_lemmatizer", lemmatizer)
            reference = match.Analyzer(language)
            differ = [word for word, keys in fast.items() if keys != reference.keys(word)]
        assert differ == [], (language, differ[:10])


def _refuse_walking(*args: object) -> None:
    raise AssertionError("the dictionary was walked again")


def test_the_stored_block_index_reads_the_dictionary_as_simplemma_does(tmp_path: Path) -> None:
    """Every word the project and the labeled set have, and its lower case, is
    looked up the same through a block index built and stored, then read back."""
    from simplemma.strategies.dictionaries import dictionary_factory
    from simplemma.strategies.dictionaries.stream_dictionary_factory import StreamMap

    from uai18n.glossary import lemmas

    for language, found in sorted(_words_by_language().items()):
        if language not in {"fr", "ru", "ar"}:  # three scripts; the rest is the same code
            continue
        reference = StreamMap(language)
        built = lemmas.stream_map(language, tmp_path)
        stored = tmp_path / f"{language}.bin"
        written = stored.read_bytes()
        with pytest.MonkeyPatch.context() as patch:  # read back, not walked again
            patch.setattr(StreamMap, "__init__", _refuse_walking)
            patch.setattr(dictionary_factory, "_read_decompressed", _refuse_walking)
            loaded = lemmas.stream_map(language, tmp_path)
        assert stored.read_bytes() == written
        words = sorted(found | {word.lower() for word in found} | {"zzzz", "a", ""})
        expected = [reference.get(word) for word in words]
        assert [built.get(word) for word in words] == expected
        assert [loaded.get(word) for word in words] == expected
        assert sum(value is not None for value in expected) > len(words) // 3, language


def test_a_damaged_or_foreign_block_index_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from uai18n.glossary import lemmas

    lemmas.stream_map("fr", tmp_path)
    stored = tmp_path / "fr.bin"
    data = stored.read_bytes()
    middle = len(data) // 2
    flipped = data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]
    for damaged in (data[: len(data) // 3], flipped, b"", b"x" + data):
        stored.write_bytes(damaged)
        assert lemmas.stream_map("fr", tmp_path).get("droits") == "droit"
        assert stored.read_bytes() == data  # written again, whole
    monkeypatch.setattr(lemmas, "library_versions", lambda *modules: "simplemma=9")
    assert lemmas.stream_map("fr", tmp_path).get("droits") == "droit"
    assert stored.read_bytes() != data  # made again for that simplemma


def test_a_check_keeps_the_block_index_in_uai18n(project: Path, cli, tmp_path: Path) -> None:
    shutil.rmtree(project / "glossary" / "keys")  # every word's keys computed
    _check(cli, project, tmp_path / "check.json")
    index = project / ".uai18n" / "lemma-index"
    assert sorted(path.name for path in index.iterdir()) == ["en.bin", "es.bin", "fr.bin", "ru.bin"]


def test_the_key_stamp_ignores_libraries_that_make_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new polib (it reads PO files, makes no key) keeps the committed store current."""
    from uai18n import stamps

    before = match.key_stamp("fr")
    monkeypatch.setattr(stamps, "LIBRARIES", {**stamps.LIBRARIES, "polib": "no-such-polib"})
    stamps.library_versions.cache_clear()
    try:
        assert "no-such-polib=?" in stamps.library_versions()
        assert match.key_stamp("fr") == before
    finally:
        stamps.library_versions.cache_clear()


def test_the_store_names_its_stemmer_so_a_new_word_reads_no_locale_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Snowball's algorithm is found from CLDR's English language name (20 ms of
    Babel data): the store keeps it, so a later run's first new word skips that."""
    expected = match.Analyzer("fr").keys("défenseures")
    store = match.KeyStore(tmp_path, "fr")
    match.Analyzer("fr", store).keys("droits")
    store.save()
    assert json.loads((tmp_path / "fr.json").read_text("utf-8"))["stemmer"] == "french"

    def refuse(language: str) -> None:
        raise AssertionError("stemmer_name asked again")

    monkeypatch.setattr(match, "stemmer_name", refuse)
    assert match.Analyzer("fr", match.KeyStore(tmp_path, "fr")).keys("défenseures") == expected


def test_a_first_check_indexes_every_dictionary_it_needs_at_once(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No key store: the dictionaries of the source and of every language with
    translations are indexed together (forked, largest first) before any entry
    is checked; German, Arabic and Portuguese have no translation, so none."""
    from uai18n.glossary import lemmas

    calls: list[list[str]] = []
    build = lemmas.build_indexes

    def recording(bases: list[str], index: Path) -> list[str]:
        calls.append(list(bases))
        return build(bases, index)

    monkeypatch.setattr(lemmas, "build_indexes", recording)
    shutil.rmtree(project / "glossary" / "keys")
    findings = _check(cli, project, tmp_path / "cold.json")
    assert [sorted(bases) for bases in calls] == [["en", "es", "fr", "ru"]]
    built = sorted(path.name for path in (project / ".uai18n" / "lemma-index").iterdir())
    assert built == ["en.bin", "es.bin", "fr.bin", "ru.bin"]
    calls.clear()
    (project / ".uai18n" / "findings.json").unlink()  # every catalogue checked again
    assert _check(cli, project, tmp_path / "again.json") == findings  # the stores have words now
    assert calls == []


@pytest.fixture
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})


def test_a_lemma_helper_gives_the_lemmas_this_process_gives(
    tmp_path: Path, two_cores: None
) -> None:
    """Its child lemmatizes with the same function; a language simplemma has
    no dictionary for answers (), and a stopped helper None."""
    words = {
        "fr": ["défenseures", "traduite", "vérificationsx", "été"],
        "en": ["killings", "prisoners", "was"],
        "ru": ["пыток", "правозащитницы"],
    }
    from uai18n.glossary.lemmas import LemmaHelper

    helper = LemmaHelper(["fr", "en"], tmp_path)
    try:
        for base, found in words.items():
            local = match._lemmatizer(base, tmp_path)
            assert local is not None
            assert [helper.lemma(base, word) for word in found] == [
                (local(word),) for word in found
            ]
        assert helper.lemma("zh", "人权") == ()
    finally:
        helper.stop()
    assert helper.lemma("fr", "traduite") is None


def test_a_new_word_s_lemma_comes_from_the_helper_and_checks_the_same(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, two_cores: None
) -> None:
    """A re-check after a translator's edit that adds a word no store has:
    simplemma is imported and the word lemmatized in the helper's child, not
    here, and the findings and stored keys are those of a check without it."""
    import uai18n.forked

    french = project / "po" / "fr" / "ua-2-19-chechnya.po"
    _check(cli, project, tmp_path / "first.json")
    alone = tmp_path / "alone"
    shutil.copytree(project, alone)
    edit = ("violations des droits humains", "violations inouïes des droits humains")
    for root in (project, alone):
        replace_once(root / french.relative_to(project), *edit)
    with monkeypatch.context() as patch:
        patch.setattr(uai18n.forked, "can_fork", lambda: False)
        expected = _check(cli, alone, tmp_path / "alone.json")

    here: list[str] = []
    original = match._lemmatizer

    def recording(base: str, *args: object) -> object:
        here.append(base)  # the child's calls are recorded in the child
        return original(base, *args)

    monkeypatch.setattr(match, "_lemmatizer", recording)
    assert _check(cli, project, tmp_path / "helped.json") == expected
    assert here == []
    keys = "glossary/keys/fr.json"
    assert (project / keys).read_text("utf-8") == (alone / keys).read_text("utf-8")
    assert "inouïes" in (project / keys).read_text("utf-8")
