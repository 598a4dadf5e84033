"""Machine-translation engines through deep-translator, made safe to depend on.

deep-translator gives one call per engine but sets no timeout, never retries,
and reports failures through a dozen unrelated exception types (some carrying
the API key in their message). :class:`Engine` wraps any of its translators
(or a fake one in tests) so that:

* every attempt has a deadline (:class:`Deadline`): the whole of it, connect,
  TLS, headers and body, not each socket read, so a server dripping a byte at a
  time cannot hold the run;
* 429 and 5xx answers are retried a bounded number of times, with
  exponential backoff and jitter;
* a timeout, a refused connection, an empty answer, an HTML page or the
  source sent back unchanged is a failure of that segment, reported;
* after :data:`DOWN_AFTER` consecutive failures the engine is *down* for the
  rest of the run, so a dead engine costs seconds, not segments x timeout;
* no message ever holds the API key.

Engines with a batch API (LibreTranslate, DeepL, Microsoft, Google Cloud
Translation v2) get several texts per request (:class:`HTTPBatch`, within
:data:`BATCH_LIMITS`), behind the same deadline, retries and breaker:
deep-translator's ``translate_batch`` is one request per text, so those
requests are built here with ``requests``. :meth:`Engine.translate_many` gives
one outcome per text: a failed request fails its texts, a bad answer fails
its own text only. The breaker counts requests: a request that failed, or
whose every answer was rejected, is one failure; any good answer resets it.

A LibreTranslate server (or look-alike) that predates list ``q``, or whose
``--batch-limit``/``--char-limit`` is below ours, answers a list with HTTP 400
or with something that is not one translation per text. Such a refusal is
followed by one request for the chunk's first text alone (``q`` a string); if
the server answers that, the engine sends one text per request for the rest of
the run (:attr:`Engine.single_texts`), says so once, and the refused list costs
the breaker nothing. A wrong count or shape is never matched to texts: the
refused chunk's texts are sent again, one each, or fail.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import json
import os
import random
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import urlencode

import requests
import urllib3
from babel import Locale
from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
    constants,
)
from deep_translator import exceptions as dt

from uai18n.config import EngineSettings
from uai18n.errors import UserError

#: The longest text each engine takes in one request (characters).
MAX_TEXT = {"google": 5000, "mymemory": 500, "deepl": 100_000, "microsoft": 50_000, "libre": 5000}

DOWN_AFTER = 3
RETRIES = 3
BACKOFF = 0.5  # seconds before the first retry; doubled each time, plus up to 100% jitter

_RETRYABLE = re.compile(r"TOO_MANY_REQUESTS|INTERNAL_SERVER_ERROR|NOT_AVAIBLE|API server error")
_HTML = re.compile(r"^\s*<(?:!doctype|html|head|body)\b", re.IGNORECASE)
_WORDS = re.compile(r"[^\W\d_]{2,}")

T = TypeVar("T")
Translate = Callable[[str], str]
Factory = Callable[[str, str], Translate]  # (source, target) -> translate(text)


#: Each engine's language codes (name -> code), where deep-translator has them.
_LANGUAGE_TABLES: dict[str, dict[str, str]] = {
    "google": constants.GOOGLE_LANGUAGES_TO_CODES,
    "mymemory": constants.MY_MEMORY_LANGUAGES_TO_CODES,
    "deepl": constants.DEEPL_LANGUAGE_TO_CODE,
    "libre": constants.LIBRE_LANGUAGES_TO_CODES,
}
_SCRIPT_REGIONS = {"Hans": "CN", "Hant": "TW"}


def engine_language(kind: str, code: str) -> str:
    """What an engine calls a gettext language: ``fr`` is ``fr`` to Google and
    LibreTranslate, ``fr-FR`` to MyMemory; ``zh_Hant`` is ``zh-TW`` to Google.

    Tried in order: the code itself (BCP 47), its base, the code of the
    language's English name in the engine's table, then the engine's first
    regional variant of the base. Unknown: the base, which the engine refuses
    with a clear message.
    """
    parts = code.split("@")[0].split("_")
    base = parts[0]
    if len(parts) > 1 and parts[1] in _SCRIPT_REGIONS:
        parts = [base, _SCRIPT_REGIONS[parts[1]]]
    bcp = "-".join(parts)
    table = _LANGUAGE_TABLES.get(kind)
    if table is None:
        return bcp if len(parts) > 1 else base
    codes = {value.lower(): value for value in table.values()}
    candidates = [bcp, base]
    with contextlib.suppress(ValueError, TypeError):
        candidates.append(table.get(Locale.parse(base).english_name.lower(), ""))
    variants = sorted(value for value in codes if value.startswith(base + "-"))
    if code.endswith("@latin"):  # sr@latin: the Latin-script variant, if there is one
        variants.sort(key=lambda value: "latn" not in value)
        candidates = [bcp, *variants[:1], base]
    candidates += variants
    for candidate in candidates:
        if candidate and candidate.lower() in codes:
            return codes[candidate.lower()]
    return base


class EngineError(Exception):
    """One segment could not be translated; ``message`` is safe to print."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        engine_fault: bool = True,
        bad_shape: bool = False,
    ):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.engine_fault = engine_fault  # counts toward "down"
        #: HTTP 400, or an answer that is not one translation per text: for a
        #: list request, what a server without list support does
        self.bad_shape = bad_shape


