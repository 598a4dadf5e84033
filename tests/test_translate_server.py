"""The LibreTranslate stand-in, and what deep-translator's LibreTranslator makes of each answer.

These tests pin deep-translator's behaviour (summarised at the top of
tests/translate_server.py) so that an upgrade that changes it fails here first.
"""

from __future__ import annotations

import functools
import socket
import threading
import time
import types
from typing import Any

import pytest
import requests
from deep_translator import LibreTranslator, exceptions
from deep_translator import libre as deep_libre
from translate_server import TranslateServer, translate_server  # noqa: F401

Server = TranslateServer


@pytest.fixture
def server(translate_server: Server) -> Server:  # noqa: F811 (the imported fixture)
    """The shared fixture under a name that does not shadow its import."""
    return translate_server


def _libre(server: Server, target: str = "fr") -> LibreTranslator:
    return LibreTranslator(source="en", target=target, custom_url=server.url, api_key="SECRET")


def test_ok_request_shape_and_character_count(server: Server) -> None:
    text = "Write to ⟦0⟧ before {deadline} & <b>now</b>: Ахмед ✊"
    assert _libre(server).translate(text) == f"[fr] {text}"
    (request,) = server.requests
    assert request["method"] == "POST"
    assert request["path"] == "/translate"
    assert request["params"] == {
        "q": text,
        "source": "en",
        "target": "fr",
        "format": "text",
        "api_key": "SECRET",  # in the URL: access logs see it
    }
    assert request["body"] == ""  # everything is in the query string
    assert request["headers"]["User-Agent"].startswith("python-requests/")
    assert server.characters == len(text)


def test_deep_translator_passes_no_timeout(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []

    def spy(url: str, **kwargs: Any) -> requests.Response:
        calls.append({"url": url, **kwargs})
        return requests.post(url, **kwargs)

    monkeypatch.setattr(deep_libre, "requests", types.SimpleNamespace(post=spy))
    _libre(server).translate("Free him")
    assert calls == [
        {
            "url": server.url + "translate",
            "params": {
                "q": "Free him",
                "source": "en",
                "target": "fr",
                "format": "text",
                "api_key": "SECRET",
            },
        }
    ]


def test_slow_blocks_the_caller_for_as_long_as_the_server_likes(server: Server) -> None:
    server.behaviour = "slow"
    server.delay = 0.4
    started = time.monotonic()
    assert _libre(server).translate("Act now") == "[fr] Act now"
    assert time.monotonic() - started >= 0.35  # and no timeout ended it


def test_slow_with_a_timeout_patched_in_raises_read_timeout(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.behaviour = "slow"  # the default 2 s delay; teardown must not wait for it
    with_timeout = functools.partial(requests.post, timeout=0.2)
    monkeypatch.setattr(deep_libre, "requests", types.SimpleNamespace(post=with_timeout))
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        _libre(server).translate("Act now")
    assert time.monotonic() - started < 1.5


def test_drip_satisfies_a_per_read_timeout(server: Server) -> None:
    """Why ``timeout=`` is not a deadline: every read gets its byte within 50 ms."""
    server.behaviour = "drip"
    outcome: list[BaseException | str] = []

    def call() -> None:
        try:
            outcome.append(requests.post(server.url + "translate?q=x", timeout=0.2).text)
        except requests.RequestException as error:
            outcome.append(error)

    caller = threading.Thread(target=call, daemon=True)
    caller.start()
    caller.join(timeout=1.0)
    assert caller.is_alive() and outcome == []  # 5 x the timeout, and still reading
    server.close()  # stops the drip: the truncated answer fails the call
    caller.join(timeout=5)
    assert not caller.is_alive() and len(outcome) == 1


def test_drip_sends_the_whole_answer_given_time(server: Server) -> None:
    server.behaviour = "drip"
    server.drip_interval = 0.001
    response = requests.post(server.url + "translate", params={"q": "x", "target": "fr"}, timeout=5)
    assert response.json() == {"translatedText": "[fr] x"}


def test_closing_a_server_with_a_slow_request_in_flight_does_not_hang() -> None:
    server = TranslateServer(delay=30).start()
    server.behaviour = "slow"
    answers: list[str] = []
    caller = threading.Thread(
        target=lambda: answers.append(requests.post(server.url + "translate?q=x", timeout=5).text),
        daemon=True,
    )
    caller.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    server.close()
    caller.join(timeout=5)
    assert time.monotonic() - started < 2
    assert answers == ['{"translatedText": "[] x"}']  # woken and answered, not killed


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (429, "ERR_TOO_MANY_REQUESTS"),
        (500, "ERR_INTERNAL_SERVER_ERROR"),
        (503, "ERR_SERVICE_NOT_AVAIBLE"),  # sic
        (400, "ERR_BAD_REQUEST"),
        (502, "API server error"),
    ],
)
def test_error_status_raises_server_exception(server: Server, status: int, message: str) -> None:
    server.behaviour = f"status:{status}"
    with pytest.raises(exceptions.ServerException) as caught:
        _libre(server).translate("Free them")
    assert caught.value.args == (message,)  # the status itself is not kept
    assert not hasattr(caught.value, "status_code")


