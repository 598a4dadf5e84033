"""uai18n pretranslate: memory, machine translation through a real local server, safety."""

from __future__ import annotations

import contextlib
import random
import shutil
import socket
import sqlite3
import subprocess
import time
from pathlib import Path

import polib
import pytest
import requests
from conftest import gettext_or_skip, replace_once
from deep_translator import exceptions as dt
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process
from translate_server import TranslateServer

from uai18n.config import EngineSettings, load_config
from uai18n.po import parse_catalog, read_catalog, write_catalog
from uai18n.pretranslate.engines import (
    Deadline,
    Engine,
    EngineError,
    engine_language,
    http_deadline,
)
from uai18n.pretranslate.mask import mask
from uai18n.pretranslate.memory import MemoryEntry, TranslationMemory
from uai18n.pretranslate.run import Options, pretranslate
from uai18n.project import Project
from uai18n.readers.text import read_text

DE = "po/de/ua-2-19-chechnya.po"
FR = "po/fr/ua-2-19-chechnya.po"
SECRET = "SECRET-KEY-5f3a"


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", SECRET)
    return SECRET


def _entries(project: Path, path: str) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in read_catalog(project / path, path) if e.msgid and not e.obsolete}


def _libre(project: Path, cli, server: TranslateServer, *extra: str):
    return cli(
        "-C", str(project), "pretranslate", "--lang", "de", "--engine", "libre",
        "--engine-url", server.url, *extra,
    )  # fmt: skip


def _no_secret_anywhere(project: Path, *outputs: str) -> None:
    for path in project.rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path
    for output in outputs:
        assert SECRET not in output


# --- memory ---------------------------------------------------------------------------


def _second_document(project: Path, cli) -> str:
    """A second UA: the bundled one with one sentence changed and one new."""
    text = (project / "source/ua-2-19-chechnya.txt").read_text("utf-8")
    assert "Around 40 people" in text
    text = text.replace("Around 40 people", "About 40 people", 1)
    (project / "source/ua-3-19-second.txt").write_text(text, "utf-8")
    assert cli("-C", str(project), "update").exit_code == 0
    return "po/fr/ua-3-19-second.po"


def test_memory_fills_other_documents_exact_and_fuzzy(project: Path, cli) -> None:
    second = _second_document(project, cli)
    before = (project / FR).read_bytes()
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0, result.output
    assert (project / FR).read_bytes() == before  # nothing to fill there: untouched
    entries = _entries(project, second)
    source = _entries(project, FR)
    exact = entries["Dear President,"]
    assert exact.msgstr == source["Dear President,"].msgstr
    assert exact.fuzzy and exact.tcomment == f"memory 100% from {FR}"
    [changed] = [e for e in entries.values() if e.msgid.startswith("About 40 people")]
    assert changed.fuzzy and changed.msgstr.startswith("Une quarantaine de personnes")
    assert changed.tcomment.startswith("memory 9") and changed.tcomment.endswith(f"% from {FR}")
    assert all(e.msgstr and e.fuzzy for e in entries.values())
    assert f"{second}: filled " in result.output


def test_an_entry_with_any_translation_is_never_touched(project: Path, cli) -> None:
    second = _second_document(project, cli)
    po = project / second
    text = po.read_text("utf-8")
    text = text.replace(
        'msgid "Dear President,"\nmsgstr ""', 'msgid "Dear President,"\nmsgstr "Cher Président,"'
    )
    po.write_text(text, "utf-8")
    assert cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only").exit_code == 0
    entry = _entries(project, second)["Dear President,"]
    assert entry.msgstr == "Cher Président," and not entry.fuzzy and not entry.tcomment
    # a second run finds nothing left to fill and changes no byte
    after = po.read_bytes()
    result = cli("-C", str(project), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0 and po.read_bytes() == after
    assert "nothing to fill" in result.output


def test_tmx_round_trip_feeds_another_project(project: Path, cli, tmp_path: Path) -> None:
    out = tmp_path / "fr.tmx"
    result = cli("-C", str(project), "tm", "export", "--lang", "fr", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "translation unit(s) (en -> fr)" in result.output
    data = out.read_bytes()
    assert data.startswith(b"<?xml") and b'srclang="en"' in data
    assert cli("-C", str(project), "tm", "export", "--lang", "fr", "-o", str(out)).exit_code == 0
    assert out.read_bytes() == data  # deterministic
    # another project without French: import the memory, pre-fill from it
    other = tmp_path / "other"
    shutil.copytree(project, other)
    for po in (other / "po/fr").glob("*.po"):
        po.unlink()
    assert cli("-C", str(other), "update", "--lang", "fr").exit_code == 0
    result = cli("-C", str(other), "tm", "import", str(out))
    assert result.exit_code == 0, result.output
    assert (other / "memory/fr.tmx").read_bytes() == data
    result = cli("-C", str(other), "pretranslate", "--lang", "fr", "--memory-only")
    assert result.exit_code == 0, result.output
    entry = _entries(other, FR)["Dear President,"]
    assert entry.fuzzy and entry.msgstr == "Monsieur le Président,"
    assert entry.tcomment.startswith("memory 100% from po/fr/ua-2-19-chechnya.po")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"<tmx version='1.4'><header srclang='en'/><body><tu>", "bad.tmx:1: "),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE tmx [\n<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b"<tmx version='1.4'><header srclang='en'/><body/></tmx>",
            "bad.tmx:3: ",
        ),
    ],
)
def test_bad_tmx_is_bad_input_and_nothing_is_written(
    project: Path, cli, tmp_path: Path, content: bytes, expected: str
) -> None:
    bad = tmp_path / "bad.tmx"
    bad.write_bytes(content)
    result = cli("-C", str(project), "tm", "import", str(bad))
    assert result.exit_code == 2
    assert f"uai18n: {bad.parent}/{expected}" in result.output
    assert not (project / "memory").exists()
    (project / "memory").mkdir()
    shutil.copy(bad, project / "memory/bad.tmx")
    before = (project / DE).read_bytes()
    result = cli("-C", str(project), "pretranslate", "--memory-only")
    assert result.exit_code == 2 and result.output.startswith(f"uai18n: memory/{expected}")
    assert (project / DE).read_bytes() == before


