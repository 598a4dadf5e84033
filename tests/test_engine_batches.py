"""Batched machine translation: requests per segment, answers on the right texts,
partial failures, retries, deadlines, limits; every engine kind's request shape;
a LibreTranslate server that refuses lists gets one text per request.

LibreTranslate runs against the real stand-in server (tests/translate_server.py);
DeepL, Microsoft and Google Cloud against a small recording handler on 127.0.0.1
(their ``url`` pointed there), or through their request/answer functions.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from translate_server import TranslateServer, translate_server  # noqa: F401

from uai18n.config import EngineSettings
from uai18n.pretranslate.engines import (
    BATCH_APIS,
    BATCH_LIMITS,
    BatchLimits,
    Engine,
    EngineDown,
    EngineError,
    HTTPBatch,
    deep_translator_factory,
    deepl_answers,
    google_cloud_answers,
    google_cloud_request,
    microsoft_answers,
    plan_batches,
)

KEY = "KEY-7c1e"


@pytest.fixture
def server(translate_server: TranslateServer) -> TranslateServer:  # noqa: F811
    return translate_server


def _engine(settings: EngineSettings, timeout: float = 5.0) -> Engine:
    return Engine(
        settings,
        deep_translator_factory(settings, KEY),
        timeout=timeout,
        backoff=0.0,
        secret=KEY,
        sleep=lambda seconds: None,
    )


def _libre(server: TranslateServer, timeout: float = 5.0) -> Engine:
    return _engine(EngineSettings("libre", "libre", url=server.url), timeout)


def _segments(count: int) -> list[str]:
    """Distinct segments, each with a protected token."""
    return [f"Segment number {n} asks for ⟦0⟧ now." for n in range(count)]


# --- LibreTranslate, through the real stand-in ----------------------------------------


def test_libre_sends_100_segments_in_2_requests_and_answers_land_in_order(
    server: TranslateServer,
) -> None:
    texts = _segments(100)
    outcomes = _libre(server).translate_many(texts, "en", "de")
    assert outcomes == [f"[de] {text}" for text in texts]  # each derived from its own input
    assert len(server.requests) == 2  # 50 texts per request
    sent = [r["params"]["q"] for r in server.requests]
    assert sent == [texts[:50], texts[50:]]
    assert all(r["headers"]["Content-Type"].startswith("application/json") for r in server.requests)
    assert all(r["params"]["api_key"] == KEY for r in server.requests)
    assert KEY not in "".join(r["path"] for r in server.requests)  # not in the URL any more
    assert server.characters == sum(map(len, texts))


def test_libre_cuts_batches_at_its_character_limit(server: TranslateServer) -> None:
    texts = [f"{n:03d} " + "word " * 199 for n in range(6)]  # ~1000 characters each
    outcomes = _libre(server).translate_many(texts, "en", "fr")
    assert outcomes == [f"[fr] {text}" for text in texts]
    for request in server.requests:
        assert sum(map(len, request["params"]["q"])) <= BATCH_LIMITS["libre"].chars
    assert len(server.requests) == 2


def test_one_bad_item_fails_only_itself(server: TranslateServer) -> None:
    texts = _segments(5)
    server.item_behaviours = {texts[1]: "empty", texts[3]: "echo"}
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert [o for i, o in enumerate(outcomes) if i not in (1, 3)] == [
        f"[de] {texts[i]}" for i in (0, 2, 4)
    ]
    assert isinstance(outcomes[1], EngineError) and "empty answer" in outcomes[1].message
    assert isinstance(outcomes[3], EngineError) and "came back untranslated" in outcomes[3].message
    assert len(server.requests) == 1
    assert engine.failures_in_a_row == 0  # good answers in the request: not a failure


def test_a_batch_is_retried_whole_on_503(server: TranslateServer) -> None:
    server.behaviour = ["status:503", "status:429", "ok"]
    texts = _segments(10)
    engine = _libre(server)
    assert engine.translate_many(texts, "en", "es") == [f"[es] {t}" for t in texts]
    assert [r["params"]["q"] for r in server.requests] == [texts] * 3


def test_a_failed_request_fails_its_items_and_counts_once(server: TranslateServer) -> None:
    server.behaviour = "status:500"
    texts = _segments(120)  # 3 requests of 50, 50, 20
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert all(isinstance(o, EngineError) for o in outcomes)
    assert outcomes[0].message == "libre: server error 500 (after 4 tries)"  # type: ignore[union-attr]
    assert len(server.requests) == 3 * 4  # each request retried three times
    assert engine.down and engine.failures_in_a_row == 3  # three requests, not 120 texts


def test_requests_after_the_breaker_opens_are_not_sent(server: TranslateServer) -> None:
    server.behaviour = "html"
    texts = _segments(250)  # 5 requests' worth
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert len(server.requests) == 3
    assert all(not isinstance(o, EngineDown) for o in outcomes[:150])
    assert all(isinstance(o, EngineDown) for o in outcomes[150:])
    assert all(isinstance(o, EngineDown) for o in engine.translate_many(texts[:2], "en", "fr"))
    assert len(server.requests) == 3


def test_a_request_whose_every_answer_is_rejected_counts_as_a_failure(
    server: TranslateServer,
) -> None:
    server.behaviour = "empty"
    engine = _libre(server)
    engine.translate_many(_segments(3), "en", "de")
    assert engine.failures_in_a_row == 1 and not engine.down


def test_a_dripping_batch_is_cut_off_at_the_deadline(server: TranslateServer) -> None:
    server.behaviour = "drip"
    server.drip_limit = 3.0
    texts = _segments(20)
    started = time.monotonic()
    outcomes = _libre(server, timeout=0.4).translate_many(texts, "en", "de")
    assert time.monotonic() - started < 1.5  # one request, 0.4 s; unguarded: 3 s
    assert all(
        isinstance(o, EngineError) and o.message == "libre: no answer within 0.4 s"
        for o in outcomes
    )
    assert len(server.requests) == 1  # a timeout is not retried


def test_a_short_answer_list_fails_the_request() -> None:
    with _Recorder(lambda body: (200, {"translatedText": ["only one"]})) as recorder:
        engine = _engine(EngineSettings("libre", "libre", url=recorder.url))
        outcomes = engine.translate_many(["One two", "Three four"], "en", "de")
    assert all(
        isinstance(o, EngineError) and o.message == "libre: 1 translations for 2 texts"
        for o in outcomes
    )
    # the one-text form was tried (and answered with a list, which is no answer either)
    assert [r["body"]["q"] for r in recorder.requests] == [["One two", "Three four"], "One two"]
    assert engine.failures_in_a_row == 1 and not engine.single_texts


# --- a server without list support: one text per request, said once --------------------

REFUSED = (
    "libre refused a list of texts (HTTP 400: Invalid request: q must be a string): "
    "one text per request for the rest of this run\n"
)


def test_a_server_refusing_lists_gets_one_text_per_request_for_the_rest_of_the_run(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.accept_lists = False
    texts = _segments(100)
    engine = _libre(server)
    assert engine.translate_many(texts, "en", "de") == [f"[de] {t}" for t in texts]
    first, *singles = server.requests
    assert first["params"]["q"] == texts[:50] and first["refused"]
    assert [r["params"]["q"] for r in singles] == texts  # each text once, in order
    assert len(server.requests) == 101  # per 100 segments: the refused list, then 100
    assert server.characters == sum(map(len, texts))  # the refused list translated nothing
    assert all(r["params"]["api_key"] == KEY and KEY not in r["path"] for r in singles)
    assert engine.single_texts and engine.failures_in_a_row == 0 and not engine.down
    assert capsys.readouterr().err == REFUSED
    # the next catalogue (another language too): no list is tried again, nothing said
    server.requests.clear()
    assert engine.translate_many(texts[:3], "en", "fr") == [f"[fr] {t}" for t in texts[:3]]
    assert [r["params"]["q"] for r in server.requests] == texts[:3]
    assert capsys.readouterr().err == ""


def test_a_batch_limit_below_ours_falls_back_too(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.batch_limit = 10  # LibreTranslate --batch-limit 10; we send up to 50
    texts = _segments(20)
    assert _libre(server).translate_many(texts, "en", "de") == [f"[de] {t}" for t in texts]
    assert len(server.requests) == 1 + 20
    assert "request (20) exceeds text limit (10)" in capsys.readouterr().err


def test_garbage_is_still_rejected_one_text_at_a_time(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.accept_lists = False
    texts = _segments(5)
    # the first text is the one sent alone to see whether the server takes one text
    server.item_behaviours = {texts[0]: "empty", texts[2]: "echo"}
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert isinstance(outcomes[0], EngineError) and "empty answer" in outcomes[0].message
    assert isinstance(outcomes[2], EngineError) and "came back untranslated" in outcomes[2].message
    assert [outcomes[i] for i in (1, 3, 4)] == [f"[de] {texts[i]}" for i in (1, 3, 4)]
    assert len(server.requests) == 1 + 5
    assert engine.single_texts and engine.failures_in_a_row == 0
    assert capsys.readouterr().err == REFUSED


def _lists_answered(wrong: Callable[[list[str]], object]) -> Callable[[Any], tuple[int, object]]:
    """A look-alike that answers a string ``q`` right and a list ``q`` with ``wrong(q)``."""

    def answer(body: Any) -> tuple[int, object]:
        q = body["q"]
        if isinstance(q, list):
            return 200, {"translatedText": wrong(q)}
        return 200, {"translatedText": f"DE {q}"}

    return answer


@pytest.mark.parametrize(
    ("wrong", "reason"),
    [
        (lambda q: "Eine einzige Übersetzung", "the answer has no translation"),
        (lambda q: [f"DE {text}" for text in q[1:]], "2 translations for 3 texts"),
        (lambda q: {"translations": q}, "the answer has no translation"),
    ],
    ids=["a string", "one too few", "an object"],
)
def test_a_list_answered_in_another_shape_is_never_used_and_falls_back(
    recorder: Callable[..., _Recorder],
    capsys: pytest.CaptureFixture[str],
    wrong: Callable[[list[str]], object],
    reason: str,
) -> None:
    server = recorder(_lists_answered(wrong))
    texts = ["One two", "Three four", "Five six"]
    engine = _engine(EngineSettings("libre", "libre", url=server.url))
    assert engine.translate_many(texts, "en", "de") == [f"DE {t}" for t in texts]
    assert [r["body"]["q"] for r in server.requests] == [texts, *texts]
    assert capsys.readouterr().err == (
        f"libre refused a list of texts ({reason}): one text per request for the rest of this run\n"
    )


def test_when_one_text_is_refused_too_the_list_error_stands_and_counts_once(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.behaviour = "status:400"  # e.g. a language pair the server does not have
    texts = _segments(120)  # 3 lists of 50, 50, 20
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert all(
        isinstance(o, EngineError) and o.message == "libre: HTTP 400: scripted status 400"
        for o in outcomes
    )
    assert [type(r["params"]["q"]) for r in server.requests] == [list, str] * 3
    assert engine.down and engine.failures_in_a_row == 3 and not engine.single_texts
    assert capsys.readouterr().err == ""


def test_one_text_requests_keep_the_retries_and_the_deadline(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.accept_lists = False
    server.behaviour = ["status:503", "ok", "drip"]  # the refused list takes none of these
    server.drip_limit = 3.0
    engine = _libre(server, timeout=0.4)
    started = time.monotonic()
    outcomes = engine.translate_many(["First one here", "Second one here"], "en", "de")
    assert time.monotonic() - started < 1.5  # the dripping answer is cut at 0.4 s
    assert outcomes[0] == "[de] First one here"  # 503, retried, then answered
    assert isinstance(outcomes[1], EngineError)
    assert outcomes[1].message == "libre: no answer within 0.4 s"
    assert [r["params"]["q"] for r in server.requests][1:] == [
        "First one here", "First one here", "Second one here"
    ]  # fmt: skip
    assert capsys.readouterr().err == REFUSED


def test_a_probe_that_times_out_leaves_the_list_error_standing(
    server: TranslateServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.accept_lists = False
    server.behaviour = "drip"
    server.drip_limit = 3.0
    engine = _libre(server, timeout=0.4)
    outcomes = engine.translate_many(_segments(3), "en", "de")
    assert all(
        isinstance(o, EngineError)
        and o.message == "libre: HTTP 400: Invalid request: q must be a string"
        for o in outcomes
    )
    assert len(server.requests) == 2 and not engine.single_texts
    assert engine.failures_in_a_row == 1
    assert capsys.readouterr().err == ""


def test_deepl_has_no_one_text_form_so_a_400_fails_as_before(
    recorder: Callable[..., _Recorder], capsys: pytest.CaptureFixture[str]
) -> None:
    server = recorder(lambda body: (400, {"message": "Value for 'target_lang' not supported."}))
    engine = _engine(EngineSettings("deepl", "deepl", url=server.url))
    outcomes = engine.translate_many(["Hello there", "Good bye now"], "en", "de")
    assert all(isinstance(o, EngineError) for o in outcomes)
    assert len(server.requests) == 1 and not engine.single_texts
    assert capsys.readouterr().err == ""


def test_a_text_too_long_for_one_request_is_refused_alone(server: TranslateServer) -> None:
    texts = ["Short one here", "x" * 6000, "Another short one"]
    engine = _libre(server)
    outcomes = engine.translate_many(texts, "en", "de")
    assert outcomes[0] == "[de] Short one here" and outcomes[2] == "[de] Another short one"
    assert isinstance(outcomes[1], EngineError) and not outcomes[1].engine_fault
    assert [r["params"]["q"] for r in server.requests] == [[texts[0], texts[2]]]


def test_an_engine_without_a_batch_api_sends_one_request_per_text() -> None:
    calls: list[str] = []

    def translate(text: str) -> str:
        calls.append(text)
        return f"<{text}>"

    engine = Engine(EngineSettings("mymemory", "mymemory"), lambda source, target: translate)
    assert engine.translate_many(["a b", "c d"], "en", "de") == ["<a b>", "<c d>"]
    assert calls == ["a b", "c d"]


def test_mymemory_and_keyless_google_have_no_batch_api() -> None:
    for settings, pair in [
        (EngineSettings("mymemory", "mymemory"), ("en-GB", "de-DE")),
        (EngineSettings("google", "google"), ("en", "de")),
    ]:
        translate = deep_translator_factory(settings, None)(*pair)
        assert not hasattr(translate, "batch")
    cloud = deep_translator_factory(EngineSettings("google", "google"), KEY)("en", "de")
    assert isinstance(cloud, HTTPBatch) and cloud.limits == BatchLimits(128, 30_000)


def test_plan_batches_respects_every_limit() -> None:
    limits = BatchLimits(texts=3, chars=10, body_bytes=30)
    texts = ["aaaa", "bbbb", "c", "dddddddddd", "ee", "f" * 11, "g"]
    plan = plan_batches(texts, limits, cost=lambda text: len(text) + 3, overhead=5)
    assert plan == [[0, 1, 2], [3], [4, 6]]  # 5 is longer than any request takes


# --- other engines' requests, against a recording handler -----------------------------


class _Recorder:
    """A one-route HTTP server on 127.0.0.1 that records requests and answers
    ``answer(body)`` -> (status, JSON payload)."""

    def __init__(self, answer: Callable[[Any], tuple[int, object]]) -> None:
        self.requests: list[dict[str, Any]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw)
                owner.requests.append(
                    {"path": self.path, "headers": dict(self.headers.items()), "body": body,
                     "size": len(raw)}
                )  # fmt: skip
                status, payload = answer(body)
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> _Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@pytest.fixture
def recorder() -> Iterator[Callable[..., _Recorder]]:
    started: list[_Recorder] = []

    def start(answer: Callable[[Any], tuple[int, object]]) -> _Recorder:
        started.append(_Recorder(answer).__enter__())
        return started[-1]

    yield start
    for one in started:
        one.__exit__()


def test_deepl_batches_50_texts_and_128_kib(recorder: Callable[..., _Recorder]) -> None:
    server = recorder(
        lambda body: (200, {"translations": [{"text": f"DE {t}"} for t in body["text"]]})
    )
    engine = _engine(EngineSettings("deepl", "deepl", url=server.url))
    texts = _segments(120)
    assert engine.translate_many(texts, "en", "de") == [f"DE {t}" for t in texts]
    assert [len(r["body"]["text"]) for r in server.requests] == [50, 50, 20]
    first = server.requests[0]
    assert first["path"] == "/translate"
    assert first["headers"]["Authorization"] == f"DeepL-Auth-Key {KEY}"
    assert (first["body"]["source_lang"], first["body"]["target_lang"]) == ("EN", "DE")
    # big non-ASCII texts: cut by bytes of the body, never over 128 KiB
    server.requests.clear()
    big = [f"{n} " + "Ж" * 20_000 for n in range(8)]  # ~40 KB of UTF-8 each
    assert engine.translate_many(big, "en", "de") == [f"DE {t}" for t in big]
    assert all(r["size"] <= 128 * 1024 for r in server.requests)
    assert [len(r["body"]["text"]) for r in server.requests] == [3, 3, 2]


def test_microsoft_batches_a_json_array(recorder: Callable[..., _Recorder]) -> None:
    server = recorder(
        lambda body: (
            200,
            [{"translations": [{"text": f"FR {i['Text']}", "to": "fr"}]} for i in body],
        )
    )
    settings = EngineSettings("microsoft", "microsoft", url=server.url, region="westeurope")
    texts = _segments(100)
    assert _engine(settings).translate_many(texts, "en", "fr") == [f"FR {t}" for t in texts]
    (request,) = server.requests  # 1000 texts / 50,000 characters per request
    assert request["path"] == "/translate?api-version=3.0&from=en&to=fr"
    assert request["body"][0] == {"Text": texts[0]}
    assert request["headers"]["Ocp-Apim-Subscription-Key"] == KEY
    assert request["headers"]["Ocp-Apim-Subscription-Region"] == "westeurope"


def test_google_cloud_batches_128_segments(recorder: Callable[..., _Recorder]) -> None:
    def answer(body: Any) -> tuple[int, object]:
        items = [{"translatedText": f"ES {q}"} for q in body["q"]]
        return 200, {"data": {"translations": items}}

    server = recorder(answer)
    settings = EngineSettings("gcloud", "google", url=server.url + "language/translate/v2")
    texts = _segments(200)
    assert _engine(settings).translate_many(texts, "en", "es") == [f"ES {t}" for t in texts]
    assert [len(r["body"]["q"]) for r in server.requests] == [128, 72]
    first = server.requests[0]
    assert first["path"] == "/language/translate/v2"  # the key is not in the URL
    assert first["headers"]["X-Goog-Api-Key"] == KEY
    assert first["body"]["format"] == "text"


def test_google_cloud_default_request_and_answer_shapes() -> None:
    settings = EngineSettings("gcloud", "google")
    built = google_cloud_request(settings, KEY, "en", "de", ["One", "Two"])
    assert built.url == "https://translation.googleapis.com/language/translate/v2"
    assert json.loads(built.body) == {
        "q": ["One", "Two"], "source": "en", "target": "de", "format": "text"
    }  # fmt: skip
    payload = {"data": {"translations": [{"translatedText": "Eins"}, {"translatedText": "Zwei"}]}}
    assert google_cloud_answers(payload) == ["Eins", "Zwei"]
    assert deepl_answers({"translations": [{"text": "x"}, {}]}) == ["x", None]
    assert microsoft_answers([{"translations": []}]) == [None]


@pytest.mark.parametrize(
    ("status", "message", "tries"),
    [
        (403, "deepl: the API key was refused (403)", 1),
        (456, "deepl: the quota is used up (456)", 1),
        (429, "deepl: too many requests (429) (after 4 tries)", 4),
        (400, "deepl: HTTP 400: bad KEY-7c1e", 1),
    ],
)
def test_batch_api_statuses_and_the_key_is_scrubbed(
    recorder: Callable[..., _Recorder], status: int, message: str, tries: int
) -> None:
    server = recorder(lambda body: (status, {"message": f"bad {KEY}"}))
    engine = _engine(EngineSettings("deepl", "deepl", url=server.url))
    outcomes = engine.translate_many(["Hello there", "Good bye now"], "en", "de")
    expected = message.replace(KEY, "***")
    assert [o.message for o in outcomes] == [expected] * 2  # type: ignore[union-attr]
    assert len(server.requests) == tries


def test_every_batch_kind_has_documented_limits() -> None:
    assert set(BATCH_APIS) == set(BATCH_LIMITS) == {"libre", "deepl", "google-cloud", "microsoft"}
    assert BATCH_LIMITS["deepl"] == BatchLimits(50, 100_000, 128 * 1024)
    assert BATCH_LIMITS["microsoft"] == BatchLimits(1000, 50_000)


# --- through pretranslate: one request per catalogue, exact counts ---------------------


def _pretranslate(project: Any, server: TranslateServer, **options: Any) -> Any:
    from uai18n.config import load_config
    from uai18n.pretranslate.run import Options, pretranslate
    from uai18n.project import Project

    config = load_config(project)
    return pretranslate(
        Project(config),
        ("de",),
        Project(config).sources(),
        Options(engine="libre", engine_url=server.url, backoff=0.0, **options),
    )


def test_pretranslate_sends_a_catalogue_in_one_request_as_the_dry_run_counted(
    project: Any, server: TranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    dry = _pretranslate(project, server, dry_run=True)
    assert server.requests == []
    real = _pretranslate(project, server)
    assert not real.problems and real.filled["from machine"] == 34
    assert len(server.requests) == 1  # 34 segments, ~4.7k characters: one request
    assert real.sent_segments == dry.sent_segments == {("libre", "de"): 34}
    assert real.sent_chars == dry.sent_chars
    assert server.characters == sum(real.sent_chars.values())


def test_pretranslate_budget_is_exact_with_batches(
    project: Any, server: TranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    dry = _pretranslate(project, server, dry_run=True, max_chars=1000)
    real = _pretranslate(project, server, max_chars=1000)
    assert real.stopped and len(server.requests) == 1
    assert server.characters == sum(real.sent_chars.values()) == sum(dry.sent_chars.values())
    assert 0 < server.characters <= 1000
    assert real.notices == dry.notices


def test_pretranslate_reports_each_failed_item_and_keeps_the_rest(
    project: Any, server: TranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    server.behaviour = "drop-placeholders"  # only texts with a ⟦n⟧ token are hurt
    result = _pretranslate(project, server)
    rejected = [line for line in result.problems if "suggestion rejected" in line]
    assert rejected and len(rejected) == len(result.problems)
    assert 0 < result.filled["from machine"] < 34
    assert len(server.requests) == 1


def test_pretranslate_a_failed_batch_fails_its_segments_and_counts_once(
    project: Any, server: TranslateServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    server.behaviour = "status:503"
    result = _pretranslate(project, server)
    assert len(result.problems) == 34
    assert all("server error 503 (after 4 tries)" in line for line in result.problems)
    assert len(server.requests) == 4  # one batch, retried three times
    assert result.notices == []  # one failed request: the breaker is not open


def test_pretranslate_with_a_server_refusing_lists_fills_every_catalogue_and_counts_exactly(
    project: Any,
    server: TranslateServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from uai18n.config import load_config
    from uai18n.po import read_catalog, write_catalog
    from uai18n.pretranslate.run import Options, pretranslate
    from uai18n.project import Project

    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    server.accept_lists = False
    es = "po/es/ua-2-19-chechnya.po"  # emptied: a second catalogue for the engine
    catalog = read_catalog(project / es, es)
    for entry in catalog:
        if entry.msgid:
            entry.msgstr, entry.flags = "", [f for f in entry.flags if f != "fuzzy"]
    write_catalog(project / es, catalog)

    def run(**options: Any) -> Any:
        project_ = Project(load_config(project))
        options = {"engine": "libre", "engine_url": server.url, "backoff": 0.0, **options}
        return pretranslate(project_, ("de", "es"), project_.sources(), Options(**options))

    dry = run(dry_run=True)
    real = run()
    assert not real.problems
    assert real.sent_segments == dry.sent_segments and real.sent_chars == dry.sent_chars
    segments = sum(real.sent_segments.values())
    assert set(real.sent_segments) == {("libre", "de"), ("libre", "es")}
    assert real.filled["from machine"] == segments
    assert [r["refused"] for r in server.requests if r.get("refused")] == [True]  # once a run
    assert len(server.requests) == 1 + segments
    assert server.characters == sum(real.sent_chars.values())
    said = capsys.readouterr().err.splitlines() + real.notices  # stderr, or the run's notices
    assert sum("refused a list of texts" in line for line in said) == 1


def test_the_cli_says_once_on_stderr_that_lists_were_refused(
    project: Any, server: TranslateServer, monkeypatch: pytest.MonkeyPatch, cli: Any
) -> None:
    monkeypatch.setenv("LIBRETRANSLATE_API_KEY", KEY)
    server.accept_lists = False
    result = cli(
        "-C", str(project), "pretranslate", "--lang", "de", "--engine", "libre",
        "--engine-url", server.url,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.count("libre refused a list of texts") == 1
    assert "libre de: sent 34 segment(s)" in result.stdout
    assert len(server.requests) == 1 + 34
    assert KEY not in result.output