class EngineDown(EngineError):
    """The engine failed too often in a row; nothing more is sent to it."""


def api_key(settings: EngineSettings) -> str | None:
    """The key from its environment variable; a missing one is bad input (exit 2)."""
    variable = settings.key_variable
    if variable is None:
        return None
    value = os.environ.get(variable, "")
    if not value:
        raise UserError(
            f"engine {settings.name!r} needs an API key: set the environment variable {variable}"
        )
    return value


def deep_translator_factory(settings: EngineSettings, key: str | None) -> Factory:
    """(source, target) -> a translate function: an :class:`HTTPBatch` where the
    engine has a batch API, else the deep-translator engine's ``translate``."""
    kind = settings.kind
    api = _batch_api(settings, key)

    def make(source: str, target: str) -> Translate:
        if api is not None:
            return HTTPBatch(api, settings, key, source, target)
        if kind == "google":
            translator = GoogleTranslator(source=source, target=target)
        elif kind == "mymemory":
            translator = MyMemoryTranslator(source=source, target=target)
        elif kind == "deepl":
            translator = DeeplTranslator(
                source=source, target=target, api_key=key, use_free_api=settings.free_api
            )
        elif kind == "microsoft":
            translator = MicrosoftTranslator(
                source=source, target=target, api_key=key, region=settings.region
            )
        else:
            url = settings.url or "https://libretranslate.com/"
            translator = LibreTranslator(
                source=source,
                target=target,
                api_key=key,
                custom_url=url if url.endswith("/") else url + "/",
            )
        return translator.translate

    return make


# --- batch APIs --------------------------------------------------------------------


@dataclass(frozen=True)
class BatchLimits:
    """What one request of a batch API may carry: texts, characters (the sum of
    the texts), and, where the engine counts it, bytes of the request body."""

    texts: int
    chars: int
    body_bytes: int | None = None


#: Per request, from each engine's documentation (README "Pre-translation"):
#: LibreTranslate has no fixed limit, each server sets ``--char-limit`` (on the sum
#: of a batch) and ``--batch-limit``; 5000 characters is deep-translator's limit and
#: common public settings. DeepL: 50 texts, a 128 KiB body. Google Cloud
#: Translation v2: 128 segments, ~30k code points recommended. Microsoft v3:
#: 1000 texts, 50,000 characters.
BATCH_LIMITS = {
    "libre": BatchLimits(texts=50, chars=5000),
    "deepl": BatchLimits(texts=50, chars=100_000, body_bytes=128 * 1024),
    "google-cloud": BatchLimits(texts=128, chars=30_000),
    "microsoft": BatchLimits(texts=1000, chars=50_000),
}

#: Where each batch API lives unless the engine's ``url`` says otherwise.
_BATCH_URLS = {
    "libre": "https://libretranslate.com/",
    "deepl": "https://api-free.deepl.com/v2/",
    "deepl-pro": "https://api.deepl.com/v2/",
    "google-cloud": "https://translation.googleapis.com/language/translate/v2",
    "microsoft": "https://api.cognitive.microsofttranslator.com/",
}


@dataclass(frozen=True)
class BatchRequest:
    """One HTTP request of a batch API, built but not sent (tests read it)."""

    url: str
    headers: dict[str, str]
    body: bytes


