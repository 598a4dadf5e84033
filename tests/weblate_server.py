"""A real Weblate 5.14.3 on PostgreSQL 15, on 127.0.0.1, for the integration test.

``scripts/install-weblate`` installs Weblate into its own virtualenv
(``.weblate-venv`` beside the repository, or ``UAI18N_WEBLATE_VENV``) and the
Debian PostgreSQL server. :func:`start` makes a private database cluster in a
temporary folder, migrates Weblate's schema, creates an admin with an API
token and serves Weblate with Django's server, without Redis or a Celery
worker (tasks run eagerly, the cache is on disk). Used by
``tests/test_weblate_live.py`` and ``benchmarks/bench_weblate.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def weblate_venv() -> Path | None:
    """Weblate's virtualenv, if ``scripts/install-weblate`` has made it."""
    venv = Path(os.environ.get("UAI18N_WEBLATE_VENV", REPOSITORY / ".weblate-venv"))
    return venv if (venv / "bin" / "weblate").exists() else None


def missing() -> str | None:
    """Why the live test cannot run here, or None when it can."""
    if weblate_venv() is None:
        return "Weblate is not installed: run scripts/install-weblate"
    if not (POSTGRES_BIN / "postgres").exists():
        return "PostgreSQL 15 is not installed: run scripts/install-weblate"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


SETTINGS = """\
from weblate.settings_example import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = ["*"]
SITE_DOMAIN = "localhost:{port}"  # WebAuthn takes http only on localhost
SITE_URL = "http://" + SITE_DOMAIN
OTP_WEBAUTHN_RP_ID = "localhost"
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SITE_URL]
SECRET_KEY = "uai18n-test-only-secret-key-not-for-production-use-0123456789"
DATA_DIR = {data!r}
CACHE_DIR = {cache!r}
DATABASES["default"].update(NAME="weblate", USER="weblate", PASSWORD="",
                            HOST="127.0.0.1", PORT="{db_port}")
CACHES = {{
    "default": {{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": {cache!r} + "/default"}},
    "avatar": {{"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
               "LOCATION": {cache!r} + "/avatar"}},
}}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
VCS_FILE_PROTOCOL = True
VCS_ALLOW_SCHEMES = {{"file", "https", "ssh"}}
DEFAULT_ADDONS = {{}}
REQUIRE_LOGIN = False
REGISTRATION_OPEN = False
ENABLE_HOOKS = False
COMPRESS_ENABLED = False
COMPRESS_OFFLINE = False
LOGGING["root"] = {{"handlers": [], "level": "ERROR"}}  # noqa: F405
SILENCED_SYSTEM_CHECKS += [  # noqa: F405
    "weblate.W033", "weblate.W039", "weblate.E003", "weblate.E012"]
"""


