"""Weblate at scale: ``uai18n weblate sync`` and ``pull-reviews`` on N documents.

Builds a project of N copies of the bundled UA (each with the bundled
catalogues of every language), pushes it to a bare repository, starts a real
Weblate 5.14.3 on PostgreSQL 15 (``tests/weblate_server.py``; install with
``scripts/install-weblate``) and prints:

- the time of ``uai18n weblate sync`` (N components, the glossary) and of a
  second, idle sync;
- the time of Weblate's own ``import_project`` for the same repository into
  a second project (what an administrator would otherwise run);
- the time of ``uai18n weblate pull-reviews`` over N documents x 6 languages
  after A approvals made through the API, and of an idle rerun;
- the server's resident memory after each step.

    python benchmarks/bench_weblate.py --docs 100 --approvals 200
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

import weblate_server  # noqa: E402
import wlc  # noqa: E402

GIT = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={**os.environ, **GIT})  # fmt: skip


def uai18n(root: Path, token: str, *args: str) -> float:
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "uai18n.cli", "-C", str(root), *args],
        env={**os.environ, "WEBLATE_TOKEN": token},
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if run.returncode == 1 and args[0] == "weblate":
        raise SystemExit(f"uai18n {' '.join(args)}: exit 1:\n{run.stdout[-2000:]}\n{run.stderr}")
    if run.returncode not in (0, 1):
        raise SystemExit(f"uai18n {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}")
    return elapsed


def sign_offs(work: Path) -> int:
    return sum(path.read_text("utf-8").count("# reviewed: ") for path in work.glob("po/*/*.po"))


def build_project(folder: Path, documents: int, url: str) -> tuple[Path, Path]:
    work = folder / "work"
    (work / "source").mkdir(parents=True)
    shutil.copytree(REPO / "glossary", work / "glossary")
    bundled = REPO / "source" / "ua-2-19-chechnya.txt"
    catalogues = sorted((REPO / "po").glob("*/ua-2-19-chechnya.po"))
    for number in range(documents):
        stem = f"ua-{number:04d}"
        shutil.copyfile(bundled, work / "source" / f"{stem}.txt")
        for catalogue in catalogues:
            target = work / "po" / catalogue.parent.name / f"{stem}.po"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(catalogue, target)
    remote = folder / "remote.git"
    config = (REPO / "uai18n.toml").read_text("utf-8")
    config += (
        f'\n[weblate]\nurl = "{url}"\nproject = "ua"\nrepo = "file://{remote}"\n'
        f'push = "file://{remote}"\nwebsite = "https://example.org/ua"\n'
    )
    (work / "uai18n.toml").write_text(config, "utf-8")
    uai18n(work, "", "extract")
    uai18n(work, "", "update")
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "source", "po", "glossary", "uai18n.toml")
    git(work, "commit", "-q", "-m", "bench")
    git(folder, "clone", "-q", "--bare", str(work), str(remote))
    return work, remote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--approvals", type=int, default=200)
    options = parser.parse_args()
    reason = weblate_server.missing()
    if reason:
        raise SystemExit(reason)
    folder = Path(tempfile.mkdtemp(prefix="bench-weblate-"))
    try:
        with weblate_server.start(folder / "server") as server:
            url = server.url.rstrip("/")
            print(f"Weblate up; server RSS {server.rss_kib() / 1024:.0f} MiB")
            work, remote = build_project(folder, options.docs, url)
            print(f"project: {options.docs} documents x 6 languages")

            seconds = uai18n(work, server.token, "weblate", "sync")
            print(f"uai18n weblate sync:        {seconds:7.1f} s "
                  f"(server RSS {server.rss_kib() / 1024:.0f} MiB)")  # fmt: skip
            seconds = uai18n(work, server.token, "weblate", "sync")
            print(f"uai18n weblate sync, idle:  {seconds:7.1f} s")

            api = wlc.Weblate(key=server.token, url=server.url + "api/")
            api.request("post", "projects/", data={"name": "Imported", "slug": "imported",
                                                   "web": "https://example.org/"})  # fmt: skip
            start = time.perf_counter()
            try:
                server.manage(
                    "import_project", "imported", f"file://{remote}", "main",
                    "po/*/**.po",  # * the language, ** the component
                    "--new-base-template", "po/templates/{{ component }}.pot",
                    "--file-format", "po",
                    timeout=3600,
                )  # fmt: skip
                print(f"Weblate import_project:     {time.perf_counter() - start:7.1f} s "
                      f"(server RSS {server.rss_kib() / 1024:.0f} MiB)")  # fmt: skip
            except RuntimeError as error:  # Weblate 5.14.3 hits RecursionError at 100 components
                last = str(error).strip().splitlines()[-1]
                print(f"Weblate import_project:     failed after "
                      f"{time.perf_counter() - start:.1f} s: {last}")  # fmt: skip

            approved = 0
            start = time.perf_counter()
            for number in range(options.docs):
                for language in ("fr", "es"):
                    path = f"translations/ua/ua-{number:04d}/{language}/units/"
                    for unit in api.get(path)["results"][:3]:
                        if approved >= options.approvals:
                            break
                        api.request("patch", f"units/{unit['id']}/",
                                    data={"target": unit["target"], "state": 30})  # fmt: skip
                        approved += 1
            print(f"{approved} approvals through the API: {time.perf_counter() - start:.1f} s")

            before = sign_offs(work)
            seconds = uai18n(work, server.token, "weblate", "pull-reviews")
            signed = sign_offs(work) - before
            print(f"uai18n weblate pull-reviews: {seconds:6.1f} s "
                  f"({signed} sign-offs written over {options.docs * 6} catalogues)")  # fmt: skip
            seconds = uai18n(work, server.token, "weblate", "pull-reviews")
            print(f"pull-reviews, idle:         {seconds:7.1f} s "
                  f"(server RSS {server.rss_kib() / 1024:.0f} MiB)")  # fmt: skip
    finally:
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