class HTTPStatusError(Exception):
    """A batch API answered a non-2xx status; ``detail`` is its error message, if any."""

    def __init__(self, status: int, detail: str = "") -> None:
        super().__init__(f"HTTP {status}" + (f": {detail}" if detail else ""))
        self.status = status
        self.detail = detail


def _json_body(payload: object) -> bytes:
    """UTF-8 JSON as sent (``requests``' ``json=`` would escape every non-ASCII
    character to six bytes, and a body limit counts bytes)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


_JSON = {"Content-Type": "application/json; charset=utf-8"}


def _base(settings: EngineSettings, default: str) -> str:
    url = settings.url or default
    return url if url.endswith("/") else url + "/"


def libre_request(
    settings: EngineSettings, key: str | None, source: str, target: str, texts: Sequence[str]
) -> BatchRequest:
    """LibreTranslate ``/translate`` with ``q`` as a JSON list; the key in the body,
    not in the URL (deep-translator puts it in the query string)."""
    return _libre(settings, key, source, target, list(texts))


def libre_single_request(
    settings: EngineSettings, key: str | None, source: str, target: str, text: str
) -> BatchRequest:
    """``q`` as a string: what every LibreTranslate version takes, lists or not."""
    return _libre(settings, key, source, target, text)


def _libre(
    settings: EngineSettings, key: str | None, source: str, target: str, q: str | list[str]
) -> BatchRequest:
    payload: dict[str, object] = {"q": q, "source": source, "target": target, "format": "text"}
    if key:
        payload["api_key"] = key
    url = _base(settings, _BATCH_URLS["libre"]) + "translate"
    return BatchRequest(url, dict(_JSON), _json_body(payload))


def _field(value: Any, key: str) -> Any:
    """``value[key]`` of a JSON object; None for anything else."""
    return value.get(key) if isinstance(value, dict) else None


def _list_at(payload: Any, *path: str) -> list[Any]:
    """The JSON list at ``path`` of an answer; an answer without one names the path."""
    value = payload
    for key in path:
        value = _field(value, key)
    if not isinstance(value, list):
        raise dt.TranslationNotFound(".".join(path))
    return value


def libre_answers(payload: Any) -> list[object]:
    """``{"translatedText": [...]}``, one per ``q``."""
    return _list_at(payload, "translatedText")


def libre_single_answer(payload: Any) -> str:
    """``{"translatedText": "..."}`` for a string ``q``; a list or anything else is
    not the answer to one text."""
    value = _field(payload, "translatedText")
    if not isinstance(value, str):
        raise dt.TranslationNotFound("translatedText")
    return value


def deepl_request(
    settings: EngineSettings, key: str | None, source: str, target: str, texts: Sequence[str]
) -> BatchRequest:
    """DeepL ``/v2/translate``: ``text`` as a JSON list, the key in the
    ``Authorization`` header."""
    default = _BATCH_URLS["deepl" if settings.free_api else "deepl-pro"]
    payload = {"text": list(texts), "source_lang": source.upper(), "target_lang": target.upper()}
    headers = {**_JSON, "Authorization": f"DeepL-Auth-Key {key or ''}"}
    return BatchRequest(_base(settings, default) + "translate", headers, _json_body(payload))


def deepl_answers(payload: Any) -> list[object]:
    """``{"translations": [{"text": ...}, ...]}``."""
    return [_field(item, "text") for item in _list_at(payload, "translations")]


def google_cloud_request(
    settings: EngineSettings, key: str | None, source: str, target: str, texts: Sequence[str]
) -> BatchRequest:
    """Cloud Translation v2 ``translate``: ``q`` as a JSON list, ``format=text`` (else
    the answer is HTML-escaped), the key in ``X-Goog-Api-Key``, not the URL."""
    url = settings.url or _BATCH_URLS["google-cloud"]
    payload = {"q": list(texts), "source": source, "target": target, "format": "text"}
    headers = {**_JSON, "X-Goog-Api-Key": key or ""}
    return BatchRequest(url, headers, _json_body(payload))


def google_cloud_answers(payload: Any) -> list[object]:
    """``{"data": {"translations": [{"translatedText": ...}, ...]}}``."""
    items = _list_at(payload, "data", "translations")
    return [_field(item, "translatedText") for item in items]


def microsoft_request(
    settings: EngineSettings, key: str | None, source: str, target: str, texts: Sequence[str]
) -> BatchRequest:
    """Translator v3 ``/translate``: a JSON array of ``{"Text": ...}``, the key (and
    region) in headers."""
    query = urlencode({"api-version": "3.0", "from": source, "to": target})
    url = _base(settings, _BATCH_URLS["microsoft"]) + f"translate?{query}"
    headers = {**_JSON, "Ocp-Apim-Subscription-Key": key or ""}
    if settings.region:
        headers["Ocp-Apim-Subscription-Region"] = settings.region
    return BatchRequest(url, headers, _json_body([{"Text": text} for text in texts]))


def microsoft_answers(payload: Any) -> list[object]:
    """``[{"translations": [{"text": ..., "to": ...}]}, ...]``, one per text."""
    if not isinstance(payload, list):
        raise dt.TranslationNotFound("translations")
    answers: list[object] = []
    for item in payload:
        found = _field(item, "translations")
        answers.append(_field(found[0], "text") if isinstance(found, list) and found else None)
    return answers


@dataclass(frozen=True)
class BatchAPI:
    """One engine's batch API: its limits, how to build a request, how to read the answer."""

    kind: str  # a key of BATCH_LIMITS
    build: Callable[[EngineSettings, str | None, str, str, Sequence[str]], BatchRequest]
    read: Callable[[Any], list[object]]
    languages: dict[str, str] | None  # the engine's codes, checked before any request
    #: a one-text request of another shape, for servers that refuse lists (LibreTranslate)
    build_single: Callable[[EngineSettings, str | None, str, str, str], BatchRequest] | None = None
    read_single: Callable[[Any], str] | None = None

    @property
    def limits(self) -> BatchLimits:
        return BATCH_LIMITS[self.kind]


