"""A scriptable LibreTranslate stand-in on 127.0.0.1, for machine-translation tests.

What deep-translator 1.11.4's ``LibreTranslator`` does (read from its source,
``deep_translator/libre.py``, and proven in tests/test_translate_server.py):

* Request: ``requests.post(custom_url + "translate", params={...})``, the module-level
  function, no Session. ``custom_url`` is concatenated, so it must end with "/".
  Everything travels in the URL query string, the body is empty:
  ``q``, ``source``, ``target``, ``format=text`` and ``api_key``. So the API key
  (and the text) land in any proxy or server access log, and a long ``q`` can hit a
  server's URL-length limit (often 8 KB behind nginx) long before LibreTranslate's
  own character limit.
* No timeout: ``requests.post`` gets none, so a server that never answers blocks
  the caller for ever. The only ways to bound it are to replace
  ``deep_translator.libre.requests`` (it looks ``requests.post`` up at call time)
  with something whose ``post`` passes ``timeout=`` (then a slow answer raises
  ``requests.exceptions.ReadTimeout``), to run the call in a worker thread and stop
  waiting, or to call the API with requests directly.
* No retries, no backoff, no ``Retry-After`` handling, and the error body is never read.
* ``/languages`` is never called: the supported languages are a hard-coded dict of
  17 (ar de en es fr ga hi id it ja ko pl pt ru tr vi zh). Any other code (uk, fa,
  pt-BR, zh-Hant ...) raises ``LanguageNotSupportedException`` in the constructor.
* No batch request: ``translate_batch`` calls ``translate`` once per text, in order,
  and the first failure loses the translations already made.
* ``translate("")`` and source == target return the text without any request; a
  non-str raises ``NotValidPayload``; an empty ``api_key`` raises
  ``ApiKeyException`` (the default comes from ``LIBRE_API_KEY`` at *import* time).
* Answers, as ``translate`` reports them:
  - 200 with ``{"translatedText": t}``: returns ``t``, whatever it is: ``""``, the
    source unchanged, placeholders dropped or doubled all come back silently.
  - 200 with ``{}`` (an empty JSON object): ``TranslationNotFound``.
  - 200 with an HTML page: ``requests.exceptions.JSONDecodeError`` (escapes raw;
    it is both a ``ValueError`` and a ``requests.RequestException``).
  - 403: ``AuthorizationException``, whose message *contains the API key*.
  - any other non-2xx: ``ServerException`` whose only trace of the status is the
    message: 429 "ERR_TOO_MANY_REQUESTS", 500 "ERR_INTERNAL_SERVER_ERROR",
    503 "ERR_SERVICE_NOT_AVAIBLE" (sic), 400 "ERR_BAD_REQUEST", unknown codes
    "API server error". There is no ``status_code`` attribute.
  - connection refused or dropped: ``requests.exceptions.ConnectionError``, raw.
    deep-translator means to turn it into ``ServerException(503)`` but catches the
    built-in ``ConnectionError``, which requests' exception does not derive from.
  All deep-translator exceptions derive from ``Exception`` only (``BaseError``,
  ``ServerException``, ``AuthorizationException`` have no common base), so a
  wrapper must catch ``deep_translator.exceptions.*`` and ``requests.RequestException``.

A batch (``q`` a JSON list, as LibreTranslate takes it) is answered with
``translatedText`` as a list, one per ``q``, in order; ``server.item_behaviours``
makes single texts of it fail ("empty", "echo", "drop-placeholders").
``server.accept_lists = False`` makes it a server without list support: a list
``q`` is answered 400, as old LibreTranslate versions and look-alikes do, a string
``q`` as usual; ``server.batch_limit = N`` refuses lists longer than N with 400,
as LibreTranslate's ``--batch-limit`` does. A refused list is recorded (with
``"refused": True``) but its characters are not counted: nothing was translated.

Behaviours a test can script (``server.behaviour = "ok"`` or a list, consumed one per
``/translate`` request, the last one repeating):
"ok", "slow" (waits ``server.delay`` seconds, then "ok"), "status:NNN", "html",
"empty", "echo", "drop-placeholders", "duplicate-placeholders", "no-translation"
(``{}``), "disconnect" (closes the connection without answering) and "drip" (the
"ok" answer, status line and headers included, one byte every ``server.drip_interval``
seconds: every socket read gets data in time, so a per-read timeout never fires; the
server gives up after ``server.drip_limit`` seconds so an unguarded client ends too).
"""

