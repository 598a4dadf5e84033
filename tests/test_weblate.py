"""``uai18n weblate`` against bad input and a failing server (no Weblate needed).

The failing server is a real HTTP server on 127.0.0.1 that the test starts
and scripts: it answers what Weblate's API answers until the step the test
makes fail. The round trip with a real Weblate is tests/test_weblate_live.py.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from uai18n.cli import main
from uai18n.config import load_config
from uai18n.errors import UserError
from uai18n.glossary.load import load_glossary
from uai18n.weblate import glossary_tbx

TOKEN = "wlu_test_token_that_must_never_be_printed"


def _weblate_table(url: str, **extra: str) -> str:
    lines = [f'url = "{url}"', 'project = "ua"', 'repo = "file:///srv/ua.git"']
    lines += [f'{key} = "{value}"' for key, value in extra.items()]
    return "\n[weblate]\n" + "\n".join(lines) + "\n"


class ScriptedWeblate(ThreadingHTTPServer):
    """Answers like Weblate's API; ``fail`` maps "METHOD path" to a status to give."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fail: dict[str, int] = {}
        self.calls: list[str] = []
        self.created: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedWeblate

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        call = f"{method} {self.path.split('?')[0]}"
        self.server.calls.append(call)
        if self.headers.get("Authorization") != f"Token {TOKEN}":
            self._answer(401, {"detail": "Invalid token."})
            return
        status = self.server.fail.get(call)
        if status is not None:
            self._answer(status, {"type": "server_error", "errors": [{"detail": "boom"}]})
            return
        if call == "GET /api/projects/ua/":
            self._answer(200, {"slug": "ua", "translation_review": True,
                               "set_language_team": False})  # fmt: skip
        elif call == "GET /api/projects/ua/components/":
            self._answer(200, {"results": [], "next": None})
        elif call == "POST /api/projects/ua/components/":
            self.server.created.append(json.loads(body or b"{}").get("slug", "?"))
            self._answer(201, {"slug": self.server.created[-1]})
        else:
            self._answer(404, {"detail": "Not found."})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")


@pytest.fixture
def scripted() -> Iterator[ScriptedWeblate]:
    server = ScriptedWeblate()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _po_bytes(project: Path) -> dict[str, bytes]:
    return {str(path): path.read_bytes() for path in sorted((project / "po").rglob("*.po*"))}


def _run(project: Path, *args: str, token: str | None = TOKEN):
    env = {"WEBLATE_TOKEN": token} if token is not None else {"WEBLATE_TOKEN": ""}
    return CliRunner().invoke(main, ["-C", str(project), "weblate", *args], env=env)


def _one_error_line(result, *needles: str) -> None:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("uai18n: ")
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert "Traceback" not in result.output and TOKEN not in result.output


def test_unreachable_weblate_is_one_line_and_changes_nothing(project: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    (project / "uai18n.toml").write_text(
        (project / "uai18n.toml").read_text() + _weblate_table(url)
    )
    before = _po_bytes(project)
    for command in (["sync"], ["pull-reviews"]):
        result = _run(project, *command)
        _one_error_line(result, url, "cannot reach Weblate")
    assert _po_bytes(project) == before


def test_a_500_is_one_line_exit_2(project: Path, scripted: ScriptedWeblate) -> None:
    (project / "uai18n.toml").write_text(
        (project / "uai18n.toml").read_text() + _weblate_table(scripted.url)
    )
    scripted.fail["GET /api/projects/ua/"] = 500
    before = _po_bytes(project)
    _one_error_line(_run(project, "sync"), scripted.url, "500")
    _one_error_line(_run(project, "pull-reviews"), scripted.url, "500")
    assert _po_bytes(project) == before


def test_a_bad_token_is_one_line_exit_2(project: Path, scripted: ScriptedWeblate) -> None:
    (project / "uai18n.toml").write_text(
        (project / "uai18n.toml").read_text() + _weblate_table(scripted.url)
    )
    result = _run(project, "sync", token="wrong")
    _one_error_line(result, "refused the API token in WEBLATE_TOKEN")
    result = _run(project, "sync", token=None)
    _one_error_line(result, "no Weblate API token", "WEBLATE_TOKEN")


def test_a_failure_after_changes_is_a_partial_sync_exit_1(
    project: Path, scripted: ScriptedWeblate
) -> None:
    """Two documents: the first component is created, the second answers 500."""
    (project / "uai18n.toml").write_text(
        (project / "uai18n.toml").read_text() + _weblate_table(scripted.url)
    )
    source = project / "source" / "ua-2-19-chechnya.txt"
    (project / "source" / "zz-second.txt").write_bytes(source.read_bytes())
    seen: list[str] = []
    original = _Handler._answer

    def second_create_fails(handler: _Handler, status: int, body: object) -> None:
        if handler.command == "POST" and handler.path.endswith("/components/"):
            seen.append(handler.path)
            if len(seen) == 2:
                status, body = 500, {"errors": [{"detail": "boom"}]}
        original(handler, status, body)

    _Handler._answer = second_create_fails  # type: ignore[method-assign]
    try:
        result = _run(project, "sync")
    finally:
        _Handler._answer = original  # type: ignore[method-assign]
    assert result.exit_code == 1, result.output
    assert "created component ua/ua-2-19-chechnya" in result.stdout
    assert "partial sync" in result.stderr and "500" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('\n[weblate]\nproject = "ua"\n', "[weblate] needs url"),
        ('\n[weblate]\nurl = "ftp://x"\nproject = "ua"\n', "expected an http(s) URL"),
        ('\n[weblate]\nurl = "http://x"\nproject = "u a"\n', "expected a Weblate slug"),
        ('\n[weblate]\nurl = "http://x"\nproject = "ua"\ntoken = "abc"\n', "unknown setting"),
        ('\n[weblate]\nurl = "http://x"\nproject = "ua"\ntoken_env = "A-B"\n', "variable name"),
    ],
)
def test_bad_weblate_settings_name_the_line(project: Path, table: str, message: str) -> None:
    config = project / "uai18n.toml"
    config.write_text(config.read_text() + table)
    with pytest.raises(UserError) as raised:
        load_config(project)
    assert message in str(raised.value)
    assert str(raised.value).startswith(str(config)) or "uai18n.toml:" in str(raised.value)


def test_glossary_tbx_pairs_preferred_terms_and_is_stable(project: Path) -> None:
    glossary = load_glossary(project / "glossary")
    data, pairs = glossary_tbx(glossary, "en", "fr")
    assert data == glossary_tbx(glossary, "en", "fr")[0]
    assert pairs["torture"] == "torture"
    assert pairs["enforced disappearance"] == "disparition forcée"
    assert len(pairs) > 50
    assert b"<!DOCTYPE" not in data and data.startswith(b"<?xml")
    assert data.count(b"<termEntry") == len(pairs)


def test_glossary_tbx_keeps_do_not_translate_terms(tmp_path: Path) -> None:
    (tmp_path / "terms.csv").write_text(
        "concept,lang,term,status,pos,note\n"
        "ai,en,Amnesty International,dnt,noun,name\n"
        "torture,en,torture,preferred,noun,CAT\n"
        "torture,fr,torture,preferred,noun,CAT\n"
        "arrest,en,arrest,preferred,noun,ICCPR\n",
        "utf-8",
    )
    _, pairs = glossary_tbx(load_glossary(tmp_path), "en", "fr")
    assert pairs == {"Amnesty International": "Amnesty International", "torture": "torture"}