BATCH_APIS = {
    "libre": BatchAPI(
        "libre", libre_request, libre_answers, None, libre_single_request, libre_single_answer
    ),
    "deepl": BatchAPI("deepl", deepl_request, deepl_answers, constants.DEEPL_LANGUAGE_TO_CODE),
    "google-cloud": BatchAPI(
        "google-cloud",
        google_cloud_request,
        google_cloud_answers,
        constants.GOOGLE_LANGUAGES_TO_CODES,
    ),
    "microsoft": BatchAPI("microsoft", microsoft_request, microsoft_answers, None),
}


def _batch_api(settings: EngineSettings, key: str | None) -> BatchAPI | None:
    """The batch API of an engine, if it has one. "google" is deep-translator's
    GoogleTranslator (the free web page, no key, no batch); a google engine given
    a key (``api_key_env``) is Google Cloud Translation v2, which batches."""
    if settings.kind == "google":
        return BATCH_APIS["google-cloud"] if key else None
    return BATCH_APIS.get(settings.kind)


class HTTPBatch:
    """(source, target) of a batch API: ``batch(texts)`` is one request.

    Sent through ``requests.api.request``, so :func:`http_deadline` holds it to
    the attempt's deadline like deep-translator's own calls. Calling it with one
    text is a batch of one, unless the API has a one-text form (LibreTranslate's
    string ``q``), which every server of it takes.
    """

    def __init__(
        self, api: BatchAPI, settings: EngineSettings, key: str | None, source: str, target: str
    ) -> None:
        if api.languages is not None:
            codes = {code.lower() for code in api.languages.values()}
            for code in (source, target):
                if code.lower() not in codes:
                    raise dt.LanguageNotSupportedException(code)
        self.api = api
        self.limits = api.limits
        self._settings = settings
        self._key = key
        self._source = source
        self._target = target
        self._overhead = len(self.request([]).body)

    def request(self, texts: Sequence[str]) -> BatchRequest:
        return self.api.build(self._settings, self._key, self._source, self._target, texts)

    def cost(self, text: str) -> int:
        """Bytes ``text`` adds to the request body (JSON-quoted, plus a separator)."""
        return len(_json_body(text)) + 1

    @property
    def has_single(self) -> bool:
        """Whether one text can go in a request that is not a list."""
        return self.api.build_single is not None and self.api.read_single is not None

    def batch(self, texts: Sequence[str]) -> list[object]:
        """One request for ``texts``; the answers, one per text, unchecked."""
        return self.api.read(_post(self.request(texts)))

    def __call__(self, text: str) -> str:
        build, read = self.api.build_single, self.api.read_single
        if build is not None and read is not None:
            return read(_post(build(self._settings, self._key, self._source, self._target, text)))
        answers = self.batch([text])
        if len(answers) != 1:
            raise dt.TranslationNotFound(text)
        return answers[0]  # type: ignore[return-value]  # checked by Engine