# --- machine translation, through a real server ---------------------------------------


def test_machine_fills_masks_caches_and_keeps_the_key_secret(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    result = _libre(project, cli, translate_server)
    assert result.exit_code == 0, result.output
    entries = _entries(project, DE)
    deadline = next(e for e in entries.values() if "{deadline}" in e.msgid)
    assert deadline.msgstr == f"[de] {deadline.msgid}"  # the field came back intact
    assert deadline.fuzzy
    assert deadline.tcomment.splitlines()[0] == "machine: libre 2025-11-26"
    assert all(e.msgstr and e.fuzzy for e in entries.values())
    assert len(translate_server.requests) == 1  # the catalogue in one batch
    sent = [q for r in translate_server.requests for q in r["params"]["q"]]
    assert not any("{deadline}" in q for q in sent)  # masked on the way out
    assert any("⟦0⟧" in q for q in sent)
    assert all(r["params"]["api_key"] == SECRET for r in translate_server.requests)
    assert f"libre de: sent {len(sent)} segment(s)" in result.output
    _no_secret_anywhere(project, result.output)
    # empty the catalogue again: a rerun sends nothing, every answer is cached
    po = project / DE
    empty = read_catalog(po, DE)
    for entry in empty:
        if entry.msgid:
            entry.msgstr, entry.tcomment = "", ""
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    write_catalog(po, empty)
    requests = len(translate_server.requests)
    again = _libre(project, cli, translate_server)
    assert again.exit_code == 0, again.output
    assert len(translate_server.requests) == requests
    assert "would send" not in again.output and "took 34 answer(s) from the cache" in again.output
    assert _entries(project, DE)[deadline.msgid].msgstr == deadline.msgstr


def test_dry_run_counts_and_sends_and_writes_nothing(
    project: Path, cli, translate_server: TranslateServer
) -> None:
    before = (project / DE).read_bytes()
    result = _libre(project, cli, translate_server, "--dry-run")  # no key needed to count
    assert result.exit_code == 0, result.output
    assert translate_server.requests == []
    assert (project / DE).read_bytes() == before
    assert not (project / ".uai18n/mt-cache.sqlite3").exists()
    assert "libre de: would send 34 segment(s), " in result.output


def test_budget_stops_before_exceeding_and_keeps_what_was_obtained(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    result = _libre(project, cli, translate_server, "--max-chars", "300")
    assert result.exit_code == 1
    assert translate_server.characters <= 300
    assert (
        "budget of 300 characters reached: stopped before po/de/ua-2-19-chechnya.po:"
        in result.output
    )
    filled = [e for e in _entries(project, DE).values() if e.msgstr]
    assert 0 < len(filled) < 34


def _run(project: Path, server: TranslateServer, **options) -> object:
    config = load_config(project)
    return pretranslate(
        Project(config),
        ("de",),
        Project(config).sources(),
        Options(engine="libre", engine_url=server.url, backoff=0.01, **options),
    )


def test_429_then_success_is_retried(
    project: Path, translate_server: TranslateServer, keyed: str
) -> None:
    translate_server.behaviour = ["status:429", "status:503", "ok"]
    result = _run(project, translate_server)
    assert not result.problems and result.filled["from machine"] == 34
    assert len(translate_server.requests) == 3  # one batch, retried twice


def test_a_slow_engine_costs_seconds_and_is_given_up(
    project: Path, translate_server: TranslateServer, keyed: str
) -> None:
    translate_server.behaviour = "slow"
    translate_server.delay = 3.0
    started = time.monotonic()
    result = _run(project, translate_server, timeout=0.3)
    assert time.monotonic() - started < 5  # not 34 segments x 0.3 s x retries
    assert len(result.problems) == 34  # one batch: every segment of it failed
    assert all("no answer within 0.3 s" in line for line in result.problems)
    assert len(translate_server.requests) == 1  # a timeout is not retried
    assert result.notices == []  # one failed request; the breaker counts requests
    assert result.failed and not any(e.msgstr for e in _entries(project, DE).values())


def test_a_dripping_engine_is_cut_off_at_the_deadline_not_per_read(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    """One byte every 50 ms never trips a per-read timeout; the deadline cuts the
    catalogue's one batch request at 0.5 s and its 34 segments fail."""
    translate_server.behaviour = "drip"
    translate_server.drip_limit = 3.0  # unguarded, each request lasts until the server stops
    before = (project / DE).read_bytes()
    started = time.monotonic()
    result = _libre(project, cli, translate_server, "--timeout", "0.5")
    elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed  # 0.5 s plus start-up; unguarded: 3 s
    assert result.exit_code == 1
    failed = [line for line in result.output.splitlines() if "no answer within 0.5 s" in line]
    assert len(failed) == 34 and all(line.startswith(DE + ":") for line in failed), result.output
    assert len(translate_server.requests) == 1  # timeouts are not retried
    assert (project / DE).read_bytes() == before


@pytest.mark.parametrize(
    ("behaviour", "message"),
    [
        ("html", "the answer is not a translation (an HTML page?)"),
        ("empty", "an empty answer"),
        ("echo", "the text came back untranslated"),
        ("no-translation", "the answer has no translation"),
        ("status:500", "server error 500 (after 4 tries)"),
        ("disconnect", "cannot connect"),
    ],
)
def test_garbage_is_reported_per_segment_and_saves_nothing(
    project: Path, translate_server: TranslateServer, keyed: str, behaviour: str, message: str
) -> None:
    translate_server.behaviour = behaviour  # the catalogue's one batch request
    result = _run(project, translate_server)
    assert result.failed
    filled = result.filled["from machine"]  # "echo": a short segment may come back as is
    assert len(result.problems) == 34 - filled and filled <= 2
    assert all(message in line for line in result.problems), result.problems
    assert result.problems[0].startswith("po/de/ua-2-19-chechnya.po:")
    assert sum(1 for e in _entries(project, DE).values() if e.msgstr) == filled
    # a rejected answer is never cached
    rows = sqlite3.connect(project / ".uai18n/mt-cache.sqlite3").execute(
        "SELECT COUNT(*) FROM answers"
    )
    assert rows.fetchone()[0] == filled


@pytest.mark.parametrize("behaviour", ["drop-placeholders", "duplicate-placeholders"])
def test_a_suggestion_with_broken_placeholders_is_rejected(
    project: Path, translate_server: TranslateServer, keyed: str, behaviour: str
) -> None:
    translate_server.behaviour = behaviour
    result = _run(project, translate_server)
    rejected = [line for line in result.problems if "suggestion rejected" in line]
    assert rejected and all(("dropped ⟦" in r) or ("doubled ⟦" in r) for r in rejected)
    entries = _entries(project, DE)
    for entry in entries.values():
        if "{" in entry.msgid or "@" in entry.msgid:
            assert not entry.msgstr, entry.msgid  # left empty, never saved broken
    assert any(e.msgstr for e in entries.values())  # the rest went on


def test_unreachable_engine(project: Path, keyed: str) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/"
    config = load_config(project)
    started = time.monotonic()
    result = pretranslate(
        Project(config),
        ("de",),
        Project(config).sources(),
        Options(engine="libre", engine_url=url, backoff=0.01, timeout=1),
    )
    assert time.monotonic() - started < 3
    assert len(result.problems) == 34 and "cannot connect" in result.problems[0]
    assert SECRET not in "\n".join(result.problems + result.notices)


def test_bad_engine_settings_are_bad_input(project: Path, cli, monkeypatch) -> None:
    monkeypatch.delenv("LIBRETRANSLATE_API_KEY", raising=False)
    before = (project / DE).read_bytes()
    result = cli("-C", str(project), "pretranslate", "--engine", "babelfish")
    assert result.exit_code == 2
    assert result.output.startswith("uai18n: unknown engine 'babelfish' (known: ")
    result = cli("-C", str(project), "pretranslate", "--lang", "de", "--engine", "libre")
    assert result.exit_code == 2
    assert "set the environment variable LIBRETRANSLATE_API_KEY" in result.output
    toml = project / "uai18n.toml"
    toml.write_text(
        toml.read_text("utf-8").replace("[languages.de]", '[languages.de]\nengine = "x"')
    )
    result = cli("-C", str(project), "pretranslate", "--lang", "de")
    assert result.exit_code == 2 and "languages.de.engine: unknown engine 'x'" in result.output
    assert (project / DE).read_bytes() == before


# --- the wrapper, with a fake in-process engine ----------------------------------------


def _fake_engine(answers: list, **kwargs) -> Engine:
    calls = iter(answers)

    def translate(text: str) -> str:
        answer = next(calls)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return Engine(
        EngineSettings("deepl", "deepl"),
        lambda source, target: translate,
        sleep=lambda seconds: None,
        **kwargs,
    )


def test_wrapper_retries_deep_translator_rate_limits_and_scrubs_the_key() -> None:
    engine = _fake_engine([dt.TooManyRequests(), "Hallo Welt"])
    assert engine.translate("Hello world", "en", "de") == "Hallo Welt"
    engine = _fake_engine([dt.AuthorizationException("key-123")], secret="key-123")
    with pytest.raises(EngineError) as caught:
        engine.translate("Hello world", "en", "de")
    assert caught.value.message == "deepl: the API key was refused"
    engine = _fake_engine([RuntimeError("boom at https://x/?auth_key=key-123")], secret="key-123")
    with pytest.raises(EngineError) as caught:
        engine.translate("Hello world", "en", "de")
    assert "key-123" not in caught.value.message and "***" in caught.value.message


def test_wrapper_refuses_texts_longer_than_the_engine_takes() -> None:
    engine = _fake_engine([])
    with pytest.raises(EngineError, match="longer than deepl takes"):
        engine.translate("x" * 200_000, "en", "de")
    assert engine.failures_in_a_row == 0  # our limit, not the engine's fault


def test_a_deadline_bounds_the_whole_request_headers_included(
    translate_server: TranslateServer,
) -> None:
    translate_server.behaviour = "drip"  # status line and headers dripped too
    original = requests.api.request
    started = time.monotonic()
    expected = pytest.raises(requests.exceptions.Timeout, match=r"no answer within 0\.3 s")
    with expected, Deadline(0.3) as deadline, http_deadline(deadline):
        requests.post(translate_server.url + "translate", params={"q": "x"})
    assert time.monotonic() - started < 1.0
    assert requests.api.request is original  # the patch does not outlive the block
    assert len(translate_server.requests) == 1


def test_a_translator_that_swallows_the_timeout_is_still_reported_as_one(
    translate_server: TranslateServer,
) -> None:
    """Like deep-translator's Microsoft: catch RequestException, then fail on None."""
    translate_server.behaviour = "drip"

    def translate(text: str) -> str:
        response = None
        with contextlib.suppress(requests.exceptions.RequestException):
            response = requests.post(translate_server.url + "translate", params={"q": text})
        return response.json()["translatedText"]  # type: ignore[union-attr]

    engine = Engine(EngineSettings("libre", "libre"), lambda source, target: translate, timeout=0.3)
    started = time.monotonic()
    with pytest.raises(EngineError, match=r"libre: no answer within 0\.3 s"):
        engine.translate("Free them now", "en", "de")
    assert time.monotonic() - started < 1.0


def test_mask_protects_and_restores() -> None:
    text = "Write to @KremlinRussia_E, fax +7 495 910 2134 or see https://amnesty.org/a. {deadline}"
    masked = mask(text)
    assert masked.text == "Write to ⟦0⟧, fax ⟦1⟧ or see ⟦2⟧. ⟦3⟧"
    assert masked.unmask("Schreiben Sie an ⟦0⟧, Fax ⟦1⟧ oder ⟦2⟧. ⟦3⟧").endswith(
        "https://amnesty.org/a. {deadline}"
    )
    with pytest.raises(ValueError, match="dropped ⟦1⟧"):
        masked.unmask("⟦0⟧ ⟦2⟧ ⟦3⟧")
    with pytest.raises(ValueError, match="added or doubled ⟦0⟧"):
        masked.unmask("⟦0⟧ ⟦0⟧ ⟦1⟧ ⟦2⟧ ⟦3⟧")


# --- what suggestions become ------------------------------------------------------------


def test_glossary_violations_are_named_in_the_suggestion(
    project: Path, translate_server: TranslateServer, keyed: str
) -> None:
    config = load_config(project)
    answers = {"Human rights": "Droits de l'homme"}

    def factory(settings: EngineSettings, key: str | None):
        return lambda source, target: lambda text: answers.get(text, f"[fr] {text}")

    po = project / FR
    catalog = read_catalog(po, FR)
    catalog.append(polib.POEntry(msgid="Human rights", msgstr=""))
    write_catalog(po, catalog)
    result = pretranslate(
        Project(config), ("fr",), Project(config).sources(),
        Options(engine="libre", engine_url=translate_server.url), make_factory=factory,
    )  # fmt: skip
    assert not result.problems
    entry = _entries(project, FR)["Human rights"]
    assert entry.fuzzy and entry.msgstr == "Droits de l'homme"
    lines = entry.tcomment.splitlines()
    assert lines[0] == "machine: libre 2025-11-26"
    assert lines[1].startswith('glossary: deprecated term "droits de l\'homme" (human-rights)')
    assert lines[1].endswith("[glossary-deprecated]")


def test_comments_survive_msgcat_and_msgmerge(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    msgcat = gettext_or_skip("msgcat")
    msgmerge = gettext_or_skip("msgmerge")
    assert _libre(project, cli, translate_server).exit_code == 0
    po = project / DE
    assert (
        subprocess.run([msgcat, str(po)], capture_output=True, check=True).stdout == po.read_bytes()
    )
    merged = subprocess.run(
        [
            msgmerge,
            "--previous",
            "-q",
            str(po),
            str(project / "po/templates/ua-2-19-chechnya.pot"),
            "-o",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout.decode()
    assert merged.count("# machine: libre 2025-11-26") == 34
    subprocess.run([gettext_or_skip("msgfmt"), "-c", "-o", "/dev/null", str(po)], check=True)


def test_builds_use_suggestions_only_where_the_policy_allows_and_mark_them(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    assert _libre(project, cli, translate_server).exit_code == 0
    assert cli("-C", str(project), "build", "--lang", "de").exit_code == 1  # fuzzy: not built
    assert not (project / "output/de").exists()
    toml = project / "uai18n.toml"
    toml.write_text(
        toml.read_text("utf-8").replace("[languages.de]", "[languages.de]\nmachine_text = true")
    )
    result = cli("-C", str(project), "build", "--lang", "de")
    assert result.exit_code == 0, result.output
    html = (project / "output/de/ua-2-19-chechnya.html").read_text("utf-8")
    assert "MACHINE TRANSLATION: 34 segment(s)" in html
    assert html.count('class="machine"') >= 30
    text = (project / "output/de/ua-2-19-chechnya.txt").read_text("utf-8")
    assert "MACHINE TRANSLATION: 34 segment(s)" in text
    # French, all human: no marks even with the same policy
    toml.write_text(
        toml.read_text("utf-8").replace("[languages.fr]", "[languages.fr]\nmachine_text = true")
    )
    assert cli("-C", str(project), "build", "--lang", "fr").exit_code == 0
    assert "MACHINE" not in (project / "output/fr/ua-2-19-chechnya.html").read_text("utf-8")


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        ("google", "fr", "fr"),
        ("google", "zh", "zh-CN"),
        ("google", "zh_Hant", "zh-TW"),
        ("mymemory", "en", "en-GB"),
        ("mymemory", "fr", "fr-FR"),
        ("mymemory", "pt_BR", "pt-BR"),
        ("mymemory", "sr@latin", "sr-Latn-RS"),
        ("libre", "pt_BR", "pt"),
        ("microsoft", "pt_BR", "pt-BR"),
    ],
)
def test_engine_language_codes(kind: str, code: str, expected: str) -> None:
    assert engine_language(kind, code) == expected


_PIECES = [*"abc XYZ.,{}@", "word ", "{deadline}", "<b>", "</b>", "@Kremlin_E", "⟦0⟧"]
_TEXTS = (
    st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12)
    .map("".join)
    .filter(lambda text: text.strip() != "")
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    states=st.lists(
        st.tuples(_TEXTS, st.sampled_from(["empty", "translated", "fuzzy"])),
        min_size=1,
        max_size=12,
        unique_by=lambda item: item[0],
    ),
    answers=st.sampled_from(["ok", "drop", "garbage"]),
)
def test_pretranslate_never_touches_an_entry_that_has_a_translation(
    project: Path, states: list[tuple[str, str]], answers: str
) -> None:
    """Property: whatever the catalogue and whatever the engine answers, an entry
    with a msgstr comes out byte for byte as it went in, and a filled entry is
    always fuzzy, commented, and keeps every protected piece of its msgid."""
    shutil.rmtree(project / "glossary", ignore_errors=True)  # not under test here
    po = project / DE
    catalog = polib.POFile()
    catalog.metadata = read_catalog(po, DE).metadata
    for number, (text, state) in enumerate(states):
        entry = polib.POEntry(msgid=text, msgstr="" if state == "empty" else f"Ü{number}")
        if state == "fuzzy":
            entry.flags.append("fuzzy")
        catalog.append(entry)
    write_catalog(po, catalog)
    before = {e.msgid: (e.msgstr, list(e.flags), e.tcomment) for e in read_catalog(po, DE)}

    def factory(settings: EngineSettings, key: str | None):
        def translate(text: str) -> str:
            if answers == "drop":
                return text.replace("⟦0⟧", "")
            return "<html>error</html>" if answers == "garbage" else f"«{text}»"

        return lambda source, target: translate

    config = load_config(project)
    (project / ".uai18n").mkdir(exist_ok=True)
    for stale in (project / ".uai18n").glob("*"):
        stale.unlink()
    pretranslate(
        Project(config), ("de",), Project(config).sources(),
        Options(engine="google", backoff=0.0), make_factory=factory,
    )  # fmt: skip
    for entry in read_catalog(po, DE):
        if not entry.msgid:
            continue
        msgstr, flags, comment = before[entry.msgid]
        if msgstr:
            assert (entry.msgstr, list(entry.flags), entry.tcomment) == (msgstr, flags, comment)
        elif entry.tcomment.startswith("machine: google "):
            assert entry.fuzzy and entry.msgstr
            for piece in mask(entry.msgid).originals:
                assert entry.msgstr.count(piece) >= entry.msgid.count(piece)
        elif entry.msgstr:
            assert entry.fuzzy and entry.tcomment.startswith("memory ")


def test_a_suggestion_for_a_changed_sentence_is_not_shipped(
    project: Path, cli, translate_server: TranslateServer, keyed: str
) -> None:
    assert _libre(project, cli, translate_server).exit_code == 0
    toml = project / "uai18n.toml"
    replace_once(toml, "[languages.de]", "[languages.de]\nmachine_text = true")
    source = project / "source/ua-2-19-chechnya.txt"
    replace_once(source, "Around 40 people", "About 40 people")
    assert cli("-C", str(project), "extract").exit_code == 0
    assert cli("-C", str(project), "update", "--lang", "de").exit_code == 0
    [changed] = [e for e in _entries(project, DE).values() if e.msgid.startswith("About 40")]
    assert changed.fuzzy and changed.previous_msgid.startswith("Around 40")
    assert changed.tcomment.startswith("machine: libre")  # the origin stays visible
    result = cli("-C", str(project), "build", "--lang", "de", "--draft")
    assert result.exit_code == 0, result.output
    text = (project / "output/de/ua-2-19-chechnya.txt").read_text("utf-8")
    assert "MACHINE TRANSLATION: 33 segment(s)" in text  # not the changed one
    assert "DRAFT: 1 segment(s) are not translated yet" in text


def _edited(words: list[str], rng: random.Random) -> str:
    """The sentence with one word replaced, dropped or added: a fuzzy query."""
    changed = list(words)
    position = rng.randrange(len(changed))
    change = rng.choice(["replace", "drop", "add"])
    if change == "replace":
        changed[position] = "Kadyrov"
    elif change == "drop":
        del changed[position]
    else:
        changed.insert(position, "reportedly")
    return " ".join(changed)


def test_memory_index_finds_what_a_full_scan_finds() -> None:
    """The word index only narrows the search: on sentences of real UAs with
    words changed, dropped and added, it finds the same best score as
    comparing against every entry."""
    rng = random.Random(7)
    sentences = [
        segment.text
        for path in (Path(__file__).resolve().parent / "data" / "uas").glob("*.txt")
        for segment in read_text(path.read_text("utf-8"), doc_id="x", source_path="x",
                                 language="en").segments()
    ]  # fmt: skip
    memory = TranslationMemory(75)
    for number, sentence in enumerate(sentences):
        memory.add("fr", MemoryEntry(sentence, f"fr {number}", f"po/fr/{number}.po"))
    checked = 0
    for sentence in sentences:
        words = sentence.split()
        if len(words) < 4:
            continue
        for _ in range(3):
            query = _edited(words, rng)
            best = process.extractOne(query, sentences, scorer=fuzz.ratio, score_cutoff=75)
            found = memory.lookup("fr", query)
            assert (found.score if found else None) == (best[1] if best else None), query
            checked += 1
    assert checked > 100


def _ua_sentences() -> list[str]:
    return [
        segment.text
        for path in sorted((Path(__file__).resolve().parent / "data" / "uas").glob("*.txt"))
        for segment in read_text(path.read_text("utf-8"), doc_id="x", source_path="x",
                                 language="en").segments()
    ]  # fmt: skip


def _reference_lookup(memory: TranslationMemory, language: str, text: str):
    """The lookup as it was before searches were shared between languages and
    scored with extractOne: one process.extract at min_score over the
    candidates, the best by (score, rank), the first of equals. Kept as the
    oracle: an optimisation may never change a match."""
    import bisect
    import math

    from uai18n.pretranslate.memory import SURE_SCORE, MemoryMatch

    index = memory._index(language)
    exact = index.exact.get(text)
    if exact is not None:
        return MemoryMatch(index.entry(exact), 100.0)

    def best(numbers: list[int]) -> MemoryMatch | None:
        found = process.extract(
            text, [index.sources[n] for n in numbers], scorer=fuzz.ratio,
            score_cutoff=memory.min_score, limit=None,
        )  # fmt: skip
        if not found:
            return None
        hit = min(found, key=lambda hit: (-hit[1], index.rank(numbers[hit[2]])))
        return MemoryMatch(index.entry(numbers[hit[2]]), hit[1])

    share = memory.min_score / 100
    low = bisect.bisect_left(index.lengths, len(text) * share / (2 - share))
    high = bisect.bisect_right(index.lengths, len(text) * (2 - share) / share)
    shared = memory._sharing_words(index, text, low, high)
    if shared is None:
        return best(list(range(low, high)))
    words, counts = shared
    needed = max(1, math.ceil(words * 0.5))
    found = best(sorted(n for n, c in counts.items() if c >= needed))
    if found is None or found.score < SURE_SCORE:
        found = best(sorted(counts))
    return found


def test_shared_searches_match_what_each_language_alone_matched() -> None:
    """Languages with the same sources share each fuzzy search, but never
    their targets, origins or ranks: on sentences of real UAs with words
    changed, and a memory full of ties (one-letter variants, the same source
    translated twice, reviewed or not, equal origins), every lookup gives
    the very entry and score the unshared lookup gave, in every language."""
    rng = random.Random(11)
    sentences = [s for s in _ua_sentences() if len(s.split()) >= 4]
    memory = TranslationMemory(75)
    rows: dict[str, list[tuple[str, str, str, bool]]] = {"fr": [], "de": [], "es": []}
    for number, sentence in enumerate(sentences):
        variants = [sentence] if number % 2 else []
        for at in (len(sentence) // 3, 2 * len(sentence) // 3):  # ties: one letter changed
            variants.append(sentence[:at] + "#" + sentence[at + 1 :])
        for variant in variants:
            origin = f"po/fr/{number % 3}.po"  # several sources per origin: equal origins
            rows["fr"].append((variant, f"fr {number}", origin, False))
            rows["fr"].append((variant, f"fr {number} bis", origin, number % 2 == 0))
            # German: the same sources (twice each too), other targets, origins, sign-offs
            for target in (f"de {number}", f"de {number} bis"):
                rows["de"].append((variant, target, f"po/de/{number % 2}.po", number % 3 == 0))
        if number % 4:  # Spanish: fewer sources, so its own searches
            rows["es"].append((sentence, f"es {number}", "po/es/x.po", False))
    for language, language_rows in rows.items():
        memory.add_rows(language, language_rows)
    oracle = TranslationMemory(75)
    for language, language_rows in rows.items():
        oracle.add_rows(language, language_rows)
    checked = fuzzy = tied = 0
    for sentence in sentences:
        words = sentence.split()
        for _ in range(2):
            query = _edited(words, rng)
            for language in ("fr", "de", "es"):
                found = memory.lookup(language, query)
                expected = _reference_lookup(oracle, language, query)
                assert found == expected, (language, query)
                checked += 1
                fuzzy += found is not None and found.score < 100
                scored = memory._scored.get((memory._index(language).fingerprint, query))
                tied += scored is not None and len(scored[1]) > 1
    assert memory._index("fr").fingerprint == memory._index("de").fingerprint
    assert memory._index("es").fingerprint != memory._index("fr").fingerprint
    assert checked > 300 and fuzzy > 150 and tied > 50


def test_a_score_a_hair_above_the_best_so_far_is_not_lost() -> None:
    """rapidfuzz's process functions drop a score a few millionths above
    their cutoff; extractOne raises its cutoff to the best so far, so a
    slightly better sentence after a good one must still win."""
    base = "Around 153 people believed to be gay or lesbian have been detained in Argun."
    good = base.replace("153", "113")  # one letter off
    better = base + "x"  # one letter added: a score a little higher than good's
    memory = TranslationMemory(75)
    memory.add_rows(
        "fr", [(good, "bon", "po/fr/a.po", False), (better, "mieux", "po/fr/b.po", False)]
    )
    found = memory.lookup("fr", base)
    assert found is not None and found.entry.target == "mieux"
    assert found.score == fuzz.ratio(base, better) > fuzz.ratio(base, good)


def test_dry_run_counts_a_repeated_segment_once(
    project: Path, cli, translate_server: TranslateServer
) -> None:
    """A real run sends a sentence once and takes its repeats from the cache;
    the dry run's count must be what a real run would send."""
    text = (project / "source/ua-2-19-chechnya.txt").read_text("utf-8")
    (project / "source/ua-3-19-copy.txt").write_text(text, "utf-8")
    assert cli("-C", str(project), "update", "--lang", "de").exit_code == 0
    result = _libre(project, cli, translate_server, "--dry-run")
    assert "libre de: would send 34 segment(s)" in result.output
    assert "libre de: would take 34 answer(s) from the cache" in result.output


# --- the persistent memory index (.uai18n/memory-*.bin) ----------------------------------


def _memory(project: Path, *languages: str):
    from uai18n.pretranslate.memory import project_memory

    config = load_config(project)
    return project_memory(config, languages, Project(config))


def _po_tree(project: Path) -> dict[str, bytes]:
    return {p.relative_to(project).as_posix(): p.read_bytes() for p in project.glob("po/*/*.po")}


def test_a_warm_memory_fills_byte_for_byte_what_a_cold_one_fills(
    project: Path, cli, tmp_path: Path
) -> None:
    _second_document(project, cli)
    warm = tmp_path / "warm"
    shutil.copytree(project, warm)
    dry = cli("-C", str(warm), "pretranslate", "--memory-only", "--dry-run")
    assert dry.exit_code == 0 and (warm / ".uai18n/memory-fr.bin").exists()
    assert not (project / ".uai18n/memory-fr.bin").exists()
    cold = cli("-C", str(project), "pretranslate", "--memory-only")
    again = cli("-C", str(warm), "pretranslate", "--memory-only")
    assert cold.exit_code == again.exit_code == 0
    assert cold.output == again.output and "filled" in cold.output
    assert _po_tree(warm) == _po_tree(project)


def test_an_edited_catalogue_alone_is_read_again_and_its_translation_is_exact(
    project: Path, cli
) -> None:
    second = _second_document(project, cli)
    first = _memory(project, "fr", "de")
    assert sorted(first.read) == sorted(
        p for p in _po_tree(project) if p.split("/")[1] in {"fr", "de"}
    )
    assert _memory(project, "fr", "de").read == []  # nothing changed: nothing read
    [changed] = [e for e in _entries(project, second).values() if e.msgid.startswith("About 40")]
    assert _memory(project, "fr").lookup("fr", changed.msgid).score < 100
    catalog = read_catalog(project / second, second)
    entry = catalog.find(changed.msgid)
    entry.msgstr = "Environ 40 personnes, traduit à la main."
    write_catalog(project / second, catalog)
    memory = _memory(project, "fr", "de")
    assert memory.read == [second]  # the German memory and the other French file: cached
    match = memory.lookup("fr", changed.msgid)
    assert match.score == 100 and match.entry.target == entry.msgstr
    assert match.entry.origin == second
    (project / second).unlink()  # a catalogue that disappears takes its entries along
    gone = _memory(project, "fr")
    assert gone.read == [] and gone.lookup("fr", changed.msgid).score < 100


def test_a_damaged_or_foreign_memory_index_is_rebuilt(project: Path, monkeypatch) -> None:
    from uai18n.pretranslate.memory_index import MAGIC

    reference = _memory(project, "fr")
    everything = sorted(reference.read)
    stored = project / ".uai18n/memory-fr.bin"
    data = stored.read_bytes()
    meta = len(MAGIC) + 8 + 16 + 3  # a byte of the first section's data
    flipped = data[:meta] + bytes([data[meta] ^ 1]) + data[meta + 1 :]
    for damaged in (data[: len(data) // 2], flipped, b"", b"\0" * 64, b"x" + data):
        stored.write_bytes(damaged)
        memory = _memory(project, "fr")
        assert sorted(memory.read) == everything
        assert memory.entries("fr") == reference.entries("fr")
        assert stored.read_bytes() == data  # written again, whole
    with (project / "uai18n.toml").open("a", encoding="utf-8") as toml:
        toml.write("\n[memory]\nmin_score = 80\n")
    assert sorted(_memory(project, "fr").read) == everything  # another min_score: rebuilt
    monkeypatch.setattr("uai18n.pretranslate.memory_index.code_digest", lambda: "other code")
    assert sorted(_memory(project, "fr").read) == everything  # another version: rebuilt


def test_a_new_tmx_file_reaches_the_memory(project: Path, cli, tmp_path: Path) -> None:
    _memory(project, "fr")
    exported = tmp_path / "fr.tmx"
    assert (
        cli("-C", str(project), "tm", "export", "--lang", "fr", "-o", str(exported)).exit_code == 0
    )
    text = exported.read_text("utf-8").replace("Dear President,", "Dear Prime Minister,")
    (project / "memory").mkdir(exist_ok=True)
    (project / "memory/fr.tmx").write_text(text, "utf-8")
    memory = _memory(project, "fr")
    assert memory.read == ["memory/fr.tmx"]
    assert memory.lookup("fr", "Dear Prime Minister,").score == 100


def test_only_catalogues_without_any_translation_are_skipped_unparsed(tmp_path: Path) -> None:
    from uai18n.pretranslate.memory import catalogue_rows, untranslated

    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    cases = {
        "empty": (header + 'msgid "a"\nmsgstr ""\n', True),
        "one line": (header + 'msgid "a"\nmsgstr "b"\n', False),
        "continued": (header + 'msgid "a"\nmsgstr ""\n"b"\n', False),
        "no header": ('msgid "a"\nmsgstr ""\n"b"\n', False),
        "context first": ('msgctxt "c"\nmsgid ""\nmsgstr ""\n"b"\n', False),
        "plural": (header + 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] ""\n', False),
    }
    for name, (text, expected) in cases.items():
        assert untranslated(text.encode()) is expected, name
        path = tmp_path / f"{name}.po"
        path.write_text(text, "utf-8")
        if expected:
            assert catalogue_rows(path, name) == []
    for path in (Path(__file__).resolve().parent.parent / "po").glob("*/*.po"):
        assert not untranslated(path.read_bytes()) or not catalogue_rows(path, "x")


def _third_document(project: Path, cli) -> None:
    """A third UA beside the second: the bundled one with another sentence changed."""
    text = (project / "source/ua-2-19-chechnya.txt").read_text("utf-8")
    assert "Dear President," in text
    (project / "source/ua-4-19-third.txt").write_text(
        text.replace("Dear President,", "Dear Mr President,", 1), "utf-8"
    )
    assert cli("-C", str(project), "update").exit_code == 0


def _counted_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The worker count of every process pool map_forked starts from now on
    (it imports the pool class when it starts one)."""
    import concurrent.futures

    pools: list[int] = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers: int, **kwargs) -> None:
            pools.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    return pools


def test_forked_workers_fill_byte_for_byte_what_one_process_fills(
    project: Path, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Memory alone shares the documents among forked workers: the catalogues,
    the report and a rerun are the same as in one process."""
    import os

    from uai18n.pretranslate import run as run_module

    _second_document(project, cli)
    _third_document(project, cli)
    forked = tmp_path / "forked"
    shutil.copytree(project, forked)
    pools = _counted_pools(monkeypatch)
    monkeypatch.setattr(run_module, "PARALLEL_MIN", 10**9)
    alone = cli("-C", str(project), "pretranslate", "--memory-only")
    assert pools == []
    monkeypatch.setattr(run_module, "PARALLEL_MIN", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    shared = cli("-C", str(forked), "pretranslate", "--memory-only")
    assert pools == [2]
    assert alone.exit_code == shared.exit_code == 0
    assert alone.output == shared.output and "ua-4-19-third.po: filled" in shared.output
    assert _po_tree(forked) == _po_tree(project)
    again = cli("-C", str(forked), "pretranslate", "--memory-only")
    assert again.exit_code == 0 and "nothing to fill" in again.output
    assert _po_tree(forked) == _po_tree(project)


def test_a_forked_worker_s_error_is_the_run_s_error(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalogue the memory skips (nothing translated) but a worker parses:
    its syntax error ends the run as it would in one process."""
    import os

    from uai18n.pretranslate import run as run_module

    _second_document(project, cli)
    broken = project / "po/fr/ua-3-19-second.po"
    broken.write_text(broken.read_text("utf-8") + '\nmsgid "open\nmsgstr ""\n', "utf-8")
    pools = _counted_pools(monkeypatch)
    monkeypatch.setattr(run_module, "PARALLEL_MIN", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0, 1})
    result = cli("-C", str(project), "pretranslate", "--memory-only", "--lang", "fr")
    assert result.exit_code == 2
    assert "po/fr/ua-3-19-second.po:" in result.output
    assert pools == [2]  # the memory skipped the file: a worker found the error


def test_a_catalogue_with_nothing_to_fill_is_not_parsed_again(
    project: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory has read every catalogue of the language; filling parses
    only those with an empty msgstr (here: the new document's)."""
    from uai18n.pretranslate import run as run_module

    second = _second_document(project, cli)
    parsed: list[str] = []
    real = run_module.parse_catalog

    def spy(text: str, name: str):
        parsed.append(name)
        return real(text, name)

    monkeypatch.setattr(run_module, "parse_catalog", spy)
    result = cli("-C", str(project), "pretranslate", "--memory-only", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert parsed == [second]


@pytest.mark.parametrize(
    ("entry", "empty"),
    [
        ('msgid "a"\nmsgstr ""\n', True),
        ('msgid "a"\nmsgstr ""', True),  # at the end, no newline
        ('msgid "a"\r\nmsgstr ""\r\n', True),
        ('msgid "a"\nmsgstr ""\n""\n', True),  # continued, but by nothing
        ('msgid "a"\nmsgstr ""\n"b"\n', False),
        ('msgid "a"\nmsgstr ""\n""\n"b"\n', False),
        ('msgid "a"\nmsgstr "b"\n', False),
        ('#~ msgid "a"\n#~ msgstr ""\n', False),  # obsolete: never filled
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n', False),  # never filled
    ],
)
def test_an_empty_msgstr_is_seen_without_parsing(entry: str, empty: bool) -> None:
    from uai18n.pretranslate.run import _EMPTY_MSGSTR

    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    assert bool(_EMPTY_MSGSTR.search(header + entry)) is empty
    if empty:  # what the parser makes of it agrees
        [parsed] = parse_catalog(header + entry, "x")
        assert parsed.msgstr == "" and not parsed.obsolete