def test_error_status_body_is_json(server: Server) -> None:
    server.behaviour = "status:429"
    response = requests.post(server.url + "translate", params={"q": "x"}, timeout=5)
    assert (response.status_code, response.json()) == (429, {"error": "scripted status 429"})


def test_403_raises_authorization_exception_carrying_the_key(server: Server) -> None:
    server.behaviour = "status:403"
    with pytest.raises(exceptions.AuthorizationException, match="SECRET"):
        _libre(server).translate("Free them")


def test_html_page_with_200_escapes_as_a_requests_json_error(server: Server) -> None:
    server.behaviour = "html"
    with pytest.raises(requests.exceptions.JSONDecodeError) as caught:
        _libre(server).translate("Free them")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, requests.RequestException)


def test_empty_json_object_raises_translation_not_found(server: Server) -> None:
    server.behaviour = "no-translation"
    with pytest.raises(exceptions.TranslationNotFound):
        _libre(server).translate("Free them")


def test_dropped_connection_is_a_raw_requests_connection_error(server: Server) -> None:
    server.behaviour = "disconnect"
    with pytest.raises(requests.exceptions.ConnectionError):
        _libre(server).translate("Free them")


def test_refused_connection_is_not_turned_into_server_exception() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    libre = LibreTranslator(
        source="en", target="fr", custom_url=f"http://127.0.0.1:{port}/", api_key="SECRET"
    )
    with pytest.raises(requests.exceptions.ConnectionError):
        libre.translate("Free them")


@pytest.mark.parametrize(
    ("behaviour", "expected"),
    [
        ("empty", ""),
        ("echo", "Write to ⟦0⟧ by {deadline}"),
        ("drop-placeholders", "[fr] Write to  by "),
        ("duplicate-placeholders", "[fr] Write to ⟦0⟧⟦0⟧ by {deadline}{deadline}"),
    ],
)
def test_bad_translations_come_back_silently(server: Server, behaviour: str, expected: str) -> None:
    server.behaviour = behaviour
    assert _libre(server).translate("Write to ⟦0⟧ by {deadline}") == expected


def test_scripted_sequence_then_last_repeats(server: Server) -> None:
    server.behaviour = ["status:429", "status:503", "ok"]
    libre = _libre(server)
    outcomes: list[str] = []
    for _ in range(4):
        try:
            outcomes.append(libre.translate("Free them"))
        except exceptions.ServerException as error:
            outcomes.append(str(error))
    assert outcomes == [
        "ERR_TOO_MANY_REQUESTS",
        "ERR_SERVICE_NOT_AVAIBLE",
        "[fr] Free them",
        "[fr] Free them",
    ]
    assert len(server.requests) == 4  # deep-translator never retries itself
    assert server.characters == 4 * len("Free them")