def _post(built: BatchRequest) -> Any:
    """Send ``built``; its JSON answer, or :class:`HTTPStatusError`."""
    response = requests.api.request("POST", built.url, headers=built.headers, data=built.body)
    if not 200 <= response.status_code < 300:
        raise HTTPStatusError(response.status_code, _error_detail(response))
    return response.json()


def _error_detail(response: requests.Response) -> str:
    """The error message of a JSON error body, short; nothing from an HTML page."""
    try:
        payload = response.json()
    except ValueError:
        return ""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    if error is None and isinstance(payload, dict):
        error = payload.get("message")
    return str(error)[:200] if error else ""


def plan_batches(
    texts: Sequence[str], limits: BatchLimits, cost: Callable[[str], int], overhead: int = 0
) -> list[list[int]]:
    """The texts' indexes, in order, cut into requests within ``limits``; a text
    that alone breaks a limit is left out (the caller refuses it)."""
    batches: list[list[int]] = []
    current: list[int] = []
    chars = size = 0
    for index, text in enumerate(texts):
        weight = cost(text)
        if len(text) > limits.chars or (
            limits.body_bytes is not None and overhead + weight > limits.body_bytes
        ):
            continue
        fits = (
            len(current) < limits.texts
            and chars + len(text) <= limits.chars
            and (limits.body_bytes is None or overhead + size + weight <= limits.body_bytes)
        )
        if current and not fits:
            batches.append(current)
            current, chars, size = [], 0, 0
        current.append(index)
        chars += len(text)
        size += weight
    if current:
        batches.append(current)
    return batches


class Deadline:
    """A monotonic deadline for one attempt, enforced on the sockets it opens.

    ``requests`` (urllib3) only bounds each socket operation: a connect, and
    every single read. A server that sends one byte every 50 ms satisfies each
    read forever, and streaming the body with a check between chunks would
    still leave the status line and headers unbounded. So, while the deadline
    is active, every connection ``requests`` opens registers a duplicate of its
    socket here, and when the time is up a timer thread shuts them down
    (``shutdown(SHUT_RDWR)``): whatever read is blocked, in the TLS handshake,
    the headers or the body, returns at once, and :meth:`expired` tells the
    caller that the failure was the deadline. What remains unbounded: name
    resolution (``getaddrinfo`` before any socket exists) and connections made
    through a SOCKS proxy, which keep per-read timeouts only.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._ends = time.monotonic() + seconds
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._expired = threading.Event()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._token: contextvars.Token[Deadline | None] | None = None

    def __enter__(self) -> Deadline:
        self._token = _ACTIVE.set(self)
        self._timer.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._timer.cancel()
        if self._token is not None:
            _ACTIVE.reset(self._token)
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()

    @property
    def expired(self) -> bool:
        return self._expired.is_set() or self.remaining() <= 0

    def remaining(self) -> float:
        return self._ends - time.monotonic()

    def watch(self, sock: socket.socket) -> None:
        """Shut ``sock`` down at the deadline (now, if it has passed).

        A duplicate is kept: TLS wrapping detaches the original object, but a
        shutdown acts on the connection, which every duplicate shares.
        """
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            late = self._expired.is_set()
        if late:
            _shutdown(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self._expired.set()
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


_ACTIVE: contextvars.ContextVar[Deadline | None] = contextvars.ContextVar(
    "uai18n_deadline", default=None
)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        deadline = _ACTIVE.get()
        if deadline is not None:
            deadline.watch(sock)
        return sock


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        deadline = _ACTIVE.get()
        if deadline is not None:
            deadline.watch(sock)
        return sock


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


_WATCHED_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _WatchedAdapter(requests.adapters.HTTPAdapter):
    """urllib3 pools whose connections register their sockets with the deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if manager.pool_classes_by_scheme == urllib3.poolmanager.pool_classes_by_scheme:
            manager.pool_classes_by_scheme = _WATCHED_POOLS  # not SOCKS: its own pools
        return manager