from __future__ import annotations

import json
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

#: Placeholder tokens our pipeline protects: ``⟦0⟧`` and ``{deadline}``.
PLACEHOLDER = re.compile(r"⟦\d+⟧|\{[A-Za-z_][A-Za-z0-9_]*\}")

BEHAVIOURS = frozenset(
    {
        "ok",
        "slow",
        "html",
        "empty",
        "echo",
        "drop-placeholders",
        "duplicate-placeholders",
        "no-translation",
        "disconnect",
        "drip",
    }
)

HTML_ERROR_PAGE = (
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n"
)

LANGUAGES = [
    {"code": code, "name": name, "targets": ["ar", "de", "en", "es", "fr", "pt", "ru"]}
    for code, name in [
        ("ar", "Arabic"),
        ("de", "German"),
        ("en", "English"),
        ("es", "Spanish"),
        ("fr", "French"),
        ("pt", "Portuguese"),
        ("ru", "Russian"),
    ]
]


def translated(q: str, target: str) -> str:
    """The "ok" answer: deterministic, and placeholders come through intact."""
    return f"[{target}] {q}"


class TranslateServer:
    """The running server, what it received, and what it will answer next."""

    def __init__(self, delay: float = 2.0) -> None:
        self.delay = delay
        self.drip_interval = 0.05
        self.drip_limit = 5.0
        self.requests: list[dict[str, Any]] = []
        self.characters = 0
        #: per-text behaviours inside an "ok" answer ("empty", "echo", "drop-placeholders",
        #: "duplicate-placeholders"): one item of a batch fails, the others do not
        self.item_behaviours: dict[str, str] = {}
        #: False: a list ``q`` gets 400 (no list support); a string ``q`` is answered
        self.accept_lists = True
        #: the longest list ``q`` taken (LibreTranslate's ``--batch-limit``); None: any
        self.batch_limit: int | None = None
        self._behaviours = ["ok"]
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(self)
        host, port = self._httpd.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def behaviour(self) -> list[str]:
        """What the next /translate requests get; the last entry repeats."""
        with self._lock:
            return list(self._behaviours)

    @behaviour.setter
    def behaviour(self, value: str | list[str]) -> None:
        behaviours = [value] if isinstance(value, str) else list(value)
        if not behaviours:
            raise ValueError("behaviour needs at least one entry")
        for name in behaviours:
            if name not in BEHAVIOURS and not re.fullmatch(r"status:[1-5][0-9][0-9]", name):
                raise ValueError(f"unknown behaviour {name!r}")
        with self._lock:
            self._behaviours = behaviours

    def start(self) -> TranslateServer:
        self._thread.start()
        return self

    def close(self) -> None:
        """Wake any "slow" handler, stop serving, free the port; never hangs."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def refusal(self, q: object) -> str | None:
        """The 400 error a list ``q`` gets from a server without (enough) list support."""
        if not isinstance(q, list):
            return None
        if not self.accept_lists:
            return "Invalid request: q must be a string"
        if self.batch_limit is not None and len(q) > self.batch_limit:
            return f"Invalid request: request ({len(q)}) exceeds text limit ({self.batch_limit})"
        return None

    def _record(self, request: dict[str, Any], q: str | list[str] | None) -> str:
        """Store a /translate request and take the behaviour for it; a refused list
        takes none and adds no characters."""
        with self._lock:
            self.requests.append(request)
            if request.get("refused"):
                return "refused"
            texts = [q] if isinstance(q, str) else q or []
            self.characters += sum(len(text) for text in texts)
            if len(self._behaviours) > 1:
                return self._behaviours.pop(0)
            return self._behaviours[0]

    def _wait(self) -> None:
        self._stopping.wait(self.delay)

    def _drip(self, write: Callable[[bytes], object], data: bytes) -> None:
        """Send ``data`` a byte at a time; stop early on close or past the drip limit."""
        ends = time.monotonic() + self.drip_limit
        for index in range(len(data)):
            if self._stopping.is_set() or time.monotonic() > ends:
                return
            write(data[index : index + 1])
            self._stopping.wait(self.drip_interval)


class _Server(ThreadingHTTPServer):
    """Daemon handler threads (a sleeping one never holds up exit), owner attached."""

    daemon_threads = True

    def __init__(self, owner: TranslateServer) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.owner = owner

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a timeout, a "disconnect") is expected, not news."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows what matters."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.server.owner
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        params = _params(parse_qs(url.query, keep_blank_values=True))
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if raw and content_type == "application/json":
            body = json.loads(raw)
            if isinstance(body, dict):
                params.update(body)
        elif raw and content_type == "application/x-www-form-urlencoded":
            params.update(_params(parse_qs(raw, keep_blank_values=True)))
        if url.path == "/languages":
            self._json(200, LANGUAGES)
            return
        if url.path != "/translate":
            self._json(404, {"error": f"no endpoint {url.path}"})
            return
        request = {
            "method": self.command,
            "path": url.path,
            "params": params,
            "body": raw,
            "headers": dict(self.headers.items()),
        }
        q = params.get("q")
        refused = owner.refusal(q)
        if refused is not None:
            request["refused"] = True
        behaviour = owner._record(request, q)
        if refused is not None:
            self._json(400, {"error": refused})
            return
        if q is None:
            self._json(400, {"error": "Invalid request: missing q parameter"})
            return
        self._answer(owner, behaviour, q, str(params.get("target", "")))

    def _answer(
        self, owner: TranslateServer, behaviour: str, q: str | list[str], target: str
    ) -> None:
        if behaviour == "slow":
            owner._wait()
            behaviour = "ok"
        if behaviour == "drip":
            texts = [q] if isinstance(q, str) else q
            answers = [translated(text, target) for text in texts]
            self._drip_answer(owner, answers[0] if isinstance(q, str) else answers)
            return
        if behaviour.startswith("status:"):
            code = int(behaviour.split(":")[1])
            self._json(code, {"error": f"scripted status {code}"})
        elif behaviour == "disconnect":
            self.close_connection = True
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        elif behaviour == "html":
            self._send(200, "text/html; charset=utf-8", HTML_ERROR_PAGE.encode())
        elif behaviour == "no-translation":
            self._json(200, {})
        else:
            texts = [q] if isinstance(q, str) else q
            answers = [
                _translate(owner.item_behaviours.get(text, behaviour), text, target)
                for text in texts
            ]
            self._json(200, {"translatedText": answers[0] if isinstance(q, str) else answers})

    def _drip_answer(self, owner: TranslateServer, answer: str | list[str]) -> None:
        """The whole response, status line first, dripped; the connection then closes."""
        data = json.dumps({"translatedText": answer}, ensure_ascii=False).encode()
        head = (
            f"{self.protocol_version} 200 OK\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
        )
        self.close_connection = True
        owner._drip(self.wfile.write, head.encode() + data)

    def _json(self, code: int, payload: object) -> None:
        self._send(code, "application/json", json.dumps(payload, ensure_ascii=False).encode())

    def _send(self, code: int, content_type: str, data: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _translate(behaviour: str, q: str, target: str) -> str:
    answer = translated(q, target)
    if behaviour == "empty":
        return ""
    if behaviour == "echo":
        return q
    if behaviour == "drop-placeholders":
        return PLACEHOLDER.sub("", answer)
    if behaviour == "duplicate-placeholders":
        return PLACEHOLDER.sub(lambda token: token.group() * 2, answer)
    return answer


def _params(parsed: dict[str, list[str]]) -> dict[str, Any]:
    """One value as a str; a repeated one (``q=a&q=b``, a batch) as a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in parsed.items()}


@pytest.fixture
def translate_server() -> Iterator[TranslateServer]:
    """A fresh server per test, answering "ok" until told otherwise."""
    server = TranslateServer().start()
    try:
        yield server
    finally:
        server.close()