def test_batch_is_one_request_per_text_and_stops_at_the_first_failure(
    server: Server,
) -> None:
    libre = _libre(server, target="de")
    assert libre.translate_batch(["One", "", "Two"]) == ["[de] One", "", "[de] Two"]
    assert [r["params"]["q"] for r in server.requests] == ["One", "Two"]
    server.behaviour = ["ok", "status:500", "ok"]
    with pytest.raises(exceptions.ServerException):
        libre.translate_batch(["Three", "Four", "Five"])
    assert [r["params"]["q"] for r in server.requests][2:] == ["Three", "Four"]


def test_server_also_answers_a_json_batch_like_libretranslate(server: Server) -> None:
    response = requests.post(
        server.url + "translate",
        json={"q": ["Free ⟦0⟧", "now"], "source": "en", "target": "es", "api_key": "K"},
        timeout=5,
    )
    assert response.json() == {"translatedText": ["[es] Free ⟦0⟧", "[es] now"]}
    assert server.requests[0]["params"]["api_key"] == "K"
    assert server.characters == len("Free ⟦0⟧") + len("now")


def test_languages_endpoint_exists_but_deep_translator_never_calls_it(
    server: Server,
) -> None:
    libre = _libre(server)
    assert "french" in [name.lower() for name in libre.get_supported_languages()]
    assert server.requests == []
    languages = requests.get(server.url + "languages", timeout=5).json()
    assert ("fr", "French") in {(language["code"], language["name"]) for language in languages}


@pytest.mark.parametrize("target", ["uk", "pt-BR", "zh-Hant", "fa", "sw"])
def test_languages_outside_deep_translators_list_fail_at_construction(
    server: Server, target: str
) -> None:
    with pytest.raises(exceptions.LanguageNotSupportedException):
        _libre(server, target=target)


def test_input_errors_make_no_request(server: Server) -> None:
    with pytest.raises(exceptions.ApiKeyException):
        LibreTranslator(source="en", target="fr", custom_url=server.url, api_key="")
    with pytest.raises(exceptions.NotValidPayload):
        _libre(server).translate(42)  # type: ignore[arg-type]
    assert server.requests == []


def test_empty_text_and_same_language_make_no_request(server: Server) -> None:
    assert _libre(server).translate("") == ""
    assert _libre(server, target="en").translate("Free them") == "Free them"
    assert server.requests == []


def test_unknown_behaviour_is_refused(server: Server) -> None:
    with pytest.raises(ValueError, match="unknown behaviour 'status:42'"):
        server.behaviour = "status:42"
    with pytest.raises(ValueError, match="at least one"):
        server.behaviour = []


def test_a_server_without_list_support_refuses_lists_with_400(server: Server) -> None:
    server.accept_lists = False
    server.behaviour = ["status:503", "ok"]  # a refused list takes no scripted behaviour
    url = server.url + "translate"
    body = {"q": ["Free them", "Act now"], "source": "en", "target": "fr"}
    refused = requests.post(url, json=body, timeout=5)
    assert refused.status_code == 400
    assert refused.json() == {"error": "Invalid request: q must be a string"}
    assert server.characters == 0 and server.requests[0]["refused"]
    assert requests.post(url, json={**body, "q": "Free them"}, timeout=5).status_code == 503
    assert _libre(server).translate("Free them") == "[fr] Free them"  # a string q: as ever
    server.accept_lists, server.batch_limit = True, 1
    too_many = requests.post(url, json=body, timeout=5)
    assert too_many.status_code == 400
    assert too_many.json()["error"] == "Invalid request: request (2) exceeds text limit (1)"
    assert requests.post(url, json={**body, "q": ["Act now"]}, timeout=5).json() == {
        "translatedText": ["[fr] Act now"]
    }