@dataclass
class Weblate:
    """A running server: where it answers and who may call it."""

    url: str
    token: str
    folder: Path
    server: subprocess.Popen
    database: Path

    def manage(self, *arguments: str, timeout: float = 600) -> str:
        """Run a ``weblate`` management command against this server's database."""
        return _manage(self.folder, *arguments, timeout=timeout)

    def rss_kib(self) -> int:
        """The resident memory of the server process and its children, in KiB."""
        total = 0
        pids = [str(self.server.pid)]
        children = subprocess.run(
            ["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True
        ).stdout.split()
        for pid in pids + children:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total


def _environment(folder: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="uai18n_weblate_settings",
        PYTHONPATH=str(folder),
        HOME=str(folder),
        GIT_AUTHOR_NAME="Weblate",
        GIT_AUTHOR_EMAIL="weblate@example.org",
        GIT_COMMITTER_NAME="Weblate",
        GIT_COMMITTER_EMAIL="weblate@example.org",
    )
    environment.pop("VIRTUAL_ENV", None)
    return environment


def _manage(folder: Path, *arguments: str, timeout: float = 600) -> str:
    venv = weblate_venv()
    assert venv is not None
    run = subprocess.run(
        [str(venv / "bin" / "weblate"), *arguments],
        env=_environment(folder),
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if run.returncode != 0:
        log = folder / "manage-error.log"
        log.write_text(run.stderr)
        raise RuntimeError(
            f"weblate {' '.join(arguments)} failed (whole output: {log}):\n{run.stderr[-3000:]}"
        )
    return run.stdout


def _wait_for(url: str, deadline: float, server: subprocess.Popen, log: Path) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"Weblate exited: {log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"Weblate did not answer at {url}: {log.read_text()[-3000:]}")


def _start_postgres() -> tuple[subprocess.Popen, int, Path]:
    """A private cluster in its own folder of /tmp (pytest's folders are closed
    to the ``postgres`` user); trust authentication on 127.0.0.1 only."""
    folder = Path(tempfile.mkdtemp(prefix="uai18n-postgres-"))
    data = folder / "pgdata"
    sockets = folder / "pgsockets"
    for path in (data, sockets):
        path.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        for path in (data, sockets):
            shutil.chown(path, "postgres")
    subprocess.run(
        _as_postgres([str(POSTGRES_BIN / "initdb"), "-D", str(data), "-U", "weblate",
                      "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        _as_postgres([str(POSTGRES_BIN / "postgres"), "-D", str(data), "-p", str(port),
                      "-h", "127.0.0.1", "-k", str(sockets), "-c", "fsync=off",
                      "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while True:
        ready = subprocess.run(
            [str(POSTGRES_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
            capture_output=True,
        )
        if ready.returncode == 0:
            break
        if time.monotonic() > deadline or server.poll() is not None:
            raise RuntimeError("PostgreSQL did not start")
        time.sleep(0.2)
    subprocess.run(
        _as_postgres([str(POSTGRES_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port),
                      "-U", "weblate", "weblate"]),
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return server, port, folder


@contextlib.contextmanager
def start(folder: Path) -> Iterator[Weblate]:
    """Start PostgreSQL and Weblate under ``folder``; stop both on exit."""
    folder.mkdir(parents=True, exist_ok=True)
    database, db_port, db_folder = _start_postgres()
    server: subprocess.Popen | None = None
    try:
        port = free_port()
        for name in ("data", "cache"):
            (folder / name).mkdir(exist_ok=True)
        (folder / "uai18n_weblate_settings.py").write_text(
            textwrap.dedent(SETTINGS).format(
                port=port,
                db_port=db_port,
                data=str(folder / "data"),
                cache=str(folder / "cache"),
            )
        )
        _manage(folder, "migrate", "--noinput")
        _manage(folder, "createadmin", "--username", "admin", "--password", "admin-password",
                "--email", "admin@example.org", "--name", "Admin")  # fmt: skip
        token = (
            _manage(
                folder,
                "shell",
                "-c",
                "from weblate.auth.models import User\n"
                "from rest_framework.authtoken.models import Token\n"
                "user = User.objects.get(username='admin')\n"
                "print(Token.objects.get_or_create(user=user)[0].key)",
            )
            .strip()
            .splitlines()[-1]
        )
        log = folder / "server.log"
        with log.open("w") as output:
            server = subprocess.Popen(
                [str(weblate_venv() / "bin" / "weblate"), "runserver", "--noreload",
                 "--insecure", f"127.0.0.1:{port}"],
                env=_environment(folder), cwd=folder, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"http://localhost:{port}/"  # the host Weblate names in its answers
        _wait_for(url + "api/", time.monotonic() + 120, server, log)
        yield Weblate(url, token, folder, server, db_folder)
    finally:
        if server is not None:
            server.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                server.wait(10)
            server.kill()
        # runuser does not pass a signal on to PostgreSQL: stop the server itself
        subprocess.run(
            _as_postgres([str(POSTGRES_BIN / "pg_ctl"), "stop", "-D", str(db_folder / "pgdata"),
                          "-m", "fast", "-t", "30"]),
            capture_output=True, timeout=60,
        )  # fmt: skip
        database.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            database.wait(20)
        shutil.rmtree(db_folder, ignore_errors=True)


if __name__ == "__main__":  # python tests/weblate_server.py FOLDER: a server to explore
    with start(Path(sys.argv[1])) as running:
        print(running.url, running.token, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            running.server.wait()