def _expired_error(deadline: Deadline) -> requests.exceptions.Timeout:
    return requests.exceptions.Timeout(f"no answer within {deadline.seconds:g} s")


@contextlib.contextmanager
def http_deadline(deadline: Deadline) -> Iterator[None]:
    """Hold every ``requests`` call in the block to ``deadline``.

    deep-translator calls ``requests.get``/``requests.post`` (through
    ``requests.api.request``) with no timeout at all; inside this block each
    call runs in a session whose connections the deadline watches, with its
    connect and read timeouts capped at the time left, and any failure after
    the deadline is reported as a :class:`requests.exceptions.Timeout`.
    """
    original = requests.api.request

    @functools.wraps(original)
    def request(method: str, url: str, **kwargs: Any) -> requests.Response:
        left = deadline.remaining()
        if left <= 0:
            raise _expired_error(deadline)
        kwargs["timeout"] = _capped(kwargs.get("timeout"), left)
        try:
            with requests.sessions.Session() as session:
                adapter = _WatchedAdapter()
                session.mount("http://", adapter)
                session.mount("https://", adapter)
                return session.request(method=method, url=url, **kwargs)
        except requests.exceptions.RequestException:
            if deadline.expired:
                raise _expired_error(deadline) from None
            raise

    requests.api.request = request
    try:
        yield
    finally:
        requests.api.request = original


def _capped(timeout: object, left: float) -> tuple[float, float]:
    """A (connect, read) timeout no longer than ``left``, whatever the caller asked."""
    if isinstance(timeout, tuple):
        asked = [value if value is not None else left for value in timeout]
    elif isinstance(timeout, int | float):
        asked = [float(timeout)] * 2
    else:
        asked = [left, left]
    return (min(asked[0], left), min(asked[1], left))


