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
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any

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

    def __init__(self, message: str, *, retryable: bool = False, engine_fault: bool = True):
        super().__init__(message)
        self.message = message
        self.retryable = retryable
        self.engine_fault = engine_fault  # counts toward "down"


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
    """(source, target) -> a translate function of the deep-translator engine."""
    kind = settings.kind

    def make(source: str, target: str) -> Translate:
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
            answer = self._with_retries(text, source, target)
            _check_answer(answer, text, self.name)
        except EngineError as error:
            if error.engine_fault:
                self.failures_in_a_row += 1
                if self.failures_in_a_row >= DOWN_AFTER:
                    self.down = True
            raise
        self.failures_in_a_row = 0
        return answer

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

    def _with_retries(self, text: str, source: str, target: str) -> str:
        """Up to ``retries + 1`` attempts, each under its own :class:`Deadline` of
        ``timeout`` seconds (connect, TLS, headers and body of every HTTP request
        the attempt makes, the translator's construction included); between them
        the backoff sleeps. A timeout is not retried, so a segment that times out
        costs ``timeout``; a segment costs at most ``(retries + 1) x timeout`` plus
        the backoff."""
        for attempt in range(self.retries + 1):
            deadline = Deadline(self.timeout)
            try:
                with deadline, http_deadline(deadline):
                    translate = self._translator(source, target)
                    return translate(text)
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
            return EngineError(f"{self.name}: the answer has no translation")
        if isinstance(error, dt.NotValidLength | dt.NotValidPayload):
            return EngineError(
                f"{self.name}: refused the text ({type(error).__name__})", engine_fault=False
            )
        return EngineError(self._safe(f"{self.name}: {type(error).__name__}: {error}"))

    def _safe(self, message: str) -> str:
        """The message without the API key, whatever the library put in it."""
        if self._secret:
            message = message.replace(self._secret, "***")
        return message


def _check_answer(answer: object, sent: str, name: str) -> None:
    """Garbage is a failure, not a translation."""
    if not isinstance(answer, str) or not answer.strip():
        raise EngineError(f"{name}: an empty answer")
    if _HTML.match(answer):
        raise EngineError(f"{name}: an HTML page instead of a translation")
    if answer.strip() == sent.strip() and len(_WORDS.findall(sent)) >= 2:
        raise EngineError(f"{name}: the text came back untranslated")