class Engine:
    """One engine for a run: retries, timeouts, down-detection, safe messages."""

    def __init__(
        self,
        settings: EngineSettings,
        factory: Factory,
        *,
        timeout: float = 10.0,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        secret: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self.name = settings.name
        self._factory = factory
        self._translators: dict[tuple[str, str], Translate] = {}
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._secret = secret
        self._sleep = sleep
        self._rng = rng or random.Random(0)
        self.failures_in_a_row = 0
        self.down = False
        self.max_text = MAX_TEXT.get(settings.kind, 5000)
        #: the server refused lists and took one text: no list is sent again this run
        self.single_texts = False
        self._notify = notify or _to_stderr

    def translate(self, text: str, source: str, target: str) -> str:
        """The engine's answer for ``text``, or :class:`EngineError`."""
        if self.down:
            raise EngineDown(f"{self.name} is down")
        if len(text) > self.max_text:
            raise EngineError(
                f"{len(text)} characters: longer than {self.name} takes ({self.max_text})",
                engine_fault=False,
            )
        try:
            answer = self._with_retries(source, target, lambda translate: translate(text))
        except EngineError as error:
            self._failed(error)
            raise
        checked = self._checked(answer, text)
        if isinstance(checked, EngineError):
            raise checked
        return checked

    def _checked(self, answer: object, text: str) -> str | EngineError:
        """A one-text request's answer, or its rejection; counted by the breaker."""
        try:
            _check_answer(answer, text, self.name)
        except EngineError as error:
            self._failed(error)
            return error
        self.failures_in_a_row = 0
        return answer  # type: ignore[return-value]  # a str: checked

    def _one(self, text: str, source: str, target: str) -> str | EngineError:
        """:meth:`translate` as an outcome: a batch's texts fail one by one, not all."""
        try:
            return self.translate(text, source, target)
        except EngineError as error:
            return error

    def translate_many(
        self, texts: Sequence[str], source: str, target: str
    ) -> list[str | EngineError]:
        """One outcome per text, in order: the answer or its :class:`EngineError`.

        Through the engine's batch API, if it has one, in as few requests as its
        :class:`BatchLimits` allow; else (or once the server refused lists, see
        :meth:`_fall_back`) one :meth:`translate` per text. Texts after the
        engine went down get :class:`EngineDown`: they were not sent.
        """
        try:
            translator = None if self.down else self._translator(source, target)
        except EngineError as error:
            self._failed(error)
            return [error] * len(texts)
        batch = getattr(translator, "batch", None)
        if translator is None or batch is None or self.single_texts:
            return [self._one(text, source, target) for text in texts]
        limits: BatchLimits = translator.limits  # type: ignore[attr-defined]
        cost: Callable[[str], int] = translator.cost  # type: ignore[attr-defined]
        overhead: int = translator._overhead  # type: ignore[attr-defined]
        results: list[str | EngineError | None] = [None] * len(texts)
        for index, text in enumerate(texts):
            if len(text) > limits.chars or (
                limits.body_bytes is not None and overhead + cost(text) > limits.body_bytes
            ):
                results[index] = EngineError(
                    f"{len(text)} characters: longer than {self.name} takes in one request",
                    engine_fault=False,
                )
        for chunk in plan_batches(texts, limits, cost, overhead):
            if self.down:
                for index in chunk:
                    results[index] = EngineDown(f"{self.name} is down")
            elif self.single_texts:  # refused lists earlier in this call
                for index in chunk:
                    results[index] = self._one(texts[index], source, target)
            else:
                self._send_batch(texts, chunk, results, source, target)
        return [
            outcome if outcome is not None else EngineError(f"{self.name}: not sent")
            for outcome in results
        ]

    def _send_batch(
        self,
        texts: Sequence[str],
        chunk: list[int],
        results: list[str | EngineError | None],
        source: str,
        target: str,
    ) -> None:
        """One request for ``chunk``; its outcomes into ``results``; the breaker."""
        sent = [texts[index] for index in chunk]
        try:
            answers = self._with_retries(source, target, lambda translator: translator.batch(sent))
            if not isinstance(answers, list) or len(answers) != len(sent):
                count = len(answers) if isinstance(answers, list) else 0
                raise EngineError(
                    f"{self.name}: {count} translations for {len(sent)} texts", bad_shape=True
                )
        except EngineError as error:
            if error.bad_shape and self._fall_back(texts, chunk, results, source, target, error):
                return
            self._failed(error)
            for index in chunk:
                results[index] = error
            return
        good = 0
        for index, answer in zip(chunk, answers, strict=True):
            try:
                _check_answer(answer, texts[index], self.name)
            except EngineError as error:
                results[index] = error
                continue
            results[index] = answer  # type: ignore[assignment]  # a str: checked
            good += 1
        if good:
            self.failures_in_a_row = 0
        else:  # every answer rejected: the request failed, as a single one would
            self._failed(EngineError(f"{self.name}: no usable answer"))

    def _fall_back(
        self,
        texts: Sequence[str],
        chunk: list[int],
        results: list[str | EngineError | None],
        source: str,
        target: str,
        refused: EngineError,
    ) -> bool:
        """After a list was refused (400, or an answer not one per text): the chunk's
        first text alone, in the API's one-text form. If the server answers it, it
        does not take lists: the chunk and the rest of the run go one text per
        request, said once; the refused list is not a failure. False (nothing
        recorded) when there is no one-text form or it fails too: then the list's
        error stands, as a failure of the engine (a bad language, a dead server)."""
        translator = self._translators.get((source, target))
        if not getattr(translator, "has_single", False):
            return False
        first = texts[chunk[0]]
        try:
            answer = self._with_retries(source, target, lambda translate: translate(first))
        except EngineError:
            return False
        self.single_texts = True
        self._notify(
            f"{self.name} refused a list of texts ({refused.message.removeprefix(self.name + ': ')}"
            "): one text per request for the rest of this run"
        )
        results[chunk[0]] = self._checked(answer, first)
        for index in chunk[1:]:
            results[index] = self._one(texts[index], source, target)
        return True

    def _failed(self, error: EngineError) -> None:
        """Count a failure toward the breaker, if it was the engine's."""
        if error.engine_fault:
            self.failures_in_a_row += 1
            if self.failures_in_a_row >= DOWN_AFTER:
                self.down = True

    def _translator(self, source: str, target: str) -> Translate:
        pair = (source, target)
        if pair not in self._translators:
            try:
                self._translators[pair] = self._factory(source, target)
            except (dt.LanguageNotSupportedException, dt.InvalidSourceOrTargetLanguage):
                raise EngineError(
                    f"{self.name} does not translate {source} -> {target}", engine_fault=False
                ) from None
            except Exception as error:  # a deep-translator constructor: key, URL, ...
                raise EngineError(self._safe(f"{self.name} cannot start: {error}")) from None
        return self._translators[pair]

    def _with_retries(self, source: str, target: str, send: Callable[[Any], T]) -> T:
        """``send(translator)``, up to ``retries + 1`` attempts, each under its own
        :class:`Deadline` of ``timeout`` seconds (connect, TLS, headers and body of
        every HTTP request the attempt makes, the translator's construction
        included); between them the backoff sleeps. A timeout is not retried, so a
        request that times out costs ``timeout``; a request (one segment, or one
        batch) costs at most ``(retries + 1) x timeout`` plus the backoff."""
        for attempt in range(self.retries + 1):
            deadline = Deadline(self.timeout)
            try:
                with deadline, http_deadline(deadline):
                    return send(self._translator(source, target))
            except EngineError:
                raise
            except Exception as raised:  # deep-translator raises many unrelated types
                # some translators swallow the requests error and fail on None later
                error = self._timed_out() if deadline.expired else self._classify(raised)
            if not error.retryable or attempt == self.retries:
                if error.retryable:
                    error.message += f" (after {attempt + 1} tries)"
                raise error
            delay = self.backoff * 2**attempt
            self._sleep(delay + self._rng.uniform(0, delay))
        raise AssertionError("unreachable")  # pragma: no cover

    def _timed_out(self) -> EngineError:
        return EngineError(f"{self.name}: no answer within {self.timeout:g} s")

    def _classify(self, error: Exception) -> EngineError:
        if isinstance(error, requests.exceptions.Timeout):
            return self._timed_out()
        if isinstance(error, HTTPStatusError):
            return self._status(error)
        if isinstance(error, requests.exceptions.JSONDecodeError | ValueError):
            return EngineError(f"{self.name}: the answer is not a translation (an HTML page?)")
        if isinstance(error, requests.exceptions.ConnectionError):
            return EngineError(f"{self.name}: cannot connect")
        if isinstance(error, dt.AuthorizationException | dt.ApiKeyException):
            return EngineError(f"{self.name}: the API key was refused")
        if isinstance(error, dt.TooManyRequests):
            return EngineError(f"{self.name}: too many requests (429)", retryable=True)
        if isinstance(error, dt.ServerException | dt.RequestError):
            text = str(error)
            return EngineError(
                self._safe(f"{self.name}: {text}"), retryable=bool(_RETRYABLE.search(text))
            )
        if isinstance(error, dt.TranslationNotFound):
            return EngineError(f"{self.name}: the answer has no translation", bad_shape=True)
        if isinstance(error, dt.NotValidLength | dt.NotValidPayload):
            return EngineError(
                f"{self.name}: refused the text ({type(error).__name__})", engine_fault=False
            )
        return EngineError(self._safe(f"{self.name}: {type(error).__name__}: {error}"))

    def _status(self, error: HTTPStatusError) -> EngineError:
        """A batch API's status: 429 and 5xx are retried, 401/403 is the key."""
        status = error.status
        detail = f": {error.detail}" if error.detail else ""
        if status == 429:
            return EngineError(f"{self.name}: too many requests (429)", retryable=True)
        if status >= 500:
            return EngineError(self._safe(f"{self.name}: server error {status}"), retryable=True)
        if status in (401, 403):
            return EngineError(f"{self.name}: the API key was refused ({status})")
        if status == 456:
            return EngineError(f"{self.name}: the quota is used up (456)")
        if status in (413, 414):
            return EngineError(
                f"{self.name}: the request was too large ({status})", engine_fault=False
            )
        return EngineError(
            self._safe(f"{self.name}: HTTP {status}{detail}"), bad_shape=status == 400
        )

    def _safe(self, message: str) -> str:
        """The message without the API key, whatever the library put in it."""
        if self._secret:
            message = message.replace(self._secret, "***")
        return message


def _to_stderr(message: str) -> None:
    """Where an engine's notices go unless the caller collects them."""
    print(message, file=sys.stderr, flush=True)


def _check_answer(answer: object, sent: str, name: str) -> None:
    """Garbage is a failure, not a translation."""
    if not isinstance(answer, str) or not answer.strip():
        raise EngineError(f"{name}: an empty answer")
    if _HTML.match(answer):
        raise EngineError(f"{name}: an HTML page instead of a translation")
    if answer.strip() == sent.strip() and len(_WORDS.findall(sent)) >= 2:
        raise EngineError(f"{name}: the text came back untranslated")
